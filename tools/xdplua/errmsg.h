/* SPDX-License-Identifier: GPL-2.0 */
/* util.c: error messages, "xdplua: ..." on stderr (for files that cannot
 * include xdplua.h: libpcap's headers clash with linux/bpf.h). */
#ifndef XDPLUA_ERRMSG_H
#define XDPLUA_ERRMSG_H

extern const char *progname;	/* "xdplua" in error messages */

void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* XDPLUA_ERRMSG_H */
