-- What each level of nesting costs on the C stack, and the deepest nesting
-- of each kind, in the main chunk and in a callback (docs/testing.md). Needs
-- a module built with -DXDPLUA_STACK_PROBE (the global cstack()). Reports
-- with print (the kernel log):
--   xdplua run tests/klua/stack-costs.lua --pcap ONE-PACKET.pcap --insn-budget 100000000
local function level(name, nest)
	-- nest(f, d) calls f(d - 1) through one level of the construct
	local function f(d)
		if d == 0 then return cstack() end
		return nest(f, d)
	end
	local r = {}
	for d = 1, 4 do
		local ok, v = pcall(f, d)
		if not ok then break end
		r[#r + 1] = v
	end
	local deltas = {}
	for i = 2, #r do deltas[#deltas + 1] = r[i] - r[i - 1] end
	-- the deepest nesting that works (a binary search), and how the next
	-- one fails
	local lo, hi = 0, 301
	while hi - lo > 1 do
		local mid = (lo + hi) // 2
		if pcall(f, mid) then lo = mid else hi = mid end
	end
	local ok, err = pcall(f, lo + 1)
	return name .. "=" .. table.concat(deltas, "/") .. " max " .. lo ..
		" (" .. (ok and "no error" or tostring(err):gsub("^.-:%d+: ", "")) .. ")"
end

local function report(where)
local out = {}
out[#out + 1] = "base=" .. cstack()
out[#out + 1] = level("lua_call", function(f, d) local v = f(d - 1); return v end)
out[#out + 1] = level("gsub", function(f, d)
	local v; ("x"):gsub("x", function() v = f(d - 1) end); return v end)
out[#out + 1] = level("gsub_pattern", function(f, d)
	local v; ("abc"):gsub("(a)(b)(c)", function() v = f(d - 1) end); return v end)
out[#out + 1] = level("index_mm", function(f, d)
	return setmetatable({}, {__index = function() return f(d - 1) end}).x end)
out[#out + 1] = level("add_mm", function(f, d)
	return setmetatable({}, {__add = function() return f(d - 1) end}) + 1 end)
out[#out + 1] = level("pcall", function(f, d)
	local ok, v = pcall(f, d - 1); if not ok then error(v, 0) end return v end)
out[#out + 1] = level("resume", function(f, d)
	local ok, v = coroutine.resume(coroutine.create(f), d - 1)
	if not ok then error(v, 0) end return v end)
out[#out + 1] = level("wrap", function(f, d) return coroutine.wrap(f)(d - 1) end)
out[#out + 1] = level("sort_cmp", function(f, d)
	local v; table.sort({2, 1}, function(a, b) v = f(d - 1); return a < b end); return v end)
out[#out + 1] = level("tostring_mm", function(f, d)
	local v; tostring(setmetatable({}, {__tostring = function() v = f(d - 1); return "" end})); return v end)
for _, line in ipairs(out) do print("stack-costs " .. where .. ": " .. line) end
end

report("main chunk")
function callback(pkt)
	report("callback")
	return xdp.DROP
end
