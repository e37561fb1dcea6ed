#!/usr/bin/env bash
# Prints requests/s and latency (p50, p99) of the rendezvous service's routes, legacy and
# authenticated (/v1: Ed25519-signed, and under a session's HMAC; a signed registration with a
# sessionKey is the cost of a new registration), measured with wrk -t2 -c50 on 127.0.0.1, and the
# server's heap with 100,000 registered peers per API and with thousands of waiting fetches.
# GET /v1/peers is measured as pages of 200 (the first one, and one from the middle of the
# directory through after=); the legacy GET /peers answers its capped list (legacyPeerListMax).
# The server runs alone in a plain JVM (the bundle jars and Gson on the class path). Builds the two
# bundles if their jars are missing. Everything stays on loopback.
#
#   releng/benchmarks/rendezvous.sh [SECONDS=10] [PEERS=100000] [WAITING_FETCHES=5000]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
command -v wrk >/dev/null || p2pchat_die "the benchmark needs wrk: apt-get install wrk"
core=bundles/org.p2pchat.core/target/org.p2pchat.core-0.1.0-SNAPSHOT.jar
rendezvous=bundles/org.p2pchat.rendezvous/target/org.p2pchat.rendezvous-0.1.0-SNAPSHOT.jar
if [ ! -f "$core" ] || [ ! -f "$rendezvous" ]; then
  ./mvnw -B -ntp -q install -DskipTests -pl bundles/org.p2pchat.core,bundles/org.p2pchat.rendezvous
fi
gson=$(ls "$HOME"/.m2/repository/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar)
bcprov=$(ls "$HOME"/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.83/bcprov-jdk18on-1.83.jar)
# Each waiting fetch holds a connection on both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "$JAVA_HOME/bin/java" -cp "$core" releng/benchmarks/RendezvousBenchmark.java \
  "$JAVA_HOME/bin/java" "$root/$core:$root/$rendezvous:$gson:$bcprov" "$root/releng/benchmarks" "$(command -v wrk)" \
  "${1:-10}" "${2:-100000}" "${3:-5000}"
