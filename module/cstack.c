// SPDX-License-Identifier: GPL-2.0
/*
 * The C stack Lua runs on (port.h: xdplua_deep_call).
 *
 * Every C level of Lua's nesting (a gsub callback, a coroutine resume, a
 * pcall, a metamethod) costs kernel stack: 1288, 872, 544 and 216 bytes on
 * Debian's 6.12 (docs/lua-api.md, "Nesting"). The kernel stack a packet
 * arrives on is 16 KiB, shared with the network stack below and with the
 * interrupts above, which leaves Lua about 5 KiB: four gsub callbacks.
 * Packets therefore run on a stack of their own: this CPU's, of
 * XDPLUA_CSTACK_SIZE bytes of vmalloc allocated at module load, used with
 * bottom halves off (so nothing else runs on this CPU but interrupts). A run
 * that finds its CPU's stack in use (a packet handled in an interrupt while
 * another is in Lua, as netpoll can) stays on the stack it is on, with the
 * small room of old.
 *
 * Main chunks do not: they run in process context, preemptible, and the
 * kernel wants preemptible code on its task's stack (on a debug kernel the
 * unwinder's per-CPU stack checks complain from anywhere else, and so does
 * the preemption at interrupt exit, CONFIG_DEBUG_ENTRY). Disabling
 * preemption instead would hold the CPU for the whole load (50 million
 * instructions) and forbid the sleeping allocations of a load.
 *
 * Lua may use XDPLUA_CSTACK_ROOM bytes of it (script.c turns that into
 * "C stack overflow" errors); the rest, at least a whole kernel stack
 * (THREAD_SIZE), is for what Lua calls (allocator, printk, routing) and for
 * the hardware interrupts that arrive while a softirq runs on it. The stack
 * is vmalloc's, so a guard page follows its end: an overflow would fault,
 * not write over other memory.
 *
 * What the kernel sees:
 *  - interrupts: a hardware interrupt that arrives while we run on this
 *    stack in process context (a test run) switches to the CPU's IRQ
 *    stack, as from any stack; one that arrives while a softirq runs here
 *    (the softirq itself came on the IRQ stack) stays on this stack, as it
 *    would have stayed on the IRQ stack: hence the headroom. NMIs, #DB, #MC
 *    and double faults have stacks of their own (IST);
 *  - unwinding: the unwinder (ORC) does not know these stacks, so a stack
 *    trace taken inside Lua (a warning, KASAN's allocation records) stops
 *    at the switch; klua/stack.S has no ORC data (objtool skips it, as it
 *    does setjmp.S);
 *  - calls: klua/stack.S calls xdplua_stack_entry directly (no indirect
 *    branch for IBT or retpolines to see) and returns with RET (the return
 *    thunk); the kernel has no shadow stack of its own to keep in step;
 *  - KASAN: vmalloc memory has shadow (KASAN_VMALLOC), and frames poison
 *    and unpoison it as on any stack; KASAN kernels double THREAD_SIZE,
 *    and so this stack and Lua's room.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include <linux/topology.h>
#include <linux/preempt.h>
#include <linux/kasan.h>
#include <setjmp.h>
#include "xdplua.h"

struct deep_call {
	void (*fn)(void *arg, unsigned long room);
	void *arg;
	unsigned long room;
};

asmlinkage void xdplua_call_on_stack(struct deep_call *c, void *top);
asmlinkage void xdplua_stack_entry(struct deep_call *c);

static DEFINE_PER_CPU(void *, cstack);
static DEFINE_PER_CPU(bool, cstack_busy);

/* Called by xdplua_call_on_stack (klua/stack.S), on the new stack. */
asmlinkage void xdplua_stack_entry(struct deep_call *c)
{
	c->fn(c->arg, c->room);
}

void xdplua_deep_call(void (*fn)(void *arg, unsigned long room), void *arg)
{
	struct deep_call c = { .fn = fn, .arg = arg, .room = XDPLUA_CSTACK_ROOM };
	void *stack;

	/* bottom halves off: this CPU's stack is ours until we return,
	 * unless an interrupt came while another run was on it
	 */
	WARN_ON_ONCE(preemptible());
	stack = this_cpu_read(cstack);
	if (unlikely(!stack || this_cpu_read(cstack_busy))) {
		fn(arg, XDPLUA_CSTACK_SHALLOW);
		return;
	}
	this_cpu_write(cstack_busy, true);
	xdplua_call_on_stack(&c, stack + XDPLUA_CSTACK_SIZE);
	this_cpu_write(cstack_busy, false);
}

/*
 * Lua's error (LUAI_THROW): a jump to the protected call that catches it.
 * The frames it abandons never return to unpoison their redzones for KASAN,
 * and the stack below the landing point is used again: unpoison it first,
 * or KASAN reports the next reader of a stale redzone (the unwinder, for
 * one). Without KASAN this is the jump alone.
 */
void xdplua_throw(xdplua_jmp_buf env)
{
#ifdef CONFIG_KASAN_GENERIC
	unsigned long lo = current_stack_pointer & ~((1UL << KASAN_SHADOW_SCALE_SHIFT) - 1);
	unsigned long hi = env[6];	/* where setjmp's caller resumes */

	if (hi > lo)
		__memset(kasan_mem_to_shadow((void *)lo), 0,
			 (hi - lo) >> KASAN_SHADOW_SCALE_SHIFT);
#endif
	xdplua_longjmp(env, 1);
}

int xdplua_cstack_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		void *stack = vmalloc_node(XDPLUA_CSTACK_SIZE, cpu_to_node(cpu));

		if (!stack) {
			xdplua_cstack_exit();
			return -ENOMEM;
		}
		per_cpu(cstack, cpu) = stack;
	}
	return 0;
}

void xdplua_cstack_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		vfree(per_cpu(cstack, cpu));
		per_cpu(cstack, cpu) = NULL;
	}
}
