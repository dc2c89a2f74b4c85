# Kernel tests of the control plane: the generic netlink family answers
# thousands of random, malformed and mutated requests (tests/netlink_fuzz.py)
# and the kernel stays clean.

teardown() {
	cleanup_scripts
}

test_netlink_fuzz() {
	dmesg -C
	run timeout 900 python3 tests/netlink_fuzz.py --count 3000
	echo "$OUT"
	expect_contains "$OUT" "3000 requests" "summary"
	expect_kernel_clean
	run "$XDPLUA" status
	run "$XDPLUA" table list
}
