# Kernel tests of the Debian packages (make deb): installed in the VM (whose
# root is the host's under a RAM overlay: dpkg changes nothing on the host),
# DKMS builds the module for the running kernel, modprobe loads it and the
# installed tool runs an installed example on traffic. DKMS compiles the
# module under emulation (many minutes): the suite runs when asked for
# (make test-deb, tests/run --only package) and build/deb/ has packages.

PKG_DIR=build/deb
HIDDEN=/tmp/xdplua-hidden-kernels

setup() {
	case ${ONLY:-} in
	*package*) ;;
	*) skip "slow (DKMS builds the module under emulation): make test-deb" ;;
	esac
	ls $PKG_DIR/xdplua-dkms_*.deb > /dev/null 2>&1 || skip "no packages in $PKG_DIR (make deb)"
	[ -d /sys/module/xdplua ] && { rmmod xdplua || fail "rmmod of the test module failed"; }
	# A target with the running kernel only: DKMS also builds for the
	# newest kernel it finds in /boot (hidden in the guest's overlay).
	mkdir -p $HIDDEN
	for c in /boot/config-*; do
		[ "$c" = "/boot/config-$(uname -r)" ] || mv "$c" $HIDDEN/
	done
	topo_up
}

teardown() {
	cleanup_scripts
	topo_down
	rmmod xdplua 2>/dev/null || true
	dpkg --purge xdplua xdplua-dkms > /dev/null 2>&1 || true
	mv $HIDDEN/* /boot/ 2>/dev/null || true
	insmod "${XDPLUA_MODULE:-build/module/xdplua.ko}"
}

test_deb_install_builds_module_with_dkms_and_runs_a_script() {
	local version kver
	version=$(dpkg-deb -f $PKG_DIR/xdplua-dkms_*.deb Version)
	kver=$(uname -r)
	run dpkg -i $PKG_DIR/xdplua-dkms_"$version"_*.deb $PKG_DIR/xdplua_"$version"_*.deb
	run dkms status xdplua
	expect_contains "$OUT" "xdplua/$version, $kver, x86_64: installed" "dkms status"
	run modprobe xdplua
	run modinfo -n xdplua
	# compressed (.ko.xz) as the kernel's own modules are, or not
	case $OUT in
	"/lib/modules/$kver/updates/dkms/xdplua.ko"*) ;;
	*) fail "the module modprobe loads: $OUT, not DKMS's" ;;
	esac
	[ -d /sys/module/xdplua ] || fail "xdplua not loaded"

	# shellcheck disable=SC2034  # tests/lib.sh's helpers run $XDPLUA
	XDPLUA=/usr/sbin/xdplua
	run xdplua_b -L /usr/share/doc/xdplua/examples/udp-drop.lua b0
	expect_eq "$(udp_count 20)" 0 "UDP datagrams received through the installed udp-drop.lua"
	expect_ge "$(stat udp-drop drop)" 20 "drop counter"
	run xdplua_b status udp-drop
	expect_contains "$OUT" "b0 (native)" "status of the installed tool"
}

test_deb_installs_man_pages_and_sdk() {
	# the tool's package alone (the module's is recommended, not required)
	run dpkg -i $PKG_DIR/xdplua_*.deb
	run man -w xdplua
	expect_eq "$OUT" /usr/share/man/man8/xdplua.8.gz "xdplua(8)"
	run man -w 7 xdplua-lua
	expect_eq "$OUT" /usr/share/man/man7/xdplua-lua.7.gz "xdplua-lua(7)"
	run sh -c 'man 8 xdplua | grep -c "run Lua scripts in the XDP hook"'
	expect_ge "$OUT" 1 "xdplua(8) says what it is"
	run man -w 8 xdpluatables
	expect_eq "$OUT" /usr/share/man/man8/xdpluatables.8.gz "xdpluatables(8)"
	# xdpluatables as installed, with the forwarding script it loads
	[ -f /usr/share/xdplua/forward.lua ] || fail "no /usr/share/xdplua/forward.lua"
	run /usr/sbin/xdpluatables --dry-run -d 10.0.0.2 --dport 2222 -p udp \
		--to-destination 192.168.0.1:53 b0
	expect_contains "$OUT" "--to-destination 192.168.0.1:53" "the seed's rule, as -S prints it"
	[ -L /usr/sbin/xdpluatables-restore ] || fail "no xdpluatables-restore"
	[ -f /usr/include/xdplua/xdplua.bpf.h ] || fail "no SDK header"
	# the SDK header builds an eBPF program as installed
	printf '%s\n' '#include <linux/bpf.h>' '#include <bpf/bpf_helpers.h>' \
		'#include <xdplua/xdplua.bpf.h>' \
		'SEC("xdp") int f(struct xdp_md *ctx) { return xdplua_call(ctx, 1, 0); }' \
		'char LICENSE[] SEC("license") = "GPL";' > "$T/sdk.bpf.c"
	run clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$T/sdk.bpf.c" -o "$T/sdk.bpf.o"
}
