#!/bin/sh
# Benchmark of the backup archive pipeline (issue 5), both sides in the same run, reported as ratios:
#   1. a 1 GiB disk of mixed content (40 % random, 30 % zeros, 30 % text) as qcow2, archived by hyperops
#      (read extents, zstd -3 on all CPUs, OpenPGP AES-256 with MDC, fsync, rename)
#      against `zstd -T0 -3 < disk.raw | gpg -z 0 -e -r KEY` on the same content (raw, its best case), and
#      against the same pipe ending in `dd oflag=direct`, which writes its file past the page cache as hyperops does
#      from a fresh JVM (as `hyperops backup run --local`), in a JVM that has run it before (as the daemon)
#      and as the daemon's first backup: in a JVM that ran only the daemon's warm-up (BackupWarmup)
#   2. the same 1 GiB of data in a 20 GiB virtual disk, against case 1 (sparse reading)
#   3. hyperops verify (decrypt, decompress, checksums) of the archives from cases 1 and 2: read-back throughput
#   4. hyperops verify of case 1 with the qemu-img check of a scratch qcow2 restore (verify_qemu_img_check), against plain verify
#   5. hyperops restore of case 1's archive into a sparse raw file (decrypt, decompress, write, checksum; the
#      qcow2 conversion a qcow2 original adds is left out) against `gpg -d | zstd -d | tar -x` of the same archive
#   6. with SEED=1, the seed's pipeline (gzip the disk, then tar czf | gpg -e) against zstd | gpg
# Peak RSS of each hyperops run comes from /usr/bin/time when it is installed; the JVM runs with the
# launcher's options (-Xmx256m, serial GC, heap free ratios 20 to 40 %).
# Usage: scripts/bench-backup.sh [RUNS]   (default 3; the median of RUNS is reported)
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
WORK=$(mktemp -d /tmp/hbk-bench-XXXXXX)
export GNUPGHOME="$WORK/gnupg"
cleanup() { gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

# The installable tree's jars (unsigned Bouncy Castle included) and the launcher's JVM options for
# in-process commands (dist/src/main/bin/hyperops): native libraries from lib/native and the backup
# commands' CDS archive, built by bin/hyperops-cds as postinst builds it, so what is timed is what
# `hyperops backup` runs. The benchmark's class goes in a jar after lib/*: CDS takes no directories.
mvn -B -q -ntp package -pl dist -am -DskipTests
HOME_TREE=$(readlink -f dist/target/hyperops-*-bin/hyperops-*)
sh "$HOME_TREE/bin/hyperops-cds" >/dev/null
(cd tasks-backup/target/test-classes && jar cf "$WORK/bench.jar" io/hyperops/task/backup/BackupBenchmark*.class)
(cd engine/testing/target/classes && jar uf "$WORK/bench.jar" io/hyperops/testing/TestingSettings.class)
CP="$HOME_TREE/lib/*:$WORK/bench.jar"
CDS="-XX:SharedArchiveFile=$HOME_TREE/lib/hyperops-full.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
TIME=""
CPU=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f rss_kb=%M" && CPU="/usr/bin/time -f %U_%S -o $WORK/cpu.now"
NATIVE="$HOME_TREE/lib/native/$(uname -m)"
NATIVE_OPTS="-Djna.boot.library.path=$NATIVE -Djna.nounpack=true -DZstdNativePath=$(ls "$NATIVE"/libzstd-jni-*.so)"
hyperops() { $TIME java -XX:+UseSerialGC -Xms16m -Xmx256m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:-ShrinkHeapInSteps -XX:MaxMetaspaceSize=128m -Xss512k $CDS $NATIVE_OPTS -cp "$CP" io.hyperops.task.backup.BackupBenchmark "$@" 2>&1 | grep -v '^SLF4J'; }
now() { date +%s.%N; }
# Every case starts from the same machine state: no dirty pages left by the case before. Without it, the
# kernel's writeback of the previous case's output (hundreds of MiB) ran into the next one: in session 9
# the archive right after the three-round case spent 1.7 s of system time instead of 0.5 and took 2.1 s
# instead of 1.5 (docs/benchmarks.md). Both sides get it; each case still syncs its own output.
settle() { sync; sleep 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "Preparing 1 GiB of mixed content and a throwaway OpenPGP key in $WORK"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'bench <bench@hyperops.invalid>' future-default default never 2>/dev/null
gpg --armor --export bench@hyperops.invalid > "$WORK/public.asc"
gpg --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys bench@hyperops.invalid > "$WORK/secret.asc"
: > "$WORK/passphrase"
head -c 410M /dev/urandom > "$WORK/disk.raw"
head -c 307M /dev/zero >> "$WORK/disk.raw"
seq 1 200000000 | head -c 307M >> "$WORK/disk.raw"
qemu-img convert -O qcow2 "$WORK/disk.raw" "$WORK/disk.qcow2"
cp "$WORK/disk.qcow2" "$WORK/big.qcow2"
qemu-img resize -q "$WORK/big.qcow2" 20G

: > "$WORK/theirsdirect"; : > "$WORK/warm"; : > "$WORK/warmcpu"; : > "$WORK/theirscpu"; : > "$WORK/warmedup"; : > "$WORK/ours"; : > "$WORK/theirs"; : > "$WORK/big"; : > "$WORK/verify"; : > "$WORK/bigverify"; : > "$WORK/checkverify"; : > "$WORK/restore"; : > "$WORK/stockrestore"
for run in $(seq "$RUNS"); do
    rm -f "$WORK"/*.gpg
    settle
    # under /usr/bin/time when there is one, for the CPU seconds of both processes (the shell waits for them)
    start=$(now); $CPU sh -c 'zstd -q -T0 -3 < "$1/disk.raw" | gpg --batch -z 0 --trust-model always -e -r bench@hyperops.invalid > "$1/theirs.zst.gpg"' sh "$WORK"
    sync "$WORK/theirs.zst.gpg"; echo "$(now) - $start" | bc >> "$WORK/theirs"
    [ -s "$WORK/cpu.now" ] && awk -F_ '{print $1 + $2}' "$WORK/cpu.now" >> "$WORK/theirscpu"
    # the same pipe with its file written past the page cache, as hyperops writes archives (DirectFileOutput):
    # shows what of the ratio is the I/O path and what the pipeline
    rm -f "$WORK/theirs-direct.zst.gpg"
    settle
    start=$(now); sh -c 'zstd -q -T0 -3 < "$1/disk.raw" | gpg --batch -z 0 --trust-model always -e -r bench@hyperops.invalid | dd of="$1/theirs-direct.zst.gpg" bs=1M iflag=fullblock oflag=direct status=none' sh "$WORK"
    sync "$WORK/theirs-direct.zst.gpg"; echo "$(now) - $start" | bc >> "$WORK/theirsdirect"
    settle
    start=$(now); hyperops archive "$WORK/disk.qcow2" "$WORK/ours.tar.zst.gpg" "$WORK/public.asc" | tee "$WORK/archive.log"; echo "$(now) - $start" | bc >> "$WORK/ours"
    # three rounds in one JVM: the second and third are what a backup in the running daemon costs
    settle
    hyperops archive "$WORK/disk.qcow2" "$WORK/warm.tar.zst.gpg" "$WORK/public.asc" 3 | tee "$WORK/warm.log"
    sed -n 's/^hyperops archive (warm): \([0-9.]*\) s.*/\1/p' "$WORK/warm.log" >> "$WORK/warm"
    sed -n 's/^hyperops archive (warm): .*, cpu \([0-9.]*\) s$/\1/p' "$WORK/warm.log" >> "$WORK/warmcpu"
    # the daemon's first backup: its warm-up ran, nothing else (timed from after the warm-up)
    settle
    hyperops archive-warmed "$WORK/disk.qcow2" "$WORK/warmedup.tar.zst.gpg" "$WORK/public.asc" | tee "$WORK/warmedup.log"
    sed -n 's/^hyperops archive (after .*): \([0-9.]*\) s.*/\1/p' "$WORK/warmedup.log" >> "$WORK/warmedup"
    rm -f "$WORK/warmedup.tar.zst.gpg"
    settle
    start=$(now); hyperops archive "$WORK/big.qcow2" "$WORK/big.tar.zst.gpg" "$WORK/public.asc" | tee "$WORK/big.log"; echo "$(now) - $start" | bc >> "$WORK/big"
    sha=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' "$WORK/archive.log")
    settle
    start=$(now); hyperops verify "$WORK/ours.tar.zst.gpg" "$WORK/secret.asc" "$WORK/passphrase" "$sha"; echo "$(now) - $start" | bc >> "$WORK/verify"
    settle
    start=$(now); hyperops verify "$WORK/ours.tar.zst.gpg" "$WORK/secret.asc" "$WORK/passphrase" "$sha" "$WORK/scratch"; echo "$(now) - $start" | bc >> "$WORK/checkverify"
    rm -rf "$WORK/restored.raw" "$WORK/untar"; mkdir "$WORK/untar"
    settle
    start=$(now); hyperops restore "$WORK/ours.tar.zst.gpg" "$WORK/secret.asc" "$WORK/passphrase" "$sha" "$WORK/restored.raw"; echo "$(now) - $start" | bc >> "$WORK/restore"
    settle
    start=$(now); gpg --batch --quiet --pinentry-mode loopback --passphrase '' -d "$WORK/ours.tar.zst.gpg" | zstd -q -d | tar -x -C "$WORK/untar"
    sync "$WORK/untar/disks/vda.raw"; echo "$(now) - $start" | bc >> "$WORK/stockrestore"
    cmp "$WORK/restored.raw" "$WORK/disk.raw"; cmp "$WORK/untar/disks/vda.raw" "$WORK/disk.raw"
    sha=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' "$WORK/big.log")
    settle
    start=$(now); hyperops verify "$WORK/big.tar.zst.gpg" "$WORK/secret.asc" "$WORK/passphrase" "$sha"; echo "$(now) - $start" | bc >> "$WORK/bigverify"
done
warm=$(median < "$WORK/warm"); warmedup=$(median < "$WORK/warmedup"); ours=$(median < "$WORK/ours"); theirs=$(median < "$WORK/theirs"); big=$(median < "$WORK/big"); verify=$(median < "$WORK/verify"); bigverify=$(median < "$WORK/bigverify")
checkverify=$(median < "$WORK/checkverify"); restore=$(median < "$WORK/restore"); untar=$(median < "$WORK/stockrestore")
echo
echo "median of $RUNS runs (wall seconds, JVM start included for hyperops):"
echo "  zstd -T0 -3 | gpg -z 0 -e      $theirs s, $(stat -c %s "$WORK/theirs.zst.gpg") bytes"
theirsdirect=$(median < "$WORK/theirsdirect")
echo "  the same | dd oflag=direct     $theirsdirect s (the file past the page cache, as hyperops writes it)   hyperops fresh to it: $(echo "scale=2; $ours / $theirsdirect" | bc), warm: $(echo "scale=2; $warm / $theirsdirect" | bc)"
echo "  hyperops archive, 1 GiB disk   $ours s, $(stat -c %s "$WORK/ours.tar.zst.gpg") bytes   ratio to zstd|gpg: $(echo "scale=2; $ours / $theirs" | bc) (aim 0.8 or less)"
echo "  hyperops archive, warm JVM     $warm s (as in the daemon: no JVM start, JIT done)   ratio to zstd|gpg: $(echo "scale=2; $warm / $theirs" | bc)"
if [ -s "$WORK/theirscpu" ] && [ -s "$WORK/warmcpu" ]; then
    theirscpu=$(median < "$WORK/theirscpu"); warmcpu=$(median < "$WORK/warmcpu")
    echo "  CPU seconds (all threads; steadier than wall time on a shared machine): zstd|gpg $theirscpu, hyperops warm $warmcpu   ratio: $(echo "scale=2; $warmcpu / $theirscpu" | bc)"
fi
echo "  hyperops archive, warmed up   $warmedup s (the daemon's first backup, after its warm-up)   ratio to zstd|gpg: $(echo "scale=2; $warmedup / $theirs" | bc)"
echo "  hyperops archive, 20 GiB disk  $big s, $(stat -c %s "$WORK/big.tar.zst.gpg") bytes   ratio to the 1 GiB disk: $(echo "scale=2; $big / $ours" | bc) (aim 1.2 or less)"
echo "  hyperops verify (read back)    $verify s   $(echo "scale=0; 1024 / $verify" | bc) MiB/s of disk content"
echo "  hyperops verify, 20 GiB disk   $bigverify s   ratio to the 1 GiB verify: $(echo "scale=2; $bigverify / $verify" | bc)"
echo "  hyperops verify + qemu-img check  $checkverify s   ratio to the plain verify: $(echo "scale=2; $checkverify / $verify" | bc)"
echo "  hyperops restore to a raw file    $restore s   $(echo "scale=0; 1024 / $restore" | bc) MiB/s of disk content"
echo "  gpg -d | zstd -d | tar -x         $untar s   $(echo "scale=0; 1024 / $untar" | bc) MiB/s   hyperops restore ratio to it: $(echo "scale=2; $restore / $untar" | bc)"

if [ "${SEED:-0}" = 1 ]; then
    start=$(now)
    gzip -c "$WORK/disk.raw" > "$WORK/disk.raw.gz"
    tar -C "$WORK" -czf - disk.raw.gz | gpg --batch --trust-model always -e -r bench@hyperops.invalid > "$WORK/seed.tar.gz.gpg"
    seed=$(echo "$(now) - $start" | bc)
    echo "  seed pipeline (gzip; tar czf | gpg -e)  $seed s   ratio to zstd|gpg: $(echo "scale=1; $seed / $theirs" | bc)"
fi
