#!/bin/sh
# Installs hyperops from this unpacked tarball on a systemd distribution without .deb support
# (Fedora, Arch, SUSE, ...). Run as root from the tarball's folder: ./install.sh [PREFIX]
# Needs Java 17+ and the libvirt client library (libvirt.so.0) from the distribution.
set -eu

prefix=${1:-/usr/local}
here=$(dirname "$(readlink -f "$0")")
target="$prefix/lib/hyperops"

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "install.sh: install Java 17 or newer first" >&2; exit 1; }

mkdir -p "$target" "$prefix/bin" /etc/hypervisor /var/lib/hypervisor/hyperops /var/lib/hypervisor/logs
cp -R "$here/bin" "$here/lib" "$target/"
ln -sf "$target/bin/hyperops" "$prefix/bin/hyperops"
# Never overwrite an operator's config.
[ -e /etc/hypervisor/hyperops.json ] || install -m 0644 "$here/etc/hyperops.json" /etc/hypervisor/hyperops.json
getent group hypervisor-operator >/dev/null || groupadd --system hypervisor-operator
sed "s#/usr/bin/hyperops#$prefix/bin/hyperops#g" "$here/systemd/hyperops.service" > /etc/systemd/system/hyperops.service
if [ -d /usr/share/bash-completion/completions ]; then
    install -m 0644 "$here/completion/hyperops" /usr/share/bash-completion/completions/hyperops
fi
"$target/bin/hyperops-cds" || echo "install.sh: no CDS archive (commands start a little slower)" >&2
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --now hyperops.service
fi
echo "install.sh: hyperops installed in $target; config /etc/hypervisor/hyperops.json; 'hyperops status' to check"
