#!/usr/bin/env bash
# Messages per second between two command-line clients of the product, through a relay in a
# network namespace made for the run: MESSAGES typed into each side at once (both directions),
# with acknowledgements (counted until the last message of each side is DELIVERED, i.e. stored by
# the peer and acknowledged), next to the unacknowledged rate in the same run (both processes with
# -Dp2pchat.delivery.acks=false: sent as to the web app, no sequence numbers, no acknowledgements;
# counted until the last message is shown by the peer). Then, if HISTORY_MESSAGES > 0, fills one
# profile's history up to that many messages through the same chat and prints the idle memory
# (RSS) of a command-line client online with that history beside one with an empty history, and
# the size of the profile. Prints figures; asserts nothing. Run on demand, never as a test.
#
#   releng/benchmarks/delivery.sh [MESSAGES=5000] [HISTORY_MESSAGES=100000] [SETTLE_SECONDS=15]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
product="$root/$P2PCHAT_PRODUCT_DIR"
relay_product="$root/$P2PCHAT_RELAY_PRODUCT_DIR"
messages=${1:-5000}
history_messages=${2:-100000}
settle=${3:-15}

if [ -z "${P2PCHAT_IN_BENCH_NET:-}" ]; then
  p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" iproute2 util-linux
  [ -x "$product/p2pchat" ] && [ -x "$relay_product/p2pchat-relay" ] || { p2pchat_find_jdk; ./mvnw -B -ntp -q verify -DskipTests; }
  P2PCHAT_IN_BENCH_NET=1 exec releng/scripts/testnet.sh "$0" "$messages" "$history_messages" "$settle"
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
mkdir -p "$work/home"

now_ns() { date +%s%N; }
# Seconds between two now_ns values; messages per second for COUNT messages in that time.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
per_second() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n * 1e9 / (b - a) }'; }

# Waits until FILE has at least COUNT lines matching PATTERN (fails after TIMEOUT seconds), looking
# every POLL seconds.
await_count() {
  local file=$1 pattern=$2 count=$3 timeout=${4:-600} poll=${5:-0.05} start
  start=$(date +%s)
  until [ "$(grep -c -- "$pattern" "$file" 2>/dev/null || true)" -ge "$count" ]; do
    if [ $(( $(date +%s) - start )) -gt "$timeout" ]; then
      p2pchat_die "waited ${timeout} s for ${count} × '$pattern' in $file (has $(grep -c -- "$pattern" "$file" || true)); last lines: $(tail -3 "$file")"
    fi
    sleep "$poll"
  done
}

# Starts NAME (a fresh or kept profile under $work) with extra JVM options VMARGS and the CLI's
# ARGS; its input is the fifo $work/NAME.in, held open on descriptor FD; its events in $work/NAME.log.
start_cli() {
  local name=$1 fd=$2 vmargs=$3
  shift 3
  mkdir -p "$work/$name"
  rm -f "$work/$name.in"
  mkfifo "$work/$name.in"
  HOME="$work/home" P2PCHAT_VMARGS="$vmargs" "$product/p2pchat" --profile "$work/$name" cli --json --no-ice \
    --name "$name" --rendezvous "$url" "$@" < "$work/$name.in" >> "$work/$name.log" 2>> "$work/$name.err" &
  pids+=($!)
  eval "exec $fd> \"$work/$name.in\""
}

# One run: NAME_A connects to NAME_B, MESSAGES typed into each at once. Prints the figures.
run_pair() {
  local label=$1 a=$2 b=$3 vmargs=$4 acks=$5
  : > "$work/$a.log"
  : > "$work/$b.log"
  start_cli "$b" 4 "$vmargs" --accept listen
  await_count "$work/$b.log" '"state":"registered"' 1 120
  start_cli "$a" 3 "$vmargs" connect "$b"
  await_count "$work/$a.log" '"event":"state","state":"connected"' 1 120
  await_count "$work/$b.log" '"event":"state","state":"connected"' 1 120
  local t0 t_shown t_acked
  t0=$(now_ns)
  seq -f "$a says %06g" 1 "$messages" >&3 &
  seq -f "$b says %06g" 1 "$messages" >&4 &
  await_count "$work/$b.log" "\"event\":\"message\",\"id\":\"[^\"]*\",\"sender\":\"$a\"" "$messages"
  await_count "$work/$a.log" "\"event\":\"message\",\"id\":\"[^\"]*\",\"sender\":\"$b\"" "$messages"
  t_shown=$(now_ns)
  printf '%-28s %6d messages each way: all shown by the peers after %8s s: %6s messages/s\n' "$label" \
    "$messages" "$(seconds "$t0" "$t_shown")" "$(per_second $(( 2 * messages )) "$t0" "$t_shown")"
  if [ "$acks" = yes ]; then
    await_count "$work/$a.log" '"event":"delivery","id":"[^"]*","state":"delivered"' "$messages"
    await_count "$work/$b.log" '"event":"delivery","id":"[^"]*","state":"delivered"' "$messages"
    t_acked=$(now_ns)
    printf '%-28s %6d messages each way: all acknowledged after  %8s s: %6s messages/s\n' "$label" \
      "$messages" "$(seconds "$t0" "$t_acked")" "$(per_second $(( 2 * messages )) "$t0" "$t_acked")"
  fi
}

# Ends a pair's chat: /quit on A's input, then both exit (B because its peer left).
quit_pair() {
  echo /quit >&3
  exec 3>&- 4>&-
  for p in "${pids[@]:1}"; do wait "$p" 2>/dev/null || true; done
  pids=("${pids[0]}")
}

echo "delivery benchmark: two command-line clients through a relay in a network namespace, host candidates only"
run_pair "unacknowledged (acks=false)" una unb "-Dp2pchat.delivery.acks=false" no
quit_pair
run_pair "with acknowledgements" alice bob "" yes

if [ "$history_messages" -gt 0 ]; then
  # alice's history holds 2 × MESSAGES now; alice sends the rest to bob.
  more=$(( history_messages - 2 * messages ))
  if [ "$more" -gt 0 ]; then
    before=$(grep -c '"event":"delivery","id":"[^"]*","state":"delivered"' "$work/alice.log")
    t0=$(now_ns)
    seq -f "filling the history %07g" 1 "$more" >&3
    await_count "$work/alice.log" '"event":"delivery","id":"[^"]*","state":"delivered"' $(( before + more )) 3600 1
    t1=$(now_ns)
    printf 'history filled with %d more messages (one way) in %s s: %s messages/s, acknowledged\n' "$more" \
      "$(seconds "$t0" "$t1")" "$(per_second "$more" "$t0" "$t1")"
  fi
  quit_pair
  printf 'profile with %d messages: %d MiB on disk (logs excluded)\n' "$history_messages" \
    $(( $(du -sk --exclude=logs "$work/alice" | cut -f1) / 1024 ))
  # Idle and online, side by side: alice with her history, carol with none.
  : > "$work/alice.log"
  start_cli alice 3 "" --accept listen
  alice_pid=${pids[-1]}
  start_cli carol 4 "" --accept listen
  carol_pid=${pids[-1]}
  await_count "$work/alice.log" '"state":"registered"' 1 120
  await_count "$work/carol.log" '"state":"registered"' 1 120
  sleep "$settle"
  echo "idle command-line client online for ${settle} s with a ${history_messages}-message history: RSS $(( $(ps -o rss= -p "$alice_pid") / 1024 )) MiB"
  echo "idle command-line client online for ${settle} s with an empty history (same run):     RSS $(( $(ps -o rss= -p "$carol_pid") / 1024 )) MiB"
fi
