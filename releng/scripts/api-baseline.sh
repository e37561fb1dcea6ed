#!/usr/bin/env bash
# Builds the API baseline: a p2 repository of the bundles that export API (ApiVersions.java
# api-bundles), built from the commit the build compares our API with (p2pchat.api.baseline in
# pom.xml). tycho-baseline-plugin then fails the build when an exported package changed
# incompatibly with that commit and its version was not raised. Nothing of it is committed: the
# baseline is built from git history, once per commit, into OUTPUT_DIR (pom.xml puts it under the
# local Maven repository's .cache, which survives `mvn clean`). The root pom.xml runs this at the
# start of every build.
#
#   releng/scripts/api-baseline.sh COMMIT OUTPUT_DIR LOCAL_MAVEN_REPOSITORY --offline=true|false
set -euo pipefail
if [ $# -ne 4 ] || [[ $4 != --offline=* ]]; then
    echo "usage: $0 COMMIT OUTPUT_DIR LOCAL_MAVEN_REPOSITORY --offline=true|false" >&2
    exit 2
fi
rev=$1 out=$2 repo=$3 offline=${4#--offline=}
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ -f "$out/artifacts.jar" ] || [ -f "$out/artifacts.xml" ]; then
    echo "API baseline $rev: $out"
    exit 0
fi
if ! commit=$(git -C "$root" rev-parse --verify -q "$rev^{commit}"); then
    echo "error: the API baseline commit $rev is not in this checkout's git history (a shallow clone?)." >&2
    echo "       Fetch the history (git fetch --unshallow), or build with -Dp2pchat.api.baseline.skip" >&2
    echo "       to leave the API unchecked." >&2
    exit 1
fi

echo "API baseline $rev: building it from git into $out (once per commit)"
start=$SECONDS
work=$root/target/api-baseline
rm -rf "$work"
mkdir -p "$work/src"
git -C "$root" archive "$commit" | tar -x -C "$work/src"
bundles=$("$java" "$root/releng/scripts/ApiVersions.java" api-bundles "$work/src")
modules=target-platform
for dir in $("$java" "$root/releng/scripts/ApiVersions.java" api-modules "$work/src"); do
    modules+=,$dir
done

# An eclipse-repository module listing those bundles, added to the baseline tree's reactor, which
# builds it with the target platform and the bundles those need (not the tests, features or
# products). localArtifacts=ignore: nothing may come from this build's own bundles installed in the
# local Maven repository.
module=$work/src/releng/api-baseline
mkdir -p "$module"
parent_version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$work/src/pom.xml" | head -1)
cat > "$module/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.p2pchat</groupId>
    <artifactId>p2pchat-parent</artifactId>
    <version>$parent_version</version>
    <relativePath>../../pom.xml</relativePath>
  </parent>
  <artifactId>org.p2pchat.api-baseline</artifactId>
  <packaging>eclipse-repository</packaging>
</project>
EOF
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<site>'
    for bundle in $bundles; do
        echo "  <bundle id=\"$bundle\" version=\"0.0.0\"/>"
    done
    echo '</site>'
} > "$module/category.xml"
sed -i 's:<modules>:<modules><module>releng/api-baseline</module>:' "$work/src/pom.xml"

# The baseline's own build neither checks an API baseline nor builds one (a baseline commit that
# has this script would otherwise recurse).
maven_args=(-B -ntp "-Dmaven.repo.local=$repo")
if [ "$offline" = true ]; then
    maven_args+=(-o)
fi
if ! (cd "$work/src" && unset MAVEN_ARGS && ./mvnw "${maven_args[@]}" package -DskipTests \
        -Dtycho.baseline.skip=true -Dp2pchat.api.baseline.skip=true -Dtycho.localArtifacts=ignore \
        -pl "$modules,releng/api-baseline") > "$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log" >&2
    echo "error: building the API baseline from $rev failed; the log is $work/build.log" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
rm -rf "$out.tmp"
cp -r "$module/target/repository" "$out.tmp"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "API baseline $rev: $(echo $bundles) in $((SECONDS - start)) s"
