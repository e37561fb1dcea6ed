#!/usr/bin/env bash
# The NAT lab: a small "internet" made of network namespaces, a server host running coturn, and two
# peers each behind a NAT router of its own, for the end-to-end tests and benchmarks that must cross
# NATs. Every address exists only inside the namespaces the lab makes (documentation ranges); the
# machine's own network is never touched. Needs root, iproute2, iptables, nftables and coturn.
#
#   natlab.sh can                       exit 0 if a lab can be made here, else 77 and why on stderr
#   natlab.sh up DIR TOPOLOGY [OPTIONS] make a lab (tears down a lab left in DIR first); on any failure
#                                       it tears down what it made and exits non-zero
#   natlab.sh down DIR                  stop everything running in the lab's namespaces, delete them
#                                       (never fails; nothing to do if there is no lab)
#   natlab.sh exec DIR NODE CMD...      run CMD inside NODE (internet, server, natA, natB, peerA, peerB)
#   natlab.sh run DIR TOPOLOGY [OPTIONS] -- CMD...
#                                       up, CMD on the machine's side (NATLAB_DIR set), down always
#   natlab.sh status DIR                namespaces, addresses, NAT rules, coturn's sockets
#
# TOPOLOGY:
#   lan          peerA and peerB on one LAN behind natA
#   cone         each peer behind its own endpoint-independent NAT (port-preserving MASQUERADE)
#   symmetric    each peer behind its own symmetric NAT (MASQUERADE --random-fully)
#   udp-blocked  peerA behind a NAT that drops all UDP (only TCP leaves), peerB behind a cone NAT
# OPTIONS:
#   --block-direct   the internet drops everything between natA and natB (only the server relays)
#   --no-turn        do not start coturn
#   --relay PRODUCT  also start the relay product (the rendezvous service) found in PRODUCT on the
#                    server, port 3479 (RENDEZVOUS_URL in DIR/env)
#
# Namespace names carry a random id made at `up` (kept in DIR/env), so runs side by side do not
# collide. DIR/env also holds the addresses and the TURN credentials for the tests.
#
#                          [internet] bridge br0 203.0.113.254/24, routes nothing
#               ________________|_____________________________
#              |                            |                 |
#   [server] 203.0.113.10            [natA] 203.0.113.101   [natB] 203.0.113.102
#   coturn: 3478 UDP+TCP, relay       LAN 10.0.1.1/24        LAN 10.0.2.1/24
#   ports 49152-49407; relay: 3479      |       (lan: peerB)   |
#                                    [peerA] 10.0.1.10       [peerB] 10.0.2.10 (lan: 10.0.1.20)
set -Eeuo pipefail

NODES=(internet server natA natB peerA peerB)
SERVER_IP=203.0.113.10
CORE_IP=203.0.113.254
NATA_PUB=203.0.113.101
NATB_PUB=203.0.113.102
TURN_PORT=3478
TURN_MIN_PORT=49152
TURN_MAX_PORT=49407
TURN_USER=natlab
TURN_PASSWORD=natlab-lab-password
TURN_REALM=natlab.p2pchat.test
RELAY_PORT=3479

log() { printf 'natlab: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
export PATH="/usr/sbin:/sbin:$PATH"

# ---------------------------------------------------------------- naming
ID=""
ns() { printf '%s-%s' "$ID" "$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
ns_exists() { [ -e "/run/netns/$(ns "$1")" ]; }
load_id() { # DIR: the id of the lab made in DIR, if any
  ID=""
  [ -f "$1/env" ] && ID=$(sed -n 's/^NATLAB_ID=//p' "$1/env")
  [ -n "$ID" ]
}

# ---------------------------------------------------------------- can
can() {
  local t missing=()
  [ "$(id -u)" = 0 ] || { echo "the NAT lab needs root (network namespaces, iptables)" >&2; return 77; }
  for t in ip iptables nft turnserver; do command -v "$t" >/dev/null || missing+=("$t"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "the NAT lab needs ${missing[*]} (apt-get install iproute2 iptables nftables coturn)" >&2
    return 77
  fi
  local probe="nlprobe$$"
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "network namespaces cannot be made here (ip netns add failed)" >&2
    return 77
  fi
  if ! ip netns exec "$probe" iptables -t nat -L >/dev/null 2>&1; then
    ip netns del "$probe" 2>/dev/null || true
    echo "iptables NAT does not work inside a network namespace here" >&2
    return 77
  fi
  ip netns del "$probe" 2>/dev/null || true
}

# ---------------------------------------------------------------- down
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1; [ -n "$st" ] && [ "$st" != Z ]; }

down() { # DIR
  set +e
  load_id "$1" || { set -e; return 0; }
  local n pids all="" left i p
  for n in "${NODES[@]}"; do
    ns_exists "$n" || continue
    # What runs in a lab namespace was started in the lab: end it by its PID.
    pids=$(ip netns pids "$(ns "$n")" 2>/dev/null)
    [ -n "$pids" ] && kill $pids 2>/dev/null
    all="$all $pids"
  done
  for i in $(seq 1 30); do
    left=""; for p in $all; do alive "$p" && left="$left $p"; done
    [ -z "$left" ] && break
    [ "$i" = 30 ] && kill -9 $left 2>/dev/null
    sleep 0.1
  done
  for n in "${NODES[@]}"; do
    for i in 1 2 3 4 5; do
      ns_exists "$n" || break
      ip netns del "$(ns "$n")" 2>/dev/null && break
      [ "$i" = 5 ] && log "could not delete $(ns "$n")"
      sleep 0.2
    done
  done
  rm -f "$1/env"
  set -e
  return 0
}

# ---------------------------------------------------------------- up
# A veth pair made directly inside the two namespaces.
link() { # nodeA ifA nodeB ifB
  ip link add "$2" netns "$(ns "$1")" type veth peer name "$4" netns "$(ns "$3")"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$3")" link set "$4" up
}

# A home router: forwards the LAN out and what answers it back, accepts nothing unsolicited on the
# WAN side (an unsolicited packet would leave a conntrack entry that makes the NAT remap ports).
nat_router() { # node lan_cidr mode
  local n=$1 lan=$2 mode=$3
  nsx "$n" sysctl -qw net.ipv4.ip_forward=1
  # Where br_netfilter is loaded, bridged LAN traffic would go through FORWARD (and be dropped):
  # peers on one LAN talk to each other without the router, as behind a real one.
  nsx "$n" sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true
  nsx "$n" iptables -A FORWARD -i lan0 -o lan0 -j ACCEPT
  nsx "$n" iptables -P FORWARD DROP
  nsx "$n" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  [ "$mode" = udp-blocked ] && nsx "$n" iptables -A FORWARD -i lan0 -o wan0 -p udp -j DROP
  nsx "$n" iptables -A FORWARD -i lan0 -o wan0 -j ACCEPT
  nsx "$n" iptables -A INPUT -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  nsx "$n" iptables -A INPUT -i wan0 -p icmp -j ACCEPT
  nsx "$n" iptables -A INPUT -i wan0 -j DROP
  case $mode in
    cone|udp-blocked) nsx "$n" iptables -t nat -A POSTROUTING -s "$lan" -o wan0 -j MASQUERADE ;;
    symmetric) nsx "$n" iptables -t nat -A POSTROUTING -s "$lan" -o wan0 -j MASQUERADE --random-fully ;;
  esac
}

# coturn with long-term credentials and the hardening a public TURN server needs: no relaying to
# loopback, multicast, private, link-local, CGNAT or reserved addresses; the lab's "internet" is a
# documentation range, allowed explicitly as a deployment would allow nothing but public addresses.
write_turn_config() { # DIR
  cat > "$1/turnserver.conf" <<EOF
listening-ip=$SERVER_IP
relay-ip=$SERVER_IP
listening-port=$TURN_PORT
min-port=$TURN_MIN_PORT
max-port=$TURN_MAX_PORT
realm=$TURN_REALM
lt-cred-mech
user=$TURN_USER:$TURN_PASSWORD
fingerprint
no-tls
no-dtls
no-cli
no-multicast-peers
no-loopback-peers
denied-peer-ip=0.0.0.0-0.255.255.255
denied-peer-ip=10.0.0.0-10.255.255.255
denied-peer-ip=100.64.0.0-100.127.255.255
denied-peer-ip=127.0.0.0-127.255.255.255
denied-peer-ip=169.254.0.0-169.254.255.255
denied-peer-ip=172.16.0.0-172.31.255.255
denied-peer-ip=192.0.0.0-192.0.0.255
denied-peer-ip=192.0.2.0-192.0.2.255
denied-peer-ip=192.168.0.0-192.168.255.255
denied-peer-ip=198.18.0.0-198.19.255.255
denied-peer-ip=198.51.100.0-198.51.100.255
denied-peer-ip=203.0.113.0-203.0.113.255
denied-peer-ip=224.0.0.0-255.255.255.255
denied-peer-ip=::1
denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
allowed-peer-ip=203.0.113.0-203.0.113.255
userdb=$1/turnserver.db
pidfile=$1/turnserver.pid
log-file=$1/turnserver.log
simple-log
verbose
EOF
}

wait_listening() { # node proto(u|t) ip port
  local i
  for i in $(seq 1 "${WAIT_TENTHS:-150}"); do
    nsx "$1" ss -Hln"$2" "src $3:$4" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  log "nothing listens on $3:$4 in $1 after $(( ${WAIT_TENTHS:-150} / 10 )) s (see the logs in $DIR)"
  return 1
}

up() { # DIR TOPOLOGY [--block-direct] [--no-turn]
  DIR=$1 TOPOLOGY=$2; shift 2
  local block=0 turn=1 relay="" n
  while [ $# -gt 0 ]; do
    case $1 in
      --block-direct) block=1 ;;
      --no-turn) turn=0 ;;
      --relay) relay=${2:?--relay needs the relay product directory}; shift
        [ -x "$relay/p2pchat-relay" ] || die "no relay product at $relay" ;;
      *) die "unknown option '$1'" ;;
    esac
    shift
  done
  case $TOPOLOGY in lan|cone|symmetric|udp-blocked) ;; *) die "unknown topology '$TOPOLOGY' (lan, cone, symmetric, udp-blocked)" ;; esac
  local why rc=0
  why=$(can 2>&1) || rc=$?
  [ $rc = 0 ] || { log "$why"; exit "$rc"; }
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  down "$DIR"
  ID="nl$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
  # The id is written first, so that a failure half-way (and any later down) finds what was made.
  echo "NATLAB_ID=$ID" > "$DIR/env"
  trap 'rc=$?; log "up failed at line $LINENO (exit $rc): tearing the lab down"; down "$DIR"; exit $rc' ERR

  for n in "${NODES[@]}"; do
    ip netns add "$(ns "$n")"
    ip -n "$(ns "$n")" link set lo up
    nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done

  # The "internet": one bridge, no forwarding, so nothing beyond 203.0.113.0/24 exists.
  ip -n "$(ns internet)" link add br0 type bridge
  ip -n "$(ns internet)" link set br0 up
  ip -n "$(ns internet)" addr add "$CORE_IP/24" dev br0
  nsx internet sysctl -qw net.ipv4.ip_forward=0
  for n in server natA natB; do
    link "$n" wan0 internet "p-$n"
    ip -n "$(ns internet)" link set "p-$n" master br0
  done
  ip -n "$(ns server)" addr add "$SERVER_IP/24" dev wan0
  ip -n "$(ns server)" route add default via "$CORE_IP"

  local modeA modeB peerB_nat peerB_ip
  case $TOPOLOGY in
    lan) modeA=cone modeB=cone peerB_nat=natA peerB_ip=10.0.1.20 ;;
    cone) modeA=cone modeB=cone peerB_nat=natB peerB_ip=10.0.2.10 ;;
    symmetric) modeA=symmetric modeB=symmetric peerB_nat=natB peerB_ip=10.0.2.10 ;;
    udp-blocked) modeA=udp-blocked modeB=cone peerB_nat=natB peerB_ip=10.0.2.10 ;;
  esac
  local nat pub idx
  for nat in natA natB; do
    [ "$nat" = natA ] && { pub=$NATA_PUB idx=1; } || { pub=$NATB_PUB idx=2; }
    ip -n "$(ns "$nat")" addr add "$pub/24" dev wan0
    ip -n "$(ns "$nat")" route add default via "$CORE_IP"
    # The LAN side is a bridge, so that two peers can share it.
    ip -n "$(ns "$nat")" link add lan0 type bridge
    ip -n "$(ns "$nat")" link set lan0 up
    ip -n "$(ns "$nat")" addr add "10.0.$idx.1/24" dev lan0
    [ "$nat" = natA ] && nat_router natA 10.0.1.0/24 "$modeA" || nat_router natB 10.0.2.0/24 "$modeB"
  done
  link peerA net0 natA p-peerA
  ip -n "$(ns natA)" link set p-peerA master lan0
  ip -n "$(ns peerA)" addr add 10.0.1.10/24 dev net0
  ip -n "$(ns peerA)" route add default via 10.0.1.1
  link peerB net0 "$peerB_nat" p-peerB
  ip -n "$(ns "$peerB_nat")" link set p-peerB master lan0
  ip -n "$(ns peerB)" addr add "$peerB_ip/24" dev net0
  ip -n "$(ns peerB)" route add default via "${peerB_ip%.*}.1"

  if [ $block = 1 ]; then
    nsx internet nft -f - <<EOF
table bridge natlab {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr $NATA_PUB ip daddr $NATB_PUB drop
    ip saddr $NATB_PUB ip daddr $NATA_PUB drop
  }
}
EOF
  fi

  if [ $turn = 1 ]; then
    write_turn_config "$DIR"
    rm -f "$DIR/turnserver.log" "$DIR/turnserver.out"
    # Its own session, so that the test's process group does not take its terminal signals.
    nsx server setsid turnserver -c "$DIR/turnserver.conf" > "$DIR/turnserver.out" 2>&1 < /dev/null &
    wait_listening server u "$SERVER_IP" "$TURN_PORT"
    wait_listening server t "$SERVER_IP" "$TURN_PORT"
  fi
  if [ -n "$relay" ]; then
    nsx server setsid env P2PCHAT_RELAY_STATE="$DIR/relay-state" "$relay/p2pchat-relay" --bind "$SERVER_IP" \
      --port "$RELAY_PORT" > "$DIR/relay.log" 2>&1 < /dev/null &
    # A JVM on two loaded cores: give it time.
    WAIT_TENTHS=1200 wait_listening server t "$SERVER_IP" "$RELAY_PORT"
  fi

  cat >> "$DIR/env" <<EOF
NATLAB_TOPOLOGY=$TOPOLOGY
NATLAB_BLOCK_DIRECT=$block
NATLAB_NS_PREFIX=$ID-
SERVER_IP=$SERVER_IP
NATA_PUBLIC=$NATA_PUB
NATB_PUBLIC=$NATB_PUB
PEERA_IP=10.0.1.10
PEERB_IP=$peerB_ip
STUN_URL=stun:$SERVER_IP:$TURN_PORT
TURN_URL=turn:$SERVER_IP:$TURN_PORT
TURN_TCP_URL=turn:$SERVER_IP:$TURN_PORT?transport=tcp
TURN_USER=$TURN_USER
TURN_PASSWORD=$TURN_PASSWORD
TURN_REALM=$TURN_REALM
TURN_LOG=$DIR/turnserver.log
TURN_PID_FILE=$DIR/turnserver.pid
RENDEZVOUS_URL=${relay:+http://$SERVER_IP:$RELAY_PORT}
EOF
  trap - ERR
  log "up: $TOPOLOGY$([ $block = 1 ] && echo ', direct path blocked') (namespaces $ID-*, $DIR/env)"
}

status() { # DIR
  load_id "$1" || { echo "no lab in $1"; return 0; }
  local n
  for n in "${NODES[@]}"; do
    ns_exists "$n" || { echo "== $(ns "$n") (absent)"; continue; }
    echo "== $(ns "$n")"
    ip -n "$(ns "$n")" -br addr | grep -v '^lo' || true
    case $n in natA|natB) nsx "$n" iptables -t nat -S POSTROUTING | grep -- '^-A' || true ;; esac
    [ "$n" = server ] && { nsx server ss -Hlnup; nsx server ss -Hlntp; } 2>/dev/null | awk '{print "   ", $4, $6}'
  done
}

[ $# -ge 1 ] || { sed -n '2,/^set -E/p' "$0" | sed '$d' >&2; exit 2; }
command=$1; shift
case $command in
  can) can ;;
  up) [ $# -ge 2 ] || die "usage: natlab.sh up DIR lan|cone|symmetric|udp-blocked [--block-direct] [--no-turn] [--relay PRODUCT]"; up "$@" ;;
  down) [ $# -eq 1 ] || die "usage: natlab.sh down DIR"; down "$1" ;;
  status) [ $# -eq 1 ] || die "usage: natlab.sh status DIR"; status "$1" ;;
  exec)
    [ $# -ge 3 ] || die "usage: natlab.sh exec DIR NODE CMD..."
    load_id "$1" || die "no lab in $1"
    node=$2; shift 2
    ns_exists "$node" || die "no node '$node' in the lab in $1"
    exec ip netns exec "$(ns "$node")" "$@" ;;
  run)
    [ $# -ge 2 ] || die "usage: natlab.sh run DIR TOPOLOGY [OPTIONS] -- CMD..."
    dir=$1; opts=(); shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    [ $# -gt 0 ] || die "run: no command after --"
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    trap 'down "$dir"' EXIT
    up "$dir" "${opts[@]}"
    rc=0; NATLAB_DIR=$dir "$@" || rc=$?
    exit $rc ;;
  *) die "unknown command '$command' (can, up, down, exec, run, status)" ;;
esac
