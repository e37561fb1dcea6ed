#!/usr/bin/env bash
# Builds the products when the sources are newer than them (or they are missing), then starts one.
#
#   ./p2pchat.sh [--profile DIR]              the desktop client
#   ./p2pchat.sh [--profile DIR] cli ARGS     the command-line client (./p2pchat.sh cli --help)
#   ./p2pchat.sh relay [ARGS]                 the headless relay server (./p2pchat.sh relay --help)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/releng/scripts/common.sh"

# Builds the products (one build makes both) when the start script $1 is missing or a source is
# newer than the build; $2 says which product is wanted. The build's time is that of the
# product's config.ini: the start script keeps the time of its source file.
build_if_stale() {
  local script=$1 built stale=""
  built="$(dirname "$script")/configuration/config.ini"
  if [ -x "$script" ] && [ -f "$built" ]; then
    stale=$(cd "$here" && find pom.xml target-platform bundles features releng -newer "$built" \
              -not -path '*/target/*' -type f -print -quit)
  fi
  if [ ! -x "$script" ] || [ ! -f "$built" ] || [ -n "$stale" ]; then
    p2pchat_find_jdk
    echo "p2pchat: building the $2 product (a few minutes the first time)..." >&2
    (cd "$here" && ./mvnw -B -ntp -q verify -DskipTests $(p2pchat_api_baseline_args)) || p2pchat_die "the build failed; see the messages above."
  fi
}

if [ "${1:-}" = relay ]; then
  shift
  # Headless: none of the client's run-time packages (GTK, PulseAudio) are needed.
  relay="$here/$P2PCHAT_RELAY_PRODUCT_DIR"
  build_if_stale "$relay/p2pchat-relay" relay
  exec "$relay/p2pchat-relay" "$@"
fi

p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}"
product="$here/$P2PCHAT_PRODUCT_DIR"
build_if_stale "$product/p2pchat" client
exec "$product/p2pchat" "$@"
