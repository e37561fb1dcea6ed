#!/usr/bin/env bash
# Prints the message history's figures: storing 100,000 messages across 50 conversations one call
# at a time (each committed and written to the file before the call returns, as the client stores
# them), the database file's size per 100,000 messages, and after closing and opening it again the
# newest page (50 messages) of every conversation (median and max) and search (a word in 1% of
# the messages, and one in none; median of 11). The encrypted database (as a profile's history
# is) is measured next to the unencrypted one, the baseline, in the same run. Runs HistoryBenchmark
# (bundles/org.p2pchat.history.tests) in a plain JVM with H2 and the history bundle; builds them
# first. Needs no network.
#
#   releng/benchmarks/history.sh [MESSAGES=100000]
#   (MAVEN_REPO_LOCAL=DIR if the Maven local repository is not ~/.m2/repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh
p2pchat_find_jdk
repo=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
./mvnw -B -ntp -q install -DskipTests "-Dmaven.repo.local=$repo" \
  -pl bundles/org.p2pchat.history,bundles/org.p2pchat.history.tests -am
h2=$(ls "$repo"/com/h2database/h2/2.5.252/h2-2.5.252.jar)
exec "$JAVA_HOME/bin/java" -Xmx1g \
  -cp "$h2:bundles/org.p2pchat.history/target/classes:bundles/org.p2pchat.history.tests/target/classes" \
  org.p2pchat.history.tests.HistoryBenchmark "${1:-100000}"
