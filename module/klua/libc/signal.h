/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: signal.h (the type Lua uses). */
#ifndef XDPLUA_SIGNAL_H
#define XDPLUA_SIGNAL_H
typedef int sig_atomic_t;
#endif
