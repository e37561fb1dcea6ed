#!/usr/bin/env bash
# Idle memory of the desktop client with a large history: the client product started on a profile
# whose history holds 100,000 messages in 50 conversations, next to the same start on a profile
# with an empty history (the baseline, same run), under a virtual display. Also the history's size
# on disk. Run on demand, never as a test.
#
#   releng/benchmarks/history-memory.sh [MESSAGES=100000] [CONVERSATIONS=50]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
product="$root/$P2PCHAT_PRODUCT_DIR"
messages=${1:-100000}
conversations=${2:-50}

if [ -z "${P2PCHAT_IN_XVFB:-}" ]; then
  p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" xvfb xauth
  p2pchat_find_jdk
  [ -x "$product/p2pchat" ] || ./mvnw -B -ntp -q verify -DskipTests
  P2PCHAT_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$messages" "$conversations"
fi
p2pchat_find_jdk

work=$(mktemp -d)
trap 'pkill -f "Dp2pchat.bench.home=$work" 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts the client on HOME=$1 until its window is shown, waits $2 s, prints the RSS in MiB; the
# client closes itself $3 ms after its window showed.
run_client() {
  local home=$1 idle=$2 close_ms=$3 out="$1.out" pid
  : > "$out"
  (HOME="$home" P2PCHAT_VMARGS="-Dp2pchat.ui.autoclose.ms=$close_ms -Dp2pchat.bench.home=$work" \
     exec "$product/p2pchat" >> "$out" 2>&1) &
  local runner=$!
  until grep -q "P2P Chat window shown" "$out"; do
    kill -0 $runner 2>/dev/null || { echo "the client failed:"; cat "$out"; exit 1; }
    sleep 0.2
  done
  sleep "$idle"
  pid=$(pgrep -n -f "Dp2pchat.bench.home=$work")
  echo $(( $(ps -o rss= -p "$pid") / 1024 ))
  wait $runner || true
}

plugins="$product/plugins"
cp="$(ls "$plugins"/com.h2database_*.jar):$(ls "$plugins"/org.p2pchat.history_*.jar)"
for kind in empty full; do
  mkdir -p "$work/$kind"
  run_client "$work/$kind" 1 1500 > /dev/null # makes the profile, its vault and its history
done
"$JAVA_HOME/bin/java" -cp "$cp" releng/benchmarks/FillHistory.java "$work/full/.p2pchat/default" "$messages" "$conversations"
size=$(du -k "$work/full/.p2pchat/default/"history*.db | awk '{s += $1} END {print s}')
echo "history on disk: $(( size / 1024 )) MiB for $messages messages (empty: $(du -k "$work/empty/.p2pchat/default/"history*.db | awk '{s += $1} END {print s}') KiB)"
for i in 1 2 3; do
  e=$(run_client "$work/empty" 15 16000)
  f=$(run_client "$work/full" 15 16000)
  echo "  run $i: idle RSS with an empty history $e MiB, with $messages messages $f MiB"
done
