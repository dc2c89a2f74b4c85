-- tests/local/probe.lua: the runtime's answers to edge cases, written into
-- the packet as text, so that a run in the kernel and one in userspace
-- (xdplua run --local) can be compared byte for byte (tests/kernel/local.sh).
-- Nothing here depends on time, addresses or randomness.

local MAXI, MINI = math.maxinteger, math.mininteger
local out = {}

-- values as text; long strings cut, error messages without their position
local function show(v)
	if type(v) == "string" then
		if #v > 100 then v = v:sub(1, 100) .. "..." .. #v end
		return ("%q"):format(v)
	end
	return tostring(v)
end

local function add(name, ...)
	local t = table.pack(...)
	for i = 1, t.n do t[i] = show(t[i]) end
	out[#out + 1] = name .. ": " .. table.concat(t, " ", 1, t.n)
end

-- at load time: which table names the runtime accepts (kernel ctype)
local names = {}
for c = 128, 255, 3 do
	names[#names + 1] = pcall(xdp.table, "t" .. string.char(c)) and "1" or "0"
end
local table_names = table.concat(names)
local shared = xdp.table("probe")

local function lib_probes()
	add("table names", table_names)
	for _, s in ipairs({"\xa05", " 5", "\xa0 0x10", "5\xa0", "0x", "1e5", "0x1p4",
			    "12345678901234567890", "-9223372036854775808", "9223372036854775808",
			    "  0x7fffffffffffffff  ", "1.", ".5", "inf", "nan", "0b101"}) do
		add("tonumber", s, tonumber(s), math.type(tonumber(s)))
	end
	add("format", string.format("[%5.2s|%-5d|%x|%5.1f|%g|%e|%a|%i|%c|%o|%X|%#x|%+d|%.3d|%q]",
		"abc", 42, 255, 7, 8, 9, 10, 11, 65, 8, 255, 255, 5, 7, "a\0b\n"))
	add("format", pcall(string.format, "%d", "x"), pcall(string.format, "%5"))
	add("arith", 7 // 2, 7 % -3, -7 // 2, 2^10, 2^-1, (-2)^63, 7 / 2, math.type(7 / 2),
		MAXI + 1 == MINI, MINI // -1, MINI % -1, 1 << 64, 1 >> -1)
	add("arith", pcall(function() return 1 // 0 end))
	add("arith", pcall(function() return 1 % 0 end))
	add("math", math.abs(MINI), math.max(3, 9, -1), math.min(3, 9, -1), math.fmod(-7, 3),
		math.ult(1, -1), math.tointeger("8"), math.type(1), math.huge, math.floor(7 / 2))
	add("math", pcall(math.random, 5, 1))
	add("pack", string.pack(">d", 3):byte(1, -1))
	add("pack", string.pack("<f", -2):byte(1, -1))
	add("pack", string.unpack("<d", string.pack("<d", 12345)))
	add("pack", pcall(string.pack, "i17", 1))
	add("rep", pcall(string.rep, "x", -1), #("ab"):rep(3, ","))
	add("utf8", utf8.char(0x10FFFF, 72), pcall(utf8.codepoint, "\xff"), utf8.len("h\xc3\xa9"))
	add("string", ("Hello"):upper(), ("\xc9A"):lower(), ("%a+"):rep(2), ("x y"):find("%s"),
		("abc"):gsub("%w", "%0%0"), ("\xe9"):match("%a") == nil)
	add("pattern", pcall(string.find, ("a"):rep(40), ".-.-.-b"))
end

local function address_probes()
	add("pton", xdp.pton("10.0.0.1") == "\10\0\0\1", xdp.pton("1.2.3.256"), xdp.pton(""))
	for _, s in ipairs({"2001:db8::1", "::", "::1", "1::", "::ffff:1.2.3.4", "fe80::5efe:10.1.2.3",
			    "1:0:0:2:0:0:0:3", "0:0:1::", "01.2.3.4", "1.2.3.4:80", "::1.2.3.4",
			    "1:2:3:4:5:6:1.2.3.4", "00001::", "1::2::3", ":1", "1:", "::ffff:0:0",
			    "1.2.3.4.5", "1..2.3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::"}) do
		local a = xdp.pton(s)
		add("pton", s, a and #a, a and xdp.ntop(a))
	end
	add("ntop", pcall(xdp.ntop, "abc"))
end

local function misc_probes()
	add("errors", pcall(error), pcall(error, nil), pcall(error, {}), pcall(error, "x", 0))
	add("errors", pcall(function() local t = xdp.table("x") end))
	add("load", load("return 1 +"), load("\27Lua"), type(load("")))
	add("co", coroutine.resume(coroutine.create(function(a) return a * 2 end), 21))
	add("co", pcall(coroutine.wrap(function() error("in co") end)))
	add("gc", pcall(setmetatable, {}, {__gc = function() end}))
end

local function memory_probe()
	-- how far a state gets before its memory budget says no: the same
	-- accounting in both homes
	local t = {}
	local ok, err = pcall(function() for i = 1, 10000000 do t[i] = i end end)
	local n = #t
	t = nil
	collectgarbage()
	local s = {}
	local ok2, err2 = pcall(function() for i = 1, 100000 do s[i] = ("y"):rep(1000) .. i end end)
	local m = #s
	s = nil
	collectgarbage()
	add("memory", ok, err, n, ok2, err2, m)
end

local function table_probes()
	local t = shared
	for _, k in ipairs({0, -1, 1, MAXI, MINI, "", "k", ("k"):rep(255), ("k"):rep(256), "a\0b"}) do
		add("table set", #tostring(k), pcall(t.set, t, k, k))
		add("table get", #tostring(k), pcall(t.get, t, k))
	end
	for _, v in ipairs({true, false, ("v"):rep(1024), ("v"):rep(1025), 7 / 2}) do
		add("table value", pcall(t.set, t, "v", v), show(t.v):sub(1, 12))
	end
	add("table value", pcall(t.set, t, "v", {}))
	add("table key", pcall(t.set, t, {}, 1), pcall(t.get, t, nil))
	for _, ttl in ipairs({-1, 0, 1, 10 * 366 * 86400, 10 * 366 * 86400 + 1}) do
		add("table ttl", ttl, pcall(t.set, t, "ttl", 1, ttl), t:ttl("ttl"))
	end
	t.n = MAXI
	add("table add", pcall(t.add, t, "n", 1), pcall(t.add, t, "v", 1), t:add("new", -5))
	add("table del", t:del("n"), t:del("n"), t:count(), #t, t:name(), tostring(t))
	local keys = {}
	for k, v in pairs(t) do keys[#keys + 1] = show(k) .. "=" .. show(v):sub(1, 8) end
	table.sort(keys)
	add("table pairs", table.concat(keys, ","))
	add("rcu", pcall(xdp.table), pcall(function() rcu.x = 1 return rcu.x end))
end

local function packet_probes(pkt)
	local n = #pkt
	add("packet", tostring(pkt), n, pkt:ifindex(), pkt:ifname(), pkt:queue(), xdp.cpu())
	local offs = {-1, 0, 1, n - 4, n - 2, n - 1, n, n + 1, MAXI, MINI}
	for _, f in ipairs({"u8", "u16", "u32"}) do
		local r = {}
		for _, o in ipairs(offs) do
			local ok, v = pcall(pkt[f], pkt, o)
			r[#r + 1] = ok and tostring(v) or "E"
		end
		add(f, table.concat(r, "|"))
	end
	add("set", pcall(pkt.set_u8, pkt, n - 1, 0x1ff), pcall(pkt.set_u16, pkt, n - 1, 1),
		pcall(pkt.set_u32, pkt, n - 4, -1), pkt:u32(n - 4))
	add("bytes", pcall(pkt.bytes, pkt, 0, -1), pcall(pkt.bytes, pkt, n, 0),
		pcall(pkt.bytes, pkt, n + 1), pcall(pkt.bytes, pkt, 2, MAXI), #pkt:bytes(3))
	add("set_bytes", pcall(pkt.set_bytes, pkt, n - 2, "abc"), pcall(pkt.set_bytes, pkt, n, ""),
		pcall(pkt.set_bytes, pkt, MINI, "a"))
	add("csum", pcall(pkt.ipv4_checksum, pkt), pcall(pkt.l4_checksum, pkt),
		pcall(pkt.ipv4_checksum, pkt, n - 19), pcall(pkt.ipv4_checksum, pkt, MAXI),
		pcall(pkt.l4_checksum, pkt, -1))
	add("csum_replace", pcall(pkt.csum_replace, pkt, 24, 1, 2), pcall(pkt.csum_replace, pkt, 24, 1, 2, 4),
		pcall(pkt.csum_replace, pkt, 24, 1, 2, 3), pcall(pkt.csum_replace, pkt, n - 1, 1, 2))
	local ip = pkt:view(xdp.ipv4, 14)
	add("view", pcall(function() return ip.version, ip.ihl, ip.ttl, ip.proto, #ip.src end))
	add("view", pcall(function() ip.ttl = 300 return ip.ttl end), pcall(function() ip.src = "ab" end))
	add("view", pcall(function() return ip.nope end), pcall(function() return ip[1] end))
	for _, o in ipairs({-1, n - 20, n - 19, n, MAXI, MAXI - 7, MINI}) do
		local ok, v = pcall(function() return pkt:view(xdp.ipv4, o).dst end)
		add("view at", o, ok, ok and #v or v)
	end
	for _, spec in ipairs({{0, 64}, {7, 64}, {0, 65}, {-1, 8}, {0, 0}, {MAXI, 8}, {MAXI - 7, 8},
			       {8, 16, "string"}, {4, 8, "string"}, {0, MAXI, "string"}}) do
		local ok, l = pcall(xdp.layout, {f = spec})
		local ok2, v = false, nil
		if ok then ok2, v = pcall(function() return pkt:view(l, 0).f end) end
		add("layout", spec[1], spec[2], spec[3], ok, ok2, type(v) == "string" and #v or v)
	end
	add("layout", pcall(function() xdp.ipv4.ttl = {0, 8} end), pcall(xdp.layout, {1}))
	add("udp_reply", pcall(pkt.udp_reply, pkt, "x", 13), pcall(pkt.udp_reply, pkt, "x", MAXI),
		pcall(pkt.udp_reply, pkt, ("z"):rep(65536)))
	-- sizes last: they change the packet
	add("head", pcall(pkt.adjust_head, pkt, -217), pcall(pkt.adjust_head, pkt, -216),
		pcall(pkt.adjust_head, pkt, 216), pcall(pkt.adjust_head, pkt, MINI), #pkt)
	add("tail", pcall(pkt.adjust_tail, pkt, 3520 - #pkt + 1), pcall(pkt.adjust_tail, pkt, 3520 - #pkt),
		pcall(pkt.resize, pkt, 13), pcall(pkt.resize, pkt, 14), pcall(pkt.resize, pkt, MAXI), #pkt)
end

-- the packet's own probes, then a group of the others in turn (per-CPU
-- count: run on one CPU for the same sequence)
local groups = {table_probes, lib_probes, address_probes, misc_probes, memory_probe}
local count = 0

function callback(pkt)
	out = {}
	count = count + 1
	packet_probes(pkt)
	groups[(count - 1) % #groups + 1]()
	-- the report, in place of the packet's payload
	local s = table.concat(out, "\n") .. "\n"
	local ok = pcall(pkt.resize, pkt, math.min(14 + #s, 3520))
	if ok then pkt:set_bytes(14, s:sub(1, #pkt - 14)) end
	return xdp.TX
end
