# Kernel tests of the Lua packet API with real traffic. Most tests attach a
# script that answers UDP port 9000 with pkt:udp_reply(): what the client
# receives is what the API computed, and that it arrives at all proves the
# reply's lengths and checksums (the client's kernel checks them).

setup() {
	topo_up
	# veth hands XDP_TX/REDIRECT frames over to a peer only if the peer
	# runs XDP itself
	ip -n xl-a link set a0 xdp obj build/bpf/trivial_pass.bpf.o sec xdp
}

teardown() {
	cleanup_scripts
	topo_down
	ip netns del xl-c 2>/dev/null || true
}


# answer 'LUA BODY': attach a script whose reply to a UDP request on port
# 9000 is the value of the body (a function of pkt, the request)
answer() {
	cat > "$T/answer.lua" <<LUA
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
	run xdplua_b -L "$T/answer.lua" b0
}

test_tx_udp_reply_reaches_sender() {
	answer 'return "pong"'
	expect_eq "$(udp_request ping)" pong "reply"
	expect_ge "$(stat answer tx)" 1 "tx counter"
	expect_eq "$(udp_count 3)" 0 "requests answered by XDP never reach B's socket"
}

test_reads_network_byte_order() {
	answer 'return ("%d %d %d %08x %s"):format(#pkt, pkt:u8(23), pkt:u16(36), pkt:u32(26), pkt:bytes(42, 5))'
	# 14 + 20 + 8 + 5 + 1 + 200 bytes; proto 17; dport 9000; src 10.77.0.1
	expect_eq "$(udp_request hello)" "248 17 9000 0a4d0001 hello" "reply"
}

test_writes_and_bounds() {
	answer 'pkt:set_u8(42, 0x41); pkt:set_u16(43, 0x4243); pkt:set_u32(45, 0x44454647)
pkt:set_bytes(49, "HI")
local ok, err = pcall(pkt.u16, pkt, #pkt - 1)
return pkt:bytes(42, 9) .. " " .. tostring(ok) .. " " .. err'
	expect_eq "$(udp_request 123456789)" "ABCDEFGHI false packet access out of bounds: offset 251, 2 bytes, packet length 252" "reply"
}

test_views() {
	answer 'local ip = pkt:view(xdp.ipv4, 14)
local udp = pkt:view(xdp.udp, 14 + ip.ihl * 4)
local eth = pkt:view(xdp.ethernet, 0)
return ("%d %d %d %d %s %s %d %d %d"):format(ip.version, ip.ihl, ip.ttl, ip.proto,
	xdp.ntop(ip.src), xdp.ntop(ip.dst), udp.dport, udp.len, eth.type)'
	expect_eq "$(udp_request abc)" "4 5 64 17 10.77.0.1 10.77.0.2 9000 212 2048" "reply"
}

test_view_writes_bit_fields() {
	answer 'local ip = pkt:view(xdp.ipv4, 14)
ip.ttl = 7; ip.dscp = 46; ip.ecn = 1
local r = ("%d %d %d %02x"):format(ip.ttl, ip.dscp, ip.ecn, pkt:u8(15))
local ok, err = pcall(function() return ip.nosuch end)
return r .. " " .. err:gsub("^.-: ", "")'
	expect_eq "$(udp_request x)" "7 46 1 b9 no field 'nosuch' in this layout" "reply"
}

test_custom_layout() {
	answer 'local hdr = xdp.layout{tag = {0, 8}, hi = {8, 4}, lo = {12, 4}, word = {16, 16}, raw = {0, 32, "string"}}
local v = pkt:view(hdr, 42)
return ("%d %d %d %d %s"):format(v.tag, v.hi, v.lo, v.word, v.raw)'
	# payload "A\x12\x34\x56" as text: A (0x41), 0x31 0x32 ("12"), ...
	expect_eq "$(udp_request A1234)" "65 3 1 12851 A123" "reply"
}

test_checksum_helpers() {
	answer 'local ip_csum, udp_csum = pkt:u16(24), pkt:u16(40)
local ok1 = pkt:ipv4_checksum(14) == ip_csum
-- veth leaves the UDP checksum of the sender partial (offload): verify ours
pkt:l4_checksum(14)
local function sum(off, len, acc)
	for i = off, off + len - 2, 2 do acc = acc + pkt:u16(i) end
	if len % 2 == 1 then acc = acc + (pkt:u8(off + len - 1) << 8) end
	return acc
end
local ulen = pkt:u16(38)
local acc = sum(34, ulen, sum(26, 8, 0) + 17 + ulen)
while acc > 0xffff do acc = (acc & 0xffff) + (acc >> 16) end
local ok2 = acc == 0xffff
-- change the TTL, update the checksum incrementally, compare with a full one
local old = pkt:u16(22)
pkt:set_u8(22, 9)
local inc = pkt:csum_replace(24, old, pkt:u16(22))
local full = pkt:ipv4_checksum(14)
-- a 4-byte field: the source address, for the UDP checksum
local oldsrc = pkt:u32(26)
pkt:set_u32(26, 0x01020304)
local inc4 = pkt:csum_replace(40, oldsrc, 0x01020304, 4)
local full4 = pkt:l4_checksum(14)
pkt:set_u32(26, oldsrc)
return ("%s %s %s %s"):format(ok1, ok2, inc == full, inc4 == full4)'
	expect_eq "$(udp_request checksum-me)" "true true true true" "reply"
}

test_resize_tail_and_head() {
	answer 'local n0 = #pkt
local n1 = pkt:resize(n0 - 100)
local n2 = pkt:adjust_tail(100)
local zero = pkt:u8(n0 - 1)
local h1 = pkt:adjust_head(-8)
pkt:set_bytes(0, "ENCAPSUL")
local h2 = pkt:adjust_head(8)
local ok, err = pcall(pkt.resize, pkt, 1 << 20)
return ("%d %d %d %d %d %d %s %s"):format(n0, n1, n2, zero, h1, h2, ok, err:match("cannot change") or err)'
	# regrown bytes are zero (they were spaces)
	expect_eq "$(udp_request resize)" "249 149 249 0 257 249 false cannot change" "reply"
}

test_address_helpers() {
	answer 'return xdp.ntop(xdp.pton("192.0.2.1")) .. " " .. #xdp.pton("2001:db8::1") .. " " ..
	xdp.ntop(xdp.pton("2001:db8::1")) .. " " .. tostring(xdp.pton("not an address"))'
	expect_eq "$(udp_request a)" "192.0.2.1 16 2001:db8::1 nil" "reply"
}

test_view_outlives_callback_is_an_error() {
	cat > "$T/keepview.lua" <<'LUA'
local saved
function callback(pkt)
	if pkt:u16(12) ~= 0x0800 then return end
	if saved then return saved.ttl end
	saved = pkt:view(xdp.ipv4, 14)
end
LUA
	run xdplua_b -L "$T/keepview.lua" b0
	run in_a ping -c 3 -i 0.2 -W 2 $B_IP
	expect_contains "$(stat keepview last_error)" "view used outside the callback" "error"
}

test_redirect_to_second_veth() {
	#   xl-a a0 --> b0 [XDP: REDIRECT "c0"] (xl-b) c0 --> c1 (xl-c)
	ip netns add xl-c
	ip -n xl-b link add c0 type veth peer name c1 netns xl-c
	ip -n xl-b link set c0 up
	ip -n xl-c link set c1 up
	ip -n xl-c link set c1 xdp obj build/bpf/trivial_pass.bpf.o sec xdp
	cat > "$T/redir.lua" <<'LUA'
function callback(pkt)
	if #pkt >= 42 and pkt:u16(12) == 0x0800 and pkt:u8(23) == 17 then
		return xdp.REDIRECT, "c0"
	end
end
LUA
	run xdplua_b -L "$T/redir.lua" b0
	before=$(ip netns exec xl-c cat /sys/class/net/c1/statistics/rx_packets)
	expect_eq "$(udp_count 10)" 0 "redirected datagrams do not reach B"
	after=$(ip netns exec xl-c cat /sys/class/net/c1/statistics/rx_packets)
	expect_ge "$((after - before))" 10 "frames received on c1"
	expect_ge "$(stat redir redirect)" 10 "redirect counter"
	run in_a ping -c 1 -W 2 $B_IP
}

test_redirect_by_index_and_bad_target() {
	cat > "$T/redir2.lua" <<'LUA'
function callback(pkt)
	if #pkt >= 42 and pkt:u16(12) == 0x0800 and pkt:u8(23) == 17 then
		return xdp.REDIRECT, "nosuch0"
	end
end
LUA
	run xdplua_b -L "$T/redir2.lua" b0
	expect_eq "$(udp_count 3)" 3 "bad target: fallback PASS"
	expect_contains "$(stat redir2 last_error)" "no such interface 'nosuch0'" "error"
}

test_multifile_require() {
	cat > "$T/proto.lua" <<'LUA'
local M = {}
function M.is_udp(pkt) return #pkt >= 34 and pkt:u16(12) == 0x0800 and pkt:u8(23) == 17 end
return M
LUA
	cat > "$T/verdicts.lua" <<'LUA'
return {udp = xdp.DROP}
LUA
	cat > "$T/multi.lua" <<'LUA'
local proto = require "proto"
local verdicts = require "verdicts.lua"
assert(require "proto" == proto, "modules are cached")
local ok, err = pcall(require, "missing")
assert(not ok and err:find("not found among the script's files: multi.lua proto.lua verdicts.lua"), err)
function callback(pkt)
	if proto.is_udp(pkt) then return verdicts.udp end
end
LUA
	run xdplua_b -L "$T/multi.lua" --file "$T/proto.lua" --file "$T/verdicts.lua" b0
	expect_eq "$(udp_count 5)" 0 "UDP dropped by the required module"
	run in_a ping -c 1 -W 2 $B_IP
}

test_one_mebibyte_script() {
	python3 - "$T/big.lua" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("local t = {}\n")
    i = 0
    while f.tell() < (1 << 20) + 4096:
        f.write("t[%d] = function(pkt) return %d end -- padding padding padding padding\n" % (i, i % 3))
        i += 1
    f.write("function callback(pkt) return t[1](pkt) end\n")
PY
	run xdplua_b -L "$T/big.lua" b0
	size=$(stat big source_size)
	expect_ge "$size" 1048576 "source size"
	expect_eq "$(udp_count 3)" 0 "t[1] returns 1 = DROP"
}

test_reload_under_traffic_loses_nothing() {
	printf 'function callback(pkt) return xdp.PASS end\n' > "$T/steady.lua"
	run xdplua_b -L "$T/steady.lua" b0
	python3 tests/udp.py --ns-send xl-a --ns-recv xl-b --dst $B_IP --count 1500 --wait 3 > "$T/received" &
	pid=$!
	for i in $(seq 1 8); do
		printf -- '-- version %d\nfunction callback(pkt) return xdp.PASS end\n' "$i" > "$T/steady.lua"
		xdplua_b -L "$T/steady.lua" b0 >/dev/null || fail "reload $i failed"
		sleep 0.2
	done
	wait $pid
	expect_eq "$(cat "$T/received")" 1500 "datagrams received while reloading 8 times"
	expect_eq "$(stat steady errors)" 0 "errors"
}

test_aborted_verdict() {
	cat > "$T/abort.lua" <<'LUA'
function callback(pkt)
	if #pkt >= 34 and pkt:u16(12) == 0x0800 and pkt:u8(23) == 17 then
		return xdp.action.aborted
	end
end
LUA
	run xdplua_b -L "$T/abort.lua" b0
	expect_eq "$(udp_count 5)" 0 "aborted datagrams are dropped"
	expect_ge "$(stat abort aborted)" 5 "aborted counter"
	run in_a ping -c 1 -W 2 $B_IP
}
