// SPDX-License-Identifier: GPL-2.0
/*
 * libxdplua's entry points for an xdplua built without it (no Lua source
 * at build time: scripts/deps.sh fetches it): `run --local` says so.
 */
#include <errno.h>
#include <stdio.h>

#include "libxdplua.h"

int xdplua_local_init(unsigned int ncpus)
{
	(void)ncpus;
	fprintf(stderr, "xdplua: this xdplua was built without the userspace runtime\n"
		"xdplua: (there was no Lua source in build/lua: make deps, then make tools)\n");
	return -EOPNOTSUPP;
}

void xdplua_local_set_cpu(unsigned int cpu) { (void)cpu; }
void xdplua_local_set_log(void (*log)(int level, const char *line)) { (void)log; }
void xdplua_local_interrupt(void) { }
void xdplua_local_exit(void) { }
void xdplua_local_unload(struct xdplua_script *s) { (void)s; }
void xdplua_frame_free(struct xdplua_frame *f) { (void)f; }

struct xdplua_script *xdplua_local_load(const struct xdplua_local_opts *o,
					char *err, size_t errlen)
{
	(void)o;
	snprintf(err, errlen, "no userspace runtime");
	return NULL;
}

void xdplua_local_stats(struct xdplua_script *s, uint64_t *stats)
{
	(void)s;
	(void)stats;
}

void xdplua_local_last_error(struct xdplua_script *s, char *buf, size_t size)
{
	(void)s;
	if (size)
		buf[0] = '\0';
}

struct xdplua_frame *xdplua_frame_new(void) { return NULL; }

int xdplua_frame_set(struct xdplua_frame *f, const void *data, size_t len)
{
	(void)f;
	(void)data;
	(void)len;
	return -EOPNOTSUPP;
}

size_t xdplua_frame_read(const struct xdplua_frame *f, void *buf, size_t size)
{
	(void)f;
	(void)buf;
	(void)size;
	return 0;
}

int xdplua_local_run(struct xdplua_script *s, struct xdplua_frame *f,
		     uint64_t arg, uint32_t *ifindex)
{
	(void)s;
	(void)f;
	(void)arg;
	(void)ifindex;
	return -EOPNOTSUPP;
}

int xdplua_local_table_set(const char *table, const struct xdplua_local_key *k,
			   const struct xdplua_local_value *v, uint32_t ttl)
{
	(void)table;
	(void)k;
	(void)v;
	(void)ttl;
	return -EOPNOTSUPP;
}
