# Kernel tests of xdpluatables and examples/forward/forward.lua: NAT and
# forwarding in XDP between real clients and servers in their own network
# namespaces (examples/forward/topology.sh): dig and dnsmasq, curl and an
# HTTP server, a UDP echo server, ping.
#   tests/vm/run -- tests/run --inside-vm --only forward/

# shellcheck source=examples/forward/topology.sh
. "$PROJECT/examples/forward/topology.sh"

setup() {
	FWD_RUN=$T/run
	fwd_topo_up
	fwd_servers_start
}

teardown() {
	fwd_detach
	fwd_topo_down
}

# the seed's rule
SEED_RULE="-d 10.0.0.2 --dport 2222 -p udp --to-destination 192.168.0.1:53 eth0"

# qdig ARGS: dig from the client, one try; the answer's address, or the
# error
qdig() {
	fwd_client dig +time=3 +tries=1 +short "$@" 2>&1 | head -3
}

# counters of forward.lua (status in the router's namespace)
fstat() {
	fwd_xdplua status -j | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for s in (doc["scripts"] if isinstance(doc, dict) else doc):
    if s["name"] == "forward":
        print(" ".join(str(s["stats"].get(k, s.get(k))) for k in sys.argv[1:]))
        break
else:
    print("absent")
' "$@"
}

# fwd_event NAME: a counter of fwd.stats (0 if absent)
fwd_event() {
	fwd_xdplua table get fwd.stats "$1" 2>/dev/null || echo 0
}

flow_count() {
	xdpluatables --flows | grep -c "${1:-.}" || true
}

# echo_from N: N clients (10.0.0.100 ...) send at once from source port
# 40000 to ADDR:PORT and print the replies they get, one line each
echo_clients() {
	fwd_client python3 - "$@" <<'PY'
import socket, sys, time
n, addr, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
socks = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.0.0.%d" % (100 + i), 40000))
    s.settimeout(0)
    socks.append(s)
for i, s in enumerate(socks):
    s.sendto(b"client-%d" % i, (addr, port))
got, deadline = {}, time.time() + 10
while len(got) < n and time.time() < deadline:
    for i, s in enumerate(socks):
        try:
            got[i] = s.recvfrom(2048)
        except BlockingIOError:
            pass
    time.sleep(0.01)
for i in range(n):
    if i in got:
        data, peer = got[i]
        print("%d %s %s:%d" % (i, data.decode(), peer[0], peer[1]))
    else:
        print("%d (no reply)" % i)
PY
}

test_seed_command_dig_answered_by_dnsmasq() {
	run xdpluatables $SEED_RULE
	expect_eq "$OUT" "" "no output on success"
	local out
	out=$(fwd_client dig @10.0.0.2 -p 2222 +time=3 +tries=1 example.test)
	expect_contains "$out" "status: NOERROR" "dig's answer"
	expect_contains "$out" "example.test.		300	IN	A	10.53.9.1" "the record"
	expect_contains "$out" "SERVER: 10.0.0.2#2222(10.0.0.2)" "answered from the router's address and port"
	expect_eq "$(fwd_dns_queries example.test)" "$FWD_CLIENT_IP" "dnsmasq saw the client"
	# both ways in XDP: the query redirected out of eth1, the answer out of eth0
	expect_eq "$(fstat redirect errors)" "2 0" "redirects, errors"
	expect_contains "$(xdpluatables --flows)" "udp  10.0.0.1:" "the flow"
	expect_contains "$(xdpluatables --flows)" "-> 10.0.0.2:2222  =>  10.0.0.1:" "the flow's translation"
	# the seed's rule as -S prints it
	run xdpluatables -S
	expect_eq "$OUT" "-A PREROUTING -d 10.0.0.2/32 -i eth0 -p udp --dport 2222 -j DNAT --to-destination 192.168.0.1:53" "-S"
	# where it runs: eth0 (the rule's) and eth1 (the replies')
	expect_contains "$(fwd_xdplua status forward)" "attached:    eth0 (native), eth1 (native)" "attached"
}

test_list_counters() {
	run xdpluatables $SEED_RULE
	run xdpluatables -I 1 -s 10.0.0.99 -j DROP eth0
	qdig @10.0.0.2 -p 2222 example.test >/dev/null
	qdig @10.0.0.2 -p 2222 example.test >/dev/null
	run xdpluatables -L -n -v -x --line-numbers
	local line
	line=$(printf '%s\n' "$OUT" | grep DNAT)
	# the first packet of each flow, as iptables' nat table counts
	expect_eq "$(echo "$line" | awk '{print $1, $2, $4, $5, $7, $8, $9, $10}')" \
		"2 2 DNAT udp eth0 * 0.0.0.0/0 10.0.0.2" "the DNAT rule: num pkts target prot in out source destination"
	expect_ge "$(echo "$line" | awk '{print $3}')" 100 "bytes"
	expect_contains "$line" "udp dpt:2222 to:192.168.0.1:53" "match and target"
	expect_contains "$(printf '%s\n' "$OUT" | grep DROP)" "1           0          0 DROP" "the DROP rule"
	run xdpluatables -L
	expect_contains "$OUT" "Chain PREROUTING (policy ACCEPT)" "chain header"
	expect_contains "$OUT" "target     prot opt source               destination" "column header"
	run xdpluatables -Z
	run xdpluatables -L -v -x
	expect_contains "$(printf '%s\n' "$OUT" | grep DNAT)" "       0          0 DNAT" "zeroed"
}

test_tcp_transfer_through_dnat() {
	head -c 4000000 /dev/urandom > "$FWD_RUN/www/blob"
	run xdpluatables -d 10.0.0.2 -p tcp --dport 80 --to-destination 192.168.0.1:8080 eth0
	fwd_client curl -sS --max-time 60 -o "$T/blob" http://10.0.0.2/blob
	expect_eq "$(sha256sum < "$T/blob")" "$(sha256sum < "$FWD_RUN/www/blob")" "4 MB intact"
	# 4 MB is at least 2763 segments of 1448 bytes (MTU 1500), each
	# redirected; the ACKs add a number that depends on the timing
	expect_ge "$(fstat redirect)" 2700 "packets forwarded in XDP"
	expect_eq "$(fstat errors)" 0 "script errors"
	# the connection is closed: its flow is on the FIN timeout
	expect_contains "$(xdpluatables --flows)" "fin" "flow state after the close"
}

test_tcp_reset_from_server() {
	run xdpluatables -d 10.0.0.2 -p tcp --dport 81 --to-destination 192.168.0.1:8081 eth0
	local out
	out=$(fwd_client curl -sS --max-time 10 http://10.0.0.2:81/ 2>&1 || true)
	expect_contains "$out" "Couldn't connect to server" "the server's RST reaches the client"
	expect_contains "$(xdpluatables --flows)" "rst" "flow state after a RST"
}

test_masquerade_server_without_route_back() {
	fwd_server_route_elsewhere
	run xdpluatables $SEED_RULE
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "timed out" "no answer: the server cannot reach the client"
	run xdpluatables -j MASQUERADE eth1
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "answered with masquerade"
	expect_eq "$(fwd_dns_queries example.test | tail -1)" "$FWD_ROUTER_IP1" "dnsmasq saw the router's address"
	# plain forwarding with masquerade: the client asks the server itself
	expect_eq "$(qdig @192.168.0.1 example.test)" "10.53.9.1" "answered through the router"
	expect_eq "$(fwd_dns_queries example.test | tail -1)" "$FWD_ROUTER_IP1" "masqueraded"
	# TCP too
	echo hello > "$FWD_RUN/www/hello"
	expect_eq "$(fwd_client curl -sS --max-time 20 http://192.168.0.1:8080/hello)" hello "HTTP through masquerade"
	run xdpluatables -S
	expect_contains "$OUT" "-A POSTROUTING -o eth1 -j MASQUERADE" "-S"
}

test_fifty_clients_same_source_port() {
	fwd_clients 50
	fwd_server_route_elsewhere
	run xdpluatables -d 10.0.0.2 -p udp --dport 7000 --to-destination 192.168.0.1:7777 eth0
	run xdpluatables -j MASQUERADE eth1
	local out
	out=$(echo_clients 50 10.0.0.2 7000)
	expect_eq "$(echo "$out" | grep -c 'no reply')" 0 "every client answered: $(echo "$out" | grep 'no reply' | head -3)"
	# each its own answer, from the router's address and port
	local i bad=0
	for i in $(seq 0 49); do
		echo "$out" | grep -q "^$i client-$i from 192.168.0.2:[0-9]* 10.0.0.2:7000$" || bad=$((bad + 1))
	done
	expect_eq "$bad" 0 "clients with someone else's answer: $(echo "$out" | head -3)"
	# the server saw 50 different source ports
	expect_eq "$(echo "$out" | sed 's/.* from 192.168.0.2:\([0-9]*\) .*/\1/' | sort -u | wc -l)" 50 "distinct ports at the server"
	expect_eq "$(flow_count 'udp  10.0.0.1[0-4][0-9]:40000')" 50 "flows"
}

test_icmp_and_unmatched_traffic_unaffected() {
	run xdpluatables $SEED_RULE
	# ping the router, and through it
	run fwd_client ping -c 2 -W 2 10.0.0.2
	run fwd_client ping -c 2 -W 2 192.168.0.1
	# the server directly: routed by the kernel, untouched
	expect_eq "$(qdig @192.168.0.1 example.test)" "10.53.9.1" "DNS to the server itself"
	expect_eq "$(fwd_dns_queries example.test | tail -1)" "$FWD_CLIENT_IP" "not translated"
	# another port of the router: its own business (nothing listens: refused)
	expect_contains "$(qdig @10.0.0.2 -p 2223 example.test)" "refused" "port 2223"
	# a service on the router itself
	fwd_router python3 -m http.server --bind 10.0.0.2 9090 >/dev/null 2>&1 &
	local pid=$!
	local i
	for i in $(seq 1 50); do fwd_router ss -ltn | grep -q ':9090 ' && break; sleep 0.2; done
	expect_contains "$(fwd_client curl -sS --max-time 10 http://10.0.0.2:9090/ 2>&1)" "Directory listing" "the router's own HTTP"
	kill $pid
	expect_eq "$(flow_count)" 0 "no flows"
	expect_eq "$(fstat errors)" 0 "script errors"
}

test_delete_and_flush_stop_new_flows() {
	run xdpluatables $SEED_RULE
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "with the rule"
	run xdpluatables -D $SEED_RULE
	expect_eq "$(xdpluatables -S)" "" "no rules"
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "refused" "after -D RULE"
	run xdpluatables $SEED_RULE
	run xdpluatables -D PREROUTING 1
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "refused" "after -D PREROUTING 1"
	run xdpluatables $SEED_RULE
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "with the rule again"
	run xdpluatables -F
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "refused" "after -F"
	# deleting what is not there
	expect_fail xdpluatables -D PREROUTING 1
	expect_contains "$OUT" "no rule 1 in PREROUTING (it has 0)" "-D N message"
	expect_fail xdpluatables -D $SEED_RULE
	expect_contains "$OUT" "no such rule: -A PREROUTING -d 10.0.0.2/32" "-D RULE message"
}

test_rule_order_first_match_wins() {
	fwd_clients 1
	# two DNAT rules for the same packets: the first one in order wins
	run xdpluatables -d 10.0.0.2 -p udp --dport 7000 --to-destination 192.168.0.1:7777 eth0
	run xdpluatables -d 10.0.0.0/24 -p udp --to-destination 192.168.0.1:53 eth0
	expect_contains "$(echo_clients 1 10.0.0.2 7000)" "client-0 from" "the first rule: the echo server"
	run xdpluatables -I PREROUTING 1 -d 10.0.0.0/24 -p udp -j ACCEPT eth0
	# rules decide for new flows: forget the one that exists
	expect_contains "$(echo_clients 1 10.0.0.2 7000)" "client-0 from" "the flow goes on"
	run xdpluatables --flush-flows
	sleep 1.1	# forward.lua's per-CPU copies of the flows last a second
	expect_contains "$(echo_clients 1 10.0.0.2 7000)" "no reply" "ACCEPT first: the router's own port (closed)"
	run xdpluatables -D PREROUTING 1
	run xdpluatables -D PREROUTING 1
	# the prefix rule now
	expect_eq "$(qdig @10.0.0.2 -p 7000 example.test)" "10.53.9.1" "the /24 rule: dnsmasq"
	run xdpluatables -S
	expect_eq "$OUT" "-A PREROUTING -d 10.0.0.0/24 -i eth0 -p udp -j DNAT --to-destination 192.168.0.1:53" "rules left"
}

test_drop_rules_drop() {
	run xdpluatables $SEED_RULE
	run xdpluatables -I 1 -s 10.0.0.1 -p udp --dport 2222 -j DROP eth0
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "timed out" "dropped"
	expect_eq "$(fwd_dns_queries example.test)" "" "dnsmasq saw nothing"
	expect_ge "$(fstat drop)" 1 "XDP drops"
	run xdpluatables -L -v -x
	expect_contains "$(printf '%s\n' "$OUT" | grep DROP)" "       1         " "the DROP rule counted"
	# other sources still get through
	fwd_clients 1
	expect_eq "$(qdig @10.0.0.2 -p 2222 -b 10.0.0.100 example.test)" "10.53.9.1" "another client"
	run xdpluatables -D PREROUTING 1
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "after deleting the DROP rule"
}

test_idle_flows_expire() {
	run xdpluatables --timeout udp=6
	run xdpluatables $SEED_RULE
	qdig @10.0.0.2 -p 2222 example.test >/dev/null
	local flows
	flows=$(xdpluatables --flows)
	expect_eq "$(echo "$flows" | grep -c udp)" 1 "one flow: $flows"
	expect_contains "$flows" "expires in" "its timeout"
	[ "$(echo "$flows" | sed 's/.*expires in \([0-9]*\) s/\1/')" -le 6 ] || fail "timeout above 6 s: $flows"
	sleep 8
	expect_eq "$(flow_count)" 0 "expired"
	run xdpluatables -S
	expect_contains "$OUT" "--timeout udp=6" "-S shows the timeout"
	# a flow with traffic stays
	fwd_client python3 - <<'PY' &
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.1", 41000))
for i in range(14):
    s.sendto(b"x", ("10.0.0.2", 2222))
    time.sleep(1)
PY
	local pid=$!
	sleep 10
	expect_eq "$(flow_count 10.0.0.1:41000)" 1 "kept alive by its packets"
	wait $pid
}

test_save_restore_round_trip() {
	run xdpluatables $SEED_RULE
	run xdpluatables -p tcp --dport 80:89 -s 10.0.0.0/25 -d 10.0.0.2 --to-destination 192.168.0.1:8080 eth0
	run xdpluatables -I 1 -s 10.9.0.0/16 -j DROP eth0
	run xdpluatables -p icmp -j ACCEPT eth0
	run xdpluatables -j MASQUERADE eth1
	run xdpluatables -t nat -A POSTROUTING -o eth1 -s 10.0.0.128/25 -j SNAT --to-source 192.168.0.2
	run xdpluatables --timeout tcp=600,udp=100
	xdpluatables -S > "$T/saved"
	run xdpluatables -F
	expect_eq "$(xdpluatables -S | grep -c '^-A')" 0 "flushed"
	run fwd_router "$FWD_PROJECT/build/bin/xdpluatables-restore" "$T/saved"
	expect_eq "$(xdpluatables -S)" "$(cat "$T/saved")" "restored: -S the same"
	expect_eq "$(xdpluatables -S | grep -c '^-A')" 6 "six rules"
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "the restored rules work"
	# from stdin, with iptables-save's framing; a bad line changes nothing
	printf '*nat\n:PREROUTING ACCEPT [0:0]\n%s\nCOMMIT\n' "-A PREROUTING -i eth0 -p udp -d 10.0.0.2 --dport 2222 -j DNAT --to-destination 192.168.0.1:53" |
		run fwd_router "$FWD_TABLES" --restore
	expect_eq "$(xdpluatables -S | grep '^-A')" "-A PREROUTING -d 10.0.0.2/32 -i eth0 -p udp --dport 2222 -j DNAT --to-destination 192.168.0.1:53" "replaced"
	printf -- '-A PREROUTING -j DROP eth0\n-A PREROUTING -p udp --dport 99999 -j DROP eth0\n' > "$T/bad"
	expect_fail xdpluatables --restore "$T/bad"
	expect_contains "$OUT" "$T/bad:2: invalid port for --dport: '99999'" "names the line"
	expect_eq "$(xdpluatables -S | grep -c '^-A')" 1 "unchanged"
}

# xdplua save writes the rules (not forward.lua and its tables), xdplua
# apply brings them back (what xdplua.service does at boot)
test_xdplua_save_and_apply_bring_the_rules_back() {
	local saved=$T/etc
	run xdpluatables $SEED_RULE
	run xdpluatables -I 1 -s 10.9.0.0/16 -j DROP eth0
	run fwd_xdplua save --config "$saved"
	expect_contains "$OUT" "and 2 forwarding rules" "save's report"
	run cat "$saved/xdplua.conf"
	expect_contains "$OUT" "rules xdpluatables.rules" "the configuration names the rules"
	expect_not_contains "$OUT" "script forward" "forward.lua is xdpluatables' business"
	expect_not_contains "$OUT" "table fwd." "so are its tables"
	expect_eq "$(cat "$saved/xdpluatables.rules")" "$(xdpluatables -S)" "the rules file"
	# from nothing (as after a reboot): apply restores and attaches
	fwd_detach
	run fwd_xdplua apply --config "$saved"
	expect_contains "$OUT" "restored the forwarding rules of $saved/xdpluatables.rules" "apply's report"
	expect_eq "$(xdpluatables -S)" "$(cat "$saved/xdpluatables.rules")" "the rules back"
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "forwarding again"
	run fwd_xdplua apply --config "$saved"
	expect_eq "$OUT" "nothing to change" "applying again"
}

test_first_packet_to_unknown_neighbour() {
	run xdpluatables $SEED_RULE
	# the client knows the router's MAC address; the router forgets all
	run fwd_client ping -c 1 -W 2 10.0.0.2
	fwd_router ip neigh flush all
	# the query's next hop (the server) and the answer's (the client) are
	# unknown: the kernel resolves them, nothing is lost
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "first query"
	expect_eq "$(fwd_event neigh_pass)" 1 "the query: to the kernel's forwarding"
	expect_eq "$(fwd_event neigh_output)" 1 "the answer: through the kernel's output (its source is the router's)"
	expect_eq "$(fwd_dns_queries example.test | wc -l)" 1 "one query: no retry"
	# masquerade: the query's source becomes the router's
	fwd_server_route_elsewhere
	run xdpluatables -j MASQUERADE eth1
	fwd_router ip neigh flush all
	sleep 1.1	# forward.lua's per-CPU copies of the routes last a second
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "first masqueraded query"
	expect_eq "$(fwd_event neigh_output)" 3 "the masqueraded query and its answer: through the kernel's output"
	expect_eq "$(fwd_dns_queries example.test | wc -l)" 2 "no retry"
	# then XDP all the way
	local r0
	r0=$(fstat redirect)
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "next query"
	expect_eq "$(fstat redirect)" $((r0 + 2)) "redirected both ways"
}

test_ttl_decremented_and_expiring_passed() {
	run xdpluatables -d 10.0.0.2 -p udp --dport 7000 --to-destination 192.168.0.1:7777 eth0
	fwd_server timeout 30 tcpdump -l -n -v -i s0 -c 1 udp port 7777 > "$T/dump" 2>/dev/null &
	local pid=$! out
	sleep 3
	fwd_client python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 9)
s.sendto(b"ttl", ("10.0.0.2", 7000))'
	wait $pid || true
	expect_contains "$(cat "$T/dump")" "ttl 8," "TTL 9 arrives as 8"
	# TTL 1: to the kernel untouched (here: for the router itself), not forwarded
	out=$(fwd_client python3 -c '
import socket, errno
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
s.connect(("10.0.0.2", 7000))
s.settimeout(3)
s.send(b"ttl1")
try:
    print(s.recv(100))
except OSError as e:
    print(errno.errorcode.get(e.errno, "timeout"))')
	expect_eq "$out" "ECONNREFUSED" "the router's own closed port answered"
	expect_eq "$(flow_count)" 1 "only the first flow"
}

test_rules_survive_script_reload() {
	run xdpluatables $SEED_RULE
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "before"
	run fwd_xdplua load "$FWD_PROJECT/examples/forward/forward.lua"
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "after a reload"
	expect_eq "$(xdpluatables -S)" "-A PREROUTING -d 10.0.0.2/32 -i eth0 -p udp --dport 2222 -j DNAT --to-destination 192.168.0.1:53" "rules"
	run xdpluatables --detach
	expect_eq "$(fstat name)" "absent" "unloaded"
	expect_contains "$(qdig @10.0.0.2 -p 2222 example.test)" "refused" "detached"
	# the next rule attaches it again; the rules were kept
	run xdpluatables -p tcp --dport 80 --to-destination 192.168.0.1:8080 eth0
	expect_eq "$(qdig @10.0.0.2 -p 2222 example.test)" "10.53.9.1" "attached again"
}

test_errors_name_the_problem() {
	expect_fail xdpluatables -d 10.0.0.2 -j DROP nosuch0
	expect_contains "$OUT" "xdpluatables: no such interface: nosuch0" "unknown interface"
	expect_fail xdpluatables -s 10.0.0.9 -j DROP
	expect_contains "$OUT" "give the rule an interface" "no interface at all"
	expect_eq "$(xdpluatables -S)" "" "nothing stored"
}
