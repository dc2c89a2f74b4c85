/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules in xdplua.ko's shared tables (rules.h has the formats): read
 * them all, change the list in memory, commit the difference.
 */
#ifndef XDPLUATABLES_STORE_H
#define XDPLUATABLES_STORE_H

#include "rules.h"

struct genl;
struct tentry;

struct tuple {
	__u16 id;
	int chain, slen, dlen, flags;
	__s64 first;		/* the priority of its first rule */
};

struct ruleset {
	struct rule *rules;	/* PREROUTING then POSTROUTING, by priority */
	int n, cap;
	struct tuple tuples[MAX_TUPLES];
	int ntuples;
	__u32 next_id;
	long long gen;
	long long timeouts[8];	/* 0: not set (forward.lua's default) */
	bool last_known;	/* ruleset_append()'s cache */
	__s64 last[NCHAINS];
};

#define PRIO_STEP	(1LL << 32)

int store_open(struct genl *g);
int store_read(struct genl *g, struct ruleset *rs);
void ruleset_free(struct ruleset *rs);
int ruleset_copy(struct ruleset *dst, const struct ruleset *src);
int chain_count(const struct ruleset *rs, enum chain c);
struct rule *chain_rule(struct ruleset *rs, enum chain c, int n);
int ruleset_insert(struct ruleset *rs, const struct rule *r, int pos,
		   bool *renumbered);
int ruleset_append(struct ruleset *rs, const struct rule *r);
void ruleset_sort(struct ruleset *rs);
void ruleset_remove(struct ruleset *rs, struct rule *r);
int store_commit(struct genl *g, const struct ruleset *old,
		 struct ruleset *new, bool fresh);
int store_counters(struct genl *g, unsigned long long **counts,
		   __u32 *max_id);
int store_set_timeouts(struct genl *g, const struct ruleset *rs);
int store_bump(struct genl *g, long long gen);
int store_dump(struct genl *g, const char *table,
	       int (*cb)(const struct tentry *e, void *data), void *data);

#endif
