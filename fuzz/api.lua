-- fuzz/api.lua: the driver of the fuzz/api.c harness.
--
-- Each packet carries a program after its first `arg` bytes (the callback's
-- second argument): the driver cuts it off, then reads it as operations on
-- the packet API, header views, checksums, udp_reply, shared tables and the
-- xdp library, with boundary arguments (0, -1, the integer limits, lengths
-- around the packet's, ...). Every operation runs under pcall: Lua errors
-- are the expected answers to bad arguments. What counts is what the
-- sanitizers see in the C underneath.

local MAXI, MINI = math.maxinteger, math.mininteger
local big = xdp.table("fuzz")
local small = xdp.table("fuzz.small")	-- created with room for 4 entries
local layouts = {xdp.ethernet, xdp.vlan, xdp.ipv4, xdp.ipv6, xdp.udp, xdp.tcp,
		 xdp.icmp, xdp.dns}
-- pkt:unpack formats: valid ones, sizes at their limits, invalid ones
local formats = {"B", "b", "H", "h", "I", "i3", "I8", "j", "L", "<I2", "<i4 > H",
	"c0", "c3", "c65535", "xxB", "x8B", "x65535", "BHI4 c2 xL", "", "i9", "I0",
	"c", "c65536", "c99999999999999999999", "z", string.rep("B", 32),
	string.rep("B", 33), string.rep("c65535", 32), "\0"}
local fields = {
	{"dst", "src", "type"},
	{"pcp", "dei", "vid", "type"},
	{"version", "ihl", "dscp", "ecn", "len", "id", "flags", "frag", "ttl", "proto",
	 "csum", "src", "dst"},
	{"version", "class", "flow", "len", "next", "hops", "src", "dst"},
	{"sport", "dport", "len", "csum"},
	{"sport", "dport", "seq", "ack", "off", "flags", "window", "csum", "urg"},
	{"type", "code", "csum", "id", "seq"},
	{"id", "qr", "opcode", "aa", "tc", "rd", "ra", "z", "ad", "cd", "rcode",
	 "qdcount", "ancount", "nscount", "arcount"},
}
for _, names in ipairs(fields) do names[#names + 1] = "nope" end

local code, pc, pkt, views, custom

local function byte()
	pc = pc + 1
	return code:byte(pc) or 0
end

-- a number: a boundary value, a small one, or 8 bytes of the program
local function num()
	local n = #pkt
	local vals = {0, 1, -1, 2, 3, 4, 7, 8, 12, 13, 14, 15, 16, 20, 23, 24, 26,
		34, 36, 40, 42, 54, 60, 64, 65, 127, 128, 216, 217, -216, -217,
		255, 256, 3520, 3521, 65535, 65536, 0x7fffffff, 0x80000000,
		0xffffffff, 1 << 32, MAXI, MINI, MAXI - 1, MINI + 1, MAXI - 7,
		n, n - 1, n + 1, n - 2, n - 4, n - 8, -n, 3520 - n, 3521 - n,
		n - 14, n - 34, n - 42}
	local b = byte()
	if b < #vals then return vals[b + 1] end
	if b < 240 then return b - #vals end
	local v = 0
	for _ = 1, 8 do v = v << 8 | byte() end
	return v
end

-- a string: a boundary length, bytes of the program
local function str()
	local len = num()
	if len < 0 then len = -len end
	if len > 70000 or len < 0 then len = byte() end
	local start = pc
	pc = pc + 1
	local s = code:sub(start + 1, start + len)
	if #s < len then s = s .. ("\0"):rep(len - #s) end
	return s
end

local function key()
	local k = byte() % 7
	if k == 0 then return num() end
	if k == 1 then return str() end
	if k == 2 then return nil end
	if k == 3 then return {} end
	if k == 4 then return true end
	if k == 5 then return 7 // 2 end	-- a "float" in integer-only Lua
	return code:sub(pc + 1, pc + byte() % 9)
end

local function value()
	local k = byte() % 6
	if k == 0 then return num() end
	if k == 1 then return str() end
	if k == 2 then return byte() % 2 == 0 end
	if k == 3 then return nil end
	if k == 4 then return {} end
	return code:sub(pc + 1, pc + byte() % 9)
end

local function field(i)
	local names = fields[i]
	return names[byte() % #names + 1]
end

local ops
ops = {
	function() return pkt:u8(num()) end,
	function() return pkt:u16(num()) end,
	function() return pkt:u32(num()) end,
	function() pkt:set_u8(num(), num()) end,
	function() pkt:set_u16(num(), num()) end,
	function() pkt:set_u32(num(), num()) end,
	function() return pkt:bytes(num()) end,
	function() return pkt:bytes(num(), num()) end,
	function() pkt:set_bytes(num(), str()) end,
	function() return pkt:adjust_head(num()) end,
	function() return pkt:adjust_tail(num()) end,
	function() return pkt:resize(num()) end,
	function() return pkt:ipv4_checksum() end,
	function() return pkt:ipv4_checksum(num()) end,
	function() return pkt:l4_checksum() end,
	function() return pkt:l4_checksum(num()) end,
	function() return pkt:csum_replace(num(), num(), num()) end,
	function() return pkt:csum_replace(num(), num(), num(), num()) end,
	function() return pkt:udp_reply(str()) end,
	function() return pkt:udp_reply(str(), num()) end,
	function()	-- a view of a standard header, a field read
		local i = byte() % #layouts + 1
		local v = pkt:view(layouts[i], num())
		views[#views + 1] = {v, i}
		return v[field(i)]
	end,
	function()	-- a field written, in a view made before
		local e = views[byte() % (#views + 1)]
		if e then e[1][field(e[2])] = byte() % 3 == 0 and str() or num() end
	end,
	function()	-- a view read after the packet changed under it
		local e = views[byte() % (#views + 1)]
		if e then return e[1][field(e[2])] end
	end,
	function()	-- a layout of the program's own
		local spec = {num(), num()}
		if byte() % 2 == 0 then spec[3] = "string" end
		custom = xdp.layout{f = spec, g = {byte(), byte() % 65}}
		local v = pkt:view(custom, num())
		if byte() % 2 == 0 then v.f = byte() % 2 == 0 and str() or num() end
		return v.f, v.g
	end,
	function()	-- layouts must not change once made
		local l = byte() % 2 == 0 and custom or layouts[byte() % #layouts + 1]
		if l then
			local spec = l[byte() % 2 == 0 and "f" or field(3)]
			if type(spec) == "table" then spec[1], spec[2] = num(), num() end
			l[str()] = {num(), num()}
		end
	end,
	function() return big[key()] end,
	function() big[key()] = value() end,
	function() return big:add(key(), num(), num()) end,
	function() return big:set(key(), value(), num()) end,
	function() return big:del(key()) end,
	function() return big:ttl(key()) end,
	function() return big:get(key()) end,
	function()	-- iteration while the table changes
		local n = 0
		for k, v in pairs(big) do
			n = n + 1
			if n > 40 then break end
			if byte() % 4 == 0 then big[k] = nil end
			if byte() % 4 == 0 then big[key()] = value() end
		end
		return n
	end,
	function() return #big, big:count(), big:name(), tostring(big) end,
	function() small[key()] = value() return #small end,
	function() return small:add(key(), num()) end,
	function() return xdp.pton(str()) end,
	function() return xdp.ntop(str()) end,
	function()
		return tostring(pkt), #pkt, pkt:len(), pkt:ifname(), pkt:ifindex(), pkt:queue()
	end,
	function() return string.pack(str(), num(), num(), str()) end,
	function() return string.unpack(str(), str(), num()) end,
	function() return string.format(str(), num(), str(), num()) end,
	function() return tonumber(str()), tonumber(str(), byte() % 40) end,
	function() return str():rep(byte() % 64, str()) end,
	function() return str():find(str(), num(), byte() % 2 == 0) end,
	function() return str():gsub(str(), str(), byte() % 8) end,
	function() xdp.log(str(), num(), str()) end,
	function() return xdp.cpu(), xdp.time() > 0 end,
	function()	-- another operation in a coroutine, twice, across a yield
		local op = ops[byte() % #ops + 1]
		local co = coroutine.wrap(function() coroutine.yield(op()) return op() end)
		co()
		return co()
	end,
	-- routing (module/lua_route.c); in userspace, route_user.c's answers
	function() return pkt:fib_lookup(byte() % 2 == 0 and num() or str()) end,
	function() return pkt:fib_lookup(num(), byte() % 2 == 0 and num() or str(), num()) end,
	function() return pkt:ip_output(byte() % 2 == 0 and num() or nil) end,
	function() return xdp.addr_type(byte() % 2 == 0 and num() or str()) end,
	function() return xdp.ifaddr(byte() % 2 == 0 and num() or str(), num()) end,
	function() return xdp.ifindex(str()), xdp.ifname(num()) end,
	-- added last: the seeds (fuzz/seeds.py) of the operations before keep their meaning
	function()	-- several fields in one call: a known format or the program's
		local fmt = byte() % 4 == 0 and str() or formats[byte() % #formats + 1]
		if byte() % 4 == 0 then return pkt:unpack(fmt) end
		return pkt:unpack(fmt, num())
	end,
}

function callback(p, arg)
	pkt, pc, views, custom = p, 0, {}, nil
	code = pkt:bytes(arg)
	pkt:adjust_tail(arg - #pkt)
	while pc < #code do
		local op = ops[byte() % #ops + 1]
		pcall(op)
	end
	local v = (code:byte(1) or 0) % 8 - 1
	if v == 4 then return v, (code:byte(2) or 0) % 2 == 0 and "lo" or num() end
	return v
end
