#!/bin/sh
# Resolve a kernel name to an installed Debian 12 kernel version, installing
# its image and headers first if needed (as root), and print the version.
#
#   scripts/kernel.sh 6.1                 the newest 6.1.0-N-amd64
#   scripts/kernel.sh 6.12                the newest 6.12.N+deb12-amd64
#   scripts/kernel.sh 6.1.0-57-amd64      exactly that one
#
# A series is resolved once and remembered in build/kernel-version-SERIES
# (deleted: resolved again). For 6.12, build/kernel-version (scripts/deps.sh)
# is the same kernel.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
name=${1:?usage: kernel.sh SERIES|VERSION}

installed() {
	[ -d "/usr/src/linux-headers-$1" ] && [ -f "/boot/vmlinuz-$1" ] &&
		[ -f "/lib/modules/$1/modules.dep" ]
}

case $name in
6.12)	[ -s "$BUILD/kernel-version" ] || sh scripts/deps.sh >&2
	kver=$(cat "$BUILD/kernel-version") ;;
[0-9]*.[0-9]*-*|[0-9]*.[0-9]*.[0-9]*[-+]*)
	kver=$name ;;
[0-9]*.[0-9]*)
	memo=$BUILD/kernel-version-$name
	kver=$(cat "$memo" 2>/dev/null || true)
	if [ -z "$kver" ] || ! installed "$kver"; then
		apt-get update -q > /dev/null
		re=$(echo "$name" | sed 's/\./\\./g')
		kver=$(apt-cache search --names-only "^linux-headers-$re\.[0-9]+(-[0-9]+|\+deb12)-amd64\$" |
			awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -1)
		[ -n "$kver" ] || { echo "kernel: no linux-headers package for Linux $name" >&2; exit 1; }
		mkdir -p "$BUILD"
		echo "$kver" > "$memo"
	fi ;;
*)	echo "kernel: not a kernel version or series: $name" >&2; exit 1 ;;
esac

if ! installed "$kver"; then
	echo "kernel: installing Linux $kver (headers, image)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-headers-$kver" "linux-image-$kver" > /dev/null
fi
echo "$kver"
