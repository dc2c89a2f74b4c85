# Kernel tests: shared tables (docs/tables.md): the Lua API, the CLI
# (xdplua table ...), concurrency on 2 CPUs, TTL, limits, lifetime.

teardown() {
	in_b "$XDPLUA" -d b0 2>/dev/null || true
	for s in $("$XDPLUA" status -j | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(s["name"] for s in (d["scripts"] if isinstance(d, dict) else d)))'); do
		"$XDPLUA" unload "$s" || true
	done
	for t in $("$XDPLUA" table list -j | python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin)))'); do
		"$XDPLUA" table destroy "$t" || true
	done
	topo_down
}

# lua_ok NAME 'CODE': load CODE as script NAME; its main chunk must run
# (it runs once per CPU: keep it idempotent)
lua_ok() {
	printf '%s\nfunction callback() end\n' "$2" > "$T/$1.lua"
	run "$XDPLUA" load "$T/$1.lua"
}

# table_field NAME FIELD: from `xdplua table list -j` ("absent" if no table)
table_field() {
	"$XDPLUA" table list -j | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["name"] == sys.argv[1]:
        print(t[sys.argv[2]]); break
else:
    print("absent")' "$1" "$2"
}

test_table_lua_api() {
	lua_ok api 'local t = xdp.table("api")
t.s = "str"; t[7] = 70; t.b = true; t.f = false
assert(t.s == "str" and t[7] == 70 and t.b == true and t.f == false)
assert(t:get("s") == "str" and t.missing == nil)
assert(t["7"] == nil, "integer and string keys are different keys")
t.c = nil; assert(t:add("c", 5) == 5 and t:add("c", -2) == 3 and t.c == 3)
local ok, e = pcall(t.add, t, "s", 1)
assert(not ok and e:find("not an integer"), e)
t.s = 42; assert(t.s == 42); t.s = "back"; assert(t.s == "back")
t[7] = nil; assert(t[7] == nil and not t:del(7))
assert(#t == 4 and t:count() == 4, #t)
local n, seen = 0, {}
for k, v in pairs(t) do n = n + 1; seen[k] = v end
assert(n == 4 and seen.s == "back" and seen.c == 3 and seen.b == true and seen.f == false)
assert(rcu:name() == "rcu" and xdp.table():name() == "rcu")
rcu.shared = 1; assert(xdp.table("rcu").shared == 1)
assert(tostring(t):find("xdplua.table"))'
	run "$XDPLUA" table get api c
	expect_eq "$OUT" 3 "Lua add seen from userspace"
	run "$XDPLUA" table get api s
	expect_eq "$OUT" back "Lua string seen from userspace"
}

test_table_bad_keys_and_values_are_lua_errors() {
	lua_ok bad 'local t = xdp.table("bad")
local function err(f, what)
	local ok, e = pcall(f); assert(not ok and e:find(what, 1, true), tostring(e))
end
err(function() t.x = {} end, "table value must be an integer, a string or a boolean, not table")
err(function() t.x = print end, "not function")
err(function() t[{}] = 1 end, "table key must be an integer or a string")
err(function() return t[true] end, "table key must be")
err(function() t[""] = 1 end, "1 to 255 bytes")
err(function() t[string.rep("k", 256)] = 1 end, "1 to 255 bytes")
err(function() t.x = string.rep("v", 1025) end, "too long")
t.x = string.rep("v", 1024); assert(#t.x == 1024)
err(function() t:set("y", 1, -1) end, "ttl")
err(function() t:add("y", "one") end, "number expected")
err(function() xdp.table("bad name") end, "table name")
err(function() xdp.table(string.rep("n", 32)) end, "table name")'
	# in the packet path: the packet gets the fallback, the error is counted
	topo_up
	printf 'local t = xdp.table("bad")\nfunction callback(p)\n  if p:u8(23) == 17 then t.x = {} end\n  return xdp.DROP\nend\n' > "$T/badpkt.lua"
	run in_b "$XDPLUA" -L "$T/badpkt.lua" b0
	expect_eq "$(udp_count 5)" 5 "UDP passed by the fallback after the Lua error"
	expect_ge "$(stat badpkt errors)" 5 "errors counted"
	expect_contains "$(stat badpkt last_error)" "table value must be" "last error"
	printf 'local t\nfunction callback(p)\n  t = t or xdp.table("late")\nend\n' > "$T/late.lua"
	run in_b "$XDPLUA" -d b0
	run in_b "$XDPLUA" -L "$T/late.lua" b0
	udp_count 2 >/dev/null
	expect_contains "$(stat late last_error)" "load time" "xdp.table() in the packet path"
}

# Two CPUs, one counter: every packet of both senders is counted once.
test_table_two_cpus_count_every_packet() {
	local n=3000 sent
	topo_up
	sysctl -qw net.core.netdev_max_backlog=100000
	cat > "$T/count.lua" <<'EOF'
local c = xdp.table("count")
local seen = 0		-- this CPU's own count (a per-CPU global)
function callback(p)
	if #p >= 38 and p:u8(23) == 17 and p:u16(36) == 9000 then
		c:add("n", 1)
		c:add("cpu" .. xdp.cpu(), 1)
		seen = seen + 1
		c["seen" .. xdp.cpu()] = seen
	end
	return xdp.DROP
end
EOF
	# generic XDP: each packet is handled on the CPU that sent it
	run in_b "$XDPLUA" -L "$T/count.lua" --mode skb b0
	cat > "$T/send.py" <<EOF
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"count me", ("$B_IP", 9000))
EOF
	taskset -c 0 ip netns exec xl-a python3 "$T/send.py" $n &
	taskset -c 1 ip netns exec xl-a python3 "$T/send.py" $n &
	wait
	sleep 1
	run in_b "$XDPLUA" table dump count
	echo "$OUT"
	sent=$((2 * n))
	run in_b "$XDPLUA" table get count n
	expect_eq "$OUT" "$sent" "packets counted by t:add from both CPUs"
	c0=$(in_b "$XDPLUA" table get count cpu0) c1=$(in_b "$XDPLUA" table get count cpu1)
	s0=$(in_b "$XDPLUA" table get count seen0) s1=$(in_b "$XDPLUA" table get count seen1)
	expect_ge "$c0" 1 "packets counted on CPU 0"
	expect_ge "$c1" 1 "packets counted on CPU 1"
	expect_eq "$((s0 + s1))" "$sent" "per-CPU Lua counts"
	expect_eq "$c0" "$s0" "CPU 0's adds"
}

test_table_userspace_set_changes_next_verdict() {
	topo_up
	cat > "$T/policy.lua" <<'EOF'
local policy = xdp.table("policy")
function callback(p)
	if p:u8(23) == 17 and policy.block_udp then return xdp.DROP end
	return xdp.PASS
end
EOF
	run in_b "$XDPLUA" -L "$T/policy.lua" b0
	expect_eq "$(udp_count 5)" 5 "UDP before the rule"
	run in_b "$XDPLUA" table set policy block_udp true --bool
	expect_eq "$(udp_count 5)" 0 "UDP right after 'table set'"
	run in_b "$XDPLUA" table set policy block_udp false --bool
	expect_eq "$(udp_count 5)" 5 "UDP after the rule is switched off"
	run in_b "$XDPLUA" table set policy block_udp 1 --bool
	expect_eq "$(udp_count 3)" 0 "UDP with the rule on again"
	run in_b "$XDPLUA" table del policy block_udp
	expect_eq "$(udp_count 5)" 5 "UDP after 'table del'"
}

test_table_ttl_expiry() {
	run "$XDPLUA" table set ttl k v --ttl 3
	run "$XDPLUA" table set ttl forever 1
	run "$XDPLUA" table set ttl k2 5 --ttl 1
	run "$XDPLUA" table get -j ttl k
	expect_contains "$OUT" '{"key":"k","type":"str","value":"v","ttl":' "get -j"
	case "$OUT" in *'"ttl":1}'*|*'"ttl":2}'*|*'"ttl":3}'*) ;; *) fail "remaining TTL: $OUT" ;; esac
	lua_ok ttlcheck 'local t = xdp.table("ttl")
assert(t.k == "v" and t:ttl("k") >= 1 and t:ttl("k") <= 3, t:ttl("k"))
assert(t:ttl("forever") == -1 and t:ttl("nothing") == nil)
t:set("lua", 1, 2); assert(t:ttl("lua") == 2)'
	sleep 4
	expect_fail "$XDPLUA" table get ttl k
	expect_contains "$OUT" "no such key" "expired key from userspace"
	expect_fail "$XDPLUA" table get ttl lua
	run "$XDPLUA" table get ttl forever
	expect_eq "$OUT" 1 "key without TTL"
	"$XDPLUA" unload ttlcheck
	lua_ok ttlcheck2 'local t = xdp.table("ttl")
assert(t.k == nil and t:ttl("k") == nil and t.lua == nil)
local v = t:add("k2", 1); assert(v == 1 or v == 2, v)'
	run "$XDPLUA" table get ttl k2
	expect_eq "$OUT" 2 "add on an expired key starts again from 0 (2 CPUs)"
	run "$XDPLUA" table dump ttl
	expect_contains "$OUT" "forever 1" "dump"
}

test_table_full() {
	run "$XDPLUA" table create small --max 3
	run "$XDPLUA" table set small a 1
	run "$XDPLUA" table set small b 2
	run "$XDPLUA" table set small c 3
	expect_fail "$XDPLUA" table set small d 4
	expect_contains "$OUT" "table 'small' is full (3 entries)" "userspace error"
	run "$XDPLUA" table set small a 10
	lua_ok full 'local t = xdp.table("small")
t.b = 20; assert(t.b == 20, "replacing a value in a full table")
local ok, e = pcall(function() t.new = 1 end)
assert(not ok and e:find("table .small. is full %(3 entries%)"), e)
ok, e = pcall(t.add, t, "new", 1)
assert(not ok and e:find("is full"), e)
assert(#t == 3)'
	run "$XDPLUA" table del small c
	run "$XDPLUA" table set small d 4
	expect_eq "$(table_field small entries)" 3 "entries"
	expect_eq "$(table_field small max)" 3 "max"
	expect_fail "$XDPLUA" table create small
	expect_contains "$OUT" "exists" "create twice"
	expect_fail "$XDPLUA" table create huge --max 99999999
	expect_contains "$OUT" "invalid --max" "--max out of range"
}

test_table_long_and_near_equal_keys_never_collide() {
	lua_ok keys 'local t = xdp.table("keys")
local long = string.rep("k", 254)
local keys = {long .. "a", long .. "b", string.rep("k", 255), long, "a", "a\0", "a\0\0",
	"\0", "1", 1, 0, 4294967296, -1, 4294967297, math.mininteger,
	math.maxinteger, "ab", "ba"}
for i, k in ipairs(keys) do t[k] = i end
for i, k in ipairs(keys) do assert(t[k] == i, ("key %d"):format(i)) end
local n = 0
for k in pairs(t) do n = n + 1 end
assert(n == #keys and #t == #keys, n)
-- many keys of the same length that differ in one byte
for i = 1, 2000 do t[long:sub(1, 250) .. ("%05d"):format(i)] = i end
for i = 1, 2000 do assert(t[long:sub(1, 250) .. ("%05d"):format(i)] == i) end
for i = 1, 2000 do t[long:sub(1, 250) .. ("%05d"):format(i)] = nil end'
	k254=$(printf 'k%.0s' $(seq 254))
	run "$XDPLUA" table get keys "${k254}a"
	expect_eq "$OUT" 1 "255-byte key from userspace"
	run "$XDPLUA" table get keys "${k254}b"
	expect_eq "$OUT" 2 "near-equal 255-byte key"
	run "$XDPLUA" table get keys 1
	expect_eq "$OUT" 10 "integer key 1"
	run "$XDPLUA" table get keys 1 --skey
	expect_eq "$OUT" 9 "string key \"1\""
	expect_fail "$XDPLUA" table set keys "${k254}ab" 1
	expect_contains "$OUT" "1 to 255 bytes" "key too long"
}

test_table_destroy_frees_memory() {
	local base full
	run "$XDPLUA" table create mem --max 5000
	base=$(table_field mem bytes)
	seq 1 4000 | sed 's/.*/k& a-string-value-of-some-length-&/' > "$T/entries"
	echo "# a comment" >> "$T/entries"
	run "$XDPLUA" table load mem "$T/entries"
	expect_contains "$OUT" "4000 entries loaded" "load"
	full=$(table_field mem bytes)
	expect_eq "$(table_field mem entries)" 4000 "entries"
	expect_ge "$((full - base))" $((4000 * 64)) "bytes held by 4000 entries"
	run "$XDPLUA" table flush mem
	expect_eq "$(table_field mem bytes)" "$base" "bytes after flush"
	run "$XDPLUA" table load mem "$T/entries"
	# a script holds a table as long as it keeps a handle on it
	lua_ok holder 'local mem = xdp.table("mem")
assert(mem.k17 == "a-string-value-of-some-length-17")
function held() return mem end'
	expect_fail "$XDPLUA" table destroy mem
	expect_contains "$OUT" "in use by loaded scripts" "destroy while a script holds it"
	run "$XDPLUA" unload holder
	slab_before=$(awk '/^Slab:/ {print $2}' /proc/meminfo)
	run "$XDPLUA" table destroy mem
	expect_eq "$(table_field mem bytes)" absent "table gone"
	sleep 2
	slab_after=$(awk '/^Slab:/ {print $2}' /proc/meminfo)
	echo "slab: $slab_before kB -> $slab_after kB"
	expect_ge "$((slab_before - slab_after))" 200 "kB of slab returned by destroy"
	expect_fail "$XDPLUA" table dump mem
	expect_contains "$OUT" "no table 'mem'" "dump after destroy"
}

test_table_survives_reload_and_unload() {
	printf 'local t = xdp.table("life")\nt:add("loads", 1)\nfunction callback() return t.x end\n' > "$T/life.lua"
	run "$XDPLUA" load "$T/life.lua"
	run "$XDPLUA" table set life kept "from userspace"
	run "$XDPLUA" load "$T/life.lua"
	run "$XDPLUA" table get life loads
	expect_eq "$OUT" 4 "main chunk ran on 2 CPUs, twice"
	run "$XDPLUA" table get life kept
	expect_eq "$OUT" "from userspace" "value kept across a reload"
	expect_eq "$(table_field life users)" 2 "handles: one per CPU of the new script"
	run "$XDPLUA" unload life
	expect_eq "$(table_field life users)" 0 "handles after unload"
	run "$XDPLUA" table get life kept
	expect_eq "$OUT" "from userspace" "value kept after unload"
}

test_table_two_scripts_share_a_table() {
	printf 'local t = xdp.table("both")\nt:add("loads", 1)\nt["by_" .. SCRIPT] = true\nfunction callback() return t.x end\n' > "$T/tmpl"
	{ echo 'SCRIPT = "one"'; cat "$T/tmpl"; } > "$T/one.lua"
	{ echo 'SCRIPT = "two"'; cat "$T/tmpl"; } > "$T/two.lua"
	run "$XDPLUA" load "$T/one.lua"
	run "$XDPLUA" load "$T/two.lua"
	lua_ok three 'T = xdp.table("both")
assert(T.loads == 4 and T.by_one and T.by_two)'
	expect_eq "$(table_field both users)" 6 "3 scripts on 2 CPUs"
}

test_table_cli() {
	run "$XDPLUA" table set cli 42 answer
	run "$XDPLUA" table set cli name "two words"
	run "$XDPLUA" table set cli n 7
	run "$XDPLUA" table set cli sn 7 --str
	run "$XDPLUA" table set cli on yes --bool
	run "$XDPLUA" table get cli 42
	expect_eq "$OUT" answer "integer key"
	run "$XDPLUA" table dump -j cli
	echo "$OUT" | python3 -c '
import json, sys
d = {(type(e["key"]).__name__, e["key"]): (e["type"], e["value"]) for e in json.load(sys.stdin)}
assert d[("int", 42)] == ("str", "answer"), d
assert d[("str", "name")] == ("str", "two words"), d
assert d[("str", "n")] == ("int", 7), d
assert d[("str", "sn")] == ("str", "7"), d
assert d[("str", "on")] == ("bool", True), d
assert len(d) == 5' || fail "dump -j: $OUT"
	run "$XDPLUA" table list
	expect_contains "$OUT" "cli" "list"
	expect_fail "$XDPLUA" table set cli k notanumber --int
	expect_eq "$(
		"$XDPLUA" table set cli k v --max 3 >/dev/null 2>&1
		echo $?
	)" 2 "usage error exit code"
	expect_fail "$XDPLUA" table get nosuch k
	expect_contains "$OUT" "xdplua: " "error prefix"
	expect_contains "$OUT" "no table 'nosuch'" "missing table"
	run "$XDPLUA" table flush cli
	expect_eq "$(table_field cli entries)" 0 "flush"
}
