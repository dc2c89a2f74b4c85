#!/bin/sh
# Build the Debian packages (make deb): the project's files, as the work
# tree has them, are copied to build/deb/xdplua-VERSION/ and built there with
# dpkg-buildpackage (binary packages, unsigned), so that the build leaves
# the work tree alone. The packages, .buildinfo and .changes land in
# build/deb/; lintian checks them.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
BUILD=${BUILD:-$top/build}
version=$(dpkg-parsechangelog -SVersion)
out=$BUILD/deb
src=$out/xdplua-$version

# Lua's source as scripts/deps.sh left it (patched), and the resolve_btfids
# of the project's build cache (built once from linux-source-6.1).
LUA_SRC=$BUILD/lua/src
[ -f "$LUA_SRC/lua.h" ] || { echo "deb: no Lua source in $LUA_SRC (scripts/deps.sh)" >&2; exit 1; }
XDPLUA_RESOLVE_BTFIDS=$(BUILD=$BUILD sh scripts/resolve-btfids.sh 6.1)
export LUA_SRC XDPLUA_RESOLVE_BTFIDS

rm -rf "$out"
mkdir -p "$src"
if git rev-parse --git-dir > /dev/null 2>&1; then
	# shellcheck disable=SC2016  # the inner shell expands $f
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		cpio -0 -pdm --quiet "$src"
else
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
fi

echo "deb: building in $src"
(cd "$src" && dpkg-buildpackage -b -us -uc > "$out/build.log" 2>&1) || {
	tail -30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
rm -rf "$src"
ls "$out"/*.deb
if command -v lintian > /dev/null; then
	echo "deb: lintian"
	lintian -I \
		"$out"/xdplua_"$version"_*.changes || true
fi
