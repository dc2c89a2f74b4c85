// SPDX-License-Identifier: GPL-2.0
/*
 * Routing for scripts that forward packets (docs/lua-api.md, "Routing"):
 *
 *   pkt:fib_lookup(dst [, src [, tos]])  the kernel's route and next hop
 *   pkt:ip_output([l3])                  send the packet through the stack
 *   xdp.addr_type(addr)                  "local", "unicast", "broadcast", ...
 *   xdp.ifaddr(iface [, n])              an interface's IPv4 addresses
 *   xdp.ifindex(name), xdp.ifname(index)
 *
 * Everything works in the network namespace of the device that received
 * the packet (at load time: the script's). Nothing here sleeps:
 * lookups are RCU reads, and the only allocation is ip_output's skb (the
 * same one XDP_PASS would make). Results are copied out of RCU read
 * sections before anything is pushed on the Lua stack, since a push may
 * raise a memory error, which longjmps.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/inetdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/unaligned.h>
#include <net/arp.h>
#include <net/neighbour.h>
#include <net/ip_fib.h>
#include <net/route.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/inet_dscp.h>

#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"

/* The metatable of the packet object (lua_xdp.c) */
#define PACKET_MT	"xdplua.packet"

/* The packet in argument 1, during its callback; else a Lua error. */
static struct xdp_buff *route_packet(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct xdplua_cpu **pp = luaL_testudata(L, 1, PACKET_MT);

	if (unlikely(!pp || *pp != cpu))
		luaL_typeerror(L, 1, "packet");
	if (unlikely(!cpu->xdp))
		luaL_error(L, "packet used outside its callback");
	return cpu->xdp;
}

/* The network namespace of this call: the receiving device's during a
 * callback, the script's (the one that loaded it) at load time.
 */
static struct net *lua_net(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (cpu->xdp)
		return dev_net(cpu->xdp->rxq->dev);
	if (cpu->in_load)
		return read_pnet(&cpu->script->net);
	luaL_error(L, "no network namespace here: call it in a packet callback or at load time");
	return NULL;
}

/*
 * An IPv4 address argument: an integer (the 32-bit field as pkt:u32 reads
 * it, 0 to 0xffffffff) or a 4-byte string (as xdp.pton makes it). Returns
 * it in network byte order; *is_str says which form it had.
 */
static __be32 check_addr(lua_State *L, int arg, bool *is_str)
{
	size_t n;
	const char *s;
	lua_Integer v;
	int isnum;

	if (lua_type(L, arg) == LUA_TSTRING) {
		s = lua_tolstring(L, arg, &n);
		if (n != 4)
			luaL_argerror(L, arg, "an IPv4 address: 4 bytes or an integer");
		if (is_str)
			*is_str = true;
		return (__force __be32)get_unaligned((u32 *)s);
	}
	v = lua_tointegerx(L, arg, &isnum);
	if (!isnum || v < 0 || v > 0xffffffffLL)
		luaL_argerror(L, arg, "an IPv4 address: 4 bytes or an integer from 0 to 0xffffffff");
	if (is_str)
		*is_str = false;
	return htonl((u32)v);
}

/* Push an address (network byte order) as an integer or a 4-byte string. */
static void push_addr(lua_State *L, __be32 a, bool as_str)
{
	if (as_str)
		lua_pushlstring(L, (const char *)&a, 4);
	else
		lua_pushinteger(L, ntohl(a));
}

/* --- pkt:fib_lookup ------------------------------------------------------- */

enum fib_status {
	FIB_OK,
	FIB_NO_NEIGH,
	FIB_LOCAL,
	FIB_UNREACHABLE,
	FIB_BLACKHOLE,
	FIB_PROHIBIT,
	FIB_NOT_FORWARDED,
	FIB_FORWARDING_DISABLED,
	FIB_UNSUPPORTED,
};

static const char *const fib_status_names[] = {
	[FIB_OK] = "ok",
	[FIB_NO_NEIGH] = "no_neigh",
	[FIB_LOCAL] = "local",
	[FIB_UNREACHABLE] = "unreachable",
	[FIB_BLACKHOLE] = "blackhole",
	[FIB_PROHIBIT] = "prohibit",
	[FIB_NOT_FORWARDED] = "not_forwarded",
	[FIB_FORWARDING_DISABLED] = "forwarding_disabled",
	[FIB_UNSUPPORTED] = "unsupported",
};

struct fib_answer {
	int ifindex;
	u32 mtu;
	__be32 src;
	__be32 nexthop;
	u8 dmac[ETH_ALEN];
	u8 smac[ETH_ALEN];
};

/*
 * The route a packet received on dev_in would take to dst, as the kernel's
 * forwarding would find it (bpf_fib_lookup() for XDP does the same), and
 * the next hop's MAC address. Under rcu_read_lock.
 */
static enum fib_status fib_route(struct net *net, struct net_device *dev_in,
				 __be32 dst, __be32 src, u8 tos,
				 struct fib_answer *a)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev_in);
	struct fib_nh_common *nhc;
	struct fib_result res = {};
	struct flowi4 fl4 = {};
	struct net_device *dev;
	struct neighbour *neigh;
	int err;

	if (!in_dev || !IN_DEV_FORWARD(in_dev))
		return FIB_FORWARDING_DISABLED;
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
			return FIB_BLACKHOLE;
		if (err == -EHOSTUNREACH || err == -ENETUNREACH)
			return FIB_UNREACHABLE;
		if (err == -EACCES)
			return FIB_PROHIBIT;
		return FIB_NOT_FORWARDED;
	}
	switch (res.type) {
	case RTN_UNICAST:
		break;
	case RTN_LOCAL:
		return FIB_LOCAL;
	case RTN_BLACKHOLE:
		return FIB_BLACKHOLE;
	case RTN_UNREACHABLE:
		return FIB_UNREACHABLE;
	case RTN_PROHIBIT:
		return FIB_PROHIBIT;
	default:
		return FIB_NOT_FORWARDED;
	}
	nhc = res.nhc;
	if (!nhc || nhc->nhc_lwtstate || nhc->nhc_gw_family == AF_INET6)
		return FIB_UNSUPPORTED;
	dev = nhc->nhc_dev;
	if (!dev || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !(dev->flags & IFF_UP))
		return FIB_UNSUPPORTED;
	a->nexthop = nhc->nhc_gw_family == AF_INET ? nhc->nhc_gw.ipv4 : dst;
	a->ifindex = dev->ifindex;
	a->mtu = READ_ONCE(dev->mtu);
	if (res.fi && res.fi->fib_mtu && res.fi->fib_mtu < a->mtu)
		a->mtu = res.fi->fib_mtu;
	a->src = res.fi && res.fi->fib_prefsrc ? res.fi->fib_prefsrc :
		 inet_select_addr(dev, a->nexthop, RT_SCOPE_UNIVERSE);
	ether_addr_copy(a->smac, dev->dev_addr);
	neigh = __ipv4_neigh_lookup_noref(dev, (__force u32)a->nexthop);
	if (!neigh || !(READ_ONCE(neigh->nud_state) & NUD_VALID))
		return FIB_NO_NEIGH;
	neigh_ha_snapshot(a->dmac, neigh, dev);
	return FIB_OK;
}

/*
 * pkt:fib_lookup(dst [, src [, tos]])
 *   -> status, ifindex, dmac, smac, src, mtu, nexthop
 * status "ok": all of them; "no_neigh": dmac is nil (the next hop's MAC is
 * not known yet); any other status comes alone. [-0, +1..7]
 */
static int packet_fib_lookup(lua_State *L)
{
	struct xdp_buff *xdp = route_packet(L);
	struct net_device *dev_in = xdp->rxq->dev;
	struct fib_answer a = {};
	enum fib_status st;
	lua_Integer tos;
	__be32 dst, src = 0;
	bool as_str;

	dst = check_addr(L, 2, &as_str);
	if (!lua_isnoneornil(L, 3))
		src = check_addr(L, 3, NULL);
	tos = luaL_optinteger(L, 4, 0);
	luaL_argcheck(L, tos >= 0 && tos <= 255, 4, "TOS from 0 to 255");

	rcu_read_lock();
	st = fib_route(dev_net(dev_in), dev_in, dst, src, tos, &a);
	rcu_read_unlock();

	lua_pushstring(L, fib_status_names[st]);
	if (st != FIB_OK && st != FIB_NO_NEIGH)
		return 1;
	lua_pushinteger(L, a.ifindex);
	if (st == FIB_OK)
		lua_pushlstring(L, (const char *)a.dmac, ETH_ALEN);
	else
		lua_pushnil(L);
	lua_pushlstring(L, (const char *)a.smac, ETH_ALEN);
	push_addr(L, a.src, as_str);
	lua_pushinteger(L, a.mtu);
	push_addr(L, a.nexthop, as_str);
	return 7;
}

/* --- pkt:ip_output -------------------------------------------------------- */

/* The packet of the last pkt:ip_output() on this CPU: once per packet. */
struct output_mark {
	struct xdplua_cpu *cpu;
	u64 pkt_gen;
};

static DEFINE_PER_CPU(struct output_mark, output_marks);

/*
 * pkt:ip_output([l3]) -> true | nil, message
 * Give a copy of the IPv4 packet whose header is at l3 (default 14) to the
 * kernel's IP output path, as if this host sent it: routed by destination,
 * the next hop's MAC resolved (the packet waits in the neighbour's queue
 * meanwhile), netfilter's OUTPUT and POSTROUTING hooks run. For a packet
 * whose next hop is not resolved yet and whose source is one of this
 * host's addresses (which XDP_PASS would drop as a martian). The XDP frame
 * itself is left as it is: return xdp.DROP after. At most once per packet.
 * [-0, +1..2]
 */
static int packet_ip_output(lua_State *L)
{
	struct xdp_buff *xdp = route_packet(L);
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct output_mark *mark = this_cpu_ptr(&output_marks);
	lua_Integer off = luaL_optinteger(L, 2, ETH_HLEN);
	u32 len = xdp->data_end - xdp->data;
	struct flowi4 fl4 = {};
	const struct iphdr *iph;
	struct sk_buff *skb;
	struct rtable *rt;
	struct net *net;
	u32 tot;

	if (off < 0 || off > len || len - off < sizeof(struct iphdr))
		return luaL_error(L, "no IPv4 header at offset %d", (int)off);
	iph = xdp->data + off;
	tot = ntohs(iph->tot_len);
	if (iph->version != 4 || iph->ihl < 5 || tot < iph->ihl * 4 ||
	    tot > len - off)
		return luaL_error(L, "malformed IPv4 header at offset %d", (int)off);
	if (mark->cpu == cpu && mark->pkt_gen == cpu->pkt_gen)
		return luaL_error(L, "ip_output: at most once per packet");
	mark->cpu = cpu;
	mark->pkt_gen = cpu->pkt_gen;

	net = dev_net(xdp->rxq->dev);
	fl4.daddr = iph->daddr;
	fl4.saddr = iph->saddr;
	fl4.flowi4_proto = iph->protocol;
	fl4.flowi4_tos = iph->tos & INET_DSCP_MASK;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		luaL_pushfail(L);
		lua_pushliteral(L, "no route");
		return 2;
	}
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		luaL_pushfail(L);
		lua_pushliteral(L, "not a unicast route");
		return 2;
	}
	skb = alloc_skb(LL_MAX_HEADER + tot, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb) {
		ip_rt_put(rt);
		luaL_pushfail(L);
		lua_pushliteral(L, "out of memory");
		return 2;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	skb_put_data(skb, iph, tot);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	ip_local_out(net, NULL, skb);
	lua_pushboolean(L, 1);
	return 1;
}

/* --- addresses and interfaces --------------------------------------------- */

static const char *const rtn_names[] = {
	[RTN_UNSPEC] = "unspec",
	[RTN_UNICAST] = "unicast",
	[RTN_LOCAL] = "local",
	[RTN_BROADCAST] = "broadcast",
	[RTN_ANYCAST] = "anycast",
	[RTN_MULTICAST] = "multicast",
	[RTN_BLACKHOLE] = "blackhole",
	[RTN_UNREACHABLE] = "unreachable",
	[RTN_PROHIBIT] = "prohibit",
	[RTN_THROW] = "throw",
	[RTN_NAT] = "nat",
	[RTN_XRESOLVE] = "xresolve",
};

/* xdp.addr_type(addr) -> "local", "unicast", "broadcast", "multicast", ...
 * what addr is to this host (its local routing table). [-0, +1]
 */
static int xdp_addr_type(lua_State *L)
{
	__be32 a = check_addr(L, 1, NULL);
	struct net *net = lua_net(L);
	unsigned int type;

	type = inet_addr_type(net, a);
	lua_pushstring(L, type < ARRAY_SIZE(rtn_names) && rtn_names[type] ?
		       rtn_names[type] : "unspec");
	return 1;
}

/*
 * The device named by argument arg (a name or an index), under
 * rcu_read_lock; NULL if there is none. Raises errors for bad arguments,
 * so call it before taking the lock: *name or *index is filled here.
 */
static void check_iface(lua_State *L, int arg, char *name, int *index)
{
	size_t n;
	const char *s;
	lua_Integer v;
	int isnum;

	*index = 0;
	name[0] = '\0';
	if (lua_type(L, arg) == LUA_TSTRING) {
		s = lua_tolstring(L, arg, &n);
		if (n == 0 || n >= IFNAMSIZ || strnlen(s, n) != n)
			luaL_argerror(L, arg, "an interface name: 1 to 15 bytes");
		memcpy(name, s, n);
		name[n] = '\0';
		return;
	}
	v = lua_tointegerx(L, arg, &isnum);
	if (!isnum || v <= 0 || v > INT_MAX)
		luaL_argerror(L, arg, "an interface name or index");
	*index = v;
}

static struct net_device *iface_rcu(struct net *net, const char *name,
				    int index)
{
	return index ? dev_get_by_index_rcu(net, index) :
		       dev_get_by_name_rcu(net, name);
}

#define IFADDR_MAX	256

/* xdp.ifaddr(iface [, n]) -> address (4 bytes), prefix length | nil
 * the n-th (default 1: the primary) IPv4 address of an interface. [-0, +1..2]
 */
static int xdp_ifaddr(lua_State *L)
{
	struct net *net = lua_net(L);
	char name[IFNAMSIZ];
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;
	lua_Integer n;
	__be32 addr = 0;
	int index, i = 0, plen = -1;

	check_iface(L, 1, name, &index);
	n = luaL_optinteger(L, 2, 1);
	luaL_argcheck(L, n >= 1 && n <= IFADDR_MAX, 2, "from 1 to 256");
	rcu_read_lock();
	dev = iface_rcu(net, name, index);
	in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (++i == n) {
				addr = ifa->ifa_local;
				plen = ifa->ifa_prefixlen;
				break;
			}
		}
	}
	rcu_read_unlock();
	if (plen < 0) {
		luaL_pushfail(L);
		return 1;
	}
	push_addr(L, addr, true);
	lua_pushinteger(L, plen);
	return 2;
}

/* xdp.ifindex(name) -> index | nil [-0, +1] */
static int xdp_ifindex(lua_State *L)
{
	struct net *net = lua_net(L);
	char name[IFNAMSIZ];
	struct net_device *dev;
	int index, found = 0;

	luaL_checktype(L, 1, LUA_TSTRING);
	check_iface(L, 1, name, &index);
	rcu_read_lock();
	dev = iface_rcu(net, name, 0);
	if (dev)
		found = dev->ifindex;
	rcu_read_unlock();
	if (found)
		lua_pushinteger(L, found);
	else
		luaL_pushfail(L);
	return 1;
}

/* xdp.ifname(index) -> name | nil [-0, +1] */
static int xdp_ifname(lua_State *L)
{
	struct net *net = lua_net(L);
	char name[IFNAMSIZ] = "";
	struct net_device *dev;
	int index;

	luaL_checktype(L, 1, LUA_TNUMBER);
	check_iface(L, 1, name, &index);
	rcu_read_lock();
	dev = iface_rcu(net, NULL, index);
	if (dev)
		strscpy(name, dev->name, sizeof(name));
	rcu_read_unlock();
	if (name[0])
		lua_pushstring(L, name);
	else
		luaL_pushfail(L);
	return 1;
}

static const luaL_Reg packet_route_methods[] = {
	{"fib_lookup", packet_fib_lookup},
	{"ip_output", packet_ip_output},
	{NULL, NULL}
};

static const luaL_Reg xdp_route_funcs[] = {
	{"addr_type", xdp_addr_type},
	{"ifaddr", xdp_ifaddr},
	{"ifindex", xdp_ifindex},
	{"ifname", xdp_ifname},
	{NULL, NULL}
};

/* Add the packet methods and the xdp functions above. Called after
 * luaopen_xdp; makes the packet metatable if it does not exist yet.
 * [-0, +0, m]
 */
void xdplua_openlib_route(lua_State *L)
{
	xdplua_packet_new(L, xdplua_cpu_of(L));
	if (lua_getmetatable(L, -1)) {
		if (lua_getfield(L, -1, "__index") == LUA_TTABLE)
			luaL_setfuncs(L, packet_route_methods, 0);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	if (lua_getglobal(L, "xdp") == LUA_TTABLE)
		luaL_setfuncs(L, xdp_route_funcs, 0);
	lua_pop(L, 1);
}
