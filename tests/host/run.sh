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
	expect_contains "$OUT" "$T/in.pcap: not a pcap file (magic number" "message"
	$MKPCAP --linktype 113 "$T/in.pcap" udp
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/in.pcap"
	expect_contains "$OUT" "link type 113 is not supported" "message"
	head -c 10 "$T/in.pcap" > "$T/short.pcap"
	expect_fail "$XDPLUA" run examples/udp-drop.lua --pcap "$T/short.pcap"
	expect_contains "$OUT" "truncated file header" "message"
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
