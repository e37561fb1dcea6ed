#!/usr/bin/env bash
# Fills the framework cache in a materialized product's configuration/ (Equinox's -initialize, as
# Linux distributions do for Eclipse once it is installed): every bundle installed and resolved,
# and the extension registry's cache. The start scripts give each profile its own cache with the
# installation's configuration/ as the shared parent, and Equinox starts a cache it does not have
# yet from the parent's: a first start with a new profile, or after an update, then does not
# install and resolve every bundle again. What p2 installs later is added by the simple
# configurator at the next start, as without this. First the launcher and framework jars lose
# their signatures (UnsignJars.java), so that the JVM's ahead-of-time cache can hold their classes.
#
#   releng/scripts/initialize-product.sh PRODUCT_DIR...
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/releng/scripts/common.sh"
p2pchat_find_jdk
[ $# -gt 0 ] || p2pchat_die "usage: $0 PRODUCT_DIR..."
for product in "$@"; do
  product=$(realpath "$product")
  launchers=("$product"/plugins/org.eclipse.equinox.launcher_*.jar)
  [ -f "${launchers[0]}" ] || p2pchat_die "no plugins/org.eclipse.equinox.launcher_*.jar in $product"
  # The JVM loads these two itself (the class path, the launcher's class loader) and keeps no class
  # of a signed jar in its ahead-of-time cache: unsigned, Equinox's classes are cached too.
  "$JAVA_HOME/bin/java" "$root/releng/scripts/UnsignJars.java" "${launchers[0]}" \
      "$product"/plugins/org.eclipse.osgi_*.jar
  # Nothing of a person's: components that start with the framework find an empty home.
  home=$(mktemp -d)
  rm -rf "$product/configuration/org.eclipse.osgi" "$product/configuration/org.eclipse.core.runtime"
  if ! HOME="$home" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Duser.home="$home" \
      -jar "${launchers[0]}" -install "$product" -configuration "$product/configuration" -initialize \
      > "$home/initialize.log" 2>&1; then
    cat "$home/initialize.log" >&2
    rm -rf "$home"
    p2pchat_die "could not initialize $product"
  fi
  rm -rf "$home"
  [ -d "$product/configuration/org.eclipse.osgi" ] || p2pchat_die "-initialize left no framework cache in $product"
  echo "initialized the framework cache of $product"
done
