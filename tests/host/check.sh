# make check (scripts/check.sh): the module is sparse-clean and userspace
# builds without a warning. Each fails with the findings printed.

test_check_sparse_module() {
	command -v sparse >/dev/null || fail "sparse is not installed (scripts/deps.sh installs it)"
	run sh scripts/check.sh --sparse
	expect_contains "$OUT" "check: sparse: the module is clean" "sparse"
}

test_check_userspace_without_warnings() {
	run sh scripts/check.sh --cc
	expect_contains "$OUT" "check: cc: userspace builds without a warning" "cc"
}
