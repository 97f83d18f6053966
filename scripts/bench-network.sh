#!/bin/sh
# Benchmarks of the network task (issue 7), in network namespaces the benchmark creates and deletes
# (hyperops-net-<random>-a/-b; needs root and iproute2, ping from iputils-ping):
#   1. discovery: reading 11 interfaces (ip -json link/address/route and /sys/class/net), as 'network list' does
#   2. keep: apply a jumbo bridge over a veth until the don't-fragment probes keep it
#   3. revert: from the deadline of a change that cuts the peer off until the peer answers again
# Usage: scripts/bench-network.sh [RUNS]   (default 20)
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-20}

mvn -B -q -ntp install -pl engine/spi,engine/testing -DskipTests
mvn -B -q -ntp test-compile -pl tasks-network
mvn -B -q -ntp dependency:build-classpath -pl tasks-network -Dmdep.outputFile=target/bench-classpath.txt
CP="tasks-network/target/classes:tasks-network/target/test-classes:$(cat tasks-network/target/bench-classpath.txt)"
run() { java -cp "$CP" io.hyperops.task.network.NetworkBenchmark "$@" 2>&1 | grep -v '^SLF4J'; }

run discovery "$RUNS"
run keep "$RUNS"
run revert "$RUNS"
