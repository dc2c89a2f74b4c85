// SPDX-License-Identifier: GPL-2.0
/*
 * A test program: calls the kfunc with the script id in the global
 * script_id (set through the .bss map after loading) and returns the raw
 * verdict, the redirect target stored in the global ifindex. The tests use
 * it where the dispatcher cannot go: scripts of other network namespaces.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdplua.bpf.h"

__u32 script_id;
__u32 ifindex;

SEC("xdp")
int kfunc_probe(struct xdp_md *ctx)
{
	__u32 target = 0;
	int action = bpf_xdplua_run(ctx, script_id, 0, &target);

	ifindex = target;
	return action;
}

char LICENSE[] SEC("license") = "GPL";
