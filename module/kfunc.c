// SPDX-License-Identifier: GPL-2.0
/*
 * The kfunc XDP programs call to run a script on a packet (see
 * include/uapi/linux/xdplua.h and bpf/xdplua.bpf.h).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <net/xdp.h>

#include "xdplua.h"

/* called by BPF programs only (BTF): declared for the C checkers (sparse) */
int bpf_xdplua_run(struct xdp_md *ctx, u32 script_id, u64 arg, u32 *ifindex);

__bpf_kfunc_start_defs();

/**
 * bpf_xdplua_run - run a Lua script on the packet
 * @ctx: the XDP context
 * @script_id: the script, as XDPLUA_CMD_LOAD returned it
 * @arg: passed to the entry function as its second argument
 * @ifindex: set to the target interface when XDP_REDIRECT is returned; may
 *	be NULL (a script's REDIRECT then gets the fallback verdict)
 *
 * Return: an XDP action; XDP_PASS for an unknown script or a script of
 * another network namespace than the packet's device.
 */
__bpf_kfunc int bpf_xdplua_run(struct xdp_md *ctx, u32 script_id, u64 arg,
			       u32 *ifindex)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct xdplua_script *s;
	int act = XDP_PASS;

	/* XDP runs under the bh-flavoured RCU of NAPI; say so explicitly,
	 * for every caller (native, generic, test runs) and for lockdep.
	 */
	rcu_read_lock();
	s = xdplua_lookup_rcu(script_id);
	if (likely(s && net_eq(read_pnet(&s->net), dev_net(xdp->rxq->dev))))
		act = xdplua_script_run(s, xdp, arg, ifindex);
	rcu_read_unlock();
	return act;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(xdplua_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdplua_run)
BTF_KFUNCS_END(xdplua_kfunc_ids)

static const struct btf_kfunc_id_set xdplua_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdplua_kfunc_ids,
};

int xdplua_kfunc_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &xdplua_kfunc_set);
}
