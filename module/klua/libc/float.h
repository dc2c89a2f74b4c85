/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: float.h (no floats here). */
#ifndef XDPLUA_FLOAT_H
#define XDPLUA_FLOAT_H
#endif
