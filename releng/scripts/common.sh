# Shared by the top-level scripts (p2pchat.sh, run-tests.sh, .ci/run): find a JDK that can run
# Tycho 5 and build Java 21 bytecode, and install the Debian packages the build and tests need.
# Source it; it sets JAVA_HOME or stops with a message that says what to do.

P2PCHAT_MIN_JDK=21
P2PCHAT_PREFERRED_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

p2pchat_die() { echo "p2pchat: $*" >&2; exit 1; }

# The feature release of the JDK at $1 (a JAVA_HOME), if it has javac; fails otherwise.
p2pchat_jdk_release() {
  [ -x "$1/bin/javac" ] || return 1
  local v
  v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  v=${v#1.}; v=${v%%[!0-9]*}
  [ -n "$v" ] && echo "$v"
}

# Sets JAVA_HOME to a JDK >= 21: JAVA_HOME, Temurin 25, the newest under /usr/lib/jvm, or
# (as root, where apt offers it) Debian's openjdk-25-jdk or openjdk-21-jdk.
p2pchat_find_jdk() {
  local home rel best="" best_rel=0
  if [ -n "${JAVA_HOME:-}" ] && rel=$(p2pchat_jdk_release "$JAVA_HOME") && [ "$rel" -ge $P2PCHAT_MIN_JDK ]; then
    export JAVA_HOME; return 0
  fi
  for home in "$P2PCHAT_PREFERRED_JDK" /usr/lib/jvm/*; do
    rel=$(p2pchat_jdk_release "$home") || continue
    if [ "$rel" -gt "$best_rel" ]; then best=$home; best_rel=$rel; fi
  done
  if [ "$best_rel" -lt $P2PCHAT_MIN_JDK ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "p2pchat: no JDK $P2PCHAT_MIN_JDK+ found; trying Debian's packages" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null && break
      fi
    done
    for home in /usr/lib/jvm/*; do
      rel=$(p2pchat_jdk_release "$home") || continue
      if [ "$rel" -gt "$best_rel" ]; then best=$home; best_rel=$rel; fi
    done
  fi
  [ "$best_rel" -ge $P2PCHAT_MIN_JDK ] || p2pchat_die "building needs a JDK $P2PCHAT_MIN_JDK or newer (found none in JAVA_HOME or /usr/lib/jvm).
Install one (Eclipse Temurin 25, or 'apt-get install openjdk-25-jdk-headless') or set JAVA_HOME to it."
  export JAVA_HOME=$best
}

# Installs the Debian packages named, if any is missing. Without root, says what to install.
p2pchat_need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    p2pchat_die "missing packages: ${missing[*]}. Install them: sudo apt-get install ${missing[*]}"
  fi
  echo "p2pchat: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || p2pchat_die "could not install ${missing[*]}"
}

# What the client needs at run time (webrtc-java links libpulse; SWT needs GTK 3).
P2PCHAT_RUNTIME_PACKAGES=(libpulse0 libgtk-3-0)
# What the tests need in addition: a display, window tools, screenshots, a window manager, namespaces, a TURN
# server, a tracker.
P2PCHAT_TEST_PACKAGES=(xvfb xauth x11-utils xdotool imagemagick openbox iproute2 util-linux coturn opentracker)

P2PCHAT_PRODUCT_DIR=releng/org.p2pchat.repository/target/products/org.p2pchat.client/linux/gtk/x86_64
P2PCHAT_RELAY_PRODUCT_DIR=releng/org.p2pchat.repository/target/products/org.p2pchat.relay.product/linux/gtk/x86_64

# Maven arguments for the API baseline check: none where the baseline commit (p2pchat.api.baseline
# in pom.xml) is in this checkout's history; where it is not (a shallow clone, a source archive),
# the check is skipped with a warning, since the baseline is built from that commit.
p2pchat_api_baseline_args() {
    local root baseline
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    baseline=$(sed -n 's:.*<p2pchat.api.baseline>\(.*\)</p2pchat.api.baseline>.*:\1:p' "$root/pom.xml")
    if ! git -C "$root" rev-parse -q --verify "$baseline^{commit}" > /dev/null 2>&1; then
        echo "p2pchat: the API baseline commit $baseline is not in this checkout's history (shallow clone?): the API baseline check is skipped" >&2
        echo "-Dp2pchat.api.baseline.skip=true"
    fi
}
