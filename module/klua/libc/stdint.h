/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: stdint.h */
#ifndef XDPLUA_STDINT_H
#define XDPLUA_STDINT_H
#include <linux/types.h>
#include <linux/limits.h>
#endif
