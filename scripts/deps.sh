#!/bin/sh
# Install what XDPLua needs to build and test on Debian 12, and fetch the
# Lua 5.4 source from Debian's lua5.4 source package. Idempotent: a second run
# only checks. Writes build/kernel-version (the Debian 6.12 kernel the module
# is built for and the VM boots).
#
#   scripts/deps.sh --bench   only the benchmarks' own extra packages (the DNS
#                             servers bench/dns.sh compares: knot, unbound),
#                             which "make test" does not need; their services
#                             are neither started nor enabled on this machine
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

if [ "${1:-}" = --bench ]; then
	BENCH_PKGS="knot unbound"
	missing=""
	for p in $BENCH_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -n "$missing" ] || exit 0
	echo "deps: installing$missing (bench only; services not started)"
	# the packages' maintainer scripts start their daemons through
	# invoke-rc.d unless a policy forbids it: forbid it for this install
	# (unless the machine already has a policy of its own)
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' > $policy
		chmod 755 $policy
		trap 'rm -f $policy' EXIT
	fi
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-upgrade \
		--no-install-recommends $missing >/dev/null
	# nor started at the next boot: the benchmark runs its own instances
	if [ -d /run/systemd/system ]; then
		for p in $missing; do
			systemctl disable -q --now "$p" 2>/dev/null || true
		done
	fi
	exit 0
fi
mkdir -p "$BUILD"

PKGS="make gcc clang llvm libbpf-dev libxdp-dev bpftool dwarves libelf-dev zlib1g-dev
pkg-config libmnl-dev liburcu-dev dpkg-dev qemu-system-x86 busybox-static cpio zstd xz-utils lz4 kmod
iproute2 iputils-ping netcat-openbsd bind9-dnsutils tcpdump ethtool
dnsmasq-base knot-dnsutils dnsperf python3 procps util-linux patch libclang-rt-14-dev
libpcap-dev wireshark-common sparse
xdp-tools curl iptables nftables python3-matplotlib"

need_update=1
apt_update() {
	if [ $need_update = 1 ]; then
		apt-get update -q >/dev/null
		need_update=0
	fi
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# The newest Debian 12 build of Linux 6.12 LTS with headers (the headers
# package pulls the matching image and modules).
kver=""
if [ -f "$BUILD/kernel-version" ]; then
	kver=$(cat "$BUILD/kernel-version")
	[ -d "/usr/src/linux-headers-$kver" ] && [ -f "/boot/vmlinuz-$kver" ] || kver=""
fi
if [ -z "$kver" ]; then
	apt_update
	kver=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -1)
	[ -n "$kver" ] || { echo "deps: no linux-headers-6.12 package found" >&2; exit 1; }
	if [ ! -d "/usr/src/linux-headers-$kver" ] || [ ! -f "/boot/vmlinuz-$kver" ]; then
		echo "deps: installing Linux $kver (headers, image, modules)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"linux-headers-$kver" "linux-image-$kver" >/dev/null
	fi
	echo "$kver" > "$BUILD/kernel-version"
fi

# Lua 5.4 source, from Debian's source package (never committed).
if [ ! -f "$BUILD/lua/src/lua.h" ]; then
	if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
	   ! grep -qs '^deb-src' /etc/apt/sources.list; then
		# Same mirror and suites as the binary entries.
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			sed -n '/^Types: deb$/,/^$/p' "$f" | sed 's/^Types: deb$/Types: deb-src/'
			echo
		done > /etc/apt/sources.list.d/xdplua-deb-src.sources
		grep '^deb ' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' \
			> /etc/apt/sources.list.d/xdplua-deb-src.list || true
		need_update=1
	fi
	apt_update
	rm -rf "$BUILD/lua-src" && mkdir -p "$BUILD/lua-src"
	(cd "$BUILD/lua-src" && apt-get source -q lua5.4 >/dev/null 2>&1) ||
		{ echo "deps: apt-get source lua5.4 failed" >&2; exit 1; }
	dir=$(find "$BUILD/lua-src" -maxdepth 1 -type d -name 'lua5.4-*' | head -1)
	rm -rf "$BUILD/lua" && cp -a "$dir" "$BUILD/lua"
	echo "deps: Lua source from $(basename "$dir")"
fi

# The project's few patches to Lua (module/klua/patches/, see the README
# there), applied to a fresh copy whenever they change.
stamp=$(cat module/klua/patches/*.patch | cksum | cut -d' ' -f1)
if [ "$(cat "$BUILD/lua/.xdplua-patches" 2>/dev/null)" != "$stamp" ]; then
	dir=$(find "$BUILD/lua-src" -maxdepth 1 -type d -name 'lua5.4-*' | head -1)
	[ -n "$dir" ] || { echo "deps: no Lua source in $BUILD/lua-src" >&2; exit 1; }
	rm -rf "$BUILD/lua" && cp -a "$dir" "$BUILD/lua"
	for p in module/klua/patches/*.patch; do
		patch -s -p1 -d "$BUILD/lua" < "$p" ||
			{ echo "deps: $p does not apply" >&2; exit 1; }
	done
	echo "$stamp" > "$BUILD/lua/.xdplua-patches"
	echo "deps: Lua patched ($(ls module/klua/patches/*.patch | wc -l) patches)"
fi
