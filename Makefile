# XDPLua: top-level build. Everything built goes under build/.
#
#   make            build the module, the eBPF programs and the tools
#   make demo       boot a VM with Debian's 6.12 kernel and show Lua in XDP
#   make test       host tests + VM integration tests ("N passed, M failed")
#   make deps       install build/test dependencies (Debian 12, as root)

BUILD    ?= $(CURDIR)/build
export BUILD

.PHONY: all deps module bpf tools test demo bench clean

all: module bpf tools

deps:
	@sh scripts/deps.sh

$(BUILD)/kernel-version $(BUILD)/lua/src/lua.h:
	@sh scripts/deps.sh

# Lua's source with the project's patches (module/klua/patches/)
$(BUILD)/lua/.xdplua-patches: $(wildcard module/klua/patches/*.patch)
	@sh scripts/deps.sh

# KVER=... builds for another kernel (e.g. the running one, $(shell uname -r))
module: $(BUILD)/kernel-version $(BUILD)/lua/src/lua.h $(BUILD)/lua/.xdplua-patches
	@$(MAKE) --no-print-directory -C module KVER=$(or $(KVER),$$(cat $(BUILD)/kernel-version))

bpf: $(BUILD)/kernel-version
	@$(MAKE) --no-print-directory -C bpf

tools: bpf
	@$(MAKE) --no-print-directory -C tools/xdplua

test: deps
	@tests/run

demo: deps all
	@tests/vm/run -- examples/demo.sh

# Benchmarks print tables; under TCG only the ratios of one run mean much.
bench: deps all
	@tests/vm/run -- bench/callbacks.sh
	@for b in bench/*.sh; do [ $$b = bench/callbacks.sh ] || tests/vm/run -- $$b; done

clean:
	rm -rf $(BUILD)/module $(BUILD)/bpf $(BUILD)/tools
	@$(MAKE) --no-print-directory -C module clean >/dev/null 2>&1 || true
