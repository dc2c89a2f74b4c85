# shellcheck shell=bash
# XDPLua test library: a tiny runner for test_* functions, assertions, and
# the network namespaces the kernel tests use.
#
# A suite is a file of test_* functions. run_suite sources it and runs each
# function in its own subshell with `set -e`; it prints one line per test:
#   PASS suite/test_name
#   FAIL suite/test_name   (followed by the test's output, indented)
#   SKIP suite/test_name: reason
# A test fails by returning non-zero (any failing command) or calling fail;
# it skips by calling skip. Suites may define setup/teardown, run around
# every test.

XDPLUA=${XDPLUA:-$PWD/build/bin/xdplua}
EXAMPLES=$PWD/examples
TMPDIR=${TMPDIR:-/tmp}
SKIP_CODE=77

fail() { echo "FAILED: $*" >&2; exit 1; }
skip() { echo "$*" > "$T/.skip"; exit $SKIP_CODE; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_ge ACTUAL MIN WHAT
expect_ge() {
	[ "$1" -ge "$2" ] 2>/dev/null || fail "$3: expected at least $2, got '$1'"
}

# expect_contains TEXT NEEDLE WHAT
expect_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "$3: expected to contain '$2', got: $1" ;;
	esac
}

# expect_not_contains TEXT NEEDLE WHAT
expect_not_contains() {
	case "$1" in
	*"$2"*) fail "$3: expected not to contain '$2', got: $1" ;;
	esac
}

# expect_fail COMMAND...: the command must exit non-zero; its output is in $OUT
expect_fail() {
	if OUT=$("$@" 2>&1); then
		fail "'$*' succeeded but should have failed: $OUT"
	fi
}

# expect_kernel_clean: no kernel report (BUG, Oops, GPF, WARNING, stalls,
# sanitizers) in the kernel log; userspace crashes ("traps:") are not the
# kernel's
expect_kernel_clean() {
	local reports
	reports=$(dmesg | grep -E 'BUG:|Oops|general protection|WARNING:|self-detected stall|soft lockup|KASAN|UBSAN|lockdep' |
		grep -v 'traps:') || true
	[ -z "$reports" ] || fail "the kernel logged a problem: $reports"
}

# run COMMAND...: the command must succeed; its output is in $OUT
run() {
	OUT=$("$@" 2>&1) || fail "'$*' failed: $OUT"
}

# selected SUITE/TEST: ONLY unset, or one of its comma-separated patterns
# is in SUITE/TEST
selected() {
	local p
	[ -n "${ONLY:-}" ] || return 0
	for p in ${ONLY//,/ }; do
		[[ $1 == *"$p"* ]] && return 0
	done
	return 1
}

run_suite() {
	local file=$1 suite t rc out
	suite=$(basename "$file" .sh)
	# shellcheck disable=SC1090
	. "$file"
	for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
		if ! selected "$suite/$t"; then
			unset -f "$t"
			continue
		fi
		T=$(mktemp -d "$TMPDIR/xdplua-test.XXXXXX")
		out=$( (
			set -e
			cd "$PROJECT"
			if declare -F setup >/dev/null; then setup; fi
			trap 'if declare -F teardown >/dev/null; then teardown >/dev/null 2>&1; fi' EXIT
			$t
		) 2>&1 )
		rc=$?
		case $rc in
		0) echo "PASS $suite/$t" ;;
		"$SKIP_CODE") echo "SKIP $suite/$t: $(cat "$T/.skip" 2>/dev/null)" ;;
		*) echo "FAIL $suite/$t"; printf '%s\n' "$out" | sed 's/^/    /' | tail -40 ;;
		esac
		rm -rf "$T"
		unset -f "$t"
	done
	unset -f setup teardown 2>/dev/null || true
}

# Under qemu's TCG, a CPU can run stale code while the kernel patches a
# static key (text_poke_bp), which crashes the guest in the network stack's
# hot paths. Keep the keys the tests would toggle switched on for the whole
# run: packet timestamps (ping enables them) and generic XDP.
hold_static_keys() {
	python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)  # SO_TIMESTAMP
time.sleep(1 << 30)' &
	ip netns add xl-keys 2>/dev/null || true
	ip -n xl-keys link add xk0 type veth peer name xk1 2>/dev/null || true
	ip -n xl-keys link set xk0 xdpgeneric obj build/bpf/trivial_drop.bpf.o sec xdp 2>/dev/null ||
		echo "note: could not hold the generic XDP static key" >&2
	sleep 1
}

# --- topology for kernel tests -------------------------------------------
#
#   netns xl-a                    netns xl-b
#   a0 10.77.0.1/24 <-- veth --> b0 10.77.0.2/24   (XDP on b0: traffic
#                                                   from A is seen by Lua)
#
# Both namespaces are private to the test VM.
A_IP=10.77.0.1
B_IP=10.77.0.2

topo_up() {
	topo_down
	ip netns add xl-a
	ip netns add xl-b
	ip link add a0 netns xl-a type veth peer name b0 netns xl-b
	ip -n xl-a addr add $A_IP/24 dev a0
	ip -n xl-b addr add $B_IP/24 dev b0
	# IPv4 only: no IPv6 neighbour discovery noise in the counters
	ip netns exec xl-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec xl-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n xl-a link set a0 up
	ip -n xl-b link set b0 up
	ip -n xl-a link set lo up
	ip -n xl-b link set lo up
	# no neighbour discovery surprises
	ip netns exec xl-a ping -c 1 -W 2 $B_IP >/dev/null
}

topo_down() {
	ip netns del xl-a 2>/dev/null || true
	ip netns del xl-b 2>/dev/null || true
}

in_a() { ip netns exec xl-a "$@"; }
in_b() { ip netns exec xl-b "$@"; }

# xdplua_b ARGS...: the CLI in netns xl-b, where b0 lives
xdplua_b() { in_b "$XDPLUA" "$@"; }

# attach_script NAME 'LUA SOURCE' [OPTIONS...]: write NAME.lua, attach it to b0
attach_script() {
	local name=$1 src=$2
	shift 2
	printf '%s\n' "$src" > "$T/$name.lua"
	run xdplua_b -L "$T/$name.lua" "$@" b0
}

# in_each_netns COMMAND...: run COMMAND in the root network namespace and in
# every named one (scripts and tables belong to the namespace that made them)
in_each_netns() {
	"$@"
	local ns
	for ns in $(ip netns list | awk '{print $1}'); do
		ip netns exec "$ns" "$@"
	done
}

# status_all: `xdplua status -j` of every namespace, one JSON document a line
status_all() {
	in_each_netns "$XDPLUA" status -j 2>/dev/null
}

# cleanup_scripts: detach from b0, unload every script in every namespace
cleanup_scripts() {
	in_b "$XDPLUA" -d b0 2>/dev/null || true
	in_each_netns sh -c '
		for s in $("$0" status -j | python3 -c "import json,sys; d=json.load(sys.stdin); print(\" \".join(s[\"name\"] for s in (d[\"scripts\"] if isinstance(d, dict) else d)))"); do
			"$0" unload "$s" || true
		done' "$XDPLUA"
}

# udp_count N: send N datagrams from A to B port 9000 and print how many
# B received.
udp_count() {
	python3 "$PROJECT/tests/udp.py" --ns-send xl-a --ns-recv xl-b \
		--dst $B_IP --port 9000 --count "$1"
}

# stat NAME KEY...: counters (runs, pass, drop, errors, ...) or fields
# (entry, last_error, mem_used, ...) of a loaded script, from one
# `xdplua status -j` per namespace, space-separated; "absent" when no such
# script is loaded in any namespace.
stat() {
	status_all | python3 -c '
import json, sys
name, keys = sys.argv[1], sys.argv[2:]
text, pos, dec = sys.stdin.read(), 0, json.JSONDecoder()
while text[pos:].strip():
    doc, end = dec.raw_decode(text[pos:].lstrip())
    pos = len(text) - len(text[pos:].lstrip()) + end
    scripts = doc["scripts"] if isinstance(doc, dict) else doc
    for s in scripts:
        if s["name"] == name:
            vals = [s["stats"].get(k, s.get(k)) for k in keys]
            print(" ".join("" if v is None else str(v) for v in vals))
            sys.exit(0)
print("absent")
' "$@"
}

# udp_request PAYLOAD: send one datagram from A to B port 9000 and print the
# reply A receives ("(no reply)" if none within a second). The request is
# padded with 200 spaces after a NUL: on veth an XDP program can grow a
# packet only by a few bytes (the buffer is sized to the packet), so replies
# must fit in the request.
udp_request() {
	python3 "$PROJECT/tests/udp.py" --ns-send xl-a --ns-recv xl-b \
		--dst $B_IP --port 9000 --request "$1" --pad 200
}
