/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module uses from kernels newer than the oldest it supports,
 * Debian 12's 6.1 (see README.md, "Kernels"). Each fallback is keyed on the
 * feature's own macro where it has one, else on the version that added it.
 * The rest of the module is written for the newest kernel and includes this
 * file through xdplua.h.
 *
 * Headers that older kernels lack are in compat/include/, last on the include
 * path: <linux/unaligned.h> (6.12; before: <asm/unaligned.h>),
 * <linux/sprintf.h> (6.6; before: <linux/kernel.h>).
 */
#ifndef XDPLUA_COMPAT_H
#define XDPLUA_COMPAT_H

#ifdef __KERNEL__

#include <linux/version.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

/* kfunc definitions: __bpf_kfunc (6.2), __bpf_kfunc_start_defs (6.7) */
#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()					\
	__diag_push();							\
	__diag_ignore_all("-Wmissing-declarations",			\
			  "kfuncs are called from BPF, declared in BTF");\
	__diag_ignore_all("-Wmissing-prototypes",			\
			  "kfuncs are called from BPF, declared in BTF")
#define __bpf_kfunc_end_defs() __diag_pop()
#endif

/* kfunc ID sets: BTF_KFUNCS_START (6.9); before, an untagged BTF_SET8 */
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name)	BTF_SET8_START(name)
#define BTF_KFUNCS_END(name)	BTF_SET8_END(name)
#endif

/*
 * Formatted extended-ack messages (6.2). Before, the extack holds only a
 * pointer to a message that must outlive the request's handler: the
 * message is formatted into one of a ring of static buffers (compat.c),
 * reused after XDPLUA_COMPAT_ERRMSG_SLOTS more messages. Truncated at 80
 * bytes, as 6.2's NETLINK_MAX_FMTMSG_LEN.
 */
#ifndef NL_SET_ERR_MSG_FMT
#define XDPLUA_COMPAT_ERRMSG	1
const char *xdplua_compat_errmsg(const char *fmt, ...) __printf(1, 2);

#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) do {			\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack)							\
		__extack->_msg = xdplua_compat_errmsg(fmt, ##args);	\
} while (0)
#endif

/* Policies with a const range (6.2; before, the pointer was not const) */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/* A dump's parsed attributes: in struct genl_info since 6.6 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
static inline struct nlattr **xdplua_dump_attrs(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}
#else
static inline struct nlattr **xdplua_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
#endif

#endif /* __KERNEL__ */

#endif /* XDPLUA_COMPAT_H */
