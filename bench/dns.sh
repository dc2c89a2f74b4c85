#!/bin/bash
# DNS answers per second: cache hits answered by dns.lua from XDP beside
# dnsmasq, Knot DNS and Unbound (Debian's packages) answering the same name
# with the same A record, and the rows of a DNS server behind the router.
# Everything runs in one VM boot (Debian's 6.12 kernel, 2 vCPUs, TCG), on
# the veth topology of examples/dns/topology.sh:
#
#   bench/dns.sh [--seconds N] [--rounds N] [--qps N] [--batch N]
#                [--latency-qps N] [--latency-seconds N] [--cases LIST]
#
# (boots the VM itself; run `make all` first, as root: the bench-only
# packages knot and unbound are installed on this machine by
# `scripts/deps.sh --bench` when missing, their services neither started
# nor enabled). Writes build/bench/dns.md (and prints it), and
# build/bench/dns.png with bench/plot.py.
#
# Generator: kxdpgun (knot-dnsutils) in the client namespace, native XDP
# and AF_XDP on the client veth c0, one thread, --qps queries per second
# offered (default 200000, more than TCG lets it send: "sent q/s" is what
# it sent), in batches of --batch (default 100: under TCG kxdpgun's own
# default of 10 sent about 14k q/s, 100 about 35k, 1000 less), --seconds
# per run (default 5), one query name per case, no EDNS. Its counts of
# sent queries and of replies give the answered q/s and the share of
# offered (= sent) queries answered. On veth, AF_XDP sends in copy mode:
# a frame is free again only once the receiving side has consumed its skb,
# so kxdpgun is paced by r0's XDP program in the XDP rows (sent = about
# answered), not by a server's socket, where the excess is dropped. XDP on
# veth sees skbs, not a driver's frames: veth copies each into a page of
# its own first, a cost a NIC would not add. kxdpgun measures no latency: p50
# and p99 come from a separate low-rate run of dnsperf -v (per-query
# latencies, --latency-qps for --latency-seconds, default 500 q/s for 2 s,
# at most 10 outstanding) against the same case right after, with the
# kernel's UDP socket on c0 instead of AF_XDP.
#
# Cases (every case once per round, --rounds rounds, default 4, in the
# same order; the table has the medians):
#
#   xdp-hit     dns.lua on the router (r0, r1), the name cached: r0 answers
#               from XDP (XDP_TX) in place of the upstream 10.53.2.53
#   xdp-fixed   floor: a 10-line script on r0 answering every query with the
#               same bytes from XDP, no parsing
#   dnsmasq     dnsmasq in the router namespace on 10.53.1.11 (r0), the name
#               as --host-record, no cache, one process
#   knot        Knot DNS (knotd) on 10.53.1.12, the name in a zone, 2 UDP
#               workers, its own config in a temp dir, no systemd
#   unbound     Unbound on 10.53.1.13, the name as local-data, 2 threads,
#               no chroot, no remote control, iterator module only
#   upstream    dnsmasq in the upstream namespace answers through the
#               router (routing only, nothing on XDP)
#   xdp-pass    the same with an eBPF XDP_PASS program on both router
#               veths (the cost of XDP on veth itself)
#   miss        dns.lua on the router, a name dnsmasq answers NXDOMAIN:
#               dns.lua parses the query and the answer and passes both
#
# Every case is checked with dig before it is measured (the right address,
# and for the XDP rows the script's TX counter moving); a case that answers
# nothing, or a run with no reply, is an ERROR row and the exit status is 1.
#
# The CPU split. On veth the receive side of a frame runs where it is sent:
# without more, kxdpgun's vCPU would also run r0's XDP program (and the
# router's stack) in its softirq, while the servers had the other vCPU to
# themselves. So every veth runs threaded NAPI: `ethtool -K DEV gro on tso
# off` (GRO gives veth its NAPI without an XDP program; without TSO on the
# sending peer every frame is eligible for it, the AF_XDP frames of kxdpgun
# included) and `echo 1 > /sys/class/net/DEV/threaded`; the kthreads
# napi/DEV-ID are pinned with taskset: the client's c0 on vCPU 0 with
# kxdpgun (-F 0) and dnsperf, the router's and upstream's (r0, r1, u0) on
# vCPU 1 with the servers (started under taskset -c 1). The pinning is
# redone before every run (attaching XDP may recreate the threads). It is
# verified per run: the CPU time of the napi/r0 kthread (where r0's XDP
# program and stack run) and the NET_RX softirqs of each vCPU over the run
# (/proc/softirqs: none, so no NAPI ran in a softirq, on kxdpgun's vCPU or
# elsewhere), printed below the table with the vCPU each NAPI kthread may
# run on and ran on last; the table shows how busy each vCPU was (/proc/stat
# sampled every second during kxdpgun's run, median, its first and last
# second left out).
#
# TCG timings: only the ratios within one run mean something.
set -eu
cd "$(dirname "$0")/.."
SECS=5 ROUNDS=4 QPS=200000 BATCH=100 LAT_QPS=500 LAT_SECS=2
ALL_CASES="xdp-hit xdp-fixed dnsmasq knot unbound upstream xdp-pass miss"
CASES=$ALL_CASES
ARGS=("$@")
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) SECS=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--qps) QPS=$2; shift 2 ;;
	--batch) BATCH=$2; shift 2 ;;
	--latency-qps) LAT_QPS=$2; shift 2 ;;
	--latency-seconds) LAT_SECS=$2; shift 2 ;;
	--cases) CASES=${2//,/ }; shift 2 ;;
	-h|--help) sed -n '2,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) echo "bench/dns.sh: unknown option $1 (--help)" >&2; exit 2 ;;
	esac
done
for c in $CASES; do
	case " $ALL_CASES " in *" $c "*) ;; *) echo "bench/dns.sh: no case $c ($ALL_CASES)" >&2; exit 2 ;; esac
done
OUT=build/bench/dns.md

if [ -z "${XDPLUA_VM:-}" ]; then
	if [ ! -x /usr/sbin/knotd ] || [ ! -x /usr/sbin/unbound ]; then
		[ "$(id -u)" = 0 ] || { echo "bench/dns.sh: knot and unbound missing: run scripts/deps.sh --bench as root" >&2; exit 1; }
		sh scripts/deps.sh --bench
	fi
	ncases=$(echo $CASES | wc -w)
	# TCG: a guest second is several host seconds under load
	timeout=$(( 300 + ROUNDS * ncases * (SECS + LAT_SECS + 15) * 4 ))
	rc=0
	tests/vm/run --timeout $timeout -- bench/dns.sh "${ARGS[@]}" || rc=$?
	[ -s "$OUT" ] && /usr/bin/python3 bench/plot.py "$OUT"
	exit $rc
fi

trap 'echo "bench/dns.sh: line $LINENO failed (status $?)" >&2' ERR
. tests/lib.sh
hold_static_keys >/dev/null 2>&1
. examples/dns/topology.sh
D=$(mktemp -d)
DNSMASQ_IP=10.53.1.11 KNOT_IP=10.53.1.12 UNBOUND_IP=10.53.1.13
ANSWER=10.53.9.1	# www.example.test A, as dns_upstream_start has it
mkdir -p "$(dirname "$OUT")"
: > "$D/results"
ERRORS=0

cleanup() {
	local f
	for f in "$D"/*.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	dns_detach >/dev/null 2>&1
	dns_topo_down
}
trap cleanup EXIT

# --- the topology, the servers, the CPU split -----------------------------

dns_topo_up
dns_upstream_start "$D/upstream.log" --quiet
for a in $DNSMASQ_IP $KNOT_IP $UNBOUND_IP; do
	ip -n dns-router addr add $a/24 dev r0
done
C0_MAC=$(in_client cat /sys/class/net/c0/address)
R0_MAC=$(in_router cat /sys/class/net/r0/address)

# threaded NAPI on every veth (see the header)
for dev in dns-client:c0 dns-router:r0 dns-router:r1 dns-upstream:u0; do
	ip netns exec "${dev%:*}" ethtool -K "${dev#*:}" gro on tso off >/dev/null
	ip netns exec "${dev%:*}" sh -c "echo 1 > /sys/class/net/${dev#*:}/threaded"
done

napi_threads() {	# "pid dev" of every NAPI kthread (napi/DEV-ID)
	grep -s '^napi/' /proc/[0-9]*/comm | sed 's,^/proc/\([0-9]*\)/comm:napi/\(.*\)-[0-9]*$,\1 \2,'
}
pin_napi() {
	local pid dev
	napi_threads | while read -r pid dev; do
		case $dev in
		c0) taskset -pc 0 "$pid" >/dev/null ;;
		*) taskset -pc 1 "$pid" >/dev/null ;;
		esac
	done
}
napi_ticks() {	# DEV -> CPU time of its NAPI kthreads (clock ticks)
	napi_threads | awk -v dev="$1" '$2 == dev {print "/proc/" $1 "/stat"}' |
		xargs -r cat | awk '{s += $14 + $15} END {print s + 0}'
}
netrx() { awk '/NET_RX/ {print $2, $3}' /proc/softirqs; }
cpu_busy() { awk '/^cpu[01] / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat | tr '\n' ' '; }
cpu_sampler() { while :; do cpu_busy; echo; sleep 1; done; }	# one line a second

# dnsmasq, Knot and Unbound in the router namespace on vCPU 1, the same A
# record as the upstream's (and so as dns.lua's cache)
in_router taskset -c 1 dnsmasq --no-resolv --no-hosts --conf-file=/dev/null --user=root \
	--bind-interfaces --listen-address=$DNSMASQ_IP --except-interface=lo \
	--pid-file="$D/dnsmasq.pid" --log-async --log-facility="$D/dnsmasq.log" \
	--cache-size=0 --local=/example.test/ --host-record=www.example.test,$ANSWER,300

mkdir -p "$D/knot"
cat > "$D/knot/example.test.zone" <<EOF
\$ORIGIN example.test.
\$TTL 300
@	SOA	ns hostmaster 1 3600 900 604800 300
@	NS	ns
ns	A	$KNOT_IP
www	A	$ANSWER
EOF
cat > "$D/knot/knot.conf" <<EOF
server:
    rundir: "$D/knot"
    user: root:root
    listen: $KNOT_IP@53
    udp-workers: 2
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$D/knot"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "$D/knot"
    file: "%s.zone"
zone:
  - domain: example.test
EOF
in_router taskset -c 1 knotd -c "$D/knot/knot.conf" > "$D/knot.log" 2>&1 &
echo $! > "$D/knot.pid"

cat > "$D/unbound.conf" <<EOF
server:
    username: ""
    chroot: ""
    directory: "$D"
    pidfile: "$D/unbound.pidfile"
    use-syslog: no
    logfile: ""
    verbosity: 0
    interface: $UNBOUND_IP
    port: 53
    num-threads: 2
    do-ip6: no
    access-control: 10.53.0.0/16 allow
    module-config: "iterator"
    local-zone: "example.test." static
    local-data: "www.example.test. 300 IN A $ANSWER"
remote-control:
    control-enable: no
EOF
in_router taskset -c 1 unbound -d -c "$D/unbound.conf" > "$D/unbound.log" 2>&1 &
echo $! > "$D/unbound.pid"
taskset -pc 1 "$(cat /tmp/dns-upstream.pid)" >/dev/null	# the upstream dnsmasq

cp bench/lua/dns_fixed.lua "$D/fixed.lua"	# answers $ANSWER to anything

# --- the cases -------------------------------------------------------------

# case NAME -> "target name what": where kxdpgun sends, what it asks, who answers
case_info() {
	case $1 in
	xdp-hit) echo "$DNS_UPSTREAM_IP www.example.test|hit, dns.lua answers from XDP" ;;
	xdp-fixed) echo "$DNS_UPSTREAM_IP www.example.test|floor: fixed answer from XDP" ;;
	dnsmasq) echo "$DNSMASQ_IP www.example.test|dnsmasq (1 process)" ;;
	knot) echo "$KNOT_IP www.example.test|Knot DNS, zone, 2 UDP workers" ;;
	unbound) echo "$UNBOUND_IP www.example.test|Unbound, local-data, 2 threads" ;;
	upstream) echo "$DNS_UPSTREAM_IP www.example.test|upstream dnsmasq via router" ;;
	xdp-pass) echo "$DNS_UPSTREAM_IP www.example.test|upstream, eBPF XDP_PASS on router" ;;
	miss) echo "$DNS_UPSTREAM_IP nope.example.test|miss through dns.lua (NXDOMAIN)" ;;
	esac
}

xdp_tx() { in_router "$DNS_XDPLUA" status -j | python3 -c '
import json, sys
d = json.load(sys.stdin); d = d["scripts"] if isinstance(d, dict) else d
print(sum(s["stats"]["tx"] for s in d))'; }

router_xdp_off() {
	dns_detach >/dev/null 2>&1 || true
	in_router "$DNS_XDPLUA" -d r0 >/dev/null 2>&1 || true
	ip -n dns-router link set r0 xdp off 2>/dev/null || true
	ip -n dns-router link set r1 xdp off 2>/dev/null || true
}

setup() {	# CASE: the router as the case needs it
	router_xdp_off
	case $1 in
	xdp-hit|miss) dns_attach >/dev/null ;;
	xdp-fixed) in_router "$DNS_XDPLUA" -L "$D/fixed.lua" r0 >/dev/null ;;
	xdp-pass) for i in r0 r1; do
			ip -n dns-router link set $i xdp obj build/bpf/trivial_pass.bpf.o sec xdp
		done ;;
	esac
}

client_xdp_pass() {	# veth delivers XDP_TX frames only to a peer with XDP
	# (kxdpgun leaves its own program attached: it must go)
	ip -n dns-client link set c0 xdp off
	ip -n dns-client link set c0 xdp obj build/bpf/trivial_pass.bpf.o sec xdp 2>/dev/null || true
}

check() {	# CASE TARGET NAME -> "" or what is wrong
	local got tx0 tx1 want=$ANSWER
	[ "$1" = miss ] && want=NXDOMAIN
	# dns.lua learns the name from the upstream's answer first
	[ "$1" = xdp-hit ] && in_client dig +noedns +short +time=2 +tries=2 @$2 $3 A >/dev/null 2>&1
	case $1 in xdp-*) tx0=$(xdp_tx) ;; esac
	if [ $want = NXDOMAIN ]; then
		got=$(in_client dig +noedns +time=2 +tries=2 @$2 $3 A 2>&1 | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
	else
		got=$(in_client dig +noedns +short +time=2 +tries=2 @$2 $3 A 2>&1 | head -1)
	fi
	[ "$got" = $want ] || { echo "dig @$2 $3: '${got:-no answer}', not $want"; return; }
	case $1 in xdp-hit|xdp-fixed)
		tx1=$(xdp_tx)
		[ "$tx1" -gt "$tx0" ] || echo "the answer to dig did not come from XDP (TX $tx0 -> $tx1)" ;;
	esac
}

measure() {	# ROUND CASE
	local info target name err out tx0=0 tx1=0
	info=$(case_info "$2")
	target=${info%% *} name=${info#* }; name=${name%%|*}
	setup "$2"
	client_xdp_pass
	pin_napi
	err=$(check "$2" $target $name)
	if [ -n "$err" ]; then
		echo "$2 $1 ERROR $err" >> "$D/results"
		echo "  $(date +%T) round $1 $2: ERROR $err" >&2
		return
	fi
	echo "$name. A" > "$D/q.txt"
	ip -n dns-client link set c0 xdp off	# kxdpgun attaches its own
	pin_napi
	case $2 in xdp-*) tx0=$(xdp_tx) ;; esac
	# counters over the generation only (kxdpgun's start and end are long
	# under TCG): from its "using interface" line to its per-thread total
	: > "$D/kx.txt"; : > "$D/busy"
	echo 0 0 0 0 0 0 0 > "$D/before"; echo 0 0 0 0 0 0 0 > "$D/after"
	in_client timeout $((SECS * 4 + 60)) taskset -c 0 stdbuf -oL kxdpgun \
		-t "$SECS" -Q "$QPS" -b "$BATCH" -F 0 -I c0 -l $DNS_CLIENT_IP \
		-L "$C0_MAC" -R "$R0_MAC" -i "$D/q.txt" $target 2>&1 |
	while IFS= read -r l; do
		case $l in
		"using interface"*)
			echo "$(napi_ticks r0) $(netrx) $(cpu_busy)" > "$D/before"
			cpu_sampler > "$D/busy" &
			echo $! > "$D/sampler.pid" ;;
		"thread#"*)
			kill "$(cat "$D/sampler.pid")" 2>/dev/null || true
			echo "$(napi_ticks r0) $(netrx) $(cpu_busy)" > "$D/after" ;;
		esac
		echo "$l" >> "$D/kx.txt"
	done
	# (no sampler left running if kxdpgun ended without its total)
	kill "$(cat "$D/sampler.pid" 2>/dev/null)" 2>/dev/null || true
	rm -f "$D/sampler.pid"
	# where the NAPI kthreads were allowed to run, and ran last
	napi_threads | while read -r pid dev; do
		echo "napi/$dev on vCPU $(awk '/Cpus_allowed_list/ {print $2}' /proc/$pid/status) (last $(awk '{print $39}' /proc/$pid/stat))"
	done | sort | paste -sd, - | sed 's/,/, /g' > "$D/napi-where"
	out=$(cat "$D/kx.txt")
	case $2 in xdp-*) tx1=$(xdp_tx) ;; esac
	echo "$out" > "$D/kxdpgun-$2-$1.txt"
	client_xdp_pass
	pin_napi
	# latency: a low-rate dnsperf run, per-query latencies (-v)
	in_client timeout $((LAT_SECS * 4 + 60)) taskset -c 0 dnsperf -s $target -d "$D/q.txt" -l "$LAT_SECS" -Q "$LAT_QPS" \
		-q 10 -t 2 -v > "$D/lat.txt" 2>&1 || true
	python3 - "$2" "$1" "$SECS" "$(cat "$D/before") $(cat "$D/after") $tx0 $tx1" "$D/lat.txt" \
		"$D/kxdpgun-$2-$1.txt" "$D/busy" >> "$D/results" <<'PY' || echo "$2 $1 ERROR kxdpgun: $(echo "$out" | tail -1)" >> "$D/results"
import re, sys
case, rnd, secs, nums, latf, outf, busyf = sys.argv[1:]
# napi/r0 ticks, NET_RX of vCPU 0 and 1, busy and idle ticks of vCPU 0 and 1,
# before and after the generation; the script's XDP TX count before and after
(p0, nr0, nr1, a0, i0, a1, i1, p1, nr0b, nr1b, a0b, i0b, a1b, i1b,
 tx0, tx1) = map(int, nums.split())
out = open(outf).read()
sent = re.search(r"total queries:\s+(\d+)", out)
repl = re.search(r"total replies:\s+(\d+)", out)
size = re.search(r"average DNS reply size:\s+(\d+)", out)
dur = re.search(r"duration:\s+([\d.]+)", out)
if not sent or not repl:
    sys.exit(1)
sent, repl = int(sent.group(1)), int(repl.group(1))
dur = float(dur.group(1)) if dur else float(secs)
lat = sorted(float(m) * 1e6 for m in
             re.findall(r"^> [A-Z]+ \S+ \S+ ([\d.]+)$", open(latf).read(), re.M))
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else -1
# how busy each vCPU was: the median of the 1-s samples over kxdpgun's run,
# its first and last second (setup, waiting for late replies) left out
samples = [list(map(int, l.split())) for l in open(busyf) if len(l.split()) == 4]
def busy(cpu):
    iv = [100.0 * (b[2 * cpu] - a[2 * cpu]) /
          max(1, b[2 * cpu] - a[2 * cpu] + b[2 * cpu + 1] - a[2 * cpu + 1])
          for a, b in zip(samples, samples[1:])]
    iv = sorted(iv[1:-1] if len(iv) > 2 else iv)
    return iv[len(iv) // 2] if iv else -1
print(case, rnd, "OK", sent / dur, repl / dur, 100.0 * repl / max(1, sent),
      size.group(1) if size else 0, pct(0.50), pct(0.99), len(lat),
      busy(0), busy(1), p1 - p0,
      nr0b - nr0, nr1b - nr1, tx1 - tx0, repl)
PY
	tail -1 "$D/results" | sed 's/^/  '"$(date +%T)"' round '"$1"': /' >&2
}

export LC_ALL=C
echo "bench/dns.sh: $ROUNDS rounds of: $CASES ($SECS s each)" >&2

# --- the table (rewritten after every round: a cut run keeps its rounds) ----

write_table() {	# ROUNDS-DONE
{
echo "DNS answers, $(date -u +%Y-%m-%d), kernel $(uname -r), $(nproc) vCPUs (qemu TCG):" \
	"kxdpgun (AF_XDP, native XDP on c0, 1 thread, vCPU 0) offering $QPS q/s" \
	"(batch $BATCH) for $SECS s per run, $1 of $ROUNDS interleaved rounds, medians;" \
	"servers and the router's threaded NAPI on vCPU 1; latency from dnsperf -v at" \
	"$LAT_QPS q/s for $LAT_SECS s (kernel UDP socket)."
echo
python3 - "$D/results" $CASES <<'PY'
import statistics, sys
path, cases = sys.argv[1], sys.argv[2:]
rows = {}
errors = {}
for line in open(path):
    f = line.split()
    if f[2] == "OK":
        rows.setdefault(f[0], []).append([float(x) for x in f[3:]])
    else:
        errors.setdefault(f[0], " ".join(f[3:]))
names = {
    "xdp-hit": "hit, dns.lua answers from XDP",
    "xdp-fixed": "floor: fixed answer from XDP",
    "dnsmasq": "dnsmasq (1 process)",
    "knot": "Knot DNS, zone, 2 UDP workers",
    "unbound": "Unbound, local-data, 2 threads",
    "upstream": "upstream dnsmasq via router",
    "xdp-pass": "upstream, eBPF XDP_PASS on router",
    "miss": "miss through dns.lua (NXDOMAIN)",
}
med = lambda c, i: statistics.median(r[i] for r in rows[c])
print("| case | answered q/s | % of offered | sent q/s | p50 µs | p99 µs | reply B | vCPU0/1 busy % | runs |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
notes = []
for c in cases:
    if c not in rows or c in errors:
        print("| %s | ERROR | %s | | | | | | |" % (names[c], errors.get(c, "no run")))
        continue
    n = len(rows[c])
    if med(c, 1) == 0:
        print("| %s | ERROR | no reply | %.0f | | | | | %d |" % (names[c], med(c, 0), n))
        errors[c] = "no reply"
        continue
    lat = lambda i: "%.0f" % med(c, i) if med(c, i) >= 0 else "-"
    print("| %s | %.0f | %.1f | %.0f | %s | %s | %.0f | %.0f/%.0f | %d |" % (
        names[c], med(c, 1), med(c, 2), med(c, 0), lat(4), lat(5), med(c, 3),
        med(c, 7), med(c, 8), n))
    notes.append("%s: napi/r0 %.2f s CPU per run, NET_RX softirqs vCPU0/1 %.0f/%.0f%s" % (
        c, med(c, 9) / 100.0, med(c, 10), med(c, 11),
        ", XDP TX %.0f for %.0f replies" % (med(c, 12), med(c, 13)) if c.startswith("xdp-") else ""))
print()
if "xdp-hit" in rows and "knot" in rows and "xdp-hit" not in errors and "knot" not in errors:
    print("XDP hits / Knot DNS: %.2fx (goal: at least 2x)." % (med("xdp-hit", 1) / med("knot", 1)))
if "xdp-hit" in rows and "dnsmasq" in rows and "xdp-hit" not in errors and "dnsmasq" not in errors:
    print("XDP hits / dnsmasq: %.2fx; / Unbound: %s." % (med("xdp-hit", 1) / med("dnsmasq", 1),
          "%.2fx" % (med("xdp-hit", 1) / med("unbound", 1)) if "unbound" in rows and "unbound" not in errors else "-"))
print()
print("Where the work ran (medians per run): " + "; ".join(notes) + ".")
print()
print("NAPI kthreads after the last run: %s." % open(sys.argv[1].rsplit("/", 1)[0] + "/napi-where").read().strip())
sys.exit(1 if errors else 0)
PY
} > "$D/table.md"
}

for r in $(seq 1 "$ROUNDS"); do
	for c in $CASES; do
		measure "$r" "$c"
	done
	write_table "$r" || ERRORS=1
	cp "$D/table.md" "$OUT"
done
router_xdp_off
cat "$OUT"
[ -s "$D/knot.log" ] && { echo "knotd said:"; cat "$D/knot.log"; } >&2
[ -s "$D/unbound.log" ] && { echo "unbound said:"; cat "$D/unbound.log"; } >&2
exit $ERRORS
