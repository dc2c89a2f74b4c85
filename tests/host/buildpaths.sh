# shellcheck shell=bash
# Host tests of the build in a checkout whose path has a space, a comma and
# a quote ($W/x y,z'q): the Makefiles name files by relative paths, and
# kbuild, which cannot take such a path, gets a symlink to the module's
# build directory. The module part uses a stand-in for the kernel's build
# system (no kernel is compiled); the eBPF programs and the tool are built
# for real.

# A copy of the project's files (not build/) in $P.
setup() {
	# make exports BUILD (the real checkout's) and MAKEFLAGS
	unset BUILD KVER KDIR LUA_SRC MAKEFLAGS MAKELEVEL MFLAGS
	W=$(mktemp -d /tmp/xdplua-buildpaths.XXXXXX)
	P="$W/x y,z'q"
	mkdir -p "$P"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z | xargs -0 cp --parents -t "$P"
	else
		tar -c --exclude=./build . | tar -x -C "$P"
	fi
	mkdir -p "$P/build"
}

teardown() {
	local l
	for l in /tmp/xdplua-kbuild-*; do
		if [ -L "$l" ] && [[ $(readlink "$l") == "$W"/* ]]; then rm -f "$l"; fi
	done
	rm -rf "$W"
}

# fake_kbuild: $W/kdir, a kernel build system that checks what it is given
# (M= without a space, the sources there, XDPLUA_SRC) and "links" xdplua.ko;
# a stand-in for Lua's source in $P/build/lua (scripts/deps.sh's, patched).
fake_kbuild() {
	mkdir -p "$W/kdir" "$P/build/lua/src"
	cat > "$W/kdir/Makefile" <<'EOF'
modules:
	@echo "M=[$(M)] XDPLUA_SRC=[$(XDPLUA_SRC)] KVER=[$(KVER)]"
	@test $(words $(M)) = 1 && test $(words $(XDPLUA_SRC)) = 1
	@cd $(M) && test -f Kbuild && test -f main.c && test -f xdplua.h && \
		test -f klua/lib.c && test -f klua/setjmp.S && test -f lua/lapi.c && \
		test -f lua/lua.h && test ! -e lua/luaconf.h
	@test -f $(XDPLUA_SRC)/klua/libc/string.h
	@test -f $(XDPLUA_SRC)/../include/uapi/linux/xdplua.h
	@echo ko > $(M)/xdplua.ko
EOF
	echo 6.12.0-test > "$P/build/kernel-version"
	: > "$P/build/lua/src/lua.h"
	: > "$P/build/lua/src/lapi.c"
	: > "$P/build/lua/src/luaconf.h"
	# up to date: make does not run scripts/deps.sh
	touch "$P/build/lua/.xdplua-patches"
}

# The top-level Makefile gives the module's Makefile the kernel version from
# build/kernel-version; kbuild gets /tmp/xdplua-kbuild-<cksum>, a symlink to
# build/module, where xdplua.ko lands.
test_module_build_in_path_with_space() {
	fake_kbuild
	run make -C "$P" module KDIR="$W/kdir"
	local m
	m=$(printf '%s\n' "$OUT" | sed -n 's/^M=\[\([^]]*\)\].*/\1/p')
	expect_contains "$OUT" "M=[/tmp/xdplua-kbuild-" "kbuild's M"
	expect_contains "$OUT" "XDPLUA_SRC=[$m/src] KVER=[6.12.0-test]" "kbuild's XDPLUA_SRC"
	expect_eq "$(readlink "$m")" "$P/build/module" "the symlink"
	expect_eq "$(readlink "$P/build/module/src")" "$P/module" "src"
	expect_eq "$(cat "$P/build/module/xdplua.ko")" ko "xdplua.ko"
	expect_eq "$(ls "$W")" "kdir
x y,z'q" "nothing made beside the checkout"
	run make -C "$P/module" clean
	[ ! -e "$P/build/module" ] || fail "build/module left by clean"
	[ ! -L "$m" ] || fail "$m left by clean"
}

# A path kbuild can take is given as it is.
test_module_build_in_plain_path() {
	fake_kbuild
	mv "$P" "$W/plain"
	P=$W/plain
	run make -C "$P" module KDIR="$W/kdir"
	expect_contains "$OUT" "M=[$P/build/module] XDPLUA_SRC=[$P/build/module/src]" "kbuild's M"
	expect_eq "$(cat "$P/build/module/xdplua.ko")" ko "xdplua.ko"
}

# The eBPF programs and the tool, for real; a second make has nothing to do.
test_bpf_and_tools_build_in_path_with_space() {
	echo 6.12.0-test > "$P/build/kernel-version"
	run make -s -C "$P" bpf tools
	[ -f "$P/build/bpf/dispatcher.bpf.o" ] || fail "no dispatcher.bpf.o: $OUT"
	[ -f "$P/build/bpf/dispatcher.skel.h" ] || fail "no dispatcher.skel.h: $OUT"
	run "$P/build/bin/xdplua" --help
	expect_eq "$(ls "$W")" "x y,z'q" "nothing made beside the checkout"
	run make --no-print-directory -C "$P/tools/xdplua"
	expect_eq "$OUT" "make: Nothing to be done for 'all'." "second make"
	# the tool's own Makefile builds the skeleton it needs
	rm -rf "$P/build"
	run make -s -C "$P/tools/xdplua"
	[ -x "$P/build/bin/xdplua" ] || fail "no xdplua: $OUT"
}

# BUILD elsewhere, absolute; with a space it cannot be named: a clear error.
test_build_dir_outside_the_checkout() {
	echo 6.12.0-test > "$P/build/kernel-version"
	run make -s -C "$P/bpf" BUILD="$W/out"
	[ -f "$W/out/bpf/trivial_drop.bpf.o" ] || fail "no $W/out/bpf/trivial_drop.bpf.o: $OUT"
	expect_fail make -s -C "$P/bpf" BUILD="$W/o ut"
	expect_contains "$OUT" "outside the project a build directory must not contain a space" "error"
	expect_fail make -s -C "$P/bpf" BUILD=out
	expect_contains "$OUT" "BUILD must be an absolute path" "error"
}
