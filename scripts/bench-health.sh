#!/bin/sh
# Benchmarks of the health task (issue 4), on the machine that scripts/setup-testbed.sh prepared:
#   1. time from kill -9 of a real guest's QEMU to the guest running again (median, p95 over CRASHES crashes)
#   2. wall time of a full health run on this host (real /proc, /sys, /etc and qemu:///system)
#   3. health, metrics and a recovery sweep over GUESTS guests on libvirt's test driver, with per-guest cost
# Usage: scripts/bench-health.sh [CRASHES] [RUNS] [GUESTS]   (defaults 20, 10, 500)
set -eu
cd "$(dirname "$0")/.."
CRASHES=${1:-20}
RUNS=${2:-10}
GUESTS=${3:-500}

mvn -B -q -ntp install -pl engine/spi,engine/testing -DskipTests
mvn -B -q -ntp test-compile -pl tasks-health
mvn -B -q -ntp dependency:build-classpath -pl tasks-health -Dmdep.outputFile=target/bench-classpath.txt
CP="tasks-health/target/classes:tasks-health/target/test-classes:$(cat tasks-health/target/bench-classpath.txt)"
run() { java -cp "$CP" io.hyperops.task.health.HealthBenchmark "$@" 2>&1 | grep -v '^SLF4J\|^libvirt: '; }

run recovery "$CRASHES"
run health "$RUNS"
run scale 50
run scale "$GUESTS"
