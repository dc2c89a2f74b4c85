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

#endif
