# Host tests of klua, the kernel's Lua, in its userspace home (libxdplua,
# `xdplua run --local`): its C library against the host's.
#
# tests/klua/libc-cases.c writes a script whose main chunk runs every
# string.format conversion, flag, width and precision Lua accepts for
# integers and strings, tostring of edge integers, the pattern classes for
# bytes 0..255 and string.byte/char/rep/reverse/upper/lower, and compares
# each result with glibc's (snprintf, the "C" locale's ctype). A difference
# fails the load with the list. tests/kernel/klua.sh runs the same script in
# the kernel.

MKPCAP="python3 tests/mkpcap.py"

# libc_cases FILE [--break]: the generated script
libc_cases() {
	cc -O1 -o "$T/libc-cases" tests/klua/libc-cases.c || fail "cannot build the generator"
	"$T/libc-cases" ${2:-} > "$1"
}

test_klua_libc_matches_glibc() {
	libc_cases "$T/cases.lua"
	$MKPCAP "$T/one.pcap" udp
	run "$XDPLUA" run --local "$T/cases.lua" --pcap "$T/one.pcap"
	expect_contains "$OUT" "klua-libc: " "summary"
	n=$(printf '%s\n' "$OUT" | sed -n 's/.*klua-libc: \([0-9]*\) cases, 0 differences.*/\1/p' | head -1)
	expect_ge "${n:-0}" 15000 "cases compared"
	expect_contains "$OUT" "1 DROP" "the script ran"
	# the corner of issue 15, spelled out
	printf '%s\n' 'assert(string.format("%.u", 0) == "" and string.format("%#.0o", 0) == "0")' \
		'assert(string.format("%#.0x", 0) == "" and string.format("%05.0d", 0) == "     ")' \
		'assert(string.format("%-+5d|", 7) == "+7   |" and string.format("% 05d", -3) == "-0003")' \
		'function callback() return xdp.DROP end' > "$T/corner.lua"
	run "$XDPLUA" run --local "$T/corner.lua" --pcap "$T/one.pcap"
	expect_contains "$OUT" "1 DROP" "corner cases"
}

# The comparison sees a difference: one expected result spoiled.
test_klua_libc_difference_fails() {
	libc_cases "$T/broken.lua" --break
	$MKPCAP "$T/one.pcap" udp
	expect_fail "$XDPLUA" run --local "$T/broken.lua" --pcap "$T/one.pcap"
	expect_contains "$OUT" "klua-libc: 1 of " "count of differences"
	expect_contains "$OUT" "cases differ from the C library; first: format(" "the difference"
}
