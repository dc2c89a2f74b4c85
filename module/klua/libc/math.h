/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal C library for Lua in the kernel: math.h. lua_Number is an
 * integer, so these are the integer meanings of the few functions Lua's
 * core names through l_mathop().
 */
#ifndef XDPLUA_MATH_H
#define XDPLUA_MATH_H
#define HUGE_VAL	LLONG_MAX
#define fabs	xdplua_iabs
#define floor	xdplua_ifloor
#define ldexp	xdplua_ildexp
#define frexp	xdplua_ifrexp
static inline long long fabs(long long x) { return x < 0 ? -x : x; }
static inline long long floor(long long x) { return x; }
static inline long long ldexp(long long x, int e)
{
	if (e <= -64 || e >= 64)
		return 0;
	return e >= 0 ? (long long)((unsigned long long)x << e) : x >> -e;
}
static inline long long frexp(long long x, int *e) { *e = 0; return x; }
#endif
