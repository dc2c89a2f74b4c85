// SPDX-License-Identifier: GPL-2.0
/*
 * Scripts and their per-CPU Lua states: creation, the per-packet call,
 * budgets, counters and errors.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/netdevice.h>
#include <linux/bottom_half.h>

#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lstate.h"

/* The main chunk (and anything it calls) may run this many Lua
 * instructions per state at load time.
 */
#define LOAD_INSN_BUDGET	(50 * 1000 * 1000ULL)
#define LOAD_HOOK_STEP		10000

/*
 * Kernel stack Lua may use below the point where the module entered it:
 * beyond CSTACK_SOFT a nested C call is a "C stack overflow" error; beyond
 * CSTACK_HARD (while that error is being handled) the error handler is not
 * run either. The 16 KiB stack also holds the network stack below us and
 * whatever Lua calls into (allocator, printk).
 */
#define CSTACK_SOFT		(5 << 10)
#define CSTACK_HARD		(7 << 10)
#define CCALLS_MAX		200

/* Remember where the module enters Lua on this stack. */
static inline void enter_lua(struct xdplua_cpu *cpu)
{
	cpu->stack_entry = current_stack_pointer;
}

/* LUAI_MAXCCALLS (luaconf.h): Lua raises "C stack overflow" when the number
 * of nested C calls reaches this value.
 */
int xdplua_ccall_limit(lua_State *L)
{
	unsigned long used = xdplua_cpu_of(L)->stack_entry - current_stack_pointer;

	if (likely(used < CSTACK_SOFT))
		return CCALLS_MAX;
	if (used < CSTACK_HARD)
		return getCcalls(L);	/* an overflow error now */
	return 1;			/* an error in the error handling */
}

/* Lua's allocator: kmalloc in the packet path (atomic), kvmalloc at load,
 * within the script's memory budget per state.
 */
static void *state_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct xdplua_cpu *cpu = ud;
	size_t old = ptr ? osize : 0;
	void *p;

	if (nsize == 0) {
		if (ptr) {
			kvfree(ptr);
			cpu->mem_used -= old;
		}
		return NULL;
	}
	if (ptr && nsize <= old) {	/* shrink in place */
		cpu->mem_used -= old - nsize;
		return ptr;
	}
	if (cpu->mem_used + (nsize - old) > cpu->script->mem_budget) {
		cpu->limit_hit = XDPLUA_STAT_MEM_LIMIT;
		return NULL;
	}
	if (cpu->in_load)
		p = kvmalloc(nsize, GFP_KERNEL | __GFP_NOWARN);
	else
		p = kmalloc(nsize, GFP_ATOMIC | __GFP_NOWARN);
	if (!p)
		return NULL;
	if (ptr) {
		memcpy(p, ptr, old);
		kvfree(ptr);
	}
	cpu->mem_used += nsize - old;
	return p;
}

/* The instruction budget. Once exhausted it fires at every instruction
 * until the packet is done, so a script cannot catch it with pcall and go on.
 */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (cpu->in_load) {
		cpu->load_insns += LOAD_HOOK_STEP;
		cond_resched();
		if (fatal_signal_pending(current)) {
			lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
			luaL_error(L, "interrupted");
		}
		if (cpu->load_insns < LOAD_INSN_BUDGET)
			return;
	}
	cpu->limit_hit = XDPLUA_STAT_INSN_LIMIT;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	luaL_error(L, "instruction budget exceeded");
}

static void reset_budget(struct xdplua_cpu *cpu)
{
	lua_sethook(cpu->L, budget_hook, LUA_MASKCOUNT,
		    cpu->script->insn_budget);
	cpu->limit_hit = 0;
}

void xdplua_script_error(struct xdplua_script *s, const char *msg)
{
	unsigned long flags;

	spin_lock_irqsave(&s->error_lock, flags);
	strscpy(s->last_error, msg, sizeof(s->last_error));
	spin_unlock_irqrestore(&s->error_lock, flags);
	net_warn_ratelimited("xdplua: %s: %s\n", s->name, msg);
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

static void state_close(struct xdplua_cpu *cpu)
{
	if (cpu->L) {
		cpu->in_load = true;
		enter_lua(cpu);
		lua_close(cpu->L);
		cpu->L = NULL;
	}
}

static int state_open(struct xdplua_cpu *cpu, char *err, size_t errlen)
{
	lua_State *L;
	int status;

	cpu->in_load = true;
	enter_lua(cpu);
	L = lua_newstate(state_alloc, cpu);
	if (!L) {
		strscpy(err, "not enough memory for a Lua state", errlen);
		return -ENOMEM;
	}
	cpu->L = L;
	xdplua_cpu_of(L) = cpu;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, LOAD_HOOK_STEP);
	lua_pushcfunction(L, state_init);
	status = lua_pcall(L, 0, 2, 0);
	if (status != LUA_OK) {
		const char *msg = lua_tostring(L, -1);

		if (status == LUA_ERRMEM)
			snprintf(err, errlen, "not enough memory (budget %u bytes per state)",
				 cpu->script->mem_budget);
		else
			strscpy(err, msg ? msg : "error object is not a string", errlen);
		state_close(cpu);
		return status == LUA_ERRMEM ? -ENOMEM : -EINVAL;
	}
	cpu->entry_gen = rcu_dereference_protected(cpu->script->entry, 1)->gen;
	reset_budget(cpu);
	lua_gc(L, LUA_GCCOLLECT);
	cpu->in_load = false;
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

struct xdplua_script *xdplua_script_create(const char *name, const char *entry,
					   u32 fallback, u32 insn_budget,
					   u32 mem_budget, struct xdplua_file *files,
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
	enter_lua(cpu);
	lua_pushcfunction(cpu->L, get_entry);
	lua_pushlightuserdata(cpu->L, e->name);
	status = lua_pcall(cpu->L, 1, 1, 0);
	if (status != LUA_OK) {
		const char *msg = lua_tostring(cpu->L, -1);

		strscpy(err, msg ? msg : "cannot switch the entry function", errlen);
	}
	lua_settop(cpu->L, 2);
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
	if (cpu->limit_hit) {
		cpu->stats[cpu->limit_hit]++;
		reset_budget(cpu);
	}
	xdplua_script_error(s, msg);
	return s->fallback;
}

static int fail_status(struct xdplua_cpu *cpu, int status)
{
	lua_State *L = cpu->L;

	if (status == LUA_ERRMEM && cpu->limit_hit == XDPLUA_STAT_MEM_LIMIT)
		return fail(cpu, "memory budget exceeded");
	if (lua_type(L, -1) == LUA_TSTRING)
		return fail(cpu, lua_tostring(L, -1));
	return fail(cpu, "error object is not a string");
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

/* The callback's results (stack slots 3 and 4) as an XDP action. */
static int verdict(struct xdplua_cpu *cpu, struct xdp_buff *xdp, u32 *ifindex)
{
	lua_State *L = cpu->L;
	char msg[96];
	lua_Integer v;
	int isnum;

	if (lua_isnil(L, 3))
		return XDP_PASS;
	v = lua_tointegerx(L, 3, &isnum);
	if (!isnum || v < XDP_ABORTED || v > XDP_REDIRECT) {
		snprintf(msg, sizeof(msg), "callback returned an invalid verdict (a %s)",
			 lua_typename(L, lua_type(L, 3)));
		return fail(cpu, msg);
	}
	if (v != XDP_REDIRECT)
		return v;
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

static int run(struct xdplua_cpu *cpu, struct xdp_buff *xdp, u64 arg,
	       u32 *ifindex)
{
	struct xdplua_script *s = cpu->script;
	lua_State *L = cpu->L;
	int status, act;

	if (unlikely(cpu->entry_gen != rcu_dereference(s->entry)->gen)) {
		status = refresh_entry(cpu);
		if (status != LUA_OK) {
			act = fail_status(cpu, status);
			lua_settop(L, 2);
			return act;
		}
	}
	L->hookcount = L->basehookcount;
	cpu->pkt_gen++;
	cpu->xdp = xdp;
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushinteger(L, (lua_Integer)arg);
	status = lua_pcall(L, 2, 2, 0);
	cpu->xdp = NULL;
	if (likely(status == LUA_OK))
		act = verdict(cpu, xdp, ifindex);
	else
		act = fail_status(cpu, status);
	lua_settop(L, 2);
	return act;
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
	cpu->stats[XDPLUA_STAT_RUNS]++;
	if (unlikely(cpu->busy)) {
		cpu->stats[XDPLUA_STAT_BUSY]++;
		act = s->fallback;
	} else {
		cpu->busy = true;
		enter_lua(cpu);
		act = run(cpu, xdp, arg, ifindex);
		cpu->busy = false;
	}
	cpu->stats[XDPLUA_STAT_ABORTED + act]++;
	if (bh)
		local_bh_enable();
	return act;
}
