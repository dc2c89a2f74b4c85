#!/bin/sh
# Print the kernel build directory to build modules for kernel KVER against.
#
#   scripts/kbuild-dir.sh KVER [CACHE]
#
# Usually that is Debian's linux-headers-KVER. A module's BTF (which the
# kfunc needs) is generated against the kernel's vmlinux and its kfunc ID
# set resolved by resolve_btfids; Debian's headers of 6.1 ship neither. For
# such a kernel this prints $CACHE/kdir-KVER (default build/kdir-KVER): the
# headers' entries as symlinks, plus
#   vmlinux                                the kernel's image (with its BTF)
#                                          out of /boot/vmlinuz-KVER
#   tools/bpf/resolve_btfids/resolve_btfids  from scripts/resolve-btfids.sh
# A kernel without CONFIG_DEBUG_INFO_BTF_MODULES gets its headers as they are.
set -eu
kver=${1:?usage: kbuild-dir.sh KVER [CACHE]}
here=$(cd "$(dirname "$0")" && pwd)
cache=${2:-${BUILD:-$here/../build}}

kdir=
for d in "/lib/modules/$kver/build" "/usr/src/linux-headers-$kver"; do
	[ -f "$d/Makefile" ] && { kdir=$(cd "$d" && pwd -P); break; }
done
[ -n "$kdir" ] || { echo "kbuild-dir: no headers for $kver (apt-get install linux-headers-$kver)" >&2; exit 1; }

if ! grep -qs '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" ||
   { [ -f "$kdir/vmlinux" ] && [ -x "$kdir/tools/bpf/resolve_btfids/resolve_btfids" ]; }; then
	echo "$kdir"
	exit 0
fi

# kbuild cannot build against a directory whose path has a space: such a
# checkout's kdir goes under /tmp (as scripts/build.mk's kbuild link)
mkdir -p "$cache"
cache=$(cd "$cache" && pwd -P)
case $cache in
*" "*) cache=/tmp/xdplua-kdir-$(printf '%s' "$cache" | cksum | cut -d' ' -f1)
       mkdir -p "$cache" ;;
esac
out=$cache/kdir-$kver
if [ -f "$out/.xdplua-complete" ]; then
	echo "$out"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"

# The image: the first compressed payload of the bzImage that is an ELF file.
image=/boot/vmlinuz-$kver
[ -r "$image" ] || { echo "kbuild-dir: $image missing (apt-get install linux-image-$kver)" >&2; exit 1; }
vmlinux=$out/vmlinux
for magic in 'xz \xfd\x37\x7a\x58\x5a\x00' 'zstd \x28\xb5\x2f\xfd' 'gzip \x1f\x8b\x08'; do
	LC_ALL=C grep -obUaP "${magic#* }" "$image" | cut -d: -f1 | while read -r off; do
		tail -c +$((off + 1)) "$image" | ${magic%% *} -dcq > "$vmlinux" 2>/dev/null || true
		if [ "$(head -c4 "$vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			touch "$vmlinux.ok"
			break
		fi
	done
	[ -f "$vmlinux.ok" ] && break
done
[ -f "$vmlinux.ok" ] || { echo "kbuild-dir: cannot extract vmlinux from $image" >&2; exit 1; }
rm -f "$vmlinux.ok"

rbt=$(sh "$here/resolve-btfids.sh" "$kver" "$cache")

for e in "$kdir"/* "$kdir"/.[!.]*; do
	[ -e "$e" ] || continue
	case ${e##*/} in vmlinux|tools) continue ;; esac
	ln -s "$(readlink -f "$e")" "$out/${e##*/}"
done
mkdir -p "$out/tools/bpf/resolve_btfids"
for e in "$kdir"/tools/*; do
	[ -e "$e" ] && [ "${e##*/}" != bpf ] && ln -s "$(readlink -f "$e")" "$out/tools/${e##*/}"
done
ln -s "$rbt" "$out/tools/bpf/resolve_btfids/resolve_btfids"
touch "$out/.xdplua-complete"
echo "$out"
