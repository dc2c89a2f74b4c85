/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal C library for Lua in the kernel: errno.h */
#ifndef XDPLUA_ERRNO_H
#define XDPLUA_ERRNO_H
#include <linux/errno.h>
extern int xdplua_errno;
#define errno xdplua_errno
#endif
