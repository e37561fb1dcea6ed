#!/usr/bin/env bash
# Runs a command inside a network namespace made for it: loopback plus a veth pair
# "p2ptest0"/"p2ptest1" carrying 192.0.2.1/24 and 192.0.2.2/24 (TEST-NET-1, which exists only
# in here; a veth pair because the kernel may lack the dummy driver). Nothing inside can
# reach the machine's interfaces or any other network, so WebRTC host candidates, STUN and
# every test connection stay in the namespace. The namespace ends with the command.
#
#   releng/scripts/testnet.sh CMD [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

if [ "${P2PCHAT_TESTNET:-}" = "1" ]; then
  exec "$@"   # already inside one
fi
command -v unshare >/dev/null && command -v ip >/dev/null || {
  echo "testnet.sh: needs 'unshare' (util-linux) and 'ip' (iproute2)" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then ns=(unshare --net); else ns=(unshare --net --map-root-user); fi
exec "${ns[@]}" -- env P2PCHAT_TESTNET=1 bash -c '
  set -e
  ip link set lo up
  ip link add p2ptest0 type veth peer name p2ptest1
  ip addr add 192.0.2.1/24 dev p2ptest0
  ip addr add 192.0.2.2/24 dev p2ptest1
  ip link set p2ptest0 up
  ip link set p2ptest1 up
  exec "$@"' testnet "$@"
