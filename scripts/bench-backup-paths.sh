#!/bin/bash
# Benchmark of the three I/O paths for backing up a running guest (issue 5), all on ONE real running
# guest in the same run, reported as ratios to the path hyperops uses (c):
#   (a) push mode: `virsh backup-begin` with <domainbackup mode='push'> to a qcow2 file, wait for the job
#       to complete (poll `virsh domjobinfo`), then one read pass of that copy into the consumer;
#       timed: copy + read; temporary space: the copy's allocated size
#   (b) pull mode: <domainbackup mode='pull'> with a unix-socket NBD server and a qcow2 scratch file,
#       one read pass of the export into the consumer, then `virsh domjobabort`;
#       timed: backup-begin + read + abort; temporary space: the scratch file at the end of the read;
#       also shows whether `nbdinfo --map` reports the unallocated part as holes
#   (c) external snapshot (hyperops): `virsh snapshot-create-as --disk-only --atomic --no-metadata` to an
#       overlay, one read pass of the frozen base image into the consumer, then
#       `virsh blockcommit --active --pivot --wait`; timed: snapshot + read + commit; temporary space:
#       the overlay's allocated size before the commit
# The guest is a 1 GiB qcow2 disk with mixed content (400 MiB random, 300 MiB zeros left unallocated,
# 324 MiB text), made from a raw file with `qemu-img convert` before the guest starts; it has no OS
# (the BIOS finds nothing to boot) and so writes nothing during the backups: the commit in (c) and the
# scratch file in (b) are at their smallest, which is the case to keep in mind when reading the figures.
#
# One reader and one consumer for all three, so the comparison is about the I/O path only:
#   nbdcopy SOURCE - | zstd -q -T0 -3 > /dev/null
# where SOURCE is the NBD export itself in (b), and `[ qemu-nbd -r -f qcow2 FILE ]` (qemu-nbd started by
# nbdcopy over a private socket) for the push copy in (a) and the frozen base in (c). All three are then
# decoded by QEMU's own qcow2 driver and arrive at zstd as the same 1 GiB raw stream (nbdcopy writes the
# holes as zeros into the pipe). `qemu-img convert` cannot write to a pipe, `qemu-img dd` is slow and
# `cat` of a qcow2 file would read another byte stream than the NBD export, hence nbdcopy everywhere.
# hyperops itself reads the base with `qemu-img map` extents and plain file reads (no NBD hop).
# The page cache is left as it is (warm: the images were just written); that favours (a), whose copy
# is read back from memory here, where a disk larger than free memory would be read back from disk.
#
# Usage: scripts/bench-backup-paths.sh [RUNS]   (default 3; the median of RUNS is reported)
# Needs: a running libvirtd + virtlogd (scripts/setup-testbed.sh), qemu-img, qemu-nbd (qemu-utils),
# nbdcopy and nbdinfo (libnbd-bin), zstd, bc.
set -eu
set -o pipefail
cd "$(dirname "$0")/.."
. scripts/bench-guest.sh
RUNS=${1:-3}
export LIBVIRT_DEFAULT_URI=${LIBVIRT_DEFAULT_URI:-qemu:///system}
for tool in virsh qemu-img qemu-nbd nbdcopy nbdinfo zstd bc; do
    command -v "$tool" > /dev/null || { echo "bench-backup-paths: $tool is missing" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/hbp-bench-XXXXXX)
DOM=hyperops-bench-$(basename "$WORK" | sed 's/^hbp-bench-//')

cleanup() {
    trap - EXIT
    trap '' INT TERM   # a second Ctrl-C must not cut the cleanup short
    if virsh dominfo "$DOM" > /dev/null 2>&1; then
        # A backup job (push or pull) or a commit still running: end it, then the guest. Destroying the
        # guest drops any overlay with it; undefine leaves no domain behind whatever state it was in.
        virsh domjobabort "$DOM" > /dev/null 2>&1 || true
        virsh blockjob "$DOM" vda --abort > /dev/null 2>&1 || true
        virsh destroy "$DOM" > /dev/null 2>&1 || true
        virsh undefine "$DOM" > /dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "bench-backup-paths: interrupted" >&2; exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]}'; }
mib() { echo "$(stat -c %b "$1") $(stat -c %B "$1")" | awk '{printf "%.1f\n", $1 * $2 / 1048576}'; }   # allocated MiB
consume() { nbdcopy -- "$@" - | zstd -q -T0 -3 > /dev/null; }
read_qcow2() { consume [ qemu-nbd -r -f qcow2 "$1" ]; }

# awk, not grep -q, reads all of virsh's output: with pipefail an early exit of grep would fail the pipe.
job_type() { virsh domjobinfo "$DOM" | awk '$1 == "Job" && $2 == "type:" {print $3}'; }
# Waits for the domain's job to end and fails unless it completed (the completed statistics are
# read, and so cleared, once per job).
wait_job() {
    until [ "$(job_type)" = None ]; do sleep 0.02; done
    info=$(virsh domjobinfo "$DOM" --completed)
    case "$info" in *"Job type:"*Completed*) ;; *) echo "bench-backup-paths: backup job did not complete:" >&2; echo "$info" >&2; exit 1 ;; esac
}

echo "Load before: $(uptime)"
echo "Preparing a 1 GiB qcow2 of mixed content and guest $DOM in $WORK"
bench_mixed_qcow2 "$WORK"
DISK_MIB=1024
bench_guest_xml "$DOM" "$WORK/disk.qcow2" > "$WORK/guest.xml"   # sets TYPE
cat > "$WORK/push.xml" <<EOF
<domainbackup mode='push'>
  <disks><disk name='vda' backup='yes' type='file'><target file='$WORK/copy.qcow2'/><driver type='qcow2'/></disk></disks>
</domainbackup>
EOF
cat > "$WORK/pull.xml" <<EOF
<domainbackup mode='pull'>
  <server transport='unix' socket='$WORK/nbd.sock'/>
  <disks><disk name='vda' backup='yes' type='file'><scratch file='$WORK/scratch.qcow2'/><driver type='qcow2'/></disk></disks>
</domainbackup>
EOF
virsh -q define "$WORK/guest.xml" > /dev/null
virsh -q start "$DOM" > /dev/null
[ "$(virsh domstate "$DOM")" = running ]
echo "Guest $DOM running (domain type $TYPE); disk: $(qemu-img info -U "$WORK/disk.qcow2" | sed -n 's/^disk size: //p') allocated"
NBD="nbd+unix:///vda?socket=$WORK/nbd.sock"

for f in push push_copy push_read push_tmp pull pull_tmp snap snap_read snap_commit snap_tmp; do : > "$WORK/$f"; done
for run in $(seq "$RUNS"); do
    # (a) push: full copy to a file, then one read pass of the copy
    rm -f "$WORK/copy.qcow2"
    start=$(now)
    virsh -q backup-begin "$DOM" "$WORK/push.xml" > /dev/null
    wait_job
    copied=$(now)
    read_qcow2 "$WORK/copy.qcow2"
    echo "$copied - $start" | bc >> "$WORK/push_copy"
    elapsed "$copied" >> "$WORK/push_read"
    elapsed "$start" >> "$WORK/push"
    mib "$WORK/copy.qcow2" >> "$WORK/push_tmp"
    rm -f "$WORK/copy.qcow2"

    # (b) pull: NBD export, one read pass, abort
    start=$(now)
    virsh -q backup-begin "$DOM" "$WORK/pull.xml" > /dev/null
    consume "$NBD"
    mib "$WORK/scratch.qcow2" >> "$WORK/pull_tmp"
    if [ "$run" = 1 ]; then nbdinfo --map "$NBD" > "$WORK/map"; fi
    virsh -q domjobabort "$DOM" > /dev/null
    until [ "$(job_type)" = None ]; do sleep 0.02; done
    elapsed "$start" >> "$WORK/pull"
    virsh domjobinfo "$DOM" --completed > /dev/null 2>&1 || true

    # (c) external snapshot: overlay, one read pass of the frozen base, block commit with pivot
    rm -f "$WORK/overlay.qcow2"
    start=$(now)
    virsh -q snapshot-create-as "$DOM" --disk-only --atomic --no-metadata --diskspec "vda,file=$WORK/overlay.qcow2" > /dev/null
    read_start=$(now)
    read_qcow2 "$WORK/disk.qcow2"
    read_end=$(now)
    mib "$WORK/overlay.qcow2" >> "$WORK/snap_tmp"
    virsh -q blockcommit "$DOM" vda --active --pivot --wait > /dev/null
    elapsed "$start" >> "$WORK/snap"
    echo "$read_end - $read_start" | bc >> "$WORK/snap_read"
    elapsed "$read_end" >> "$WORK/snap_commit"
    [ "$(virsh domblklist "$DOM" | awk '$1 == "vda" {print $2}')" = "$WORK/disk.qcow2" ] || { echo "bench-backup-paths: guest not back on its base image" >&2; exit 1; }
    rm -f "$WORK/overlay.qcow2"
    printf "run %s: push %.2f s, pull %.2f s, snapshot %.2f s\n" "$run" "$(tail -1 "$WORK/push")" "$(tail -1 "$WORK/pull")" "$(tail -1 "$WORK/snap")"
done

push=$(median < "$WORK/push"); pull=$(median < "$WORK/pull"); snap=$(median < "$WORK/snap")
rate() { echo "scale=0; $DISK_MIB / $1" | bc; }
ratio() { echo "scale=2; $1 / $snap" | bc; }
echo
echo "Load after:  $(uptime)"
echo "median of $RUNS runs, 1 GiB disk (724 MiB data, 300 MiB unallocated), guest type $TYPE, consumer: nbdcopy - | zstd -T0 -3 > /dev/null"
printf '%-34s %8s %8s %12s %10s  %s\n' path "wall s" "MiB/s" "ratio to c" "temp MiB" detail
printf '%-34s %8s %8s %12s %10s  %s\n' "(a) push: copy, then read copy" "$push" "$(rate "$push")" "$(ratio "$push")" "$(median < "$WORK/push_tmp")" \
    "copy $(median < "$WORK/push_copy") s + read $(median < "$WORK/push_read") s"
printf '%-34s %8s %8s %12s %10s  %s\n' "(b) pull: NBD export, read, abort" "$pull" "$(rate "$pull")" "$(ratio "$pull")" "$(median < "$WORK/pull_tmp")" "scratch file"
printf '%-34s %8s %8s %12s %10s  %s\n' "(c) snapshot: read base, commit" "$snap" "$(rate "$snap")" "1.00" "$(median < "$WORK/snap_tmp")" \
    "read $(median < "$WORK/snap_read") s + commit $(median < "$WORK/snap_commit") s"
echo
echo "nbdinfo --map of the pull-mode export (run 1):"
sed 's/^/  /' "$WORK/map"
