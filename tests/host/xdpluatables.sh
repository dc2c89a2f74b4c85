# Host tests of the xdpluatables command line: the rule parser, its errors
# and the canonical form of rules (--dry-run), without the module.

XDPLUATABLES=${XDPLUATABLES:-$PWD/build/bin/xdpluatables}

# usage_error MESSAGE ARGS...: exit status 2 and MESSAGE in the error
usage_error() {
	local msg=$1 rc
	shift
	set +e
	OUT=$("$XDPLUATABLES" --dry-run "$@" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status of '$*' ($OUT)"
	expect_contains "$OUT" "xdpluatables: $msg" "message of '$*'"
}

# canonical 'RULE' 'EXPECTED': --dry-run prints the rule as -S would
canonical() {
	local rule=$1
	run "$XDPLUATABLES" $rule --dry-run
	expect_eq "$OUT" "$2" "'$rule'"
}

test_seed_form() {
	canonical "-d 10.0.0.2 --dport 2222 -p udp --to-destination 192.168.0.1:53 eth0" \
		"-A PREROUTING -d 10.0.0.2/32 -i eth0 -p udp --dport 2222 -j DNAT --to-destination 192.168.0.1:53"
}

test_canonical_forms() {
	canonical "-A PREROUTING -i eth0 -s 10.1.2.3/24 -j DROP" "-A PREROUTING -s 10.1.2.0/24 -i eth0 -j DROP"
	canonical "-s 10.1.2.3/255.255.0.0 -j DROP eth0" "-A PREROUTING -s 10.1.0.0/16 -i eth0 -j DROP"
	canonical "-s 0.0.0.0/0 -d 10.0.0.2 -j DROP eth0" "-A PREROUTING -d 10.0.0.2/32 -i eth0 -j DROP"
	canonical "-j MASQUERADE eth1" "-A POSTROUTING -o eth1 -j MASQUERADE"
	canonical "-t nat -A POSTROUTING -o eth1 -s 10.0.0.0/8 -j SNAT --to-source 192.0.2.1" \
		"-A POSTROUTING -s 10.0.0.0/8 -o eth1 -j SNAT --to-source 192.0.2.1"
	canonical "-p tcp -m tcp --sport 1024: --dport :1023 -j ACCEPT -i eth0" \
		"-A PREROUTING -i eth0 -p tcp --sport 1024:65535 --dport 0:1023 -j ACCEPT"
	canonical "-p udp --dport 0:65535 -j DROP eth0" "-A PREROUTING -i eth0 -p udp -j DROP"
	canonical "-p 6 --dport=80 --to-destination 10.9.9.9 eth0" \
		"-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.9.9.9"
	canonical "-o eth1 -j ACCEPT" "-A POSTROUTING -o eth1 -j ACCEPT"
	canonical "-I PREROUTING 3 -p icmp -j ACCEPT eth0" "-A PREROUTING -i eth0 -p icmp -j ACCEPT"
	canonical "-D PREROUTING -p icmp -j ACCEPT eth0" "-A PREROUTING -i eth0 -p icmp -j ACCEPT"
}

test_address_errors() {
	usage_error "invalid address for -s: 'foo'" -s foo -j DROP eth0
	usage_error "invalid address for -d: '10.0.0'" -d 10.0.0 -j DROP eth0
	usage_error "invalid address for -d: '10.0.0.256'" -d 10.0.0.256 -j DROP eth0
	usage_error "invalid prefix length for -s: '33'" -s 10.0.0.0/33 -j DROP eth0
	usage_error "invalid prefix length for -s: '-1'" -s 10.0.0.0/-1 -j DROP eth0
	usage_error "invalid prefix length for -s: '255.0.255.0'" -s 10.0.0.0/255.0.255.0 -j DROP eth0
	usage_error "invalid prefix length for -s: ''" -s 10.0.0.0/ -j DROP eth0
	usage_error "-s given twice" -s 10.0.0.1 -s 10.0.0.2 -j DROP eth0
	usage_error "invalid address in --to-destination '10.0.0.300:53'" -p udp --to-destination 10.0.0.300:53 eth0
	usage_error "invalid address in --to-destination '0.0.0.0' (a unicast address)" --to-destination 0.0.0.0 eth0
	usage_error "invalid address in --to-destination '255.255.255.255'" --to-destination 255.255.255.255 eth0
	usage_error "--to-destination '10.0.0.1-10.0.0.9': address and port ranges are not supported" --to-destination 10.0.0.1-10.0.0.9 eth0
	usage_error "invalid port in --to-destination '10.0.0.1:0'" -p udp --to-destination 10.0.0.1:0 eth0
	usage_error "invalid port in --to-destination '10.0.0.1:65536'" -p udp --to-destination 10.0.0.1:65536 eth0
	usage_error "invalid port in --to-destination '10.0.0.1:'" -p udp --to-destination 10.0.0.1: eth0
	usage_error "--to-source takes an address only" -j SNAT --to-source 10.0.0.1:80 -o eth1
}

test_port_and_protocol_errors() {
	usage_error "invalid port for --dport: '65536'" -p udp --dport 65536 -j DROP eth0
	usage_error "invalid port for --dport: '-1'" -p udp --dport -1 -j DROP eth0
	usage_error "invalid port for --sport: 'domain'" -p udp --sport domain -j DROP eth0
	usage_error "invalid port for --dport: '99999999999999999999'" -p udp --dport 99999999999999999999 -j DROP eth0
	usage_error "invalid port range for --dport: '90:80'" -p tcp --dport 90:80 -j DROP eth0
	usage_error "invalid port for --dport: '1:2:3'" -p tcp --dport 1:2:3 -j DROP eth0
	usage_error "--sport and --dport need -p udp or -p tcp" --dport 80 -j DROP eth0
	usage_error "--sport and --dport need -p udp or -p tcp" -p icmp --dport 80 -j DROP eth0
	usage_error "unsupported protocol 'gre'" -p gre -j DROP eth0
	usage_error "unsupported protocol '47'" -p 47 -j DROP eth0
	usage_error "a port in --to-destination needs -p udp or -p tcp" --to-destination 10.0.0.1:53 eth0
	usage_error "-m tcp does not agree with -p udp" -p udp -m tcp --dport 1 -j DROP eth0
	usage_error "unsupported match module 'conntrack'" -m conntrack -j DROP eth0
}

test_target_and_chain_errors() {
	usage_error "the rule has no target" -d 10.0.0.2 eth0
	usage_error "unsupported target 'REJECT'" -j REJECT eth0
	usage_error "-j given twice" -j DROP -j ACCEPT eth0
	usage_error "DNAT needs --to-destination" -p udp --dport 1 -j DNAT eth0
	usage_error "SNAT needs --to-source" -j SNAT eth1
	usage_error "MASQUERADE needs the egress interface" -j MASQUERADE
	usage_error "--to-destination goes with -j DNAT, not DROP" -j DROP --to-destination 10.0.0.1 eth0
	usage_error "--to-source goes with -j SNAT, not MASQUERADE" -j MASQUERADE --to-source 10.0.0.1 eth0
	usage_error "DNAT is a PREROUTING target" -A POSTROUTING --to-destination 10.0.0.1 -o eth1
	usage_error "DROP is a PREROUTING target" -A POSTROUTING -j DROP -o eth1
	usage_error "MASQUERADE is a POSTROUTING target" -A PREROUTING -j MASQUERADE -i eth0
	usage_error "-o (the egress interface) is for POSTROUTING rules" -j DROP -o eth1
	usage_error "-i (the ingress interface) is for PREROUTING rules" -j MASQUERADE -i eth0 -o eth1
	usage_error "no chain 'FORWARD'" -A FORWARD -j DROP eth0
	usage_error "no table 'mangle'" -t mangle -j DROP eth0
	usage_error "negation ('!') is not supported" ! -s 10.0.0.1 -j DROP eth0
}

test_interface_errors() {
	usage_error "interface wildcards ('eth+') are not supported" -j DROP eth+
	usage_error "invalid interface name for -i: 'averyveryverylongname'" -i averyveryverylongname -j DROP
	usage_error "invalid interface name for -i: 'a/b'" -i a/b -j DROP
	usage_error "two interfaces: eth0 given with -i and as 'eth1'" -i eth0 -j DROP eth1
	usage_error "unexpected argument 'eth1' (one interface only, 'eth0' already given)" -j DROP eth0 eth1
}

test_command_errors() {
	usage_error "unknown option '--frobnicate'" --frobnicate
	usage_error "option -s needs a value" -j DROP eth0 -s
	usage_error "option --flows takes no value" --flows=1
	usage_error "one command at a time" -L -F
	usage_error "-D with a rule number needs the chain: -D PREROUTING 3" -D 3
	usage_error "-D takes a rule number or a rule, not both" -D PREROUTING 1 -j DROP eth0
	usage_error "invalid rule number '0'" -D PREROUTING 0
	usage_error "this command takes no rule" -L -j DROP
	usage_error "-A needs a rule" -A PREROUTING
	usage_error "no command" -n
	usage_error "invalid --timeout tcp=0" --timeout tcp=0
	usage_error "unknown timeout 'sctp'" --timeout sctp=5
	usage_error "invalid --timeout 'udp'" --timeout udp
	usage_error "--dry-run goes with a rule" -L
}

test_help_and_restore_name() {
	run "$XDPLUATABLES" -h
	expect_contains "$OUT" "--to-destination ADDR[:PORT]" "usage"
	[ -L build/bin/xdpluatables-restore ] || fail "xdpluatables-restore missing"
	[ -L build/bin/xdpluatables-save ] || fail "xdpluatables-save missing"
}

test_without_module() {
	[ ! -d /sys/module/xdplua ] || skip "the module is loaded here"
	expect_fail "$XDPLUATABLES" -L
	expect_contains "$OUT" "xdpluatables: the xdplua kernel module is not loaded" "explains"
}

test_restore_file_errors() {
	printf -- '# saved\n-A PREROUTING -j DROP eth0\n\n-L\n' > "$T/bad"
	set +e
	OUT=$("$XDPLUATABLES" --restore "$T/bad" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status"
	expect_contains "$OUT" "xdpluatables: $T/bad:4: -L has no place in a restore file" "names the line"
	printf -- '-A PREROUTING -j DROP eth0 -p udp --dport 7x\n' > "$T/bad"
	expect_fail "$XDPLUATABLES" --restore "$T/bad"
	expect_contains "$OUT" "$T/bad:1: invalid port for --dport: '7x'" "bad port"
	expect_fail "$XDPLUATABLES" --restore "$T/nonexistent"
	expect_contains "$OUT" "cannot open $T/nonexistent" "missing file"
}
