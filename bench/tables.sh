#!/bin/bash
# Cost of the shared tables (docs/tables.md), in ns per packet, measured
# with BPF_PROG_TEST_RUN (`xdplua run --repeat N`, the dispatcher calling
# the script) in one VM run, next to a plain Lua callback:
#
#   bench/tables.sh [--repeat N]       (boots the VM; run `make all` first)
#
# Prints a table: ns per packet of each callback, and the difference to the
# plain callback (the cost of the table operation itself). TCG timings:
# only the ratios within one run mean something.
set -eu
cd "$(dirname "$0")/.."
REPEAT=100000
[ "${1:-}" = --repeat ] && REPEAT=$2
if [ -z "${XDPLUA_VM:-}" ]; then
	exec tests/vm/run --timeout 1200 -- bench/tables.sh --repeat "$REPEAT"
fi

XDPLUA=$PWD/build/bin/xdplua
D=$(mktemp -d)
python3 tests/mkpcap.py "$D/udp.pcap" udp:9000:hello >/dev/null

# name|table setup (main chunk)|callback body
CASES=(
	"plain DROP||"
	"t[k] read (int value)|t.hits = 1|local v = t.hits"
	"t[k] read (64-byte string)|t.s = string.rep('x', 64)|local v = t.s"
	"t[k] read, missing key||local v = t.nothing"
	"t[i] read (integer key)|t[7] = 1|local v = t[7]"
	"t:add(k, 1)||t:add('n', 1)"
	"t[k] = n (integer, in place)|t.v = 0|t.v = 5"
	"t[k] = s (string, new entry)||t.s = 'value'"
)

run_case() {	# NAME SETUP BODY -> ns per packet
	cat > "$D/b.lua" <<LUA
local t = xdp.table("bench")
$2
function callback(p)
	$3
	return xdp.DROP
end
LUA
	"$XDPLUA" table flush bench 2>/dev/null || true
	"$XDPLUA" run "$D/b.lua" --pcap "$D/udp.pcap" --repeat "$REPEAT" -j |
		python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["ns"])'
}

printf '%-32s %10s %12s\n' "callback ($REPEAT runs)" "ns/packet" "table cost"
base=
for c in "${CASES[@]}"; do
	IFS='|' read -r name setup body <<<"$c"
	ns=$(run_case "$name" "$setup" "$body")
	[ -n "$base" ] || base=$ns
	printf '%-32s %10s %12s\n' "$name" "$ns" "$((ns - base))"
done
"$XDPLUA" table destroy bench >/dev/null 2>&1 || true
rm -rf "$D"
