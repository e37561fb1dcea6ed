#!/usr/bin/env bash
# Prints the file-transfer figures, each with its baseline measured in the same run, inside the
# test network namespace: a file (1 GiB by default) sent between two file services through the
# data-channel bridge against raw data-channel throughput, and through the encrypted direct path
# (what the product uses on a local network) and Bt over plain direct TCP against a plain TCP
# copy, with the CPU used. Runs FilesBenchmark (bundles/org.p2pchat.files.bt.tests) in the OSGi
# test runtime, so the real transport and file services are measured. Builds what it needs first.
#
#   releng/benchmarks/files.sh [MIB=1024]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" iproute2 util-linux
mib=${1:-1024}
modules=bundles/org.p2pchat.core,bundles/org.p2pchat.testing,bundles/org.p2pchat.transport.webrtc,bundles/org.p2pchat.files.bt
./mvnw -B -ntp -q install -DskipTests -pl "$modules"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -Dtest names the benchmark (it matches no test pattern, so test runs never start it).
if ! releng/scripts/testnet.sh ./mvnw -B -ntp -o verify -pl bundles/org.p2pchat.files.bt.tests \
    -Dtest=FilesBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    "-Dp2pchat.test.vmargs=-Xmx1g -Djava.awt.headless=true -Dp2pchat.benchmark.mib=$mib ${P2PCHAT_BENCH_VMARGS:-}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "files.sh: the benchmark failed (output above)" >&2
  exit 1
fi
grep '^files-bench: ' "$log" | sed 's/^files-bench: //'
