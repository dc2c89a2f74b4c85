# Kernel tests: the Lua language and libraries inside the kernel. Each test
# loads a script whose main chunk checks itself with assert(): a failed
# assertion refuses the load with its message.

teardown() {
	"$XDPLUA" unload luatest 2>/dev/null || true
}

# lua_ok 'CODE': the main chunk must run without error in the kernel
lua_ok() {
	printf '%s\nfunction callback() end\n' "$1" > "$T/luatest.lua"
	run "$XDPLUA" load "$T/luatest.lua"
	"$XDPLUA" unload luatest
}

# lua_err 'CODE' 'EXPECTED ERROR TEXT'
lua_err() {
	printf '%s\nfunction callback() end\n' "$1" > "$T/luatest.lua"
	expect_fail "$XDPLUA" load "$T/luatest.lua"
	expect_contains "$OUT" "$2" "error of: $1"
}

test_integer_arithmetic() {
	lua_ok 'assert(7 // 2 == 3 and -7 // 2 == -4 and 7 % -3 == -2)
assert(math.maxinteger + 1 == math.mininteger)
assert(math.mininteger // -1 == math.mininteger)
assert(2^10 == 1024 and 7 / 2 == 3 and -7 / 2 == -4)
assert(1 << 62 == 4611686018427387904 and 0xff ~ 0x0f == 0xf0)
assert(tostring(10) == "10" and tonumber("0x10") == 16 and tonumber("12") == 12)
assert(tonumber("1.5") == nil and tonumber("1e3") == nil)
assert(math.type(1) == "integer" and math.abs(-5) == 5)
assert(math.max(3, 9, 2) == 9 and math.min(3, 9, 2) == 2)
assert(math.ult(1, -1) and math.fmod(-7, 2) == -1)
local r = math.random(1, 6); assert(r >= 1 and r <= 6)'
}

test_division_by_zero_is_an_error() {
	local op
	for op in '//' '%' '/'; do
		lua_err "local z = 0; local x = 1 $op z" "luatest.lua:1: attempt to"
		printf '%s\n' "$OUT" | grep -Eq "zero|'n%?/?/?%?0'" ||
			fail "1 $op 0: unexpected error: $OUT"
	done
	lua_err 'local z = 0; local x = 1 / z' "attempt to perform 'n/0'"
}

test_float_literal_is_malformed() {
	lua_err 'local x = 1.5' "malformed number near '1.5'"
}

test_string_library() {
	lua_ok 'assert(("hello"):upper() == "HELLO" and ("%d-%s"):format(42, "x") == "42-x")
assert(("%5.2f"):format(3) == "    3")
assert(string.format("%x", 255) == "ff" and string.format("%q", "a\nb") == "\"a\\\nb\"")
assert(("a,b,,c"):gsub(",", ";") == "a;b;;c")
assert(("key=value"):match("(%w+)=(%w+)") == "key")
assert(string.pack(">I2I4", 1, 2) == "\0\1\0\0\0\2")
assert(string.unpack("<i8", string.pack("<i8", -3)) == -3)
assert(#string.rep("ab", 1000, ",") == 2999)
local t = {} for w in ("one two three"):gmatch("%a+") do t[#t + 1] = w end
assert(#t == 3 and t[3] == "three")
assert(string.byte("A") == 65 and string.char(72, 105) == "Hi")
-- the C locale: ASCII letters only
assert(("\xc9t\xe9"):upper() == "\xc9T\xe9" and ("\xc9"):lower() == "\xc9")
assert(not ("\xe9"):match("%a") and ("Az"):match("^%a%a$"))'
}

test_table_utf8_coroutine() {
	lua_ok 'local t = {5, 3, 9, 1}; table.sort(t); assert(table.concat(t, " ") == "1 3 5 9")
table.insert(t, 1, 0); assert(t[1] == 0 and #t == 5 and table.remove(t) == 9)
assert(select("#", table.unpack({1, 2, 3})) == 3)
assert(utf8.len("h\u{e9}llo") == 5 and utf8.char(233) == "\u{e9}")
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
assert(co(1) == 2 and co(5) == 10)'
}

test_no_file_access() {
	lua_ok 'assert(io == nil and os == nil and dofile == nil and loadfile == nil and debug == nil)
assert(package == nil)'
}

test_load_is_text_only() {
	lua_ok 'assert(load("return 1 + 1")() == 2)
local f, err = load(string.dump(function() return 1 end))
assert(f == nil and err:find("binary chunk"))
local f2, err2 = load(string.dump(function() return 1 end), "x", "b")
assert(f2 == nil and err2:find("binary chunk"))'
}

test_pcall_error_objects() {
	lua_ok 'local ok, e = pcall(error, {code = 7}); assert(not ok and e.code == 7)
local ok2, e2 = pcall(function() local x = nil; return x.y end)
assert(not ok2 and e2:find("attempt to index a nil value"))'
}

test_gc_and_big_tables() {
	lua_ok 'local t = {} for i = 1, 100000 do t[i] = i end
assert(#t == 100000)
t = nil; collectgarbage(); assert(collectgarbage("count") < 8192)'
}

test_xdp_library() {
	lua_ok 'assert(xdp.PASS == 2 and xdp.DROP == 1 and xdp.TX == 3 and xdp.REDIRECT == 4 and xdp.ABORTED == 0)
assert(xdp.action.pass == 2 and xdp.action.drop == 1 and xdp.action.tx == 3)
assert(xdp.action.redirect == 4 and xdp.action.aborted == 0)
assert(xdp.cpu() >= 0)
local t1 = xdp.time(); local t2 = xdp.time(); assert(t2 >= t1 and t1 > 0)'
}

test_print_goes_to_kernel_log() {
	dmesg -C
	lua_ok 'print("hello from", "lua", 42)'
	dmesg | grep -q "hello from	lua	42" || fail "print output not in dmesg: $(dmesg | tail -3)"
}
