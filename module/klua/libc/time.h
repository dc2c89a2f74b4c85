/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: time.h */
#ifndef XDPLUA_TIME_H
#define XDPLUA_TIME_H
#include <linux/types.h>
#endif
