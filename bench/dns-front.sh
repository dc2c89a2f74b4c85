#!/bin/bash
# What an eBPF front saves: examples/dns/dns.lua behind the default
# dispatcher (every packet enters Lua) and behind examples/dns/dns_front.bpf.c
# (only IPv4 UDP to or from port 53 does), per packet kind and on a mix of
# 90 % other traffic and 10 % DNS, with a plain eBPF XDP_PASS as the floor.
#
#   bench/dns-front.sh [REPEAT [ROUNDS]]     (boots the VM; run `make all` first)
#
# BPF_PROG_TEST_RUN (bpftool prog run ... repeat N) on the programs xdplua
# attached to two veths, every program and packet once per round, rounds
# interleaved, medians. A test run repeats on the same frame, so the DNS
# packet is a query dns.lua passes (a name it does not know: the parse, the
# cache lookup and the pending entry of a miss); a cache hit would turn the
# frame into an answer after the first run. The mix is computed from the
# per-kind medians: 90 % split evenly between TCP, UDP to 443 and ICMP.
# Writes build/bench/dns-front.md.
set -eu
cd "$(dirname "$0")/.."
REPEAT=${1:-20000}
ROUNDS=${2:-5}
if [ -z "${XDPLUA_VM:-}" ]; then
	exec tests/vm/run --timeout 1800 -- bench/dns-front.sh "$REPEAT" "$ROUNDS"
fi
XDPLUA=$PWD/build/bin/xdplua
OUT=build/bench/dns-front.md
W=$(mktemp -d)
mkdir -p build/bench

# the packets: from a client 10.53.1.2 to the DNS server 10.53.2.53
python3 - "$W" <<'PY'
import struct, sys
d = sys.argv[1]
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b + b"\0" * (len(b) % 2)))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ipv4(proto, l4):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0x4000, 64, proto, 0,
                    bytes([10, 53, 1, 2]), bytes([10, 53, 2, 53]))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + h + l4
def udp(dport, payload):
    return struct.pack("!HHHH", 40000, dport, 8 + len(payload), 0) + payload
name = b"".join(bytes([len(p)]) + p for p in b"nope.example.test".split(b".")) + b"\0"
query = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + name + struct.pack("!HH", 1, 1)
pkts = {
    "tcp": ipv4(6, struct.pack("!HHIIBBHHH", 40000, 80, 1, 0, 0x50, 0x02, 64240, 0, 0)),
    "udp443": ipv4(17, udp(443, b"q" * 100)),
    "icmp": ipv4(1, struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"ping" * 8),
    "dns": ipv4(17, udp(53, query)),
}
for k, v in pkts.items():
    open(f"{d}/{k}", "wb").write(v)
PY
KINDS=(tcp udp443 icmp dns)

"$XDPLUA" load examples/dns/dns.lua >/dev/null
"$XDPLUA" table set dns.config upstream 10.53.2.53 >/dev/null
ip link add bfront0 type veth peer name bfront0.peer
ip link add bfront1 type veth peer name bfront1.peer
"$XDPLUA" attach dns bfront0 >/dev/null
"$XDPLUA" attach dns bfront1 --prog build/bpf/dns_front.bpf.o >/dev/null
bpftool prog load build/bpf/trivial_pass.bpf.o /sys/fs/bpf/bench_pass
prog_of() { ip -j link show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])'; }
declare -A prog=([ebpf_pass]="pinned /sys/fs/bpf/bench_pass"
	[default]="id $(prog_of bfront0)" [front]="id $(prog_of bfront1)")
NAMES=(ebpf_pass default front)
declare -A what=([ebpf_pass]="eBPF XDP_PASS (no Lua)"
	[default]="dns.lua behind the default dispatcher"
	[front]="dns.lua behind dns_front.bpf.o")

for round in $(seq 1 "$ROUNDS"); do
	for name in "${NAMES[@]}"; do
		for k in "${KINDS[@]}"; do
			# shellcheck disable=SC2086
			ns=$(bpftool prog run ${prog[$name]} data_in "$W/$k" repeat "$REPEAT" 2>&1 |
				sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p')
			echo "$name $k $ns"
		done
	done
done > "$W/raw"
runs=$("$XDPLUA" status dns -j | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats"]["runs"])')

{
	printf 'BPF_PROG_TEST_RUN, %d repeats per packet, median of %d interleaved rounds, ns/packet.\n' "$REPEAT" "$ROUNDS"
	printf 'Mix: 90 %% TCP/UDP 443/ICMP (evenly), 10 %% DNS queries. Kernel %s under qemu TCG, %d vCPUs, %s.\n\n' \
		"$(uname -r)" "$(nproc)" "$(date -u +%Y-%m-%d)"
	for name in "${NAMES[@]}"; do printf '%s|%s\n' "$name" "${what[$name]}"; done |
		python3 -c '
import statistics, sys
raw = {}
for l in open(sys.argv[1]):
    n, k, v = l.split()
    raw.setdefault((n, k), []).append(int(v))
med = {key: statistics.median(v) for key, v in raw.items()}
kinds = ["tcp", "udp443", "icmp", "dns"]
mix = {}
print("| program | what | TCP | UDP 443 | ICMP | DNS query | mix 90/10 | x default |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
rows = [l.rstrip("\n").split("|", 1) for l in sys.stdin]
for n, _ in rows:
    mix[n] = 0.3 * (med[(n, "tcp")] + med[(n, "udp443")] + med[(n, "icmp")]) + 0.1 * med[(n, "dns")]
for n, what in rows:
    print("| %s | %s | %s | %.0f | %.3f |" % (n, what, " | ".join("%.0f" % med[(n, k)] for k in kinds),
          mix[n], mix[n] / mix["default"]))
' "$W/raw"
} | tee "$OUT"
echo "(also in $OUT; dns.lua ran $runs times)" >&2

"$XDPLUA" -d bfront0 >/dev/null
"$XDPLUA" -d bfront1 >/dev/null 2>&1 || true
"$XDPLUA" unload dns >/dev/null 2>&1 || true
ip link del bfront0
ip link del bfront1
rm -f /sys/fs/bpf/bench_pass
rm -rf "$W"
