/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDPLua's port layer: how the runtime (lua_xdp.c, script.c, table.c,
 * lua_table.c, klua/) reaches its platform. The runtime includes this
 * header instead of <linux/...> headers and uses the kernel's API. In the
 * module that API is the kernel's own; in userspace (libxdplua, the fuzzers,
 * `xdplua run --local`) userspace/port_user.h provides the part the runtime
 * uses, on the C library and liburcu. The kernel side's C file, port.c,
 * has the few C library functions Lua's core needs that the kernel lacks.
 */
#ifndef XDPLUA_PORT_H
#define XDPLUA_PORT_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/bottom_half.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rculist.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/bitops.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <linux/unaligned.h>
#include <linux/inet.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <uapi/linux/in.h>
#include <net/xdp.h>
#include <net/net_namespace.h>

/*
 * The C stack packets run Lua on (cstack.c): xdplua_deep_call(fn, arg),
 * with bottom halves off, calls fn(arg, room) on this CPU's stack of
 * XDPLUA_CSTACK_SIZE bytes, where Lua may use room bytes
 * (XDPLUA_CSTACK_ROOM; XDPLUA_CSTACK_SHALLOW when it runs on the stack it
 * was called on: main chunks, nested runs), and XDPLUA_CSTACK_ERROR_ROOM
 * more while it handles the overflow error. All scale with THREAD_SIZE
 * (doubled on KASAN kernels, whose frames are larger): 64, 40, 5 and 2 KiB.
 */
#define XDPLUA_CSTACK_SIZE	(4 * THREAD_SIZE)
#define XDPLUA_CSTACK_ROOM	(5 * THREAD_SIZE / 2)
#define XDPLUA_CSTACK_SHALLOW	(5 * THREAD_SIZE / 16)
#define XDPLUA_CSTACK_ERROR_ROOM	(THREAD_SIZE / 8)
void xdplua_deep_call(void (*fn)(void *arg, unsigned long room), void *arg);
int xdplua_cstack_init(void);
void xdplua_cstack_exit(void);
#else
#include "port_user.h"
#endif

#endif /* XDPLUA_PORT_H */
