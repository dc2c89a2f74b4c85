# Kernel tests of the routing API (module/lua_route.c, docs/lua-api.md
# "Routing"): pkt:fib_lookup, pkt:ip_output, xdp.addr_type, xdp.ifaddr,
# xdp.ifindex, xdp.ifname, with hostile arguments. A script on b0 answers
# UDP port 9000 with what the API returned (tests/lib.sh's topology).

setup() {
	topo_up
	ip -n xl-a link set a0 xdp obj build/bpf/trivial_pass.bpf.o sec xdp
	in_b sysctl -qw net.ipv4.ip_forward=1
	ip -n xl-b route add 10.99.0.0/16 via $A_IP
	ip -n xl-b route add blackhole 10.98.0.0/16
	ip -n xl-b route add prohibit 10.97.0.0/16
}

teardown() {
	cleanup_scripts
	topo_down
}

# route_answer 'LUA BODY': the reply to a request on port 9000 is the value
# of the body (pkt is the request); nil and errors are shown as text
route_answer() {
	cat > "$T/route.lua" <<LUA
local function show(...)
	local t = table.pack(...)
	for i = 1, t.n do
		local v = t[i]
		if type(v) == "string" and #v == 6 then
			v = ("%02x:%02x:%02x:%02x:%02x:%02x"):format(v:byte(1, 6))
		elseif type(v) == "string" and #v == 4 then
			v = xdp.ntop(v)
		end
		t[i] = tostring(v)
	end
	return table.concat(t, ",", 1, t.n)
end
local function try(f, ...)
	local ok, err = pcall(f, ...)
	if ok then return "ok" end
	return tostring(err)	-- errors of C functions: no position
end
local function body(pkt)
$1
end
function callback(pkt)
	if #pkt < 42 or pkt:u16(12) ~= 0x0800 or pkt:u8(23) ~= 17 or pkt:u16(36) ~= 9000 then
		return xdp.PASS
	end
	return pkt:udp_reply(tostring(body(pkt)))
end
LUA
	run xdplua_b -L "$T/route.lua" b0
}

mac_of() { ip -n "$1" -j link show "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }

test_fib_lookup_ok_and_no_neigh() {
	route_answer 'return show(pkt:fib_lookup(xdp.pton("10.77.0.1"))) .. " " ..
		show(pkt:fib_lookup(xdp.pton("10.99.1.2"))) .. " " ..
		show(pkt:fib_lookup(xdp.pton("10.77.0.9")))'
	local a b
	a=$(mac_of xl-a a0)
	b=$(mac_of xl-b b0)
	expect_eq "$(udp_request x)" "ok,2,$a,$b,10.77.0.2,1500,10.77.0.1 ok,2,$a,$b,10.77.0.2,1500,10.77.0.1 no_neigh,2,nil,$b,10.77.0.2,1500,10.77.0.9" "answers"
}

test_fib_lookup_statuses() {
	route_answer 'local r = {}
for _, d in ipairs{"10.77.0.2", "127.0.0.1", "10.98.0.1", "10.97.0.1", "1.1.1.1", "10.77.0.255"} do
	r[#r + 1] = (pkt:fib_lookup(xdp.pton(d)))
end
return table.concat(r, " ")'
	expect_eq "$(udp_request x)" "local local blackhole prohibit unreachable not_forwarded" "statuses"
	in_b sysctl -qw net.ipv4.conf.b0.forwarding=0
	expect_eq "$(udp_request x)" "forwarding_disabled forwarding_disabled forwarding_disabled forwarding_disabled forwarding_disabled forwarding_disabled" "forwarding off"
}

test_fib_lookup_integer_addresses_and_source() {
	route_answer 'local st, oif, dmac, smac, src, mtu, nh = pkt:fib_lookup(0x0a630102)
return math.type(src) .. " " .. ("%08x %08x"):format(src, nh) .. " " .. mtu .. " " ..
	(pkt:fib_lookup(0x0a4d0001, 0x0a4d0002, 16)) .. " " .. (pkt:fib_lookup("\10\77\0\1", "\10\77\0\2"))'
	expect_eq "$(udp_request x)" "integer 0a4d0002 0a4d0001 1500 ok ok" "integers in, integers out"
	ip -n xl-b link set b0 mtu 1400
	expect_eq "$(udp_request x | cut -d' ' -f4)" 1400 "the egress MTU"
}

test_fib_lookup_hostile_arguments() {
	route_answer 'local r = {}
for _, args in ipairs{{-1}, {0x100000000}, {math.mininteger}, {math.maxinteger}, {"abc"}, {"abcde"}, {""},
		{{}}, {nil}, {true}, {1, -1}, {1, "xyz"}, {1, 1, -1}, {1, 1, 256}, {1, 1, "x"}} do
	r[#r + 1] = try(pkt.fib_lookup, pkt, table.unpack(args, 1, 3))
end
r[#r + 1] = try(pkt.fib_lookup, xdp, 1)
r[#r + 1] = try(pkt.fib_lookup, pkt:view(xdp.ethernet, 0), 1)
-- one letter per call: which error it got
local codes = {}
for i, e in ipairs(r) do
	codes[i] = not e:find("bad argument") and "?" or
		e:find("%(an IPv4 address: 4 bytes or an integer") and "A" or
		e:find("%(TOS from 0 to 255%)") and "T" or
		e:find("%(number expected, got string%)") and "N" or
		e:find("%(packet expected, got table%)") and "P" or
		e:find("%(packet expected, got xdplua.view%)") and "V" or "?"
end
return table.concat(codes) .. " " .. r[1]'
	expect_eq "$(udp_request x)" "AAAAAAAAAAAATTNPV bad argument #2 to '?' (an IPv4 address: 4 bytes or an integer from 0 to 0xffffffff)" "every hostile call refused"
	expect_eq "$(stat route errors)" 0 "no script error"
}

test_at_load_time() {
	cat > "$T/load.lua" <<'LUA'
-- at load time: the script's namespace
local a, len = xdp.ifaddr("b0")
assert(xdp.ntop(a) == "10.77.0.2" and len == 24, "ifaddr at load")
assert(xdp.addr_type(xdp.pton("10.77.0.2")) == "local", "addr_type at load")
assert(xdp.ifname(xdp.ifindex("b0")) == "b0", "ifindex/ifname at load")
assert(xdp.ifaddr("a0") == nil, "a0 is in another namespace")
function callback(pkt) end
LUA
	run xdplua_b -L "$T/load.lua" b0
}

test_addresses_and_interfaces() {
	ip -n xl-b addr add 10.66.0.1/16 dev b0
	route_answer 'local a1, l1 = xdp.ifaddr("b0")
local a2, l2 = xdp.ifaddr(pkt:ifindex(), 2)
return ("%s/%d %s/%d %s %s %s %s %s %s %s"):format(xdp.ntop(a1), l1, xdp.ntop(a2), l2,
	tostring(xdp.ifaddr("b0", 3)), tostring(xdp.ifaddr("nosuch")), xdp.ifname(pkt:ifindex()),
	tostring(xdp.ifname(99999)), tostring(xdp.ifindex("lo")), xdp.addr_type(0x0a4d0002),
	xdp.addr_type(xdp.pton("10.77.0.255")))'
	expect_eq "$(udp_request x)" "10.77.0.2/24 10.66.0.1/16 nil nil b0 nil 1 local broadcast" "addresses"
}

test_interface_hostile_arguments() {
	route_answer 'local r = {}
for _, f in ipairs{function() return xdp.ifaddr("") end, function() return xdp.ifaddr(("x"):rep(16)) end,
		function() return xdp.ifaddr("a\0b") end, function() return xdp.ifaddr(0) end,
		function() return xdp.ifaddr(-1) end, function() return xdp.ifaddr(math.maxinteger) end,
		function() return xdp.ifaddr("b0", 0) end, function() return xdp.ifaddr("b0", 257) end,
		function() return xdp.ifaddr("b0", math.mininteger) end, function() return xdp.ifaddr({}) end,
		function() return xdp.ifname("1") end, function() return xdp.ifindex(1) end,
		function() return xdp.ifname(0x80000000) end, function() return xdp.addr_type(-1) end,
		function() return xdp.addr_type("1.2.3.4") end} do
	r[#r + 1] = try(f)
end
local n, odd = 0, ""
for i, e in ipairs(r) do
	if e:find("bad argument") then n = n + 1 else odd = odd .. " " .. i .. ":" .. e:sub(1, 40) end
end
return n .. odd'
	expect_eq "$(udp_request x)" 15 "every hostile call refused"
}

test_ip_output_once_per_packet() {
	# the request is for B itself: not a unicast route; the call counts
	route_answer 'local ok1, e1 = pkt:ip_output()
local ok2, e2 = pcall(pkt.ip_output, pkt)
return tostring(ok1) .. " " .. e1 .. " " .. tostring(e2)'
	expect_eq "$(udp_request x)" "nil not a unicast route ip_output: at most once per packet" "once"
	# malformed headers and offsets refused
	route_answer 'local r = {}
pkt:set_u8(14, 0x44)
r[#r + 1] = try(pkt.ip_output, pkt)
pkt:set_u8(14, 0x45)
r[#r + 1] = try(pkt.ip_output, pkt, #pkt - 10)
r[#r + 1] = try(pkt.ip_output, pkt, -1)
r[#r + 1] = try(pkt.ip_output, pkt, math.maxinteger)
local len = pkt:u16(16)
pkt:set_u16(16, 9000)
r[#r + 1] = try(pkt.ip_output, pkt)
pkt:set_u16(16, 19)
r[#r + 1] = try(pkt.ip_output, pkt)
pkt:set_u16(16, len)
pkt:set_u8(14, 0x65)
r[#r + 1] = try(pkt.ip_output, pkt)
pkt:set_u8(14, 0x45)
local n, odd = 0, ""
for i, e in ipairs(r) do
	if e:find("IPv4 header at offset") then n = n + 1 else odd = odd .. " " .. i .. ":" .. e:sub(1, 40) end
end
return n .. odd'
	expect_eq "$(udp_request x)" 7 "refused"
}

test_ip_output_sends() {
	# B sends A's request back to A through its output path (its neighbour
	# entries flushed: the kernel resolves A first), as forward.lua does
	# for a translated packet whose next hop is not resolved
	route_answer 'local s, d = pkt:u32(26), pkt:u32(30)
local sp, dp = pkt:u16(34), pkt:u16(36)
pkt:set_u32(26, d); pkt:set_u32(30, s); pkt:set_u16(34, dp); pkt:set_u16(36, sp)
pkt:set_u16(40, 0)
pkt:set_bytes(42, "via-output")
assert(pkt:ip_output())'
	sed -i 's/return pkt:udp_reply(tostring(body(pkt)))/body(pkt) return xdp.DROP/' "$T/route.lua"
	run xdplua_b -L "$T/route.lua" b0
	ip -n xl-b neigh flush all
	expect_eq "$(udp_request ping-me | cut -c1-10)" "via-output" "A got the packet B sent"
	expect_eq "$(stat route errors drop)" "0 1" "errors, drops"
}
