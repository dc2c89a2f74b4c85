#!/bin/sh
# Print the path of a resolve_btfids for kernel KVER, building it first if
# needed. kbuild runs resolve_btfids to give a module's BTF ID sets (the
# kfunc's) their IDs; Debian ships it with the headers' kbuild package from
# 6.12 on, not for 6.1. It is then built from Debian's linux-source-X.Y
# package (tools/bpf/resolve_btfids) and cached in
# $CACHE/resolve_btfids-X.Y/ (default build/). XDPLUA_RESOLVE_BTFIDS names
# one to use instead (xdplua-dkms brings its own: nothing is fetched or
# built on the target).
#
#   scripts/resolve-btfids.sh KVER [CACHE]
set -eu
kver=${1:?usage: resolve-btfids.sh KVER [CACHE]}
cache=${2:-${BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}}

for kdir in "/lib/modules/$kver/build" "/usr/src/linux-headers-$kver"; do
	if [ -x "$kdir/tools/bpf/resolve_btfids/resolve_btfids" ]; then
		echo "$kdir/tools/bpf/resolve_btfids/resolve_btfids"
		exit 0
	fi
done

if [ -n "${XDPLUA_RESOLVE_BTFIDS:-}" ]; then
	[ -x "$XDPLUA_RESOLVE_BTFIDS" ] || { echo "resolve-btfids: $XDPLUA_RESOLVE_BTFIDS missing" >&2; exit 1; }
	echo "$XDPLUA_RESOLVE_BTFIDS"
	exit 0
fi

series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$series" ] || { echo "resolve-btfids: cannot tell the series of $kver" >&2; exit 1; }
out=$cache/resolve_btfids-$series
if [ -x "$out/resolve_btfids" ]; then
	echo "$out/resolve_btfids"
	exit 0
fi

tarball=/usr/src/linux-source-$series.tar.xz
if [ ! -f "$tarball" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		echo "resolve-btfids: installing linux-source-$series" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"linux-source-$series" > /dev/null
	fi
	[ -f "$tarball" ] || {
		echo "resolve-btfids: the headers of $kver lack resolve_btfids and $tarball is missing (apt-get install linux-source-$series)" >&2
		exit 1
	}
fi

echo "resolve-btfids: building resolve_btfids from $tarball" >&2
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/resolve_btfids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
top=linux-source-$series
tar -xf "$tarball" -C "$tmp" "$top/tools" "$top/include/uapi" "$top/scripts" "$top/Makefile"
mkdir -p "$tmp/out"
make -s -C "$tmp/$top/tools/bpf/resolve_btfids" OUTPUT="$tmp/out/" > "$tmp/build.log" 2>&1 || {
	tail -20 "$tmp/build.log" >&2
	echo "resolve-btfids: build failed" >&2
	exit 1
}
mkdir -p "$out"
mv "$tmp/out/resolve_btfids" "$out/resolve_btfids"
echo "$out/resolve_btfids"
