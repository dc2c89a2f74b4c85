-- Every integer argument of the packet API at 0, -1, the integer extremes
-- and around the packet's length: in bounds it must work and give the bytes
-- a plain Lua reading of the packet gives; out of bounds it must be a Lua
-- error, never a wrong read or write. The callback returns DROP when every
-- case behaved, or raises an error naming the first one that did not.
-- Used by tests/kernel/sandbox.sh through `xdplua run`.

local maxi, mini = math.maxinteger, math.mininteger

local function values(len)
	return {0, 1, -1, 2, 3, len - 4, len - 3, len - 2, len - 1, len, len + 1,
		len + 2, maxi, mini, maxi - 5, mini + 1, maxi - 8, 1 << 31,
		-(1 << 31), 1 << 32, 1 << 24, (1 << 24) + 1, 65535, 65536}
end

local function check(cond, what, ...)
	if not cond then
		error(string.format(what, ...), 2)
	end
end

local function inside(off, n, len)
	return off >= 0 and n >= 0 and off <= len and n <= len - off
end

local reads = {{"u8", 1}, {"u16", 2}, {"u32", 4}}

-- pkt:unpack formats and their lengths in bytes; string.unpack (with '>'
-- first: the packet's default is big-endian) must agree with each
local formats = {{"B", 1}, {"b", 1}, {"H", 2}, {"h", 2}, {"I", 4}, {"i3", 3},
	{"I8", 8}, {"j", 8}, {"<I2", 2}, {"<i4 > H", 6}, {"c0", 0}, {"c3", 3},
	{"xxB", 3}, {"BHI4 c2 xL", 18}, {"", 0}, {"H B x8 B", 12}, {"x0", 0}}
-- formats refused whatever the offset
local bad_formats = {"i9", "I0", "c", "c65536", "c99999999999999999999", "z", "x65536",
	"i%", string.rep("B", 33), "\0"}

function callback(pkt)
	local len = #pkt
	local whole = pkt:bytes(0)
	check(#whole == len, "bytes(0) is the whole packet")
	local vals = values(len)
	for _, off in ipairs(vals) do
		-- reads and writes of 1, 2 and 4 bytes
		for _, r in ipairs(reads) do
			local name, n = r[1], r[2]
			local ok, v = pcall(pkt[name], pkt, off)
			check(ok == inside(off, n, len), "%s(%d): ok %s", name, off, ok)
			if ok then
				local want = string.unpack(">I" .. n, whole, off + 1)
				check(v == want, "%s(%d) = %d, want %d", name, off, v, want)
				local wok = pcall(pkt["set_" .. name], pkt, off, v ~ 0x5a)
				check(wok, "set_%s(%d) in bounds", name, off)
				check(pkt[name](pkt, off) == (v ~ 0x5a) & ((1 << (8 * n)) - 1),
				      "set_%s(%d) reads back", name, off)
				pkt["set_" .. name](pkt, off, v)
			else
				local wok = pcall(pkt["set_" .. name], pkt, off, 0)
				check(not wok, "set_%s(%d) out of bounds refused", name, off)
			end
		end
		-- unpack(fmt, off): every value and the next offset, or an error
		for _, f in ipairs(formats) do
			local fmt, n = f[1], f[2]
			local res = table.pack(pcall(pkt.unpack, pkt, fmt, off))
			check(res[1] == inside(off, n, len), "unpack(%q, %d): ok %s", fmt, off, res[1])
			if res[1] then
				-- x<n>: n bytes skipped, as n x's for string.unpack
				local sfmt = fmt:gsub("x(%d+)", function(k) return ("x"):rep(k) end)
				local want = table.pack(string.unpack(">" .. sfmt, whole, off + 1))
				check(res.n - 1 == want.n, "unpack(%q, %d): %d results", fmt, off, res.n - 1)
				for i = 1, want.n - 1 do
					check(res[i + 1] == want[i], "unpack(%q, %d): value %d", fmt, off, i)
				end
				check(res[res.n] == off + n, "unpack(%q, %d): next offset", fmt, off)
			end
		end
		for _, fmt in ipairs(bad_formats) do
			check(not pcall(pkt.unpack, pkt, fmt, off), "unpack(%q, %d) refused", fmt, off)
		end
		-- bytes(off [, n]) and set_bytes
		local ok, s = pcall(pkt.bytes, pkt, off)
		check(ok == inside(off, 0, len), "bytes(%d): ok %s", off, ok)
		if ok then
			check(s == whole:sub(off + 1), "bytes(%d)", off)
		end
		for _, n in ipairs(vals) do
			local bok, b = pcall(pkt.bytes, pkt, off, n)
			check(bok == inside(off, n, len), "bytes(%d, %d): ok %s", off, n, bok)
			if bok then
				check(b == whole:sub(off + 1, off + n), "bytes(%d, %d)", off, n)
			end
		end
		local sok = pcall(pkt.set_bytes, pkt, off, "\1\2\3")
		check(sok == inside(off, 3, len), "set_bytes(%d, 3 bytes): ok %s", off, sok)
		if sok then
			pkt:set_bytes(off, whole:sub(off + 1, off + 3))
		end
		-- csum_replace on a 16-bit field at off
		local cok = pcall(pkt.csum_replace, pkt, off, 0, 0)
		check(cok == inside(off, 2, len), "csum_replace(%d): ok %s", off, cok)
		-- a view: the 2-byte UDP source port field at off
		local vok, view = pcall(pkt.view, pkt, xdp.udp, off)
		check(vok == (off >= 0 and off <= (1 << 24)), "view(%d): ok %s", off, vok)
		if vok then
			local fok, port = pcall(function() return view.sport end)
			check(fok == inside(off, 2, len), "view(%d).sport: ok %s", off, fok)
			if fok then
				check(port == string.unpack(">I2", whole, off + 1), "view(%d).sport", off)
			end
			local wok = pcall(function() view.len = 7 end)
			check(wok == inside(off + 4, 2, len), "view(%d).len = 7: ok %s", off, wok)
			if wok then
				pkt:set_bytes(off + 4, whole:sub(off + 5, off + 6))
			end
		end
		-- the L3 helpers with the IP header at off: only 14 is a header
		for _, f in ipairs({"ipv4_checksum", "l4_checksum"}) do
			local lok = pcall(pkt[f], pkt, off)
			check(not lok or inside(off, 20, len) and pkt:u8(off) >> 4 == 4,
			      "%s(%d) succeeded on no IP header", f, off)
			pkt:set_bytes(0, whole)
		end
		if off ~= 14 then
			local rok = pcall(pkt.udp_reply, pkt, "x", off)
			check(not rok or inside(off, 28, len), "udp_reply(_, %d) succeeded", off)
			if #pkt ~= len then
				pkt:resize(len)
			end
			pkt:set_bytes(0, whole)
		end
		-- resizing by extreme amounts: refused, packet unchanged
		if off ~= 0 and off ~= 1 and off ~= 2 and off ~= 3 and off ~= -1 then
			for _, f in ipairs({"adjust_head", "adjust_tail"}) do
				local aok = pcall(pkt[f], pkt, off)
				if aok then	-- a small move that fit: undo it
					pkt[f](pkt, -off)
				end
			end
			local zok = pcall(pkt.resize, pkt, off)
			check(not zok or (off >= 0 and off < (1 << 24)), "resize(%d) succeeded", off)
			if zok then
				pkt:resize(len)
				pkt:set_bytes(0, whole)
			end
			check(#pkt == len, "length kept after resizing by %d", off)
		end
	end
	check(pkt:bytes(0) == whole, "packet unchanged at the end")
	return xdp.DROP
end
