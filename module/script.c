// SPDX-License-Identifier: GPL-2.0
/*
 * Scripts and their per-CPU Lua states: creation, the per-packet call,
 * budgets, counters and errors.
 */
#include "port.h"
#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lstate.h"
#include "ldo.h"
#include "lgc.h"

/*
 * Budgets. A packet gets insn_budget Lua instructions and time_budget
 * microseconds; the main chunk at load gets LOAD_INSN_BUDGET instructions
 * (it may sleep: process context, interruptible by a fatal signal).
 *
 * No hook runs while a script is within its budgets. Lua calls
 * xdplua_run_step() (klua/patches/lvm-run-steps.patch) where a run of
 * instructions starts that nothing else accounts for: a function's start,
 * charged the function's length, and a jump back in a loop, charged the
 * loop's length. What is charged is thus an upper bound of what runs, and
 * between two charges a thread runs at most one function's code once
 * through. The charges go to cpu->insn_left, shared by the state's threads
 * (coroutines included). C functions whose work is not one instruction's
 * (long loops, pattern backtracking, big allocations) charge it with
 * xdplua_charge(). Allocations charge a byte count's worth too. Every
 * CLOCK_STEP instructions charged the clock is read: a packet's deadline is
 * set at the first reading, so one packet holds the CPU at most time_budget
 * plus CLOCK_STEP instructions and one function's code once through (each
 * instruction bounded by the memory budget: the longest is a copy or
 * comparison of the largest string the budget allows).
 *
 * Once a budget is spent the count hook is set on the running thread (as
 * a signal handler would: Lua sees it at the thread's next instruction)
 * with a count of one: it fires at every instruction of the thread and
 * raises the error, and every resumption fails, so neither pcall nor
 * coroutine.resume can catch it and go on.
 */
#define LOAD_INSN_BUDGET	(50 * 1000 * 1000LL)
#define LOAD_CLOCK_STEP		10000	/* at load: cond_resched(), signals */
#define CLOCK_STEP		128
#define ALLOC_CHARGE_SHIFT	6	/* an instruction per 64 bytes */
#define PATTERN_CHARGE_STEP	64

/*
 * C stack Lua may use below the point where the module entered it: beyond
 * its room (cpu->stack_room: XDPLUA_CSTACK_ROOM on the stack of its own
 * that packets run on, cstack.c; XDPLUA_CSTACK_SHALLOW on another stack:
 * main chunks, entry checks, closing) a nested C call is a "C stack
 * overflow" error; beyond XDPLUA_CSTACK_ERROR_ROOM more (while that error
 * is being handled) the error handler is not run either. CCALLS_MAX
 * bounds the count of nested C calls as LUAI_MAXCCALLS does in stock Lua.
 */
#define CCALLS_MAX		200

/* Remember where the module enters Lua on this stack, and its room. */
static inline void enter_lua(struct xdplua_cpu *cpu, unsigned long room)
{
	cpu->stack_entry = current_stack_pointer;
	cpu->stack_room = room;
}

/* LUAI_MAXCCALLS (luaconf.h): Lua raises "C stack overflow" when the number
 * of nested C calls reaches this value.
 */
int xdplua_ccall_limit(lua_State *L)
{
	const struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	unsigned long used = cpu->stack_entry - current_stack_pointer;

	if (likely(used < cpu->stack_room))
		return CCALLS_MAX;
	if (used < cpu->stack_room + XDPLUA_CSTACK_ERROR_ROOM)
		return getCcalls(L);	/* an overflow error now */
	return 1;			/* an error in the error handling */
}

/* The instruction or time budget is spent (the memory budget is not
 * sticky: a script may catch a failed allocation and go on).
 */
static inline bool budget_spent(const struct xdplua_cpu *cpu)
{
	return cpu->limit_hit == XDPLUA_STAT_INSN_LIMIT ||
	       cpu->limit_hit == XDPLUA_STAT_TIME_LIMIT;
}

static void budget_hook(lua_State *L, lua_Debug *ar);

/* Make thread L stop at its next instruction, and at every one after: the
 * hook raises the error. Safe anywhere, even inside the VM (Lua's own
 * signal handler does the same).
 */
static void stop(lua_State *L)
{
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
}

/* The packet's time is up; the deadline is set at the first reading. */
static bool past_deadline(struct xdplua_cpu *cpu)
{
	u64 now = ktime_get_ns();

	if (!cpu->deadline) {
		cpu->deadline = now + cpu->script->time_budget * NSEC_PER_USEC;
		return false;
	}
	return now > cpu->deadline;
}

/* A budget is spent: count it, make the thread's every next instruction
 * fail too, and raise the error in L. Does not return.
 */
static void spent(lua_State *L, struct xdplua_cpu *cpu, u8 which)
{
	struct xdplua_script *s = cpu->script;

	if (!budget_spent(cpu))
		cpu->limit_hit = which;
	cpu->insn_left = 0;
	stop(L);
	if (cpu->limit_hit == XDPLUA_STAT_TIME_LIMIT)
		luaL_error(L, "time budget exceeded (%d us)", (int)s->time_budget);
	luaL_error(L, "instruction budget exceeded");
}

/* Set by stop() only: raise what stopped the thread. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (cpu->interrupted)
		luaL_error(L, "interrupted");	/* the hook stays */
	if (!budget_spent(cpu)) {
		if (cpu->insn_left <= 0)
			cpu->limit_hit = XDPLUA_STAT_INSN_LIMIT;
		else if (!cpu->in_load && cpu->deadline && past_deadline(cpu))
			cpu->limit_hit = XDPLUA_STAT_TIME_LIMIT;
	}
	if (budget_spent(cpu))
		spent(L, cpu, cpu->limit_hit);
	lua_sethook(L, NULL, 0, 0);	/* nothing is spent after all */
}

/* The slow path of xdplua_run_step(): read the clock, or stop. */
static noinline void run_step_check(lua_State *L, struct xdplua_cpu *cpu)
{
	if (cpu->clock_left <= 0) {
		if (cpu->in_load) {
			cpu->clock_left = LOAD_CLOCK_STEP;
			cond_resched();
			if (fatal_signal_pending(current))
				cpu->interrupted = true;
		} else {
			cpu->clock_left = CLOCK_STEP;
			if (!budget_spent(cpu) && past_deadline(cpu))
				cpu->limit_hit = XDPLUA_STAT_TIME_LIMIT;
		}
	}
	if (cpu->insn_left <= 0 && !budget_spent(cpu))
		cpu->limit_hit = XDPLUA_STAT_INSN_LIMIT;
	if (budget_spent(cpu) || cpu->interrupted)
		stop(L);
}

/* luai_runstep (klua/luaconf.h): up to n instructions may run from here. */
void xdplua_run_step(lua_State *L, int n)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	cpu->insn_left -= n;
	cpu->clock_left -= n;
	if (unlikely(cpu->clock_left <= 0 || cpu->insn_left <= 0))
		run_step_check(L, cpu);
}

void xdplua_charge(lua_State *L, s64 n)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (n < 0)
		n = 0;
	if (n >= cpu->insn_left || budget_spent(cpu))
		spent(L, cpu, XDPLUA_STAT_INSN_LIMIT);
	cpu->insn_left -= n;
	cpu->clock_left -= n;
	/* at load the next step yields: a C function may hold a lock */
	if (cpu->clock_left <= 0 && !cpu->in_load) {
		cpu->clock_left = CLOCK_STEP;
		if (past_deadline(cpu))
			spent(L, cpu, XDPLUA_STAT_TIME_LIMIT);
	}
}

/* Called by Lua's pattern matcher at every step (the luai_patternstep
 * patch): backtracking can take far more than one instruction's time.
 */
void xdplua_pattern_step(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (unlikely(--cpu->pattern_steps <= 0)) {
		cpu->pattern_steps = PATTERN_CHARGE_STEP;
		xdplua_charge(L, PATTERN_CHARGE_STEP);
	}
}

/* A coroutine takes over: it stops at once if the budget is spent, and
 * runs without a hook otherwise (one left from an earlier packet's budget
 * goes).
 */
void xdplua_thread_enter(lua_State *L, lua_State *co)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	cpu->running = co;
	if (budget_spent(cpu) || cpu->interrupted)
		stop(co);
	else if (unlikely(co->hookmask))
		lua_sethook(co, NULL, 0, 0);
}

/* Back in L: a budget the coroutine spent is raised again here. */
void xdplua_thread_leave(lua_State *L, lua_State *co)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	cpu->running = L;
	if (cpu->interrupted)
		stop(L);
	xdplua_charge(L, 0);
}

static void reset_budget(struct xdplua_cpu *cpu)
{
	cpu->insn_left = cpu->in_load ? LOAD_INSN_BUDGET : cpu->script->insn_budget;
	cpu->clock_left = cpu->in_load ? LOAD_CLOCK_STEP : CLOCK_STEP;
	cpu->deadline = 0;
	cpu->limit_hit = 0;
	cpu->interrupted = false;
	cpu->running = cpu->L;
	if (unlikely(cpu->L->hookmask))
		lua_sethook(cpu->L, NULL, 0, 0);
}

/*
 * Lua's allocator: kmalloc in the packet path (atomic), kvmalloc at load,
 * within the script's memory budget per state. Every block starts with a
 * header holding the bytes it really takes (the allocator's size class), so
 * the budget counts what is allocated, not what Lua asked for: a block
 * shrinks by moving to a smaller one, or stays counted whole.
 */
#define BLOCK_HDR	sizeof(size_t)		/* keeps 8-byte alignment */
#define BLOCK_MAX	(1UL << 31)

/*
 * The memory budget is spent. Lua answers a failed allocation with a full
 * collection and a second try, work in proportion to the heap: charge it,
 * and once the packet's time is up make the thread stop at its next
 * instruction (a script catching memory errors in a loop would otherwise
 * collect many times between two count hooks).
 */
static void over_memory(struct xdplua_cpu *cpu)
{
	if (!budget_spent(cpu))
		cpu->limit_hit = XDPLUA_STAT_MEM_LIMIT;
	if (cpu->closing || !cpu->running)
		return;
	cpu->insn_left -= cpu->mem_used >> 8;
	if (cpu->insn_left <= 0 ||
	    (!cpu->in_load && cpu->deadline && ktime_get_ns() > cpu->deadline))
		stop(cpu->running);	/* the hook raises it */
}

/* The bytes a block of n bytes at p really takes. */
static size_t block_real(const void *p, size_t n)
{
	return is_vmalloc_addr(p) ? PAGE_ALIGN(n) : kmalloc_size_roundup(n);
}

/*
 * A block's header holds the bytes allocated for it: a whole kmalloc size
 * class, so that a block growing within its class stays where it is and
 * every byte it then uses was allocated (KASAN agrees).
 */
static void *state_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct xdplua_cpu *cpu = ud;
	size_t *old = ptr ? (size_t *)ptr - 1 : NULL;
	size_t oldsize = old ? *old : 0, want, real, oldreal;
	size_t *p;

	oldreal = old ? block_real(old, oldsize) : 0;
	if (nsize == 0) {
		if (old) {
			cpu->mem_used -= oldreal;
			kvfree(old);
		}
		return NULL;
	}
	if (nsize > BLOCK_MAX)
		goto nomem;
	want = kmalloc_size_roundup(nsize + BLOCK_HDR);
	if (old && want == oldsize)	/* the same size class: stay */
		return ptr;
	if (want > oldreal && want - oldreal > cpu->script->mem_budget - min(cpu->mem_used,
	    (size_t)cpu->script->mem_budget)) {
		over_memory(cpu);
		goto nomem;
	}
	if (cpu->in_load)
		p = kvmalloc(want, GFP_KERNEL | __GFP_NOWARN);
	else
		p = kmalloc(want, GFP_ATOMIC | __GFP_NOWARN);
	if (!p)
		goto nomem;
	*p = want;
	real = block_real(p, want);
	if (old) {
		memcpy(p + 1, ptr, min(osize, nsize));
		kvfree(old);
	}
	cpu->mem_used = cpu->mem_used - oldreal + real;
	if (real > oldreal && !cpu->closing) {
		cpu->insn_left -= (real - oldreal) >> ALLOC_CHARGE_SHIFT;
		if (cpu->insn_left <= 0 && cpu->running)
			stop(cpu->running);	/* the hook raises it */
	}
	return p + 1;
nomem:
	if (old && nsize <= osize)
		return ptr;	/* a shrink never fails: the block stays counted */
	return NULL;
}

/* An error object as text, without converting it on the Lua stack (which
 * could allocate outside any protected call): strings as they are, numbers
 * printed into buf, other types named.
 */
static const char *error_text(lua_State *L, int idx, char *buf, size_t len)
{
	int isint;
	lua_Integer n;

	switch (lua_type(L, idx)) {
	case LUA_TSTRING:
		return lua_tostring(L, idx);
	case LUA_TNUMBER:
		n = lua_tointegerx(L, idx, &isint);
		snprintf(buf, len, "%lld", (long long)n);
		return buf;
	default:
		snprintf(buf, len, "(error object is a %s value)",
			 lua_typename(L, lua_type(L, idx)));
		return buf;
	}
}

/* The error object on top of the stack, into err. */
static void error_message(lua_State *L, char *err, size_t errlen)
{
	const char *msg = error_text(L, -1, err, errlen);

	if (msg != err)
		strscpy(err, msg, errlen);
}

/* Replace control characters but tabs: messages reach the kernel log and
 * the netlink clients one line each.
 */
void xdplua_sanitize(char *text)
{
	unsigned char *p;

	for (p = (unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			*p = ' ';
}

void xdplua_script_error(struct xdplua_script *s, const char *msg)
{
	unsigned long flags;

	spin_lock_irqsave(&s->error_lock, flags);
	strscpy(s->last_error, msg, sizeof(s->last_error));
	xdplua_sanitize(s->last_error);
	spin_unlock_irqrestore(&s->error_lock, flags);
	net_warn_ratelimited("%s: %s\n", s->name, s->last_error);
}

/* [-0, +1] the entry function named by the upvalue-less light userdata */
static int get_entry(lua_State *L)
{
	const char *name = lua_touserdata(L, 1);

	if (lua_getglobal(L, name) != LUA_TFUNCTION)
		return luaL_error(L, "entry function '%s' is not defined (it must be a global function)",
				  name);
	return 1;
}

/* Protected: open the libraries, run the main chunk, leave the entry
 * function and the packet object on the stack. [-0, +2]
 */
static int state_init(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct xdplua_script *s = cpu->script;
	struct xdplua_file *main = &s->files[0];
	char chunkname[72];

	xdplua_openlibs(L);
	snprintf(chunkname, sizeof(chunkname), "@%s", main->name);
	if (luaL_loadbufferx(L, main->data, main->len, chunkname, "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	lua_pushcfunction(L, get_entry);
	lua_pushlightuserdata(L, rcu_dereference_protected(s->entry, 1)->name);
	lua_call(L, 1, 1);
	xdplua_packet_new(L, cpu);
	return 2;
}

/* Scripts cannot have finalizers (klua/lib.c refuses __gc): closing runs
 * only the module's own, bounded ones.
 */
static void state_close(struct xdplua_cpu *cpu)
{
	if (cpu->L) {
		cpu->in_load = true;
		cpu->closing = true;
		cpu->running = NULL;
		enter_lua(cpu, XDPLUA_CSTACK_SHALLOW);
		lua_close(cpu->L);
		cpu->L = NULL;
	}
}

static int state_open(struct xdplua_cpu *cpu, char *err, size_t errlen)
{
	lua_State *L;
	int status;

	cpu->in_load = true;
	enter_lua(cpu, XDPLUA_CSTACK_SHALLOW);
	L = lua_newstate(state_alloc, cpu);
	if (!L) {
		strscpy(err, "not enough memory for a Lua state", errlen);
		return -ENOMEM;
	}
	cpu->L = L;
	xdplua_cpu_of(L) = cpu;
	reset_budget(cpu);
	lua_pushcfunction(L, state_init);
	status = lua_pcall(L, 0, 2, 0);
	if (status != LUA_OK) {
		if (status == LUA_ERRMEM)
			snprintf(err, errlen, "not enough memory (budget %u bytes per state)",
				 cpu->script->mem_budget);
		else
			error_message(L, err, errlen);
		xdplua_sanitize(err);
		state_close(cpu);
		return status == LUA_ERRMEM ? -ENOMEM : -EINVAL;
	}
	cpu->entry_gen = rcu_dereference_protected(cpu->script->entry, 1)->gen;
	lua_gc(L, LUA_GCCOLLECT);
	cpu->in_load = false;
	reset_budget(cpu);
	return 0;
}

static struct xdplua_entry *entry_new(const char *name, u32 gen)
{
	struct xdplua_entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (e) {
		strscpy(e->name, name, sizeof(e->name));
		e->gen = gen;
	}
	return e;
}

struct xdplua_script *xdplua_script_create(struct net *net, const char *name,
					   const char *entry, u32 fallback,
					   u32 insn_budget, u32 mem_budget,
					   u32 time_budget, struct xdplua_file *files,
					   unsigned int nfiles, char *source,
					   u32 source_size, char *err, size_t errlen)
{
	struct xdplua_script *s;
	int cpu, ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		goto nomem;
	strscpy(s->name, name, sizeof(s->name));
	spin_lock_init(&s->error_lock);
	s->fallback = fallback;
	s->insn_budget = insn_budget;
	s->mem_budget = mem_budget;
	s->time_budget = time_budget;
	write_pnet(&s->net, net);
	s->files = files;
	s->nfiles = nfiles;
	s->source = source;
	s->source_size = source_size;
	RCU_INIT_POINTER(s->entry, entry_new(entry, 1));
	s->cpus = alloc_percpu(struct xdplua_cpu);
	if (!s->cpus || !rcu_access_pointer(s->entry))
		goto nomem;
	for_each_possible_cpu(cpu) {
		struct xdplua_cpu *c = per_cpu_ptr(s->cpus, cpu);

		c->script = s;
		ret = state_open(c, err, errlen);
		if (ret)
			goto fail;
	}
	return s;
nomem:
	strscpy(err, "not enough memory", errlen);
fail:
	if (s) {
		s->files = NULL;	/* the caller still owns them */
		s->source = NULL;
		xdplua_script_destroy(s);
	}
	return NULL;
}

/* The script must be unreachable from packets (unpublished, grace period
 * over).
 */
void xdplua_script_destroy(struct xdplua_script *s)
{
	unsigned int i;
	int cpu;

	if (s->cpus) {
		for_each_possible_cpu(cpu)
			state_close(per_cpu_ptr(s->cpus, cpu));
		free_percpu(s->cpus);
	}
	for (i = 0; s->files && i < s->nfiles; i++)
		kfree(s->files[i].name);
	kfree(s->files);
	kvfree(s->source);
	kfree(rcu_dereference_protected(s->entry, 1));
	kfree(s);
}

/* Switch the entry function. Checked on this CPU's state (bottom halves
 * off, so no packet is using it); every CPU picks it up at its next packet.
 */
int xdplua_script_set_entry(struct xdplua_script *s, const char *entry,
			    char *err, size_t errlen)
{
	struct xdplua_entry *old = rcu_dereference_protected(s->entry, 1);
	struct xdplua_entry *e = entry_new(entry, old->gen + 1);
	struct xdplua_cpu *cpu;
	int status;

	if (!e) {
		strscpy(err, "not enough memory", errlen);
		return -ENOMEM;
	}
	local_bh_disable();
	cpu = this_cpu_ptr(s->cpus);
	if (cpu->busy) {
		local_bh_enable();
		kfree(e);
		strscpy(err, "the script's state is busy on this CPU", errlen);
		return -EBUSY;
	}
	cpu->busy = true;
	enter_lua(cpu, XDPLUA_CSTACK_SHALLOW);
	reset_budget(cpu);
	lua_pushcfunction(cpu->L, get_entry);
	lua_pushlightuserdata(cpu->L, e->name);
	status = lua_pcall(cpu->L, 1, 1, 0);
	if (status != LUA_OK) {
		error_message(cpu->L, err, errlen);
		xdplua_sanitize(err);
	}
	lua_settop(cpu->L, 2);
	cpu->busy = false;
	local_bh_enable();
	if (status != LUA_OK) {
		kfree(e);
		return -EINVAL;
	}
	rcu_assign_pointer(s->entry, e);
	kfree_rcu(old, rcu);
	return 0;
}

void xdplua_script_stats(struct xdplua_script *s, u64 *stats)
{
	int cpu, i;

	for (i = 0; i < __XDPLUA_STAT_MAX; i++)
		stats[i] = s->base_stats[i];
	for_each_possible_cpu(cpu) {
		struct xdplua_cpu *c = per_cpu_ptr(s->cpus, cpu);

		for (i = 0; i < __XDPLUA_STAT_MAX; i++)
			stats[i] += READ_ONCE(c->stats[i]);
		/* runs are not counted on the packet path: every run has a verdict */
		for (i = XDPLUA_STAT_ABORTED; i <= XDPLUA_STAT_REDIRECT; i++)
			stats[XDPLUA_STAT_RUNS] += READ_ONCE(c->stats[i]);
	}
}

size_t xdplua_script_mem(struct xdplua_script *s)
{
	size_t total = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		total += READ_ONCE(per_cpu_ptr(s->cpus, cpu)->mem_used);
	return total;
}

/* --- the packet path ---------------------------------------------------- */

static int fail(struct xdplua_cpu *cpu, const char *msg)
{
	struct xdplua_script *s = cpu->script;

	cpu->stats[XDPLUA_STAT_ERRORS]++;
	if (cpu->limit_hit)
		cpu->stats[cpu->limit_hit]++;
	xdplua_script_error(s, msg);
	return s->fallback;
}

static int fail_status(struct xdplua_cpu *cpu, int status)
{
	char buf[64];

	if (status == LUA_ERRMEM && cpu->limit_hit == XDPLUA_STAT_MEM_LIMIT)
		return fail(cpu, "memory budget exceeded");
	return fail(cpu, error_text(cpu->L, -1, buf, sizeof(buf)));
}

static int refresh_entry(struct xdplua_cpu *cpu)
{
	struct xdplua_entry *e = rcu_dereference(cpu->script->entry);
	lua_State *L = cpu->L;
	int status;

	lua_pushcfunction(L, get_entry);
	lua_pushlightuserdata(L, e->name);
	status = lua_pcall(L, 1, 1, 0);
	if (status != LUA_OK)
		return status;
	lua_replace(L, 1);
	cpu->entry_gen = e->gen;
	return LUA_OK;
}

/* verdict() for what is not a plain verdict: nil, REDIRECT or an error.
 * Out of line: its message buffer is not set up on the common path.
 */
static noinline int verdict_rare(struct xdplua_cpu *cpu, struct xdp_buff *xdp,
				 u32 *ifindex, lua_Integer v, int isnum)
{
	lua_State *L = cpu->L;
	char msg[96];

	if (!isnum && lua_isnil(L, 3))
		return XDP_PASS;
	if (!isnum || v < XDP_ABORTED || v > XDP_REDIRECT) {
		snprintf(msg, sizeof(msg), "callback returned an invalid verdict (a %s)",
			 lua_typename(L, lua_type(L, 3)));
		return fail(cpu, msg);
	}
	if (!ifindex)
		return fail(cpu, "redirect: the calling program gave no ifindex pointer");
	if (lua_type(L, 4) == LUA_TNUMBER) {
		v = lua_tointegerx(L, 4, &isnum);
		if (!isnum || v <= 0 || v > INT_MAX)
			return fail(cpu, "redirect: invalid interface index");
		*ifindex = v;
	} else if (lua_type(L, 4) == LUA_TSTRING) {
		const char *name = lua_tostring(L, 4);
		struct net_device *dev;

		dev = dev_get_by_name_rcu(dev_net(xdp->rxq->dev), name);
		if (!dev) {
			snprintf(msg, sizeof(msg), "redirect: no such interface '%.32s'", name);
			return fail(cpu, msg);
		}
		*ifindex = dev->ifindex;
	} else {
		return fail(cpu, "redirect needs a target interface (name or index) as second result");
	}
	return XDP_REDIRECT;
}

/* The callback's results (stack slots 3 and 4) as an XDP action. */
static inline int verdict(struct xdplua_cpu *cpu, struct xdp_buff *xdp, u32 *ifindex)
{
	const TValue *o = s2v(cpu->L->ci->func + 3);
	lua_Integer v;
	int isnum;

	/* an integer verdict other than REDIRECT: a few loads */
	if (likely(ttisinteger(o) && (lua_Unsigned)ivalue(o) < XDP_REDIRECT))
		return ivalue(o);
	v = lua_tointegerx(cpu->L, 3, &isnum);
	return verdict_rare(cpu, xdp, ifindex, v, isnum);
}

/* luaD_pcall's function: the entry function's call, its two arguments
 * above it.
 */
static void call_entry(lua_State *L, void *func)
{
	luaD_callnoyield(L, func, 2);
}

/*
 * entry(packet, arg) as lua_pcall(L, 2, 2, 0) would call it, without the
 * API's pushes, checks and settop: slots 1 and 2 of the state's base frame
 * hold the entry function and the packet, so the call's frame is slots 3
 * to 5, and its two results (or the error object) land in slots 3 and 4.
 * The base frame has room for them (LUA_MINSTACK slots) and nothing to be
 * closed, so the top goes back to slot 2 by assignment.
 */
static int call_protected(lua_State *L, u64 arg)
{
	StkId base = L->ci->func;
	StkId func = base + 3;

	setobjs2s(L, func, base + 1);
	setobjs2s(L, func + 1, base + 2);
	setivalue(s2v(func + 2), (lua_Integer)arg);
	L->top = func + 3;
	return luaD_pcall(L, call_entry, func, savestack(L, func), 0);
}

static int run(struct xdplua_cpu *cpu, struct xdp_buff *xdp, u64 arg,
	       u32 *ifindex)
{
	struct xdplua_script *s = cpu->script;
	lua_State *L = cpu->L;
	int status, act;

	reset_budget(cpu);
	if (unlikely(cpu->entry_gen != rcu_dereference(s->entry)->gen)) {
		status = refresh_entry(cpu);
		if (status != LUA_OK) {
			act = fail_status(cpu, status);
			lua_settop(L, 2);
			return act;
		}
	}
	cpu->pkt_gen++;
	cpu->xdp = xdp;
	status = call_protected(L, arg);
	cpu->xdp = NULL;
	if (likely(status == LUA_OK))
		act = verdict(cpu, xdp, ifindex);
	else
		act = fail_status(cpu, status);
	L->top = L->ci->func + 3;	/* lua_settop(L, 2) */
	return act;
}

/* A packet, on a C stack of its own (cstack.c). */
struct run_call {
	struct xdplua_cpu *cpu;
	struct xdp_buff *xdp;
	u64 arg;
	u32 *ifindex;
	int act;
};

static void run_deep(void *arg, unsigned long room)
{
	struct run_call *c = arg;

	enter_lua(c->cpu, room);
	c->act = run(c->cpu, c->xdp, c->arg, c->ifindex);
}

int xdplua_script_run(struct xdplua_script *s, struct xdp_buff *xdp, u64 arg,
		      u32 *ifindex)
{
	/* XDP runs in softirq; a test run comes from process context: turn
	 * bottom halves off so a packet cannot enter this CPU's state while
	 * the test run is in it.
	 */
	bool bh = !in_softirq() && !irqs_disabled();
	struct xdplua_cpu *cpu;
	int act;

	if (bh)
		local_bh_disable();
	cpu = this_cpu_ptr(s->cpus);
	if (unlikely(cpu->busy)) {
		cpu->stats[XDPLUA_STAT_BUSY]++;
		act = s->fallback;
	} else {
		struct run_call c = {
			.cpu = cpu, .xdp = xdp, .arg = arg, .ifindex = ifindex,
		};

		cpu->busy = true;
		xdplua_deep_call(run_deep, &c);
		act = c.act;
		cpu->busy = false;
	}
	cpu->stats[XDPLUA_STAT_ABORTED + act]++;
	if (bh)
		local_bh_enable();
	return act;
}
