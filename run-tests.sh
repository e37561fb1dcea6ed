#!/usr/bin/env bash
# Runs every test. Builds the reactor once with network access (Maven Central only) so that all
# artifacts are local, then runs the whole build with its tests offline, inside a network
# namespace of its own (releng/scripts/testnet.sh) and under a virtual X display with a window
# manager (releng/scripts/with-window-manager.sh): WebRTC tests
# can reach nothing but the namespace's own addresses.
#
#   ./run-tests.sh [extra Maven arguments, e.g. -pl bundles/org.p2pchat.core.tests]
set -euo pipefail
cd "$(dirname "$0")"
. releng/scripts/common.sh
p2pchat_find_jdk
p2pchat_need_packages "${P2PCHAT_RUNTIME_PACKAGES[@]}" "${P2PCHAT_TEST_PACKAGES[@]}"
echo "p2pchat: JDK $JAVA_HOME" >&2
baseline_args=$(p2pchat_api_baseline_args)
set -- $baseline_args "$@"

# 1. Online: resolve the target platform and plug-ins, and resolve (not run) one test runtime so
#    tycho-surefire's providers are local too.
./mvnw -B -ntp install -DskipTests "$@"
./mvnw -B -ntp verify -pl bundles/org.p2pchat.core.tests -Dtest=ResolveOnly -DfailIfNoTests=false -q

# 2. Offline, isolated, with a display and a window manager (as users have): every test.
exec releng/scripts/testnet.sh xvfb-run -a -s "-screen 0 1280x1024x24" \
    releng/scripts/with-window-manager.sh ./mvnw -B -ntp -o verify "$@"
