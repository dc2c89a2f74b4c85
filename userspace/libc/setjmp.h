/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Lua's error recovery in userspace, under the names klua's luaconf.h
 * uses. Like klua/setjmp.S in the kernel, the compiler's setjmp keeps a
 * few words (and so Lua's C stack use per protected call is the kernel's);
 * sanitizer builds use the C library's, which the sanitizers follow.
 */
#ifndef XDPLUA_USER_SETJMP_H
#define XDPLUA_USER_SETJMP_H
#if defined(__SANITIZE_ADDRESS__)
#define XDPLUA_LIBC_SETJMP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XDPLUA_LIBC_SETJMP 1
#endif
#endif

#ifdef XDPLUA_LIBC_SETJMP
#include_next <setjmp.h>
typedef jmp_buf xdplua_jmp_buf;
#define xdplua_setjmp(env)		_setjmp(env)
#define xdplua_longjmp(env, val)	_longjmp((env), (val))
#define xdplua_throw(env)		_longjmp((env), 1)	/* ASan follows it */
#else
typedef void *xdplua_jmp_buf[5];
#define xdplua_setjmp(env)		__builtin_setjmp(env)
#define xdplua_longjmp(env, val)	__builtin_longjmp((env), 1)
#define xdplua_throw(env)		__builtin_longjmp((env), 1)
#endif
#endif
