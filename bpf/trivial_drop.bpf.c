// SPDX-License-Identifier: GPL-2.0
/*
 * Drops every packet: the eBPF baseline the benchmarks compare Lua with.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int trivial_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
