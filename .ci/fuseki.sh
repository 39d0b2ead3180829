#!/usr/bin/env bash
# Fetch Apache Jena Fuseki (org.apache.jena:jena-fuseki-main and its dependency tree) from
# Maven Central into .cache/fuseki/lib (git-ignored), for the remote-store tests that run
# borderkg against a real Fuseki on a loopback port (tests/fuseki.py). Run by `make fuseki`
# and by .ci/run; does nothing when that version is already there. Needs Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
POM=.ci/fuseki/pom.xml
LIB=.cache/fuseki/lib
VERSION=$(sed -n 's:.*<jena.version>\(.*\)</jena.version>.*:\1:p' "$POM")

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fuseki: $tool not found: install Java 17 and Maven (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
    exit 1
  fi
done
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "fuseki: Jena $VERSION needs Java 17 or newer, found Java $java_major" >&2
  exit 1
fi
if [ -f "$LIB/VERSION" ] && [ "$(cat "$LIB/VERSION")" = "$VERSION" ]; then
  echo "fuseki: Jena Fuseki $VERSION already in $LIB"
  exit 0
fi
partial="$LIB.partial"
rm -rf "$partial"
mkdir -p "$(dirname "$LIB")"
log="$(dirname "$LIB")/mvn.log"
if ! mvn -B -q -U -f "$POM" dependency:copy-dependencies -DoutputDirectory="$PWD/$partial" \
     -DincludeScope=runtime >"$log" 2>&1; then
  rm -rf "$partial"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -m1 -o '\[ERROR\].*' | cut -c1-400 >&2 || true
  echo "fuseki: Maven could not fetch org.apache.jena:jena-fuseki-main:$VERSION (is Maven Central reachable? full log: $log)" >&2
  exit 1
fi
echo "$VERSION" > "$partial/VERSION"
rm -rf "$LIB"
mv "$partial" "$LIB"
echo "fuseki: Jena Fuseki $VERSION in $LIB ($(ls "$LIB"/*.jar | wc -l) jars, $(du -sh "$LIB" | cut -f1))"
