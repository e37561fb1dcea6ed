#!/usr/bin/env bash
# Cold start of the desktop client product to a usable window: median of N starts, each with a
# fresh Equinox configuration and profile (nothing cached from the run before), under a virtual
# display; also the CPU time the process used until then and the resident memory of the idle
# window. Run on demand, never as a test.
#
#   releng/benchmarks/client-startup.sh [--runs N] [--baseline DIR] [--history] [--breakdown] [--floors]
#
#   --runs N        starts per product and profile (default 5)
#   --product DIR   the product to measure (default: this build's, materialized by the build)
#   --baseline DIR  also start the product in DIR (e.g. a copy of main's materialized product),
#                   interleaved with this build's (A, B, A, B, ...), so both see the same load
#   --history       also start on a profile whose history holds 100,000 messages in 50
#                   conversations (FillHistory.java; filled once per run, copied for each start
#                   without its configuration); --history-template DIR keeps and reuses it
#   --breakdown     one more start of each product with -Xlog:class+load, printing when each
#                   phase began (seconds since the JVM started)
#   --floors        also start the product's floors, interleaved with it: the same start with less
#                   on top (the plain JVM's window, Equinox's, every bundle's, E4 with the client's
#                   model but not the client; startup-floors/make-floors.sh), to tell what each
#                   layer costs
#
# The JVM's ahead-of-time cache of a product (its launcher makes it at the first start, in the
# user's cache directory) is made once before the timed starts, as after an installation: that
# first start is timed and printed on its own. Every timed start has a fresh HOME (no Equinox
# configuration, no profile) and keeps only XDG_CACHE_HOME. The machine may be shared: the load
# average is printed beside each pair of starts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
product="$root/$P2PCHAT_PRODUCT_DIR"
runs=5 baseline="" history=false template="" breakdown=false floors=false
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --baseline) baseline=$(realpath "$2"); shift ;;
    --product) product=$(realpath "$2"); shift ;;
    --history) history=true ;;
    --history-template) history=true; template=$(realpath -m "$2"); shift ;;
    --breakdown) breakdown=true ;;
    --floors) floors=true ;;
    [0-9]*) runs=$1 ;; # the old form: client-startup.sh N
    *) p2pchat_die "unknown argument $1 (see the head of $0)" ;;
  esac
  shift
done
[ -z "$baseline" ] || [ -x "$baseline/p2pchat" ] || p2pchat_die "no product in $baseline (no p2pchat script)"

if [ -z "${P2PCHAT_IN_XVFB:-}" ]; then
  p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" xvfb xauth
  p2pchat_find_jdk
  [ -x "$product/p2pchat" ] || ./mvnw -B -ntp -q verify -DskipTests
  P2PCHAT_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" ${args[@]+"${args[@]}"}
fi
p2pchat_find_jdk

work=$(mktemp -d)
trap 'pkill -f "Dp2pchat.bench.home=$work" 2>/dev/null || true; rm -rf "$work"' EXIT
clock_ticks=$(getconf CLK_TCK)

# start PRODUCT HOME CACHE [VMARGS]: starts the client, prints "MS CPU_MS RSS_MIB" (wall time to
# the usable window, CPU time of the process until then, RSS a second later). The output is read
# through a FIFO with shell builtins only: polling with grep would fork a process every few
# milliseconds and slow the start being measured.
start() {
  local product=$1 home=$2 cache=$3 vmargs=${4:-} fifo="$2.fifo" out="$2.out" res="$2.res" pid start_ns
  mkdir -p "$home"
  mkfifo "$fifo"
  : > "$out"
  start_ns=$(date +%s%N)
  (HOME="$home" XDG_CACHE_HOME="$cache" \
    P2PCHAT_VMARGS="-Dp2pchat.ui.autoclose.ms=1500 -Dp2pchat.ui.startup.timing=true -Dp2pchat.bench.home=$work $vmargs" \
    exec "$product/p2pchat" > "$fifo" 2>&1) &
  pid=$! # the subshell execs the script; the desktop's JVM is its child (the script restarts it on exit code 23)
  (shown=""
   while IFS= read -r line; do
     if [ -z "$shown" ]; then
       case "$line" in
         *"P2P Chat window shown"*)
           shown=$(date +%s%N)
           jvm=""
           read -r jvm _ < "/proc/$pid/task/$pid/children" 2>/dev/null || true
           echo "${jvm:-$pid}" > "$res.pid"
           read -r -a stat < "/proc/${jvm:-$pid}/stat" || stat=()
           echo "$(( (shown - start_ns) / 1000000 )) $(( (${stat[13]:-0} + ${stat[14]:-0}) * 1000 / clock_ticks ))" > "$res"
           ;;
       esac
     fi
     printf '%s\n' "$line" >> "$out"
   done < "$fifo") &
  local reader=$!
  until [ -s "$res" ]; do
    if ! kill -0 $pid 2>/dev/null; then
      wait $reader || true
      [ -s "$res" ] && break
      echo "the client in $product failed:" >&2; cat "$out" >&2; exit 1
    fi
    sleep 0.05
  done
  sleep 1
  local rss
  rss=$(ps -o rss= -p "$(cat "$res.pid")" 2>/dev/null || echo 0)
  wait $pid || true
  wait $reader || true
  rm -f "$fifo"
  # The client's own figure (StartupAddon, -Dp2pchat.ui.startup.timing): shown after N ms since
  # the process started; "-" from a build without it.
  local own
  own=$(sed -n 's/^P2P Chat start-up.*window shown and painted \([0-9]*\).*/\1/p' "$out" | head -1)
  echo "$(cat "$res") $(( rss / 1024 )) ${own:--}"
}

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
load() { cut -d' ' -f1 /proc/loadavg; }

labels=(this)
products=("$product")
if [ -n "$baseline" ]; then
  labels=(baseline this)
  products=("$baseline" "$product")
fi
if [ "$floors" = true ]; then
  releng/benchmarks/startup-floors/make-floors.sh "$work/floors" "$product"
  labels+=("floor: JVM + window" "floor: Equinox + window" "floor: every bundle + window" "floor: E4 + model, no client")
  products+=("$work/floors/jvm" "$work/floors/equinox" "$work/floors/bundles" "$work/floors/e4")
fi

# The history profile: a client started once makes the profile, its vault and its history, then
# FillHistory fills it. Each start gets a copy without the Equinox configuration.
kinds=(fresh)
if [ "$history" = true ]; then
  kinds+=(history)
  [ -n "$template" ] || template="$work/history-template"
  if [ ! -d "$template/.p2pchat/default" ]; then
    mkdir -p "$template"
    echo "filling a history of 100,000 messages in 50 conversations..."
    start "$product" "$template" "$work/cache-template" > /dev/null
    plugins="$product/plugins"
    "$JAVA_HOME/bin/java" -cp "$(ls "$plugins"/com.h2database_*.jar):$(ls "$plugins"/org.p2pchat.history_*.jar)" \
      releng/benchmarks/FillHistory.java "$template/.p2pchat/default" 100000 50
    rm -rf "$template/.p2pchat/default/configuration" "$template/.p2pchat/default/workbench"
  fi
fi

# First start of each product, as after installing it: makes the JVM's cache in XDG_CACHE_HOME.
for p in "${!products[@]}"; do
  read -r ms cpu rss own < <(start "${products[$p]}" "$work/first-$p" "$work/cache-$p")
  echo "  ${labels[$p]}: first start (no JVM cache yet) usable after $ms ms, CPU $cpu ms (load $(load))"
  # A launcher that makes the cache at exit may still be writing it in a child JVM.
  while pgrep -f "Dp2pchat.bench.home=$work" > /dev/null; do sleep 0.5; done
done

for kind in "${kinds[@]}"; do
  for p in "${!products[@]}"; do : > "$work/results-$kind-$p"; done
  for i in $(seq 1 "$runs"); do
    line="  $kind profile, start $i:"
    for p in "${!products[@]}"; do
      home="$work/$kind-$p-$i"
      if [ "$kind" = history ]; then
        mkdir -p "$home"
        cp -a "$template/.p2pchat" "$home/"
      fi
      read -r ms cpu rss own < <(start "${products[$p]}" "$home" "$work/cache-$p")
      echo "$ms $cpu $rss $own" >> "$work/results-$kind-$p"
      line+=" ${labels[$p]} $ms ms (CPU $cpu ms, RSS $rss MiB);"
      rm -rf "$home"
    done
    echo "$line load $(load)"
  done
done

echo "cold start to usable window, median of $runs (wall time; CPU time of the process until then; idle RSS):"
for kind in "${kinds[@]}"; do
  for p in "${!products[@]}"; do
    r="$work/results-$kind-$p"
    echo "  ${labels[$p]}, $kind profile: $(cut -d' ' -f1 "$r" | median) ms" \
         "(min $(cut -d' ' -f1 "$r" | sort -n | head -1), max $(cut -d' ' -f1 "$r" | sort -n | tail -1));" \
         "CPU $(cut -d' ' -f2 "$r" | median) ms; RSS $(cut -d' ' -f3 "$r" | median) MiB"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$breakdown" = true ]; then
  echo "where the time goes (seconds since the JVM started, from -Xlog:class+load, one start each):"
  phases=(
    "org.eclipse.equinox.launcher.Main |launcher"
    "org.eclipse.osgi.launch.Equinox |framework"
    "org.eclipse.equinox.internal.simpleconfigurator.SimpleConfiguratorImpl |bundles installed from bundles.info"
    "org.apache.felix.scr.impl.Activator |SCR started"
    "org.p2pchat.history.internal.H2HistoryService |history component"
    "org.eclipse.equinox.internal.app.EclipseAppContainer |application container"
    "org.eclipse.e4.ui.internal.workbench.swt.E4Application |E4 application"
    "org.eclipse.swt.widgets.Display |SWT display"
    "org.eclipse.emf.ecore.xmi.impl.XMIResourceImpl |E4 model loading"
    "org.eclipse.e4.ui.internal.workbench.swt.PartRenderingEngine |rendering"
    "org.p2pchat.ui.internal.parts.ClientPart |client part"
    "org.p2pchat.client.core.internal.DefaultChatClient |chat client opened"
    "org.p2pchat.ui.internal.parts.ProgressRegion |status line (the window's last part)"
  )
  for p in "${!products[@]}"; do
    log="$work/classes-$p.log"
    start "${products[$p]}" "$work/breakdown-$p" "$work/cache-$p" "-Xlog:class+load:file=$log:uptime" > /dev/null
    echo "  ${labels[$p]} ($(wc -l < "$log") classes, $(grep -c 'shared objects file' "$log" || true) from the JVM's archive):"
    sed -n 's/^P2P Chat start-up/    the client says: start-up/p' "$work/breakdown-$p.out"
    for phase in "${phases[@]}"; do
      t=$(grep -m1 -F "${phase%%|*}" "$log" | sed -n 's/^\[\([0-9.]*\)s\].*/\1/p' || true)
      printf '    %-8s %s\n' "${t:--}" "${phase#*|}"
    done
  done
fi
