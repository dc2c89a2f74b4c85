/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal C library for Lua in the kernel: non-local jumps for Lua's error
 * recovery, implemented in klua/setjmp.S. The buffer holds the callee-saved
 * registers, the stack pointer and the return address.
 */
#ifndef XDPLUA_SETJMP_H
#define XDPLUA_SETJMP_H
typedef unsigned long xdplua_jmp_buf[8];
int xdplua_setjmp(xdplua_jmp_buf env) __attribute__((returns_twice));
void xdplua_longjmp(xdplua_jmp_buf env, int val);	/* never returns */
/* Lua's error: longjmp, after unpoisoning the stack it leaves (KASAN;
 * cstack.c). Never returns.
 */
void xdplua_throw(xdplua_jmp_buf env);
#endif
