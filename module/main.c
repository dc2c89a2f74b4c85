// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua.ko: Lua scripts in the XDP hook.
 *
 * This file holds the script slots (the id -> script map read by the packet
 * path under RCU) and module init/exit.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>

#include "xdplua.h"

/* Writers (netlink) hold xdplua_lock; the packet path only reads. */
DEFINE_MUTEX(xdplua_lock);
static struct xdplua_script __rcu *slots[XDPLUA_MAX_SCRIPTS];

#define SLOT(id)	((id) % XDPLUA_MAX_SCRIPTS)

struct xdplua_script *xdplua_lookup_rcu(u32 id)
{
	struct xdplua_script *s = rcu_dereference(slots[SLOT(id)]);

	return s && s->id == id ? s : NULL;
}

static inline struct xdplua_script *slot_get(unsigned int i)
{
	return rcu_dereference_protected(slots[i], lockdep_is_held(&xdplua_lock));
}

/* By name, or by id when name is NULL, in the namespace net. Caller holds
 * xdplua_lock.
 */
struct xdplua_script *xdplua_find(struct net *net, const char *name, u32 id)
{
	struct xdplua_script *s;
	int i;

	if (!name) {
		s = slot_get(SLOT(id));
		return s && s->id == id && net_eq(read_pnet(&s->net), net) ? s : NULL;
	}
	for (i = 0; i < XDPLUA_MAX_SCRIPTS; i++) {
		s = slot_get(i);
		if (s && net_eq(read_pnet(&s->net), net) && !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

/* Iterate over net's scripts (all of them for a NULL net): the script at or
 * after *slot; moves *slot past it.
 */
struct xdplua_script *xdplua_next(struct net *net, u32 *slot)
{
	struct xdplua_script *s;

	for (; *slot < XDPLUA_MAX_SCRIPTS; (*slot)++) {
		s = slot_get(*slot);
		if (s && (!net || net_eq(read_pnet(&s->net), net))) {
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
	struct xdplua_script *old = xdplua_find(read_pnet(&s->net), s->name, 0);
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
		u32 slot = (get_random_u32() + i) % XDPLUA_MAX_SCRIPTS;

		if (!rcu_access_pointer(slots[slot])) {
			/* ids: the slot in the low bits, random bits above
			 * (never 0): not guessable from other namespaces'
			 */
			s->id = slot + XDPLUA_MAX_SCRIPTS *
				(get_random_u32() % 0x7fffff + 1);
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

/*
 * Remove the scripts of net (all of them for NULL): unpublished together,
 * one grace period, then destroyed. Holds xdplua_lock.
 */
static void unload_all(struct net *net)
{
	static struct xdplua_script *gone[XDPLUA_MAX_SCRIPTS];
	struct xdplua_script *s;
	u32 slot = 0;
	int i, n = 0;

	mutex_lock(&xdplua_lock);
	while ((s = xdplua_next(net, &slot))) {
		RCU_INIT_POINTER(slots[SLOT(s->id)], NULL);
		gone[n++] = s;
	}
	if (n) {
		synchronize_rcu();
		for (i = 0; i < n; i++)
			xdplua_script_destroy(gone[i]);
	}
	mutex_unlock(&xdplua_lock);
}

/* A namespace goes away: its scripts, then its tables. */
static void __net_exit xdplua_net_exit(struct net *net)
{
	unload_all(net);
	xdplua_tables_net_exit(net);
}

static struct pernet_operations xdplua_net_ops = {
	.exit = xdplua_net_exit,
};

/* The kfunc first and the netlink family last: no script can be loaded into
 * a module that is not ready to run it; the reverse at exit.
 */
static int __init xdplua_init(void)
{
	int ret;

	ret = xdplua_cstack_init();
	if (ret) {
		pr_err("no memory for Lua's C stacks\n");
		return ret;
	}
	ret = xdplua_kfunc_init();
	if (ret) {
		pr_err("cannot register the kfunc: %d\n", ret);
		xdplua_cstack_exit();
		return ret;
	}
	ret = register_pernet_subsys(&xdplua_net_ops);
	if (ret) {
		pr_err("cannot register the namespace operations: %d\n", ret);
		xdplua_cstack_exit();
		return ret;
	}
	ret = xdplua_genl_init();
	if (ret) {
		pr_err("cannot register the generic netlink family: %d\n", ret);
		unregister_pernet_subsys(&xdplua_net_ops);
		xdplua_cstack_exit();
		return ret;
	}
	pr_info("Lua 5.4 in XDP, ready\n");
	return 0;
}

static void __exit xdplua_exit(void)
{
	xdplua_genl_exit();
	unregister_pernet_subsys(&xdplua_net_ops);
	unload_all(NULL);
	xdplua_tables_exit();
	xdplua_cstack_exit();
}

module_init(xdplua_init);
module_exit(xdplua_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("XDPLua: Lua scripts in the XDP hook");
MODULE_AUTHOR("XDPLua developers");
