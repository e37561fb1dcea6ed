#!/usr/bin/env bash
# Runs a command inside a network namespace made for it: loopback plus a veth pair
# "p2ptest0"/"p2ptest1" carrying 192.0.2.1/24 and 192.0.2.2/24 (TEST-NET-1, which exists only
# in here; a veth pair because the kernel may lack the dummy driver). Nothing inside can
# reach the machine's interfaces or any other network, so WebRTC host candidates, STUN and
# every test connection stay in the namespace. The namespace ends with the command.
# It also has a mount namespace with a small tmpfs (16 MiB) named by $P2PCHAT_SMALL_FS, where
# tests fill a disk for real without touching the machine's own disks.
#
#   releng/scripts/testnet.sh CMD [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

if [ "${P2PCHAT_TESTNET:-}" = "1" ]; then
  exec "$@"   # already inside one
fi
command -v unshare >/dev/null && command -v ip >/dev/null || {
  echo "testnet.sh: needs 'unshare' (util-linux) and 'ip' (iproute2)" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then ns=(unshare --net --mount); else ns=(unshare --net --mount --map-root-user); fi
exec "${ns[@]}" -- env P2PCHAT_TESTNET=1 bash -c '
  set -e
  ip link set lo up
  ip link add p2ptest0 type veth peer name p2ptest1
  ip addr add 192.0.2.1/24 dev p2ptest0
  ip addr add 192.0.2.2/24 dev p2ptest1
  ip link set p2ptest0 up
  ip link set p2ptest1 up
  small=$(mktemp -d "${TMPDIR:-/tmp}/p2pchat-smallfs.XXXXXX")
  if mount -t tmpfs -o size=16m,mode=1777 p2pchat-smallfs "$small"; then
    export P2PCHAT_SMALL_FS="$small"
  else
    echo "testnet.sh: could not mount a small tmpfs; tests that fill a disk will fail" >&2
  fi
  rc=0
  "$@" || rc=$?
  umount "$small" 2>/dev/null || true
  rmdir "$small"
  exit $rc' testnet "$@"
