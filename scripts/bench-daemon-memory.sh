#!/bin/bash
# The daemon's memory over a night of backups (issue 5: peak RSS 256 MiB or less whatever the disk
# size; the engine's idle footprint). Starts `hyperops daemon` from the assembled tree against the
# real libvirt daemon, with one running guest on a 1 GiB qcow2 disk of mixed content (400 MiB random,
# 300 MiB unallocated, 324 MiB text; no OS, so the guest writes nothing), then has the daemon back it up
# RUNS times in a row (`hyperops run-job backup --wait`: external snapshot, archive with zstd and
# OpenPGP to a key generated here, verify with the qemu-img check, prune), and reads the daemon's
# VmRSS and VmHWM from /proc after each run: a number that climbs from run to run is memory kept.
#
# Usage: scripts/bench-daemon-memory.sh [RUNS]   (default 10)
#   HYPEROPS_JAVA_OPTS=... is passed to the daemon (e.g. other heap options, for comparison)
# Needs: root, a running libvirtd + virtlogd (scripts/setup-testbed.sh), qemu-img, gpg, a built tree
# (mvn package -DskipTests).
set -eu
set -o pipefail
cd "$(dirname "$0")/.."
. scripts/bench-guest.sh
RUNS=${1:-10}
export LC_ALL=C   # printf's decimals
for tool in virsh qemu-img gpg bc pmap jcmd; do
    command -v "$tool" > /dev/null || { echo "bench-daemon-memory: $tool is missing" >&2; exit 1; }
done
HOME_TREE=$(readlink -f dist/target/hyperops-*-bin/hyperops-* 2> /dev/null | head -n 1 || true)
[ -n "$HOME_TREE" ] && [ -x "$HOME_TREE/bin/hyperops" ] || { echo "bench-daemon-memory: build first: mvn package -DskipTests" >&2; exit 1; }
export LIBVIRT_DEFAULT_URI=qemu:///system
WORK=$(mktemp -d /tmp/hdm-bench-XXXXXX)
chmod 755 "$WORK"   # QEMU runs as its own user and must reach the disk
DOM=hyperops-membench-$(basename "$WORK" | sed 's/^hdm-bench-//')
DAEMON=""

cleanup() {
    trap - EXIT
    trap '' INT TERM
    [ -n "$DAEMON" ] && kill "$DAEMON" 2> /dev/null && wait "$DAEMON" 2> /dev/null || true
    if virsh dominfo "$DOM" > /dev/null 2>&1; then
        virsh blockjob "$DOM" vda --abort > /dev/null 2>&1 || true
        virsh destroy "$DOM" > /dev/null 2>&1 || true
        virsh undefine "$DOM" > /dev/null 2>&1 || true
    fi
    GNUPGHOME="$WORK/gnupg" gpgconf --kill gpg-agent 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "bench-daemon-memory: interrupted" >&2; exit 130' INT TERM

status_kib() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
mib() { echo $(( $1 / 1024 )); }

echo "Preparing a 1 GiB qcow2 of mixed content, guest $DOM and an OpenPGP key in $WORK"
bench_mixed_qcow2 "$WORK"
mkdir -m 700 "$WORK/gnupg"
GNUPGHOME="$WORK/gnupg" gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'membench <membench@hyperops.invalid>' future-default default never 2> /dev/null
GNUPGHOME="$WORK/gnupg" gpg --armor --export membench@hyperops.invalid > "$WORK/public.asc"
GNUPGHOME="$WORK/gnupg" gpg --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys membench@hyperops.invalid > "$WORK/secret.asc"

bench_guest_xml "$DOM" "$WORK/disk.qcow2" > "$WORK/guest.xml"
virsh define "$WORK/guest.xml" > /dev/null
virsh start "$DOM" > /dev/null

# Only the backup job runs by schedule here: the others are switched off so that what is measured is
# the backups. max_backups_per_vm 2 keeps the folder small; the warm-up runs as in any daemon.
cat > "$WORK/hyperops.json" <<EOF
{
  "engine": { "libvirt_uri": "qemu:///system", "data_dir": "$WORK/data", "control_socket": "$WORK/control.sock" },
  "jobs": {
    "backup": { "schedule": "manual", "settings": { "guests": ["$DOM"], "encrypt": true, "recipient_key_file": "$WORK/public.asc",
                "secret_key_file": "$WORK/secret.asc", "max_backups_per_vm": 2 } },
    "backup-verify": { "enabled": false }, "metrics": { "enabled": false }, "health": { "enabled": false },
    "storage-cleanup": { "enabled": false }, "vm-recovery": { "enabled": false }, "network-check": { "enabled": false },
    "security-audit": { "enabled": false }, "update-check": { "enabled": false }
  }
}
EOF
"$HOME_TREE/bin/hyperops" config check --config "$WORK/hyperops.json" "$WORK/hyperops.json" > /dev/null

"$HOME_TREE/bin/hyperops" daemon --config "$WORK/hyperops.json" > "$WORK/daemon.log" 2>&1 &
DAEMON=$!
until [ -S "$WORK/control.sock" ]; do
    kill -0 "$DAEMON" 2> /dev/null || { cat "$WORK/daemon.log"; exit 1; }
    sleep 0.2
done
sleep 10
echo "daemon pid $DAEMON: $(mib "$(status_kib $DAEMON VmRSS)") MiB resident 10 s after start"
until grep -q 'Backup pipeline warmed up' "$WORK/daemon.log"; do
    kill -0 "$DAEMON" 2> /dev/null || { cat "$WORK/daemon.log"; exit 1; }
    sleep 1
done
sleep 2
echo "after the warm-up: $(mib "$(status_kib $DAEMON VmRSS)") MiB resident, peak $(mib "$(status_kib $DAEMON VmHWM)") MiB"

printf '%-4s %-8s %-14s %-14s\n' run seconds "RSS after MiB" "peak so far MiB"
for run in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$HOME_TREE/bin/hyperops" run-job backup --wait --config "$WORK/hyperops.json" > "$WORK/run.log" 2>&1 || { cat "$WORK/run.log"; exit 1; }
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    sleep 1
    printf '%-4s %-8.1f %-14s %-14s\n' "$run" "$seconds" "$(mib "$(status_kib $DAEMON VmRSS)")" "$(mib "$(status_kib $DAEMON VmHWM)")"
    # with native memory tracking on: what the JVM's own share did from the first run to the last
    [ "$run" = 1 ] && jcmd "$DAEMON" VM.native_memory baseline > /dev/null 2>&1 || true
done
echo "last run: $(tail -n 1 "$WORK/run.log")"
echo "resident now: $(mib "$(status_kib $DAEMON RssAnon)") MiB anonymous (heap, C heap, stacks), $(mib "$(status_kib $DAEMON RssFile)") MiB of files (libjvm, the CDS archive, native libraries)"
echo "largest anonymous mappings (KiB resident):"
pmap -x "$DAEMON" | awk '$6 == "[" && $7 == "anon" {print $3, $1}' | sort -rn | head -8 | tr '\n' ' '; echo
"$HOME_TREE/bin/hyperops" backup list "$DOM" --config "$WORK/hyperops.json"
echo "the heap's largest holders after the last run (live objects):"
jcmd "$DAEMON" GC.class_histogram 2> /dev/null | sed -n '1,15p' || true
# With HYPEROPS_JAVA_OPTS=-XX:NativeMemoryTracking=summary: where the JVM's share of it is
if jcmd "$DAEMON" VM.native_memory summary.diff > "$WORK/nmt.txt" 2>&1 && grep -q 'Total:' "$WORK/nmt.txt"; then
    echo "the JVM's own memory (native memory tracking), and its change since the end of run 1:"
    grep -E '^Total|^-' "$WORK/nmt.txt" | sed 's/(reserved=[^,]*, //; s/)$//; s/^- *//'
fi
