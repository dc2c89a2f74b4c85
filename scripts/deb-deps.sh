#!/bin/sh
# Install what "make deb" needs (Debian 12, as root): dpkg-buildpackage,
# debhelper with dh-dkms, pandoc for the man pages, lintian, and the build
# dependencies of debian/control. Separate from scripts/deps.sh: "make test"
# does not need them. Installs nothing that is there already and upgrades
# nothing.
set -eu
PKGS="make gcc dpkg-dev debhelper dh-dkms dkms fakeroot lintian pandoc clang llvm
bpftool libbpf-dev libxdp-dev libmnl-dev liburcu-dev libelf-dev zlib1g-dev pkg-config linux-source-6.1
xz-utils zstd lz4 libpcap-dev"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deb-deps: installing$missing"
apt-get update -q > /dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade \
	$missing > /dev/null
