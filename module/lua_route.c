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
 * This file is the Lua binding: every argument is checked here (types,
 * ranges, lengths, bounds by subtraction). The answers come from route.h's
 * functions: route.c in the kernel, userspace/route_user.c in the
 * userspace home. Everything works in the network namespace of the device
 * that received the packet (at load time: the script's). Results are
 * copied out before anything is pushed on the Lua stack: a push may raise
 * a memory error, which longjmps.
 */
#include "port.h"
#include "xdplua.h"
#include "route.h"
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
 * it in host byte order; *is_str says which form it had.
 */
static u32 check_addr(lua_State *L, int arg, bool *is_str)
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
		return get_unaligned_be32(s);
	}
	v = lua_tointegerx(L, arg, &isnum);
	if (!isnum || v < 0 || v > 0xffffffffLL)
		luaL_argerror(L, arg, "an IPv4 address: 4 bytes or an integer from 0 to 0xffffffff");
	if (is_str)
		*is_str = false;
	return (u32)v;
}

/* Push an address as an integer or a 4-byte string. */
static void push_addr(lua_State *L, u32 a, bool as_str)
{
	char b[4];

	if (as_str) {
		put_unaligned_be32(a, b);
		lua_pushlstring(L, b, 4);
	} else {
		lua_pushinteger(L, a);
	}
}

/* --- pkt:fib_lookup ------------------------------------------------------- */

static const char *const fib_status_names[] = {
	[XDPLUA_FIB_OK] = "ok",
	[XDPLUA_FIB_NO_NEIGH] = "no_neigh",
	[XDPLUA_FIB_LOCAL] = "local",
	[XDPLUA_FIB_UNREACHABLE] = "unreachable",
	[XDPLUA_FIB_BLACKHOLE] = "blackhole",
	[XDPLUA_FIB_PROHIBIT] = "prohibit",
	[XDPLUA_FIB_NOT_FORWARDED] = "not_forwarded",
	[XDPLUA_FIB_FORWARDING_DISABLED] = "forwarding_disabled",
	[XDPLUA_FIB_UNSUPPORTED] = "unsupported",
};

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
	struct xdplua_fib_answer a = { 0 };
	enum xdplua_fib_status st;
	lua_Integer tos;
	u32 dst, src = 0;
	bool as_str;

	dst = check_addr(L, 2, &as_str);
	if (!lua_isnoneornil(L, 3))
		src = check_addr(L, 3, NULL);
	tos = luaL_optinteger(L, 4, 0);
	luaL_argcheck(L, tos >= 0 && tos <= 255, 4, "TOS from 0 to 255");

	st = xdplua_fib_route(dev_net(dev_in), dev_in, dst, src, tos, &a);
	if (st >= ARRAY_SIZE(fib_status_names))
		st = XDPLUA_FIB_UNSUPPORTED;
	lua_pushstring(L, fib_status_names[st]);
	if (st != XDPLUA_FIB_OK && st != XDPLUA_FIB_NO_NEIGH)
		return 1;
	lua_pushinteger(L, a.ifindex);
	if (st == XDPLUA_FIB_OK)
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
	u32 len = (u8 *)xdp->data_end - (u8 *)xdp->data;
	const char *why = "";
	const u8 *iph;
	u32 tot, ihl;

	if (off < 0 || off > len || len - off < 20)
		return luaL_error(L, "no IPv4 header at offset %d", (int)off);
	iph = (const u8 *)xdp->data + off;
	ihl = (iph[0] & 0xf) * 4;
	tot = get_unaligned_be16(iph + 2);
	if (iph[0] >> 4 != 4 || ihl < 20 || tot < ihl || tot > len - off)
		return luaL_error(L, "malformed IPv4 header at offset %d", (int)off);
	if (mark->cpu == cpu && mark->pkt_gen == cpu->pkt_gen)
		return luaL_error(L, "ip_output: at most once per packet");
	mark->cpu = cpu;
	mark->pkt_gen = cpu->pkt_gen;
	if (xdplua_ip_output(dev_net(xdp->rxq->dev), iph, tot, &why)) {
		luaL_pushfail(L);
		lua_pushstring(L, why);
		return 2;
	}
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
	u32 a = check_addr(L, 1, NULL);
	unsigned int type = xdplua_addr_type(lua_net(L), a);

	lua_pushstring(L, type < ARRAY_SIZE(rtn_names) && rtn_names[type] ?
		       rtn_names[type] : "unspec");
	return 1;
}

/*
 * The interface in argument arg: a name (1 to 15 bytes, no NUL) in name,
 * or an index (1 to INT_MAX) in *index with name "".
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

#define IFADDR_MAX	256

/* xdp.ifaddr(iface [, n]) -> address (4 bytes), prefix length | nil
 * the n-th (default 1: the primary) IPv4 address of an interface. [-0, +1..2]
 */
static int xdp_ifaddr(lua_State *L)
{
	struct net *net = lua_net(L);
	char name[IFNAMSIZ];
	lua_Integer n;
	int index, plen;
	u32 addr;

	check_iface(L, 1, name, &index);
	n = luaL_optinteger(L, 2, 1);
	luaL_argcheck(L, n >= 1 && n <= IFADDR_MAX, 2, "from 1 to 256");
	if (xdplua_ifaddr(net, index ? NULL : name, index, n, &addr, &plen)) {
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
	int index;

	luaL_checktype(L, 1, LUA_TSTRING);
	check_iface(L, 1, name, &index);
	index = xdplua_ifindex(net, name);
	if (index > 0)
		lua_pushinteger(L, index);
	else
		luaL_pushfail(L);
	return 1;
}

/* xdp.ifname(index) -> name | nil [-0, +1] */
static int xdp_ifname(lua_State *L)
{
	struct net *net = lua_net(L);
	char name[IFNAMSIZ] = "";
	int index;

	luaL_checktype(L, 1, LUA_TNUMBER);
	check_iface(L, 1, name, &index);
	if (xdplua_ifname(net, index, name) == 0 && name[0])
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
