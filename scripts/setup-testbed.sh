#!/usr/bin/env bash
# Prepares a Debian 12 machine for hyperops' integration tests: a real libvirtd with the QEMU driver
# answering on qemu:///system, plus the tools the tests call (qemu-img, nbdcopy, gpg, ip, ping, zstd) and OVMF for UEFI guests.
#
# Run as root. Safe to run again: every step checks first. CI runs it with no stdin and without
# systemd as PID 1, so there it starts the daemons itself; on a host booted with systemd it asks
# systemd instead, so the daemons stay under the host's normal supervision.
set -euo pipefail

readonly LIBVIRT_URI='qemu:///system'
readonly QEMU_CONF=/etc/libvirt/qemu.conf
readonly LOG_DIR=/var/log/libvirt
readonly LIBVIRTD_LOG="$LOG_DIR/libvirtd.log"
readonly VIRTLOGD_LOG="$LOG_DIR/virtlogd.log"
readonly LIBVIRTD_PID_FILE=/run/libvirtd.pid
readonly VIRTLOGD_SOCKET=/run/libvirt/virtlogd-sock
readonly READY_TIMEOUT_SECONDS=60
readonly PACKAGES=(
    libvirt0 libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
    qemu-system-x86 qemu-utils ovmf
    jq gnupg iproute2 iputils-ping libnbd-bin zstd libssl3 nix-bin nodejs duktape
    openjdk-17-jdk-headless maven procps util-linux python3
)

# CI's environment may lack the sbin folders, where groupadd, libvirtd and virtlogd live.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive

log()
{
    printf 'setup-testbed: %s\n' "$*"
}

fail()
{
    printf 'setup-testbed: error: %s\n' "$*" >&2
    exit 1
}

fail_with_log()
{
    printf 'setup-testbed: error: %s. Last lines of %s:\n' "$1" "$2" >&2
    tail -n 30 "$2" >&2 2>/dev/null || true
    exit 1
}

# sd_booted(3): this folder exists only when systemd is the running init.
systemd_is_init()
{
    [[ -d /run/systemd/system ]]
}

package_installed()
{
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == 'install ok installed' ]]
}

install_packages()
{
    local wanted=("${PACKAGES[@]}")
    # Without systemd as init the daemons are started by hand below; with it, the unit files and the
    # accounts come from libvirt-daemon-system, which a container has no use for.
    if systemd_is_init; then
        wanted+=(libvirt-daemon-system)
    fi
    local missing=()
    local package
    for package in "${wanted[@]}"; do
        package_installed "$package" || missing+=("$package")
    done
    if ((${#missing[@]} == 0)); then
        log "packages: all ${#wanted[@]} already installed"
        return
    fi
    log "packages: installing ${missing[*]}"
    # Another apt run (an unattended upgrade, a second session) may hold the lock for a while.
    apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null
    apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}" </dev/null
}

ensure_group()
{
    getent group "$1" >/dev/null || groupadd --system "$1"
}

# libvirtd refuses to start ("Failed to parse user 'libvirt-qemu'") until these exist; the package
# that normally creates them (libvirt-daemon-system) is not installed in containers.
create_accounts()
{
    ensure_group kvm
    ensure_group libvirt
    ensure_group libvirt-qemu
    if ! getent passwd libvirt-qemu >/dev/null; then
        useradd --system --gid libvirt-qemu --groups kvm --home-dir /var/lib/libvirt \
            --no-create-home --shell /usr/sbin/nologin --comment 'Libvirt Qemu' libvirt-qemu
    fi
}

create_directories()
{
    mkdir -p "$LOG_DIR" /var/run/libvirt /var/lib/libvirt
}

# Sets "key = value" in qemu.conf: rewrites the active line(s) for the key, or appends one. Comments
# and other settings are left alone. Records in QEMU_CONF_CHANGED whether the file changed.
set_qemu_setting()
{
    local key="$1"
    local line="$1 = $2"
    local active="^[[:space:]]*${key}[[:space:]]*="
    local current
    current="$(grep -E "$active" "$QEMU_CONF" || true)"
    if [[ -z "$current" ]]; then
        printf '%s\n' "$line" >>"$QEMU_CONF"
    elif [[ "$(sort -u <<<"$current")" != "$line" ]]; then
        sed -i -E "s|${active}.*|${line}|" "$QEMU_CONF"
    else
        return 0
    fi
    QEMU_CONF_CHANGED=yes
}

# QEMU runs as root without a security driver: there is no AppArmor or SELinux in a container, and
# root is what may open /dev/kvm there (it is root:root 0600, no udev rule gives it to group kvm).
QEMU_CONF_CHANGED=no
configure_qemu()
{
    if [[ ! -f "$QEMU_CONF" ]]; then
        mkdir -p "$(dirname "$QEMU_CONF")"
        printf '# Written by hyperops scripts/setup-testbed.sh\n' >"$QEMU_CONF"
        chmod 600 "$QEMU_CONF"
    fi
    set_qemu_setting user '"root"'
    set_qemu_setting group '"root"'
    set_qemu_setting security_driver '"none"'
    if [[ "$QEMU_CONF_CHANGED" == yes ]]; then
        log "qemu.conf: set user, group and security_driver in $QEMU_CONF"
    else
        log "qemu.conf: already set"
    fi
}

wait_for_path()
{
    local path="$1"
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    until [[ -e "$path" ]]; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# Stops the libvirtd this script started earlier, by the pid it wrote, so it re-reads qemu.conf.
# Running guests survive: libvirtd reconnects to their QEMU processes when it comes back.
stop_libvirtd_by_hand()
{
    local pid
    pid="$(cat "$LIBVIRTD_PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || fail "libvirtd runs but $LIBVIRTD_PID_FILE names no pid; stop it and run again"
    log "libvirtd: restarting (pid $pid) to read the new qemu.conf"
    kill "$pid"
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "libvirtd (pid $pid) did not stop within ${READY_TIMEOUT_SECONDS}s"
        sleep 0.2
    done
}

start_daemons_by_hand()
{
    local restart="$1"
    # Guests do not start without virtlogd: QEMU's console log goes through its socket.
    if pgrep -x virtlogd >/dev/null; then
        log "virtlogd: already running"
    else
        log "virtlogd: starting (log: $VIRTLOGD_LOG)"
        LIBVIRT_LOG_OUTPUTS="3:file:$VIRTLOGD_LOG" virtlogd -d </dev/null >/dev/null 2>>"$VIRTLOGD_LOG" ||
            fail_with_log "virtlogd did not start" "$VIRTLOGD_LOG"
    fi
    wait_for_path "$VIRTLOGD_SOCKET" ||
        fail_with_log "virtlogd did not create $VIRTLOGD_SOCKET within ${READY_TIMEOUT_SECONDS}s" "$VIRTLOGD_LOG"

    if pgrep -x libvirtd >/dev/null; then
        if [[ "$restart" == yes ]]; then
            stop_libvirtd_by_hand
        else
            log "libvirtd: already running"
            return
        fi
    fi
    log "libvirtd: starting (log: $LIBVIRTD_LOG)"
    # The log output from the environment keeps libvirtd.conf untouched; errors before libvirtd
    # detaches (a bad config, a missing account) land in the same file through stderr.
    LIBVIRT_LOG_OUTPUTS="3:file:$LIBVIRTD_LOG" libvirtd -d </dev/null >/dev/null 2>>"$LIBVIRTD_LOG" ||
        fail_with_log "libvirtd did not start" "$LIBVIRTD_LOG"
}

start_daemons_with_systemd()
{
    local restart="$1"
    log "systemd: starting virtlogd and libvirtd"
    systemctl start virtlogd libvirtd
    if [[ "$restart" == yes ]]; then
        systemctl restart libvirtd
    fi
}

libvirtd_log_tail()
{
    if systemd_is_init; then
        journalctl --unit libvirtd --lines 30 --no-pager 2>&1 || true
    else
        tail -n 30 "$LIBVIRTD_LOG" 2>&1 || true
    fi
}

wait_for_libvirt()
{
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    until timeout 10 virsh -c "$LIBVIRT_URI" version >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            printf 'setup-testbed: error: libvirtd did not answer on %s within %ss. Last lines of its log:\n' \
                "$LIBVIRT_URI" "$READY_TIMEOUT_SECONDS" >&2
            libvirtd_log_tail >&2
            exit 1
        fi
        if ! systemd_is_init && ! pgrep -x libvirtd >/dev/null; then
            fail_with_log "libvirtd exited while starting" "$LIBVIRTD_LOG"
        fi
        sleep 0.5
    done
}

# Prints why /dev/kvm cannot be used, or nothing when it can. Opening the device is not enough (a
# host without nested virtualisation lets the open succeed and fails creating a VM), so QEMU itself
# is asked to start with KVM, on a machine with no devices, and to quit at once.
kvm_problem()
{
    if [[ ! -c /dev/kvm ]]; then
        echo '/dev/kvm is missing'
        return
    fi
    if ! (exec 3<>/dev/kvm) 2>/dev/null; then
        echo '/dev/kvm cannot be opened read/write'
        return
    fi
    local output
    if ! output="$(echo quit | timeout 30 qemu-system-x86_64 -machine none -accel kvm -nodefaults \
        -no-user-config -display none -monitor stdio 2>&1 >/dev/null)"; then
        echo "QEMU cannot use KVM: ${output:-no message}"
    fi
}

main()
{
    ((EUID == 0)) || fail "run as root (it installs packages and starts libvirtd)"
    command -v apt-get >/dev/null || fail "this script is for Debian 12; apt-get was not found"

    install_packages
    create_accounts
    create_directories
    configure_qemu

    # A libvirtd already running read the old qemu.conf; it must restart to see the new one.
    if systemd_is_init; then
        start_daemons_with_systemd "$QEMU_CONF_CHANGED"
    else
        start_daemons_by_hand "$QEMU_CONF_CHANGED"
    fi
    wait_for_libvirt

    local kvm
    kvm="$(kvm_problem)"
    local version
    version="$(virsh -c "$LIBVIRT_URI" version | awk -F': ' '/Using library/ {l=$2} /Running hypervisor/ {h=$2} END {print l ", " h}')"
    if [[ -z "$kvm" ]]; then
        log "testbed ready: $LIBVIRT_URI answers ($version); /dev/kvm usable: yes, guests run under KVM"
    else
        log "testbed ready: $LIBVIRT_URI answers ($version); /dev/kvm usable: no ($kvm), guests fall back to TCG emulation"
    fi
}

main "$@"
