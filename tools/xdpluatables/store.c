// SPDX-License-Identifier: GPL-2.0
/*
 * The rules in xdplua.ko's shared tables, through xdplua's own table
 * requests (tools/xdplua/table.c). A change is computed in memory and
 * committed as the difference, in an order that keeps every packet seeing
 * either the old rules or the new ones:
 *
 *   1. the rules' text (fwd.rules), new and changed match keys (fwd.match)
 *   2. the shapes (fwd.conf "tuples"), then the generation (fwd.conf[0])
 *   3. match keys no shape uses any more, removed rules and their counters
 *
 * A key's value is replaced in one write. When many keys change at once
 * (a restore, a renumbering), the new rules get shapes of their own (fresh
 * tuple ids): their keys are all new, and step 2 switches from the old
 * rules to the new ones in one write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "../xdplua/xdplua.h"
#include "store.h"

static const struct {
	const char *name;
	__u32 max;
} tables[] = {
	{ FWD_CONF, 1024 },
	{ FWD_RULES, MAX_RULES * 2 },
	{ FWD_MATCH, MAX_RULES * 2 },
	{ FWD_COUNT, MAX_RULES * 4 },
	{ "fwd.udp", 65536 },
	{ "fwd.tcp", 65536 },
	{ "fwd.icmp", 16384 },
	{ FWD_PORTS, 131072 },
	{ FWD_STATS, 64 },
};

/* Create the tables that do not exist yet, with their sizes. */
int store_open(struct genl *g)
{
	struct topts o = { .has_max = true };
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		o.max = tables[i].max;
		err = table_simple(g, XDPLUA_CMD_TABLE_NEW, tables[i].name,
				   NULL, NULL, &o);
		if (err && err != -EEXIST) {
			genl_fail(g, err, "cannot create table %s", tables[i].name);
			return err;
		}
	}
	return 0;
}

/* --- byte strings --------------------------------------------------------- */

static unsigned char *put8(unsigned char *p, unsigned int v)
{
	*p++ = v;
	return p;
}

static unsigned char *put16(unsigned char *p, unsigned int v)
{
	*p++ = v >> 8;
	*p++ = v;
	return p;
}

static unsigned char *put32(unsigned char *p, __u32 v)
{
	p = put16(p, v >> 16);
	return put16(p, v & 0xffff);
}

static unsigned char *put64(unsigned char *p, __u64 v)
{
	p = put32(p, v >> 32);
	return put32(p, v & 0xffffffff);
}

static __u64 get(const unsigned char *p, int n)
{
	__u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static __u32 mask(int len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

/* --- tables: requests ----------------------------------------------------- */

static int set_str(struct genl *g, const char *table, const struct tkey *k,
		   const void *val, size_t len)
{
	struct tval v = { .type = V_STR, .s = val, .len = len };

	return table_simple(g, XDPLUA_CMD_TABLE_SET, table, k, &v, NULL);
}

static int set_int(struct genl *g, const char *table, const struct tkey *k,
		   long long i)
{
	struct tval v = { .type = V_INT, .i = i };

	return table_simple(g, XDPLUA_CMD_TABLE_SET, table, k, &v, NULL);
}

static int del(struct genl *g, const char *table, const struct tkey *k)
{
	int err = table_simple(g, XDPLUA_CMD_TABLE_UNSET, table, k, NULL, NULL);

	return err == -ENOENT ? 0 : err;
}

static struct tkey ikey(long long i)
{
	return (struct tkey){ .is_int = true, .i = i };
}

static struct tkey skey(const void *s, size_t len)
{
	return (struct tkey){ .s = s, .len = len };
}

struct dump_ctx {
	int (*cb)(const struct tentry *e, void *data);
	void *data;
	int err;
};

static int dump_cb(const struct nlattr **tb, void *data)
{
	struct dump_ctx *c = data;
	struct tentry e;

	if (table_parse_entry(tb, &e))
		return -EBADMSG;
	if (!c->err)
		c->err = c->cb(&e, c->data);
	return 0;
}

int store_dump(struct genl *g, const char *table,
	       int (*cb)(const struct tentry *e, void *data), void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_DUMP);
	struct dump_ctx c = { cb, data, 0 };
	int err;

	nlh->nlmsg_flags = NLM_F_DUMP;
	mnl_attr_put_strz(nlh, XDPLUA_A_TABLE, table);
	err = genl_call(g, nlh, dump_cb, &c);
	return err ?: c.err;
}

/* --- reading -------------------------------------------------------------- */

static int conf_cb(const struct tentry *e, void *data)
{
	struct ruleset *rs = data;
	size_t i;

	if (e->key.is_int) {
		if (e->key.i == 0 && e->val.type == V_INT)
			rs->gen = e->val.i;
		return 0;
	}
	if (e->key.len == 7 && !memcmp(e->key.s, "next_id", 7) && e->val.type == V_INT &&
	    e->val.i > 0 && e->val.i < (1LL << 30))
		rs->next_id = e->val.i;
	if (e->key.len == 6 && !memcmp(e->key.s, "tuples", 6) && e->val.type == V_STR) {
		const unsigned char *p = (const unsigned char *)e->val.s;
		size_t n;

		for (n = 0; n + TUPLE_LEN <= e->val.len && rs->ntuples < MAX_TUPLES; n += TUPLE_LEN) {
			struct tuple *t = &rs->tuples[rs->ntuples++];

			t->id = get(p + n, 2);
			t->chain = p[n + 2];
			t->slen = p[n + 3];
			t->dlen = p[n + 4];
			t->flags = p[n + 5];
			t->first = (__s64)get(p + n + 6, 8);
		}
	}
	for (i = 0; i < ntimeouts; i++) {
		size_t l = strlen(timeout_names[i].name);

		if (e->key.len == 8 + l && !memcmp(e->key.s, "timeout.", 8) &&
		    !memcmp(e->key.s + 8, timeout_names[i].name, l) &&
		    e->val.type == V_INT)
			rs->timeouts[i] = e->val.i;
	}
	return 0;
}

static int add_rule(struct ruleset *rs, const struct rule *r)
{
	if (rs->n == rs->cap) {
		int cap = rs->cap ? 2 * rs->cap : 64;
		struct rule *grown = realloc(rs->rules, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		rs->rules = grown;
		rs->cap = cap;
	}
	rs->rules[rs->n++] = *r;
	return 0;
}

static int rules_cb(const struct tentry *e, void *data)
{
	struct ruleset *rs = data;
	char text[1100], *argv[64], *end, errbuf[256];
	struct cmdline c;
	long long prio;
	int argc;

	if (!e->key.is_int || e->val.type != V_STR || e->val.len >= sizeof(text) - 1)
		return 0;	/* not ours */
	memcpy(text, e->val.s, e->val.len);
	text[e->val.len] = '\0';
	prio = strtoll(text, &end, 10);
	if (end == text || *end != ' ')
		return 0;
	argv[0] = "xdpluatables";
	argc = split_line(end, argv + 1, 62);
	if (argc < 0 || parse_cmdline(argc + 1, argv, &c, true, errbuf, sizeof(errbuf)) ||
	    c.cmd != CMD_APPEND) {
		errmsg("warning: ignoring a stored rule that does not parse (id %lld: %s)",
		       e->key.i, errbuf);
		return 0;
	}
	c.rule.id = e->key.i;
	c.rule.prio = prio;
	return add_rule(rs, &c.rule) ? -ENOMEM : 0;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	if (x->chain != y->chain)
		return x->chain - y->chain;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int store_read(struct genl *g, struct ruleset *rs)
{
	int err;
	int i;

	memset(rs, 0, sizeof(*rs));
	rs->next_id = 1;
	err = store_dump(g, FWD_CONF, conf_cb, rs);
	if (err == -ENOENT)
		err = 0;
	if (!err)
		err = store_dump(g, FWD_RULES, rules_cb, rs);
	if (err == -ENOENT)
		err = 0;
	if (err) {
		genl_fail(g, err, "cannot read the rules");
		return err;
	}
	qsort(rs->rules, rs->n, sizeof(*rs->rules), rule_cmp);
	for (i = 0; i < rs->n; i++)
		if (rs->rules[i].id >= rs->next_id)
			rs->next_id = rs->rules[i].id + 1;
	return 0;
}

void ruleset_free(struct ruleset *rs)
{
	free(rs->rules);
	rs->rules = NULL;
	rs->n = rs->cap = 0;
}

int ruleset_copy(struct ruleset *dst, const struct ruleset *src)
{
	*dst = *src;
	dst->rules = NULL;
	dst->cap = dst->n = 0;
	if (!src->n)
		return 0;
	dst->rules = malloc(src->n * sizeof(*dst->rules));
	if (!dst->rules)
		return -ENOMEM;
	memcpy(dst->rules, src->rules, src->n * sizeof(*dst->rules));
	dst->n = dst->cap = src->n;
	return 0;
}

int chain_count(const struct ruleset *rs, enum chain c)
{
	int i, n = 0;

	for (i = 0; i < rs->n; i++)
		n += rs->rules[i].chain == c;
	return n;
}

/* The n-th rule (1-based) of chain c, or NULL. */
struct rule *chain_rule(struct ruleset *rs, enum chain c, int n)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i].chain == c && --n == 0)
			return &rs->rules[i];
	return NULL;
}

/* Give the rules of chain c priorities STEP, 2 STEP, ... */
static void renumber(struct ruleset *rs, enum chain c)
{
	__s64 prio = 0;
	int i;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i].chain == c)
			rs->rules[i].prio = prio += PRIO_STEP;
}

/*
 * Put r at position pos (1-based; 0: at the end) of its chain, with a
 * priority between its neighbours' and a new id. *renumbered when the
 * chain's priorities had to be spread again (many inserts at one place).
 */
int ruleset_insert(struct ruleset *rs, const struct rule *r, int pos,
		   bool *renumbered)
{
	int n = chain_count(rs, r->chain);
	struct rule *before, *after, nr = *r;

	*renumbered = false;
	if (pos <= 0 || pos > n)
		pos = n + 1;
	for (;;) {
		before = pos > 1 ? chain_rule(rs, r->chain, pos - 1) : NULL;
		after = pos <= n ? chain_rule(rs, r->chain, pos) : NULL;
		if (!before && !after)
			nr.prio = PRIO_STEP;
		else if (!after)
			nr.prio = before->prio + PRIO_STEP;
		else if (!before)
			nr.prio = after->prio - PRIO_STEP;
		else
			nr.prio = before->prio + (after->prio - before->prio) / 2;
		if ((!before || nr.prio > before->prio) &&
		    (!after || nr.prio < after->prio) &&
		    nr.prio > -(1LL << 60) && nr.prio < (1LL << 60))
			break;
		if (*renumbered)
			return -ERANGE;
		renumber(rs, r->chain);
		*renumbered = true;
	}
	nr.id = rs->next_id++;
	if (add_rule(rs, &nr))
		return -ENOMEM;
	rs->last_known = false;
	qsort(rs->rules, rs->n, sizeof(*rs->rules), rule_cmp);
	return 0;
}

/* Put r at the end of its chain, with a new id, without sorting: for
 * batches (restore), which call ruleset_sort() at the end.
 */
int ruleset_append(struct ruleset *rs, const struct rule *r)
{
	struct rule nr = *r;
	int i;

	if (!rs->last_known) {
		rs->last[CHAIN_PRE] = rs->last[CHAIN_POST] = 0;
		for (i = 0; i < rs->n; i++)
			if (rs->rules[i].prio > rs->last[rs->rules[i].chain])
				rs->last[rs->rules[i].chain] = rs->rules[i].prio;
		rs->last_known = true;
	}
	nr.prio = rs->last[r->chain] += PRIO_STEP;
	nr.id = rs->next_id++;
	return add_rule(rs, &nr) ? -ENOMEM : 0;
}

void ruleset_sort(struct ruleset *rs)
{
	qsort(rs->rules, rs->n, sizeof(*rs->rules), rule_cmp);
}

void ruleset_remove(struct ruleset *rs, struct rule *r)
{
	size_t i = r - rs->rules;

	memmove(r, r + 1, (rs->n - i - 1) * sizeof(*r));
	rs->n--;
}

/* --- committing ----------------------------------------------------------- */

struct kv {
	unsigned char key[KEY_LEN + IFNAMSIZ];
	size_t klen;
	const struct rule *first;	/* the rules of this key: first..first+n */
	int n;
	unsigned char *val;
	size_t vlen;
};

static bool same_shape(const struct tuple *t, const struct rule *r)
{
	return t->chain == (int)r->chain && t->slen == (r->has_src ? r->slen : 0) &&
	       t->dlen == (r->has_dst ? r->dlen : 0) && t->flags == tuple_flags(r);
}

static struct tuple *find_tuple(struct tuple *ts, int n, const struct rule *r)
{
	int i;

	for (i = 0; i < n; i++)
		if (same_shape(&ts[i], r))
			return &ts[i];
	return NULL;
}

static bool tuple_id_used(const struct tuple *ts, int n, __u16 id)
{
	int i;

	for (i = 0; i < n; i++)
		if (ts[i].id == id)
			return true;
	return false;
}

/* The shapes of new's rules: old ids kept unless fresh. */
static int assign_tuples(const struct ruleset *old, struct ruleset *new,
			 bool fresh)
{
	struct tuple ts[MAX_TUPLES];
	__u16 next = 1;
	int n = 0, i;

	for (i = 0; i < old->ntuples; i++)
		if (old->tuples[i].id >= next)
			next = old->tuples[i].id + 1;
	for (i = 0; i < new->n; i++) {
		const struct rule *r = &new->rules[i];
		struct tuple *t = find_tuple(ts, n, r), *o;

		if (t) {
			if (r->prio < t->first)
				t->first = r->prio;
			continue;
		}
		if (n == MAX_TUPLES) {
			errmsg("too many rule shapes (at most %d): rules that differ in which fields they match, their prefix lengths or their port ranges each make a shape",
			       MAX_TUPLES);
			return -ENOSPC;
		}
		t = &ts[n++];
		t->chain = r->chain;
		t->slen = r->has_src ? r->slen : 0;
		t->dlen = r->has_dst ? r->dlen : 0;
		t->flags = tuple_flags(r);
		t->first = r->prio;
		o = fresh ? NULL : find_tuple((struct tuple *)old->tuples, old->ntuples, r);
		if (o) {
			t->id = o->id;
			continue;
		}
		while (!next || tuple_id_used(old->tuples, old->ntuples, next) ||
		       tuple_id_used(ts, n - 1, next))
			next++;
		t->id = next++;
	}
	memcpy(new->tuples, ts, n * sizeof(*ts));
	new->ntuples = n;
	return 0;
}

static size_t rule_key(const struct rule *r, const struct tuple *t,
		       unsigned char *buf)
{
	unsigned char *p = buf;
	int f = t->flags;
	const char *ifn = rule_iface(r);

	p = put16(p, t->id);
	p = put32(p, r->has_src ? r->src & mask(r->slen) : 0);
	p = put32(p, r->has_dst ? r->dst & mask(r->dlen) : 0);
	p = put8(p, f & F_PROTO ? r->proto : 0);
	p = put16(p, f & F_SPORT ? r->splo : 0);
	p = put16(p, f & F_DPORT ? r->dplo : 0);
	if (f & F_IFACE) {
		memcpy(p, ifn, strlen(ifn));
		p += strlen(ifn);
	}
	return p - buf;
}

static unsigned char *rule_record(const struct rule *r, unsigned char *p)
{
	p = put64(p, (__u64)r->prio);
	p = put32(p, r->id);
	p = put8(p, r->target);
	p = put16(p, r->splo);
	p = put16(p, r->sphi);
	p = put16(p, r->dplo);
	p = put16(p, r->dphi);
	p = put32(p, r->nat_addr);
	p = put16(p, r->nat_port);
	return put8(p, r->has_nat_port ? NAT_PORT : 0);
}

static int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->first->prio < y->first->prio ? -1 : x->first->prio > y->first->prio;
}

/* The match entries of a rule set: sorted keys, with their values. */
static int build_keys(const struct ruleset *rs, struct kv **out, int *count)
{
	struct kv *all, *keys;
	int i, j, n = 0;

	*out = NULL;
	*count = 0;
	if (!rs->n)
		return 0;
	all = calloc(rs->n, sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		const struct tuple *t = find_tuple((struct tuple *)rs->tuples, rs->ntuples, r);

		if (!t)
			continue;	/* an old rule of a lost shape: no key */
		all[n].klen = rule_key(r, t, all[n].key);
		all[n].first = r;
		all[n].n = 1;
		n++;
	}
	qsort(all, n, sizeof(*all), kv_cmp);
	keys = all;
	for (i = 0, j = -1; i < n; i++) {
		if (j >= 0 && keys[j].klen == all[i].klen &&
		    !memcmp(keys[j].key, all[i].key, all[i].klen)) {
			keys[j].n++;
			continue;
		}
		keys[++j] = all[i];
	}
	n = j + 1;
	/* the values: the records of each key's rules, by priority */
	for (i = 0; i < n; i++) {
		unsigned char *p;

		if (keys[i].n > MAX_SAME_KEY) {
			char text[512];

			rule_format(keys[i].first, text, sizeof(text));
			errmsg("too many rules (%d, at most %d) match the same addresses, protocol, single ports and interface as '%s'",
			       keys[i].n, MAX_SAME_KEY, text);
			for (j = 0; j < i; j++)
				free(keys[j].val);
			free(keys);
			return -ENOSPC;
		}
		keys[i].val = p = malloc(keys[i].n * RULE_LEN);
		if (!p) {
			for (j = 0; j < i; j++)
				free(keys[j].val);
			free(keys);
			return -ENOMEM;
		}
		keys[i].vlen = keys[i].n * RULE_LEN;
	}
	/* fill: walk the rules in priority order, append to their key */
	{
		size_t *used = calloc(n ? n : 1, sizeof(*used));

		if (!used) {
			for (j = 0; j < n; j++)
				free(keys[j].val);
			free(keys);
			return -ENOMEM;
		}
		for (i = 0; i < rs->n; i++) {
			const struct rule *r = &rs->rules[i];
			const struct tuple *t = find_tuple((struct tuple *)rs->tuples,
							   rs->ntuples, r);
			unsigned char key[KEY_LEN + IFNAMSIZ];
			size_t klen;
			int lo = 0, hi = n - 1, at = -1;

			if (!t)
				continue;
			klen = rule_key(r, t, key);
			while (lo <= hi) {
				int mid = (lo + hi) / 2;
				size_t m = klen < keys[mid].klen ? klen : keys[mid].klen;
				int c = memcmp(key, keys[mid].key, m);

				if (!c && klen != keys[mid].klen)
					c = klen < keys[mid].klen ? -1 : 1;
				if (!c) {
					at = mid;
					break;
				}
				if (c < 0)
					hi = mid - 1;
				else
					lo = mid + 1;
			}
			if (at < 0)
				continue;
			rule_record(r, keys[at].val + used[at]);
			used[at] += RULE_LEN;
		}
		free(used);
	}
	*out = keys;
	*count = n;
	return 0;
}

static void free_keys(struct kv *keys, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(keys[i].val);
	free(keys);
}

static int key_cmp(const struct kv *x, const struct kv *y)
{
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static void tuples_value(const struct ruleset *rs, unsigned char *buf,
			 size_t *len)
{
	struct tuple ts[MAX_TUPLES];
	unsigned char *p = buf;
	int i, j;

	/* by chain, then by the priority of their first rule */
	memcpy(ts, rs->tuples, rs->ntuples * sizeof(*ts));
	for (i = 1; i < rs->ntuples; i++)
		for (j = i; j > 0 && (ts[j - 1].chain > ts[j].chain ||
				      (ts[j - 1].chain == ts[j].chain &&
				       ts[j - 1].first > ts[j].first)); j--) {
			struct tuple t = ts[j];

			ts[j] = ts[j - 1];
			ts[j - 1] = t;
		}
	for (i = 0; i < rs->ntuples; i++) {
		p = put16(p, ts[i].id);
		p = put8(p, ts[i].chain);
		p = put8(p, ts[i].slen);
		p = put8(p, ts[i].dlen);
		p = put8(p, ts[i].flags);
		p = put64(p, (__u64)ts[i].first);
	}
	*len = p - buf;
}

/* The rules of a set by id, for find_id(). */
struct by_id {
	const struct rule **r;
	int n;
};

static int id_cmp(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule **)a, *y = *(const struct rule **)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int index_ids(const struct ruleset *rs, struct by_id *ix)
{
	int i;

	ix->n = rs->n;
	ix->r = malloc((rs->n ? rs->n : 1) * sizeof(*ix->r));
	if (!ix->r)
		return -ENOMEM;
	for (i = 0; i < rs->n; i++)
		ix->r[i] = &rs->rules[i];
	qsort(ix->r, ix->n, sizeof(*ix->r), id_cmp);
	return 0;
}

static const struct rule *find_id(const struct by_id *ix, __u32 id)
{
	int lo = 0, hi = ix->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ix->r[mid]->id == id)
			return ix->r[mid];
		if (ix->r[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static int set_rule_text(struct genl *g, const struct rule *r)
{
	char text[600];
	int n;
	struct tkey k = ikey(r->id);

	n = snprintf(text, sizeof(text), "%lld ", (long long)r->prio);
	rule_format(r, text + n, sizeof(text) - n);
	return set_str(g, FWD_RULES, &k, text, strlen(text));
}

int store_bump(struct genl *g, long long gen)
{
	struct tkey k = ikey(0);

	return set_int(g, FWD_CONF, &k, gen + 1);
}

int store_commit(struct genl *g, const struct ruleset *old,
		 struct ruleset *new, bool fresh)
{
	struct kv *ok = NULL, *nk = NULL;
	struct by_id oix = { 0 }, nix = { 0 };
	int on = 0, nn = 0, i, j, err;
	unsigned char tv[MAX_TUPLES * TUPLE_LEN], otv[MAX_TUPLES * TUPLE_LEN];
	size_t tlen, otlen;
	struct tkey k;

	err = assign_tuples(old, new, fresh);
	if (!err)
		err = index_ids(old, &oix);
	if (!err)
		err = index_ids(new, &nix);
	if (!err)
		err = build_keys(old, &ok, &on);
	if (!err)
		err = build_keys(new, &nk, &nn);
	if (err)
		goto out;

	/* 1. rule texts, new and changed keys */
	k = skey("next_id", 7);
	err = set_int(g, FWD_CONF, &k, new->next_id);
	for (i = 0; !err && i < new->n; i++) {
		const struct rule *o = find_id(&oix, new->rules[i].id);

		if (!o || o->prio != new->rules[i].prio || !rule_same(o, &new->rules[i]))
			err = set_rule_text(g, &new->rules[i]);
	}
	for (i = 0, j = 0; !err && j < nn; j++) {
		int c = 1;

		while (i < on && (c = key_cmp(&ok[i], &nk[j])) < 0)
			i++;
		if (i < on && c == 0 && ok[i].vlen == nk[j].vlen &&
		    !memcmp(ok[i].val, nk[j].val, nk[j].vlen))
			continue;
		k = skey(nk[j].key, nk[j].klen);
		err = set_str(g, FWD_MATCH, &k, nk[j].val, nk[j].vlen);
	}
	if (err)
		goto fail;

	/* 2. the shapes, then the generation */
	tuples_value(new, tv, &tlen);
	tuples_value(old, otv, &otlen);
	if (tlen != otlen || memcmp(tv, otv, tlen)) {
		k = skey("tuples", 6);
		err = set_str(g, FWD_CONF, &k, tv, tlen);
	}
	if (!err)
		err = store_bump(g, old->gen);
	if (err)
		goto fail;
	new->gen = old->gen + 1;

	/* 3. what is left of the old rules */
	for (i = 0, j = 0; !err && i < on; i++) {
		int c = -1;

		while (j < nn && (c = key_cmp(&nk[j], &ok[i])) < 0)
			j++;
		if (j < nn && c == 0)
			continue;
		k = skey(ok[i].key, ok[i].klen);
		err = del(g, FWD_MATCH, &k);
	}
	for (i = 0; !err && i < old->n; i++) {
		__u32 id = old->rules[i].id;

		if (find_id(&nix, id))
			continue;
		k = ikey(id);
		err = del(g, FWD_RULES, &k);
		k = ikey(2LL * id);
		if (!err)
			err = del(g, FWD_COUNT, &k);
		k = ikey(2LL * id + 1);
		if (!err)
			err = del(g, FWD_COUNT, &k);
	}
	if (err)
		genl_fail(g, err, "the new rules are in place, but removing the old ones failed");
	goto out;
fail:
	genl_fail(g, err, "cannot store the rules");
out:
	free(oix.r);
	free(nix.r);
	free_keys(ok, on);
	free_keys(nk, nn);
	return err;
}

static int count_cb(const struct tentry *e, void *data)
{
	struct {
		unsigned long long *c;
		__u32 max;
	} *x = data;

	if (!e->key.is_int || e->val.type != V_INT || e->key.i < 0 ||
	    e->key.i >= 2LL * x->max + 2)
		return 0;
	x->c[e->key.i] = e->val.i;
	return 0;
}

/* Packet and byte counters: counts[2 * id], counts[2 * id + 1]. */
int store_counters(struct genl *g, unsigned long long **counts, __u32 *max_id)
{
	struct {
		unsigned long long *c;
		__u32 max;
	} x = { calloc(2 * (size_t)*max_id + 2, sizeof(**counts)), *max_id };
	int err;

	if (!x.c)
		return -ENOMEM;
	err = store_dump(g, FWD_COUNT, count_cb, &x);
	if (err == -ENOENT)
		err = 0;
	if (err) {
		genl_fail(g, err, "cannot read the counters");
		free(x.c);
		return err;
	}
	*counts = x.c;
	return 0;
}

int store_set_timeouts(struct genl *g, const struct ruleset *rs)
{
	char name[32];
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ntimeouts; i++) {
		struct tkey k;

		if (!rs->timeouts[i])
			continue;
		snprintf(name, sizeof(name), "timeout.%s", timeout_names[i].name);
		k = skey(name, strlen(name));
		err = set_int(g, FWD_CONF, &k, rs->timeouts[i]);
	}
	if (!err)
		err = store_bump(g, rs->gen);
	if (err)
		genl_fail(g, err, "cannot set the timeouts");
	return err;
}
