/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * XDPLua SDK for eBPF programs: call a Lua script from your own XDP program.
 *
 *	#include <linux/bpf.h>
 *	#include <bpf/bpf_helpers.h>
 *	#include "xdplua.bpf.h"
 *
 *	const volatile __u32 xdplua_script_id;	// set by xdplua attach
 *
 *	SEC("xdp")
 *	int filter(struct xdp_md *ctx)
 *	{
 *		if (!is_udp_port_53(ctx))
 *			return XDP_PASS;
 *		return xdplua_call(ctx, xdplua_script_id, 53);
 *	}
 *
 *	char LICENSE[] SEC("license") = "GPL";
 *
 * The program must be GPL-licensed (kfuncs are) and can only be loaded while
 * xdplua.ko is loaded. "xdplua attach NAME IFACE --prog FILE.bpf.o" loads
 * the first XDP program of FILE.bpf.o with xdplua_script_id set to script
 * NAME's id, and attaches it (a program that calls several scripts can
 * have more ids of its own, set by its own loader; the script ids are the
 * ones "xdplua load" prints). The variable is also how xdplua recognises
 * the program on an interface: status lists it, detach takes it off.
 * examples/dns/dns_front.bpf.c is a complete example.
 *
 * After the call, the packet may have been rewritten, grown or shrunk by the
 * script: every packet pointer (ctx->data, ctx->data_end and pointers derived
 * from them) taken before the call is stale and must be loaded again from
 * ctx. The verifier does not know that a kfunc changes the packet, so
 * xdplua_call() follows the kfunc with a no-op bpf_xdp_adjust_head(ctx, 0):
 * the verifier then refuses programs that use stale pointers.
 * __xdplua_call() saves that helper call, for programs that hold no packet
 * pointer across the call (like the default dispatcher).
 */
#ifndef __XDPLUA_BPF_H
#define __XDPLUA_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * bpf_xdplua_run() - run a script's entry function on the packet in @ctx
 * @ctx:	the XDP context, as received by the program
 * @script_id:	the id of a loaded script
 * @arg:	passed to the Lua entry function as its second argument
 *		(the first one is the packet)
 * @ifindex:	for XDP_REDIRECT, receives the target interface index
 *
 * Runs on the current CPU's Lua state of the script. Returns an XDP action:
 * the script's verdict, or its fallback verdict if the script failed. An
 * unknown script id gives XDP_PASS.
 */
extern int bpf_xdplua_run(struct xdp_md *ctx, __u32 script_id, __u64 arg,
			  __u32 *ifindex) __ksym;

/*
 * __xdplua_call() - run a script and turn its verdict into an XDP action
 *
 * Same as bpf_xdplua_run(), but performs the redirect: for XDP_REDIRECT it
 * returns bpf_redirect(ifindex, 0), so the result can be returned from the
 * XDP program as is. Packet pointers taken before the call are stale, and
 * the verifier does not know it: use xdplua_call() unless the program keeps
 * no packet pointer across the call.
 */
static __always_inline int __xdplua_call(struct xdp_md *ctx, __u32 script_id,
					 __u64 arg)
{
	__u32 ifindex = 0;
	int action;

	action = bpf_xdplua_run(ctx, script_id, arg, &ifindex);
	if (action == XDP_REDIRECT)
		return bpf_redirect(ifindex, 0);
	return action;
}

/*
 * xdplua_call() - run a script, then make the verifier forget packet pointers
 *
 * Same as __xdplua_call(). The packet may have changed: load ctx->data and
 * ctx->data_end again before touching it (the verifier insists).
 */
static __always_inline int xdplua_call(struct xdp_md *ctx, __u32 script_id,
				       __u64 arg)
{
	int action = __xdplua_call(ctx, script_id, arg);

	/* a no-op that the verifier knows invalidates packet pointers */
	bpf_xdp_adjust_head(ctx, 0);
	return action;
}

#endif /* __XDPLUA_BPF_H */
