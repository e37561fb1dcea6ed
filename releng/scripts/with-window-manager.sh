#!/usr/bin/env bash
# Runs a command on $DISPLAY with a window manager (openbox), as every desktop user has one:
# windows get frames, focus and positions from it, and UI tests see what users see.
#   releng/scripts/with-window-manager.sh COMMAND [ARGS...]
set -euo pipefail
: "${DISPLAY:?run this under an X display, e.g. xvfb-run}"
openbox --sm-disable >/dev/null 2>&1 &
wm=$!
trap 'kill "$wm" 2>/dev/null || true; wait "$wm" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; then
    break
  fi
  kill -0 "$wm" 2>/dev/null || { echo "openbox did not start on $DISPLAY" >&2; exit 1; }
  sleep 0.1
done
"$@"
