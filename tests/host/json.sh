# Host tests of xdplua's JSON output: the writer (tools/xdplua/json.c) on
# hostile strings, and the -j outputs that run without the module.

MKPCAP="python3 tests/mkpcap.py"

# json_writer: tests/json_writer.c built with the writer, in $T
json_writer() {
	cc -std=gnu11 -Wall -Wextra -Werror -Itools/xdplua -o "$T/json_writer" \
		tests/json_writer.c tools/xdplua/json.c || fail "tests/json_writer.c does not build"
}

test_json_text_is_utf8_with_invalid_bytes_replaced() {
	json_writer
	# each argument: the bytes, then what the text must decode to
	run "$T/json_writer" ff 61c3a962 c0af eda080 f4908080 f09f9880 e282 \
		00011f7f225c0a0d09080c 2f e280a8
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = sys.stdin.read().split("\n")
want = ["\ufffd", "a\u00e9b", "\ufffd\ufffd", "\ufffd" * 3, "\ufffd" * 4,
        "\U0001F600", "\ufffd\ufffd", "\x00\x01\x1f\x7f\"\\\n\r\t\b\f", "/", "\u2028"]
for line, w in zip(lines, want):
    d = json.loads(line)
    assert d["text"] == w, (line, d["text"], w)
    # every byte is ASCII on the wire but for valid UTF-8 sequences
    raw = line.encode("utf-8")
    assert all(b >= 0x20 for b in raw), line
' || fail "text: $OUT"
}

test_json_bytes_are_one_character_a_byte() {
	json_writer
	all=$(python3 -c 'print(bytes(range(256)).hex())')
	run "$T/json_writer" "$all" ""
	printf '%s\n' "$OUT" | head -2 | python3 -c '
import json, sys
a, b = [json.loads(l) for l in sys.stdin]
assert a["bytes"].encode("latin-1") == bytes(range(256)), a
assert b == {"text": "", "bytes": ""}, b
' || fail "bytes: $OUT"
	# printable ASCII as itself, the rest escaped: the line is ASCII
	printf '%s\n' "$OUT" | head -1 | LC_ALL=C grep -q '[^ -~]' && fail "non-ASCII byte in bytes output"
	true
}

test_json_values_and_nesting() {
	json_writer
	run "$T/json_writer"
	expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "one document, one line"
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d == {"min": -2**63, "max": 2**64 - 1, "yes": True, "no": False, "none": None,
             "empty": [], "list": [1, {}, ["x", None], {"k\"ey\n": "v", "n": -1}]}, d
' || fail "values: $OUT"
}

# run -j: every line parses, whatever bytes the script's error has; the
# verdicts are spelled as status -j and --fallback spell them
test_json_run_with_hostile_error() {
	printf 'function callback(pkt)\n\terror("bad \\255 \\"q\\" \\1\\t\\\\ \\xc3\\xa9 \\xed\\xa0\\x80 end")\nend\n' > "$T/err.lua"
	$MKPCAP "$T/in.pcap" udp icmp
	run "$XDPLUA" run --local -j "$T/err.lua" --pcap "$T/in.pcap" --log /dev/null --fallback drop
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert len(lines) == 3, lines
e = lines[0]["error"]
assert e.startswith("err.lua:2: bad \ufffd \"q\" "), e
assert "\t\\ \u00e9 \ufffd\ufffd\ufffd end" in e, repr(e)
assert lines[0]["verdict"] == "drop" and lines[1]["verdict"] == "drop", lines
assert lines[2] == {"packets": 2, "errors": 2, "verdicts": {"aborted": 0, "drop": 2, "pass": 0, "tx": 0, "redirect": 0}}, lines[2]
' || fail "run -j: $OUT"
}

test_json_run_verdict_names() {
	# every verdict a script returns, in run -j as in --fallback and status -j
	cat > "$T/v.lua" <<'LUA'
local n = 0
local all = { xdp.ABORTED, xdp.DROP, xdp.PASS, xdp.TX, xdp.REDIRECT }
function callback(pkt)
	n = n + 1
	return all[n], "lo"
end
LUA
	$MKPCAP "$T/in.pcap" udp udp udp udp udp
	run taskset -c 0 "$XDPLUA" run --local -j "$T/v.lua" --pcap "$T/in.pcap" --log /dev/null
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin]
assert [l["verdict"] for l in lines[:5]] == ["aborted", "drop", "pass", "tx", "redirect"], lines
assert lines[5]["verdicts"] == {"aborted": 1, "drop": 1, "pass": 1, "tx": 1, "redirect": 1}, lines[5]
' || fail "run -j: $OUT"
	# the text spells them as Lua does
	run taskset -c 0 "$XDPLUA" run --local "$T/v.lua" --pcap "$T/in.pcap" --log /dev/null
	expect_contains "$OUT" "5 packets: 1 ABORTED, 1 DROP, 1 PASS, 1 TX, 1 REDIRECT" "text"
}
