/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routing for forwarding scripts: what lua_route.c (the Lua binding, which
 * checks every argument) asks the platform. route.c answers in the kernel,
 * from the network namespace's routing and neighbour tables;
 * userspace/route_user.c in the userspace home (libxdplua), which has no
 * routing table. Addresses are IPv4, in host byte order. Nothing here
 * sleeps or raises Lua errors; the kernel's take rcu_read_lock themselves.
 */
#ifndef XDPLUA_ROUTE_H
#define XDPLUA_ROUTE_H

#include <linux/rtnetlink.h>	/* RTN_* */

struct net;
struct net_device;

enum xdplua_fib_status {
	XDPLUA_FIB_OK,
	XDPLUA_FIB_NO_NEIGH,
	XDPLUA_FIB_LOCAL,
	XDPLUA_FIB_UNREACHABLE,
	XDPLUA_FIB_BLACKHOLE,
	XDPLUA_FIB_PROHIBIT,
	XDPLUA_FIB_NOT_FORWARDED,
	XDPLUA_FIB_FORWARDING_DISABLED,
	XDPLUA_FIB_UNSUPPORTED,
};

struct xdplua_fib_answer {
	int ifindex;
	u32 mtu;
	u32 src;
	u32 nexthop;
	u8 dmac[ETH_ALEN];	/* XDPLUA_FIB_OK only */
	u8 smac[ETH_ALEN];
};

/* The route a packet received on dev_in to dst would take as the kernel
 * forwards it, and the next hop's MAC address (OK and NO_NEIGH fill a).
 */
enum xdplua_fib_status xdplua_fib_route(struct net *net,
					struct net_device *dev_in, u32 dst,
					u32 src, u8 tos,
					struct xdplua_fib_answer *a);

/* Send a copy of the IPv4 packet at iph (len bytes, checked) through the
 * output path. 0, or a negative errno and *why.
 */
int xdplua_ip_output(struct net *net, const void *iph, u32 len,
		     const char **why);

/* RTN_LOCAL, RTN_UNICAST, RTN_BROADCAST, ...: what addr is to this host. */
unsigned int xdplua_addr_type(struct net *net, u32 addr);

/* The n-th (1-based) IPv4 address of the interface named name, or of index
 * if name is NULL: 0, or -ENOENT.
 */
int xdplua_ifaddr(struct net *net, const char *name, int index, int n,
		  u32 *addr, int *prefixlen);

/* An interface's index (0: none), and its name (-ENOENT: none). */
int xdplua_ifindex(struct net *net, const char *name);
int xdplua_ifname(struct net *net, int index, char *name);

#endif
