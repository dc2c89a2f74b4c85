/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bindings' hot paths into Lua's internals (Lua 5.4.4's lstate.h and
 * lobject.h): a C function's arguments read and its integer result pushed
 * with a few loads and stores, where the API translates an index, checks it
 * and calls out for each. Anything but the common case goes to the API, and
 * so gets the API's conversions and errors.
 */
#ifndef XDPLUA_LUA_FAST_H
#define XDPLUA_LUA_FAST_H

#include "lua.h"
#include "lauxlib.h"
#include "lstate.h"
#include "lgc.h"
#include "ltable.h"

/* Argument idx (> 0) of the running C function, or NULL if it has fewer. */
static inline const TValue *xdplua_arg(lua_State *L, int idx)
{
	StkId p = L->ci->func + idx;

	return p < L->top ? s2v(p) : NULL;
}

/* luaL_checkinteger, an integer argument read in place. */
static inline lua_Integer xdplua_checkint(lua_State *L, int idx)
{
	const TValue *o = xdplua_arg(L, idx);

	if (likely(o && ttisinteger(o)))
		return ivalue(o);
	return luaL_checkinteger(L, idx);
}

/* luaL_checklstring, a string argument read in place. */
static inline const char *xdplua_checklstring(lua_State *L, int idx, size_t *len)
{
	const TValue *o = xdplua_arg(L, idx);

	if (likely(o && ttisstring(o))) {
		*len = tsslen(tsvalue(o));
		return getstr(tsvalue(o));
	}
	return luaL_checklstring(L, idx, len);
}

/* luaL_optinteger, an integer argument read in place. */
static inline lua_Integer xdplua_optint(lua_State *L, int idx, lua_Integer dflt)
{
	const TValue *o = xdplua_arg(L, idx);

	if (likely(o && ttisinteger(o)))
		return ivalue(o);
	return luaL_optinteger(L, idx, dflt);
}

/* The memory of argument idx if it is a full userdata, else NULL. */
static inline void *xdplua_arg_udata(lua_State *L, int idx)
{
	const TValue *o = xdplua_arg(L, idx);

	return o && ttisfulluserdata(o) ? getudatamem(uvalue(o)) : NULL;
}

/* lua_pushinteger: a C function has LUA_MINSTACK free slots to push to. */
static inline void xdplua_push_int(lua_State *L, lua_Integer v)
{
	setivalue(s2v(L->top), v);
	L->top++;
}

/* Slot 1 or 2 of a metatable: in its array part if made so. */
static inline const TValue *xdplua_mt_slot(Table *mt, unsigned int i)
{
	return likely(i <= mt->alimit) ? &mt->array[i - 1] : luaH_getint(mt, i);
}

/* Push o: a C function has LUA_MINSTACK free slots to push to. */
static inline void xdplua_push_value(lua_State *L, const TValue *o)
{
	setobj2s(L, L->top, o);
	L->top++;
}

/* User value n (from 1) of full userdata u, or NULL if it has fewer. */
static inline const TValue *xdplua_uservalue(Udata *u, int n)
{
	/* uv[] is declared with one element and allocated with nuvalue:
	 * index through a pointer, which the bounds sanitizer leaves alone
	 */
	const UValue *uv = u->uv;

	return n >= 1 && n <= u->nuvalue ? &uv[n - 1].uv : NULL;
}

/*
 * Argument idx (> 0) of the running C function, if it is a full userdata
 * whose metatable holds the light userdata tag in slot 1: its memory, else
 * NULL. How the bindings tell their userdata from any other value (views,
 * layouts, table handles): a few loads where the API (lua_getmetatable,
 * lua_rawgeti, lua_pop) costs a couple of hundred instructions. Scripts
 * cannot write metatables of userdata.
 */
static inline void *xdplua_toudata_tagged(lua_State *L, int idx, const void *tag)
{
	const TValue *o = xdplua_arg(L, idx), *slot;
	Table *mt;

	if (!o || !ttisfulluserdata(o))
		return NULL;
	mt = uvalue(o)->metatable;
	if (!mt)
		return NULL;
	slot = xdplua_mt_slot(mt, 1);
	if (!ttislightuserdata(slot) || pvalue(slot) != tag)
		return NULL;
	return getudatamem(uvalue(o));
}

#endif
