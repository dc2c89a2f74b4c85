/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal C library for Lua in the kernel: limits.h. Lua tests these in #if
 * directives, where the kernel's definitions (with casts) do not work, so
 * they are redefined with the same values as plain constants.
 */
#ifndef XDPLUA_LIMITS_H
#define XDPLUA_LIMITS_H
#include <linux/limits.h>
#undef INT_MAX
#undef INT_MIN
#undef UINT_MAX
#undef LONG_MAX
#undef LONG_MIN
#undef ULONG_MAX
#undef LLONG_MAX
#undef LLONG_MIN
#undef ULLONG_MAX
#undef SHRT_MAX
#undef SHRT_MIN
#undef USHRT_MAX
#define INT_MAX		2147483647
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	4294967295U
#define LONG_MAX	9223372036854775807L
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	18446744073709551615UL
#define LLONG_MAX	9223372036854775807LL
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	18446744073709551615ULL
#define SHRT_MAX	32767
#define SHRT_MIN	(-SHRT_MAX - 1)
#define USHRT_MAX	65535
#define CHAR_BIT	8
#define UCHAR_MAX	255
#define SCHAR_MAX	127
#define SCHAR_MIN	(-128)
#define CHAR_MAX	SCHAR_MAX
#define CHAR_MIN	SCHAR_MIN
#endif
