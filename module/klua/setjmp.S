/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * setjmp/longjmp for Lua's error recovery in the kernel (x86_64).
 *
 * xdplua_jmp_buf: rbx rbp r12 r13 r14 r15 rsp(after return) rip(return).
 * longjmp returns through the saved return address with RET (pushed back on
 * the restored stack) instead of an indirect jump, so it is valid with IBT.
 */
#include <linux/linkage.h>
#include <asm/linkage.h>
#include <linux/objtool.h>

SYM_FUNC_START(xdplua_setjmp)
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	RET
SYM_FUNC_END(xdplua_setjmp)

SYM_FUNC_START(xdplua_longjmp)
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	pushq	56(%rdi)
	RET
SYM_FUNC_END(xdplua_longjmp)
STACK_FRAME_NON_STANDARD xdplua_longjmp
