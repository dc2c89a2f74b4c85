/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: ctype.h */
#ifndef XDPLUA_CTYPE_H
#define XDPLUA_CTYPE_H
#include <linux/ctype.h>
#endif
