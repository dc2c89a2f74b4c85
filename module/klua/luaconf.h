/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * XDPLua's configuration of Lua 5.4 for the Linux kernel.
 *
 * Replaces Lua's own luaconf.h when Lua is built into xdplua.ko:
 *  - numbers are integers only: lua_Number is a 64-bit integer, so the
 *    "float" subtype still exists but holds integral values; '/' and '^'
 *    compute integer results (floor division, integer power), division or
 *    modulo by zero raises a Lua error, and float literals are malformed
 *    numbers. No FPU instruction is ever emitted;
 *  - errors unwind with the module's own setjmp/longjmp (klua/setjmp.S);
 *  - the C stack is small (16 KiB, shared with the network stack), so C
 *    recursion and on-stack buffers are kept short;
 *  - output goes to the kernel log.
 */
#ifndef luaconf_h
#define luaconf_h

#include <limits.h>
#include <stddef.h>

struct lua_State;

#define LUA_API		extern
#define LUALIB_API	extern
#define LUAMOD_API	extern
#define LUAI_FUNC	extern
#define LUAI_DDEC(dec)	extern dec
#define LUAI_DDEF	/* empty */

#define LUAI_IS32INT	1

/* Integers: 64-bit, as in standard Lua. */
#define LUA_INTEGER		long long
#define LUA_UNSIGNED		unsigned long long
#define LUA_INTEGER_FRMLEN	"ll"
#define LUA_INTEGER_FMT		"%" LUA_INTEGER_FRMLEN "d"
#define LUAI_UACINT		LUA_INTEGER
#define LUA_MAXINTEGER		LLONG_MAX
#define LUA_MININTEGER		LLONG_MIN
#define LUA_MAXUNSIGNED		ULLONG_MAX
#define lua_integer2str(s, sz, n) \
	l_sprintf((s), (sz), LUA_INTEGER_FMT, (LUAI_UACINT)(n))

/* "Floats" are integers too. */
#define LUA_NUMBER		long long
#define LUAI_UACNUMBER		LUA_NUMBER
#define LUA_NUMBER_FRMLEN	"ll"
#define LUA_NUMBER_FMT		"%lld"
#define LUAI_NUMFFORMAT		"ll"
#define l_floatatt(n)		(XDPLUA_NUM_##n)
#define XDPLUA_NUM_MANT_DIG	64
#define XDPLUA_NUM_MAX_10_EXP	19
#define l_mathop(op)		op
#define l_floor(x)		(x)
#define lua_number2str(s, sz, n) \
	l_sprintf((s), (sz), LUA_NUMBER_FMT, (LUAI_UACNUMBER)(n))
#define lua_numbertointeger(n, p)	((*(p) = (LUA_INTEGER)(n)), 1)
#define lua_str2number(s, p)	xdplua_str2number((s), (p))
#define lua_strx2number(s, p)	xdplua_str2number((s), (p))
#define lua_number2strx(L, b, sz, f, n) \
	((void)(L), l_sprintf((b), (sz), (f), (LUAI_UACNUMBER)(n)))
#define lua_getlocaledecpoint()	'.'
#define l_hashfloat(n)		((int)((LUA_UNSIGNED)(n) % INT_MAX))

long long xdplua_str2number(const char *s, char **endptr);
long long xdplua_numdiv(struct lua_State *L, long long a, long long b);
long long xdplua_nummod(struct lua_State *L, long long a, long long b);
long long xdplua_numpow(struct lua_State *L, long long a, long long b);

#define luai_numdiv(L, a, b)	xdplua_numdiv(L, a, b)
#define luai_numidiv(L, a, b)	xdplua_numdiv(L, a, b)
#define luai_nummod(L, a, b, m)	{ (m) = xdplua_nummod(L, a, b); }
#define luai_numpow(L, a, b)	xdplua_numpow(L, a, b)

/* Formatting: klua's own snprintf (klua/libc.c, ISO C's rules), float
 * conversions printing the integer.
 */
int xdplua_snprintf(char *buf, size_t size, const char *fmt, ...);
#define l_sprintf(s, sz, f, i)	xdplua_snprintf((s), (sz), (f), (i))
#define lua_pointer2str(buff, sz, p)	l_sprintf(buff, sz, "%p", p)

#define LUA_KCONTEXT	ptrdiff_t

#define luai_likely(x)		(__builtin_expect(((x) != 0), 1))
#define luai_unlikely(x)	(__builtin_expect(((x) != 0), 0))
#define l_likely(x)		luai_likely(x)
#define l_unlikely(x)		luai_unlikely(x)

/* Limits sized for a kernel stack. */
#define LUAI_MAXSTACK		200000
/* Nested C calls (metamethods, pcall, sort comparators, gsub callbacks,
 * coroutines, parser nesting) are limited by the kernel stack they really
 * use, not only by their number: see xdplua_ccall_limit() in script.c.
 * Every place Lua compares with LUAI_MAXCCALLS has its state in L.
 */
int xdplua_ccall_limit(struct lua_State *L);
#define LUAI_MAXCCALLS		xdplua_ccall_limit(L)
#define MAXCCALLS		32	/* pattern-matching recursion (lstrlib) */
#define LUA_IDSIZE		60
#define LUAL_BUFFERSIZE		256
#define LUAI_MAXALIGN		long long n; void *s; long l
#define LUA_EXTRASPACE		(sizeof(void *))

/* The interpreter dispatches with a switch: no computed gotos (objtool,
 * retpolines).
 */
#define LUA_USE_JUMPTABLE	0

/* Lua's error functions are not declared noreturn to the compiler: objtool
 * must see them return like any function it cannot check.
 */
#define l_noret		void

/* Error recovery: the module's own setjmp/longjmp. */
#include <setjmp.h>
#define LUAI_THROW(L, c)	xdplua_throw((c)->b)
#define LUAI_TRY(L, c, a)	if (xdplua_setjmp((c)->b) == 0) { a }
#define luai_jmpbuf		xdplua_jmp_buf

/* Randomness for string hashes and table.sort pivots. */
unsigned int xdplua_random(void);
#define luai_makeseed(L)	xdplua_random()
#define l_randomizePivot()	xdplua_random()

/* print() and warnings go to the kernel log (klua/libc.c), a line per
 * Lua state collected in the state's own buffer. Lua uses these macros only
 * where its state is in scope as L (luaB_print, the warning functions).
 */
void xdplua_writestring(struct lua_State *L, const char *s, size_t l);
void xdplua_writeline(struct lua_State *L);
void xdplua_writestringerror(const char *fmt, const char *p);
#define lua_writestring(s, l)		xdplua_writestring(L, (s), (l))
#define lua_writeline()			xdplua_writeline(L)
#define lua_writestringerror(s, p)	xdplua_writestringerror((s), (p))

/* The pattern matcher's steps count against the budget
 * (klua/patches/lstrlib-pattern-steps.patch, script.c).
 */
void xdplua_pattern_step(struct lua_State *L);
#define luai_patternstep(L)		xdplua_pattern_step(L)

/* Where a run of up to n instructions starts (a function, a loop's next
 * iteration), charged to the budget (klua/patches/lvm-run-steps.patch,
 * script.c).
 */
void xdplua_run_step(struct lua_State *L, int n);
#define luai_runstep(L, n)		xdplua_run_step((L), (n))

/* xdp.DROP and the other verdicts (of the global xdp) compile to their
 * numbers (klua/patches/lparser-const-fields.patch, lua_xdp.c).
 */
int xdplua_const_field(const char *global, const char *field, long long *value);
#define luai_constfield(g, f, pv)	xdplua_const_field((g), (f), (pv))

/* t[key] and #t for a full userdata t: packet and table-handle methods,
 * view fields and the packet's length found without a metamethod call
 * (klua/patches/lvm-udata-index.patch, lua_xdp.c).
 */
struct TValue;
union StackValue;
int xdplua_udata_get(struct lua_State *L, const struct TValue *t,
		     const struct TValue *key, union StackValue *val);
#define luai_udataget(L, t, k, v)	xdplua_udata_get((L), (t), (k), (v))
int xdplua_udata_len(struct lua_State *L, const struct TValue *t,
		     union StackValue *val);
#define luai_udatalen(L, t, v)		xdplua_udata_len((L), (t), (v))

#endif
