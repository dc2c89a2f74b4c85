# Kernel tests of `xdplua run`: scripts run in the kernel on the packets of a
# capture (BPF_PROG_TEST_RUN), verdicts printed, resulting packets written.
# Only these: tests/vm/run -- tests/run --inside-vm --only test_run_

MKPCAP="python3 tests/mkpcap.py"   # relative: the project's path may have spaces

teardown() {
	"$XDPLUA" unload runtest 2>/dev/null || true
}

# no temporary script left behind
expect_no_temporary() {
	local st
	st=$("$XDPLUA" status -j)
	case $st in
	*'"run-'*) fail "a temporary script stayed loaded: $st" ;;
	esac
}

# script FILE 'BODY': a callback(pkt) with BODY
script() {
	printf 'function callback(pkt)\n%s\nend\n' "$2" > "$1"
}

test_run_udp_dropped_icmp_passed() {
	$MKPCAP "$T/in.pcap" udp icmp udp:53:abc
	run "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_eq "$OUT" "1 DROP 47 -> 47
2 PASS 46 -> 46
3 DROP 45 -> 45
3 packets: 2 DROP, 1 PASS" "output"
	expect_no_temporary
}

test_run_loaded_script_by_name() {
	run "$XDPLUA" load --name runtest examples/udp-drop.lua
	$MKPCAP "$T/in.pcap" icmp udp
	run "$XDPLUA" run runtest --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 PASS 46 -> 46" "icmp"
	expect_contains "$OUT" "2 DROP 47 -> 47" "udp"
	expect_eq "$(stat runtest runs drop pass)" "2 1 1" "the script's counters"
	# the script stays loaded
	expect_eq "$(stat runtest name)" "runtest" "still loaded"
	# load options make no sense for a loaded script
	set +e
	OUT=$("$XDPLUA" run runtest --fallback drop --pcap "$T/in.pcap" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status"
	expect_contains "$OUT" "xdplua: runtest is a loaded script" "message"
}

test_run_rewritten_bytes_in_output_pcap() {
	# ICMP: first byte of the destination MAC set to 0xee and sent back;
	# the rest dropped
	script "$T/rw.lua" '
	if pkt:u8(23) == 1 then
		pkt:set_u8(0, 0xee)
		return xdp.TX
	end
	return xdp.DROP'
	$MKPCAP --nsec "$T/in.pcap" udp icmp:abcdef
	run "$XDPLUA" run "$T/rw.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_contains "$OUT" "2 TX 48 -> 48" "icmp line"
	run $MKPCAP --dump "$T/in.pcap"
	local in1 in2
	in1=$(printf '%s\n' "$OUT" | sed -n 1p)
	in2=$(printf '%s\n' "$OUT" | sed -n 2p)
	run $MKPCAP --dump "$T/out.pcap"
	expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 2 "all packets written"
	expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "$in1" "dropped packet unchanged"
	# same timestamps (nanoseconds kept), first byte rewritten
	expect_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" \
		"$(printf '%s\n' "$in2" | sed 's/ 02000000000202/ ee000000000202/')" \
		"rewritten packet"
	# only TX
	run "$XDPLUA" run "$T/rw.lua" --pcap "$T/in.pcap" --out "$T/tx.pcap" --out-verdict tx
	run $MKPCAP --dump "$T/tx.pcap"
	expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "only the TX packet"
	expect_contains "$OUT" "1 1700000000 1500000 48 ee0000000002" "TX packet"
}

test_run_grown_packet() {
	script "$T/grow.lua" '
	if not pkt.adjust_tail then return xdp.ABORTED end
	pkt:adjust_tail(16)
	pkt:set_u8(#pkt - 1, 0x42)
	return xdp.TX'
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run "$T/grow.lua" --pcap "$T/in.pcap" --out "$T/out.pcap"
	case $OUT in *ABORTED*) skip "no pkt:adjust_tail in this module" ;; esac
	expect_contains "$OUT" "1 TX 47 -> 63" "grown by 16"
	run $MKPCAP --dump "$T/out.pcap"
	expect_contains "$OUT" " 63 " "length in the output pcap"
	[[ $OUT == *42 ]] || fail "last byte not 0x42: $OUT"
}

test_run_script_error_gives_fallback_and_counts() {
	script "$T/runtest.lua" '
	if pkt:u8(23) == 17 then error("no UDP here") end
	return xdp.PASS'
	run "$XDPLUA" load --fallback drop "$T/runtest.lua"
	$MKPCAP "$T/in.pcap" icmp udp
	run "$XDPLUA" run runtest --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 PASS 46 -> 46" "icmp"
	printf '%s\n' "$OUT" | grep -q '^2 DROP 47 -> 47 (script error, fallback verdict: .*no UDP here)$' ||
		fail "no fallback line for packet 2: $OUT"
	expect_contains "$OUT" "2 packets: 1 DROP, 1 PASS; 1 script error" "summary"
	expect_eq "$(stat runtest errors drop)" "1 1" "error counter"
	expect_contains "$(stat runtest last_error)" "no UDP here" "last error"
	# JSON lines carry the error too
	run "$XDPLUA" run -j runtest --pcap "$T/in.pcap"
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert lines[1]["verdict"] == "drop" and "no UDP here" in lines[1]["error"], lines
assert "error" not in lines[0], lines
assert lines[2]["verdicts"]["drop"] == 1 and lines[2]["errors"] == 1, lines
' || fail "JSON output: $OUT"
}

test_run_temporary_script_options_and_removal() {
	# -F and --fallback apply to the temporary script
	printf 'function other(pkt) error("x") end\nfunction callback() return xdp.TX end\n' > "$T/f.lua"
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run -F other --fallback aborted "$T/f.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 ABORTED 47 -> 47 (script error" "entry and fallback"
	run "$XDPLUA" run "$T/f.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 TX 47 -> 47" "default entry"
	expect_no_temporary
}

test_run_syntax_error() {
	printf 'function callback(pkt)\n  return = 1\nend\n' > "$T/bad.lua"
	$MKPCAP "$T/in.pcap" udp
	set +e
	OUT=$("$XDPLUA" run "$T/bad.lua" --pcap "$T/in.pcap" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 1 "exit status"
	expect_contains "$OUT" "xdplua: cannot load $T/bad.lua" "message"
	expect_contains "$OUT" "bad.lua:2:" "Lua's message"
	expect_no_temporary
}

test_run_truncated_pcap() {
	script "$T/p.lua" 'return xdp.PASS'
	# the last packet's bytes cut short
	$MKPCAP --truncate 5 "$T/in.pcap" udp icmp
	expect_fail "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 PASS 47 -> 47" "packets before the damage"
	expect_contains "$OUT" "xdplua: $T/in.pcap: packet 2: truncated dump file; tried to read 46 captured bytes, only got 41" "message"
	# a record header cut short
	$MKPCAP --truncate 50 "$T/in.pcap" udp icmp
	expect_fail "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "packet 2: truncated dump file" "message"
	expect_no_temporary
}

test_run_pcap_formats() {
	script "$T/p.lua" 'return xdp.DROP'
	local f
	for f in "" --nsec --big-endian "--big-endian --nsec"; do
		# shellcheck disable=SC2086
		$MKPCAP $f "$T/in.pcap" udp icmp
		run "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
		expect_eq "$(printf '%s\n' "$OUT" | head -2)" "1 DROP 47 -> 47
2 DROP 46 -> 46" "pcap written with '$f'"
	done
	$MKPCAP --linktype 101 "$T/in.pcap" udp
	expect_fail "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "link type RAW (Raw IP) is not supported: only Ethernet (EN10MB)" "link type"
	printf 'garbage, this is not a capture file' > "$T/in.pcap"
	expect_fail "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "cannot read it as a capture (pcap or pcapng): unknown file format" "garbage"
	$MKPCAP "$T/in.pcap" raw:0200000000020200
	expect_fail "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "packet 1: 8 bytes is too short for XDP" "runt"
	expect_no_temporary
}

test_run_unknown_script_name() {
	$MKPCAP "$T/in.pcap" udp
	expect_fail "$XDPLUA" run no-such-script --pcap "$T/in.pcap"
	expect_eq "$OUT" "xdplua: no script named no-such-script is loaded and there is no file no-such-script (see xdplua status)" "message"
}

test_run_repeat_and_json() {
	script "$T/p.lua" 'return xdp.DROP'
	$MKPCAP "$T/in.pcap" udp icmp
	run "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap" --repeat 1000
	printf '%s\n' "$OUT" | grep -Eq '^1 DROP 47 -> 47 [0-9]+ ns$' || fail "timed line: $OUT"
	printf '%s\n' "$OUT" | grep -Eq '^2 packets: 2 DROP; [0-9]+ ns per run on average \(1000 runs per packet\)$' ||
		fail "timed summary: $OUT"
	run "$XDPLUA" run -j "$T/p.lua" --pcap "$T/in.pcap" --repeat 10
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert lines[0] == {"packet": 1, "verdict": "drop", "len_in": 47, "len_out": 47, "ns": lines[0]["ns"]}, lines
assert lines[2]["packets"] == 2 and lines[2]["repeat"] == 10 and lines[2]["avg_ns"] > 0, lines
' || fail "JSON output: $OUT"
}

test_run_ifindex_and_redirect() {
	# a test run receives on the loopback device of the current netns
	script "$T/p.lua" '
	if pkt:ifindex() == 1 and pkt:ifname() == "lo" and pkt:queue() == 0 then
		return xdp.REDIRECT, 1
	end
	return xdp.ABORTED'
	$MKPCAP "$T/in.pcap" udp
	run "$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap"
	expect_contains "$OUT" "1 REDIRECT 47 -> 47" "lo, redirect reported"
}

test_run_interrupted_unloads() {
	script "$T/p.lua" 'local n = 0 for i = 1, 20 do n = n + i end return xdp.PASS'
	$MKPCAP "$T/in.pcap" udp
	"$XDPLUA" run "$T/p.lua" --pcap "$T/in.pcap" --repeat 2000000000 > "$T/out" 2>&1 &
	local pid=$! rc
	sleep 3
	kill -INT $pid
	set +e
	wait $pid
	rc=$?
	set -e
	expect_eq "$rc" 130 "exit status"
	expect_contains "$(cat "$T/out")" "xdplua: interrupted" "message"
	expect_no_temporary
}
