#!/usr/bin/env bash
# Builds meld-node:TAG and meld-node-debug:TAG from one node jar, so the jar in both is the same file.
#
#   debug-image/build-images.sh [JAR] [TAG]     (defaults: node/target/meld-node.jar, dev)
#
# Needs the bases from debug-image/setup.sh (or BASE / DEBUG_BASE naming other images).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../node/target/meld-node.jar}
tag=${2:-dev}
[ -f "$jar" ] || { echo "build-images: no jar at $jar (build it: mvn -B -pl node -am package -DskipTests)" >&2; exit 1; }
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$here/Dockerfile" "$here/Dockerfile.debug" "$ctx/"
cp "$jar" "$ctx/meld-node.jar"
docker build -q -t "meld-node:$tag" --build-arg "BASE=${BASE:-meld-jre:bookworm}" -f "$ctx/Dockerfile" "$ctx" >/dev/null
docker build -q -t "meld-node-debug:$tag" --build-arg "BASE=${DEBUG_BASE:-meld-debug-base:bookworm}" \
  -f "$ctx/Dockerfile.debug" "$ctx" >/dev/null
echo "built meld-node:$tag and meld-node-debug:$tag from $jar ($(sha256sum "$jar" | cut -c1-12))"
