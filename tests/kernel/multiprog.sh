# Kernel tests of sharing an interface with other XDP programs through
# libxdp's multi-program dispatcher (xdp-tools' xdp-loader), with traffic.
# libxdp keeps its state in a bpffs, which "ip netns exec" hides (it mounts
# a fresh /sys): the tests give it one at LIBXDP_BPFFS.

BPFFS=/run/xdplua-test-bpffs

setup() {
	command -v xdp-loader > /dev/null || skip "xdp-loader missing (apt-get install xdp-tools)"
	mkdir -p $BPFFS
	mountpoint -q $BPFFS || mount -t bpf bpf $BPFFS
	export LIBXDP_BPFFS=$BPFFS
	topo_up
}

teardown() {
	cleanup_scripts
	in_b xdp-loader unload b0 --all 2>/dev/null || true
	topo_down
	umount $BPFFS 2>/dev/null || true
}

# ping_ok: whether A's pings reach B
ping_ok() {
	if in_a ping -c 2 -i 0.2 -W 1 "$B_IP" > /dev/null 2>&1; then echo yes; else echo no; fi
}

# build/bpf/icmp_drop.bpf.o drops ICMP: with it and udp-drop.lua on b0,
# neither pings nor UDP get through, and each program's part is seen.
test_joins_a_program_loaded_by_xdp_loader() {
	run in_b xdp-loader load -m native b0 build/bpf/icmp_drop.bpf.o
	expect_eq "$(ping_ok)" no "pings through icmp_drop"
	run xdplua_b -L examples/udp-drop.lua b0
	expect_contains "$OUT" "attached it to b0 (native)" "xdplua's report"
	run in_b xdp-loader status b0
	expect_contains "$OUT" "icmp_drop" "the other program still runs"
	expect_contains "$OUT" "xdplua_dispatch" "XDPLua's dispatcher is one of libxdp's programs"
	expect_eq "$(udp_count 20)" 0 "UDP datagrams through udp-drop.lua"
	expect_ge "$(stat udp-drop drop)" 20 "drop counter"
	expect_eq "$(ping_ok)" no "pings: icmp_drop still drops them"
	run xdplua_b status udp-drop
	expect_contains "$OUT" "b0 (native)" "status"

	run xdplua_b -d b0
	expect_contains "$OUT" "detached udp-drop (id" "detach"
	run in_b xdp-loader status b0
	expect_contains "$OUT" "icmp_drop" "the other program stays"
	case $OUT in *xdplua_dispatch*) fail "XDPLua's dispatcher still runs: $OUT" ;; esac
	expect_eq "$(udp_count 20)" 20 "UDP datagrams after the detach"
	expect_eq "$(ping_ok)" no "pings after the detach"
	run in_b xdp-loader unload b0 --all
	expect_eq "$(ping_ok)" yes "pings with nothing on b0"
}

test_multiprog_lets_xdp_loader_join() {
	run xdplua_b -L examples/udp-drop.lua --multiprog b0
	run in_b xdp-loader load -m native b0 build/bpf/trivial_pass.bpf.o
	run in_b xdp-loader status b0
	expect_contains "$OUT" "trivial_pass" "xdp-loader's program joined"
	expect_contains "$OUT" "xdplua_dispatch" "XDPLua's still runs"
	expect_eq "$(udp_count 20)" 0 "UDP datagrams through udp-drop.lua"
	# another script in place of the first one, the other program stays
	attach_script passer 'function callback(pkt) return xdp.PASS end'
	expect_contains "$OUT" "replacing udp-drop" "replaced script"
	expect_eq "$(udp_count 20)" 20 "UDP datagrams through passer"
	expect_ge "$(stat passer pass)" 20 "pass counter"
	run in_b xdp-loader status b0
	expect_eq "$(printf '%s\n' "$OUT" | grep -c xdplua_dispatch)" 1 "XDPLua programs on b0"
	expect_contains "$OUT" "trivial_pass" "the other program stays"
}

test_a_foreign_program_not_shared_is_not_replaced() {
	run in_b ip link set dev b0 xdp obj build/bpf/trivial_pass.bpf.o sec xdp
	expect_fail xdplua_b -L examples/udp-drop.lua b0
	expect_contains "$OUT" "--multiprog to share the interface through libxdp" "hint"
	expect_fail xdplua_b -L examples/udp-drop.lua --multiprog b0
	expect_contains "$OUT" "not through libxdp's dispatcher: detach it first" "message"
	run in_b ip link set dev b0 xdp off
}

# xdplua save remembers an attachment through libxdp, apply brings it back
# so that the other programs can still join
test_save_and_apply_keep_multiprog() {
	local saved=$T/etc
	run xdplua_b -L examples/udp-drop.lua --multiprog b0
	run xdplua_b save --config "$saved"
	run cat "$saved/xdplua.conf"
	expect_contains "$OUT" "attach udp-drop b0 --mode native --multiprog" "saved attachment"
	cleanup_scripts
	run xdplua_b apply --config "$saved"
	expect_contains "$OUT" "attached udp-drop to b0 (native, multiprog)" "apply's report"
	run in_b xdp-loader load -m native b0 build/bpf/trivial_pass.bpf.o
	run in_b xdp-loader status b0
	expect_contains "$OUT" "trivial_pass" "xdp-loader's program joined"
	expect_eq "$(udp_count 20)" 0 "UDP datagrams through the applied udp-drop.lua"
	run xdplua_b apply --config "$saved"
	expect_eq "$OUT" "nothing to change" "applying again"
}
