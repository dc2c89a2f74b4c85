// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The standard libraries of XDPLua's Lua: Lua's base (without file access,
 * text-only load), coroutine, table, string and utf8 libraries, an integer
 * math library, "require" among the script's own files, and "xdp".
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "../xdplua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

/* --- math, integers only ------------------------------------------------ */

/* math.abs(x) [-0, +1] */
static int math_abs(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	lua_pushinteger(L, n < 0 ? (lua_Integer)(0ULL - (lua_Unsigned)n) : n);
	return 1;
}

/* math.max(x, ...) / math.min(x, ...) [-n, +1] */
static int math_minmax(lua_State *L, int max)
{
	int n = lua_gettop(L), best = 1, i;

	luaL_argcheck(L, n >= 1, 1, "number expected");
	luaL_checkinteger(L, 1);
	for (i = 2; i <= n; i++) {
		luaL_checkinteger(L, i);
		if (lua_compare(L, best, i, LUA_OPLT) == max)
			best = i;
	}
	lua_pushvalue(L, best);
	return 1;
}

static int math_max(lua_State *L) { return math_minmax(L, 1); }
static int math_min(lua_State *L) { return math_minmax(L, 0); }

/* math.floor(x), math.ceil(x), math.tointeger(x): integers as they are */
static int math_tointeger(lua_State *L)
{
	int ok;
	lua_Integer n = lua_tointegerx(L, 1, &ok);

	if (ok)
		lua_pushinteger(L, n);
	else
		luaL_pushfail(L);
	return 1;
}

static int math_floor(lua_State *L)
{
	lua_pushinteger(L, luaL_checkinteger(L, 1));
	return 1;
}

/* math.fmod(a, b): remainder with the sign of a */
static int math_fmod(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);

	luaL_argcheck(L, b != 0, 2, "zero");
	lua_pushinteger(L, b == -1 ? 0 : a % b);
	return 1;
}

/* math.ult(a, b): unsigned a < b */
static int math_ult(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);

	lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
	return 1;
}

/* math.type(x): "integer", "float" or fail */
static int math_type(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TNUMBER)
		lua_pushstring(L, lua_isinteger(L, 1) ? "integer" : "float");
	else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

/* math.random([m [, n]]): as Lua's, from the kernel's generator */
static int math_random(lua_State *L)
{
	lua_Integer lo, hi;
	u64 r = get_random_u64();

	switch (lua_gettop(L)) {
	case 0:
		lua_pushinteger(L, (lua_Integer)(r >> 1));
		return 1;
	case 1:
		lo = 1;
		hi = luaL_checkinteger(L, 1);
		if (hi == 0) {
			lua_pushinteger(L, (lua_Integer)r);
			return 1;
		}
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		hi = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, lo <= hi, lua_gettop(L), "interval is empty");
	if ((lua_Unsigned)hi - (lua_Unsigned)lo == ULLONG_MAX)
		lua_pushinteger(L, (lua_Integer)r);
	else
		lua_pushinteger(L, lo + (lua_Integer)(r % ((lua_Unsigned)hi - (lua_Unsigned)lo + 1)));
	return 1;
}

static const luaL_Reg math_funcs[] = {
	{"abs", math_abs},
	{"max", math_max},
	{"min", math_min},
	{"floor", math_floor},
	{"ceil", math_floor},
	{"tointeger", math_tointeger},
	{"fmod", math_fmod},
	{"ult", math_ult},
	{"type", math_type},
	{"random", math_random},
	{NULL, NULL}
};

static int luaopen_intmath(lua_State *L)
{
	luaL_newlib(L, math_funcs);
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "maxinteger");
	lua_pushinteger(L, LUA_MININTEGER);
	lua_setfield(L, -2, "mininteger");
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "huge");
	return 1;
}

/* --- load: source text only --------------------------------------------- */

/* load(chunk [, chunkname [, mode [, env]]]) with mode forced to "t";
 * upvalue 1 is Lua's own load. [-n, +r]
 */
static int text_load(lua_State *L)
{
	if (lua_gettop(L) < 3)
		lua_settop(L, 3);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* --- require among the script's files ----------------------------------- */

static struct xdplua_file *find_file(struct xdplua_script *s, const char *name)
{
	size_t n = strlen(name);
	unsigned int i;

	for (i = 0; i < s->nfiles; i++) {
		const char *f = s->files[i].name;

		if (!strcmp(f, name))
			return &s->files[i];
		if (!strncmp(f, name, n) && !strcmp(f + n, ".lua"))
			return &s->files[i];
	}
	return NULL;
}

/* require(name) -> the file's result (cached in package.loaded style) */
static int require(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct xdplua_script *s = cpu->script;
	const char *name = luaL_checkstring(L, 1);
	struct xdplua_file *f;
	unsigned int i;

	lua_settop(L, 1);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	if (lua_getfield(L, 2, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	f = find_file(s, name);
	if (!f) {
		luaL_Buffer b;

		luaL_buffinit(L, &b);
		lua_pushfstring(L, "module '%s' not found among the script's files:", name);
		luaL_addvalue(&b);
		for (i = 0; i < s->nfiles; i++) {
			luaL_addchar(&b, ' ');
			luaL_addstring(&b, s->files[i].name);
		}
		luaL_pushresult(&b);
		return lua_error(L);
	}
	lua_pushfstring(L, "@%s", f->name);
	if (luaL_loadbufferx(L, f->data, f->len, lua_tostring(L, -1), "t") != LUA_OK)
		return lua_error(L);
	lua_pushvalue(L, 1);
	lua_pushstring(L, f->name);
	lua_call(L, 2, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 2, name);
	return 1;
}

static const luaL_Reg libs[] = {
	{LUA_GNAME, luaopen_base},
	{LUA_COLIBNAME, luaopen_coroutine},
	{LUA_TABLIBNAME, luaopen_table},
	{LUA_STRLIBNAME, luaopen_string},
	{LUA_UTF8LIBNAME, luaopen_utf8},
	{LUA_MATHLIBNAME, luaopen_intmath},
	{"xdp", luaopen_xdp},
	{NULL, NULL}
};

void xdplua_openlibs(lua_State *L)
{
	const luaL_Reg *lib;

	for (lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_getglobal(L, "load");
	lua_pushcclosure(L, text_load, 1);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, require);
	lua_setglobal(L, "require");
	/* shared tables: xdp.table and the global rcu (lua_table.c) */
	xdplua_openlib_tables(L);
}
