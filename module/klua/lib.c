// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The standard libraries of XDPLua's Lua: Lua's base (without file access,
 * text-only load), coroutine, table, string and utf8 libraries, an integer
 * math library, "require" among the script's own files, and "xdp".
 */
#include "../port.h"
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
		lua_pushinteger(L, (lua_Integer)((lua_Unsigned)lo +
				   r % ((lua_Unsigned)hi - (lua_Unsigned)lo + 1)));
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
	if (lua_type(L, 1) == LUA_TSTRING)	/* compiling: linear, not cheap */
		xdplua_charge(L, (lua_Integer)lua_rawlen(L, 1) >> 4);
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

/* --- bounded work ------------------------------------------------------- */

/*
 * A few library functions do work that is not one instruction's: loops over
 * counts a script chooses (string.rep, table.move, ...), quadratic searches,
 * full collections, finalizers. Their wrappers below charge the work to the
 * budget (xdplua_charge) before it is done, then run Lua's own function on
 * the same stack (upvalue 1: it uses no upvalues of its own), so argument
 * errors read as usual.
 */
enum cost {
	COST_REP, COST_FIND, COST_MOVE, COST_INSERT, COST_REMOVE, COST_SORT,
	COST_CONCAT, COST_UNPACK, COST_GC,
};

/* The table functions' loops run as many times as the table's length says;
 * with a __len metamethod that length is anything, and __index/__newindex
 * tables make every access a chain of lookups. Refused for them.
 */
static lua_Integer plain_len(lua_State *L, int idx, const char *fname)
{
	int bad = 0;

	if (lua_getmetatable(L, idx)) {
		bad = lua_getfield(L, -1, "__len") != LUA_TNIL;
		bad |= lua_getfield(L, -2, "__index") == LUA_TTABLE;
		bad |= lua_getfield(L, -3, "__newindex") == LUA_TTABLE;
		lua_pop(L, 4);
	}
	if (bad)
		luaL_error(L, "table.%s: not for tables with a __len metamethod or __index/__newindex tables (unbounded work)",
			   fname);
	return lua_type(L, idx) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, idx) : 0;
}

/* j - i + 1 as a count, 0 if empty; no overflow for any i and j. */
static lua_Integer span(lua_Integer i, lua_Integer j)
{
	lua_Unsigned n;

	if (j < i)
		return 0;
	n = (lua_Unsigned)j - (lua_Unsigned)i;
	return n >= (lua_Unsigned)LUA_MAXINTEGER ? LUA_MAXINTEGER : (lua_Integer)n + 1;
}

/* Does the pattern use none of the magic characters (a plain search)? */
static bool no_specials(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("^$*+?.([%-", p[i]) && p[i])
			return false;
	return true;
}

static lua_Integer cost_of(lua_State *L, enum cost kind)
{
	lua_Integer n, len;
	size_t ls, lp;

	switch (kind) {
	case COST_REP:		/* string.rep(s, n [, sep]): n copies */
		n = lua_tointeger(L, 2);
		return n > 0 ? n / 8 + 1 : 0;
	case COST_FIND:		/* string.find(s, p, init, plain): a plain
				 * search compares up to #s * #p bytes */
		if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TSTRING)
			return 0;
		lua_tolstring(L, 1, &ls);
		if (!lua_toboolean(L, 4) && !no_specials(lua_tolstring(L, 2, &lp), lp))
			return 0;	/* the matcher counts its own steps */
		lua_tolstring(L, 2, &lp);
		return (lua_Integer)(((u64)ls * lp) >> 6);
	case COST_MOVE:		/* table.move(a1, f, e, t [, a2]) */
		plain_len(L, 1, "move");
		if (lua_gettop(L) >= 5)
			plain_len(L, 5, "move");
		return span(lua_tointeger(L, 2), lua_tointeger(L, 3));
	case COST_INSERT:	/* table.insert(t, [pos,] v): shifts up */
		len = plain_len(L, 1, "insert");
		if (lua_gettop(L) != 3)
			return 1;
		return span(lua_tointeger(L, 2), len);
	case COST_REMOVE:	/* table.remove(t [, pos]): shifts down */
		len = plain_len(L, 1, "remove");
		return span(luaL_optinteger(L, 2, len), len);
	case COST_SORT:		/* table.sort(t [, comp]): n log n */
		len = plain_len(L, 1, "sort");
		return len * (ilog2(len + 1) + 1) / 2;
	case COST_CONCAT:	/* table.concat(t, sep, i, j) */
		len = plain_len(L, 1, "concat");
		return span(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, len)) / 4;
	case COST_UNPACK:	/* table.unpack(t, i, j) */
		len = plain_len(L, 1, "unpack");
		return span(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, len)) / 4;
	case COST_GC: {		/* a full collection or a step: the heap */
		const char *opt = luaL_optstring(L, 1, "collect");

		if (strcmp(opt, "collect") && strcmp(opt, "step"))
			return 0;
		return xdplua_cpu_of(L)->mem_used >> 6;
	}
	}
	return 0;
}

/* upvalue 1: Lua's function, upvalue 2: its cost kind. [-?, +?] */
static int charged(lua_State *L)
{
	lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(1));

	xdplua_charge(L, cost_of(L, lua_tointeger(L, lua_upvalueindex(2))));
	return f(L);
}

static void wrap_charged(lua_State *L, const char *lib, const char *name,
			 enum cost kind)
{
	lua_getglobal(L, lib);
	lua_getfield(L, -1, name);
	lua_pushinteger(L, kind);
	lua_pushcclosure(L, charged, 2);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

/* setmetatable(t, mt): no finalizers. Lua runs __gc with hooks off, so
 * no budget could stop one; only tables get metatables from scripts, and a
 * table is marked for finalization only when its metatable has __gc at
 * this call. [-?, +1]
 */
static int safe_setmetatable(lua_State *L)
{
	lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(1));

	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "__gc metamethods are not available in XDPLua (a finalizer would run outside every budget)");
		lua_pop(L, 1);
	}
	return f(L);
}

/*
 * The coroutine library: a resumed coroutine gets a fresh instruction count
 * and what it ran is charged to the packet when it gives control back, so
 * coroutines share the caller's budget (xdplua_thread_enter/_leave). A
 * budget error inside one is not swallowed by resume: leave raises it again
 * in the caller.
 */

/* Call the function at upvalue 1 on co's behalf, protected, then charge
 * co's work and re-raise an error. [-n, +r]
 */
static int run_thread(lua_State *L, lua_State *co)
{
	int status;

	xdplua_thread_enter(L, co);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	xdplua_thread_leave(L, co);
	if (status != LUA_OK)
		return lua_error(L);
	return lua_gettop(L);
}

/* coroutine.resume(co, ...), coroutine.close(co); upvalue 1: Lua's. */
static int co_resume(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);

	if (!co)	/* Lua's own raises the argument error */
		return lua_tocfunction(L, lua_upvalueindex(1))(L);
	return run_thread(L, co);
}

/* The function coroutine.wrap returns: upvalue 1 Lua's, 2 the coroutine. */
static int co_wrapped(lua_State *L)
{
	return run_thread(L, lua_tothread(L, lua_upvalueindex(2)));
}

/* coroutine.wrap(f); upvalue 1: Lua's wrap. [-1, +1] */
static int co_wrap(lua_State *L)
{
	lua_tocfunction(L, lua_upvalueindex(1))(L);	/* Lua's wrapper */
	lua_getupvalue(L, -1, 1);			/* its coroutine */
	lua_pushcclosure(L, co_wrapped, 2);
	return 1;
}

static void wrap_upvalue(lua_State *L, const char *lib, const char *name,
			 lua_CFunction f)
{
	if (lib) {
		lua_getglobal(L, lib);
		lua_getfield(L, -1, name);
	} else {
		lua_pushglobaltable(L);
		lua_getglobal(L, name);
	}
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

static void bound_work(lua_State *L)
{
	static const struct {
		const char *lib, *name;
		enum cost kind;
	} costs[] = {
		{LUA_STRLIBNAME, "rep", COST_REP},
		{LUA_STRLIBNAME, "find", COST_FIND},
		{LUA_TABLIBNAME, "move", COST_MOVE},
		{LUA_TABLIBNAME, "insert", COST_INSERT},
		{LUA_TABLIBNAME, "remove", COST_REMOVE},
		{LUA_TABLIBNAME, "sort", COST_SORT},
		{LUA_TABLIBNAME, "concat", COST_CONCAT},
		{LUA_TABLIBNAME, "unpack", COST_UNPACK},
		{LUA_GNAME, "collectgarbage", COST_GC},
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(costs); i++)
		wrap_charged(L, costs[i].lib, costs[i].name, costs[i].kind);
	wrap_upvalue(L, NULL, "setmetatable", safe_setmetatable);
	wrap_upvalue(L, LUA_COLIBNAME, "resume", co_resume);
	wrap_upvalue(L, LUA_COLIBNAME, "close", co_resume);
	wrap_upvalue(L, LUA_COLIBNAME, "wrap", co_wrap);
}

#ifdef XDPLUA_STACK_PROBE
/* cstack() -> bytes of C stack used below Lua's entry point. A build for
 * measuring what each level of nesting costs (make -C module
 * KCFLAGS=-DXDPLUA_STACK_PROBE); never in the module as shipped.
 */
static int cstack(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)(xdplua_cpu_of(L)->stack_entry -
					 current_stack_pointer));
	return 1;
}
#endif

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
	bound_work(L);
	/* shared tables: xdp.table and the global rcu (lua_table.c) */
	xdplua_openlib_tables(L);
	xdplua_openlib_route(L);
#ifdef XDPLUA_STACK_PROBE
	lua_register(L, "cstack", cstack);
#endif
}
