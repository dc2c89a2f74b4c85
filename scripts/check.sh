#!/bin/sh
# make check: the static checks; prints what they find and fails on any of it.
#
#   1. sparse on the module's own sources: kbuild with C=2 against the
#      headers of the kernel in build/kernel-version (the module is built
#      first if it is not). Lua's own sources, compiled as released, are
#      left out (sparse finds their LUA_API definitions odd).
#   2. userspace C: tools/xdplua, tools/xdpluatables, userspace/
#      (libxdplua), bpf/, bench/native.c and tests/json_writer.c, built from
#      scratch into build/check/ with their Makefiles' flags (-Wall
#      -Wextra): any compiler warning fails.
#
#   scripts/check.sh [--sparse | --cc]    one of them only
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-$PWD/build}
SPARSE=1 CC_CHECK=1
case ${1:-} in
--sparse) CC_CHECK=0 ;;
--cc) SPARSE=0 ;;
"") ;;
*) echo "usage: scripts/check.sh [--sparse | --cc]" >&2; exit 2 ;;
esac
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ $SPARSE = 1 ]; then
	command -v sparse >/dev/null || { echo "check: sparse is not installed (apt-get install sparse)" >&2; exit 1; }
	kver=$(cat "$BUILD/kernel-version" 2>/dev/null) ||
		{ echo "check: no $BUILD/kernel-version (make deps)" >&2; exit 1; }
	# a build of its own (build/module-check/), relinked every time: kbuild
	# runs sparse on every source when it runs at all
	rm -f "$BUILD/module-check/xdplua.ko"
	if ! make -s -C module KVER="$kver" OUTNAME=module-check C=2 CHECK=sparse > "$log" 2>&1; then
		cat "$log"
		echo "check: the module does not build"
		exit 1
	fi
	# warnings and errors in the module's files, not Lua's (lua/l*.c)
	found=$(grep -E ':[0-9]+:[0-9]+: (warning|error):' "$log" |
		grep -Ev '/lua/l[a-z0-9_]+\.[ch]:' || true)
	if [ -n "$found" ]; then
		printf '%s\n' "$found"
		echo "check: sparse: $(printf '%s\n' "$found" | wc -l) finding(s) in the module"
		fail=1
	else
		echo "check: sparse: the module is clean (Linux $kver's headers)"
	fi
fi

if [ $CC_CHECK = 1 ]; then
	out=$BUILD/check
	cc_fail=0
	rm -rf "${out:?}/tools" "${out:?}/userspace" "${out:?}/bpf" "${out:?}/bin" "${out:?}/bench"
	mkdir -p "$out/bench"
	# Lua's source (scripts/deps.sh) for libxdplua and run --local
	[ -e "$out/lua" ] || ln -s ../lua "$out/lua"
	: > "$log"
	for d in bpf userspace tools/xdplua tools/xdpluatables; do
		make -s -C "$d" BUILD="$out" >> "$log" 2>&1 || { cat "$log"; echo "check: $d does not build"; exit 1; }
	done
	for f in xdplua xdpluatables; do
		[ -x "$out/bin/$f" ] || { cat "$log"; echo "check: $f was not built"; exit 1; }
	done
	cc -O2 -g -Wall -Wextra -Iuserspace -c -o "$out/bench/native.o" bench/native.c >> "$log" 2>&1 || cc_fail=1
	cc -O2 -g -std=gnu11 -Wall -Wextra -Itools/xdplua -c -o "$out/bench/json_writer.o" \
		tests/json_writer.c >> "$log" 2>&1 || cc_fail=1
	found=$(grep -E 'warning:|error:' "$log" || true)
	if [ -n "$found" ] || [ $cc_fail = 1 ]; then
		cat "$log"
		echo "check: cc: $(printf '%s\n' "$found" | grep -c .) warning(s) in userspace"
		fail=1
	else
		echo "check: cc: userspace builds without a warning (-Wall -Wextra)"
	fi
fi
exit $fail
