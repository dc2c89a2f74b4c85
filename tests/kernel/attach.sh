# Kernel tests: load, attach, switch and detach scripts on a veth pair, with
# real traffic (topology in tests/lib.sh: A sends, XDP on B's b0 decides).

setup() {
	topo_up
}

teardown() {
	cleanup_scripts
	topo_down
}

xdp_prog_on() {
	ip -n xl-b -d link show "$1" | grep -o 'prog/xdp id [0-9]*' || true
}


test_udp_dropped_icmp_passed() {
	run xdplua_b -L examples/udp-drop.lua b0
	[ -n "$(xdp_prog_on b0)" ] || fail "no XDP program on b0"
	run in_a ping -c 3 -i 0.2 -W 2 $B_IP
	expect_eq "$(udp_count 20)" 0 "UDP datagrams received through udp-drop.lua"
	expect_ge "$(stat udp-drop drop)" 20 "drop counter"
	expect_ge "$(stat udp-drop pass)" 3 "pass counter (pings)"
	expect_eq "$(stat udp-drop errors)" 0 "errors"
	read -r runs pass drop <<< "$(stat udp-drop runs pass drop)"
	expect_eq "$((pass + drop))" "$runs" "every run got a verdict"
}

test_status_shows_attachment() {
	run xdplua_b -L examples/udp-drop.lua b0
	run xdplua_b status
	expect_contains "$OUT" "udp-drop" "script name"
	expect_contains "$OUT" "b0 (native)" "attached where, in which mode"
	expect_contains "$OUT" "callback" "entry"
	# the script belongs to xl-b: the initial namespace does not see it
	expect_fail "$XDPLUA" status udp-drop
	expect_contains "$OUT" "no script named udp-drop" "invisible from another namespace"
}

test_detach_lets_udp_through_again() {
	run xdplua_b -L examples/udp-drop.lua b0
	expect_eq "$(udp_count 10)" 0 "UDP while attached"
	run xdplua_b -d b0
	[ -z "$(xdp_prog_on b0)" ] || fail "XDP program still on b0"
	expect_eq "$(udp_count 10)" 10 "UDP after detach"
	expect_eq "$(stat udp-drop runs)" absent "script unloaded with its last attachment"
}

test_switch_entry_without_reload() {
	run xdplua_b -L examples/udp-drop.lua b0
	prog=$(xdp_prog_on b0)
	id=$(stat udp-drop id)
	expect_eq "$(udp_count 10)" 0 "UDP with callback"
	run xdplua_b -F pass_all b0
	expect_eq "$(stat udp-drop entry)" pass_all "entry shown by status"
	expect_eq "$(udp_count 10)" 10 "UDP with pass_all"
	run xdplua_b -F callback b0
	expect_eq "$(udp_count 10)" 0 "UDP with callback again"
	expect_eq "$(xdp_prog_on b0)" "$prog" "same XDP program"
	expect_eq "$(stat udp-drop id)" "$id" "same script"
}

test_switch_to_missing_function_is_refused() {
	run xdplua_b -L examples/udp-drop.lua b0
	expect_fail xdplua_b -F no_such_function b0
	expect_contains "$OUT" "no_such_function" "error names the function"
	expect_eq "$(stat udp-drop entry)" callback "entry unchanged"
	expect_eq "$(udp_count 5)" 0 "still dropping"
}

test_syntax_error_refused_nothing_attached() {
	printf 'function callback(pkt)\n  local x = = 1\nend\n' > "$T/broken.lua"
	expect_fail xdplua_b -L "$T/broken.lua" b0
	expect_contains "$OUT" "broken.lua:2:" "Lua's message with file and line"
	[ -z "$(xdp_prog_on b0)" ] || fail "something was attached"
	expect_eq "$(stat broken runs)" absent "nothing loaded"
}

test_missing_entry_function_refused() {
	printf 'function other(pkt) end\n' > "$T/noentry.lua"
	expect_fail xdplua_b -L "$T/noentry.lua" b0
	expect_contains "$OUT" "'callback' is not defined" "explains"
	[ -z "$(xdp_prog_on b0)" ] || fail "something was attached"
}

test_reload_keeps_id_and_attachment() {
	run xdplua_b -L examples/udp-drop.lua b0
	id=$(stat udp-drop id)
	prog=$(xdp_prog_on b0)
	sed 's/return xdp.DROP/return xdp.PASS/' examples/udp-drop.lua > "$T/udp-drop.lua"
	run xdplua_b -L "$T/udp-drop.lua" b0
	expect_eq "$(stat udp-drop id)" "$id" "same id after reload"
	expect_eq "$(xdp_prog_on b0)" "$prog" "same program attached"
	expect_eq "$(udp_count 10)" 10 "new code runs"
}

test_generic_mode() {
	run xdplua_b -L examples/udp-drop.lua --mode skb b0
	run xdplua_b status
	expect_contains "$OUT" "b0 (skb)" "generic XDP"
	expect_eq "$(udp_count 10)" 0 "UDP dropped in generic mode"
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
}

test_per_cpu_globals_are_independent() {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	cat > "$T/percpu.lua" <<'LUA'
local udp = 0
function callback(pkt)
	if #pkt >= 34 and pkt:u16(12) == 0x0800 and pkt:u8(23) == 17 then
		udp = udp + 1
		print(("percpu-test cpu %d udp %d"):format(xdp.cpu(), udp))
	end
end
LUA
	run xdplua_b -L "$T/percpu.lua" b0
	dmesg -C
	in_a taskset -c 0 python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): s.sendto(b'x', ('$B_IP', 9000))"
	in_a taskset -c 1 python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(2): s.sendto(b'x', ('$B_IP', 9000))"
	sleep 0.5
	log=$(dmesg | grep -o 'percpu-test cpu [0-9]* udp [0-9]*' | tr '\n' ',')
	expect_eq "$log" "percpu-test cpu 0 udp 1,percpu-test cpu 0 udp 2,percpu-test cpu 0 udp 3,percpu-test cpu 1 udp 1,percpu-test cpu 1 udp 2," "per-CPU counts in the kernel log"
}

test_count_example() {
	run xdplua_b -L examples/count.lua b0
	dmesg -C
	run in_a ping -c 1 -W 2 $B_IP
	run xdplua_b status
	expect_ge "$(stat count pass)" 1 "count.lua passes packets"
}

test_two_scripts_two_interfaces() {
	ip -n xl-b link add c0 type veth peer name c1
	ip -n xl-b link set c0 up
	ip -n xl-b link set c1 up
	run xdplua_b -L examples/udp-drop.lua b0
	run xdplua_b -L examples/count.lua c0
	run xdplua_b status
	expect_contains "$OUT" "b0 (native)" "udp-drop on b0"
	expect_contains "$OUT" "c0 (native)" "count on c0"
	expect_eq "$(udp_count 5)" 0 "udp-drop still works"
	run xdplua_b -d c0
	expect_eq "$(stat count runs)" absent "count unloaded"
	expect_eq "$(udp_count 5)" 0 "udp-drop unaffected"
}

test_unload_attached_script_refused() {
	run xdplua_b -L examples/udp-drop.lua b0
	expect_fail xdplua_b unload udp-drop
	expect_contains "$OUT" "b0" "names the interface"
	expect_eq "$(udp_count 5)" 0 "still attached and working"
}
