/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: stdlib.h */
#ifndef XDPLUA_STDLIB_H
#define XDPLUA_STDLIB_H
#include <linux/types.h>
#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
void *realloc(void *p, size_t size);
void free(void *p);
#ifndef abs
#define abs(x)	__builtin_abs(x)
#endif
void abort(void);	/* never returns */
#endif
