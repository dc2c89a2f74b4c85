-- dns.lua: a transparent DNS cache in the XDP hook (IPv4, UDP).
--
-- Attach it to the client-facing and the upstream-facing interfaces of a
-- router in front of a DNS server (see README.md). It
--   * answers A/IN queries addressed to the upstream server from its cache or
--     its static records, at once, from XDP (XDP_TX), with the upstream's
--     address as source;
--   * passes every other packet untouched;
--   * learns the A records of the upstream's NOERROR answers, with their TTL,
--     but only answers to a query it saw pass (same ID, client address and
--     port, server, type and name) within a few seconds.
--
-- Tables (xdplua table ...):
--   dns.config  upstream  "10.53.2.53" (several: space-separated)  required
--               static_ttl  TTL of answers from static records (300)
--               max_ttl     longest time a learned answer is kept (86400)
--               pending_ttl seconds a passed query waits for its answer (5)
--               edns_size   UDP payload size announced in replies (1232)
--   dns.static  "www.example.com" -> "192.0.2.1 192.0.2.2" (xdplua table load)
--   dns.cache   learned: lower-case wire name -> flags byte .. addresses
--   dns.pending queries in flight (internal)
--   dns.stats   counters: hit, static_hit, miss, pass, learned, unsolicited,
--               not_learned, no_room (flushed once a second per CPU)
-- Configuration changes are picked up within a second.

local PASS, TX = xdp.PASS, xdp.TX

local config = xdp.table("dns.config")
local cache = xdp.table("dns.cache")
local static = xdp.table("dns.static")
local pending = xdp.table("dns.pending")
local stats = xdp.table("dns.stats")

local byte, char, pack, unpack = string.byte, string.char, string.pack, string.unpack
local concat = table.concat

-- per-CPU state, refreshed from dns.config once a second
local upstream_text = false       -- the config string last parsed
local upstreams = {}              -- set of upstream addresses (integers)
local static_ttl, max_ttl, pending_ttl, edns_size = 300, 86400, 5, 1232
local next_refresh = 0
local opt_record                  -- our OPT: root, type 41, edns_size, no flags
local memo, memo_n, MEMO_MAX = {}, 0, 1024   -- see lookup()
local replies, replies_n = {}, 0              -- see query(); also MEMO_MAX
local counts = {}                 -- counters not yet added to dns.stats

local function count(what)
	counts[what] = (counts[what] or 0) + 1
end

local function number(v, default, lo, hi)
	v = math.tointeger(tonumber(v))
	if not v or v < lo or v > hi then return default end
	return v
end

local function refresh(now)
	next_refresh = now + 1000000000
	local u = config.upstream
	if u ~= upstream_text then
		upstream_text = u
		upstreams = {}
		if type(u) == "string" then
			for a in u:gmatch("[^%s,]+") do
				local b = xdp.pton(a)
				if b and #b == 4 then upstreams[unpack(">I4", b)] = true end
			end
		end
	end
	static_ttl = number(config.static_ttl, 300, 0, 0x7fffffff)
	max_ttl = number(config.max_ttl, 86400, 1, 0x7fffffff)
	pending_ttl = number(config.pending_ttl, 5, 1, 60)
	edns_size = number(config.edns_size, 1232, 512, 65535)
	opt_record = pack(">BI2I2I4I2", 0, 41, edns_size, 0, 0)
	memo, memo_n, replies, replies_n = {}, 0, {}, 0
	for k, n in pairs(counts) do
		pcall(stats.add, stats, k, n)
		counts[k] = nil
	end
end

-- DNS names are case-insensitive for ASCII letters only (RFC 4343), and
-- string.lower changes ASCII letters only (XDPLua's C library, like C's in
-- the "C" locale): one call, no pattern
local lower = string.lower

-- The question name at off, which must not be compressed: its end (the
-- offset after the root label) or nil. At most 255 bytes (RFC 1035 3.1).
local function question_end(pkt, off, dend)
	local start = off
	while true do
		if off >= dend then return nil end
		local l = pkt:u8(off)
		if l == 0 then return off + 1 end
		if l > 63 then return nil end   -- pointer or extended label type
		off = off + 1 + l
		if off + 1 - start > 255 then return nil end
	end
end

-- A name anywhere in a message (d: start of the DNS message), following
-- compression pointers: each one must point strictly before the previous
-- target, so there is no loop; every byte read is inside [d, dend).
-- Returns the lower-case uncompressed wire name and the offset after it.
local function read_name(pkt, off, d, dend)
	local parts, total, after = {}, 0, nil
	local limit = off
	while true do
		if off >= dend then return nil end
		local l = pkt:u8(off)
		if l == 0 then
			if total + 1 > 255 then return nil end
			return lower(concat(parts) .. "\0"), after or off + 1
		elseif l >= 0xc0 then
			if off + 2 > dend then return nil end
			local target = d + ((l & 0x3f) << 8 | pkt:u8(off + 1))
			if target >= limit then return nil end
			after = after or off + 2
			limit, off = target, target
		elseif l > 63 then
			return nil
		else
			if off + 1 + l > dend then return nil end
			total = total + 1 + l
			if total + 1 > 255 then return nil end
			parts[#parts + 1] = pkt:bytes(off, 1 + l)
			off = off + 1 + l
		end
	end
end

-- "www.example.com" from a lower-case wire name; nil if a label holds bytes
-- a name in a text file cannot (dot, blank, control, non-ASCII)
local function wire_to_text(w)
	local parts, pos = {}, 1
	while true do
		local l = w:byte(pos)
		if l == 0 then break end
		local label = w:sub(pos + 1, pos + l)
		if label:find("[^a-z0-9_%-]") then return nil end
		parts[#parts + 1] = label
		pos = pos + 1 + l
	end
	if #parts == 0 then return nil end
	return concat(parts, ".")
end

-- The answer records for na addresses at TTL ttl, names compressed to the
-- question (pointer to offset 12)
local function answer_records(rdata, ttl)
	local head = pack(">I2I2I2I4I2", 0xc00c, 1, 1, ttl, 4)
	local rr = {}
	for i = 1, #rdata, 4 do rr[#rr + 1] = head .. rdata:sub(i, i + 3) end
	return concat(rr)
end

-- Per-CPU memo of the answers given in the current second, so that a hot
-- name costs no shared-table read: cleared at every refresh (once a second),
-- so a change to dns.cache or dns.static shows within a second. An entry:
-- {rdata, na, aflags, deadline (ns, a conservative expiry), ttl, records,
-- fixed (static: constant TTL)}.
-- The answer for a lower-case wire name, or nil: static records first, then
-- the learned cache.
local function lookup(key, now)
	local m = memo[key]
	if m then
		if m.fixed then count("static_hit") return m end
		local ttl = (m.deadline - now) // 1000000000
		if ttl >= 1 then
			if ttl ~= m.ttl then m.ttl, m.records = ttl, answer_records(m.rdata, ttl) end
			count("hit")
			return m
		end
		memo[key], memo_n = nil, memo_n - 1
	end
	local rdata, ttl, aflags, fixed
	if #static > 0 then
		local text = wire_to_text(key)
		local v = text and static[text]
		if v then
			local addrs = {}
			for a in tostring(v):gmatch("[^%s,]+") do
				local b = xdp.pton(a)
				if not b or #b ~= 4 then return nil end
				addrs[#addrs + 1] = b
			end
			if #addrs == 0 then return nil end
			rdata, ttl, aflags, fixed = concat(addrs), static_ttl, 0x0480, true  -- AA, RA
		end
	end
	if not rdata then
		local v = cache[key]
		if type(v) ~= "string" or #v < 5 or (#v - 1) % 4 ~= 0 then return nil end
		local left = cache:ttl(key)
		-- t:ttl() rounds up: count one second less, never past expiry
		if not left or left < 2 then return nil end
		local f = v:byte(1)
		rdata, ttl = v:sub(2), left - 1
		aflags = (f & 1 ~= 0 and 0x0400 or 0) | (f & 2 ~= 0 and 0x0080 or 0)
	end
	count(fixed and "static_hit" or "hit")
	m = {rdata = rdata, na = #rdata // 4, aflags = aflags, ttl = ttl, fixed = fixed,
		deadline = now + ttl * 1000000000, records = answer_records(rdata, ttl)}
	if memo_n < MEMO_MAX then memo[key], memo_n = m, memo_n + 1 end
	return m
end

-- A query from a client (dport 53) to an upstream; d: DNS message, dend:
-- its end, now: xdp.time().
local function query(pkt, n, l4, d, dend, now)
	if dend - d < 17 then return PASS end
	-- A message answered before in this second, byte for byte but its ID:
	-- the same answer, as long as its TTL still holds (replies: {reply
	-- after the ID, last valid time, the frame's length, counter}; cleared
	-- with the memo at every refresh). What the answer depends on besides
	-- the message (the IP header's length, the frame's room) is checked
	-- again.
	local r = replies[pkt:bytes(d + 2, dend - d - 2)]
	if r and now <= r[2] and l4 == 34 and (r[3] <= n or pcall(pkt.resize, pkt, r[3])) then
		count(r[4])
		return pkt:udp_reply(pkt:bytes(d, 2) .. r[1])
	end
	-- one copy of the message, parsed with string functions: fewer calls
	-- into the packet object
	local msg = pkt:bytes(d, dend - d)
	local L = #msg
	local id, flags, qd, an, ns, ar = unpack(">I2I2I2I2I2I2", msg)
	-- QR=0, opcode QUERY, no AA/TC/Z, RCODE 0; one question, no answers
	if flags & 0xfe4f ~= 0 or qd ~= 1 or an ~= 0 or ns ~= 0 or ar > 1 then
		count("pass")
		return PASS
	end
	-- the question name (1-based positions in msg): uncompressed labels of
	-- 1-63 bytes, at most 255 bytes in all (RFC 1035 3.1)
	local p = 13
	while true do
		local l = byte(msg, p)
		if not l or l > 63 then count("pass") return PASS end
		if l == 0 then break end
		p = p + 1 + l
		if p - 12 > 255 then count("pass") return PASS end
	end
	local qend = p + 1                      -- after the name
	if qend + 3 > L or unpack(">I4", msg, qend) ~= 0x00010001 then   -- A, IN
		count("pass")
		return PASS
	end
	local after = qend + 4                  -- after the question

	-- the EDNS(0) OPT record, if any (RFC 6891)
	local opt, maxsize = false, 512
	local answerable = true
	if ar == 1 then
		if after + 10 > L or byte(msg, after) ~= 0 then
			count("pass")
			return PASS                     -- not at the root: garbage
		end
		local rtype, size, ttl, rdlen = unpack(">I2I2I4I2", msg, after + 1)
		local o, oend = after + 11, after + 11 + rdlen
		-- TSIG, SIG(0), anything but OPT: the upstream's job; nothing after it
		if rtype ~= 41 or oend ~= L + 1 then count("pass") return PASS end
		while o < oend do               -- options must be well formed
			if o + 4 > oend then count("pass") return PASS end
			o = o + 4 + unpack(">I2", msg, o + 2)
		end
		if o ~= oend then count("pass") return PASS end
		-- version 0 only (else BADVERS from upstream); DO=1 wants DNSSEC
		-- records we do not keep: the upstream answers those
		if ttl & 0x00ff8000 ~= 0 then answerable = false end
		opt = true
		if size > 512 then maxsize = size end
	elseif after ~= L + 1 then
		count("pass")
		return PASS                             -- trailing garbage
	end

	local key = lower(msg:sub(13, qend - 1))
	local m = answerable and lookup(key, now)
	if m then
		local question = msg:sub(13, qend + 3)  -- as asked: case kept
		local size = 12 + #question + 16 * m.na + (opt and 11 or 0)
		local newlen = 14 + 20 + 8 + size
		local ok = size <= maxsize and pkt:u8(14) == 0x45
		if ok and newlen > n then ok = pcall(pkt.resize, pkt, newlen) end
		if ok then
			local tail = pack(">I2I2I2I2I2",
				0x8000 | m.aflags | (flags & 0x0110),   -- QR, AA/RA, RD, CD
				1, m.na, 0, opt and 1 or 0)
				.. question .. m.records .. (opt and opt_record or "")
			local rkey = msg:sub(3)
			local known = replies[rkey] ~= nil
			if known or (replies_n < MEMO_MAX and L <= 300) then
				if not known then replies_n = replies_n + 1 end
				-- the TTL in m.records holds while (deadline - now) // 1e9
				-- does not fall below it
				replies[rkey] = {tail,
					m.fixed and math.maxinteger or m.deadline - m.ttl * 1000000000,
					newlen, m.fixed and "static_hit" or "hit"}
			end
			return pkt:udp_reply(msg:sub(1, 2) .. tail)
		end
		count("no_room")
	end

	-- to the upstream: remember the query to learn from its answer
	count("miss")
	local pk = pack(">I2I2", id, pkt:u16(l4)) .. pkt:bytes(26, 8) .. key
	if #pk <= 255 then pcall(pending.set, pending, pk, true, pending_ttl) end
	return PASS
end

-- A response from an upstream (sport 53): learn, and always pass.
local function response(pkt, l4, d, dend)
	if dend - d < 17 then return PASS end
	local flags = pkt:u16(d + 2)
	-- QR=1, opcode QUERY, TC=0, RCODE NOERROR; one question
	if flags & 0xfa0f ~= 0x8000 or pkt:u16(d + 4) ~= 1 then return PASS end
	local qend = question_end(pkt, d + 12, dend)
	if not qend or qend + 4 > dend or pkt:u32(qend) ~= 0x00010001 then return PASS end
	local key = lower(pkt:bytes(d + 12, qend - d - 12))
	local pk = pack(">I2I2", pkt:u16(d), pkt:u16(l4 + 2)) .. pkt:bytes(30, 4)
		.. pkt:bytes(26, 4) .. key
	if #pk > 255 or not pending[pk] then
		count("unsolicited")
		return PASS
	end
	pending[pk] = nil                       -- one answer per query
	local off, ancount = qend + 4, pkt:u16(d + 6)
	local addrs, minttl = {}, max_ttl
	for _ = 1, ancount do
		local name
		name, off = read_name(pkt, off, d, dend)
		if not name or off + 10 > dend then count("not_learned") return PASS end
		local rtype, rclass, ttl, rdlen = pkt:u16(off), pkt:u16(off + 2),
			pkt:u32(off + 4), pkt:u16(off + 8)
		off = off + 10
		if off + rdlen > dend then count("not_learned") return PASS end
		if rtype == 5 or rtype == 39 then       -- CNAME, DNAME: not cached
			count("not_learned")
			return PASS
		end
		if rtype == 1 and rclass == 1 and name == key then
			if rdlen ~= 4 then count("not_learned") return PASS end
			if ttl > 0x7fffffff then ttl = 0 end   -- RFC 2181 8
			if ttl < minttl then minttl = ttl end
			if #addrs < 64 then addrs[#addrs + 1] = pkt:bytes(off, 4) end
		end
		off = off + rdlen
	end
	if #addrs == 0 or minttl < 2 then count("not_learned") return PASS end
	local f = (flags & 0x0400 ~= 0 and 1 or 0) | (flags & 0x0080 ~= 0 and 2 or 0)
	if pcall(cache.set, cache, key, char(f) .. concat(addrs), minttl) then
		count("learned")
	end
	return PASS
end

function callback(pkt)
	local n = #pkt
	if n < 42 then return PASS end
	-- Ethernet type; IPv4 version and IHL, total length, flags and fragment
	-- offset, TTL, protocol, header checksum, source, destination (as
	-- integers: no strings made per packet): one call
	local etype, vihl, iplen, frag, ttl, proto, c, src, dst =
		pkt:unpack("H B x I2 x2 I2 B B I2 I4 I4", 12)
	if etype ~= 0x0800 or proto ~= 17 then return PASS end
	local ihl = (vihl & 15) * 4
	if vihl >> 4 ~= 4 or ihl < 20 then return PASS end
	if frag & 0x3fff ~= 0 then return PASS end              -- a fragment
	if iplen < ihl + 8 or 14 + iplen > n then return PASS end
	local l4 = 14 + ihl
	local sport, dport, ulen = pkt:unpack("H H H", l4)
	if ulen ~= iplen - ihl then return PASS end
	if dport ~= 53 and sport ~= 53 then return PASS end
	local now = xdp.time()
	if now >= next_refresh then refresh(now) end
	local is_query = dport == 53
	-- to an upstream, or from one; not a packet the router would drop (TTL 1)
	if not upstreams[is_query and dst or src] or ttl <= 1 then
		return PASS
	end
	-- answer and learn only what the network stack would accept: a good
	-- IPv4 header checksum (UDP checksums cannot be checked: veth and
	-- local senders leave them to offload)
	if pkt:ipv4_checksum(14) ~= c then
		pkt:set_u16(24, c)
		return PASS
	end
	if is_query then return query(pkt, n, l4, l4 + 8, l4 + ulen, now) end
	return response(pkt, l4, l4 + 8, l4 + ulen)
end
