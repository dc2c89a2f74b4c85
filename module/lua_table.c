// SPDX-License-Identifier: GPL-2.0
/*
 * The Lua side of the shared tables (table.c): xdp.table(name) and the
 * global "rcu" give a handle, a userdata with the metatable "xdplua.table":
 *
 *   t[k], t[k] = v, t[k] = nil, #t, pairs(t)
 *   t:get(k), t:set(k, v [, ttl]), t:add(k, n [, ttl]), t:ttl(k), t:del(k),
 *   t:count(), t:name()
 *
 * A handle holds the table (it cannot be destroyed meanwhile) and scratch
 * space: values are copied out of the table under RCU into it, then pushed
 * on the Lua stack with no RCU read section open (pushing may raise a
 * memory error, which longjmps).
 */
#include "port.h"
#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lua_fast.h"

#define TABLE_MT	"xdplua.table"

struct handle {
	struct xdplua_table *t;
	char kbuf[XDPLUA_TABLE_KEY_MAX];
	char vbuf[XDPLUA_TABLE_STR_MAX];
};

/*
 * Every handle has a metatable of its own (push_handle): its __index is
 * the handle's methods table, so that t:add() finds its method without a
 * call, and that table's __index reads the shared table for any other key.
 * Slot 1 of those metatables holds the address of handle_sentinel: how a
 * handle is told from any other userdata; slot 2 the methods table again,
 * where Lua's VM finds t:add() with no lookup of __index at all
 * (xdplua_udata_get). Scripts cannot reach the metatables (__metatable).
 */
static const char handle_sentinel;

/* The handle at idx, or NULL if idx is something else [-0, +0] */
static inline struct handle *to_handle(lua_State *L, int idx)
{
	return xdplua_toudata_tagged(L, idx, &handle_sentinel);
}

/* The open handle at idx, or an error [-0, +0, v] */
static struct handle *check_handle(lua_State *L, int idx)
{
	struct handle *h = to_handle(L, idx);

	if (unlikely(!h))
		luaL_typeerror(L, idx, TABLE_MT);
	if (!h->t)
		luaL_error(L, "table handle is closed");
	return h;
}

/* GFP_KERNEL while the main chunk runs, GFP_ATOMIC in the packet path. */
static gfp_t gfp_of(lua_State *L)
{
	return xdplua_cpu_of(L)->in_load ? GFP_KERNEL : GFP_ATOMIC;
}

/* The key at idx. Raises an error for any other type. [-0, +0, v] */
static void check_key(lua_State *L, int idx, struct xdplua_tkey *k)
{
	size_t len;

	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		if (!lua_isinteger(L, idx))
			luaL_argerror(L, idx, "table key must be an integer or a string");
		k->type = XDPLUA_TKEY_INT;
		k->i = lua_tointeger(L, idx);
		return;
	case LUA_TSTRING:
		k->s = lua_tolstring(L, idx, &len);
		if (!len || len > XDPLUA_TABLE_KEY_MAX)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"table key must be 1 to %d bytes long (got %d)",
				XDPLUA_TABLE_KEY_MAX, (int)len));
		k->type = XDPLUA_TKEY_STR;
		k->len = len;
		return;
	default:
		luaL_argerror(L, idx, lua_pushfstring(L,
			"table key must be an integer or a string, not %s",
			luaL_typename(L, idx)));
	}
}

/* The value at idx. [-0, +0, v] */
static void check_value(lua_State *L, int idx, struct xdplua_tval *v)
{
	size_t len;

	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		if (!lua_isinteger(L, idx))
			luaL_argerror(L, idx, "table value must be an integer, a string or a boolean");
		v->type = XDPLUA_TVAL_INT;
		v->i = lua_tointeger(L, idx);
		return;
	case LUA_TSTRING:
		v->s = lua_tolstring(L, idx, &len);
		if (len > XDPLUA_TABLE_STR_MAX)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"table string value too long (%d bytes, at most %d)",
				(int)len, XDPLUA_TABLE_STR_MAX));
		v->type = XDPLUA_TVAL_STR;
		v->len = len;
		return;
	case LUA_TBOOLEAN:
		v->type = XDPLUA_TVAL_BOOL;
		v->i = lua_toboolean(L, idx);
		return;
	default:
		luaL_argerror(L, idx, lua_pushfstring(L,
			"table value must be an integer, a string or a boolean, not %s",
			luaL_typename(L, idx)));
	}
}

/* The optional TTL argument at idx, in seconds (nil or 0: never). */
static u32 opt_ttl(lua_State *L, int idx)
{
	lua_Integer ttl = luaL_optinteger(L, idx, 0);

	luaL_argcheck(L, ttl >= 0 && ttl <= XDPLUA_TABLE_TTL_MAX, idx,
		      "ttl must be 0 (never) to 10 years, in seconds");
	return ttl;
}

/* [-0, +1] */
static void push_value(lua_State *L, const struct xdplua_tval *v)
{
	switch (v->type) {
	case XDPLUA_TVAL_INT:
		lua_pushinteger(L, v->i);
		break;
	case XDPLUA_TVAL_STR:
		lua_pushlstring(L, v->s, v->len);
		break;
	default:
		lua_pushboolean(L, v->i);
	}
}

static int table_error(lua_State *L, struct handle *h, int err)
{
	if (err == -ENOSPC)
		return luaL_error(L, "table '%s' is full (%d entries)", h->t->name,
				  (int)h->t->max);
	if (err == -EINVAL)
		return luaL_error(L, "table '%s': value is not an integer", h->t->name);
	return luaL_error(L, "table '%s': out of memory", h->t->name);
}

/* t:get(k) -> value or nil [-0, +1, v] */
static int table_get(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	struct xdplua_tkey k;
	struct xdplua_tval v;

	check_key(L, 2, &k);
	if (xdplua_table_lookup(h->t, &k, &v, h->vbuf, NULL))
		lua_pushnil(L);
	else
		push_value(L, &v);
	return 1;
}

/* t:set(k, v [, ttl]): v nil deletes [-0, +0, v] */
static int table_set(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	struct xdplua_tkey k;
	struct xdplua_tval v;
	u32 ttl;
	int err;

	check_key(L, 2, &k);
	if (lua_isnoneornil(L, 3)) {
		xdplua_table_delete(h->t, &k);
		return 0;
	}
	check_value(L, 3, &v);
	ttl = opt_ttl(L, 4);
	err = xdplua_table_set(h->t, &k, &v, ttl, gfp_of(L));
	if (err)
		return table_error(L, h, err);
	return 0;
}

/* t:add(k, n [, ttl]) -> the new value [-0, +1, v] */
static int table_add(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	struct xdplua_tkey k;
	lua_Integer n;
	s64 result;
	u32 ttl;
	int err;

	check_key(L, 2, &k);
	n = luaL_checkinteger(L, 3);
	ttl = opt_ttl(L, 4);
	err = xdplua_table_add(h->t, &k, n, ttl, &result, gfp_of(L));
	if (err)
		return table_error(L, h, err);
	lua_pushinteger(L, result);
	return 1;
}

/* t:ttl(k) -> remaining seconds, -1 if it never expires, nil if absent
 * [-0, +1, v]
 */
static int table_ttl(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	struct xdplua_tkey k;
	struct xdplua_tval v;
	s64 ttl;

	check_key(L, 2, &k);
	if (xdplua_table_lookup(h->t, &k, &v, h->vbuf, &ttl))
		lua_pushnil(L);
	else
		lua_pushinteger(L, ttl);
	return 1;
}

/* t:del(k) -> true if it was there [-0, +1, v] */
static int table_del(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	struct xdplua_tkey k;

	check_key(L, 2, &k);
	lua_pushboolean(L, !xdplua_table_delete(h->t, &k));
	return 1;
}

/* t:count(), #t -> entries (expired ones not yet removed included) [-0, +1] */
static int table_count(lua_State *L)
{
	struct handle *h = check_handle(L, 1);

	lua_pushinteger(L, atomic_read(&h->t->count));
	return 1;
}

/* t:name() [-0, +1] */
static int table_name(lua_State *L)
{
	struct handle *h = check_handle(L, 1);

	lua_pushstring(L, h->t->name);
	return 1;
}

/* __index(methods, k) of a handle's methods table: t[k] for a key that
 * names no method; upvalue 1 is the handle. [-0, +1, v]
 */
static int table_index(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_replace(L, 1);
	return table_get(L);
}

/* __newindex(t, k, v) [-0, +0, v] */
static int table_newindex(lua_State *L)
{
	lua_settop(L, 3);
	return table_set(L);
}

/* The iterator of pairs(t): upvalues 1 bucket, 2 position. (t, k) -> k, v
 * [-0, +2, v]
 */
static int table_iter(lua_State *L)
{
	struct handle *h = check_handle(L, 1);
	u32 bkt = lua_tointeger(L, lua_upvalueindex(1));
	u32 pos = lua_tointeger(L, lua_upvalueindex(2));
	struct xdplua_tkey k;
	struct xdplua_tval v;
	u32 scanned = 0;
	int end;

	end = xdplua_table_iter(h->t, &bkt, &pos, &k, h->kbuf, &v, h->vbuf, NULL,
				&scanned);
	xdplua_charge(L, scanned / 16);	/* empty buckets walked past */
	if (end) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, bkt);
	lua_replace(L, lua_upvalueindex(1));
	lua_pushinteger(L, pos);
	lua_replace(L, lua_upvalueindex(2));
	if (k.type == XDPLUA_TKEY_INT)
		lua_pushinteger(L, k.i);
	else
		lua_pushlstring(L, k.s, k.len);
	push_value(L, &v);
	return 2;
}

/* __pairs(t) -> iterator, t, nil [-0, +3] */
static int table_pairs(lua_State *L)
{
	check_handle(L, 1);
	lua_pushinteger(L, 0);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, table_iter, 2);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* __gc: give the table back [-0, +0] */
static int table_gc(lua_State *L)
{
	struct handle *h = to_handle(L, 1);

	if (h && h->t) {
		xdplua_table_close(h->t);
		h->t = NULL;
	}
	return 0;
}

/* __tostring [-0, +1] */
static int table_tostring(lua_State *L)
{
	struct handle *h = to_handle(L, 1);

	if (!h)
		return luaL_typeerror(L, 1, TABLE_MT);
	if (h->t)
		lua_pushfstring(L, "xdplua.table '%s' (%d entries)", h->t->name,
				atomic_read(&h->t->count));
	else
		lua_pushliteral(L, "xdplua.table (closed)");
	return 1;
}

static const luaL_Reg table_methods[] = {
	{"get", table_get},
	{"set", table_set},
	{"add", table_add},
	{"ttl", table_ttl},
	{"del", table_del},
	{"count", table_count},
	{"name", table_name},
	{NULL, NULL}
};

static const luaL_Reg table_meta[] = {
	{"__newindex", table_newindex},
	{"__len", table_count},
	{"__pairs", table_pairs},
	{"__gc", table_gc},
	{"__tostring", table_tostring},
	{NULL, NULL}
};

/* Push a handle on the table of that name, in the script's network
 * namespace. [-0, +1, m]
 */
static void push_handle(lua_State *L, const char *name)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct handle *h;
	int err = -ENOMEM;

	if (cpu->closing)
		luaL_error(L, "no new table handle while the script is unloaded");
	h = lua_newuserdatauv(L, sizeof(*h), 0);		/* h */
	h->t = NULL;
	lua_createtable(L, 2, 8);				/* h mt */
	lua_pushlightuserdata(L, (void *)&handle_sentinel);
	lua_rawseti(L, -2, 1);
	luaL_setfuncs(L, table_meta, 0);
	lua_pushliteral(L, TABLE_MT);
	lua_setfield(L, -2, "__name");
	lua_pushliteral(L, TABLE_MT);
	lua_setfield(L, -2, "__metatable");
	luaL_newlib(L, table_methods);				/* h mt methods */
	lua_createtable(L, 0, 1);				/* h mt methods mmt */
	lua_pushvalue(L, -4);
	lua_pushcclosure(L, table_index, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);				/* h mt methods */
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, 2);	/* the methods, for xdplua_udata_get */
	lua_setfield(L, -2, "__index");				/* h mt */
	lua_setmetatable(L, -2);				/* h */
	h->t = xdplua_table_open(read_pnet(&cpu->script->net), name, &err);
	if (!h->t && err == -ENOSPC)
		luaL_error(L, "cannot create table '%s': too many tables in this network namespace (at most %d)",
			   name, XDPLUA_MAX_TABLES);
	if (!h->t)
		luaL_error(L, "not enough memory for table '%s'", name);
}

static bool valid_name(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= XDPLUA_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

/* xdp.table([name]) -> handle; name defaults to "rcu". Load time only.
 * [-0, +1, v]
 */
static int xdp_table(lua_State *L)
{
	size_t len;
	const char *name = luaL_optlstring(L, 1, "rcu", &len);

	if (!valid_name(name, len))
		return luaL_argerror(L, 1, "table name: 1 to 31 letters, digits, '_', '.' or '-'");
	if (!xdplua_cpu_of(L)->in_load)
		return luaL_error(L, "xdp.table() is for load time (the main chunk): keep the handle in a local");
	push_handle(L, name);
	return 1;
}

/* Add xdp.table and the global rcu (the table "rcu"). [-0, +0, m] */
void xdplua_openlib_tables(lua_State *L)
{
	if (lua_getglobal(L, "xdp") == LUA_TTABLE) {
		lua_pushcfunction(L, xdp_table);
		lua_setfield(L, -2, "table");
	}
	lua_pop(L, 1);
	push_handle(L, "rcu");
	lua_setglobal(L, "rcu");
}
