// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua.ko: Lua scripts in the XDP hook.
 *
 * This file holds the script slots (the id -> script map read by the packet
 * path under RCU) and module init/exit.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

#include "xdplua.h"

/* Writers (netlink) hold xdplua_lock; the packet path only reads. */
DEFINE_MUTEX(xdplua_lock);
static struct xdplua_script __rcu *slots[XDPLUA_MAX_SCRIPTS];
static u32 next_gen = 1;

#define SLOT(id)	((id) % XDPLUA_MAX_SCRIPTS)

struct xdplua_script *xdplua_lookup_rcu(u32 id)
{
	struct xdplua_script *s = rcu_dereference(slots[SLOT(id)]);

	return s && s->id == id ? s : NULL;
}

/* By name, or by id when name is NULL. Caller holds xdplua_lock. */
struct xdplua_script *xdplua_find(const char *name, u32 id)
{
	struct xdplua_script *s;
	int i;

	if (!name) {
		s = rcu_dereference_protected(slots[SLOT(id)],
					      lockdep_is_held(&xdplua_lock));
		return s && s->id == id ? s : NULL;
	}
	for (i = 0; i < XDPLUA_MAX_SCRIPTS; i++) {
		s = rcu_dereference_protected(slots[i], lockdep_is_held(&xdplua_lock));
		if (s && !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

/* Iterate: returns the script at or after *slot and moves *slot past it. */
struct xdplua_script *xdplua_next(u32 *slot)
{
	struct xdplua_script *s;

	for (; *slot < XDPLUA_MAX_SCRIPTS; (*slot)++) {
		s = rcu_dereference_protected(slots[*slot],
					      lockdep_is_held(&xdplua_lock));
		if (s) {
			(*slot)++;
			return s;
		}
	}
	return NULL;
}

/*
 * Make s reachable. A script of the same name is replaced in place: same id,
 * counters carried over; its states finish the packets they are running
 * (grace period) before they are freed.
 */
int xdplua_publish(struct xdplua_script *s)
{
	struct xdplua_script *old = xdplua_find(s->name, 0);
	u64 stats[__XDPLUA_STAT_MAX];
	int i;

	if (old) {
		s->id = old->id;
		rcu_assign_pointer(slots[SLOT(s->id)], s);
		synchronize_rcu();
		xdplua_script_stats(old, stats);
		memcpy(s->base_stats, stats, sizeof(stats));
		spin_lock_bh(&old->error_lock);
		memcpy(s->last_error, old->last_error, sizeof(s->last_error));
		spin_unlock_bh(&old->error_lock);
		xdplua_script_destroy(old);
		return 0;
	}
	for (i = 0; i < XDPLUA_MAX_SCRIPTS; i++) {
		u32 slot = (next_gen + i) % XDPLUA_MAX_SCRIPTS;

		if (!rcu_access_pointer(slots[slot])) {
			/* ids: slot in the low bits, a generation above, never 0 */
			s->id = slot + XDPLUA_MAX_SCRIPTS * (next_gen++ % 0x7fffff + 1);
			rcu_assign_pointer(slots[slot], s);
			return 0;
		}
	}
	return -ENOSPC;
}

int xdplua_unpublish(struct xdplua_script *s)
{
	RCU_INIT_POINTER(slots[SLOT(s->id)], NULL);
	synchronize_rcu();
	xdplua_script_destroy(s);
	return 0;
}

static int __init xdplua_init(void)
{
	int ret;

	ret = xdplua_genl_init();
	if (ret) {
		pr_err("xdplua: cannot register the generic netlink family: %d\n", ret);
		return ret;
	}
	ret = xdplua_kfunc_init();
	if (ret) {
		pr_err("xdplua: cannot register the kfunc: %d\n", ret);
		xdplua_genl_exit();
		return ret;
	}
	pr_info("xdplua: Lua 5.4 in XDP, ready\n");
	return 0;
}

static void __exit xdplua_exit(void)
{
	static struct xdplua_script *gone[XDPLUA_MAX_SCRIPTS];
	struct xdplua_script *s;
	int i, n = 0;

	xdplua_genl_exit();
	mutex_lock(&xdplua_lock);
	for (i = 0; i < XDPLUA_MAX_SCRIPTS; i++) {
		s = rcu_dereference_protected(slots[i], 1);
		if (s)
			gone[n++] = s;
		RCU_INIT_POINTER(slots[i], NULL);
	}
	mutex_unlock(&xdplua_lock);
	synchronize_rcu();
	for (i = 0; i < n; i++)
		xdplua_script_destroy(gone[i]);
	xdplua_tables_exit();
}

module_init(xdplua_init);
module_exit(xdplua_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("XDPLua: Lua scripts in the XDP hook");
MODULE_AUTHOR("XDPLua developers");
