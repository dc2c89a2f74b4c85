# Kernel tests of the declarative configuration (xdplua apply, xdplua
# save; what xdplua.service runs at boot), in netns xl-b with traffic.

setup() {
	topo_up
	C=$T/etc
	mkdir -p "$C/tables"
	cp examples/udp-drop.lua "$C/"
	cat > "$C/xdplua.conf" <<'CONF'
# the test's configuration
table blocked --max 64
script udp-drop udp-drop.lua --fallback drop --insn-budget 5000
attach udp-drop b0 --mode native
CONF
	printf '%s\n' '[{"key": "192.0.2.7", "type": "bool", "value": true},' \
		'{"key": 42, "type": "int", "value": -1},' \
		'{"key": "motd", "type": "str", "value": "hello world"}]' > "$C/tables/blocked.json"
}

teardown() {
	cleanup_scripts
	in_b "$XDPLUA" table destroy blocked 2>/dev/null || true
	in_b "$XDPLUA" table destroy loads 2>/dev/null || true
	topo_down
}

dump_blocked() {
	in_b "$XDPLUA" table dump blocked -j | python3 -c '
import json, sys
for e in sorted(json.load(sys.stdin), key=lambda e: str(e["key"])):
    print(e["key"], e["type"], e["value"])'
}

test_apply_loads_attaches_and_fills_tables() {
	run in_b "$XDPLUA" apply --config "$C"
	expect_contains "$OUT" "created table blocked" "apply's report"
	expect_contains "$OUT" "loaded script udp-drop" "apply's report"
	expect_contains "$OUT" "attached udp-drop to b0 (native)" "apply's report"
	expect_eq "$(udp_count 20)" 0 "UDP datagrams through the applied udp-drop.lua"
	expect_ge "$(stat udp-drop drop)" 20 "drop counter"
	expect_eq "$(stat udp-drop fallback insn_budget)" "drop 5000" "load options"
	expect_eq "$(dump_blocked)" "$(printf '%s\n' '192.0.2.7 bool True' '42 int -1' 'motd str hello world')" "table entries"
	run in_b "$XDPLUA" table list -j
	expect_contains "$OUT" '"max":64' "table size"
}

test_apply_twice_changes_nothing() {
	local id loads
	# the main chunk counts its runs (once per CPU at each load): a
	# reload would count again (counters carry over a reload, so they
	# cannot tell)
	echo 'xdp.table("loads"):add("n", 1)' >> "$C/udp-drop.lua"
	run in_b "$XDPLUA" apply --config "$C"
	id=$(stat udp-drop id)
	loads=$(in_b "$XDPLUA" table get loads n)
	expect_eq "$loads" "$(stat udp-drop ncpus)" "main chunk runs of the first apply"
	expect_eq "$(udp_count 10)" 0 "dropping"
	run in_b "$XDPLUA" apply --config "$C"
	expect_eq "$OUT" "nothing to change" "the second apply"
	expect_eq "$(stat udp-drop id)" "$id" "same script"
	expect_eq "$(in_b "$XDPLUA" table get loads n)" "$loads" "not reloaded"
}

test_apply_changes_only_what_changed() {
	run in_b "$XDPLUA" apply --config "$C"
	in_b "$XDPLUA" table set blocked extra 1 > /dev/null
	printf '%s\n' '[{"key": "192.0.2.7", "type": "bool", "value": false},' \
		'{"key": 42, "type": "int", "value": -1}]' > "$C/tables/blocked.json"
	echo '-- edited' >> "$C/udp-drop.lua"
	run in_b "$XDPLUA" apply --config "$C" --dry-run
	expect_contains "$OUT" "would: reloaded script udp-drop" "dry run"
	expect_eq "$(dump_blocked | head -1)" "192.0.2.7 bool True" "a dry run changes nothing"
	run in_b "$XDPLUA" apply --config "$C"
	expect_eq "$(printf '%s\n' "$OUT" | sort)" "$(printf '%s\n' "deleted blocked['extra']" \
		"deleted blocked['motd']" "reloaded script udp-drop" "set blocked['192.0.2.7']" | sort)" "the changes"
	expect_eq "$(dump_blocked)" "$(printf '%s\n' '192.0.2.7 bool False' '42 int -1')" "table entries"
	expect_eq "$(udp_count 10)" 0 "still dropping after the reload"
}

test_apply_and_save_an_ebpf_front() {
	# dns_front.bpf.o gives its script IPv4 UDP to or from port 53 only
	mkdir -p "$C/progs"
	cp build/bpf/dns_front.bpf.o "$C/progs/front.bpf.o"
	sed -i 's|^attach udp-drop b0 .*|attach udp-drop b0 --mode native --prog progs/front.bpf.o|' "$C/xdplua.conf"
	run in_b "$XDPLUA" apply --config "$C"
	expect_contains "$OUT" "attached udp-drop to b0 (native, program progs/front.bpf.o)" "apply's report"
	run in_b "$XDPLUA" status udp-drop
	expect_contains "$OUT" "b0 (native, program dns_front)" "status"
	expect_eq "$(udp_count 10)" 10 "UDP to another port: not given to udp-drop.lua"
	run in_b "$XDPLUA" apply --config "$C"
	expect_eq "$OUT" "nothing to change" "the second apply"
	run in_b "$XDPLUA" save --config "$T/saved"
	run cat "$T/saved/xdplua.conf"
	expect_contains "$OUT" "attach udp-drop b0 --mode native --prog progs/b0.bpf.o" "saved attachment"
	cmp "$C/progs/front.bpf.o" "$T/saved/progs/b0.bpf.o" || fail "the saved object differs"
	# the default dispatcher where the file says so
	sed -i 's| --prog progs/front.bpf.o||' "$C/xdplua.conf"
	run in_b "$XDPLUA" apply --config "$C"
	expect_contains "$OUT" "attached udp-drop to b0 (native)" "back to the default dispatcher"
	expect_eq "$(udp_count 10)" 0 "UDP dropped again"
}

test_apply_reports_errors() {
	echo 'attach nosuch b0' >> "$C/xdplua.conf"
	expect_fail in_b "$XDPLUA" apply --config "$C"
	expect_contains "$OUT" "'attach nosuch' names no script of the file" "message"
	printf 'script bad bad.lua\n' > "$C/xdplua.conf"
	echo 'function callback(pkt) return xdp.DROP' > "$C/bad.lua"
	expect_fail in_b "$XDPLUA" apply --config "$C"
	expect_contains "$OUT" "script bad:" "which item"
	expect_contains "$OUT" "'end' expected" "Lua's message"
}

test_save_then_apply_restores_the_state() {
	local saved=$T/saved
	printf '%s\n' 'local t = xdp.table("blocked")' \
		'function callback(pkt) t:add("seen", 1) return xdp.PASS end' \
		'function count_only(pkt) return xdp.PASS end' > "$T/counter.lua"
	run xdplua_b table create blocked --max 128
	run xdplua_b -L "$T/counter.lua" --mem-budget 4M b0
	run xdplua_b -F count_only b0
	run xdplua_b table set blocked 198.51.100.1 true --bool
	run xdplua_b table set blocked temp 1 --ttl 600
	run xdplua_b save --config "$saved"
	# "rcu", every script's global table, is one of them
	expect_contains "$OUT" "saved 1 scripts and 2 tables" "save's report"
	run cat "$saved/xdplua.conf"
	expect_contains "$OUT" "table blocked --max 128" "saved table"
	expect_contains "$OUT" "table rcu --max" "saved table"
	expect_contains "$OUT" "script counter scripts/counter/counter.lua -F count_only --fallback pass" "saved script"
	expect_contains "$OUT" "--mem-budget 4194304" "saved budget"
	expect_contains "$OUT" "attach counter b0 --mode native" "saved attachment"

	# from scratch: the saved configuration gives the same state
	cleanup_scripts
	run xdplua_b table destroy blocked
	run xdplua_b apply --config "$saved"
	expect_eq "$(stat counter entry mem_budget)" "count_only 4194304" "restored script"
	run xdplua_b status counter
	expect_contains "$OUT" "b0 (native)" "restored attachment"
	run xdplua_b table get blocked 198.51.100.1 -j
	expect_contains "$OUT" '"value":true' "restored entry"
	expect_fail xdplua_b table get blocked temp
	run xdplua_b apply --config "$saved"
	expect_eq "$OUT" "nothing to change" "applying what was saved again"
}

test_save_refuses_a_script_it_has_no_source_for() {
	run xdplua_b -L examples/udp-drop.lua b0
	in_b rm -rf /run/xdplua
	expect_fail xdplua_b save --config "$T/saved"
	expect_contains "$OUT" "script udp-drop: its files are unknown" "message"
	[ ! -e "$T/saved/xdplua.conf" ] || fail "a partial configuration was written"
}
