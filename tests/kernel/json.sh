# Kernel tests of the -j outputs (docs/xdplua.md, "JSON output"): every one
# parses whatever bytes the scripts and tables hold, and a verdict has one
# name in all of them.

MKPCAP="python3 tests/mkpcap.py"   # relative: the project's path may have spaces

teardown() {
	"$XDPLUA" unload jsontest 2>/dev/null || true
	"$XDPLUA" table destroy jsontest 2>/dev/null || true
}

test_json_status_and_run_same_verdict_names() {
	printf 'function callback(pkt)\n\tif #pkt > 46 then error("boom \\255 \\"q\\" \\xc3\\xa9") end\n\treturn xdp.TX\nend\n' > "$T/e.lua"
	run "$XDPLUA" load "$T/e.lua" --name jsontest --fallback drop
	$MKPCAP "$T/in.pcap" udp icmp
	run "$XDPLUA" run -j jsontest --pcap "$T/in.pcap"
	local runj=$OUT
	run "$XDPLUA" status -j jsontest
	printf '%s\n%s\n' "$OUT" "$runj" | python3 -c '
import json, sys
status = json.loads(sys.stdin.readline())
lines = [json.loads(l) for l in sys.stdin]
s = status[0]
assert s["name"] == "jsontest" and s["fallback"] == "drop", s
assert s["last_error"].startswith("e.lua:2: boom \ufffd \"q\" \u00e9"), repr(s["last_error"])
assert lines[0]["verdict"] == s["fallback"] and "error" in lines[0], lines
assert lines[1]["verdict"] == "tx" and "error" not in lines[1], lines
assert lines[2]["verdicts"] == {"aborted": 0, "drop": 1, "pass": 0, "tx": 1, "redirect": 0}, lines
assert set(lines[2]["verdicts"]) >= set(k for k in s["stats"] if k in lines[2]["verdicts"]), s
assert s["stats"]["drop"] == 1 and s["stats"]["tx"] == 1, s["stats"]
for k in ("id", "insn_budget", "mem_budget", "time_budget_us", "ncpus", "mem_used", "source_size"):
    assert isinstance(s[k], int), k
assert s["attached"] == [] and isinstance(s["entry"], str), s
' || fail "status -j and run -j: $OUT / $runj"
	# the text spells the same verdicts as Lua does
	run "$XDPLUA" status jsontest
	expect_contains "$OUT" "fallback:    DROP" "status text"
}

test_json_table_outputs_with_hostile_bytes() {
	run "$XDPLUA" table create jsontest --max 16
	run "$XDPLUA" table set --skey -- jsontest $'k\xff"\\\x01\t' $'v\xc3\xa9\xff\x7f"'
	run "$XDPLUA" table set --bool -- jsontest -5 true
	run "$XDPLUA" table set --ttl 100 -- jsontest 7 -9
	run "$XDPLUA" table dump -j jsontest
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = {(type(e["key"]).__name__, e["key"] if type(e["key"]) is int else e["key"].encode("latin-1")): e
     for e in json.load(sys.stdin)}
e = d[("str", b"k\xff\"\\\x01\t")]
assert e["type"] == "str" and e["value"].encode("latin-1") == b"v\xc3\xa9\xff\x7f\"" and "ttl" not in e, e
assert d[("int", -5)]["type"] == "bool" and d[("int", -5)]["value"] is True, d
assert d[("int", 7)]["value"] == -9 and d[("int", 7)]["type"] == "int", d
assert 0 < d[("int", 7)]["ttl"] <= 100, d
assert len(d) == 3
' || fail "dump -j: $OUT"
	run "$XDPLUA" table get -j --skey -- jsontest $'k\xff"\\\x01\t'
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
e = json.load(sys.stdin)
assert e["value"].encode("latin-1") == b"v\xc3\xa9\xff\x7f\"", e
' || fail "get -j: $OUT"
	run "$XDPLUA" table list -j jsontest
	printf '%s\n' "$OUT" | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1 and t[0]["name"] == "jsontest" and t[0]["entries"] == 3 and t[0]["max"] == 16, t
assert isinstance(t[0]["bytes"], int) and isinstance(t[0]["users"], int), t
' || fail "list -j: $OUT"
	# an empty table dumps as an empty list
	run "$XDPLUA" table flush jsontest
	run "$XDPLUA" table dump -j jsontest
	expect_eq "$OUT" "[]" "empty dump"
}
