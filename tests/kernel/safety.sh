# Kernel tests: scripts that fail, loop, eat memory or recurse get their
# fallback verdict, move counters and record the error; the kernel and
# other scripts are unharmed.

setup() {
	topo_up
}

teardown() {
	cleanup_scripts
	topo_down
}

test_error_in_callback_gives_fallback() {
	attach_script boom 'function callback(pkt) error("boom at " .. #pkt) end'
	run in_a ping -c 3 -i 0.2 -W 2 $B_IP
	expect_eq "$(udp_count 10)" 10 "fallback PASS lets UDP through"
	read -r runs errors pass <<< "$(stat boom runs errors pass)"
	expect_ge "$runs" 13 "runs"
	expect_eq "$errors" "$runs" "every run is an error"
	expect_eq "$pass" "$runs" "every run got the fallback"
	expect_contains "$(stat boom last_error)" "boom.lua:1: boom at" "last error with file and line"
	run xdplua_b status
	expect_contains "$OUT" "boom at" "status shows the last error"
}

test_fallback_drop() {
	attach_script boomdrop 'function callback(pkt) error("no") end' --fallback drop
	expect_fail in_a ping -c 2 -i 0.2 -W 1 $B_IP
	expect_eq "$(udp_count 5)" 0 "UDP dropped by the fallback"
	expect_ge "$(stat boomdrop drop)" 7 "drop counter"
}

test_endless_loop_hits_instruction_budget() {
	attach_script spin 'function callback(pkt) while true do end end' --insn-budget 20000
	run in_a ping -c 3 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat spin insn_limit)" 3 "instruction budget counter"
	expect_contains "$(stat spin last_error)" "instruction budget exceeded" "last error"
	run xdplua_b status
	expect_contains "$OUT" "instruction budget exceeded" "status"
}

test_endless_loop_cannot_hide_in_pcall() {
	attach_script hide 'function callback(pkt)
	while true do pcall(function() while true do end end) end
end' --insn-budget 20000
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat hide insn_limit)" 2 "budget enforced through pcall"
}

test_memory_bomb_hits_memory_budget() {
	attach_script bomb 'local keep = {}
function callback(pkt)
	local s = string.rep("x", 4096)
	while true do s = s .. s; keep[#keep + 1] = s end
end' --mem-budget 1M
	run in_a ping -c 3 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat bomb mem_limit)" 3 "memory budget counter"
	expect_contains "$(stat bomb last_error)" "memory" "last error"
	used=$(stat bomb mem_used)
	[ "$used" -le $((2 * 1024 * 1024 + 65536)) ] || fail "memory used $used beyond 2 x 1 MiB"
}

test_string_rep_bomb() {
	attach_script rep 'function callback(pkt) return #string.rep("x", 1 << 40) end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat rep errors)" 2 "errors"
}

test_deep_recursion() {
	attach_script deep 'local function f(n) return f(n + 1) + 1 end
function callback(pkt) return f(1) end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat deep errors)" 2 "errors"
}

test_deep_c_recursion_through_metamethods() {
	attach_script cdeep 'local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end})
function callback(pkt) return t[1] end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat cdeep errors)" 2 "errors"
	expect_contains "$(stat cdeep last_error)" "stack overflow" "last error"
}

test_deep_pattern_recursion() {
	attach_script pat 'local s = string.rep("a", 5000)
function callback(pkt) return s:find(string.rep("a?", 3000) .. "b") and 2 or 2 end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
}

test_deep_nesting_at_load() {
	# 10000 nested parentheses: refused with an error, not a stack overflow
	python3 -c 'print("x = " + "(" * 10000 + "1" + ")" * 10000)
print("function callback() end")' > "$T/nest.lua"
	expect_fail xdplua_b -L "$T/nest.lua" b0
	expect_contains "$OUT" "overflow" "error"
}

test_endless_loop_at_load() {
	printf 'while true do end\nfunction callback() end\n' > "$T/loadspin.lua"
	expect_fail xdplua_b -L "$T/loadspin.lua" b0
	expect_contains "$OUT" "instruction budget exceeded" "error"
}

test_invalid_verdict() {
	attach_script bad 'function callback(pkt) return "drop" end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_contains "$(stat bad last_error)" "invalid verdict" "last error"
}

test_out_of_bounds_access_is_an_error() {
	attach_script oob 'function callback(pkt) return pkt:u32(#pkt - 2) end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_contains "$(stat oob last_error)" "out of bounds" "last error"
}

test_bytecode_refused() {
	printf '\033Lua\124\000garbage' > "$T/bytecode.lua"
	expect_fail xdplua_b -L "$T/bytecode.lua" b0
	expect_contains "$OUT" "binary chunk" "error"
	attach_script loadbin 'function callback(pkt)
	local ok, err = load(string.dump(function() end))
	assert(not ok and err:find("binary chunk"), err)
	return xdp.DROP
end'
	expect_eq "$(udp_count 3)" 0 "load of bytecode failed inside the callback too"
}

test_other_script_unharmed() {
	ip -n xl-b link add c0 type veth peer name c1
	ip -n xl-b link set c0 up
	ip -n xl-b link set c1 up
	run xdplua_b -L examples/count.lua c0
	attach_script spin2 'function callback(pkt) while true do end end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_eq "$(stat count errors)" 0 "count.lua has no errors"
	expect_ge "$(stat spin2 insn_limit)" 2 "spinning script limited"
}

test_not_admin_refused() {
	expect_fail setpriv --reuid=65534 --regid=65534 --clear-groups "$XDPLUA" status
	expect_contains "$OUT" "CAP_NET_ADMIN" "explains"
}

test_deep_coroutine_nesting() {
	attach_script conest 'local function nest(n) return coroutine.wrap(function() return nest(n + 1)() end) end
function callback(pkt) return nest(1)() end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat conest errors)" 2 "errors"
	expect_contains "$(stat conest last_error)" "overflow" "last error"
}

test_sort_comparator_recursion() {
	attach_script sortrec 'local t = {}
for i = 1, 50 do t[i] = 51 - i end
local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end
function callback(pkt) table.sort(t, cmp) end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat sortrec errors)" 2 "errors"
}

test_gsub_callback_recursion() {
	# str_gsub alone takes ~1.9 KiB of kernel stack per level
	attach_script gsubrec 'local function f(s) return (s:gsub(".", f)) end
function callback(pkt) return f("abc") end'
	run in_a ping -c 2 -i 0.2 -W 2 $B_IP
	expect_ge "$(stat gsubrec errors)" 2 "errors"
	expect_contains "$(stat gsubrec last_error)" "stack overflow" "last error"
}

test_error_handler_recursing_on_overflow() {
	attach_script xdeep 'local function deep() return (string.gsub("a", "a", deep)) end
local function handler(e) return (string.gsub("a", "a", handler)) end
function callback(pkt) xpcall(deep, handler) return xdp.DROP end'
	expect_eq "$(udp_count 3)" 0 "the callback goes on after the failed xpcall"
}
