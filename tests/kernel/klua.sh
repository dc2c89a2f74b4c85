# Kernel tests of klua, the kernel's Lua: its C library against glibc in the
# kernel (the cases of tests/host/klua.sh), and the nesting depth scripts
# get on live traffic now that packets and main chunks run on a C stack of
# their own (module/cstack.c; limits in docs/lua-api.md).

setup() {
	topo_up
}

teardown() {
	cleanup_scripts
	topo_down
}

test_klua_libc_matches_glibc_in_the_kernel() {
	cc -O1 -o "$T/libc-cases" tests/klua/libc-cases.c || fail "cannot build the generator"
	"$T/libc-cases" > "$T/kluacases.lua"
	# the main chunk compares; any difference refuses the load with the list
	run "$XDPLUA" load "$T/kluacases.lua"
	"$XDPLUA" unload kluacases
	n=$(dmesg | sed -n 's/.*klua-libc: \([0-9]*\) cases, 0 differences.*/\1/p' | tail -1)
	expect_ge "${n:-0}" 15000 "cases compared in the kernel"
	# and the comparison sees a difference there too
	"$T/libc-cases" --break > "$T/kluabroken.lua"
	expect_fail "$XDPLUA" load "$T/kluabroken.lua"
	expect_contains "$OUT" "klua-libc: 1 of " "a spoiled case is found"
}

test_klua_format_corners_on_live_traffic() {
	attach_script corners 'function callback(pkt)
	if pkt:u8(23) ~= 17 then return xdp.PASS end
	local ok = string.format("%.u", 0) == "" and string.format("%.0x", 0) == ""
		and string.format("%#.0o", 0) == "0" and string.format("%#x", 0) == "0"
		and string.format("%#X", 255) == "0XFF" and string.format("%05.0d", 0) == "     "
		and string.format("%-+5d|", 7) == "+7   |" and string.format("% 05d", -3) == "-0003"
		and string.format("%+.3i", 5) == "+005" and string.format("%5.1s|", "abc") == "    a|"
		and string.format("%-3c|", 65) == "A  |" and string.format("%u", -1) == "18446744073709551615"
		and string.format("%d", math.mininteger) == "-9223372036854775808"
		and string.format("%q", math.mininteger) == "0x8000000000000000"
		and string.format("%+08.3f", 7) == "+0000007" and tostring(math.mininteger) == "-9223372036854775808"
	return ok and xdp.DROP or xdp.PASS
end'
	expect_eq "$(udp_count 5)" 0 "every corner holds (the datagrams are dropped)"
	expect_eq "$(stat corners errors)" 0 "errors"
}

# Lua code nesting: N coroutines each resuming the next, a sieve of
# coroutine.wrap generators, N gsub callbacks each inside the previous.
NESTING='local function chain(n)
	if n == 0 then return 0 end
	return coroutine.wrap(function() return chain(n - 1) + 1 end)()
end
local function chain_resume(n)
	if n == 0 then return 0 end
	local ok, v = coroutine.resume(coroutine.create(function()
		return chain_resume(n - 1) + 1 end))
	if not ok then error(v, 0) end
	return v
end
local function primes(k)	-- the k-th prime is k generators deep
	local g = coroutine.wrap(function() for i = 2, 1000 do coroutine.yield(i) end end)
	local p
	for _ = 1, k do
		p = g()
		local src, q = g, p
		g = coroutine.wrap(function()
			for x in src do if x % q ~= 0 then coroutine.yield(x) end end
		end)
	end
	return p
end
local function nest_gsub(n)
	if n == 0 then return "x" end
	return (("a"):gsub("a", function() return nest_gsub(n - 1) end))
end'

test_klua_nesting_32_coroutines_16_gsub_on_live_traffic() {
	attach_script nesting "$NESTING
function callback(pkt)
	if pkt:u8(23) ~= 17 then return xdp.PASS end
	assert(chain(32) == 32, 'wrap chain')
	assert(chain_resume(32) == 32, 'resume chain')
	assert(primes(32) == 131, 'sieve')
	assert(nest_gsub(16) == 'x', 'gsub')
	-- and, once, the deepest each gets, for the record (only once: a debug
	-- kernel under emulation is slow enough to spend the time budget)
	if not measured then
		measured = true
		local c, g = 32, 16
		while pcall(chain, c + 1) do c = c + 1 end
		while pcall(nest_gsub, g + 1) do g = g + 1 end
		xdp.log('nesting: %d coroutines, %d gsub callbacks', c, g)
	end
	return xdp.DROP
end" --insn-budget 10000000 --time-budget 1000ms
	expect_eq "$(udp_count 4)" 0 "every datagram dropped: the nesting worked"
	read -r errors drop <<< "$(stat nesting errors drop)"
	expect_eq "$errors" 0 "errors ($(stat nesting last_error))"
	expect_ge "$drop" 4 "drops"
	dmesg | grep 'nesting: ' | tail -1
	expect_kernel_clean
}

test_klua_nesting_beyond_the_limit_is_a_clean_error() {
	attach_script deeper "$NESTING
function callback(pkt)
	if pkt:u8(23) ~= 17 then return xdp.PASS end
	local ok1, e1 = pcall(chain, 300)
	local ok2, e2 = pcall(chain_resume, 300)
	local ok3, e3 = pcall(nest_gsub, 300)
	if not ok1 and not ok2 and not ok3 and tostring(e1):find('C stack overflow')
	   and tostring(e2):find('C stack overflow') and tostring(e3):find('C stack overflow') then
		return xdp.DROP
	end
	return xdp.PASS
end" --insn-budget 10000000 --time-budget 1000ms
	expect_eq "$(udp_count 4)" 0 "each too deep nesting failed with 'C stack overflow'"
	expect_eq "$(stat deeper errors)" 0 "errors"
	cleanup_scripts
	# uncaught: the packet gets the fallback, the error is recorded
	attach_script toodeep "$NESTING
function callback(pkt)
	if pkt:u8(23) ~= 17 then return xdp.PASS end
	odd = not odd
	if odd then return nest_gsub(1000) end
	return chain(1000)
end" --insn-budget 10000000 --time-budget 1000ms --fallback drop
	expect_eq "$(udp_count 4)" 0 "fallback drop"
	expect_ge "$(stat toodeep errors)" 4 "errors"
	expect_contains "$(stat toodeep last_error)" "C stack overflow" "last error"
	expect_kernel_clean
}
