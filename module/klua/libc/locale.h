/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: locale.h (C locale only). */
#ifndef XDPLUA_LOCALE_H
#define XDPLUA_LOCALE_H
#endif
