/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Lua's error recovery in userspace: the C library's _setjmp/_longjmp
 * (which sanitizers know) under the names klua's luaconf.h uses.
 */
#ifndef XDPLUA_USER_SETJMP_H
#define XDPLUA_USER_SETJMP_H
#include_next <setjmp.h>
typedef jmp_buf xdplua_jmp_buf;
#define xdplua_setjmp(env)		_setjmp(env)
#define xdplua_longjmp(env, val)	_longjmp((env), (val))
#endif
