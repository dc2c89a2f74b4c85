/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: stdarg.h */
#ifndef XDPLUA_STDARG_H
#define XDPLUA_STDARG_H
#include <linux/stdarg.h>
#endif
