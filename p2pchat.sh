#!/usr/bin/env bash
# Builds the client product when the sources are newer than it (or it is missing), then starts it.
#
#   ./p2pchat.sh [--profile DIR]              the desktop client
#   ./p2pchat.sh [--profile DIR] cli ARGS     the command-line client (./p2pchat.sh cli --help)
#   ./p2pchat.sh relay [ARGS]                 the headless relay server
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/releng/scripts/common.sh"

if [ "${1:-}" = relay ]; then
  p2pchat_die "the headless relay product is not part of this build yet (it comes with the rendezvous service)."
fi

p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}"
product="$here/$P2PCHAT_PRODUCT_DIR"
stale=""
if [ -x "$product/p2pchat" ]; then
  stale=$(cd "$here" && find pom.xml target-platform bundles features releng -newer "$product/p2pchat" \
            -not -path '*/target/*' -type f -print -quit)
fi
if [ ! -x "$product/p2pchat" ] || [ -n "$stale" ]; then
  p2pchat_find_jdk
  echo "p2pchat: building the client product (a few minutes the first time)..." >&2
  (cd "$here" && ./mvnw -B -ntp -q verify -DskipTests) || p2pchat_die "the build failed; see the messages above."
fi
exec "$product/p2pchat" "$@"
