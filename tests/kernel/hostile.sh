# Kernel tests: hostile input. Thousands of random and truncated packets go
# through a script that touches every accessor at random places; test runs
# from process context race with packets in softirq on the same states.

teardown() {
	in_b "$XDPLUA" -d b0 2>/dev/null || true
	"$XDPLUA" unload fuzz 2>/dev/null || true
	topo_down
}

# A script that calls every packet accessor with offsets and lengths around
# and beyond the packet's edges; every call is protected, so an error is
# counted but a read past the packet would be a kernel bug (KASAN-free
# kernel: the harness checks the log for BUG/Oops).
fuzz_script() {
	cat > "$T/fuzz.lua" <<'LUA'
local n = 0
local layouts = {xdp.ethernet, xdp.ipv4, xdp.ipv6, xdp.udp, xdp.tcp, xdp.dns}
local fields = {"type", "ttl", "src", "dst", "dport", "qdcount", "hops", "flags"}
local function try(f, ...) local ok, r = pcall(f, ...) if ok then n = n + 1 end return r end
function callback(pkt)
	local len = #pkt
	local r = math.random
	for i = 1, 8 do
		local off = r(-4, len + 4)
		try(pkt.u8, pkt, off); try(pkt.u16, pkt, off); try(pkt.u32, pkt, off)
		try(pkt.bytes, pkt, off, r(-2, 70))
		try(pkt.set_u8, pkt, off, r(0, 255)); try(pkt.set_u16, pkt, off, 0xabcd)
		try(pkt.set_u32, pkt, off, 0x12345678); try(pkt.set_bytes, pkt, off, "xyz")
		try(pkt.csum_replace, pkt, off, r(0, 65535), r(0, 65535), 4)
		local v = try(pkt.view, pkt, layouts[r(1, #layouts)], off)
		if v then try(function() return v[fields[r(1, #fields)]] end)
			try(function() v[fields[r(1, #fields)]] = 1 end) end
	end
	try(pkt.ipv4_checksum, pkt, r(0, 40)); try(pkt.l4_checksum, pkt, r(0, 40))
	local sel = r(1, 6)
	if sel == 1 then try(pkt.resize, pkt, r(0, len + 64))
	elseif sel == 2 then try(pkt.adjust_head, pkt, r(-300, 60))
	elseif sel == 3 then try(pkt.adjust_tail, pkt, r(-60, 60))
	elseif sel == 4 then return try(pkt.udp_reply, pkt, string.rep("r", r(0, 40)), r(0, 40)) end
	return r(1, 2)
end
LUA
}

test_fuzz_thousands_of_random_and_truncated_packets() {
	fuzz_script
	python3 - "$T/fuzz.pcap" <<'PY'
import random, struct, sys
sys.path.insert(0, "tests")
import mkpcap
random.seed(20261128)
pkts = []
base = mkpcap.udp_packet(dport=53, payload=b"q" * 40)
for i in range(3000):
    kind = i % 3
    if kind == 0:
        p = bytes(random.getrandbits(8) for _ in range(random.randint(14, 300)))
    elif kind == 1:
        p = base[:random.randint(14, len(base))]
    else:
        p = bytearray(base)
        for _ in range(random.randint(1, 8)):
            p[random.randrange(len(p))] = random.getrandbits(8)
        p = bytes(p)
    if len(p) < 14:
        p = p + bytes(14 - len(p))
    pkts.append(p)
mkpcap.write_pcap(sys.argv[1], pkts)
PY
	run "$XDPLUA" run "$T/fuzz.lua" --pcap "$T/fuzz.pcap"
	lines=$(printf '%s\n' "$OUT" | grep -cE '^[0-9]+ (PASS|DROP|TX|ABORTED|REDIRECT) ')
	expect_eq "$lines" 3000 "one verdict line per packet"
	printf '%s\n' "$OUT" | tail -1
	expect_kernel_clean
}

test_test_run_races_softirq_on_the_same_states() {
	topo_up
	fuzz_script
	run in_b "$XDPLUA" -L "$T/fuzz.lua" b0
	python3 tests/mkpcap.py "$T/one.pcap" udp:9000:hello icmp >/dev/null
	python3 tests/udp.py --ns-send xl-a --ns-recv xl-b --dst $B_IP --count 800 --wait 1 >/dev/null &
	pid=$!
	for i in 1 2 3 4 5 6; do
		in_b "$XDPLUA" run fuzz --pcap "$T/one.pcap" --repeat 2000 >/dev/null || fail "test run $i failed"
	done
	wait $pid
	# the fuzz script drops at random: the stack answering proves liveness
	in_a ping -c 6 -i 0.2 -W 1 $B_IP >/dev/null || true
	run in_b "$XDPLUA" status fuzz
	runs=$(stat fuzz runs)
	expect_ge "$runs" 800 "packets through the script"
	expect_kernel_clean
}
