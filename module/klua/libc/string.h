/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal C library for Lua in the kernel: string.h. The kernel exports
 * these; declaring them here keeps <linux/string.h> (and the kernel's
 * panic()) out of Lua's files.
 */
#ifndef XDPLUA_STRING_H
#define XDPLUA_STRING_H
#include <linux/types.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *s, const char *sub);
char *strpbrk(const char *s, const char *accept);
size_t strspn(const char *s, const char *accept);
char *strcpy(char *dst, const char *src);
#define strcoll(a, b)	strcmp((a), (b))
char *strerror(int err);
#endif
