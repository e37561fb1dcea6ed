#!/usr/bin/env bash
# Cold start of the desktop client product to a usable window: median of N starts, each with a
# fresh Equinox configuration and profile (nothing cached from the run before), under a virtual
# display; also the resident memory of the idle window. Run on demand, never as a test.
#
#   releng/benchmarks/client-startup.sh [N=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
product="$root/$P2PCHAT_PRODUCT_DIR"
runs=${1:-5}

if [ -z "${P2PCHAT_IN_XVFB:-}" ]; then
  p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" xvfb xauth
  [ -x "$product/p2pchat" ] || { p2pchat_find_jdk; ./mvnw -B -ntp -q verify -DskipTests; }
  P2PCHAT_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$runs"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/results"
for i in $(seq 1 "$runs"); do
  home="$work/home$i"; mkdir -p "$home"
  start=$(date +%s%N)
  # A fresh HOME: no Equinox configuration cache, no profile. The output is read through a pipe
  # and the wait below uses shell builtins only: polling with grep would fork a process every
  # few milliseconds and slow the start being measured.
  (HOME="$home" P2PCHAT_VMARGS="-Dp2pchat.ui.autoclose.ms=4000" exec "$product/p2pchat" 2>&1 \
    | while IFS= read -r line; do
        case "$line" in *"P2P Chat window shown"*) date +%s%N > "$work/shown$i" ;; esac
        printf '%s\n' "$line" >> "$work/out$i"
      done) &
  runner=$!
  until [ -s "$work/shown$i" ]; do
    kill -0 $runner 2>/dev/null || { echo "start $i failed:"; cat "$work/out$i"; exit 1; }
    sleep 0.05
  done
  ms=$(( ($(cat "$work/shown$i") - start) / 1000000 ))
  sleep 1
  pid=$(pgrep -n -f "Dp2pchat.ui.autoclose.ms=4000")
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  wait $runner || true
  echo "  start $i: window usable after $ms ms, idle RSS $rss MiB"
  echo "$ms $rss" >> "$work/results"
done
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
echo "cold start to usable window, median of $runs: $(cut -d' ' -f1 "$work/results" | median) ms" \
     "(min $(cut -d' ' -f1 "$work/results" | sort -n | head -1), max $(cut -d' ' -f1 "$work/results" | sort -n | tail -1));" \
     "idle window RSS median $(cut -d' ' -f2 "$work/results" | median) MiB"
