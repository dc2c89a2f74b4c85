/* SPDX-License-Identifier: GPL-2.0 */
/* Before 6.12, the unaligned access helpers are in <asm/unaligned.h>. */
#ifndef XDPLUA_COMPAT_LINUX_UNALIGNED_H
#define XDPLUA_COMPAT_LINUX_UNALIGNED_H
#include <asm/unaligned.h>
#endif
