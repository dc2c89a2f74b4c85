# shellcheck shell=bash
# Host tests of `xdplua run --local`: the module's runtime in userspace
# (libxdplua), on the packets of captures, with no module, no VM and no
# privileges. tests/kernel/local.sh checks that both homes give the same
# output.

MKPCAP="python3 $PWD/tests/mkpcap.py"
DNSPY="python3 $PWD/tests/dns.py"
LOCAL="$PWD/tests/local"

# script FILE 'BODY': a callback(pkt) with BODY
script() {
	printf 'function callback(pkt)\n%s\nend\n' "$2" > "$1"
}

# packet_hex FILE N: packet N (from 1) of a capture, in hex
packet_hex() {
	$MKPCAP --dump "$1" | awk -v n="$2" '$1 == n {print $NF}'
}

test_local_verdicts_as_the_kernel_test_run() {
	$MKPCAP "$T/in.pcap" udp icmp udp:53:abc
	run "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_eq "$OUT" "1 DROP 47 -> 47
2 PASS 46 -> 46
3 DROP 45 -> 45
3 packets: 2 DROP, 1 PASS" "output"
}

# The VM's fast paths (klua/patches: xdp.DROP as a constant, methods, view
# fields and #pkt without a metamethod call) give what the slow paths give,
# and leave every error to them.
test_local_fast_paths_as_the_slow_ones() {
	cat > "$T/fast.lua" <<'LUA'
local function fails(f, text)
	local ok, err = pcall(f)
	assert(not ok and tostring(err):find(text, 1, true), tostring(err))
end
local hits = xdp.table("fast")
function callback(pkt)
	local ip, udp = pkt:view(xdp.ipv4, 14), pkt:view(xdp.udp, 34)
	assert(ip.ttl == pkt:u8(22) and ip.proto == 17 and ip.ihl == 5)
	assert(ip.frag == pkt:u16(20) & 0x1fff and udp.dport == pkt:u16(36))
	assert(#pkt == pkt:len() and #pkt == 45)
	assert(#ip.src == 4 and ip.src == pkt:bytes(26, 4))  -- a string field
	fails(function() return ip.nosuch end, "no field 'nosuch'")
	fails(function() return pkt:nosuch() end, "method 'nosuch'")
	fails(function() return pkt:view(xdp.udp, #pkt - 4).csum end, "out of bounds")
	fails(function() return pkt.u8(ip, 0) end, "packet expected")
	hits:add("k", 1)
	assert(hits.k == hits:get("k") and hits:count() == 1 and #hits == 1)
	assert(load("local xdp = {DROP = 9} return xdp.DROP")() == 9)
	local x = xdp
	assert(x.DROP == 1 and xdp["PASS"] == 2 and xdp.TX == 3 and xdp.REDIRECT == 4)
	assert(xdp.ABORTED == 0 and xdp.DROPS == nil)
	local ok, err = load("xdp.DROP = 5")
	assert(not ok and err:find("attempt to assign to constant 'xdp.DROP'", 1, true), err)
	return xdp.DROP
end
LUA
	$MKPCAP "$T/in.pcap" udp:9000:abc udp:9000:abc
	run "$XDPLUA" run --local "$T/fast.lua" --pcap "$T/in.pcap"
	expect_eq "$OUT" "1 DROP 45 -> 45
2 DROP 45 -> 45
2 packets: 2 DROP" "output"
}

test_local_rewritten_bytes_in_output_pcap() {
	script "$T/rw.lua" '
	if pkt:u8(23) == 1 then
		pkt:set_u8(0, 0xee)
		return xdp.TX
	end
	return xdp.DROP'
	$MKPCAP --nsec "$T/in.pcap" udp icmp:abcdef
	run "$XDPLUA" run --local "$T/rw.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_contains "$OUT" "2 TX 48 -> 48" "icmp line"
	expect_eq "$(packet_hex "$T/out.pcap" 1)" "$(packet_hex "$T/in.pcap" 1)" "dropped packet unchanged"
	expect_eq "$(packet_hex "$T/out.pcap" 2)" "ee$(packet_hex "$T/in.pcap" 2 | cut -c3-)" "rewritten packet"
	run $MKPCAP --dump "$T/out.pcap"
	expect_contains "$OUT" "2 1700000000 1500000 48 ee" "nanosecond timestamp kept"
	run "$XDPLUA" run --local "$T/rw.lua" --pcap "$T/in.pcap" --out "$T/tx.pcap" --out-verdict tx
	run $MKPCAP --dump "$T/tx.pcap"
	expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "only the TX packet"
}

test_local_udp_reply_checksums() {
	script "$T/reply.lua" 'return pkt:udp_reply("pong")'
	$MKPCAP "$T/in.pcap" udp:53:ping
	run "$XDPLUA" run --local "$T/reply.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_eq "$OUT" "1 TX 46 -> 46
1 packet: 1 TX" "output"
	python3 - "$T/out.pcap" <<'EOF' || fail "reply: $($MKPCAP --dump "$T/out.pcap")"
import sys
sys.path.insert(0, "tests")
from mkpcap import read_pcap, checksum
p = read_pcap(sys.argv[1])[0][2]
ip, udp = p[14:34], p[34:]
assert p[:6].hex() == "020000000001" and p[6:12].hex() == "020000000002", "MACs swapped"
assert ip[12:16] == bytes([10, 0, 0, 2]) and ip[16:20] == bytes([10, 0, 0, 1]), "addresses swapped"
assert udp[:4].hex() == "003504d2", "ports swapped"
assert udp[8:] == b"pong" and int.from_bytes(udp[4:6], "big") == 12, "payload and length"
assert checksum(ip) == 0, "IPv4 header checksum"
pseudo = ip[12:20] + bytes([0, 17]) + len(udp).to_bytes(2, "big")
assert checksum(pseudo + udp) == 0, "UDP checksum"
EOF
}

test_local_error_fallback_json() {
	script "$T/err.lua" '
	if pkt:u8(23) == 17 then error("no UDP here") end
	return xdp.PASS'
	$MKPCAP "$T/in.pcap" icmp udp
	run "$XDPLUA" run --local --fallback drop "$T/err.lua" --pcap "$T/in.pcap" --log "$T/log"
	expect_eq "$OUT" "1 PASS 46 -> 46
2 DROP 47 -> 47 (script error, fallback verdict: err.lua:3: no UDP here)
2 packets: 1 DROP, 1 PASS; 1 script error" "output"
	# what the kernel would log
	expect_eq "$(cat "$T/log")" "xdplua: err: err.lua:3: no UDP here" "log"
	run "$XDPLUA" run --local -j "$T/err.lua" --pcap "$T/in.pcap" --log /dev/null
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert lines[1]["verdict"] == "pass" and "no UDP here" in lines[1]["error"], lines
assert "error" not in lines[0], lines
assert lines[2]["verdicts"]["pass"] == 2 and lines[2]["errors"] == 1, lines
' || fail "JSON output: $OUT"
}

test_local_entry_function_and_fallback() {
	printf 'function other(pkt) error("x") end\nfunction callback() return xdp.TX end\n' > "$T/f.lua"
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run --local -F other --fallback aborted "$T/f.lua" --pcap "$T/in.pcap" --log /dev/null
	expect_contains "$OUT" "1 ABORTED 47 -> 47 (script error" "entry and fallback"
	run "$XDPLUA" run --local "$T/f.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 TX 47 -> 47" "default entry"
	expect_fail "$XDPLUA" run --local -F nope "$T/f.lua" --pcap "$T/in.pcap"
	expect_eq "$OUT" "xdplua: cannot load $T/f.lua: entry function 'nope' is not defined (it must be a global function)" "message"
}

test_local_budgets() {
	printf 'function callback(pkt) while true do end end\n' > "$T/loop.lua"
	printf 'local t = {}\nfunction callback(pkt) for i = 1, 100000000 do t[#t + 1] = ("x"):rep(100) .. i end end\n' > "$T/mem.lua"
	$MKPCAP "$T/in.pcap" udp icmp
	run "$XDPLUA" run --local "$T/loop.lua" --pcap "$T/in.pcap" --log /dev/null
	expect_eq "$OUT" "1 PASS 47 -> 47 (script error, fallback verdict: instruction budget exceeded)
2 PASS 46 -> 46 (script error, fallback verdict: instruction budget exceeded)
2 packets: 2 PASS; 2 script errors" "instruction budget"
	run "$XDPLUA" run --local --fallback drop --insn-budget 100000000 --mem-budget 256K \
		--time-budget 1000ms "$T/mem.lua" --pcap "$T/in.pcap" --log /dev/null
	expect_contains "$OUT" "1 DROP 47 -> 47 (script error, fallback verdict: memory budget exceeded)" "memory budget"
	run "$XDPLUA" run --local --insn-budget 100000000 --time-budget 2ms "$T/loop.lua" \
		--pcap "$T/in.pcap" --log /dev/null
	expect_contains "$OUT" "1 PASS 47 -> 47 (script error, fallback verdict: time budget exceeded (2000 us))" "time budget"
	# out of the module's ranges: refused as the module refuses them
	expect_fail "$XDPLUA" run --local --insn-budget 99 "$T/loop.lua" --pcap "$T/in.pcap"
	expect_eq "$OUT" "xdplua: cannot load $T/loop.lua: integer out of range (--insn-budget: at least 100, at most 100000000)" "insn range"
	expect_fail "$XDPLUA" run --local --mem-budget 1K "$T/loop.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "integer out of range (--mem-budget: at least 65536, at most 1073741824)" "mem range"
}

test_local_syntax_error() {
	printf 'function callback(pkt)\n  return = 1\nend\n' > "$T/bad.lua"
	$MKPCAP "$T/in.pcap" udp
	set +e
	OUT=$("$XDPLUA" run --local "$T/bad.lua" --pcap "$T/in.pcap" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 1 "exit status"
	expect_contains "$OUT" "xdplua: cannot load $T/bad.lua: bad.lua:2:" "Lua's message"
}

test_local_grown_and_large_packets() {
	script "$T/grow.lua" '
	pkt:adjust_tail(16)
	pkt:set_u8(#pkt - 1, 0x42)
	return xdp.TX'
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run --local "$T/grow.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_contains "$OUT" "1 TX 47 -> 63" "grown by 16"
	[[ $(packet_hex "$T/out.pcap" 1) == *42 ]] || fail "last byte not 0x42"
	# past a page: the script sees the linear part, the rest goes through
	script "$T/big.lua" '
	if #pkt ~= 3520 then return xdp.ABORTED end
	local ok, err = pcall(pkt.adjust_tail, pkt, -1)
	if ok or not err:find("multi-buffer packets cannot be resized", 1, true) then return xdp.ABORTED end
	return xdp.DROP'
	$MKPCAP "$T/big.pcap" "udp:9:$(head -c 4000 /dev/zero | tr '\0' x)"
	run "$XDPLUA" run --local "$T/big.lua" --pcap "$T/big.pcap" --out "$T/bigout.pcap"
	expect_eq "$OUT" "1 DROP 4042 -> 4042
1 packet: 1 DROP" "a packet in fragments"
	[ "$(packet_hex "$T/bigout.pcap" 1)" = "$(packet_hex "$T/big.pcap" 1)" ] ||
		fail "the large packet was not written back whole"
}

test_local_tables_from_files() {
	printf '# blocked sources\n10.0.0.1 yes\n42 answer\n' > "$T/blocked.txt"
	printf 'limit 3\n' > "$T/config.txt"
	cat > "$T/t.lua" <<'EOF'
local blocked, config = xdp.table("blocked"), xdp.table("config")
function callback(pkt)
	if blocked[42] ~= "answer" or config.limit ~= 3 then return xdp.ABORTED end
	if blocked[xdp.ntop(pkt:bytes(26, 4))] then return xdp.DROP end
	return xdp.PASS
end
EOF
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run --local "$T/t.lua" --pcap "$T/in.pcap" --table blocked="$T/blocked.txt" \
		--table config="$T/config.txt"
	expect_contains "$OUT" "1 DROP 47 -> 47" "blocked by the table"
	run "$XDPLUA" run --local "$T/t.lua" --pcap "$T/in.pcap" --table config="$T/config.txt"
	expect_contains "$OUT" "1 ABORTED 47 -> 47" "tables start empty"
	# the errors of `xdplua table load`
	printf 'ok 1\nlonely\n' > "$T/bad.txt"
	expect_fail "$XDPLUA" run --local "$T/t.lua" --pcap "$T/in.pcap" --table blocked="$T/bad.txt"
	expect_eq "$OUT" "xdplua: $T/bad.txt:2: a key and a value are needed" "bad line"
	expect_fail "$XDPLUA" run --local "$T/t.lua" --pcap "$T/in.pcap" --table blocked="$T/none.txt"
	expect_contains "$OUT" "cannot open $T/none.txt" "missing file"
	expect_fail "$XDPLUA" run --local "$T/t.lua" --pcap "$T/in.pcap" --table "bad name=$T/config.txt"
	expect_contains "$OUT" "invalid table name 'bad name'" "bad table name"
	expect_fail "$XDPLUA" run "$T/t.lua" --pcap "$T/in.pcap" --table config="$T/config.txt"
	expect_contains "$OUT" "--table and --log need --local" "kernel runs use xdplua table"
}

test_local_dns_cache_answers() {
	$DNSPY cache-pcap --out "$T/dns.pcap" --server 10.53.2.53 --client 10.53.1.2 --count 20
	run "$XDPLUA" run --local examples/dns/dns.lua --pcap "$T/dns.pcap" --out "$T/out.pcap" \
		--table dns.config="$LOCAL/dns-config.txt" --table dns.static="$LOCAL/dns-static.txt"
	expect_contains "$OUT" "1 TX 102 -> 122" "static name answered"
	expect_contains "$OUT" "5 PASS 103 -> 103" "unknown name passed"
	expect_contains "$OUT" "6 PASS 101 -> 101" "query to learn passed"
	expect_contains "$OUT" "8 TX 78 -> 110" "learned name answered"
	expect_contains "$OUT" "10 PASS 100 -> 100" "unsolicited answer not learned"
	expect_contains "$OUT" "packets: " "summary"
	expect_eq "$(printf '%s\n' "$OUT" | grep -c ' TX ')" 5 "answers"
	python3 - "$T/out.pcap" <<'EOF' || fail "answers: $($MKPCAP --dump "$T/out.pcap" | head -8)"
import socket, struct, sys
sys.path.insert(0, "tests")
from mkpcap import read_pcap, checksum
pkts = [p[2] for p in read_pcap(sys.argv[1])]

def answers(p):
    ip, udp, dns = p[14:34], p[34:42], p[42:]
    assert checksum(ip) == 0, "IPv4 checksum"
    assert ip[12:16] == socket.inet_aton("10.53.2.53"), "from the upstream's address"
    qid, flags, qd, an = struct.unpack(">HHHH", dns[:8])
    assert flags & 0x8000 and qd == 1, "a response to one question"
    o = 12
    while dns[o]:
        o += 1 + dns[o]
    o += 5
    out = []
    for _ in range(an):
        name, rtype, rclass, ttl, rdlen = struct.unpack(">HHHIH", dns[o:o + 12])
        out.append((socket.inet_ntoa(dns[o + 12:o + 16]), ttl))
        o += 12 + rdlen
    return out

assert answers(pkts[0]) == [("192.0.2.1", 300), ("192.0.2.2", 300)], answers(pkts[0])
assert answers(pkts[3]) == [("192.0.2.9", 300)], answers(pkts[3])
a = answers(pkts[7])
assert [x for x, _ in a] == ["10.53.9.1", "10.53.9.2"] and 298 <= a[0][1] <= 299, a
EOF
}

# dns.lua answers a message it answered before in the same second from
# its replies memo: the same answer, the query's own ID and spelling.
test_local_dns_repeated_queries() {
	python3 - "$T/rep.pcap" <<'EOF'
import sys
sys.path.insert(0, "tests")
from dns import query_msg, ip_udp, eth, pcap_write
qs = [("static.example.test", 1, True), ("static.example.test", 2, True),
      ("StAtIc.example.test", 3, True), ("static.example.test", 4, False),
      ("static.example.test", 5, True), ("one.example.test", 6, True),
      ("StAtIc.example.test", 7, True)]
pcap_write(sys.argv[1], [eth(ip_udp("10.53.1.2", "10.53.2.53", 40000 + i, 53,
                                    query_msg(n, i, opt=o)))
                         for n, i, o in qs])
EOF
	run "$XDPLUA" run --local examples/dns/dns.lua --pcap "$T/rep.pcap" --out "$T/out.pcap" \
		--table dns.config="$LOCAL/dns-config.txt" --table dns.static="$LOCAL/dns-static.txt"
	expect_eq "$(printf '%s\n' "$OUT" | grep -c ' TX ')" 7 "answers"
	python3 - "$T/rep.pcap" "$T/out.pcap" <<'EOF' || fail "answers: $($MKPCAP --dump "$T/out.pcap" | head -8)"
import struct, sys
sys.path.insert(0, "tests")
from mkpcap import read_pcap
qs = [p[2][42:] for p in read_pcap(sys.argv[1])]
rs = [p[2][42:] for p in read_pcap(sys.argv[2])]
for q, r in zip(qs, rs):
    qid, _, _, _, _, ar = struct.unpack(">6H", q[:12])
    rid, flags, qd, an, ns, rar = struct.unpack(">6H", r[:12])
    end = q.index(b"\0", 12) + 5
    assert rid == qid and flags == 0x8580 and qd == 1 and ns == 0, (qid, hex(flags))
    assert r[12:end] == q[12:end], "the question as asked"
    assert rar == ar and an == (1 if b"\3one" in q else 2), (an, rar)
# the same message but its ID: the same answer after the ID
assert rs[0][2:] == rs[1][2:] == rs[4][2:] and rs[2][2:] == rs[6][2:]
assert rs[0][2:] != rs[2][2:] and rs[0][2:] != rs[3][2:]
EOF
}

test_local_needs_no_privileges() {
	command -v setpriv >/dev/null || skip "no setpriv"
	$MKPCAP "$T/in.pcap" udp icmp
	chmod 755 "$T"
	chmod 644 "$T/in.pcap"
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_eq "$OUT" "1 DROP 47 -> 47
2 PASS 46 -> 46
2 packets: 1 DROP, 1 PASS" "as nobody"
}

test_local_suggested_without_the_module() {
	[ ! -e /sys/module/xdplua ] || skip "the module is loaded here"
	$MKPCAP "$T/in.pcap" udp
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_contains "$OUT" "the xdplua kernel module is not loaded" "the problem"
	expect_contains "$OUT" "xdplua run --local examples/udp-drop.lua --pcap $T/in.pcap" "the way out"
	run "$XDPLUA" --help
	expect_contains "$OUT" "--local" "in the help"
}

test_local_print_log_and_require() {
	printf 'local M = {}\nfunction M.hello(n) return "hello " .. n end\nreturn M\n' > "$T/greet.lua"
	cat > "$T/main.lua" <<'EOF'
local greet = require("greet")
function callback(pkt)
	print(greet.hello(#pkt) .. " " .. xdp.ntop(pkt:bytes(26, 4)))
	return xdp.PASS
end
EOF
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run --local "$T/main.lua" --file "$T/greet.lua" --pcap "$T/in.pcap" --log "$T/log"
	expect_contains "$OUT" "1 PASS 47 -> 47" "verdict"
	expect_eq "$(cat "$T/log")" "xdplua: main: hello 47 10.0.0.1" "print() in the log"
	# without --log: on stderr, after the verdicts on stdout
	OUT=$("$XDPLUA" run --local "$T/main.lua" --file "$T/greet.lua" --pcap "$T/in.pcap" 2>&1 >/dev/null)
	expect_eq "$OUT" "xdplua: main: hello 47 10.0.0.1" "stderr"
}

test_local_kernel_semantics() {
	# the port layer keeps the kernel's ways: ISO 8859-1 letters in table
	# names, a no-break space before a number, the test run's loopback
	cat > "$T/k.lua" <<'EOF'
local ok1 = pcall(xdp.table, "caf\xe9")
local ok2 = pcall(xdp.table, "x\xd7")
function callback(pkt)
	local s = ("%s %s %s %s %s %d %d"):format(ok1, ok2, tonumber("\xa05"), pkt:ifname(),
		xdp.ntop(xdp.pton("2001:db8:0:0:1::1")), pkt:ifindex(), pkt:queue())
	pkt:resize(14 + #s)
	pkt:set_bytes(14, s)
	return xdp.TX
end
EOF
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run --local "$T/k.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_eq "$(packet_hex "$T/out.pcap" 1 | cut -c29- | xxd -r -p)" \
		"true false 5.0 lo 2001:db8::1:0:0:1 1 0" "answers"
}

test_local_script_file_only() {
	$MKPCAP "$T/in.pcap" udp
	expect_fail "$XDPLUA" run --local no-such-script --pcap "$T/in.pcap"
	expect_eq "$OUT" "xdplua: --local runs a script file: there is no file no-such-script" "message"
}
