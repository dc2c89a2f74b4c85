# shellcheck shell=bash
# Host tests of the VM harness's path handling (tests/vm/run --print-plan
# and tests/vm/init print-mounts; nothing is booted): a checkout under /tmp
# (which the guest covers with its own tmpfs) or with spaces and commas in
# its path, and host files under /tmp that COMMAND names.

# A copy of the harness in a "checkout" under /tmp whose path has a space,
# a comma and a quote: $W/x y,z'q (PROJ).
setup() {
	unset BUILD XDPLUA_VM_FALLBACK   # make exports BUILD: the real checkout's
	W=$(mktemp -d /tmp/xdplua-vmpaths.XXXXXX)
	PROJ="$W/x y,z'q"
	mkdir -p "$PROJ/tests/vm"
	cp tests/vm/run tests/vm/init "$PROJ/tests/vm/"
}

teardown() {
	rm -rf "$W"
}

# plan ARGS...: the harness's plan for COMMAND ARGS, in $OUT (stdout) and
# $ERR (stderr); fails unless it exits 0.
plan() {
	local rc
	set +e
	OUT=$("$PROJ/tests/vm/run" --print-plan -- "$@" 2> "$W/stderr")
	rc=$?
	set -e
	ERR=$(cat "$W/stderr")
	expect_eq "$rc" 0 "exit status of --print-plan ($ERR)"
}

# section NAME: lines of $OUT between "# NAME" and the next "# " header
section() {
	printf '%s\n' "$OUT" | awk -v h="# $1" '/^# / { on = ($0 == h); next } on'
}

q() { printf '%q' "$1"; }

test_project_in_tmp_with_space_and_comma() {
	plan true
	expect_eq "$(section env | head -n1)" "PROJECT=$(q "$PROJ")" "env"
	expect_eq "$(section mounts)" "mount_dir project $(q "$PROJ")" "mounts"
	# qemu -virtfs: commas doubled, the space kept (one argv element)
	expect_contains "$(section qemu)" \
		"-virtfs local,path=$W/x y,,z'q,mount_tag=project,security_model=none" "project share"
	expect_contains "$(section qemu)" "path=$W/x y,,z'q/build/vm/run.XXXXXX,mount_tag=run," "run share"
	expect_eq "$ERR" "" "stderr"
}

# What the guest's init makes of the plan: the same bytes.
test_init_reads_the_plan() {
	command -v busybox > /dev/null || skip "no busybox"
	mkdir -p "$W/data" "$W/run"
	: > "$W/data/in.pcap"
	plan true "$W/data/in.pcap" --out="$W/data/out.pcap"
	section env > "$W/run/env"
	section mounts > "$W/run/mounts"
	run busybox sh "$PROJ/tests/vm/init" print-mounts "$W/run"
	expect_eq "$OUT" "PROJECT=[$PROJ] MODULE=[] FALLBACK=[]
[mkdir] [-p] [$W/data] 
[mount] [-t] [9p] [-o] [trans=virtio,version=9p2000.L,msize=512000,cache=mmap] [share1] [$W/data] 
[mkdir] [-p] [$PROJ] 
[mount] [-t] [9p] [-o] [trans=virtio,version=9p2000.L,msize=512000,cache=mmap] [project] [$PROJ] 
[test] [-d] [$PROJ] " "init's commands"
}

# Byte strings a shell could trip on survive harness -> init.
test_init_reads_odd_bytes() {
	command -v busybox > /dev/null || skip "no busybox"
	local odd
	odd="$W/ a	b\$c\`d\"e\\f'g*h?[i] é;j&k|l(m)n<o>~#%"
	mkdir -p "$odd"
	plan true "$odd"
	mkdir -p "$W/run"
	section env > "$W/run/env"
	section mounts > "$W/run/mounts"
	run busybox sh "$PROJ/tests/vm/init" print-mounts "$W/run"
	expect_contains "$OUT" "[mount] [-t] [9p] [-o] [trans=virtio,version=9p2000.L,msize=512000,cache=mmap] [share1] [$odd] " "odd path"
}

test_hidden_paths_of_command_are_shared() {
	mkdir -p "$W/data/sub" "$W/other"
	: > "$W/data/in.pcap"
	local f g
	f=$(mktemp /tmp/xdplua-vmpaths-f.XXXXXX)
	g=$(mktemp -u /tmp/xdplua-vmpaths-g.XXXXXX)
	ln -s "$W/other" "$g"
	set +e
	plan xdplua run "$f" --pcap "$W/data/in.pcap" --out="$W/data/sub/new/out.pcap" \
		"$PROJ/examples/x.lua" ../other/ "$g" /tmp
	local rc=$?
	set -e
	rm -f "$f" "$g"
	[ $rc = 0 ] || return 1
	# directories in byte order ("-" < "." < "/"), then files
	expect_eq "$(section mounts)" "mount_dir share1 $(q "$g")
mount_dir share2 $(q "$W/data")
mount_dir share3 $(q "$W/other")
mount_dir project $(q "$PROJ")
bind_file file1 $(q "${f#/tmp/}") $(q "$f")" "mounts"
	expect_contains "$(section qemu)" "path=/tmp,mount_tag=file1," "share of /tmp for the file"
	expect_eq "$ERR" "" "no notes"
}

# A directory that holds the project is mounted first, the project over it.
test_parent_of_project_before_project() {
	plan ls "$W"
	expect_eq "$(section mounts)" "mount_dir share1 $(q "$W")
mount_dir project $(q "$PROJ")" "mounts"
}

test_unshareable_paths_are_named_before_boot() {
	plan sh -c 'true' /tmp/xdplua-vmpaths-no-such-file "$W/no/such/dir" /run/xdplua-no-such
	expect_contains "$ERR" "note: not visible in the guest: /tmp/xdplua-vmpaths-no-such-file:" "note"
	expect_contains "$ERR" "note: not visible in the guest: /run/xdplua-no-such:" "note"
	# its nearest existing directory, $W, is shared instead
	expect_contains "$(section mounts)" "mount_dir share1 $(q "$W")" "mounts"
}

test_paths_outside_hidden_places_are_left_alone() {
	plan cat /etc/hostname /usr/share/doc examples/udp-drop.lua 10.0.0.0/24 /tmp
	expect_eq "$(section mounts)" "mount_dir project $(q "$PROJ")" "mounts"
	expect_eq "$ERR" "" "stderr"
}

test_too_many_shares_is_an_error() {
	local i args=() rc
	for i in $(seq 17); do mkdir "$W/d$i"; args+=("$W/d$i/"); done
	set +e
	OUT=$("$PROJ/tests/vm/run" --print-plan -- ls "${args[@]}" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 125 "exit status"
	expect_contains "$OUT" "put these files in one directory" "message"
}

test_newline_in_project_path_is_an_error() {
	local p="$W/new
line" rc
	mkdir -p "$p/tests/vm"
	cp tests/vm/run tests/vm/init "$p/tests/vm/"
	set +e
	OUT=$("$p/tests/vm/run" --print-plan -- true 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 125 "exit status"
	expect_contains "$OUT" "must not contain a newline" "message"
}

# Run through a symlink (say ~/xdplua -> /tmp/xdplua): the project is
# mounted at its real path, which the symlink leads to in the guest too.
test_project_through_symlink_is_mounted_at_its_real_path() {
	ln -s "$PROJ" "$W/link"
	OUT=$("$W/link/tests/vm/run" --print-plan -- true)
	expect_eq "$(section mounts)" "mount_dir project $(q "$PROJ")" "mounts"
}
