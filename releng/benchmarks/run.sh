#!/usr/bin/env bash
# Prints the manual-exchange benchmark figures (set-up time, round trip, throughput) for two
# command-line clients of the product, with a plain TCP baseline from the same run, inside the
# test network namespace. Builds the product first if it is missing.
#
#   releng/benchmarks/run.sh [CONNECTIONS=7] [MIB=1024]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" iproute2 util-linux
if [ ! -x "$P2PCHAT_PRODUCT_DIR/p2pchat" ] || [ ! -d bundles/org.p2pchat.testing/target/classes ]; then
  ./mvnw -B -ntp -q verify -DskipTests
fi
gson=$(ls "$HOME"/.m2/repository/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar)
exec releng/scripts/testnet.sh "$JAVA_HOME/bin/java" -cp "bundles/org.p2pchat.testing/target/classes:$gson" \
  releng/benchmarks/ManualExchangeBenchmark.java "$root/$P2PCHAT_PRODUCT_DIR" "${1:-7}" "${2:-1024}"
