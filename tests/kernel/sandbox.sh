# Kernel tests of the sandbox (docs/lua-api.md, "Sandbox"): each test is an
# attack that used to corrupt, wedge or exhaust the kernel, and checks what
# a user sees now: a Lua error and the fallback verdict, a refused load with
# a clear message, or a bounded run. Most run scripts on a capture with
# `xdplua run` (BPF_PROG_TEST_RUN); the namespace tests use netns xl-a/xl-b.

MKPCAP="python3 tests/mkpcap.py"   # relative: the project's path may have spaces

teardown() {
	cleanup_scripts
	in_each_netns sh -c 'for t in $("$0" table list -j | python3 -c "import json,sys; print(\" \".join(t[\"name\"] for t in json.load(sys.stdin)))"); do "$0" table destroy "$t"; done' "$XDPLUA" >/dev/null 2>&1 || true
	umount /run/xl-probe-* 2>/dev/null || true
	rmdir /run/xl-probe-* 2>/dev/null || true
	topo_down
}

# probe_fs: a bpffs of the test's own for pinned test programs (ip netns
# exec hides /sys/fs/bpf)
probe_fs() {
	BPFFS=/run/xl-probe-$$	# no dots: libbpf rewrites them in pin paths
	mkdir -p "$BPFFS"
	mount -t bpf bpf "$BPFFS"
}

# attack NAME 'LUA' [OPTIONS...]: run the script on three packets; $OUT has
# the output
attack() {
	local name=$1 src=$2
	shift 2
	printf '%s\n' "$src" > "$T/$name.lua"
	[ -f "$T/in.pcap" ] || $MKPCAP "$T/in.pcap" udp:9000:hello icmp udp:53:abcdefgh >/dev/null
	run timeout 300 "$XDPLUA" run "$T/$name.lua" --pcap "$T/in.pcap" "$@"
}

# every packet got the fallback with this error
expect_errors() {
	expect_contains "$OUT" "3 packets: 3 PASS; 3 script errors" "$2: fallback for every packet"
	expect_contains "$OUT" "$1" "$2: the error"
}

# load_refused 'LUA' MESSAGE [OPTIONS...]
load_refused() {
	local src=$1 msg=$2
	shift 2
	printf '%s\n' "$src" > "$T/refused.lua"
	expect_fail "$XDPLUA" load "$T/refused.lua" "$@"
	expect_contains "$OUT" "$msg" "refused load"
}

test_every_integer_argument_at_its_boundaries() {
	$MKPCAP "$T/sizes.pcap" udp:9000:x icmp udp:53:abcdefghijklmnopqrstuvwxyz0123456789 \
		udp:9000:$(printf 'p%.0s' $(seq 1 300)) >/dev/null
	run "$XDPLUA" run tests/lua/boundaries.lua --pcap "$T/sizes.pcap" --insn-budget 100000000 --time-budget 1000ms
	expect_contains "$OUT" "4 packets: 4 DROP" "every case behaved"
	expect_kernel_clean
}

test_view_offset_near_the_integer_limit() {
	attack view 'function callback(pkt) return pkt:view(xdp.ipv4, math.maxinteger - 8).ttl end'
	expect_errors "view offset out of range" "read"
	attack viewset 'function callback(pkt) pkt:view(xdp.ipv4, math.maxinteger - 8).src = "abcd" end'
	expect_errors "view offset out of range" "write"
	attack viewneg 'function callback(pkt) return pkt:view(xdp.ipv4, -1).ttl end'
	expect_errors "view offset out of range" "negative"
	attack viewfar 'function callback(pkt) return pkt:view(xdp.ipv4, 1 << 24).ttl end'
	expect_errors "out of bounds" "far beyond the packet"
	expect_kernel_clean
}

test_l3_offset_near_the_integer_limit() {
	attack v4 'function callback(pkt) return pkt:ipv4_checksum(math.maxinteger - 5) end'
	expect_errors "no IP header at offset 9223372036854775802" "ipv4_checksum"
	attack l4 'function callback(pkt) return pkt:l4_checksum(math.maxinteger - 5) end'
	expect_errors "no IP header" "l4_checksum"
	attack reply 'function callback(pkt) return pkt:udp_reply("x", math.maxinteger - 5) end'
	expect_errors "no IP header" "udp_reply"
	attack replymin 'function callback(pkt) return pkt:udp_reply("x", math.mininteger) end'
	expect_errors "no IP header" "udp_reply at the minimum"
	expect_kernel_clean
}

test_layouts_cannot_be_changed_after_creation() {
	# the field description is a copy: changing it changes nothing
	attack layout 'local f = xdp.ipv4.ttl
assert(f[1] == 64 and f[2] == 8, "ttl is bits 64-71")
f[1] = 8 * 1000000
function callback(pkt)
	local ip = pkt:view(xdp.ipv4, 14)
	assert(xdp.ipv4.ttl[1] == 64, "layout unchanged")
	return ip.ttl == pkt:u8(22) and xdp.DROP or xdp.PASS
end'
	expect_contains "$OUT" "3 packets: 3 DROP" "views read the real TTL"
	attack badlayout 'function callback(pkt) return xdp.layout{x = {math.maxinteger - 7, 8}} end'
	expect_errors "bad layout field 'x'" "huge bit offset"
	attack widelayout 'function callback(pkt) return xdp.layout{x = {4, 64}} end'
	expect_errors "bad layout field 'x'" "a number over 8 bytes"
}

test_kfunc_with_null_ifindex() {
	printf 'function callback(pkt) return xdp.REDIRECT, 1 end\n' > "$T/redir.lua"
	run "$XDPLUA" load --name redir "$T/redir.lua"
	probe_fs
	if ! OUT=$(bpftool prog load build/bpf/kfunc_null.bpf.o "$BPFFS/prog" \
			pinmaps "$BPFFS/maps" 2>&1); then
		# the verifier refusing NULL is as good: say so in the output
		case $OUT in *"failed to pin"*|*"No such file"*) fail "not the verifier: $OUT" ;; esac
		expect_contains "$OUT" "arg" "the verifier names the argument"
		echo "verifier refused NULL for ifindex"
		return 0
	fi
	id=$(stat redir id)
	bss=$(ls "$BPFFS/maps" | grep bss)
	run bpftool map update pinned "$BPFFS/maps/$bss" key hex 00 00 00 00 \
		value hex $(printf '%08x' "$id" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4 \3 \2 \1/')
	$MKPCAP "$T/one.pcap" udp >/dev/null
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d[24+16:])' \
		"$T/one.pcap" "$T/one.bin"
	run bpftool prog run pinned "$BPFFS/prog" data_in "$T/one.bin" repeat 1
	expect_contains "$OUT" "Return value: 2" "fallback verdict PASS"
	expect_contains "$(stat redir last_error)" "no ifindex pointer" "the error says why"
	expect_eq "$(stat redir errors)" 1 "an error counted"
	expect_kernel_clean
}

test_finalizers_refused() {
	load_refused 'setmetatable({}, {__gc = function() while true do end end})
function callback() end' "__gc metamethods are not available"
	attack gc 'function callback(pkt) setmetatable({}, {__gc = function() end}) end'
	expect_errors "__gc metamethods are not available" "in a callback"
	# __gc added after setmetatable never runs: unload is prompt
	printf 'local mt = {}\nkeep = setmetatable({}, mt)\nmt.__gc = function() while true do end end\nfunction callback() end\n' > "$T/late.lua"
	run "$XDPLUA" load "$T/late.lua"
	run timeout 60 "$XDPLUA" unload late
}

test_coroutines_share_the_packet_budget() {
	attack co 'function callback(pkt)
	while true do
		local co = coroutine.create(function() for i = 1, 1000000000 do end end)
		coroutine.resume(co)
	end
end'
	expect_errors "instruction budget exceeded" "a loop of coroutines"
	attack wrap 'function callback(pkt)
	while true do pcall(coroutine.wrap(function() for i = 1, 1000000000 do end end)) end
end'
	expect_errors "instruction budget exceeded" "a loop of wrapped coroutines"
	# a budget error in a coroutine is not swallowed by resume
	attack swallow 'function callback(pkt)
	local co = coroutine.create(function() while true do end end)
	local ok, err = coroutine.resume(co)
	return xdp.DROP
end'
	expect_errors "instruction budget exceeded" "resume does not catch it"
	# coroutines that fit are fine, generators included
	attack gen 'function callback(pkt)
	local gen = coroutine.wrap(function() for i = 1, 100 do coroutine.yield(i) end end)
	local sum = 0
	for i = 1, 100 do sum = sum + gen() end
	return sum == 5050 and xdp.DROP or xdp.PASS
end'
	expect_contains "$OUT" "3 packets: 3 DROP" "generators work"
	expect_kernel_clean
}

test_backtracking_patterns_are_charged() {
	attack pat 'local s = string.rep("a", 3000)
function callback(pkt) return s:find(".-.-.-.-.-b") end'
	expect_errors "instruction budget exceeded" "backtracking"
	attack gsub 'local s = string.rep("a", 100000)
function callback(pkt) return s:gsub("a-a-a-a-b", "") end'
	expect_errors "instruction budget exceeded" "gsub"
	# an ordinary pattern on a packet-sized string is cheap
	attack fine 'function callback(pkt)
	local s = pkt:bytes(0)
	local n = select(2, s:gsub(".", "%0"))
	return n == #pkt and xdp.DROP or xdp.PASS
end'
	expect_contains "$OUT" "3 packets: 3 DROP" "normal patterns"
}

test_long_loops_in_c_are_charged() {
	attack rep 'function callback(pkt) return #string.rep("", math.maxinteger) end'
	expect_errors "instruction budget exceeded" "string.rep of the empty string"
	attack move 'function callback(pkt) table.move({}, 1, math.maxinteger, 2) end'
	expect_errors "instruction budget exceeded" "table.move"
	attack find 'local a = ("a"):rep(1 << 20) local b = ("a"):rep(1 << 19) .. "b"
function callback(pkt) return a:find(b, 1, true) end'
	expect_errors "instruction budget exceeded" "a quadratic plain find"
	attack len 'function callback(pkt)
	table.insert(setmetatable({}, {__len = function() return math.maxinteger end}), 1, 1)
end'
	expect_errors "not for tables with a __len metamethod" "a lying __len"
	attack gcloop 'local keep = {} for i = 1, 20000 do keep[i] = {} end
function callback(pkt) while true do collectgarbage() end end'
	expect_errors "instruction budget exceeded" "full collections"
	attack concat 'local s = string.rep("x", 1 << 20)
function callback(pkt) while true do local t = s .. s end end'
	expect_errors "instruction budget exceeded" "megabyte concatenations"
	expect_kernel_clean
}

test_time_budget_bounds_a_packet() {
	# each comparison of two equal 1 MiB strings is one instruction
	attack slow 'local a = string.rep("a", 1 << 20) local b = string.rep("a", 1 << 20)
function callback() while true do local x = a == b end end' --insn-budget 100000000 --time-budget 2ms
	expect_errors "time budget exceeded (2000 us)" "the deadline"
	printf 'local a = string.rep("a", 1 << 20) local b = string.rep("a", 1 << 20)\nfunction callback() while true do local x = a == b end end\n' > "$T/slow.lua"
	run "$XDPLUA" load --name slow --insn-budget 100000000 --time-budget 2ms "$T/slow.lua"
	run "$XDPLUA" run slow --pcap "$T/in.pcap"
	expect_eq "$(stat slow time_limit errors)" "3 3" "time_limit counter"
	run "$XDPLUA" status slow
	expect_contains "$OUT" "2000 us per packet" "status shows the time budget"
}

test_budgets_out_of_range_refused() {
	load_refused 'function callback() end' "--insn-budget: at least 100, at most 100000000" --insn-budget 4294967295
	load_refused 'function callback() end' "--insn-budget: at least 100" --insn-budget 99
	load_refused 'function callback() end' "--mem-budget: at least 65536, at most 1073741824" --mem-budget 2G
	load_refused 'function callback() end' "--time-budget" --time-budget 2000ms
	load_refused 'function callback() end' "--time-budget" --time-budget 10us
}

test_numeric_error_object_at_load() {
	load_refused 'error(12345)' "cannot load $T/refused.lua: 12345"
	load_refused 'error({})' "(error object is a table value)"
	# the same at the memory budget: converting it on the Lua stack would
	# fail outside any protected call
	load_refused 'local t = {}
pcall(function() while true do t[#t + 1] = {} end end)
error(7)' "cannot load $T/refused.lua: 7" --mem-budget 64K
	attack numerr 'function callback(pkt) error(404) end'
	expect_errors "fallback verdict: 404)" "in a callback"
	expect_kernel_clean
}

test_memory_budget_counts_what_is_allocated() {
	# 128 tables grown to 4096 slots, then rehashed to a few: Lua keeps
	# asking for less; the blocks must really shrink (or stay counted)
	local before after
	sync
	before=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
	printf 'keep = {}
for j = 1, 128 do
	local t = {}
	for i = 1, 4096 do t[i] = i end
	for i = 2, 4096 do t[i] = nil end
	t.k = 1
	keep[j] = t
end
function callback() end\n' > "$T/shrink.lua"
	run "$XDPLUA" load --mem-budget 1M "$T/shrink.lua"
	after=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
	used=$(stat shrink mem_used)
	[ "$used" -le $((2 * 1024 * 1024)) ] || fail "mem_used $used beyond 2 states x 1 MiB"
	# 2 states x 128 x 64 KiB = 16 MiB if the blocks were kept
	[ $((before - after)) -lt 8192 ] || fail "$((before - after)) KiB gone for a 2 x 1 MiB budget"
}

test_print_cannot_forge_log_lines() {
	dmesg -C
	attack forge 'function callback(pkt) print("a\nxdplua: FORGED") xdp.log("b\rxdplua: %s", "FORGED2") error("c\nxdplua: FORGED3") end'
	dmesg | grep -q '^\[ *[0-9.]*\] xdplua: FORGED' && fail "a forged line: $(dmesg | grep FORGED)"
	dmesg | grep -q ': a xdplua: FORGED' || fail "print line missing: $(dmesg | tail -5)"
	expect_contains "$OUT" "c xdplua: FORGED3" "error text on one line"
}

test_packet_methods_need_the_packet() {
	attack ident 'function callback(pkt) local v = pkt:view(xdp.ethernet, 0) return pkt.u8(v, 0) end'
	expect_errors "packet expected" "a view as the packet"
	attack ident2 'function callback(pkt) return pkt.u8(rcu, 0) end'
	expect_errors "packet expected" "a table handle as the packet"
}

test_table_count_limit() {
	load_refused 'for i = 1, 20000 do xdp.table("many" .. i) end
function callback() end' "too many tables in this network namespace (at most 256)"
	expect_fail "$XDPLUA" table create one-too-many
	expect_contains "$OUT" "too many tables in this namespace (at most 256)" "netlink too"
	expect_kernel_clean
}

test_scripts_and_tables_belong_to_their_namespace() {
	topo_up
	printf 'function callback(pkt) return xdp.DROP end\n' > "$T/mine.lua"
	run in_a "$XDPLUA" load --name mine "$T/mine.lua"
	run in_a "$XDPLUA" table set secrets k 42
	# invisible from xl-b and from the initial namespace
	run in_b "$XDPLUA" status
	expect_contains "$OUT" "no scripts" "xl-b sees no script"
	expect_fail in_b "$XDPLUA" status mine
	expect_fail in_b "$XDPLUA" table get secrets k
	expect_contains "$OUT" "no table" "xl-b sees no table"
	expect_fail "$XDPLUA" unload mine
	# the same name in xl-b is another script
	run in_b "$XDPLUA" load --name mine "$T/mine.lua"
	run in_b "$XDPLUA" unload mine
	run in_a "$XDPLUA" status mine
	# the kfunc runs it only for packets of xl-a's devices
	probe_fs
	run bpftool prog load build/bpf/kfunc_probe.bpf.o "$BPFFS/prog" \
		pinmaps "$BPFFS/maps"
	id=$(stat mine id)
	bss=$(ls "$BPFFS/maps" | grep bss)
	run bpftool map update pinned "$BPFFS/maps/$bss" key hex 00 00 00 00 \
		value hex $(printf '%08x' "$id" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4 \3 \2 \1/') 00 00 00 00
	$MKPCAP "$T/one.pcap" udp >/dev/null
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d[24+16:])' \
		"$T/one.pcap" "$T/one.bin"
	run in_b bpftool prog run pinned "$BPFFS/prog" data_in "$T/one.bin" repeat 1
	expect_contains "$OUT" "Return value: 2" "xl-b's packet: PASS, the script not run"
	run in_a bpftool prog run pinned "$BPFFS/prog" data_in "$T/one.bin" repeat 1
	expect_contains "$OUT" "Return value: 1" "xl-a's packet: the script's DROP"
	expect_eq "$(stat mine runs)" 1 "runs only for its namespace's packet"
	# the namespace going away takes its scripts and tables
	ip netns del xl-a
	sleep 2
	expect_kernel_clean
}
