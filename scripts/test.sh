#!/usr/bin/env bash
# Runs the whole hyperops test suite: fast unit tests and integration tests against the real libvirt
# daemon with real QEMU guests, real gpg and real network namespaces. Installs and starts what those
# tests need first (scripts/setup-testbed.sh), so it works on a fresh Debian 12 machine, as root.
#
#   scripts/test.sh                 everything (what CI runs)
#   scripts/test.sh -pl engine/core extra Maven arguments are passed on
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: run as root (it installs packages and starts libvirtd): sudo scripts/test.sh" >&2
    exit 1
fi

bash scripts/setup-testbed.sh

start=$(date +%s)
mvn -B -ntp verify "$@"
echo "test.sh: whole suite passed in $(( $(date +%s) - start )) s"

# The README's first command, as a newcomer runs it, when the whole suite ran (no arguments). Its
# output goes to a file and is shown only when it fails.
if [ $# -eq 0 ]; then
    log=$(mktemp /tmp/hyperops-quickstart-XXXXXX.log)
    if bash scripts/quickstart.sh > "$log" 2>&1 && grep -q '^quickstart: done' "$log" && grep -q '^backup self-test passed' "$log"; then
        echo "test.sh: scripts/quickstart.sh works (log: $log)"
    else
        cat "$log"
        echo "test.sh: scripts/quickstart.sh failed: the README's first command is broken (log above)" >&2
        exit 1
    fi
fi
