-- forward.lua: stateful NAT and forwarding in the XDP hook (IPv4).
--
-- The rules come from xdpluatables (docs/xdpluatables.md), which loads this
-- script on the router's interfaces. For each packet:
--
--   1. A packet of a known flow (5-tuple, either direction) is translated
--      as the flow says, its TTL decremented, its MAC addresses set for the
--      next hop, and redirected out of the egress interface.
--   2. Otherwise the PREROUTING rules decide (first match by rule order):
--      DROP drops, ACCEPT passes to the kernel, DNAT rewrites the
--      destination. Then, for a packet the router forwards, the
--      POSTROUTING rules (matched on the egress interface, after DNAT)
--      may rewrite the source: SNAT, or MASQUERADE to the egress
--      interface's address. A translated packet starts a flow: both
--      directions are recorded, with a source port of its own if the
--      reply tuple is taken (by another flow with the same ports).
--   3. Anything else goes to the kernel untouched (xdp.PASS): fragments,
--      IP options, TTL 1, packets for the router itself, unknown flows,
--      protocols other than UDP, TCP and ICMP echo, packets too big for
--      the egress MTU, VLAN tags, IPv6.
--
-- When the next hop's MAC address is not known yet, a translated packet is
-- handed to the kernel, which resolves it and sends the packet: through
-- its forwarding path (xdp.PASS), or through its output path
-- (pkt:ip_output) when the new source address is one of the router's own,
-- which the forwarding path would drop as a martian.
--
-- Tables (shared: they survive reloads of this script and the tool):
--   fwd.conf   [0] generation (the tool bumps it after every change),
--              "tuples" the rule shapes (below), "timeout.PROTO" seconds
--   fwd.match  rule shape key -> rule records (below)
--   fwd.count  [2 * id] packets, [2 * id + 1] bytes of rule id
--   fwd.udp, fwd.tcp, fwd.icmp   flows: tuple -> translation (below)
--   fwd.ports  reply tuples taken, for source port allocation
--   fwd.stats  events: flows, no_port, full, neigh_pass, neigh_output
--   fwd.rules  the rules as text, for the tool
--
-- Rule lookup is a tuple space search: rules are grouped by shape (which
-- fields they match, the prefix lengths), each shape is one hash lookup
-- whatever the number of its rules, and the first rule in order wins.

local PASS, DROP, REDIRECT = xdp.PASS, xdp.DROP, xdp.REDIRECT

local conf = xdp.table("fwd.conf")
local match = xdp.table("fwd.match")
local count = xdp.table("fwd.count")
local ports = xdp.table("fwd.ports")
local stats = xdp.table("fwd.stats")
local flows = {[17] = xdp.table("fwd.udp"), [6] = xdp.table("fwd.tcp"),
	[1] = xdp.table("fwd.icmp")}

local pack, unpack, char = string.pack, string.unpack, string.char
local random = math.random

-- Record formats, shared with tools/xdpluatables (rules.h)
local TUPLE = ">I2BBBBi8"	-- id, chain, src len, dst len, flags, first priority
local TUPLE_LEN = 14
local KEY = ">I2I4I4BI2I2"	-- tuple id, src, dst, proto, sport, dport (.. iface)
local RULE = ">i8I4BI2I2I2I2I4I2B"	-- priority, id, target, sport lo, hi,
				-- dport lo, hi, NAT address, NAT port, NAT flags
local RULE_LEN = 28
local FLOW = ">I4I4I2I2BBI4"	-- new src, dst, sport, dport, flags, state, stamp
local TUPLE4 = ">I4I4I2I2"	-- a flow key: src, dst, sport, dport

-- tuple flags, targets (rules.h)
local F_PROTO, F_SPORT, F_DPORT, F_IFACE = 1, 2, 4, 8
local T_ACCEPT, T_DROP, T_DNAT, T_SNAT, T_MASQUERADE = 1, 2, 3, 4, 5
local NAT_PORT = 1

-- flow flags and states
local REPLY = 1
local NEW, ESTABLISHED, FIN, RST = 1, 2, 3, 4

local SECOND = 1000000000

-- per-CPU copy of the configuration, refreshed when the generation moves
local gen = false
local pre, post = {}, {}	-- tuples: {id, src mask, dst mask, flags, first priority}
local pre_iface = false		-- a PREROUTING shape matches the interface
local timeout = {}		-- [proto][state] -> seconds

local function mask(len)
	if len == 0 then return 0 end
	return (0xffffffff << (32 - len)) & 0xffffffff
end

local function seconds(name, default)
	local v = conf["timeout." .. name]
	if math.type(v) ~= "integer" or v < 1 or v > 315360000 then return default end
	return v
end

local function refresh()
	local g = conf[0]
	if g == gen then return end
	gen = g
	pre, post, pre_iface = {}, {}, false
	local t = conf.tuples
	if type(t) == "string" then
		for off = 1, #t - TUPLE_LEN + 1, TUPLE_LEN do
			local id, chain, slen, dlen, flags, first = unpack(TUPLE, t, off)
			local list = chain == 0 and pre or post
			list[#list + 1] = {id, mask(math.min(slen, 32)), mask(math.min(dlen, 32)), flags, first}
			if chain == 0 and flags & F_IFACE ~= 0 then pre_iface = true end
		end
	end
	local udp, icmp = seconds("udp", 300), seconds("icmp", 60)
	local syn, tcp = seconds("tcp_syn", 240), seconds("tcp", 7440)
	local fin, rst = seconds("tcp_fin", 120), seconds("tcp_rst", 10)
	timeout = {
		[17] = {[NEW] = udp, [ESTABLISHED] = udp},
		[1] = {[NEW] = icmp, [ESTABLISHED] = icmp},
		[6] = {[NEW] = syn, [ESTABLISHED] = tcp, [FIN] = fin, [RST] = rst},
	}
end

-- The first rule (by priority) of a chain's shapes that matches; returns
-- its id, target, NAT address, NAT port and NAT flags.
local function lookup(tuples, src, dst, proto, sport, dport, iface)
	local best, id, target, addr, port, nflags
	for i = 1, #tuples do
		local t = tuples[i]
		if best and t[5] > best then break end	-- shapes sorted by first rule
		local f = t[4]
		local k = pack(KEY, t[1], src & t[2], dst & t[3],
			f & F_PROTO ~= 0 and proto or 0,
			f & F_SPORT ~= 0 and sport or 0,
			f & F_DPORT ~= 0 and dport or 0)
		if f & F_IFACE ~= 0 then k = k .. iface end
		local v = match[k]
		if v then
			for off = 1, #v - RULE_LEN + 1, RULE_LEN do
				local prio, rid, tg, splo, sphi, dplo, dphi, a, p, nf = unpack(RULE, v, off)
				if best and prio >= best then break end	-- records sorted
				if sport >= splo and sport <= sphi and dport >= dplo and dport <= dphi then
					best, id, target, addr, port, nflags = prio, rid, tg, a, p, nf
					break
				end
			end
		end
	end
	return id, target, addr, port, nflags
end

local function counted(id, bytes)
	count:add(2 * id, 1)
	count:add(2 * id + 1, bytes)
end

local function event(name)
	pcall(stats.add, stats, name, 1)
end

-- Routes, per CPU, for a second: [dst | ifindex << 32] -> {expires, ifindex,
-- the 12 MAC bytes, source address, MTU}
local routes, nroutes = {}, 0

local function route(pkt, dst, now)
	local key = dst | pkt:ifindex() << 32
	local r = routes[key]
	if r and r[1] > now then return r end
	local st, oif, dmac, smac, src, mtu = pkt:fib_lookup(dst)
	if st ~= "ok" then
		if r then routes[key] = nil end
		return nil, st, oif, src, mtu
	end
	if nroutes >= 1024 then routes, nroutes = {}, 0 end
	if not r then nroutes = nroutes + 1 end
	r = {now + SECOND, oif, dmac .. smac, src, mtu}
	routes[key] = r
	return r
end

-- Rewrite the packet from (osrc, odst, osp, odp) to (nsrc, ndst, nsp, ndp)
-- (ICMP echo: the ports are the id): the L4 checksum updated incrementally
-- with pkt:csum_replace (a UDP checksum 0 stays 0), the addresses and ports
-- written at once, the TTL set to ttl (if given), the 20-byte IPv4 header
-- checksum computed again (cheaper than three incremental updates).
local function rewrite(pkt, proto, tuple, osrc, odst, osp, odp, nsrc, ndst, nsp, ndp, ttl)
	local at = proto == 17 and 40 or proto == 6 and 50 or 36
	if proto ~= 17 or pkt:u16(at) ~= 0 then
		if proto == 1 then
			if nsp ~= osp then pkt:csum_replace(at, osp, nsp) end
		else
			if nsrc ~= osrc then pkt:csum_replace(at, osrc, nsrc, 4) end
			if ndst ~= odst then pkt:csum_replace(at, odst, ndst, 4) end
			if nsp ~= osp then pkt:csum_replace(at, osp, nsp) end
			if ndp ~= odp then pkt:csum_replace(at, odp, ndp) end
			if proto == 17 and pkt:u16(at) == 0 then pkt:set_u16(at, 0xffff) end
		end
	end
	pkt:set_bytes(26, tuple)
	if proto == 1 then pkt:set_u16(38, nsp) end
	if ttl then pkt:set_u8(22, ttl) end
	pkt:ipv4_checksum(14)
end

-- Send a translated packet on its way; nil (PASS, untouched) if it cannot.
local function forward(pkt, proto, iplen, ttl, now, tuple, osrc, odst, osp, odp, nsrc, ndst, nsp, ndp)
	if ttl <= 1 then return end		-- the kernel says "time exceeded"
	local r, st, _, _, mtu = route(pkt, ndst, now)
	if r then
		if iplen > r[5] then return end	-- the kernel fragments or says so
		rewrite(pkt, proto, tuple, osrc, odst, osp, odp, nsrc, ndst, nsp, ndp, ttl - 1)
		pkt:set_bytes(0, r[3])
		return REDIRECT, r[2]
	end
	if st ~= "no_neigh" or iplen > mtu then return end
	-- the next hop's MAC is unknown: the kernel resolves it and sends
	if xdp.addr_type(nsrc) == "local" then
		rewrite(pkt, proto, tuple, osrc, odst, osp, odp, nsrc, ndst, nsp, ndp, ttl - 1)
		if pkt:ip_output() then
			event("neigh_output")
			return DROP
		end
		return DROP	-- no route any more: as the kernel would
	end
	rewrite(pkt, proto, tuple, osrc, odst, osp, odp, nsrc, ndst, nsp, ndp)
	event("neigh_pass")
	return PASS
end

-- Record a flow's two directions (and its reply tuple's claim) with the
-- timeout of state.
local function record(ft, proto, okey, rkey, claim, state, now,
		osrc, odst, osp, odp, nsrc, ndst, nsp, ndp)
	local ttl = timeout[proto][state]
	local stamp = now // SECOND
	ft:set(okey, pack(FLOW, nsrc, ndst, nsp, ndp, 0, state, stamp), ttl)
	ft:set(rkey, pack(FLOW, odst, osrc, odp, osp, REPLY, state, stamp), ttl)
	ports:set(claim, 1, ttl)
end

local function flow_key(proto, src, dst, sport, dport)
	return pack(TUPLE4, src, dst, sport, dport)
end

-- Flows seen lately, per CPU, for a second: [key] -> {expires, nsrc, ndst,
-- nsp, ndp, flags, state, stamp, osrc, odst, osp, odp, the new tuple's bytes}
-- (the shared entry unpacked). A change made elsewhere (a flush, a state
-- another CPU saw) shows within a second.
local flowcache, nflowcache, FLOWCACHE_MAX = {}, 0, 4096

local function cached(proto, key, v, now)
	local nsrc, ndst, nsp, ndp, flags, state, stamp = unpack(FLOW, v)
	local osrc, odst, osp, odp = unpack(TUPLE4, key)
	local tuple = proto == 1 and pack(">I4I4", nsrc, ndst) or pack(TUPLE4, nsrc, ndst, nsp, ndp)
	local e = {now + SECOND, nsrc, ndst, nsp, ndp, flags, state, stamp,
		osrc, odst, osp, odp, tuple}
	if nflowcache >= FLOWCACHE_MAX then flowcache, nflowcache = {}, 0 end
	if not flowcache[key] then nflowcache = nflowcache + 1 end
	flowcache[key] = e
	return e
end

-- A packet of a known flow (e: its cache entry).
local function established(pkt, proto, ft, key, e, iplen, ttl, now)
	local nsrc, ndst, nsp, ndp, flags, state, stamp = e[2], e[3], e[4], e[5], e[6], e[7], e[8]
	local osrc, odst, osp, odp = e[9], e[10], e[11], e[12]
	local new = state
	if proto == 6 then
		local tf = pkt:u8(47)
		if tf & 0x04 ~= 0 then
			new = RST
		elseif tf & 0x01 ~= 0 then
			if state < FIN then new = FIN end
		elseif state == NEW and flags & REPLY ~= 0 then
			new = ESTABLISHED
		elseif state >= FIN and tf & 0x12 == 0x02 and flags & REPLY == 0 then
			new = NEW		-- a new connection on the same tuple
		end
	elseif state == NEW and flags & REPLY ~= 0 then
		new = ESTABLISHED
	end
	local tmo = timeout[proto] and timeout[proto][new]
	if not tmo then
		refresh()
		tmo = timeout[proto][new]
	end
	if new ~= state or now // SECOND - stamp >= (tmo + 1) // 2 then
		-- both directions (and the claim) for another timeout
		local peer = flow_key(proto, ndst, nsrc, ndp, nsp)
		if flags & REPLY == 0 then
			pcall(record, ft, proto, key, peer, char(proto) .. peer, new, now,
				osrc, odst, osp, odp, nsrc, ndst, nsp, ndp)
		else
			pcall(record, ft, proto, peer, key, char(proto) .. key, new, now,
				ndst, nsrc, ndp, nsp, odst, osrc, odp, osp)
		end
		e[7], e[8] = new, now // SECOND
	end
	return forward(pkt, proto, iplen, ttl, now, e[13], osrc, odst, osp, odp,
		nsrc, ndst, nsp, ndp)
end

-- Claim the reply tuple (rsrc, rdst, rsport, port) for a new flow: the
-- port wanted if it is free, else a free one. ICMP: the port is the id.
local function claim(proto, rsrc, rdst, rsport, want, ttl)
	local p = want
	for _ = 1, 32 do
		local rkey = proto == 1 and flow_key(1, rsrc, rdst, p, p) or
			flow_key(proto, rsrc, rdst, rsport, p)
		local c = char(proto) .. rkey
		if ports:add(c, 1, ttl) == 1 then return p, rkey, c end
		p = proto == 1 and random(0, 65535) or random(1024, 65535)
	end
end

-- A packet of no known flow: the rules.
local function new_packet(pkt, proto, ft, key, iplen, ttl, now)
	refresh()
	if #pre == 0 and #post == 0 then return end
	local src, dst = pkt:u32(26), pkt:u32(30)
	local sport, dport = 0, 0
	if ft then
		local _
		_, _, sport, dport = unpack(TUPLE4, key)
	end
	local id, target, addr, port, nflags
	if #pre > 0 then
		id, target, addr, port, nflags = lookup(pre, src, dst, proto, sport, dport,
			pre_iface and pkt:ifname())
		if id then
			counted(id, iplen)
			if target == T_DROP then return DROP end
			if target == T_ACCEPT then return end
		end
	end
	-- translatable: UDP, TCP opening (SYN without ACK), ICMP echo request
	if not ft then return end
	if proto == 6 and pkt:u8(47) & 0x12 ~= 0x02 then return end
	if proto == 1 and pkt:u8(34) ~= 8 then return end
	if ttl <= 1 then return end	-- the kernel says "time exceeded"
	local ndst, ndp = dst, dport
	if target == T_DNAT then
		ndst = addr
		if proto ~= 1 and nflags & NAT_PORT ~= 0 then ndp = port end
	end
	local nsrc = src
	if #post > 0 or target == T_DNAT then
		local r, st, oif, rsrc = route(pkt, ndst, now)
		if r then oif, rsrc = r[2], r[4] elseif st ~= "no_neigh" then return end
		if #post > 0 then
			local pid, ptarget, paddr = lookup(post, src, ndst, proto, sport, ndp,
				xdp.ifname(oif) or "")
			if pid then
				counted(pid, iplen)
				if ptarget == T_MASQUERADE then
					nsrc = rsrc
				elseif ptarget == T_SNAT then
					nsrc = paddr
				end
			end
		end
	end
	if nsrc == src and ndst == dst and ndp == dport then return end
	-- a new flow: its reply tuple, with a source port of its own
	local tmo = timeout[proto][NEW]
	local nsp, rkey, c = claim(proto, ndst, nsrc, ndp, sport, tmo)
	if not nsp then
		event("no_port")
		return
	end
	if proto == 1 then ndp = nsp end
	local ok = pcall(record, ft, proto, key, rkey, c, NEW, now,
		src, dst, sport, dport, nsrc, ndst, nsp, ndp)
	if not ok then
		ft:del(key)
		ft:del(rkey)
		ports:del(c)
		event("full")
		return
	end
	event("flows")
	local tuple = proto == 1 and pack(">I4I4", nsrc, ndst) or pack(TUPLE4, nsrc, ndst, nsp, ndp)
	return forward(pkt, proto, iplen, ttl, now, tuple, src, dst, sport, dport, nsrc, ndst, nsp, ndp)
end

local HEADER = ">I2BxI2xxI2BB"	-- type, version/IHL, length, fragment, TTL, protocol

function callback(pkt)
	local len = #pkt
	if len < 38 then return end
	local h = pkt:bytes(12, 26)			-- Ethernet type .. UDP/TCP ports
	local etype, vihl, iplen, frag, ttl, proto = unpack(HEADER, h)
	-- IPv4 without options, not a fragment
	if etype ~= 0x0800 or vihl ~= 0x45 or frag & 0x3fff ~= 0 or
	   iplen < 20 or iplen > len - 14 then
		return
	end
	local ft = flows[proto]
	local key
	if proto == 17 then
		if iplen < 28 then return end
		key = h:sub(15)
	elseif proto == 6 then
		if iplen < 40 then return end
		key = h:sub(15)
	elseif proto == 1 then
		local t = iplen >= 28 and h:byte(23)
		if t == 8 or t == 0 then
			local id = pkt:bytes(38, 2)
			key = h:sub(15, 22) .. id .. id
		else
			ft = nil
		end
	end
	local now = xdp.time()
	if ft then
		local e = flowcache[key]
		if not e or e[1] <= now then
			local v = ft[key]
			e = v and cached(proto, key, v, now)
		end
		if e then return established(pkt, proto, ft, key, e, iplen, ttl, now) end
	end
	return new_packet(pkt, proto, ft, key, iplen, ttl, now)
end
