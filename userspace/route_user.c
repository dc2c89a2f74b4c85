// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace home's answers to lua_route.c (module/route.h). There is
 * no routing table, neighbour table or output path here: the interfaces
 * and their addresses are the host's (as dev_get_by_name_rcu() sees them),
 * an address of this host is "local" for pkt:fib_lookup, anything else is
 * "unsupported", and pkt:ip_output() fails. The Lua binding, with all its
 * argument checks, is the module's own.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include "port_user.h"
#include "route.h"

/* Whether addr (host order) is an address of one of the host's
 * interfaces, or one of their broadcast addresses.
 */
static unsigned int host_addr_type(u32 addr)
{
	struct ifaddrs *ifas, *i;
	unsigned int type = RTN_UNICAST;

	if ((addr >> 24) == 127)
		return RTN_LOCAL;
	if (addr == 0 || addr == 0xffffffff)
		return RTN_BROADCAST;
	if ((addr >> 28) == 0xe)
		return RTN_MULTICAST;
	if (getifaddrs(&ifas))
		return type;
	for (i = ifas; i; i = i->ifa_next) {
		const struct sockaddr_in *a = (const void *)i->ifa_addr;
		const struct sockaddr_in *b = (const void *)i->ifa_broadaddr;

		if (!a || a->sin_family != AF_INET)
			continue;
		if (ntohl(a->sin_addr.s_addr) == addr) {
			type = RTN_LOCAL;
			break;
		}
		if ((i->ifa_flags & IFF_BROADCAST) && b &&
		    ntohl(b->sin_addr.s_addr) == addr)
			type = RTN_BROADCAST;
	}
	freeifaddrs(ifas);
	return type;
}

enum xdplua_fib_status xdplua_fib_route(struct net *net,
					struct net_device *dev_in, u32 dst,
					u32 src, u8 tos,
					struct xdplua_fib_answer *a)
{
	return host_addr_type(dst) == RTN_LOCAL ? XDPLUA_FIB_LOCAL :
						  XDPLUA_FIB_UNSUPPORTED;
}

int xdplua_ip_output(struct net *net, const void *iph, u32 len,
		     const char **why)
{
	*why = "no output path in the userspace home";
	return -EOPNOTSUPP;
}

unsigned int xdplua_addr_type(struct net *net, u32 addr)
{
	return host_addr_type(addr);
}

int xdplua_ifaddr(struct net *net, const char *name, int index, int n,
		  u32 *addr, int *prefixlen)
{
	char byindex[IF_NAMESIZE];
	struct ifaddrs *ifas, *i;
	int seen = 0, ret = -ENOENT;

	if (!name) {
		if (!if_indextoname(index, byindex))
			return -ENOENT;
		name = byindex;
	}
	if (getifaddrs(&ifas))
		return -ENOENT;
	for (i = ifas; i; i = i->ifa_next) {
		const struct sockaddr_in *a = (const void *)i->ifa_addr;
		const struct sockaddr_in *m = (const void *)i->ifa_netmask;

		if (!a || a->sin_family != AF_INET || strcmp(i->ifa_name, name))
			continue;
		if (++seen == n) {
			*addr = ntohl(a->sin_addr.s_addr);
			*prefixlen = m ? __builtin_popcount(m->sin_addr.s_addr) : 32;
			ret = 0;
			break;
		}
	}
	freeifaddrs(ifas);
	return ret;
}

int xdplua_ifindex(struct net *net, const char *name)
{
	return if_nametoindex(name);
}

int xdplua_ifname(struct net *net, int index, char *name)
{
	char buf[IF_NAMESIZE];

	if (!if_indextoname(index, buf))
		return -ENOENT;
	strscpy(name, buf, IFNAMSIZ);
	return 0;
}
