#!/bin/bash
# make test-debug: the kernel suites on the debug kernel (KASAN, lockdep with
# PROVE_LOCKING and PROVE_RCU, DEBUG_ATOMIC_SLEEP, UBSAN, kmemleak), built
# by scripts/debug-kernel.sh (cached under build/debug-kernel/).
#
#   scripts/test-debug.sh [--only PATTERN]
#
# Boots the debug kernel in the VM harness with the module built for it,
# runs tests/kernel/*.sh (tests/vm/debug-suites), then fails if
#   - a test failed,
#   - the kernel logged any report: KASAN, UBSAN, lockdep, RCU ("BUG:",
#     "WARNING:", "UBSAN:", Oops, stalls, hung tasks, debugobjects, list
#     corruption), whatever code it points into,
#   - kmemleak found an unreferenced object allocated by xdplua (a frame in
#     xdplua, by name or, after rmmod, in the module area), or did not scan,
#   - xdplua could not be unloaded after the suites.
# Other kmemleak reports (the kernel's own) are printed, not counted.
# Ends with "N passed, M failed, K skipped" (a kernel report or a leak
# counts as a failed test). Logs: build/debug-kernel/{run.log,console.log}.
#
# Environment: TIMEOUT (seconds for the VM, default 10800), SMP (2), MEM (3G).
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
export BUILD
DK=$BUILD/debug-kernel
ONLY=""
case ${1:-} in
--only) ONLY=${2:?--only needs a pattern} ;;
"") ;;
*) echo "usage: scripts/test-debug.sh [--only PATTERN]" >&2; exit 2 ;;
esac

start=$(date +%s)
make -s all || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
sh scripts/debug-kernel.sh || { echo "debug kernel build failed"; echo "0 passed, 1 failed"; exit 1; }
built=$(date +%s)

KO=$DK/module/xdplua.ko
RUNLOG=$DK/run.log
CONSOLE=$DK/console.log
rm -f "$CONSOLE"
# On a busy host, a TCG guest calibrates its TSC wrong and its clock runs
# several times too fast: the soft-lockup watchdog (20 s) and RCU's stall
# warnings then report vCPUs that the host did not schedule, not the
# kernel's code. No soft-lockup watchdog; RCU stalls after 300 s.
APPEND="nosoftlockup rcupdate.rcu_cpu_stall_timeout=300"
echo "test-debug: booting $(cat "$DK/kernel-release") (log: $RUNLOG, kernel console: $CONSOLE)"
tests/vm/run --kernel "$DK/linux-source-6.12/vmlinux" --module "$KO" \
	--smp "${SMP:-2}" --mem "${MEM:-3G}" --timeout "${TIMEOUT:-10800}" \
	--console-log "$CONSOLE" --append "$APPEND" -- \
	env ${ONLY:+ONLY="$ONLY"} tests/vm/debug-suites "$KO" 2>&1 | tee "$RUNLOG"
rc=${PIPESTATUS[0]}
end=$(date +%s)

problems=0
if [ "$rc" != 0 ]; then
	echo "FAIL vm: the VM run ended with status $rc"
	problems=$((problems + 1))
fi

# Kernel reports in the console log: each printed from its first line, up
# to 80 lines or its end marker.
REPORT='BUG:|WARNING:|UBSAN:|KASAN:|Oops|Kernel panic|general protection fault|kernel BUG at|rcu: INFO|detected stalls|blocked for more than|ODEBUG:|list_(add|del) corruption|soft lockup|hard LOCKUP'
nreports=0
if [ -f "$CONSOLE" ]; then
	nreports=$(grep -Ec "$REPORT" "$CONSOLE")
	if [ "$nreports" -gt 0 ]; then
		echo "FAIL kernel: $nreports report lines in the kernel log ($CONSOLE):"
		awk -v re="$REPORT" '
			n == 0 && $0 ~ re { n = 80; print "----" }
			n > 0 { print; n--; if ($0 ~ /---\[ end trace|==================/ && n < 78) n = 0 }' "$CONSOLE"
		problems=$((problems + 1))
	fi
else
	echo "FAIL kernel: no console log"
	problems=$((problems + 1))
fi

# kmemleak: the objects between the markers, one block per "unreferenced
# object"; the same object may be listed by both scans.
leaks=$(awk '/^KMEMLEAK-BEGIN/ { on = 1; next } /^KMEMLEAK-END/ { on = 0 } on' "$RUNLOG" |
	awk '
		/^unreferenced object/ { flush(); obj = $3; text = $0 "\n"; next }
		obj != "" { text = text $0 "\n"; if ($0 ~ /\[xdplua\]|^ +0xffffffff[a-f][0-9a-f]+$/) ours = 1 }
		function flush() {
			if (obj != "" && !(obj in seen)) { seen[obj] = 1; printf "%s%s", ours ? "XDPLUA " : "OTHER ", text }
			obj = ""; ours = 0
		}
		END { flush() }')
nours=$(printf '%s' "$leaks" | grep -c '^XDPLUA unreferenced')
nother=$(printf '%s' "$leaks" | grep -c '^OTHER unreferenced')
if ! grep -q '^KMEMLEAK-END' "$RUNLOG"; then
	echo "FAIL kmemleak: no scan result"
	problems=$((problems + 1))
elif [ "$nours" -gt 0 ]; then
	echo "FAIL kmemleak: $nours objects leaked by xdplua:"
	printf '%s\n' "$leaks" | awk '/^(XDPLUA|OTHER) / { p = /^XDPLUA/ } p'
	problems=$((problems + 1))
fi
if [ "$nother" -gt 0 ]; then
	echo "note: kmemleak: $nother unreferenced objects not from xdplua (not counted):"
	printf '%s\n' "$leaks" | awk '/^(XDPLUA|OTHER) / { p = /^OTHER/ } p' | head -n 60
fi

if grep -q '^debug-suites: rmmod xdplua failed' "$RUNLOG"; then
	echo "FAIL rmmod: xdplua could not be unloaded after the suites"
	problems=$((problems + 1))
fi

passed=$(grep -c '^PASS ' "$RUNLOG")
failed=$(grep -c '^FAIL ' "$RUNLOG")
skipped=$(grep -c '^SKIP ' "$RUNLOG")
echo "test-debug: kernel and module ready in $((built - start)) s, suites on the debug kernel in $((end - built)) s"
echo "test-debug: kernel reports: $nreports lines; kmemleak: $nours from xdplua, $nother others"
echo "$passed passed, $((failed + problems)) failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$problems" = 0 ] && [ "$passed" -gt 0 ]
