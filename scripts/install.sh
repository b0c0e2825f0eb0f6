#!/bin/sh
# Installs keten from a build: PREFIX/bin/keten and its content files in PREFIX/share/keten,
# where keten finds them from any folder. After `swift build -c release --static-swift-stdlib --product keten`:
#   scripts/install.sh [PREFIX] [BUILD]     PREFIX defaults to /usr/local, BUILD to .build/release
set -eu
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
build="${2:-.build/release}"
if [ ! -x "$build/keten" ] || [ ! -d "$build/Keten_KetenResources.resources" ]; then
  echo "install.sh: no build in $build; run: swift build -c release --static-swift-stdlib --product keten" >&2
  exit 1
fi
install -d -m 0755 "$prefix/bin" "$prefix/share"
install -m 0755 "$build/keten" "$prefix/bin/keten.new"
# The content is replaced whole, then the program, so a keten started meanwhile reads one version.
rm -rf "$prefix/share/keten.new"
cp -R "$build/Keten_KetenResources.resources" "$prefix/share/keten.new"
find "$prefix/share/keten.new" -type d -exec chmod 0755 {} + && find "$prefix/share/keten.new" -type f -exec chmod 0644 {} +
rm -rf "$prefix/share/keten.old"
[ -d "$prefix/share/keten" ] && mv "$prefix/share/keten" "$prefix/share/keten.old"
mv "$prefix/share/keten.new" "$prefix/share/keten"
mv "$prefix/bin/keten.new" "$prefix/bin/keten"
rm -rf "$prefix/share/keten.old"
echo "Installed $prefix/bin/keten ($("$prefix/bin/keten" --version)) with its content in $prefix/share/keten."
