#!/bin/bash
# Cost of a Lua callback against plain eBPF, per packet, measured with
# BPF_PROG_TEST_RUN (bpftool prog run ... repeat N) on the same 60-byte
# UDP packet, all in one VM run. Only the ratios mean something under TCG.
#
#   tests/vm/run -- bench/callbacks.sh [REPEAT [ROUNDS]]     (or: make bench)
#
# Every program runs once per round, rounds interleaved (so that a slow
# stretch of the host, shared under TCG, hits every row alike); a row's
# figure is the median of its rounds, and its ratio is to the median of the
# eBPF XDP_DROP rounds. The same rows as the native benchmark (make
# bench-native) but its DNS row: a test run repeats on the same frame, and a
# DNS answer is no longer a query. Prints a table and writes it as Markdown
# to build/bench/callbacks.md (bench/plot.py draws build/bench/*.png).
#
# On a loaded host the rounds of a TCG guest vary several-fold; booted with
# XDPLUA_VM_QEMU_ARGS="-icount shift=0" (make bench BENCH_QEMU_ARGS=...),
# the guest's clock counts its instructions, one nanosecond each, and the
# figures repeat to about 1 %: a cost in guest instructions, the same for
# every run, not a time.
set -eu
cd "$(dirname "$0")/.."
REPEAT=${1:-100000}
ROUNDS=${2:-7}
XDPLUA=$PWD/build/bin/xdplua
OUT=build/bench/callbacks.md
W=$(mktemp -d)
mkdir -p build/bench

# Ethernet / IPv4 / UDP 10.0.0.1:12345 -> 10.0.0.2:53, 18 bytes of payload
printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x2e\x00\x00\x40\x00\x40\x11\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02\x30\x39\x00\x35\x00\x1a\x00\x00xdplua-benchmark!!' > "$W/pkt"

# name|what it does|eBPF object, or the Lua callback in bench/lua/
ROWS=(
	"ebpf_drop|eBPF: return XDP_DROP|build/bpf/trivial_drop.bpf.o"
	"ebpf_parse|eBPF: parse Ethernet/IPv4/UDP, drop|build/bpf/parse_drop.bpf.o"
	"lua_drop|Lua: return xdp.DROP|bench/lua/drop.lua"
	"lua_drop_local|Lua: return DROP (local DROP = xdp.DROP at load)|bench/lua/drop_local.lua"
	"lua_parse|Lua: parse Ethernet/IPv4/UDP, drop|bench/lua/parse.lua"
	"lua_views|Lua: the same with header views|bench/lua/views.lua"
	"lua_views_local|Lua: the same, layouts bound at load|bench/lua/views_local.lua"
	"lua_unpack|Lua: the same with pkt:unpack|bench/lua/unpack.lua"
	"lua_reply|Lua: pkt:udp_reply (swap, checksums, TX)|bench/lua/reply.lua"
	"lua_table|Lua: shared table t:add(k, 1), drop|bench/lua/table.lua"
)

declare -A prog what
names=()
i=0
for r in "${ROWS[@]}"; do
	IFS='|' read -r name desc file <<<"$r"
	names+=("$name")
	what[$name]=$desc
	case $file in
	*.bpf.o)
		bpftool prog load "$file" "/sys/fs/bpf/bench_$name"
		prog[$name]="pinned /sys/fs/bpf/bench_$name"
		;;
	*.lua)
		# one dispatcher per script, each on its own interface
		i=$((i + 1))
		cp "$file" "$W/$name.lua"
		"$XDPLUA" load "$W/$name.lua" >/dev/null
		ip link add bench$i type veth peer name bench$i.peer
		"$XDPLUA" attach "$name" bench$i >/dev/null
		prog[$name]="id $(ip -j link show bench$i | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')"
		;;
	esac
done
nlua=$i

# ns/packet of a program ("pinned PATH" or "id ID")
measure() {
	# shellcheck disable=SC2086
	bpftool prog run $1 data_in "$W/pkt" repeat "$REPEAT" 2>&1 |
		sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p'
}

for round in $(seq 1 "$ROUNDS"); do
	for name in "${names[@]}"; do
		echo "$name $(measure "${prog[$name]}")"
	done
done > "$W/raw"

# medians, ratios, the table (stdout and Markdown)
{
	printf 'BPF_PROG_TEST_RUN, %d repeats, 60-byte UDP packet; median of %d interleaved\n' "$REPEAT" "$ROUNDS"
	printf 'rounds; x eBPF: to the median of eBPF XDP_DROP. Kernel %s under qemu TCG, %d vCPUs, %s.\n\n' \
		"$(uname -r)" "$(nproc)" "$(date -u +%Y-%m-%d)"
	for name in "${names[@]}"; do printf '%s|%s\n' "$name" "${what[$name]}"; done |
		python3 -c '
import statistics, sys
raw = {}
for l in open(sys.argv[1]):
    n, v = l.split()
    raw.setdefault(n, []).append(int(v))
med = {n: statistics.median(v) for n, v in raw.items()}
print("| program | what it does | ns/packet | x eBPF drop | rounds (min-max) |")
print("| --- | --- | ---: | ---: | ---: |")
for l in sys.stdin:
    n, what = l.rstrip("\n").split("|", 1)
    print("| %s | %s | %.0f | %.1f | %d-%d |" % (n, what, med[n], med[n] / med["ebpf_drop"],
          min(raw[n]), max(raw[n])))
' "$W/raw"
} | tee "$OUT"
echo "(also in $OUT)" >&2

for i in $(seq 1 "$nlua"); do ip link del bench$i; done
for name in "${names[@]}"; do
	case $name in
	lua_*) "$XDPLUA" unload "$name" >/dev/null ;;
	*) rm -f "/sys/fs/bpf/bench_$name" ;;
	esac
done
rm -rf "$W"
