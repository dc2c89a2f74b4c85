# Kernel tests that unload the module: they run last.

teardown() {
	[ -d /sys/module/xdplua ] || insmod "${XDPLUA_MODULE:-build/module/xdplua.ko}"
	topo_down
}

setup() {
	topo_up
}

test_module_unload_and_reload() {
	attach_script gone 'function callback(pkt) return xdp.DROP end'
	xdplua_b -d b0
	run xdplua_b load examples/count.lua
	rmmod xdplua || fail "rmmod failed with scripts loaded"
	insmod "${XDPLUA_MODULE:-build/module/xdplua.ko}" || fail "insmod: $(dmesg | tail -5)"
	run xdplua_b status
	expect_contains "$OUT" "no scripts" "fresh module"
}
