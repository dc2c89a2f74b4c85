// SPDX-License-Identifier: GPL-2.0
/* Fallbacks for older kernels (see compat.h). */
#include <linux/kernel.h>
#include <linux/atomic.h>

#include "compat.h"

#ifdef XDPLUA_COMPAT_ERRMSG
#define XDPLUA_COMPAT_ERRMSG_SLOTS	64
#define XDPLUA_COMPAT_ERRMSG_LEN	80

/* The last byte of each slot is never written: always a terminated string */
static char errmsg_ring[XDPLUA_COMPAT_ERRMSG_SLOTS][XDPLUA_COMPAT_ERRMSG_LEN + 1];
static atomic_t errmsg_next = ATOMIC_INIT(0);

const char *xdplua_compat_errmsg(const char *fmt, ...)
{
	unsigned int slot = (unsigned int)atomic_inc_return(&errmsg_next) %
			    XDPLUA_COMPAT_ERRMSG_SLOTS;
	char *buf = errmsg_ring[slot];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, XDPLUA_COMPAT_ERRMSG_LEN, fmt, ap);
	va_end(ap);
	return buf;
}
#endif
