#!/usr/bin/env bash
# Prints requests/s and latency (p50, p99) of the rendezvous service's routes, legacy and
# authenticated (/v1: Ed25519-signed, and under a session's HMAC; a signed registration with a
# sessionKey is the cost of a new registration), measured with wrk -t2 -c50 on 127.0.0.1, the
# server's heap with 100,000 registered peers per API and with thousands of waiting fetches (live
# heap and resident memory per waiting fetch), and its resident memory after the runs and after a
# minute idle. GET /v1/peers is measured as pages of 200 (the first one, and one from the middle of
# the directory through after=); the legacy GET /peers answers its capped list (legacyPeerListMax).
# The server runs alone in a plain JVM with the relay product's jars (the service's bundles and what
# they need) on the class path and the JVM memory options of the product's start script. Builds the
# product if it is missing. Everything stays on loopback.
#
#   releng/benchmarks/rendezvous.sh [SECONDS=10] [PEERS=100000] [WAITING_FETCHES=10000]
#
# P2PCHAT_BENCH_BASELINE=DIR  a relay product to measure first in the same run, as a baseline (e.g.
#                             one built from an older commit); it runs with the JVM options of its
#                             own start script as far as memory goes: P2PCHAT_BENCH_BASELINE_JVM
#                             (default none, as the start script before the heap bound).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
command -v wrk >/dev/null || p2pchat_die "the benchmark needs wrk: apt-get install wrk"
product=releng/org.p2pchat.repository/target/products/org.p2pchat.relay.product/linux/gtk/x86_64
if [ ! -x "$product/p2pchat-relay" ]; then
  ./mvnw -B -ntp -q install -DskipTests
fi
# The memory options the start script (features/org.p2pchat.relay.feature/rootfiles/p2pchat-relay)
# runs the relay with, at its default heap.
relay_jvm="-Xmx512m -Xms32m -XX:+UseG1GC -XX:G1PeriodicGCInterval=60000 -XX:+ExitOnOutOfMemoryError -Xss512k"
relay_jvm+=" -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m"
relay_jvm+=" -Djava.util.logging.config.file=$root/$product/logging.properties"

# The server's class path from a relay product: the service's bundles and the libraries they use.
server_class_path() {
  local plugins=$1/plugins jars=() pattern
  shopt -s nullglob
  for pattern in org.p2pchat.core_ org.p2pchat.rendezvous_ org.p2pchat.rendezvous.auth_ com.google.gson_ bcprov_ org.eclipse.jetty. slf4j.; do
    jars+=("$plugins"/$pattern*.jar)
  done
  shopt -u nullglob
  [ ${#jars[@]} -ge 4 ] || p2pchat_die "$1 is not a relay product (no plugins/org.p2pchat.rendezvous_*.jar)"
  local IFS=:
  echo "${jars[*]}"
}

fronts=()
if [ -n "${P2PCHAT_BENCH_BASELINE:-}" ]; then
  fronts+=(old "$(server_class_path "$P2PCHAT_BENCH_BASELINE")" "${P2PCHAT_BENCH_BASELINE_JVM:-}")
fi
fronts+=(new "$(server_class_path "$root/$product")" "$relay_jvm")
core=$(ls "$root/$product"/plugins/org.p2pchat.core_*.jar):$(ls "$root/$product"/plugins/org.p2pchat.rendezvous.auth_*.jar)
# Each waiting fetch holds a connection on both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "$JAVA_HOME/bin/java" -cp "$core" releng/benchmarks/RendezvousBenchmark.java \
  "$JAVA_HOME/bin/java" "$root/releng/benchmarks" "$(command -v wrk)" \
  "${1:-10}" "${2:-100000}" "${3:-10000}" "${fronts[@]}"
