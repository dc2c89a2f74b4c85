#!/bin/bash
# Forwarding and filtering in XDP (examples/forward/forward.lua, set up by
# xdpluatables) against the kernel's own, in packets per second, every case
# in the same VM run (examples/forward/topology.sh, a fresh one per case):
#
#   bench/forward.sh [--seconds N] [--rounds N]   (boots the VM; make all first)
#   (the tables: standard output and build/bench/forward.md)
#
# Traffic: pktgen on the client's c0, 60-byte UDP packets from 256 source
# ports (256 flows), as fast as it can; the server drops what it gets in
# XDP (an eBPF program) and counts it. Forwarding cases, counted at the
# server:
#   kernel forwarding        the router's kernel routes, no netfilter
#   kernel + iptables DNAT   iptables-legacy's nat table, conntrack
#   kernel + nftables DNAT   an nftables nat chain, conntrack
#   XDPLua DNAT              the seed's rule: xdpluatables -d 10.0.0.2 --dport
#                            2222 -p udp --to-destination 192.168.0.1:53 eth0
#   XDPLua DNAT + MASQUERADE the same and -j MASQUERADE eth1
# Drop cases, N rules "-s 10.1.X.Y -j DROP", the traffic from the last
# rule's address, counted by the dropping rule:
#   XDPLua                   xdpluatables (XDP, before the stack)
#   iptables                 iptables-legacy's raw table, PREROUTING
#   nftables                 a netdev ingress chain on eth0
#
# pktgen and the router's processing share a vCPU (veth runs the receiver
# in the sender's softirq). TCG timings: only the ratios within one run
# mean something. Medians of the rounds, cases interleaved.
set -eu
cd "$(dirname "$0")/.."
SECS=3
ROUNDS=3
FW_CASES="fw_kernel fw_iptables fw_nftables fw_xdplua fw_xdplua_masq"
DROP_CASES="xdplua iptables nftables"
LOOKUP_CASES="dnat prefix"
RULES="1 100 10000"
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECS=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	# subsets, for trying things out: --fw "fw_kernel fw_xdplua" --drop "" ...
	--fw) FW_CASES=$2; shift ;;
	--drop) DROP_CASES=$2; shift ;;
	--lookup) LOOKUP_CASES=$2; shift ;;
	--rules) RULES=$2; shift ;;
	*) echo "bench/forward.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "${XDPLUA_VM:-}" ]; then
	# the tables also go to build/bench/forward.md
	out=${BUILD:-build}/bench/forward.md
	mkdir -p "$(dirname "$out")"
	tests/vm/run --timeout 5400 -- bench/forward.sh --seconds "$SECS" --rounds "$ROUNDS" \
		--fw "$FW_CASES" --drop "$DROP_CASES" --lookup "$LOOKUP_CASES" --rules "$RULES" |
		tee "$out.tmp"
	rc=${PIPESTATUS[0]}
	[ "$rc" = 0 ] && mv "$out.tmp" "$out" && echo "bench/forward.sh: tables in $out" >&2
	exit "$rc"
fi
. tests/lib.sh
hold_static_keys >/dev/null 2>&1
FWD_RUN=$(mktemp -d)
. examples/forward/topology.sh
modprobe pktgen
IPT=iptables-legacy
trap 'fwd_topo_down >/dev/null 2>&1' EXIT

# --- traffic ----------------------------------------------------------------

pg() { fwd_client sh -c "echo '$2' > /proc/net/pktgen/$1"; }

# pktgen_start DST DPORT SRC SPORT: 256 flows from SPORT..SPORT+255
pktgen_start() {
	local mac cmd
	mac=$(fwd_router cat /sys/class/net/eth0/address)
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device c0"
	for cmd in "count 0" "clone_skb 0" "pkt_size 60" "delay 0" "dst $1" \
		"dst_mac $mac" "src_min $3" "src_max $3" "udp_src_min $4" \
		"udp_src_max $(($4 + 255))" "udp_dst_min $2" "udp_dst_max $2"; do
		pg c0 "$cmd"
	done
	fwd_client sh -c 'echo start > /proc/net/pktgen/pgctrl' &
	PKTGEN=$!
}

pktgen_stop() {
	fwd_client sh -c 'echo stop > /proc/net/pktgen/pgctrl' || true
	wait "$PKTGEN" 2>/dev/null || true
}

now_ns() { date +%s%N; }

# measure COUNTER-COMMAND -> packets per second while pktgen runs
measure() {
	local c0 c1 t0 t1
	sleep 1		# warm: flows created, neighbours resolved
	c0=$("$@")
	t0=$(now_ns)
	sleep "$SECS"
	t1=$(now_ns)
	pktgen_stop
	c1=$("$@")
	echo $(( (c1 - c0) * 1000000000 / (t1 - t0) ))
}

server_rx() { fwd_server cat /sys/class/net/s0/statistics/rx_packets; }
xdplua_drops() {
	fwd_xdplua status -j | python3 -c '
import json, sys
d = json.load(sys.stdin); d = d["scripts"] if isinstance(d, dict) else d
print(sum(s["stats"]["drop"] for s in d if s["name"] == "forward"))'
}

# a fresh topology whose server counts and drops everything in XDP (ARP
# too: the router knows its MAC address for good)
topo() {
	fwd_topo_up
	ip -n fwd-server link set s0 xdp off
	ip -n fwd-server link set s0 xdp obj build/bpf/trivial_drop.bpf.o sec xdp
	ip -n fwd-router neigh replace $FWD_SERVER_IP dev eth1 nud permanent \
		lladdr "$(fwd_server cat /sys/class/net/s0/address)"
}

# --- forwarding cases: each prints packets/s ----------------------------------

SPORT=10000
next_ports() { SPORT=$((SPORT + 256)); [ $SPORT -lt 60000 ] || SPORT=10000; }

fw_kernel() {
	topo
	pktgen_start $FWD_SERVER_IP 53 $FWD_CLIENT_IP $SPORT
	measure server_rx
}

fw_iptables() {
	topo
	fwd_router $IPT -t nat -A PREROUTING -i eth0 -d 10.0.0.2 -p udp --dport 2222 \
		-j DNAT --to-destination 192.168.0.1:53
	pktgen_start $FWD_ROUTER_IP 2222 $FWD_CLIENT_IP $SPORT
	measure server_rx
}

fw_nftables() {
	topo
	fwd_router nft -f - <<'NFT'
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		iifname "eth0" ip daddr 10.0.0.2 udp dport 2222 dnat to 192.168.0.1:53
	}
}
NFT
	pktgen_start $FWD_ROUTER_IP 2222 $FWD_CLIENT_IP $SPORT
	measure server_rx
}

fw_xdplua() {
	topo
	xdpluatables -d 10.0.0.2 --dport 2222 -p udp --to-destination 192.168.0.1:53 eth0
	pktgen_start $FWD_ROUTER_IP 2222 $FWD_CLIENT_IP $SPORT
	measure server_rx
}

fw_xdplua_masq() {
	topo
	xdpluatables -d 10.0.0.2 --dport 2222 -p udp --to-destination 192.168.0.1:53 eth0
	xdpluatables -j MASQUERADE eth1
	pktgen_start $FWD_ROUTER_IP 2222 $FWD_CLIENT_IP $SPORT
	measure server_rx
}

# --- drop cases: drop_SYSTEM N -----------------------------------------------

# the address of rule i (1-based): 10.1.X.Y
rule_addr() { echo "10.1.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; }

drop_xdplua() {
	local n=$1 i
	topo
	for i in $(seq 1 "$n"); do
		echo "-A PREROUTING -s $(rule_addr "$i")/32 -i eth0 -j DROP"
	done > "$FWD_RUN/rules"
	fwd_router build/bin/xdpluatables-restore "$FWD_RUN/rules"
	pktgen_start $FWD_ROUTER_IP 9 "$(rule_addr "$n")" $SPORT
	measure xdplua_drops
}

drop_iptables() {
	local n=$1 i
	topo
	{
		echo "*raw"
		for i in $(seq 1 "$n"); do
			echo "-A PREROUTING -s $(rule_addr "$i")/32 -i eth0 -j DROP"
		done
		echo "COMMIT"
	} > "$FWD_RUN/rules"
	fwd_router $IPT-restore < "$FWD_RUN/rules"
	pktgen_start $FWD_ROUTER_IP 9 "$(rule_addr "$n")" $SPORT
	measure ipt_last "$n"
}
ipt_last() { fwd_router $IPT -t raw -L PREROUTING "$1" -v -x -n | awk '{print $1}'; }

drop_nftables() {
	local n=$1 i
	topo
	{
		echo "table netdev filter {"
		echo "	counter last { }"
		echo "	chain ingress {"
		echo "		type filter hook ingress device eth0 priority 0;"
		for i in $(seq 1 $((n - 1))); do
			echo "		ip saddr $(rule_addr "$i") drop"
		done
		echo "		ip saddr $(rule_addr "$n") counter name last drop"
		echo "	}"
		echo "}"
	} > "$FWD_RUN/rules"
	fwd_router nft -f "$FWD_RUN/rules"
	pktgen_start $FWD_ROUTER_IP 9 "$(rule_addr "$n")" $SPORT
	measure nft_last
}
nft_last() { fwd_router nft list counter netdev filter last | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }

# --- rule lookup cost: ns per packet, forward.lua run on one packet ----------
#
# N rules; the packet matches the last one; `xdplua run forward --repeat`
# (BPF_PROG_TEST_RUN through the dispatcher, the loaded script). A TCP ACK
# to a DNAT rule's address is looked up and counted but starts no flow, so
# every run looks the rules up; a DROP packet too.

# lookup_dnat N: N exact DNAT rules (-d ADDR -p tcp --dport 80)
# lookup_prefix N: N DROP rules for /24 prefixes of the source
lookup_case() {
	local kind=$1 n=$2 i
	topo
	{
		echo "-A PREROUTING -s 10.9.9.9/32 -i eth0 -j DROP"
		for i in $(seq 1 "$n"); do
			if [ "$kind" = dnat ]; then
				echo "-A PREROUTING -d $(rule_addr "$i")/32 -p tcp --dport 80 -j DNAT --to-destination 192.168.0.1:8080"
			else
				echo "-A PREROUTING -s 10.$((20 + i / 250)).$((i % 250)).0/24 -j DROP"
			fi
		done
	} > "$FWD_RUN/rules"
	fwd_router build/bin/xdpluatables-restore "$FWD_RUN/rules"
	python3 - "$kind" "$(rule_addr "$n")" "10.$((20 + n / 250)).$((n % 250)).7" "$FWD_RUN/pkt.pcap" <<'PY'
import struct, sys
sys.path.insert(0, "tests")
import mkpcap
kind, dnat_dst, drop_src, out = sys.argv[1:]
ip = lambda a: bytes(int(x) for x in a.split("."))
if kind == "dnat":
    # TCP ACK 10.0.0.1:1234 -> dnat_dst:80 (checksum not checked by the lookup)
    tcp = struct.pack("!HHIIBBHHH", 1234, 80, 1, 1, 0x50, 0x10, 65535, 0, 0)
    pkt = mkpcap.eth(mkpcap.ipv4(6, tcp, dst=ip(dnat_dst)))
else:
    pkt = mkpcap.eth(mkpcap.ipv4(17, mkpcap.udp(b"drop me", src=ip(drop_src)), src=ip(drop_src)))
mkpcap.write_pcap(out, [pkt])
PY
	fwd_xdplua run forward --pcap "$FWD_RUN/pkt.pcap" --repeat "$LOOKUP_REPEAT" -j |
		python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["ns"])'
}
LOOKUP_REPEAT=20000

# --- the run -----------------------------------------------------------------

declare -A results
record() { results[$1]="${results[$1]:-} $2"; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for round in $(seq 1 "$ROUNDS"); do
	for c in $FW_CASES; do
		next_ports
		record $c "$($c 2>"$FWD_RUN/err" || { cat "$FWD_RUN/err" >&2; echo 0; })"
		echo "$c:${results[$c]}" >&2
		fwd_topo_down
	done
	for n in $RULES; do
		for k in $LOOKUP_CASES; do
			record "lookup_${k}_$n" "$(lookup_case $k "$n" 2>"$FWD_RUN/err" || { cat "$FWD_RUN/err" >&2; echo 0; })"
			echo "lookup_${k}_$n:${results[lookup_${k}_$n]}" >&2
			fwd_topo_down
		done
		for s in $DROP_CASES; do
			next_ports
			record "drop_${s}_$n" "$(drop_$s "$n" 2>"$FWD_RUN/err" || { cat "$FWD_RUN/err" >&2; echo 0; })"
			echo "drop_${s}_$n:${results[drop_${s}_$n]}" >&2
			fwd_topo_down
		done
	done
	echo "round $round done" >&2
done

kernel=$(median "${results[fw_kernel]:-}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "Forwarding, 60-byte UDP, 256 flows, pktgen on the same vCPU; kernel $(uname -r), $(nproc) vCPUs (TCG)"
echo "$ROUNDS rounds of $SECS s, medians (all rounds: packets/s)"
echo
echo "| case | packets/s | x kernel forwarding | rounds |"
echo "|---|---:|---:|---|"
row() {
	local m
	m=$(median "${results[$1]:-}")
	echo "| $2 | $m | $(ratio "$m" "$kernel") |${results[$1]:-} |"
}
row fw_kernel "kernel forwarding (no netfilter)"
row fw_iptables "kernel + iptables DNAT (conntrack)"
row fw_nftables "kernel + nftables DNAT (conntrack)"
row fw_xdplua "XDPLua DNAT (forward.lua)"
row fw_xdplua_masq "XDPLua DNAT + MASQUERADE"
echo
echo "DROP, N rules -s ADDR -j DROP, the traffic matching the last rule: packets/s dropped"
echo
echo "| rules | XDPLua (XDP) | iptables (raw PREROUTING) | nftables (netdev ingress) |"
echo "|---:|---:|---:|---:|"
for n in $RULES; do
	echo "| $n | $(median "${results[drop_xdplua_$n]:-}") | $(median "${results[drop_iptables_$n]:-}") | $(median "${results[drop_nftables_$n]:-}") |"
done
echo
echo "Rule lookup in forward.lua, ns per packet (xdplua run --repeat $LOOKUP_REPEAT, one packet matching the last rule)"
echo
echo "| rules | exact DNAT (-d ADDR -p tcp --dport 80) | prefix DROP (-s NET/24) |"
echo "|---:|---:|---:|"
for n in $RULES; do
	echo "| $n | $(median "${results[lookup_dnat_$n]:-}") | $(median "${results[lookup_prefix_$n]:-}") |"
done
