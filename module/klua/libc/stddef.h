/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: stddef.h */
#ifndef XDPLUA_STDDEF_H
#define XDPLUA_STDDEF_H
#include <linux/types.h>
#include <linux/stddef.h>
#endif
