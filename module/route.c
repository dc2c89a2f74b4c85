// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's answers to lua_route.c (route.h): the network namespace's
 * routing table (fib_lookup, as bpf_fib_lookup() does for XDP), its
 * neighbour table, its interfaces and addresses, and its IP output path.
 * Lookups are RCU reads; nothing sleeps. xdplua_ip_output() allocates a
 * socket buffer (GFP_ATOMIC), as XDP_PASS would.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/inetdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/arp.h>
#include <net/neighbour.h>
#include <net/ip_fib.h>
#include <net/route.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/inet_dscp.h>

#include "xdplua.h"
#include "route.h"

static enum xdplua_fib_status fib_route_rcu(struct net *net,
					    struct net_device *dev_in,
					    __be32 dst, __be32 src, u8 tos,
					    struct xdplua_fib_answer *a)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev_in);
	struct fib_nh_common *nhc;
	struct fib_result res = {};
	struct flowi4 fl4 = {};
	struct net_device *dev;
	struct neighbour *neigh;
	__be32 nh;
	int err;

	if (!in_dev || !IN_DEV_FORWARD(in_dev))
		return XDPLUA_FIB_FORWARDING_DISABLED;
	fl4.flowi4_iif = dev_in->ifindex;
	fl4.flowi4_oif = 0;
	fl4.flowi4_tos = tos & INET_DSCP_MASK;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.daddr = dst;
	fl4.saddr = src;
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	err = fib_lookup(net, &fl4, &res, FIB_LOOKUP_NOREF);
	if (err) {
		if (err == -EINVAL)
			return XDPLUA_FIB_BLACKHOLE;
		if (err == -EHOSTUNREACH || err == -ENETUNREACH)
			return XDPLUA_FIB_UNREACHABLE;
		if (err == -EACCES)
			return XDPLUA_FIB_PROHIBIT;
		return XDPLUA_FIB_NOT_FORWARDED;
	}
	switch (res.type) {
	case RTN_UNICAST:
		break;
	case RTN_LOCAL:
		return XDPLUA_FIB_LOCAL;
	case RTN_BLACKHOLE:
		return XDPLUA_FIB_BLACKHOLE;
	case RTN_UNREACHABLE:
		return XDPLUA_FIB_UNREACHABLE;
	case RTN_PROHIBIT:
		return XDPLUA_FIB_PROHIBIT;
	default:
		return XDPLUA_FIB_NOT_FORWARDED;
	}
	nhc = res.nhc;
	if (!nhc || nhc->nhc_lwtstate || nhc->nhc_gw_family == AF_INET6)
		return XDPLUA_FIB_UNSUPPORTED;
	dev = nhc->nhc_dev;
	if (!dev || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !(dev->flags & IFF_UP))
		return XDPLUA_FIB_UNSUPPORTED;
	nh = nhc->nhc_gw_family == AF_INET ? nhc->nhc_gw.ipv4 : dst;
	a->nexthop = ntohl(nh);
	a->ifindex = dev->ifindex;
	a->mtu = READ_ONCE(dev->mtu);
	if (res.fi && res.fi->fib_mtu && res.fi->fib_mtu < a->mtu)
		a->mtu = res.fi->fib_mtu;
	a->src = ntohl(res.fi && res.fi->fib_prefsrc ? res.fi->fib_prefsrc :
		       inet_select_addr(dev, nh, RT_SCOPE_UNIVERSE));
	ether_addr_copy(a->smac, dev->dev_addr);
	neigh = __ipv4_neigh_lookup_noref(dev, (__force u32)nh);
	if (!neigh || !(READ_ONCE(neigh->nud_state) & NUD_VALID))
		return XDPLUA_FIB_NO_NEIGH;
	neigh_ha_snapshot(a->dmac, neigh, dev);
	return XDPLUA_FIB_OK;
}

enum xdplua_fib_status xdplua_fib_route(struct net *net,
					struct net_device *dev_in, u32 dst,
					u32 src, u8 tos,
					struct xdplua_fib_answer *a)
{
	enum xdplua_fib_status st;

	rcu_read_lock();
	st = fib_route_rcu(net, dev_in, htonl(dst), htonl(src), tos, a);
	rcu_read_unlock();
	return st;
}

int xdplua_ip_output(struct net *net, const void *data, u32 len,
		     const char **why)
{
	const struct iphdr *iph = data;
	struct flowi4 fl4 = {};
	struct sk_buff *skb;
	struct rtable *rt;

	fl4.daddr = iph->daddr;
	fl4.saddr = iph->saddr;
	fl4.flowi4_proto = iph->protocol;
	fl4.flowi4_tos = iph->tos & INET_DSCP_MASK;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		*why = "no route";
		return PTR_ERR(rt);
	}
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		*why = "not a unicast route";
		return -EINVAL;
	}
	skb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb) {
		ip_rt_put(rt);
		*why = "out of memory";
		return -ENOMEM;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	skb_put_data(skb, data, len);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	ip_local_out(net, NULL, skb);
	return 0;
}

unsigned int xdplua_addr_type(struct net *net, u32 addr)
{
	return inet_addr_type(net, htonl(addr));
}

static struct net_device *iface_rcu(struct net *net, const char *name,
				    int index)
{
	return name ? dev_get_by_name_rcu(net, name) :
		      dev_get_by_index_rcu(net, index);
}

int xdplua_ifaddr(struct net *net, const char *name, int index, int n,
		  u32 *addr, int *prefixlen)
{
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;
	int i = 0, ret = -ENOENT;

	rcu_read_lock();
	dev = iface_rcu(net, name, index);
	in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (++i == n) {
				*addr = ntohl(ifa->ifa_local);
				*prefixlen = ifa->ifa_prefixlen;
				ret = 0;
				break;
			}
		}
	}
	rcu_read_unlock();
	return ret;
}

int xdplua_ifindex(struct net *net, const char *name)
{
	struct net_device *dev;
	int index = 0;

	rcu_read_lock();
	dev = dev_get_by_name_rcu(net, name);
	if (dev)
		index = dev->ifindex;
	rcu_read_unlock();
	return index;
}

int xdplua_ifname(struct net *net, int index, char *name)
{
	struct net_device *dev;
	int ret = -ENOENT;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, index);
	if (dev) {
		strscpy(name, dev->name, IFNAMSIZ);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}
