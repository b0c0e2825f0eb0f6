#!/bin/sh
# Builds a Debian package of keten from a build (default .build/release, made with
# `swift build -c release --static-swift-stdlib --product keten`, so only Debian's libraries are needed):
#   scripts/build-deb.sh [OUTPUT-FOLDER] [BUILD]
# The package installs /usr/bin/keten and its content in /usr/share/keten.
set -eu
cd "$(dirname "$0")/.."
out="${1:-.}"
build="${2:-.build/release}"
if [ ! -x "$build/keten" ]; then
  echo "build-deb.sh: no build in $build; run: swift build -c release --static-swift-stdlib --product keten" >&2
  exit 1
fi
version="$("$build/keten" --version | tr -d '[:space:]')"
arch="$(dpkg --print-architecture)"
root="$(mktemp -d)"
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT
scripts/install.sh "$root/usr" "$build" >/dev/null
install -d -m 0755 "$root/DEBIAN" "$root/usr/share/doc/keten"
install -m 0644 README.md "$root/usr/share/doc/keten/README.md"
# The libraries the program links besides libc: ncurses (and, once built with it, libpq).
depends="libc6, libncursesw6"
if ldd "$build/keten" 2>/dev/null | grep -q 'libpq\.so'; then depends="$depends, libpq5"; fi
if ldd "$build/keten" 2>/dev/null | grep -q 'libstdc++'; then depends="$depends, libstdc++6"; fi
if ldd "$build/keten" 2>/dev/null | grep -q 'libgcc_s'; then depends="$depends, libgcc-s1"; fi
cat > "$root/DEBIAN/control" <<CONTROL
Package: keten
Version: $version
Architecture: $arch
Maintainer: Keten maintainers <keten@example.invalid>
Depends: $depends
Section: misc
Priority: optional
Description: case management for the labour-market integration of refugees
 A terminal (ncurses) app and command line for reception centres, mentors,
 trainers and job counsellors: screening, bridging, matching and sustaining,
 following the EU Employer Tailored Chain Cooperation guidelines.
CONTROL
mkdir -p "$out"
deb="$out/keten_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
