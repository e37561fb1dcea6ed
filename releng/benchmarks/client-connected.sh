#!/usr/bin/env bash
# Resident memory of the desktop client while connected and idle: a relay and a command-line peer
# in a network namespace made for the run, the desktop client under a virtual display choosing
# "DHT network" and connecting to the peer (driven with xdotool, as a person clicks), then the
# client's RSS after it has been connected for a while. Also the idle connected CLI peer's RSS,
# measured in the same run. Run on demand, never as a test.
#
#   releng/benchmarks/client-connected.sh [SETTLE_SECONDS=15]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
product="$root/$P2PCHAT_PRODUCT_DIR"
relay_product="$root/$P2PCHAT_RELAY_PRODUCT_DIR"
settle=${1:-15}

if [ -z "${P2PCHAT_IN_BENCH_NET:-}" ]; then
  p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" xvfb xauth xdotool x11-utils iproute2 util-linux
  [ -x "$product/p2pchat" ] && [ -x "$relay_product/p2pchat-relay" ] || { p2pchat_find_jdk; ./mvnw -B -ntp -q verify -DskipTests; }
  P2PCHAT_IN_BENCH_NET=1 exec releng/scripts/testnet.sh xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$settle"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

P2PCHAT_RELAY_STATE="$work/relay" "$relay_product/p2pchat-relay" --bind 192.0.2.1 --port 0 > "$work/relay.log" 2>&1 &
pids+=($!)
until port=$(grep -o 'listening on 192.0.2.1:[0-9]*' "$work/relay.log" | cut -d: -f2) && [ -n "$port" ]; do sleep 0.2; done
url="http://192.0.2.1:$port"

mkdir -p "$work/bob" "$work/desk" "$work/home"
mkfifo "$work/bob.in"
HOME="$work/home" "$product/p2pchat" --profile "$work/bob" cli --json --no-ice --name bob --rendezvous "$url" --accept listen \
  < "$work/bob.in" > "$work/bob.log" 2>&1 &
pids+=($!)
exec 3> "$work/bob.in" # keeps bob's input open
until grep -q '"state":"registered"' "$work/bob.log"; do sleep 0.2; done

# The desktop client knows only this relay and no STUN server: nothing leaves the namespace.
printf '{"username":"desk","iceServers":[],"rendezvousServices":[{"name":"bench","url":"%s","enabled":true,"builtIn":false}]}' \
  "$url" > "$work/desk/settings.json"
HOME="$work/home" P2PCHAT_VMARGS="-Dp2pchat.ui.autoclose.ms=600000" "$product/p2pchat" --profile "$work/desk" > "$work/desk.log" 2>&1 &
pids+=($!)
until grep -q 'P2P Chat window shown' "$work/desk.log"; do sleep 0.2; done
sleep 1
window=$(for w in $(xdotool search --name '^P2P Chat ?$'); do xwininfo -id "$w" | grep -q IsViewable && echo "$w"; done | head -1)
xdotool windowfocus --sync "$window"
# "DHT network" in the list of connection methods, then the first person in the people list.
xdotool mousemove --window "$window" 60 245 click 1
until grep -q '"event":"peer"\|registered' "$work/bob.log"; do sleep 0.2; done
sleep 4
import -window root "$work/dht.png" 2>/dev/null || true
xdotool mousemove --window "$window" "${P2PCHAT_BENCH_PEER_X:-330}" "${P2PCHAT_BENCH_PEER_Y:-505}" click --repeat 2 1
for _ in $(seq 1 150); do grep -q '"state":"connected"' "$work/bob.log" && break; sleep 0.2; done
if ! grep -q '"state":"connected"' "$work/bob.log"; then
  cp "$work/dht.png" /tmp/client-connected-failed.png 2>/dev/null || true
  p2pchat_die "the desktop client did not connect; screenshot /tmp/client-connected-failed.png, bob's log: $(tail -5 "$work/bob.log")"
fi
sleep "$settle"
desk_pid=$(pgrep -n -f "Dp2pchat.ui.autoclose.ms=600000")
bob_pid=$(pgrep -n -f "name bob --rendezvous")
echo "desktop client connected through the relay and idle for ${settle} s: RSS $(( $(ps -o rss= -p "$desk_pid") / 1024 )) MiB"
echo "command-line peer, same connection, same run:             RSS $(( $(ps -o rss= -p "$bob_pid") / 1024 )) MiB"
