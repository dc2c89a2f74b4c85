#!/bin/bash
# perf prints "qps lost", split into two columns on purpose:
# shellcheck disable=SC2046
# Queries per second of the DNS cache (examples/dns/dns.lua) measured with
# dnsperf from the client namespace of examples/dns/topology.sh, every case
# in the same VM run:
#
#   bench/dns.sh [--seconds N]       (boots the VM; run `make all` first)
#
#   upstream, no XDP      dnsmasq answers; dns.lua not attached (routing only)
#   upstream, eBPF XDP_PASS  the same with an eBPF XDP_PASS program on both
#                         router veths (the cost of XDP on veth itself)
#   miss through dns.lua  dnsmasq answers NXDOMAIN; dns.lua parses the query
#                         and the answer on the router and passes both
#   hit, XDP answers      the name is cached: dns.lua answers from r0 (XDP_TX)
#   floor: fixed answer   a 10-line Lua script on r0 answers every query with
#                         the same bytes (what XDP_TX + dnsperf cost here)
#
# TCG timings: only the ratios within one run mean something.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER_CASE=10
[ "${1:-}" = --seconds ] && SECONDS_PER_CASE=$2
if [ -z "${XDPLUA_VM:-}" ]; then
	exec tests/vm/run --timeout 1200 -- bench/dns.sh --seconds "$SECONDS_PER_CASE"
fi
. tests/lib.sh
hold_static_keys >/dev/null 2>&1
. examples/dns/topology.sh
D=$(mktemp -d)
dns_topo_up
dns_upstream_start "$D/upstream.log" --quiet
trap 'dns_detach >/dev/null; dns_topo_down' EXIT

perf() {	# NAME QUERY-LINE -> "qps lost"
	echo "$2" > "$D/q.txt"
	in_client dnsperf -s $DNS_UPSTREAM_IP -d "$D/q.txt" -l "$SECONDS_PER_CASE" \
		-q 20 -t 2 > "$D/out.txt" 2>&1 || true
	awk '/Queries per second/ {q = int($4)} /Queries lost/ {l = $3} END {print q, l}' "$D/out.txt"
}

tx() { "$DNS_XDPLUA" status -j | python3 -c '
import json, sys
d = json.load(sys.stdin); d = d["scripts"] if isinstance(d, dict) else d
print(sum(s["stats"]["tx"] for s in d if s["name"] == "dns"))'; }

row() { printf '%-26s %12s %10s %14s\n' "$@"; }
echo "dnsperf, $SECONDS_PER_CASE s per case, 20 queries outstanding, kernel $(uname -r), $(nproc) vCPUs (TCG)"
row case queries/s lost "answered by"
row "upstream, no XDP" $(perf upstream "www.example.test A") dnsmasq
for i in r0 r1; do ip -n dns-router link set $i xdp obj build/bpf/trivial_pass.bpf.o sec xdp; done
row "upstream, eBPF XDP_PASS" $(perf upstream "www.example.test A") dnsmasq
for i in r0 r1; do ip -n dns-router link set $i xdp off; done
dns_attach >/dev/null
row "miss through dns.lua" $(perf miss "nope.example.test A") dnsmasq
in_client dig @$DNS_UPSTREAM_IP +short www.example.test >/dev/null
tx0=$(tx)
set -- $(perf hit "www.example.test A")
row "hit, XDP answers" "$1" "$2" "XDP ($(( $(tx) - tx0 )) TX)"

dns_detach >/dev/null
cat > "$D/fixed.lua" <<'LUA'
-- answer any query to port 53 with one A record, no parsing
function callback(pkt)
	if #pkt < 62 or pkt:u16(12) ~= 0x0800 or pkt:u16(36) ~= 53 then return end
	local q = pkt:bytes(42)
	return pkt:udp_reply(q:sub(1, 2) .. "\x81\x80\0\1\0\1\0\0\0\0" .. q:sub(13)
		.. "\xc0\x0c\0\1\0\1\0\0\1\x2c\0\4\x0a\x35\x09\x01")
end
LUA
in_router "$DNS_XDPLUA" -L "$D/fixed.lua" r0 >/dev/null
row "floor: fixed answer" $(perf fixed "www.example.test A") "XDP (fixed.lua)"
in_router "$DNS_XDPLUA" -d r0 >/dev/null
