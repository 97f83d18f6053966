#!/usr/bin/env bash
# Measures `hyperops status` round trip (launch, connect to the daemon's socket, answer, exit) with and
# without the class-data-sharing archive, and the daemon's idle RSS, from the assembled tree.
# Aims (daemon issue): status median <= 0.4 s with CDS; idle RSS <= 120 MiB.
#
#   scripts/bench-cli.sh [RUNS]     default 20 runs per variant
#
# Needs a build (mvn -B package -DskipTests); builds the CDS archive in the tree if it is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-20}
# No match must reach the "build first" message below, not end the script silently (pipefail).
home=$(ls -d dist/target/hyperops-*-bin/hyperops-* 2>/dev/null | head -n 1) || true
[ -x "$home/bin/hyperops" ] || { echo "bench-cli: build first: mvn -B package -DskipTests" >&2; exit 1; }
[ -s "$home/lib/hyperops.jsa" ] || "$home/bin/hyperops-cds"

work=$(mktemp -d)
cat > "$work/hyperops.json" <<JSON
{ "engine": { "libvirt_uri": "test:///default", "data_dir": "$work/data", "control_socket": "$work/control.sock" } }
JSON
"$home/bin/hyperops" daemon --config "$work/hyperops.json" >"$work/daemon.log" 2>&1 &
daemon=$!
# errexit holds in the trap too: wait returns the daemon's 143 after SIGTERM, which would end the
# script there with 143 and leave $work behind.
trap 'kill -TERM $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do grep -q "Scheduler ready" "$work/daemon.log" && break; sleep 0.05; done

median()
{
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

p95()
{
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i > NR) i = NR; print v[i] }'
}

measure()
{
    local cds=$1
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        HYPEROPS_CDS=$cds "$home/bin/hyperops" status --config "$work/hyperops.json" >/dev/null
        end=$(date +%s%N)
        times+=("$(( (end - start) / 1000000 ))")
    done
    echo "$(median "${times[@]}") $(p95 "${times[@]}")"
}

read -r with_median with_p95 <<<"$(measure on)"
read -r without_median without_p95 <<<"$(measure off)"
sleep 5
rss=$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$daemon/status") / 1024 ))

echo "runs per variant: $runs (java: $(java -version 2>&1 | head -n 1))"
echo "hyperops status round trip, with CDS:    median ${with_median} ms, p95 ${with_p95} ms"
echo "hyperops status round trip, without CDS: median ${without_median} ms, p95 ${without_p95} ms"
awk -v a="$without_median" -v b="$with_median" 'BEGIN { printf "speed-up of the median with CDS: %.2fx\n", a / b }'
echo "daemon idle RSS (control socket up, after the requests): ${rss} MiB"
