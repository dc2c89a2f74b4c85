# Kernel tests of examples/dns/dns.lua, the transparent DNS cache, with real
# clients (dig, kdig) and a real server (dnsmasq) in their own namespaces,
# dns.lua on the router between them (examples/dns/topology.sh).

# shellcheck source=examples/dns/topology.sh
. "$PROJECT/examples/dns/topology.sh"

setup() {
	dns_topo_up
	dns_upstream_start "$T/upstream.log"
	dns_attach
}

teardown() {
	dns_detach
	in_router "$XDPLUA" unload dns 2>/dev/null || true
	dns_topo_down
}

# dig from the client, to the upstream; fails on any dig warning
qdig() {
	local out
	out=$(in_client dig @$DNS_UPSTREAM_IP +tries=1 +time=3 "$@" 2>&1) || fail "dig $*: $out"
	case $out in *WARNING*|*Warning*|*warning*) fail "dig $* warns: $out" ;; esac
	printf '%s\n' "$out"
}

# the answer section: "NAME TTL A ADDR" lines
answers() {
	qdig +noall +answer "$@" | awk '{print $1, $2, $4, $5}'
}

tx() { stat dns tx; }

test_dns_repeat_answered_from_xdp() {
	local first second tx0
	first=$(qdig www.example.test)
	expect_contains "$first" "10.53.9.1" "first answer (upstream)"
	expect_eq "$(dns_upstream_queries www.example.test)" 1 "upstream queries"
	tx0=$(tx)
	second=$(qdig www.example.test)
	expect_contains "$second" "status: NOERROR" "second answer"
	expect_contains "$second" "flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1" "flags and counts"
	expect_contains "$(printf '%s\n' "$second" | grep -A1 'ANSWER SECTION')" "IN	A	10.53.9.1" "address"
	expect_contains "$second" "SERVER: 10.53.2.53#53" "answered as the upstream"
	expect_eq "$(tx)" $((tx0 + 1)) "XDP TX counter"
	expect_eq "$(dns_upstream_queries www.example.test)" 1 "the upstream saw the first query only"
	# kdig parses the reply as well, with its own EDNS cookie
	run in_client kdig @$DNS_UPSTREAM_IP +cookie +retry=0 www.example.test
	expect_contains "$OUT" "10.53.9.1" "kdig answer"
	case $OUT in *WARNING*|*malformed*|*Malformed*) fail "kdig: $OUT" ;; esac
	expect_eq "$(tx)" $((tx0 + 2)) "kdig answered by XDP"
	expect_eq "$(dns_upstream_queries www.example.test)" 1 "upstream queries"
}

test_dns_answer_bytes_same_as_upstream() {
	# the same query twice: the upstream's answer, then XDP's, byte for
	# byte the same but for the TTL of the A record (4 bytes)
	local out up xdp
	out=$(in_client python3 "$PROJECT/tests/dns.py" compare --name Www.Example.Test --id 777)
	up=$(echo "$out" | sed -n 1p)
	xdp=$(echo "$out" | sed -n 2p)
	expect_eq "${up%% *}" 63 "first answer routed from the upstream"
	expect_eq "${xdp%% *}" 64 "second answer sent by XDP"
	up=${up#* } xdp=${xdp#* }
	# header 12, question 22, answer name/type/class 6, then the TTL
	local ttl_at=$(( (12 + 22 + 6) * 2 ))
	expect_eq "${xdp:0:ttl_at}${xdp:ttl_at+8}" "${up:0:ttl_at}${up:ttl_at+8}" "answer bytes but the TTL"
	expect_eq "${up:ttl_at:8}" 0000012c "upstream TTL 300"
	[ $((16#${xdp:ttl_at:8})) -le 299 ] || fail "XDP TTL ${xdp:ttl_at:8} not below 300"
}

test_dns_ttl_decreases_case_kept_two_records() {
	qdig multi.example.test >/dev/null
	sleep 2
	local a tx0
	tx0=$(tx)
	a=$(answers MuLtI.eXaMpLe.TeSt)
	expect_eq "$(tx)" $((tx0 + 1)) "answered by XDP"
	expect_eq "$(echo "$a" | wc -l)" 2 "two A records: $a"
	expect_eq "$(echo "$a" | awk '{print $1, $3, $4}' | sort | tr '\n' ' ')" \
		"MuLtI.eXaMpLe.TeSt. A 10.53.9.2 MuLtI.eXaMpLe.TeSt. A 10.53.9.3 " "question case kept in the answer names"
	local ttl
	ttl=$(echo "$a" | awk 'NR == 1 {print $2}')
	# 60 s learned, at least 2 s ago (dig itself takes a second or two under TCG)
	[ "$ttl" -ge 45 ] && [ "$ttl" -le 58 ] || fail "TTL after 2 s of 60: $ttl"
	expect_eq "$(dns_upstream_queries multi.example.test)$(dns_upstream_queries MuLtI.eXaMpLe.TeSt)" 10 "upstream queries"
}

test_dns_edns_variants() {
	qdig www.example.test >/dev/null
	local tx0 out
	tx0=$(tx)
	out=$(qdig +noedns www.example.test)
	expect_contains "$out" "ADDITIONAL: 0" "no OPT without EDNS"
	out=$(qdig +nocookie +bufsize=512 www.example.test)
	expect_contains "$out" "udp: 1232" "OPT with a payload size"
	out=$(qdig +padding=64 www.example.test)
	expect_contains "$out" "10.53.9.1" "padded query"
	out=$(qdig +ednsopt=65001:abcd +nsid www.example.test)
	expect_contains "$out" "10.53.9.1" "unknown options"
	expect_eq "$(tx)" $((tx0 + 4)) "all answered by XDP"
	# DNSSEC OK, EDNS version 1: the upstream's business
	qdig +dnssec www.example.test >/dev/null
	out=$(in_client dig @$DNS_UPSTREAM_IP +edns=1 +noednsnegotiation www.example.test 2>&1 || true)
	expect_eq "$(tx)" $((tx0 + 4)) "DO=1 and EDNS version 1 not answered by XDP"
	expect_ge "$(dns_upstream_queries www.example.test)" 2 "upstream queries"
}

test_dns_expiry_goes_upstream_again() {
	qdig short.example.test >/dev/null
	local tx0 a
	tx0=$(tx)
	a=$(answers short.example.test)
	expect_eq "$(tx)" $((tx0 + 1)) "answered by XDP while fresh ($a; cache: $(dns_cache_show))"
	expect_contains "$a" " 10.53.9.4" "address"
	[ "$(echo "$a" | awk '{print $2}')" -le 9 ] || fail "TTL past its 10 s: $a"
	sleep 10
	a=$(answers short.example.test)
	expect_eq "$(tx)" $((tx0 + 1)) "expired: not answered by XDP"
	expect_eq "$(dns_upstream_queries short.example.test)" 2 "upstream asked again"
}

test_dns_other_types_and_names_pass() {
	local q tx0
	tx0=$(tx)
	for q in "AAAA v6.example.test" "MX example.test" "TXT example.test" \
		"A nope.example.test" "A alias.example.test" "ANY www.example.test"; do
		qdig $q >/dev/null
		qdig $q >/dev/null
	done
	expect_contains "$(qdig MX example.test)" "mail.example.test" "MX answer"
	expect_contains "$(qdig alias.example.test)" "CNAME" "CNAME answer"
	expect_eq "$(tx)" "$tx0" "nothing answered by XDP"
	expect_eq "$(dns_upstream_queries v6.example.test)" 2 "AAAA queries"
	expect_eq "$(dns_upstream_queries example.test)" 5 "MX and TXT queries"
	expect_eq "$(dns_upstream_queries nope.example.test)" 2 "NXDOMAIN queries"
	expect_eq "$(dns_upstream_queries alias.example.test)" 3 "CNAME queries"
	expect_eq "$(dns_cache_show | wc -l)" 0 "cache"
}

test_dns_spoofed_responses_not_learned() {
	local dns="python3 tests/dns.py"   # relative: the project's path may have spaces
	# starting python takes a while under TCG: a longer window for answers
	run in_router "$XDPLUA" table set dns.config pending_ttl 20
	sleep 1.1
	# no query in flight: an answer from the upstream's address is ignored
	in_upstream $dns spoof --src $DNS_UPSTREAM_IP --dst $DNS_CLIENT_IP --dport 5353 \
		--id 7 --name www.example.test --addr 6.6.6.6
	# a query in flight: answers from another address, with another ID,
	# to another port or for another name are ignored
	in_client $dns query --name evil.example.test --id 4242 --sport 5300
	in_upstream $dns spoof --src 10.53.2.66 --dst $DNS_CLIENT_IP --dport 5300 --id 4242 --name evil.example.test
	in_upstream $dns spoof --src $DNS_UPSTREAM_IP --dst $DNS_CLIENT_IP --dport 5300 --id 4243 --name evil.example.test
	in_upstream $dns spoof --src $DNS_UPSTREAM_IP --dst $DNS_CLIENT_IP --dport 5301 --id 4242 --name evil.example.test
	in_upstream $dns spoof --src $DNS_UPSTREAM_IP --dst $DNS_CLIENT_IP --dport 5300 --id 4242 --name www.example.test
	sleep 0.5
	expect_eq "$(dns_cache_show | wc -l)" 0 "nothing learned"
	expect_eq "$(answers www.example.test | awk '{print $4}')" 10.53.9.1 "the real address"
	expect_contains "$(qdig evil.example.test)" "NXDOMAIN" "evil name"
	expect_eq "$(tx)" 0 "no answer from XDP"
	# control: the one answer that matches is learned (the limit of any
	# cache: an on-path attacker who sees the query can answer first)
	in_client $dns query --name evil2.example.test --id 999 --sport 5302
	in_upstream $dns spoof --src $DNS_UPSTREAM_IP --dst $DNS_CLIENT_IP --dport 5302 --id 999 --name EVIL2.example.test
	sleep 0.5
	expect_eq "$(dns_cache_show | grep evil2 | awk '{print $1, $4}')" "evil2.example.test. 6.6.6.6" "a matching answer is learned"
}

test_dns_static_records() {
	printf '# name addresses\nstatic.example.test 10.53.9.7 10.53.9.8\n' > "$T/static.txt"
	run in_router "$XDPLUA" table load dns.static "$T/static.txt"
	local a
	a=$(answers Static.Example.Test)
	expect_eq "$(echo "$a" | awk '{print $4}' | sort | tr '\n' ' ')" "10.53.9.7 10.53.9.8 " "static answer"
	expect_eq "$(dns_upstream_queries Static.Example.Test)" 0 "upstream queries"
	expect_eq "$(tx)" 1 "answered by XDP"
	# an answer that does not fit the buffer goes upstream: veth gives XDP
	# 63 bytes of room from 6.12 on; before, a page, where it fits
	echo "big.example.test $(seq -f '10.53.8.%g' 1 10 | tr '\n' ' ')" | run in_router "$XDPLUA" table load dns.static -
	case $(uname -r) in
	6.1.*)
		expect_eq "$(answers big.example.test | wc -l)" 10 "big answer from XDP (a page of room)"
		expect_eq "$(dns_upstream_queries big.example.test)" 0 "upstream queries"
		expect_eq "$(tx)" 2 "answered by XDP"
		;;
	*)
		expect_contains "$(qdig big.example.test)" "NXDOMAIN" "too big for XDP: upstream answers"
		expect_eq "$(dns_upstream_queries big.example.test)" 1 "upstream queries"
		expect_eq "$(tx)" 1 "not answered by XDP"
		;;
	esac
}

test_dns_malformed_queries_no_reply() {
	qdig www.example.test >/dev/null
	local r tx0
	tx0=$(tx)
	r=$(in_client python3 "$PROJECT/tests/dns.py" fuzz --name www.example.test --count 3000)
	expect_eq "${r% *}" 0 "replies from XDP (IP TTL 64) to malformed queries"
	expect_eq "$(tx)" "$tx0" "TX counter"
	expect_eq "$(stat dns errors)" 0 "script errors"
	# the kernel is fine and the cache still answers
	expect_eq "$(answers www.example.test | awk '{print $4}')" 10.53.9.1 "answer after the fuzzing"
	expect_eq "$(tx)" $((tx0 + 1)) "answered by XDP"
}

test_dns_malformed_responses_not_learned() {
	python3 "$PROJECT/tests/dns.py" fuzz-pcap --out "$T/fuzz.pcap" --client $DNS_CLIENT_IP \
		--server $DNS_UPSTREAM_IP --name fuzz.example.test --count 1500
	run in_router "$XDPLUA" run dns --pcap "$T/fuzz.pcap"
	expect_contains "$(echo "$OUT" | tail -1)" "4500 packets: 4500 PASS" "verdicts"
	case $OUT in *error*) fail "script errors: $(echo "$OUT" | grep -m3 error)" ;; esac
	expect_eq "$(dns_cache_show | wc -l)" 0 "nothing learned"
	expect_eq "$(stat dns errors)" 0 "script errors"
}

# examples/dns/dns_front.bpf.c in front of dns.lua (xdplua attach --prog):
# the cache works the same, and only DNS enters Lua
test_dns_behind_its_ebpf_front() {
	local front=build/bpf/dns_front.bpf.o runs tx0 i
	for i in r0 r1; do
		run in_router "$XDPLUA" attach dns $i --prog $front
		expect_contains "$OUT" "to $i (native, program $front), replacing program xdplua_dispatch" "attach $i"
	done
	run in_router "$XDPLUA" status dns
	expect_contains "$OUT" "r0 (native, program dns_front), r1 (native, program dns_front)" "status"
	run in_router "$XDPLUA" status dns -j
	expect_contains "$OUT" '"program":"dns_front"' "status -j"
	expect_contains "$(qdig www.example.test)" "10.53.9.1" "first answer (upstream)"
	tx0=$(tx)
	expect_contains "$(qdig www.example.test)" "10.53.9.1" "second answer"
	expect_eq "$(tx)" $((tx0 + 1)) "answered by XDP behind the front"
	expect_eq "$(dns_upstream_queries www.example.test)" 1 "upstream queries"
	# other traffic through the router does not enter Lua
	runs=$(stat dns runs)
	run in_client ping -c 5 -i 0.2 -W 2 $DNS_UPSTREAM_IP
	for i in 1 2 3 4 5; do echo x; done | in_client nc -u -w 1 -q 1 $DNS_UPSTREAM_IP 5353 || true
	expect_eq "$(stat dns runs)" "$runs" "Lua runs for ICMP and UDP 5353"
	# the default dispatcher again: every packet enters Lua
	run in_router "$XDPLUA" attach dns r0
	expect_contains "$OUT" "to r0 (native), replacing program dns_front" "back to the default"
	run in_client ping -c 2 -i 0.2 -W 2 $DNS_UPSTREAM_IP
	expect_ge "$(stat dns runs)" $((runs + 2)) "Lua runs for ICMP"
	run in_router "$XDPLUA" -d r1
	expect_contains "$OUT" "detached dns" "detach the front"
}

test_dns_front_errors() {
	expect_fail in_router "$XDPLUA" attach dns r0 --prog "$T/none.bpf.o"
	expect_contains "$OUT" "cannot open $T/none.bpf.o: no such file" "missing file"
	expect_fail in_router "$XDPLUA" attach dns r0 --prog build/bpf/trivial_pass.bpf.o
	expect_contains "$OUT" "has no 'const volatile __u32 xdplua_script_id'" "no script id"
	echo junk > "$T/junk.bpf.o"
	expect_fail in_router "$XDPLUA" attach dns r0 --prog "$T/junk.bpf.o"
	expect_contains "$OUT" "cannot open $T/junk.bpf.o" "not an ELF file"
	# nothing changed: the default dispatcher still runs dns.lua
	run in_router "$XDPLUA" status dns
	expect_contains "$OUT" "r0 (native), r1 (native)" "still attached"
}
