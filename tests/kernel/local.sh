# shellcheck shell=bash
# The runtime's two homes must not drift: the same scripts on the same
# captures run in the kernel (xdplua run: BPF_PROG_TEST_RUN through the
# module) and in userspace (xdplua run --local, libxdplua), and everything a
# user sees is compared byte for byte: the verdict lines, errors and
# summary, the exit status, and the packets written with --out.
#
# Each pair of runs gets a fresh network namespace (the kernel's scripts
# and tables belong to it and go with it) and CPU 0 (one Lua state sees
# the packets in order, in both homes). The time budget is the longest
# there is: under TCG the kernel runs far slower than userspace, and the
# time budget is the one budget that depends on speed.

MKPCAP="python3 $PWD/tests/mkpcap.py"
DNSPY="python3 $PWD/tests/dns.py"
LOCAL="$PWD/tests/local"
NS=xl-homes

teardown() {
	ip netns del $NS 2>/dev/null || true
}

in_ns() { ip netns exec $NS "$@"; }

# show_pcap_diff A B: the first packets that differ, readable
show_pcap_diff() {
	python3 - "$1" "$2" <<'EOF'
import sys
sys.path.insert(0, "tests")
from mkpcap import read_pcap
a, b = read_pcap(sys.argv[1]), read_pcap(sys.argv[2])
if len(a) != len(b):
    print("packets: kernel %d, local %d" % (len(a), len(b)))
shown = 0
for i, (x, y) in enumerate(zip(a, b)):
    if x != y and shown < 3:
        shown += 1
        print("packet %d differs (kernel %d bytes, local %d):" % (i + 1, len(x[2]), len(y[2])))
        for home, p in (("kernel", x[2]), ("local", y[2])):
            print("  %s: %s" % (home, p[14:].decode("latin1") if p[14:].isascii() else p.hex()))
EOF
}

# homes NAME [--table NAME=FILE]... RUN-ARGS...: xdplua run RUN-ARGS in the
# kernel (the tables loaded with `xdplua table load` first) and with --local
# (the tables with --table); fails on any difference.
homes() {
	local name=$1 k=$T/$1.kernel l=$T/$1.local t
	local tables=() targs=()
	shift
	while [ "${1:-}" = --table ]; do
		tables+=("$2")
		targs+=(--table "$2")
		shift 2
	done
	ip netns del $NS 2>/dev/null || true
	ip netns add $NS
	in_ns ip link set lo up
	for t in ${tables[@]+"${tables[@]}"}; do
		in_ns "$XDPLUA" table load "${t%%=*}" "${t#*=}" >/dev/null
	done
	set +e
	in_ns taskset -c 0 "$XDPLUA" run "$@" --out "$k.pcap" >"$k.out" 2>"$k.err"
	echo "exit status $?" >>"$k.out"
	in_ns taskset -c 0 "$XDPLUA" run --local --log "$l.log" ${targs[@]+"${targs[@]}"} "$@" \
		--out "$l.pcap" >"$l.out" 2>"$l.err"
	echo "exit status $?" >>"$l.out"
	set -e
	ip netns del $NS
	# what both homes did stays in build/homes/NAME (kernel.*, local.*)
	rm -rf "$PROJECT/build/homes/$name"
	mkdir -p "$PROJECT/build/homes/$name"
	cp "$k".* "$l".* "$PROJECT/build/homes/$name/" 2>/dev/null || true
	# A packet that ran out of time in one home is left out of the
	# comparison: under TCG on a busy host the guest's clock jumps, and a
	# packet's wall-clock time budget with it, in either home.
	local late
	late=$(sed -n 's/^\([0-9]*\) .*time budget exceeded.*/\1/p
		s/^{"packet":\([0-9]*\),.*time budget exceeded.*/\1/p' "$k.out" "$l.out" |
		sort -un | tr '\n' ' ')
	if [ -n "$late" ]; then
		echo "note: $name: packets $late ran out of time in a home: not compared"
		drop_late "$k.out" "$late" >"$k.cmp" && mv "$k.cmp" "$k.out"
		drop_late "$l.out" "$late" >"$l.cmp" && mv "$l.cmp" "$l.out"
		drop_late_packets "$k.pcap" "$late"
		drop_late_packets "$l.pcap" "$late"
		grep -q '^[0-9]* \|^{"packet":' "$k.out" || fail "$name: every packet ran out of time"
	fi
	if ! cmp -s "$k.out" "$l.out" || ! cmp -s "$k.err" "$l.err"; then
		diff -u --label kernel --label local "$k.out" "$l.out" | head -40
		diff -u --label kernel --label local "$k.err" "$l.err" | head -20
		fail "$name: the output differs"
	fi
	if [ -e "$k.pcap" ] || [ -e "$l.pcap" ]; then
		if ! cmp -s "$k.pcap" "$l.pcap"; then
			show_pcap_diff "$k.pcap" "$l.pcap"
			fail "$name: the packets written differ"
		fi
	fi
	OUT=$(cat "$k.out")
}

# drop_late FILE "N M ...": the output without those packets' lines and
# the totals (which count them)
drop_late() {
	awk -v late=" $2" '
		/^[0-9]+ packets?: / || /^{"packets":/ { next }
		{ n = $1; sub(/^{"packet":/, "", n); sub(/,.*/, "", n) }
		n ~ /^[0-9]+$/ && index(late, " " n " ") { next }
		{ print }' "$1"
}

# drop_late_packets FILE.pcap "N M ...": the capture without those packets
drop_late_packets() {
	[ -e "$1" ] || return 0
	python3 - "$1" "$2" <<'EOF'
import sys
sys.path.insert(0, "tests")
from mkpcap import read_pcap, write_pcap
late = {int(n) for n in sys.argv[2].split()}
pkts = [p for i, p in enumerate(read_pcap(sys.argv[1]), 1) if i not in late]
write_pcap(sys.argv[1], [p[2] for p in pkts])
EOF
}

# A capture of assorted packets: UDP, ICMP, DNS-port UDP, a bare Ethernet
# header, not IP, IPv6/UDP, a short IPv4 header, and sizes around a page.
assorted_pcap() {
	local big ipv6
	big=$(head -c 3478 /dev/zero | tr '\0' b)
	ipv6=02000000000202000000000186dd6000000000101140
	ipv6=${ipv6}20010db8000000000000000000000001
	ipv6=${ipv6}20010db8000000000000000000000002
	ipv6=${ipv6}04d2003500100000
	ipv6=${ipv6}7175657279212121
	$MKPCAP "$1" udp icmp:abcdef udp:53:question raw:0200000000020200000000010800 \
		raw:02000000000202000000000108060001080006040001 "raw:$ipv6" \
		raw:02000000000202000000000108004500001400000000401100000a000001 \
		"udp:9:$big" "udp:9:${big}c" "udp:9:$big$big"
}

# the longest time budget: the kernel under TCG is far slower
BUDGETS=(--time-budget 1000ms)

test_homes_examples_and_benchmark_callbacks() {
	assorted_pcap "$T/in.pcap"
	homes udp-drop examples/udp-drop.lua --pcap "$T/in.pcap" "${BUDGETS[@]}"
	expect_contains "$OUT" "10 packets: " "ran"
	homes udp-drop-json -j examples/udp-drop.lua --pcap "$T/in.pcap" --out-verdict pass \
		"${BUDGETS[@]}"
	homes count examples/count.lua --pcap "$T/in.pcap" "${BUDGETS[@]}"
	
	homes drop bench/lua/drop.lua --pcap "$T/in.pcap" "${BUDGETS[@]}"
	local s
	for s in parse views reply table; do
		homes "bench-$s" "bench/lua/$s.lua" --pcap "$T/in.pcap" "${BUDGETS[@]}"
	done
	expect_contains "$OUT" "DROP" "the table callback ran"
}

test_homes_probe() {
	assorted_pcap "$T/in.pcap"
	homes probe "$LOCAL/probe.lua" --pcap "$T/in.pcap" --insn-budget 100000000 \
		--mem-budget 1M "${BUDGETS[@]}"
	expect_contains "$OUT" "10 packets: 10 TX" "every probe ran"
	# with the default budgets: what runs out, runs out in both
	homes probe-default "$LOCAL/probe.lua" --pcap "$T/in.pcap" "${BUDGETS[@]}"
}

test_homes_addresses() {
	local args=() i
	for i in $(seq 1 100); do args+=("udp:$i:$(head -c "$i" /dev/zero | tr '\0' a)"); done
	$MKPCAP "$T/in.pcap" "${args[@]}"
	homes pton "$LOCAL/pton.lua" --pcap "$T/in.pcap" --insn-budget 100000000 "${BUDGETS[@]}"
	expect_contains "$OUT" "100 packets: 100 TX" "every case ran"
}

test_homes_errors_and_budgets() {
	$MKPCAP "$T/in.pcap" udp icmp udp:53:abc
	local name opts body
	# NAME|OPTIONS|BODY of callback(pkt); what a script saw goes into the
	# first bytes of the packet
	while IFS='|' read -r name opts body; do
		printf 'function callback(pkt)\n%s\nend\n' "$body" > "$T/$name.lua"
		# shellcheck disable=SC2086
		homes "$name" "$T/$name.lua" --pcap "$T/in.pcap" --fallback drop $opts "${BUDGETS[@]}"
	done <<'EOF'
loop||while true do end
loop-pcall||local n = 0 pcall(function() while true do n = n + 1 end end) pkt:set_u32(0, n) return xdp.TX
memory|--insn-budget 100000000 --mem-budget 256K|local t = {} for i = 1, 100000000 do t[i] = ("m"):rep(1000) .. i end
memory-pcall|--insn-budget 100000000 --mem-budget 256K|local t = {} local ok = pcall(function() for i = 1, 1000000 do t[i] = i end end) pkt:set_u32(0, #t) return xdp.TX
memory-strings|--insn-budget 100000000 --mem-budget 256K|local t = {} pcall(function() for i = 1, 1000000 do t[i] = ("s"):rep(i % 300) .. i end end) pkt:set_u32(0, #t) return xdp.TX
insn-count|--insn-budget 1000|local n = 0 for i = 1, 10 do n = n + i end pkt:set_u32(0, n) return xdp.TX
pattern||return ("a"):rep(3000):find(".-.-.-.-b") and xdp.PASS or xdp.TX
rep||return #("x"):rep(1 << 40)
error-table||error({})
error-nil||error()
error-level||error("lvl", 2)
verdict-bad||return 7
verdict-string||return "pass"
verdict-none||local x = 1
redirect-lo||return xdp.REDIRECT, "lo"
redirect-index||return xdp.REDIRECT, 1
redirect-missing||return xdp.REDIRECT, "no-such-if0"
redirect-nothing||return xdp.REDIRECT
redirect-negative||return xdp.REDIRECT, -1
coroutine||local co = coroutine.wrap(function() while true do coroutine.yield(1) end end) for i = 1, 1000000 do co() end
recursion||local function f(n) return f(n + 1) + 1 end return f(1)
recursion-deep|--insn-budget 100000000|local function f(n) return f(n + 1) + 1 end return f(1)
cstack||local function f() return pcall(f) end f() return xdp.TX
gc-metamethod||setmetatable({}, {__gc = function() end})
stale-packet||P = pkt return P:len() > 0 and xdp.TX
EOF
	homes stale-packet-2 "$T/stale-packet.lua" --pcap "$T/in.pcap" "${BUDGETS[@]}"
	printf 'function callback(pkt)\n  return = 1\nend\n' > "$T/syntax.lua"
	homes syntax "$T/syntax.lua" --pcap "$T/in.pcap"
	homes no-entry -F nope examples/udp-drop.lua --pcap "$T/in.pcap"
	homes insn-range --insn-budget 99 examples/udp-drop.lua --pcap "$T/in.pcap"
	homes mem-range --mem-budget 1K examples/udp-drop.lua --pcap "$T/in.pcap"
	homes time-range --time-budget 2000ms examples/udp-drop.lua --pcap "$T/in.pcap"
	printf 'local t = {} for i = 1, 1000000000 do t[i] = i end\n' > "$T/load-memory.lua"
	homes load-memory "$T/load-memory.lua" --pcap "$T/in.pcap"
	printf 'while true do end\n' > "$T/load-loop.lua"
	homes load-loop "$T/load-loop.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "exit status 1" "refused"
}

test_homes_dns_cache_with_tables() {
	$DNSPY cache-pcap --out "$T/cache.pcap" --server 10.53.2.53 --client 10.53.1.2 --count 150
	homes dns-cache --table dns.config="$LOCAL/dns-config.txt" \
		--table dns.static="$LOCAL/dns-static.txt" \
		examples/dns/dns.lua --pcap "$T/cache.pcap" "${BUDGETS[@]}"
	expect_contains "$OUT" "8 TX 78 -> 110" "a learned name answered"
	expect_ge "$(printf '%s\n' "$OUT" | grep -c ' TX ')" 5 "answers"
	$DNSPY fuzz-pcap --out "$T/fuzz.pcap" --server 10.53.2.53 --client 10.53.1.2 --count 150
	homes dns-fuzz --table dns.config="$LOCAL/dns-config.txt" \
		--table dns.static="$LOCAL/dns-static.txt" \
		examples/dns/dns.lua --pcap "$T/fuzz.pcap" "${BUDGETS[@]}"
}
