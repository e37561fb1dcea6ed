#!/usr/bin/env bash
# Prints the connect time of the client layer's two ICE strategies, measured in the same run:
# "staged" (STUN first, TURN added by an ICE restart after a timeout or on failure, as the original
# web app) against "all" (every STUN/TURN server from the start), median of 5 each, in four
# scenarios: a direct path works, only a relay gets through (direct paths dropped on the test
# network), and both again with a dead TURN server listed first. Two real clients in the OSGi test
# runtime, a real coturn on 192.0.2.1, inside the test network namespace (releng/scripts/testnet.sh).
# Runs IceStrategyBenchmark (bundles/org.p2pchat.client.core.tests). Builds what it needs first.
#
#   releng/benchmarks/ice-strategy.sh [RUNS=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" iproute2 util-linux coturn
runs=${1:-5}
repo=()
[ -n "${P2PCHAT_M2:-}" ] && repo=("-Dmaven.repo.local=$P2PCHAT_M2")
modules=bundles/org.p2pchat.core,bundles/org.p2pchat.testing,bundles/org.p2pchat.testing.provider,bundles/org.p2pchat.transport.webrtc,bundles/org.p2pchat.history,bundles/org.p2pchat.client.core
./mvnw -B -ntp -q "${repo[@]}" install -DskipTests -pl "$modules"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -Dtest names the benchmark (it matches no test pattern, so test runs never start it).
if ! releng/scripts/testnet.sh ./mvnw -B -ntp -o "${repo[@]}" verify -pl bundles/org.p2pchat.client.core.tests \
    -Dtest=IceStrategyBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    "-Dp2pchat.test.vmargs=-Xmx1g -Djava.awt.headless=true -Dp2pchat.benchmark.runs=$runs ${P2PCHAT_BENCH_VMARGS:-}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "ice-strategy.sh: the benchmark failed (output above)" >&2
  exit 1
fi
grep '^ice-bench' "$log" | sed 's/^ice-bench: //'
