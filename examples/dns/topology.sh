# shellcheck shell=bash
# The DNS use case's test topology, sourced by examples/demo.sh,
# tests/kernel/dns.sh and bench/dns.sh (run as root, in the test VM):
#
#   netns dns-client        netns dns-router (ip_forward)        netns dns-upstream
#   c0 10.53.1.2 <-veth-> r0 10.53.1.1     r1 10.53.2.1 <-veth-> u0 10.53.2.53
#                         ^ XDP: dns.lua   ^ XDP: dns.lua          dnsmasq
#
# The client asks the upstream server (10.53.2.53) directly; the router
# routes. dns.lua answers cached names on r0 and learns from the answers
# that come back on r1.

DNS_CLIENT_IP=10.53.1.2
DNS_UPSTREAM_IP=10.53.2.53
DNS_NS="dns-client dns-router dns-upstream"
DNS_PROJECT=${DNS_PROJECT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DNS_XDPLUA=${XDPLUA:-$DNS_PROJECT/build/bin/xdplua}

in_client() { ip netns exec dns-client "$@"; }
in_router() { ip netns exec dns-router "$@"; }
in_upstream() { ip netns exec dns-upstream "$@"; }

dns_topo_up() {
	dns_topo_down
	local ns
	for ns in $DNS_NS; do
		ip netns add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip link add c0 netns dns-client type veth peer name r0 netns dns-router
	ip link add r1 netns dns-router type veth peer name u0 netns dns-upstream
	ip -n dns-client addr add $DNS_CLIENT_IP/24 dev c0
	ip -n dns-router addr add 10.53.1.1/24 dev r0
	ip -n dns-router addr add 10.53.2.1/24 dev r1
	ip -n dns-upstream addr add $DNS_UPSTREAM_IP/24 dev u0
	ip -n dns-client link set c0 up
	ip -n dns-router link set r0 up
	ip -n dns-router link set r1 up
	ip -n dns-upstream link set u0 up
	ip -n dns-client route add default via 10.53.1.1
	ip -n dns-upstream route add default via 10.53.2.1
	in_router sysctl -qw net.ipv4.ip_forward=1
	# veth delivers XDP_TX frames to its peer only if the peer runs an XDP
	# program itself (a real NIC needs nothing like this)
	ip -n dns-client link set c0 xdp obj "$DNS_PROJECT/build/bpf/trivial_pass.bpf.o" sec xdp
	in_client ping -c 1 -W 2 $DNS_UPSTREAM_IP >/dev/null
}

dns_topo_down() {
	dns_upstream_stop
	local ns
	for ns in $DNS_NS; do
		ip netns del $ns 2>/dev/null || true
	done
}

# dns_upstream_start LOGFILE [--quiet]: dnsmasq (--quiet: no query log) on 10.53.2.53 with the test zone
#   www.example.test   A 10.53.9.1 (TTL 300)      multi.example.test A .2 .3 (60)
#   short.example.test A 10.53.9.4 (TTL 10)        alias.example.test CNAME www
#   example.test MX, TXT; v6.example.test AAAA; anything else NXDOMAIN
dns_upstream_start() {
	DNS_UPSTREAM_LOG=$1
	local logq=--log-queries
	[ "${2:-}" = --quiet ] && logq=--log-async
	: > "$DNS_UPSTREAM_LOG"
	in_upstream dnsmasq --no-resolv --no-hosts --conf-file=/dev/null --user=root \
		--bind-interfaces --listen-address=$DNS_UPSTREAM_IP --except-interface=lo \
		--pid-file=/tmp/dns-upstream.pid $logq --log-facility="$DNS_UPSTREAM_LOG" \
		--cache-size=0 --local=/example.test/ \
		--host-record=www.example.test,10.53.9.1,300 \
		--host-record=multi.example.test,10.53.9.2,60 \
		--host-record=multi.example.test,10.53.9.3,60 \
		--host-record=short.example.test,10.53.9.4,10 \
		--host-record=v6.example.test,2001:db8::1,300 \
		--cname=alias.example.test,www.example.test \
		--mx-host=example.test,mail.example.test,10 \
		--txt-record=example.test,hello
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q 'started' "$DNS_UPSTREAM_LOG" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "dnsmasq did not start" >&2
	return 1
}

dns_upstream_stop() {
	if [ -f /tmp/dns-upstream.pid ]; then
		kill "$(cat /tmp/dns-upstream.pid)" 2>/dev/null || true
		rm -f /tmp/dns-upstream.pid
	fi
}

# queries the upstream logged for NAME (any type)
dns_upstream_queries() {
	grep -c "query\[.*\] $1 from" "$DNS_UPSTREAM_LOG" || true
}

# dns_attach: dns.lua on both router interfaces, upstream configured, and
# the script's tables empty
dns_attach() {
	local t
	for t in dns.config dns.cache dns.pending dns.stats dns.static; do
		in_router "$DNS_XDPLUA" table flush $t >/dev/null 2>&1 || true
	done
	in_router "$DNS_XDPLUA" table set dns.config upstream $DNS_UPSTREAM_IP >/dev/null
	in_router "$DNS_XDPLUA" -L "$DNS_PROJECT/examples/dns/dns.lua" r0
	in_router "$DNS_XDPLUA" attach dns r1
}

dns_detach() {
	in_router "$DNS_XDPLUA" -d r0 2>/dev/null || true
	in_router "$DNS_XDPLUA" -d r1 2>/dev/null || true
}

# dns_cache_show: the learned cache, one "name ttl-left flags addresses" line
# per name (the table holds wire-format names and packed addresses)
dns_cache_show() {
	in_router "$DNS_XDPLUA" table dump -j dns.cache | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    k, v = e["key"].encode("latin-1"), e["value"].encode("latin-1")
    labels, i = [], 0
    while i < len(k) and k[i]:
        labels.append(k[i + 1:i + 1 + k[i]].decode("latin-1"))
        i += 1 + k[i]
    flags = ",".join(f for f, b in (("aa", 1), ("ra", 2)) if v[0] & b)
    addrs = [".".join(str(b) for b in v[j:j + 4]) for j in range(1, len(v), 4)]
    print(".".join(labels) + ".", e.get("ttl", "-"), flags or "-", " ".join(addrs))
'
}
