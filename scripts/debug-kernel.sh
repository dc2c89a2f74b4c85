#!/bin/sh
# Build the XDPLua debug kernel and the module for it (make debug-kernel):
# Debian's Linux 6.12 source (the linux-source-6.12 package, the version of
# build/kernel-version when the archive still has it) configured with
# x86_64_defconfig + kvm_guest.config + scripts/debug-kernel.config (KASAN,
# lockdep with PROVE_LOCKING and PROVE_RCU, DEBUG_ATOMIC_SLEEP, UBSAN,
# kmemleak; what the VM harness and the kernel suites need built in).
#
# A cache: everything goes under build/debug-kernel/ and is reused while the
# source version, the config fragment and this script are unchanged.
#
#   build/debug-kernel/linux-source-6.12/        the kernel tree (KDIR)
#   build/debug-kernel/linux-source-6.12/vmlinux what tests/vm/run --kernel boots
#   build/debug-kernel/module/xdplua.ko          the module, built against it
#   build/debug-kernel/build.log                 the last kernel build's output
#   build/debug-kernel/kernel-release            e.g. 6.12.117-xdplua-debug
#
# Installs what the kernel build needs first (Debian packages, as root).
# The build runs at nice 19 with make -j$(nproc) (JOBS=N to change).
set -eu
cd "$(dirname "$0")/.."
TOP=$PWD
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
DK=$BUILD/debug-kernel
SRC=$DK/linux-source-6.12
FRAGMENT=$TOP/scripts/debug-kernel.config
JOBS=${JOBS:-$(nproc)}

PKGS="bc bison flex libssl-dev libelf-dev dwarves rsync cpio xz-utils make gcc"

msg() { echo "debug-kernel: $*" >&2; }

# The project's own dependencies (build/kernel-version, Lua's source).
sh scripts/deps.sh
mkdir -p "$DK"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
updated=0
if [ -n "$missing" ]; then
	msg "installing$missing"
	apt-get update -q >/dev/null; updated=1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# Debian's source of the kernel the module is built for: the same upstream
# version (6.12.N) if the archive still has it, else the newest 6.12.
upstream=$(sed 's/[-+].*//' "$BUILD/kernel-version")
have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
case $have in
"$upstream"-*) ;;
*)
	[ $updated = 1 ] || apt-get update -q >/dev/null
	want=$(apt-cache madison linux-source-6.12 | awk -v u="$upstream" '$3 ~ "^" u "-" {print $3; exit}')
	[ -n "$want" ] || want=$(apt-cache policy linux-source-6.12 | awk '/Candidate:/ {print $2}')
	[ -n "$want" ] && [ "$want" != "(none)" ] || { msg "no linux-source-6.12 package"; exit 1; }
	if [ "$want" != "$have" ]; then
		msg "installing linux-source-6.12=$want"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			--allow-downgrades "linux-source-6.12=$want" >/dev/null
		have=$want
	fi
	;;
esac

# The tree: extracted once per source version.
if [ "$(cat "$DK/source-version" 2>/dev/null)" != "$have" ] || [ ! -f "$SRC/Makefile" ]; then
	msg "extracting linux-source-6.12 $have"
	rm -rf "$SRC" "$DK/built"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$DK"
	echo "$have" > "$DK/source-version"
fi

# The kernel: configured and built when the source, the fragment or this
# script changed (make is incremental: a changed option rebuilds what
# depends on it).
stamp=$( (echo "$have"; cat "$FRAGMENT" "$0") | cksum | cut -d' ' -f1)
if [ "$(cat "$DK/built" 2>/dev/null)" != "$stamp" ] || [ ! -s "$SRC/vmlinux" ]; then
	rm -f "$DK/built"
	(
		cd "$SRC"
		make -s x86_64_defconfig >/dev/null
		scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config \
			"$FRAGMENT" >/dev/null
		make -s olddefconfig >/dev/null
	)
	# What the fragment asks for and kconfig refused (a dependency
	# missing): said, not fatal.
	grep -E '^(# )?CONFIG_[A-Z0-9_]+[= ]' "$FRAGMENT" | while read -r line; do
		opt=$(echo "$line" | sed -E 's/^(# )?(CONFIG_[A-Z0-9_]+).*/\2/')
		got=$(grep -E "^(# )?$opt[= ]" "$SRC/.config" || true)
		case $line in
		"# "*) [ -z "$got" ] || [ "$got" = "$line" ] || msg "note: $opt stays on (selected)" ;;
		*) [ "$got" = "$line" ] || msg "note: wanted $line, have ${got:-nothing}" ;;
		esac
	done
	msg "building the kernel with -j$JOBS at nice 19 (log: $DK/build.log); an hour or more on 2 idle cores, hours on a busy machine; interrupted, it resumes where it stopped"
	start=$(date +%s)
	if ! (cd "$SRC" && nice -n 19 make -j"$JOBS" all) > "$DK/build.log" 2>&1; then
		tail -n 30 "$DK/build.log" >&2
		msg "kernel build failed (log: $DK/build.log)"
		exit 1
	fi
	msg "kernel built in $(( $(date +%s) - start )) s"
	(cd "$SRC" && make -s kernelrelease) > "$DK/kernel-release"
	echo "$stamp" > "$DK/built"
	rm -rf "$DK/module"   # built against the old tree
fi

# The module, from the same sources as build/module, against this tree.
make -s -C module KDIR="$SRC" BUILD="$DK" LUA_SRC="$BUILD/lua/src" >/dev/null
test -f "$DK/module/xdplua.ko"
msg "$(cat "$DK/kernel-release"): $SRC/vmlinux, $DK/module/xdplua.ko"
