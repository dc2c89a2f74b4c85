#!/bin/bash
# Cost of a Lua callback against plain eBPF, per packet, measured with
# BPF_PROG_TEST_RUN (bpftool prog run ... repeat N) on the same 60-byte
# UDP packet, all in one VM run. Only the ratios mean something under TCG.
#
#   tests/vm/run -- bench/callbacks.sh [REPEAT]      (or: make bench)
set -eu
cd "$(dirname "$0")/.."
REPEAT=${1:-100000}
XDPLUA=$PWD/build/bin/xdplua
W=$(mktemp -d)

# Ethernet / IPv4 / UDP 10.0.0.1:12345 -> 10.0.0.2:53, 18 bytes of payload
printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x2e\x00\x00\x40\x00\x40\x11\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02\x30\x39\x00\x35\x00\x1a\x00\x00xdplua-benchmark!!' > "$W/pkt"

# the callbacks: bench/lua/*.lua (make bench-native runs the same ones natively)
for s in drop parse views reply table; do
	cp "bench/lua/$s.lua" "$W/lua_$s.lua"
done

bpftool prog load build/bpf/trivial_drop.bpf.o /sys/fs/bpf/bench_drop

# ns/packet of a program id
measure() {
	bpftool prog run "$@" data_in "$W/pkt" repeat "$REPEAT" 2>&1 |
		sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p'
}

# Three rounds, programs interleaved; the best of the three counts (other
# load on the host only ever makes a round slower).
declare -A ns ids
for s in lua_drop lua_parse lua_views lua_reply lua_table; do
	"$XDPLUA" load "$W/$s.lua" >/dev/null
done
i=0
for s in lua_drop lua_parse lua_views lua_reply lua_table; do
	# one dispatcher per script, each on its own interface
	i=$((i + 1))
	ip link add bench$i type veth peer name bench$i.peer
	"$XDPLUA" attach "$s" bench$i >/dev/null
	ids[$s]=$(ip -j link show bench$i | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')
done
best() { if [ -z "${ns[$1]:-}" ] || [ "$2" -lt "${ns[$1]}" ]; then ns[$1]=$2; fi; }
for round in 1 2 3; do
	best ebpf_drop "$(measure pinned /sys/fs/bpf/bench_drop)"
	for s in lua_drop lua_parse lua_views lua_reply lua_table; do
		best $s "$(measure id "${ids[$s]}")"
	done
done
ebpf=${ns[ebpf_drop]}

printf '\nBPF_PROG_TEST_RUN, %d repeats, 60-byte UDP packet, kernel %s, %d CPUs\n\n' \
	"$REPEAT" "$(uname -r)" "$(nproc)"
printf '%-12s %-44s %10s %8s\n' program "what it does" ns/packet "x eBPF"
printf '%-12s %-44s %10s %8s\n' ------- ------------ --------- ------
row() {
	printf '%-12s %-44s %10d %8s\n' "$1" "$2" "${ns[$1]}" \
		"$(awk -v a="${ns[$1]}" -v b="$ebpf" 'BEGIN { printf "%.1f", a / b }')"
}
row ebpf_drop "eBPF: return XDP_DROP"
row lua_drop "Lua: return xdp.DROP"
row lua_parse "Lua: parse Ethernet/IPv4/UDP, drop"
row lua_views "Lua: the same with header views"
row lua_reply "Lua: pkt:udp_reply (swap, checksums, TX)"
row lua_table "Lua: shared table t:add(k, 1), drop"
for i in 1 2 3 4 5; do ip link del bench$i; done
for s in lua_drop lua_parse lua_views lua_reply lua_table; do
	"$XDPLUA" unload "$s" >/dev/null
done
rm -rf "$W" /sys/fs/bpf/bench_drop
