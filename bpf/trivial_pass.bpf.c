// SPDX-License-Identifier: GPL-2.0
/*
 * Passes every packet. Attached to a veth, it makes the veth receive the
 * frames its peer sends with XDP_TX or XDP_REDIRECT (veth only flushes them
 * to a peer that runs XDP); the tests use it on their client interfaces.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int trivial_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
