// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * XDPLua's port layer, kernel side (see port.h): the C library functions
 * Lua's core refers to that the kernel does not have, as klua/libc/
 * declares them. In userspace the C library has them.
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

char *strerror(int err);

int xdplua_errno;

/* --- memory -------------------------------------------------------------- */

/* Only luaL_newstate() refers to these; XDPLua's states use their own
 * allocator (script.c).
 */
void *realloc(void *p, size_t size)
{
	return krealloc(p, size, GFP_ATOMIC | __GFP_NOWARN);
}

void free(void *p)
{
	kfree(p);
}

void abort(void)
{
	/* Lua only aborts after an error outside any protected call; XDPLua
	 * runs every Lua call protected.
	 */
	BUG();
}

/* --- files: there are none ---------------------------------------------- */

struct xdplua_stdio_file { int unused; };
FILE *stdin, *stdout, *stderr;

FILE *fopen(const char *path, const char *mode)
{
	xdplua_errno = ENOENT;
	return NULL;
}

FILE *freopen(const char *path, const char *mode, FILE *f)
{
	xdplua_errno = ENOENT;
	return NULL;
}

int fclose(FILE *f) { return 0; }
int getc(FILE *f) { return EOF; }
int feof(FILE *f) { return 1; }
int ferror(FILE *f) { return 0; }
size_t fread(void *p, size_t size, size_t n, FILE *f) { return 0; }

char *strerror(int err)
{
	return err == ENOENT ? "no files in the kernel" : "error";
}
