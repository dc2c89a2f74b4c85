#!/bin/bash
# The XDPLua demo, run inside the test VM by `make demo`: a DNS cache in the
# kernel's XDP hook (examples/dns/). A client asks a DNS server behind a
# router twice; the router's XDP hook answers the second time.
#
#   netns dns-client        netns dns-router (ip_forward)        netns dns-upstream
#   c0 10.53.1.2 <-veth-> r0 10.53.1.1     r1 10.53.2.1 <-veth-> u0 10.53.2.53
#                         ^ XDP: dns.lua   ^ XDP: dns.lua          dnsmasq
#
# (The first demo, Lua dropping UDP, is examples/udp-demo.sh.)
set -eu
cd "$(dirname "$0")/.."
. examples/dns/topology.sh
XDPLUA=$DNS_XDPLUA

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@"; }
ask() { in_client dig @$DNS_UPSTREAM_IP www.example.test | grep -E 'flags:|IN	A	|Query time|SERVER'; }

say "Kernel $(uname -r), $(nproc) CPUs, module: $(lsmod | awk '$1 == "xdplua" {print $1, $2 " bytes"}')"
dns_topo_up
dns_upstream_start /tmp/upstream.log
echo "client 10.53.1.2 -- router (XDP) -- dnsmasq 10.53.2.53 (www.example.test A 10.53.9.1, TTL 300)"

for t in dns.config dns.cache dns.pending dns.stats; do ip netns exec dns-router "$XDPLUA" table flush $t >/dev/null 2>&1 || true; done

say "Attach examples/dns/dns.lua to both router interfaces, tell it the upstream"
show ip netns exec dns-router "$XDPLUA" -L examples/dns/dns.lua r0
show ip netns exec dns-router "$XDPLUA" attach dns r1
show ip netns exec dns-router "$XDPLUA" table set dns.config upstream 10.53.2.53

say "dig @10.53.2.53 www.example.test   (1st: a cache miss, dnsmasq answers)"
ask
say "dns.lua learned the answer from the upstream's response"
dns_cache_show | sed 's/^/dns.cache: /'

sleep 2
say "dig @10.53.2.53 www.example.test   (2nd: answered from XDP, TTL counting down)"
ask

say "The upstream's log: one query"
grep 'query\[' /tmp/upstream.log | sed 's/^.*dnsmasq[^:]*: //'

say "xdplua status dns   (tx: the answer sent from XDP)"
ip netns exec dns-router "$XDPLUA" status dns | grep -E 'script|runs|pass|tx'

say "dig +short MX example.test   (other types pass to the upstream untouched)"
in_client dig @$DNS_UPSTREAM_IP +short MX example.test

dns_detach
dns_topo_down
