# Host tests of the xdplua command line: what works without the module.

test_help() {
	run "$XDPLUA" --help
	expect_contains "$OUT" "-L SCRIPT" "usage text"
	expect_contains "$OUT" "status" "usage text"
}

test_unknown_option_is_usage_error() {
	set +e
	OUT=$("$XDPLUA" --no-such-option 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status"
	expect_contains "$OUT" "xdplua:" "error prefix"
}

test_missing_interface_argument() {
	set +e
	OUT=$("$XDPLUA" -L examples/udp-drop.lua 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status"
}

test_missing_script_file() {
	expect_fail "$XDPLUA" -L /nonexistent/script.lua lo
	expect_contains "$OUT" "/nonexistent/script.lua" "names the file"
}

test_status_without_module() {
	[ ! -d /sys/module/xdplua ] || skip "the module is loaded here"
	expect_fail "$XDPLUA" status
	expect_contains "$OUT" "kernel module is not loaded" "explains"
}

test_dispatcher_object_has_kfunc_call() {
	run llvm-objdump -d build/bpf/dispatcher.bpf.o
	expect_contains "$OUT" "call" "calls the kfunc"
	run llvm-readelf -s build/bpf/dispatcher.bpf.o
	expect_contains "$OUT" "bpf_xdplua_run" "kfunc symbol"
	expect_contains "$OUT" "xdplua_dispatch" "program name"
}

test_module_built_for_debian_612() {
	run modinfo build/module/xdplua.ko
	expect_contains "$OUT" "vermagic:       $(cat build/kernel-version | sed 's/-amd64$//')" "vermagic"
	run readelf -S build/module/xdplua.ko
	expect_contains "$OUT" ".BTF" "module BTF (needed by the kfunc)"
}

test_module_uses_no_fpu() {
	# Integer-only Lua: not one SSE/x87 instruction in the module.
	run objdump -d build/module/xdplua.ko
	if printf '%s\n' "$OUT" | grep -Eq '\s(movsd|movss|cvtsi2sd|cvttsd2si|addsd|mulsd|divsd|fld|fstp|fild)\s'; then
		fail "floating point instructions found"
	fi
}
