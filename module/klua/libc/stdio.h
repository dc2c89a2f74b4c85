/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal C library for Lua in the kernel: stdio.h. There are no files:
 * fopen() fails, so luaL_loadfile() reports that it cannot open the file.
 */
#ifndef XDPLUA_STDIO_H
#define XDPLUA_STDIO_H
#include <linux/types.h>
#include <linux/sprintf.h>
#define EOF	(-1)
#define BUFSIZ	64
typedef struct xdplua_stdio_file FILE;
extern FILE *stdin, *stdout, *stderr;
FILE *fopen(const char *path, const char *mode);
FILE *freopen(const char *path, const char *mode, FILE *f);
int fclose(FILE *f);
int getc(FILE *f);
int feof(FILE *f);
int ferror(FILE *f);
size_t fread(void *p, size_t size, size_t n, FILE *f);
#endif
