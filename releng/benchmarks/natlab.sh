#!/usr/bin/env bash
# Prints the NAT lab figures: connect time per topology (same LAN, cone NATs, symmetric NATs, a NAT
# dropping UDP; median of RUNS, through the relay product as rendezvous), file throughput through
# TURN against the direct path in the same run, and coturn's CPU per relayed MB/s. Command-line
# clients of the product in the lab's namespaces (releng/scripts/natlab.sh), inside the test
# network namespace; needs root. Builds the products first if they are missing. Run on demand.
#
#   releng/benchmarks/natlab.sh [RUNS=5] [MIB=32] [TOPOLOGY,...]   (default: lan,cone,symmetric,udp-blocked)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" iproute2 util-linux iptables nftables coturn
if [ ! -x "$P2PCHAT_PRODUCT_DIR/p2pchat" ] || [ ! -x "$P2PCHAT_RELAY_PRODUCT_DIR/p2pchat-relay" ] \
    || [ ! -f bundles/org.p2pchat.testing/target/classes/org/p2pchat/testing/NatLab.class ]; then
  ./mvnw -B -ntp -q verify -DskipTests
fi
repo=${P2PCHAT_M2:-$HOME/.m2/repository}
gson=$(ls "$repo"/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar)
exec releng/scripts/testnet.sh "$JAVA_HOME/bin/java" -cp "bundles/org.p2pchat.testing/target/classes:$gson" \
  releng/benchmarks/NatLabBenchmark.java "$root/releng/scripts/natlab.sh" "$root/$P2PCHAT_PRODUCT_DIR" \
  "$root/$P2PCHAT_RELAY_PRODUCT_DIR" "${1:-5}" "${2:-32}" ${3:+"$3"}
