# Host tests of `xdplua run`: the command line and the pcap reader's errors
# that come before the module is needed.

MKPCAP="python3 tests/mkpcap.py"   # relative: the project's path may have spaces

# usage_error ARGS...: exit status 2 and an "xdplua: " message, in $OUT
usage_error() {
	local rc
	set +e
	OUT=$("$XDPLUA" "$@" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status of: xdplua $*"
	expect_contains "$OUT" "xdplua: " "error prefix"
}

test_run_in_usage() {
	run "$XDPLUA" --help
	expect_contains "$OUT" "run SCRIPT|NAME --pcap FILE [--out FILE]" "synopsis"
	expect_contains "$OUT" "--repeat N" "options"
	expect_contains "$OUT" "--out-verdict LIST" "options"
}

test_run_missing_pcap() {
	usage_error run examples/udp-drop.lua
	expect_contains "$OUT" "missing --pcap FILE" "message"
}

test_run_missing_script() {
	usage_error run --pcap x.pcap
	expect_contains "$OUT" "missing arguments" "message"
	usage_error run a.lua b.lua --pcap x.pcap
	expect_contains "$OUT" "too many arguments" "message"
}

test_run_bad_option_values() {
	usage_error run a.lua --pcap x.pcap --repeat 0
	expect_contains "$OUT" "invalid --repeat '0'" "message"
	usage_error run a.lua --pcap x.pcap --repeat lots
	usage_error run a.lua --pcap x.pcap --out y.pcap --out-verdict TX,MAYBE
	expect_contains "$OUT" "invalid --out-verdict 'TX,MAYBE'" "message"
	usage_error run a.lua --pcap x.pcap --out-verdict TX
	expect_contains "$OUT" "--out-verdict needs --out FILE" "message"
	usage_error run a.lua --pcap x.pcap --fallback redirect
	usage_error run a.lua --pcap
	expect_contains "$OUT" "option --pcap needs FILE" "message"
}

test_run_options_of_other_commands() {
	usage_error run a.lua --pcap x.pcap --name other
	expect_contains "$OUT" "option --name does not apply to run" "message"
	usage_error run a.lua --pcap x.pcap --mode skb
	usage_error status --pcap x.pcap
}

test_run_unreadable_pcap() {
	# the capture is read before anything is loaded: no module needed
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap /nonexistent/in.pcap
	expect_eq "$OUT" "xdplua: cannot read /nonexistent/in.pcap: No such file or directory" "message"
	printf 'garbage, this is not a capture file' > "$T/in.pcap"
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_eq "$OUT" "xdplua: $T/in.pcap: cannot read it as a capture (pcap or pcapng): unknown file format" "message"
	$MKPCAP --linktype 113 "$T/in.pcap" udp
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_contains "$OUT" "link type LINUX_SLL (Linux cooked v1) is not supported: only Ethernet (EN10MB)" "message"
	head -c 10 "$T/in.pcap" > "$T/short.pcap"
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/short.pcap"
	expect_contains "$OUT" "$T/short.pcap: cannot read it as a capture (pcap or pcapng): truncated" "message"
}

test_mkpcap_round_trip() {
	$MKPCAP --nsec --big-endian "$T/in.pcap" udp:53:abc icmp
	run $MKPCAP --dump "$T/in.pcap"
	expect_contains "$OUT" "1 1700000000 0 45 020000000002" "first packet"
	expect_contains "$OUT" "2 1700000000 1500000 46 " "second packet"
	if command -v tcpdump >/dev/null; then
		run tcpdump -nr "$T/in.pcap"
		expect_contains "$OUT" "10.0.0.1.1234 > 10.0.0.2.53" "tcpdump reads the UDP packet"
		expect_contains "$OUT" "ICMP echo request" "tcpdump reads the ICMP packet"
	fi
}

test_run_out_is_not_the_input() {
	$MKPCAP "$T/in.pcap" udp
	cp "$T/in.pcap" "$T/copy.pcap"
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap" --out "$T/in.pcap"
	expect_contains "$OUT" "is the --pcap file" "message"
	cmp "$T/in.pcap" "$T/copy.pcap" || fail "the capture was changed"
}

# pcapng, as Wireshark's tools write it, reads as the same packets as pcap;
# --out is classic pcap. Runs offline (--local).
test_run_pcapng_from_editcap() {
	command -v editcap >/dev/null || skip "editcap (wireshark-common) is not installed"
	$MKPCAP "$T/in.pcap" udp icmp udp:53:abc
	editcap -F pcapng "$T/in.pcap" "$T/in.pcapng"
	[ "$(head -c 4 "$T/in.pcapng" | od -An -tx1 | tr -d ' ')" = 0a0d0d0a ] ||
		fail "editcap did not write pcapng"
	run "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcap" --out "$T/out1.pcap"
	local want=$OUT
	run "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcapng" --out "$T/out2.pcap"
	expect_eq "$OUT" "$want" "the same verdicts as from the pcap file"
	expect_contains "$OUT" "3 packets: 2 DROP, 1 PASS" "summary"
	cmp "$T/out1.pcap" "$T/out2.pcap" || fail "--out differs between pcap and pcapng input"
	run tcpdump -nr "$T/out2.pcap"
	expect_contains "$OUT" "ICMP echo request" "tcpdump reads --out"
	# a pcapng of another link type: refused, named
	editcap -F pcapng -T rawip "$T/in.pcap" "$T/raw.pcapng"
	expect_fail "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/raw.pcapng"
	expect_eq "$OUT" "xdplua: $T/raw.pcapng: link type RAW (Raw IP) is not supported: only Ethernet (EN10MB) captures can be run through XDP" "link type"
	# damaged: the packets before the damage ran, the packet is named
	head -c -10 "$T/in.pcapng" > "$T/cut.pcapng"
	expect_fail "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/cut.pcapng"
	expect_contains "$OUT" "2 PASS 46 -> 46" "packets before the damage"
	expect_contains "$OUT" "xdplua: $T/cut.pcapng: packet 3: " "names the packet"
}

# --out keeps the timestamps and their precision (nanoseconds stay nanoseconds)
test_run_out_timestamps() {
	$MKPCAP --nsec "$T/in.pcap" udp icmp
	run "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_eq "$($MKPCAP --dump "$T/out.pcap" | cut -d' ' -f1-3)" "$($MKPCAP --dump "$T/in.pcap" | cut -d' ' -f1-3)" "timestamps"
	expect_eq "$(head -c 4 "$T/out.pcap" | od -An -tx1 | tr -d ' ')" 4d3cb2a1 "nanosecond magic"
	$MKPCAP "$T/in.pcap" udp icmp
	run "$XDPLUA" run --local examples/udp-drop.lua --pcap "$T/in.pcap" --out "$T/out.pcap"
	expect_eq "$($MKPCAP --dump "$T/out.pcap" | cut -d' ' -f1-3)" "$($MKPCAP --dump "$T/in.pcap" | cut -d' ' -f1-3)" "timestamps"
	expect_eq "$(head -c 4 "$T/out.pcap" | od -An -tx1 | tr -d ' ')" d4c3b2a1 "microsecond magic"
}
