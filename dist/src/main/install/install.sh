#!/bin/sh
# Installs hyperops from this unpacked tarball on a systemd distribution without .deb support
# (Fedora, Arch, SUSE, ...). Run as root from the tarball's folder: ./install.sh [PREFIX]
# Needs Java 17+ and the libvirt client library (libvirt.so.0) from the distribution.
# Running it again upgrades or repairs an installation; config, state and logs stay.
set -eu

prefix=${1:-/usr/local}
here=$(dirname "$(readlink -f "$0")")
target="$prefix/lib/hyperops"

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "install.sh: install Java 17 or newer first" >&2; exit 1; }
[ "$here" != "$(readlink -f "$target" 2>/dev/null || echo "$target")" ] || { echo "install.sh: run it from the unpacked tarball, not from $target" >&2; exit 1; }

systemd=no
[ -d /run/systemd/system ] && systemd=yes
# Copying over the jars a running daemon has open truncates them under it; stop it first.
if [ "$systemd" = yes ] && systemctl is-active --quiet hyperops.service; then
    systemctl stop hyperops.service
fi
# The class path is lib/*, so a jar of the previous version left beside the new one would load too.
rm -rf "${target:?}/lib" "${target:?}/bin"
mkdir -p "$target" "$prefix/bin" /etc/hypervisor
cp -R "$here/bin" "$here/lib" "$target/"
ln -sf "$target/bin/hyperops" "$prefix/bin/hyperops"
# Never overwrite an operator's config.
[ -e /etc/hypervisor/hyperops.json ] || install -m 0644 "$here/etc/hyperops.json" /etc/hypervisor/hyperops.json
getent group hypervisor-operator >/dev/null || groupadd --system hypervisor-operator
# As the .deb's postinst: the unit requires the data folder (ReadWritePaths=); it is 0755 because the
# seed's users read health-status.json and metrics there, and a mode an admin gave an existing one is
# left alone. The engine's state and run logs are for root and the operator group only.
[ -d /var/lib/hypervisor ] || mkdir -m 0755 /var/lib/hypervisor
mkdir -p /var/lib/hypervisor/hyperops /var/lib/hypervisor/logs
chgrp hypervisor-operator /var/lib/hypervisor/hyperops /var/lib/hypervisor/logs
chmod 0750 /var/lib/hypervisor/hyperops /var/lib/hypervisor/logs
sed "s#/usr/bin/hyperops#$prefix/bin/hyperops#g" "$here/systemd/hyperops.service" > /etc/systemd/system/hyperops.service
if [ -d /usr/share/bash-completion/completions ]; then
    install -m 0644 "$here/completion/hyperops" /usr/share/bash-completion/completions/hyperops
fi
"$target/bin/hyperops-cds" || echo "install.sh: no CDS archive (commands start a little slower)" >&2
if [ "$systemd" = yes ]; then
    systemctl daemon-reload
    systemctl enable hyperops.service >/dev/null
    # restart, not enable --now: on a reinstall the daemon must pick up the new jars and unit.
    systemctl restart hyperops.service || { echo "install.sh: hyperops is installed but the service did not start; see 'journalctl -u hyperops'" >&2; exit 1; }
fi
echo "install.sh: hyperops installed in $target; config /etc/hypervisor/hyperops.json; 'hyperops status' to check"
