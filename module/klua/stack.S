/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Running Lua on a C stack of its own (x86_64): see cstack.c.
 *
 * xdplua_call_on_stack(arg, top) switches the stack pointer to top (the
 * 16-byte aligned end of the stack), calls xdplua_stack_entry(arg) there and
 * switches back. The caller's stack pointer is kept in rbp (callee-saved)
 * and, for a reader of a stack dump, also in the top word of the new stack.
 * No Lua error crosses it: every Lua call inside is protected.
 */
#include <linux/linkage.h>
#include <asm/linkage.h>

SYM_FUNC_START(xdplua_call_on_stack)
	pushq	%rbp
	movq	%rsp, %rbp
	movq	%rsi, %rsp
	pushq	%rbp
	pushq	$0
	call	xdplua_stack_entry
	movq	%rbp, %rsp
	popq	%rbp
	RET
SYM_FUNC_END(xdplua_call_on_stack)
