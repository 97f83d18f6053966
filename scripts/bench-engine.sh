#!/usr/bin/env bash
# Measures the daemon's start (JVM launch to "Scheduler ready") and its idle resident memory with
# every task module loaded, from the assembled tree. Aims (issue 2): <= 1.5 s and <= 120 MiB.
#
#   scripts/bench-engine.sh [RUNS]     default 5 runs; prints medians and each run
#
# Needs a build (mvn -B package -DskipTests). Uses libvirt's test:///default driver so no daemon is
# needed; the figures are about the engine, not libvirt.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-5}
# No match must reach the "build first" message below, not end the script silently (pipefail).
home=$(ls -d dist/target/hyperops-*-bin/hyperops-* 2>/dev/null | head -n 1) || true
[ -x "$home/bin/hyperops" ] || { echo "bench-engine: build first: mvn -B package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A socket of its own: the default /run/hyperops/control.sock needs root and may be a real daemon's.
cat > "$work/hyperops.json" <<JSON
{ "engine": { "libvirt_uri": "test:///default", "data_dir": "$work/data", "control_socket": "$work/control.sock" } }
JSON

ready_ms=()
wall_ms=()
rss_kib=()
for run in $(seq "$runs"); do
    log="$work/daemon-$run.log"
    start=$(date +%s%N)
    "$home/bin/hyperops" daemon --config "$work/hyperops.json" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        grep -q "Scheduler ready in" "$log" && break
        sleep 0.01
    done
    end=$(date +%s%N)
    grep -q "Scheduler ready in" "$log" || { cat "$log" >&2; kill "$pid"; exit 1; }
    ready_ms+=("$(grep -o 'Scheduler ready in [0-9]*' "$log" | grep -o '[0-9]*$')")
    wall_ms+=("$(( (end - start) / 1000000 ))")
    # Idle: give class loading and the first GC time to settle, as a daemon between jobs would be.
    sleep 10
    rss_kib+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")")
    kill -TERM "$pid"
    wait "$pid" || true
done

median()
{
    printf '%s\n' "$@" | sort -n | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'
}

echo "runs: $runs (java: $(java -version 2>&1 | head -n 1))"
echo "start, JVM start to scheduler ready (engine's own measure), ms: ${ready_ms[*]} -> median $(median "${ready_ms[@]}")"
echo "start, launcher exec to ready line seen (wall), ms:            ${wall_ms[*]} -> median $(median "${wall_ms[@]}")"
rss_mib=()
for value in "${rss_kib[@]}"; do rss_mib+=("$(( value / 1024 ))"); done
echo "idle RSS after 10 s, MiB:                                      ${rss_mib[*]} -> median $(median "${rss_mib[@]}")"
