// SPDX-License-Identifier: GPL-2.0
/*
 * The default XDPLua dispatcher: gives every packet to one Lua script and
 * returns its verdict. "xdplua" loads one copy per interface, with script_id
 * set before loading, and recognises its dispatchers by the program name and
 * the script_id found in their .rodata map.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <xdp/xdp_helpers.h>
#include "xdplua.bpf.h"

const volatile __u32 script_id;

/*
 * libxdp's multi-program protocol (xdplua attach --multiprog, or an
 * interface whose XDP program is libxdp's dispatcher already): in the
 * default order, and the programs after it see the packets Lua passes.
 */
struct {
	__uint(priority, XDP_DEFAULT_RUN_PRIO);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(xdplua_dispatch);

SEC("xdp")
int xdplua_dispatch(struct xdp_md *ctx)
{
	/* no packet pointer to keep: no need for xdplua_call()'s fence */
	return __xdplua_call(ctx, script_id, 0);
}

char LICENSE[] SEC("license") = "GPL";
