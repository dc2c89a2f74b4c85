// SPDX-License-Identifier: GPL-2.0
/*
 * A test program: calls the kfunc with NULL for the ifindex pointer, as a
 * careless program would. The kernel must either refuse to load it or give
 * a script that returns XDP_REDIRECT its fallback verdict.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdplua.bpf.h"

__u32 script_id;

SEC("xdp")
int kfunc_null(struct xdp_md *ctx)
{
	return bpf_xdplua_run(ctx, script_id, 0, NULL);
}

char LICENSE[] SEC("license") = "GPL";
