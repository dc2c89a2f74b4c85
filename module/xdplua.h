/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDPLua: Lua scripts in the XDP hook. Objects shared by the module's files.
 *
 * A script (struct xdplua_script) lives in one of XDPLUA_MAX_SCRIPTS slots;
 * eBPF programs name it by id. Each script has one Lua state per possible
 * CPU (struct xdplua_cpu), entered only by its own CPU with bottom halves
 * disabled, so the packet path takes no lock.
 */
#ifndef XDPLUA_H
#define XDPLUA_H

#include "port.h"
#include <uapi/linux/xdplua.h>
#include "compat.h"

struct lua_State;

struct xdplua_entry {
	struct rcu_head rcu;
	u32 gen;
	char name[XDPLUA_ENTRY_MAX];
};

struct xdplua_file {
	char *name;
	const char *data;
	size_t len;
};

/* print() collects a line per Lua state (klua/libc.c). */
struct xdplua_print_line {
	unsigned int len;
	char text[160];
};

/* One per CPU per script. */
struct xdplua_cpu {
	struct lua_State *L;		/* stack: 1 = entry function, 2 = packet */
	struct xdplua_script *script;
	struct xdp_buff *xdp;		/* the packet, only during the callback */
	void *pkt_ud;			/* the packet object (lua_xdp.c) */
	struct lua_State *running;	/* the thread running: L or a coroutine */
	u32 entry_gen;			/* entry function at stack slot 1 */
	u64 pkt_gen;			/* packets seen: views check it */
	unsigned long stack_entry;	/* stack pointer where Lua was entered */
	unsigned long stack_room;	/* C stack Lua may use below it */
	s64 insn_left;			/* of this packet's (or the load's) budget */
	s64 clock_left;			/* instructions until the clock is read */
	u64 deadline;			/* ktime ns; 0 until the clock is read */
	int pattern_steps;		/* pattern-matching steps not charged yet */
	bool busy;
	bool in_load;			/* main chunk or close: may sleep */
	bool closing;			/* lua_close() is running */
	bool interrupted;		/* a fatal signal at load */
	u8 limit_hit;			/* XDPLUA_STAT_{INSN,MEM,TIME}_LIMIT */
	size_t mem_used;		/* bytes really allocated, headers included */
	u64 stats[__XDPLUA_STAT_MAX];
	struct xdplua_print_line print;
};

struct xdplua_script {
	u32 id;
	char name[XDPLUA_NAME_MAX];
	struct xdplua_entry __rcu *entry;
	u32 fallback;
	u32 insn_budget;
	u32 mem_budget;
	u32 time_budget;		/* microseconds per packet */
	possible_net_t net;		/* the namespace that loaded it */
	u32 source_size;
	unsigned int nfiles;
	struct xdplua_file *files;	/* files[0] is the main chunk */
	char *source;			/* all files' text, one allocation */
	struct xdplua_cpu __percpu *cpus;
	u64 base_stats[__XDPLUA_STAT_MAX];	/* carried over a reload */
	spinlock_t error_lock;
	char last_error[256];
};

/* The per-CPU script state a Lua state belongs to, kept in Lua's extra
 * space (copied into coroutines). Needs lua.h.
 */
#define xdplua_cpu_of(L)	(*(struct xdplua_cpu **)lua_getextraspace(L))

/* script.c */
struct xdplua_script *xdplua_script_create(struct net *net, const char *name,
					   const char *entry, u32 fallback,
					   u32 insn_budget, u32 mem_budget,
					   u32 time_budget, struct xdplua_file *files,
					   unsigned int nfiles, char *source,
					   u32 source_size, char *err, size_t errlen);
void xdplua_script_destroy(struct xdplua_script *s);
int xdplua_script_set_entry(struct xdplua_script *s, const char *entry,
			    char *err, size_t errlen);
void xdplua_script_stats(struct xdplua_script *s, u64 *stats);
size_t xdplua_script_mem(struct xdplua_script *s);
void xdplua_script_error(struct xdplua_script *s, const char *msg);
int xdplua_script_run(struct xdplua_script *s, struct xdp_buff *xdp, u64 arg,
		      u32 *ifindex);
void xdplua_sanitize(char *text);

/* The budgets (script.c), for C functions whose work is not one Lua
 * instruction: charge n instructions' worth, raising the budget error when
 * the budget is spent; and the bracket around running another thread.
 */
void xdplua_charge(struct lua_State *L, s64 n);
void xdplua_thread_enter(struct lua_State *L, struct lua_State *co);
void xdplua_thread_leave(struct lua_State *L, struct lua_State *co);

/* main.c: the slots. Scripts belong to the network namespace that loaded
 * them: lookups by name or id and listings see only their own namespace's.
 */
struct xdplua_script *xdplua_lookup_rcu(u32 id);
struct xdplua_script *xdplua_find(struct net *net, const char *name, u32 id);
int xdplua_publish(struct xdplua_script *s);
int xdplua_unpublish(struct xdplua_script *s);
struct xdplua_script *xdplua_next(struct net *net, u32 *slot);
extern struct mutex xdplua_lock;

/* lib_packet.c, lib_xdp.c */
int luaopen_xdp(struct lua_State *L);
void xdplua_packet_new(struct lua_State *L, struct xdplua_cpu *cpu);

/* lua_route.c: fib_lookup, ip_output, addresses and interfaces */
void xdplua_openlib_route(struct lua_State *L);

/* klua: the kernel's Lua */
void xdplua_openlibs(struct lua_State *L);

/* netlink.c, kfunc.c */
bool xdplua_valid_name(const char *name);
int xdplua_genl_init(void);
void xdplua_genl_exit(void);
int xdplua_kfunc_init(void);

/* table.c, lua_table.c: shared tables (docs/tables.md) */
enum { XDPLUA_TKEY_INT = 1, XDPLUA_TKEY_STR };
enum { XDPLUA_TVAL_INT = 1, XDPLUA_TVAL_STR, XDPLUA_TVAL_BOOL };

struct xdplua_tkey {
	u8 type;
	u16 len;		/* XDPLUA_TKEY_STR */
	s64 i;
	const char *s;
};

struct xdplua_tval {
	u8 type;
	u16 len;		/* XDPLUA_TVAL_STR */
	s64 i;			/* XDPLUA_TVAL_INT, _BOOL (0 or 1) */
	const char *s;
};

struct tbucket;

struct xdplua_table {
	struct list_head list;	/* the registry, under xdplua_tables_lock */
	possible_net_t net;	/* tables belong to a network namespace */
	char name[XDPLUA_NAME_MAX];
	u32 max;
	u32 mask;		/* buckets - 1 */
	u32 seed;
	atomic_t count;
	atomic_t users;		/* handles held by Lua states */
	atomic_long_t bytes;	/* entries */
	size_t base_bytes;	/* the table and its buckets */
	struct tbucket *buckets;
};

extern struct mutex xdplua_tables_lock;
struct xdplua_table *xdplua_table_find(struct net *net, const char *name);
struct xdplua_table *xdplua_table_next(struct net *net, unsigned long *pos);
int xdplua_table_create(struct net *net, const char *name, u32 max);
int xdplua_table_destroy(struct xdplua_table *t);
struct xdplua_table *xdplua_table_open(struct net *net, const char *name,
				       int *err);
void xdplua_table_close(struct xdplua_table *t);
void xdplua_table_flush(struct xdplua_table *t);
void xdplua_table_sweep(struct xdplua_table *t);
size_t xdplua_table_bytes(const struct xdplua_table *t);
void xdplua_tables_exit(void);
void xdplua_tables_net_exit(struct net *net);
int xdplua_table_lookup(struct xdplua_table *t, const struct xdplua_tkey *k,
			struct xdplua_tval *v, char *buf, s64 *ttl);
int xdplua_table_set(struct xdplua_table *t, const struct xdplua_tkey *k,
		     const struct xdplua_tval *v, u32 ttl, gfp_t gfp);
int xdplua_table_add(struct xdplua_table *t, const struct xdplua_tkey *k,
		     s64 delta, u32 ttl, s64 *result, gfp_t gfp);
int xdplua_table_delete(struct xdplua_table *t, const struct xdplua_tkey *k);
int xdplua_table_iter(struct xdplua_table *t, u32 *bkt, u32 *pos,
		      struct xdplua_tkey *k, char *kbuf,
		      struct xdplua_tval *v, char *vbuf, s64 *ttl, u32 *scanned);
void xdplua_openlib_tables(struct lua_State *L);

/* table_netlink.c: XDPLUA_CMD_TABLE_*; netlink.c: a message of the family */
struct genl_info;
struct netlink_callback;
void *xdplua_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd);
int xdplua_table_new_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_del_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_set_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_get_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_unset_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_flush_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int xdplua_table_list_doit(struct sk_buff *skb, struct genl_info *info);
int xdplua_table_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif
