/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before 6.6, the kernel's sprintf() family is declared in <linux/kernel.h>,
 * which also declares panic(), a name Lua's lauxlib.c uses for a function
 * of its own: the declarations the C library shim needs, alone.
 */
#ifndef XDPLUA_COMPAT_LINUX_SPRINTF_H
#define XDPLUA_COMPAT_LINUX_SPRINTF_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stdarg.h>

__printf(2, 3) int sprintf(char *buf, const char *fmt, ...);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt,
			     va_list args);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
#endif
