# shellcheck shell=bash
# The forwarding use case's topology, sourced by tests/kernel/forward.sh,
# bench/forward.sh and examples/forward/demo.sh (as root, in the test VM):
#
#  netns fwd-client          netns fwd-router (ip_forward)            netns fwd-server
#  c0 10.0.0.1/24 <-veth-> eth0 10.0.0.2/24   eth1 192.168.0.2/24 <-veth-> s0 192.168.0.1/24
#  (+ 10.0.0.100-149)        ^ forward.lua     ^ forward.lua                dnsmasq :53
#                                                                           echo :7777, http :8080
#
# The client's default route is the router; the server's too (fwd_server_
# route_elsewhere takes it away: the server then answers only addresses of
# its own network, such as the router's, which masquerade needs).
#
# veth details a real NIC does not have: a veth delivers the frames XDP
# redirects into it only if its peer runs an XDP program (c0 and s0 run
# bpf/trivial_pass), and its checksum offload leaves partial checksums in
# packets that XDP cannot see the metadata of (c0 and s0 send with full
# checksums: ethtool -K tx off).

FWD_CLIENT_IP=10.0.0.1
FWD_ROUTER_IP=10.0.0.2
FWD_ROUTER_IP1=192.168.0.2
FWD_SERVER_IP=192.168.0.1
FWD_NS="fwd-client fwd-router fwd-server"
FWD_PROJECT=${FWD_PROJECT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FWD_XDPLUA=${XDPLUA:-$FWD_PROJECT/build/bin/xdplua}
FWD_TABLES=${XDPLUATABLES:-$FWD_PROJECT/build/bin/xdpluatables}
FWD_RUN=${FWD_RUN:-/tmp/fwd-run}

fwd_client() { ip netns exec fwd-client "$@"; }
fwd_router() { ip netns exec fwd-router "$@"; }
fwd_server() { ip netns exec fwd-server "$@"; }
# xdpluatables and xdplua in the router's namespace
xdpluatables() { fwd_router "$FWD_TABLES" "$@"; }
fwd_xdplua() { fwd_router "$FWD_XDPLUA" "$@"; }

fwd_topo_up() {
	fwd_topo_down
	mkdir -p "$FWD_RUN"
	local ns
	for ns in $FWD_NS; do
		ip netns add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip link add c0 netns fwd-client type veth peer name eth0 netns fwd-router
	ip link add eth1 netns fwd-router type veth peer name s0 netns fwd-server
	ip -n fwd-client addr add $FWD_CLIENT_IP/24 dev c0
	ip -n fwd-router addr add $FWD_ROUTER_IP/24 dev eth0
	ip -n fwd-router addr add $FWD_ROUTER_IP1/24 dev eth1
	ip -n fwd-server addr add $FWD_SERVER_IP/24 dev s0
	ip -n fwd-client link set c0 up
	ip -n fwd-router link set eth0 up
	ip -n fwd-router link set eth1 up
	ip -n fwd-server link set s0 up
	ip -n fwd-client route add default via $FWD_ROUTER_IP
	ip -n fwd-server route add default via $FWD_ROUTER_IP1
	fwd_router sysctl -qw net.ipv4.ip_forward=1
	fwd_client ethtool -K c0 tx off >/dev/null
	fwd_server ethtool -K s0 tx off >/dev/null
	ip -n fwd-client link set c0 xdp obj "$FWD_PROJECT/build/bpf/trivial_pass.bpf.o" sec xdp
	ip -n fwd-server link set s0 xdp obj "$FWD_PROJECT/build/bpf/trivial_pass.bpf.o" sec xdp
}

# fwd_clients N: N more client addresses, 10.0.0.100 and up
fwd_clients() {
	local i
	for i in $(seq 100 $((99 + $1))); do
		ip -n fwd-client addr add 10.0.0.$i/24 dev c0
	done
}

# the server answers only its own network (no route back to the clients)
fwd_server_route_elsewhere() {
	ip -n fwd-server route del default
}

fwd_topo_down() {
	fwd_servers_stop
	local ns
	for ns in $FWD_NS; do
		ip netns del $ns 2>/dev/null || true
	done
}

# fwd_servers_start: on the server, dnsmasq on :53 (example.test A
# 10.53.9.1), a UDP echo on :7777 and an HTTP server on :8080 serving
# $FWD_RUN/www
fwd_servers_start() {
	mkdir -p "$FWD_RUN/www"
	: > "$FWD_RUN/dnsmasq.log"
	fwd_server dnsmasq --no-resolv --no-hosts --conf-file=/dev/null --user=root \
		--bind-interfaces --listen-address=$FWD_SERVER_IP --except-interface=lo \
		--pid-file="$FWD_RUN/dnsmasq.pid" --log-queries --log-facility="$FWD_RUN/dnsmasq.log" \
		--cache-size=0 --local=/example.test/ \
		--host-record=example.test,10.53.9.1,300
	fwd_server python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7777))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(data + (" from %s:%d" % peer).encode(), peer)
' >/dev/null 2>&1 &
	echo $! > "$FWD_RUN/echo.pid"
	(cd "$FWD_RUN/www" && exec ip netns exec fwd-server python3 -m http.server --bind 0.0.0.0 8080) \
		>/dev/null 2>&1 &
	echo $! > "$FWD_RUN/http.pid"
	local i
	for i in $(seq 1 50); do
		grep -q started "$FWD_RUN/dnsmasq.log" 2>/dev/null &&
			fwd_server ss -ltn | grep -q ':8080 ' &&
			fwd_server ss -lun | grep -q ':7777 ' && return 0
		sleep 0.2
	done
	echo "servers did not start" >&2
	return 1
}

fwd_servers_stop() {
	local f
	for f in dnsmasq echo http; do
		if [ -f "$FWD_RUN/$f.pid" ]; then
			kill "$(cat "$FWD_RUN/$f.pid")" 2>/dev/null || true
			rm -f "$FWD_RUN/$f.pid"
		fi
	done
}

# the queries dnsmasq logged for NAME, "from ADDR" each
fwd_dns_queries() {
	grep "query\[A\] $1 from" "$FWD_RUN/dnsmasq.log" | sed 's/.* from //'
}

# fwd_detach: forward.lua off every router interface, its tables (rules,
# flows, counters, timeouts) destroyed
fwd_detach() {
	xdpluatables --detach >/dev/null 2>&1 || true
	local t
	for t in conf rules match count udp tcp icmp ports stats; do
		fwd_xdplua table destroy fwd.$t >/dev/null 2>&1 || true
	done
}
