# XDPLua: top-level build. Everything built goes under build/.
#
#   make            build the module, the eBPF programs and the tools
#   make demo       boot a VM with Debian's 6.12 kernel and show Lua in XDP
#   make test       host tests + VM integration tests ("N passed, M failed")
#   make test KERNELS="6.1 6.12"   the kernel suites on each kernel (a series:
#                   Debian 12's newest build of it; or an exact version)
#   make modules KERNELS="..."     build/module-KVER/xdplua.ko for each
#   make man        the man pages, from docs/ (pandoc): build/man/
#   make deb        the Debian packages xdplua and xdplua-dkms: build/deb/
#   make test-deb   them installed in the VM, DKMS building the module there
#                   (on each kernel of KERNELS, default 6.12)
#   make deps       install build/test dependencies (Debian 12, as root)
#   make test-debug the kernel suites on a debug kernel (KASAN, lockdep, UBSAN,
#                   kmemleak); make debug-kernel builds it (both slow, not CI)
#   make fuzz-netlink  a long netlink fuzzing run in the VM (COUNT=100000)
#   make check      sparse on the module, userspace without a warning
#                   (-Wall -Wextra); make test runs it (tests/host/check.sh)

BUILD    ?= $(CURDIR)/build
export BUILD
# B: $(BUILD) as make can name it (relative: the checkout's path may have spaces)
TOP      := .
include scripts/build.mk

.PHONY: all deps module bpf tools userspace check completion test demo bench bench-native fuzz fuzz-build clean fuzz-netlink debug-kernel test-debug modules man deb test-deb

all: module bpf userspace tools

deps:
	@sh scripts/deps.sh

$(B)/kernel-version $(B)/lua/src/lua.h:
	@sh scripts/deps.sh

# Lua's source with the project's patches (module/klua/patches/)
$(B)/lua/.xdplua-patches: $(wildcard module/klua/patches/*.patch)
	@sh scripts/deps.sh

# KVER=... builds for another kernel (e.g. the running one, $(shell uname -r))
module: $(B)/kernel-version $(B)/lua/src/lua.h $(B)/lua/.xdplua-patches
	@$(MAKE) --no-print-directory -C module KVER=$(or $(KVER),$$(cat $(B)/kernel-version))

# One module per kernel of KERNELS, in build/module-KVER/ (the VM harness
# loads it when it boots that kernel: tests/vm/run --kernel KVER).
modules: $(B)/lua/src/lua.h $(B)/lua/.xdplua-patches
	@for k in $(KERNELS); do \
		kver=$$(sh scripts/kernel.sh "$$k") || exit 1; \
		$(MAKE) --no-print-directory -C module KVER=$$kver OUTNAME=module-$$kver || exit 1; \
	done

bpf: $(B)/kernel-version
	@$(MAKE) --no-print-directory -C bpf

tools: bpf
	@$(MAKE) --no-print-directory -C tools/xdplua
	@$(MAKE) --no-print-directory -C tools/xdpluatables

# libxdplua: the runtime in userspace (run --local, bench-native, fuzz)
userspace: $(B)/lua/src/lua.h $(B)/lua/.xdplua-patches
	@$(MAKE) --no-print-directory -C userspace

# Man pages from docs/, so the two never drift: docs/X.md -> NAME.SECTION
# (the names are in docs/man.lua).
MAN_DATE = $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(date +%s)} +%Y-%m-%d)
MAN_PAGES := $(B)/man/xdplua.8 $(B)/man/xdpluatables.8 $(B)/man/xdplua-lua.7 \
	     $(B)/man/xdplua-tables.7
man: $(MAN_PAGES)

$(B)/man/xdplua.8: docs/xdplua.md
$(B)/man/xdpluatables.8: docs/xdpluatables.md
$(B)/man/xdplua-lua.7: docs/lua-api.md
$(B)/man/xdplua-tables.7: docs/tables.md
$(MAN_PAGES): docs/man.lua
	@mkdir -p $(@D)
	@command -v pandoc > /dev/null || { echo "pandoc missing: apt-get install pandoc (or make deb)" >&2; exit 1; }
	@page=$(notdir $@); pandoc -s -f markdown -t man --lua-filter docs/man.lua \
		-M name=$${page%.*} -M section=$${page##*.} -M title=$${page%.*} \
		-M date=$(MAN_DATE) -M footer=XDPLua -M header="XDPLua manual" \
		-o $@ $(filter %.md,$^)

# Debian packages (dpkg-buildpackage, debhelper, dh-dkms): their build
# dependencies (scripts/deb-deps.sh) and Lua's source first.
deb:
	@sh scripts/deb-deps.sh
	@sh scripts/deps.sh
	@sh scripts/deb.sh

test-deb: deb
	@tests/run --vm-only --only package $(foreach k,$(KERNELS),--kernel $(k))

# The static checks (scripts/check.sh): sparse on the module's sources, and
# userspace built from scratch (build/check/) failing on any warning.
check: $(B)/kernel-version $(B)/lua/src/lua.h
	@sh scripts/check.sh

test: deps
	@tests/run $(foreach k,$(KERNELS),--kernel $(k))

demo: deps all
	@tests/vm/run -- examples/demo.sh

# Benchmarks print tables; under TCG only the ratios of one run mean much.
# The callback costs go to build/bench/callbacks.md and .png (bench/plot.py).
# BENCH_QEMU_ARGS="-icount shift=0": the guest's clock counts instructions
# (1 ns each), so the callback figures do not move with the host's load.
bench: deps all
	@XDPLUA_VM_QEMU_ARGS="$(BENCH_QEMU_ARGS)" tests/vm/run -- bench/callbacks.sh
	@# the others boot the VM themselves, with the time they need; the
	@# test-run ones with BENCH_QEMU_ARGS too, not those of live traffic
	@XDPLUA_VM_QEMU_ARGS="$(BENCH_QEMU_ARGS)" bench/dns-front.sh
	@for b in bench/*.sh; do case $$b in bench/callbacks.sh|bench/dns-front.sh) ;; *) $$b ;; esac; done
	@bench/plot.py $(B)/bench/callbacks.md

# The control plane under a long run of random and mutated requests, in the
# VM (COUNT requests, default 100000); the harness fails on any kernel report.
fuzz-netlink: deps all
	@tests/vm/run --timeout 7200 -- python3 tests/netlink_fuzz.py --count $(or $(COUNT),100000)

# Debian's 6.12 source built with KASAN, PROVE_LOCKING, PROVE_RCU,
# DEBUG_ATOMIC_SLEEP, UBSAN and kmemleak, and the module for it, cached in
# build/debug-kernel/ (scripts/debug-kernel.sh); test-debug runs the kernel
# suites on it and fails on any kernel report (scripts/test-debug.sh).
debug-kernel: deps
	@sh scripts/debug-kernel.sh

test-debug: deps
	@scripts/test-debug.sh $(if $(ONLY),--only '$(ONLY)')

# The runtime in userspace beside eBPF on this host's kernel: no VM
# (eBPF rows need root). Prints a Markdown table, also in build/bench/.
BENCH_NATIVE := $(B)/bench/native
bench-native: userspace bpf $(BENCH_NATIVE)
	@$(BENCH_NATIVE) -o $(B)/bench/native.md
	@bench/plot.py $(B)/bench/native.md

$(BENCH_NATIVE): bench/native.c userspace/libxdplua.h $(B)/userspace/libxdplua.a
	@mkdir -p $(dir $@)
	@echo "  CC        bench/native.c"
	@$(CC) -O2 -g -Wall -Wextra -Iuserspace -o $@ bench/native.c \
		$(B)/userspace/libxdplua.a $$(pkg-config --libs libbpf liburcu-memb) -lpthread

# Fuzzing the runtime in userspace (clang, libFuzzer, ASan, UBSan): a
# campaign of FUZZ_TIME seconds (fuzz/Makefile). make test replays the
# committed corpus.
FUZZ_TIME ?= 600
fuzz-build: $(B)/lua/src/lua.h $(B)/lua/.xdplua-patches
	@$(MAKE) --no-print-directory -C fuzz

fuzz: fuzz-build
	@$(MAKE) --no-print-directory -C fuzz run FUZZ_TIME=$(FUZZ_TIME)

clean:
	@$(MAKE) --no-print-directory -C module clean >/dev/null 2>&1 || true
	rm -rf $(B)/module $(B)/bpf $(B)/tools $(B)/userspace $(B)/bench $(B)/fuzz
