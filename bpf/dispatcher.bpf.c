// SPDX-License-Identifier: GPL-2.0
/*
 * The default XDPLua dispatcher: gives every packet to one Lua script and
 * returns its verdict. "xdplua" loads one copy per interface, with
 * xdplua_script_id set before loading, and recognises XDPLua's programs by
 * that variable of their .rodata map (as it does a user's program attached
 * with --prog: see xdplua.bpf.h).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <xdp/xdp_helpers.h>
#include "xdplua.bpf.h"

const volatile __u32 xdplua_script_id;

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
	return __xdplua_call(ctx, xdplua_script_id, 0);
}

char LICENSE[] SEC("license") = "GPL";
