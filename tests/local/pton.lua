-- tests/local/pton.lua: xdp.pton and xdp.ntop on generated addresses, well
-- and badly formed, with the results in the packet: one character per
-- case ('-' refused, '4' or '6') and a hash of every address and text, so
-- that the kernel's parser and printer and the userspace port's can be
-- compared (tests/kernel/local.sh). The cases come from a generator seeded
-- by the packet's length and last 4 bytes: the same in both homes.

local CASES = 50
local seed

local function rnd(n)
	seed = seed * 6364136223846793005 + 1442695040888963407
	return (seed >> 33) % n
end

local function hex_group()
	local t = {}
	for i = 1, rnd(6) do
		local d = rnd(16)
		if rnd(8) == 0 then d = rnd(6) + 10 + 32 else d = d + (d < 10 and 48 or 87) end
		t[i] = string.char(d < 58 and d or (d > 96 and d or d + 55 - 42))
	end
	return table.concat(t)
end

local function quad()
	local t = {}
	for i = 1, 3 + rnd(3) - (rnd(4) == 0 and 1 or 0) do
		local v = rnd(3) == 0 and rnd(300) or rnd(10)
		t[i] = (rnd(6) == 0 and "0" or "") .. v
	end
	return table.concat(t, ".")
end

local function candidate()
	local k = rnd(10)
	if k < 3 then return quad() end
	local t, groups = {}, rnd(10)
	for i = 1, groups do
		t[#t + 1] = hex_group()
		if i < groups then t[#t + 1] = rnd(7) == 0 and "::" or ":" end
	end
	local s = table.concat(t)
	if k == 3 then s = s .. ":" .. quad() end
	if k == 4 then s = "::" .. s end
	if k == 5 then s = s .. "::" end
	if rnd(5) == 0 then		-- one character more or less
		local p = rnd(#s + 1)
		local c = (":.0aZ% \0"):sub(rnd(8) + 1, nil)
		s = s:sub(1, p) .. c:sub(1, 1) .. s:sub(p + 2 - rnd(2))
	end
	return s
end

local function address()
	local b = {}
	local shape = rnd(8)
	for i = 1, 8 do
		local w = rnd(2) == 0 and 0 or (rnd(3) == 0 and rnd(16) or rnd(65536))
		if shape == 0 then w = i == 6 and 0xffff or (i < 6 and 0 or w) end
		if shape == 1 then w = i == 6 and 0x5efe or (i == 5 and rnd(2) * 0x200 or w) end
		b[i] = string.pack(">I2", w)
	end
	return table.concat(b)
end

function callback(pkt)
	seed = pkt:u32(#pkt - 4) * 7919 + #pkt
	local res, h = {}, 0
	local function mix(s)
		for i = 1, #s do h = (h * 31 + s:byte(i)) & 0xffffffff end
	end
	for i = 1, CASES do
		local s = candidate()
		local a = xdp.pton(s)
		res[i] = not a and "-" or (#a == 4 and "4" or "6")
		if a then mix(a) mix(xdp.ntop(a)) end
		local a6 = address()
		mix(xdp.ntop(a6))
		mix(xdp.ntop(a6:sub(13)))
	end
	local s = table.concat(res) .. (" %08x\n"):format(h)
	pkt:resize(14 + #s)
	pkt:set_bytes(14, s)
	return xdp.TX
end
