#!/usr/bin/env bash
# Makes the start-up floors of a desktop client product: the same start with less on top, each a
# directory with a p2pchat script, so that client-startup.sh --floors starts them like the client.
#
#   releng/benchmarks/startup-floors/make-floors.sh OUT PRODUCT
#
#   OUT/jvm      the plain JVM opens the floor window (FloorWindow: 20 rows, the client's size)
#   OUT/equinox  Equinox with only the bundles that window needs starts it as its application
#   OUT/bundles  the product with every bundle, its start levels and components, starts that window
#                as its application instead of the E4 workbench
#   OUT/e4       the product's E4 workbench with the client's application model, but the floor's
#                rows in place of the client's part (so no chat client is opened)
# Each keeps the product's start script, and with it the JVM's ahead-of-time cache; the jvm one
# uses such a cache too. Benchmark only: nothing of it goes into a product.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/releng/scripts/common.sh"
p2pchat_find_jdk
[ $# -eq 2 ] || p2pchat_die "usage: $0 OUT PRODUCT"
out=$(realpath -m "$1") product=$(realpath "$2")
[ -x "$product/p2pchat" ] || p2pchat_die "no product in $product (no p2pchat script)"
plugin() { ls "$product"/plugins/"$1"_*.jar | head -1; }
rm -rf "$out"
mkdir -p "$out/bundle"

# The floor bundle: the window, the part, and the client's model with the part replaced.
cp -r "$here/META-INF" "$here/plugin.xml" "$out/bundle/"
"$JAVA_HOME/bin/javac" -nowarn --release 21 -d "$out/bundle" \
  -cp "$(plugin org.eclipse.swt.gtk.linux.x86_64):$(plugin org.eclipse.equinox.app):$(plugin org.eclipse.osgi):$(plugin jakarta.annotation-api)" \
  "$here"/src/org/p2pchat/benchmark/floor/*.java
unzip -p "$(plugin org.p2pchat.ui)" Application.e4xmi \
  | sed 's#bundleclass://org.p2pchat.ui/org.p2pchat.ui.internal.parts.ClientPart#bundleclass://org.p2pchat.benchmark.floor/org.p2pchat.benchmark.floor.FloorPart#' \
  > "$out/bundle/Application.e4xmi"
grep -q FloorPart "$out/bundle/Application.e4xmi" || p2pchat_die "the client's Application.e4xmi has no ClientPart to replace"
jar=org.p2pchat.benchmark.floor_1.0.0.jar
(cd "$out/bundle" && "$JAVA_HOME/bin/jar" --create --file "../$jar" --manifest META-INF/MANIFEST.MF .)

# OUT/jvm: no framework; the same start script's ideas (AOT cache in XDG_CACHE_HOME) in a few lines.
mkdir -p "$out/jvm"
cp "$out/$jar" "$(plugin org.eclipse.swt.gtk.linux.x86_64)" "$out/jvm/"
cat > "$out/jvm/p2pchat" <<SCRIPT
#!/usr/bin/env bash
here=\$(cd "\$(dirname "\$0")" && pwd)
cache="\${XDG_CACHE_HOME:-\$HOME/.cache}/p2pchat-floor.aot"
if [ -f "\$cache" ]; then aot=(-XX:AOTCache="\$cache"); else mkdir -p "\$(dirname "\$cache")"; aot=(-XX:AOTCacheOutput="\$cache" -Xlog:aot=error,cds=error); fi
read -r -a user_vmargs <<< "\${P2PCHAT_VMARGS:-}"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms128m -XX:MetaspaceSize=80m "\${aot[@]}" \\
  "\${user_vmargs[@]}" -cp "\$here/$jar:\$here/$(basename "$(plugin org.eclipse.swt.gtk.linux.x86_64)")" \\
  org.p2pchat.benchmark.floor.FloorWindow
SCRIPT
chmod +x "$out/jvm/p2pchat"

# floor NAME KEEP KEY VALUE [STARTED]: a copy of the product with the floor bundle added, only the
# bundles whose bundles.info lines match KEEP, those matching STARTED started, config.ini's KEY=VALUE.
floor() {
  local name=$1 keep=$2 key=$3 value=$4 started=${5:-^$} dir="$out/$1" info
  cp -a "$product" "$dir"
  cp "$out/$jar" "$dir/plugins/"
  info="$dir/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
  { grep -E "$keep" "$info" | sed -E "/$started/ s/,false\$/,true/"
    echo "org.p2pchat.benchmark.floor,1.0.0,plugins/$jar,4,false"; } > "$info.new"
  mv "$info.new" "$info"
  sed -i "s/^$key=.*/$key=$value/" "$dir/configuration/config.ini"
  "$root/releng/scripts/initialize-product.sh" "$dir" > /dev/null
}
# Equinox alone: the app container is started here (the product starts it through the runtime).
floor equinox '^#|^org\.eclipse\.(osgi|osgi\.compatibility\.state|equinox\.simpleconfigurator|equinox\.common|equinox\.registry|equinox\.app|equinox\.launcher|swt|swt\.gtk\.linux\.x86_64),' \
  eclipse.application org.p2pchat.benchmark.floor.window '^org\.eclipse\.equinox\.app,'
floor bundles '.' eclipse.application org.p2pchat.benchmark.floor.window
floor e4 '.' eclipse.product org.p2pchat.benchmark.floor.e4
rm -rf "$out/bundle"
echo "start-up floors of $product in $out: jvm equinox bundles e4"
