#!/usr/bin/env bash
# First run of hyperops on a fresh Debian 12 machine: installs Java, Maven and the libvirt client
# library, builds hyperops, and runs the metrics job against libvirt's built-in test driver
# (test:///default, no daemon needed) with all state in ./.hyperops-local. Needs root for apt-get.
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
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "quickstart: building (tests skipped; scripts/test.sh runs them)"
mvn -B -q -ntp package -DskipTests

version=$(mvn -B -q -ntp help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo 0.1.0-SNAPSHOT)
home="dist/target/hyperops-$version-bin/hyperops-$version"
local_dir="$PWD/.hyperops-local"
mkdir -p "$local_dir"
cat > "$local_dir/hyperops.json" <<JSON
// Local first-run config: libvirt's built-in test driver and a state folder beside the checkout.
{
  "engine": { "libvirt_uri": "test:///default", "data_dir": "$local_dir/data" }
}
JSON

"$home/bin/hyperops" config check --config "$local_dir/hyperops.json" "$local_dir/hyperops.json"
"$home/bin/hyperops" run-job metrics --config "$local_dir/hyperops.json"
latest=$(ls -1 "$local_dir"/data/metrics-*.json | tail -n 1)
echo "quickstart: $latest"
jq . "$latest"
"$home/bin/hyperops" jobs --config "$local_dir/hyperops.json"
echo "quickstart: done. The launcher is $home/bin/hyperops; try '$home/bin/hyperops --help'."
