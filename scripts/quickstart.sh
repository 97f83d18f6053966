#!/usr/bin/env bash
# First run of hyperops on a fresh Debian 12 machine: installs Java, Maven and the libvirt client
# library, builds hyperops, runs the health and metrics jobs against libvirt's built-in test driver
# (test:///default, no daemon needed) with all state in ./.hyperops-local, and the backup self-test.
# Needs root for apt-get. scripts/test.sh runs it after the suite.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(openjdk-17-jdk-headless maven libvirt0 jq)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "quickstart: installing ${missing[*]}"
    # Through env: sudo drops variables set before it, and apt-get would then ask its questions.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "quickstart: building (tests skipped; scripts/test.sh runs them)"
mvn -B -q -ntp package -DskipTests

# The tree the build just assembled. (Asking Maven for the version printed colour codes around it
# with TERM=xterm, even in batch mode, and the path missed.)
home=$(ls -d dist/target/hyperops-*-bin/hyperops-* | head -n 1)
local_dir="$PWD/.hyperops-local"
mkdir -p "$local_dir"
cat > "$local_dir/hyperops.json" <<JSON
// Local first-run config: libvirt's built-in test driver, a state folder and a control socket beside
// the checkout, so nothing here talks to a hyperops daemon installed on this machine.
{
  "engine": { "libvirt_uri": "test:///default", "data_dir": "$local_dir/data", "control_socket": "$local_dir/control.sock" }
}
JSON

"$home/bin/hyperops" config check --config "$local_dir/hyperops.json" "$local_dir/hyperops.json"
# health ends as its worst check: on a container or a machine without KVM some checks warn (exit 1)
# or fail (exit 2). That is its verdict on this host, not a broken run, so the quickstart goes on.
health_exit=0
"$home/bin/hyperops" run-job health --local --config "$local_dir/hyperops.json" || health_exit=$?
case $health_exit in
    0) echo "quickstart: health: success" ;;
    1) echo "quickstart: health: warning (exit 1); the checks below say which and how to fix them" ;;
    2) echo "quickstart: health: failed (exit 2), usual on a container or a machine without KVM; see the checks below" ;;
    *) echo "quickstart: health did not run to an outcome (exit $health_exit); see the messages above" >&2; exit "$health_exit" ;;
esac
echo "quickstart: $local_dir/data/health-status.json"
jq . "$local_dir/data/health-status.json"

"$home/bin/hyperops" run-job metrics --local --config "$local_dir/hyperops.json"
latest=$(ls -1 "$local_dir"/data/metrics-*.json | tail -n 1)
echo "quickstart: $latest"
jq . "$latest"
# The backup pipeline on this host: a generated disk archived (zstd, OpenPGP to a throwaway key), read
# back, restored and compared; test:///default has no disk files to back up.
"$home/bin/hyperops" backup selftest --size 64 --config "$local_dir/hyperops.json"
"$home/bin/hyperops" jobs --config "$local_dir/hyperops.json"
echo "quickstart: done. The launcher is $home/bin/hyperops; try '$home/bin/hyperops --help'."
