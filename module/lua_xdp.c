// SPDX-License-Identifier: GPL-2.0
/*
 * The Lua side of XDP: the packet object passed to the entry function and
 * the "xdp" library (verdicts, cpu id, time).
 *
 * The packet object is one userdata per Lua state, made at load time. It
 * refers to the packet only while the callback runs (cpu->xdp); used after
 * that, every method raises an error.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include <linux/unaligned.h>
#include <net/xdp.h>

#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"

#define PACKET_MT	"xdplua.packet"

static inline struct xdplua_cpu *cpu_of(lua_State *L)
{
	return *(struct xdplua_cpu **)lua_getextraspace(L);
}

/* The packet the first argument refers to, or an error. */
static struct xdp_buff *check_packet(lua_State *L)
{
	struct xdplua_cpu *cpu = cpu_of(L);
	struct xdplua_cpu **pp = lua_touserdata(L, 1);

	if (unlikely(!pp || *pp != cpu))
		luaL_typeerror(L, 1, "packet");
	if (unlikely(!cpu->xdp))
		luaL_error(L, "packet used outside its callback");
	return cpu->xdp;
}

static inline u32 packet_len(struct xdp_buff *xdp)
{
	return xdp->data_end - xdp->data;
}

/* A pointer to size bytes at the offset in argument 2, or an error. */
static u8 *packet_at(lua_State *L, struct xdp_buff *xdp, lua_Integer size)
{
	lua_Integer off = luaL_checkinteger(L, 2);
	u32 len = packet_len(xdp);

	if (unlikely(off < 0 || size < 0 || off > len || size > len - off))
		luaL_error(L, "packet access out of bounds: offset %d, %d bytes, packet length %d",
			   (int)off, (int)size, (int)len);
	return (u8 *)xdp->data + off;
}

/* pkt:len() / #pkt [-0, +1] */
static int packet_len_l(lua_State *L)
{
	lua_pushinteger(L, packet_len(check_packet(L)));
	return 1;
}

/* pkt:u8(off) pkt:u16(off) pkt:u32(off): network byte order [-0, +1] */
static int packet_u8(lua_State *L)
{
	lua_pushinteger(L, *packet_at(L, check_packet(L), 1));
	return 1;
}

static int packet_u16(lua_State *L)
{
	lua_pushinteger(L, get_unaligned_be16(packet_at(L, check_packet(L), 2)));
	return 1;
}

static int packet_u32(lua_State *L)
{
	lua_pushinteger(L, get_unaligned_be32(packet_at(L, check_packet(L), 4)));
	return 1;
}

/* pkt:set_u8(off, v) ... : the value is truncated to the field [-0, +0] */
static int packet_set_u8(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 1);

	*p = (u8)luaL_checkinteger(L, 3);
	return 0;
}

static int packet_set_u16(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 2);

	put_unaligned_be16((u16)luaL_checkinteger(L, 3), p);
	return 0;
}

static int packet_set_u32(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 4);

	put_unaligned_be32((u32)luaL_checkinteger(L, 3), p);
	return 0;
}

/* pkt:bytes(off [, n]) -> string; n defaults to the rest [-0, +1] */
static int packet_bytes(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer n = luaL_optinteger(L, 3, (lua_Integer)packet_len(xdp) - off);

	lua_pushlstring(L, (const char *)packet_at(L, xdp, n), n);
	return 1;
}

/* pkt:set_bytes(off, s) [-0, +0] */
static int packet_set_bytes(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	size_t n;
	const char *s = luaL_checklstring(L, 3, &n);

	memcpy(packet_at(L, xdp, n), s, n);
	return 0;
}

/* pkt:ifindex(), pkt:ifname(), pkt:queue(): where it was received [-0, +1] */
static int packet_ifindex(lua_State *L)
{
	lua_pushinteger(L, check_packet(L)->rxq->dev->ifindex);
	return 1;
}

static int packet_ifname(lua_State *L)
{
	lua_pushstring(L, check_packet(L)->rxq->dev->name);
	return 1;
}

static int packet_queue(lua_State *L)
{
	lua_pushinteger(L, check_packet(L)->rxq->queue_index);
	return 1;
}

static int packet_tostring(lua_State *L)
{
	struct xdplua_cpu *cpu = cpu_of(L);

	if (cpu->xdp)
		lua_pushfstring(L, "packet (%d bytes)", (int)packet_len(cpu->xdp));
	else
		lua_pushliteral(L, "packet (expired)");
	return 1;
}

static const luaL_Reg packet_methods[] = {
	{"len", packet_len_l},
	{"u8", packet_u8},
	{"u16", packet_u16},
	{"u32", packet_u32},
	{"set_u8", packet_set_u8},
	{"set_u16", packet_set_u16},
	{"set_u32", packet_set_u32},
	{"bytes", packet_bytes},
	{"set_bytes", packet_set_bytes},
	{"ifindex", packet_ifindex},
	{"ifname", packet_ifname},
	{"queue", packet_queue},
	{NULL, NULL}
};

static const luaL_Reg packet_meta[] = {
	{"__len", packet_len_l},
	{"__tostring", packet_tostring},
	{"__index", NULL},
	{"__metatable", NULL},
	{NULL, NULL}
};

/* Push this state's packet object. [-0, +1] */
void xdplua_packet_new(lua_State *L, struct xdplua_cpu *cpu)
{
	struct xdplua_cpu **pp = lua_newuserdatauv(L, sizeof(*pp), 0);

	*pp = cpu;
	if (luaL_newmetatable(L, PACKET_MT)) {
		luaL_setfuncs(L, packet_meta, 0);
		luaL_newlib(L, packet_methods);
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "packet");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
}

/* --- the xdp library ---------------------------------------------------- */

/* xdp.cpu() -> the CPU running this state [-0, +1] */
static int xdp_cpu(lua_State *L)
{
	lua_pushinteger(L, raw_smp_processor_id());
	return 1;
}

/* xdp.time() -> monotonic nanoseconds [-0, +1] */
static int xdp_time(lua_State *L)
{
	lua_pushinteger(L, ktime_get_ns());
	return 1;
}

static const luaL_Reg xdp_funcs[] = {
	{"cpu", xdp_cpu},
	{"time", xdp_time},
	{NULL, NULL}
};

static const struct {
	const char *upper, *lower;
	int action;
} verdicts[] = {
	{"ABORTED", "aborted", XDP_ABORTED},
	{"DROP", "drop", XDP_DROP},
	{"PASS", "pass", XDP_PASS},
	{"TX", "tx", XDP_TX},
	{"REDIRECT", "redirect", XDP_REDIRECT},
};

int luaopen_xdp(lua_State *L)
{
	int i;

	luaL_newlib(L, xdp_funcs);
	lua_createtable(L, 0, ARRAY_SIZE(verdicts));	/* xdp.action */
	for (i = 0; i < ARRAY_SIZE(verdicts); i++) {
		lua_pushinteger(L, verdicts[i].action);
		lua_setfield(L, -3, verdicts[i].upper);
		lua_pushinteger(L, verdicts[i].action);
		lua_setfield(L, -2, verdicts[i].lower);
	}
	lua_setfield(L, -2, "action");
	return 1;
}
