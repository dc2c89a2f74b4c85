// SPDX-License-Identifier: GPL-2.0
/*
 * Shared tables: hash tables of typed keys and values, shared by every CPU
 * and every script, read and written from XDP context and from netlink.
 *
 * Each table has a fixed array of buckets (sized from its maximum entry
 * count at creation, never resized), each an RCU hlist with a spinlock for
 * writers. Readers take no lock. Writers never sleep: entries are allocated
 * before the bucket lock is taken (GFP_ATOMIC from XDP) and freed with
 * kfree_rcu(). An integer value is an atomic64_t updated in place, so
 * concurrent adds from all CPUs never lose an increment; any other change
 * of value replaces the entry (hlist_replace_rcu keeps its position).
 *
 * Expiry is checked on read: an expired entry reads as absent; writers
 * remove the expired entries of the bucket they lock, and dumps and flushes
 * remove them too.
 *
 * The registry of tables (by namespace and name) is a list under a mutex,
 * used at script load time and by netlink only, never per packet: scripts
 * keep handles. A namespace has at most XDPLUA_MAX_TABLES tables; each costs
 * its bucket array (a quarter of its maximum entry count, 16 to 2^18
 * buckets) from creation on.
 */
#include "port.h"
#include "xdplua.h"

struct tbucket {
	struct hlist_head head;
	spinlock_t lock;
};

struct tentry {
	struct hlist_node node;
	struct rcu_head rcu;
	u64 expires;		/* jiffies_64, 0: never */
	atomic64_t ival;	/* XDPLUA_TVAL_INT and _BOOL */
	s64 ikey;		/* XDPLUA_TKEY_INT */
	u32 hash;
	u32 size;		/* bytes allocated, for the accounting */
	u16 klen;		/* XDPLUA_TKEY_STR: key bytes at data */
	u16 vlen;		/* XDPLUA_TVAL_STR: value bytes after the key */
	u8 ktype;
	u8 vtype;
	char data[];
};

static LIST_HEAD(tables);
DEFINE_MUTEX(xdplua_tables_lock);

static inline bool table_in(const struct xdplua_table *t, const struct net *net)
{
	return net_eq(read_pnet(&t->net), net);
}

static inline const char *entry_str(const struct tentry *e)
{
	return e->data + e->klen;
}

static u32 key_hash(const struct xdplua_table *t, const struct xdplua_tkey *k)
{
	if (k->type == XDPLUA_TKEY_INT)
		return jhash_2words((u32)k->i, (u32)((u64)k->i >> 32), t->seed);
	return jhash(k->s, k->len, t->seed ^ 0x5bd1e995);
}

static bool key_eq(const struct tentry *e, const struct xdplua_tkey *k,
		   u32 hash)
{
	if (e->hash != hash || e->ktype != k->type)
		return false;
	if (k->type == XDPLUA_TKEY_INT)
		return e->ikey == k->i;
	return e->klen == k->len && !memcmp(e->data, k->s, k->len);
}

static inline bool expired(const struct tentry *e, u64 now)
{
	u64 exp = READ_ONCE(e->expires);

	return exp && time_after_eq64(now, exp);
}

static u64 expiry(u32 ttl)
{
	return ttl ? get_jiffies_64() + (u64)ttl * HZ : 0;
}

static inline struct tbucket *bucket(const struct xdplua_table *t, u32 hash)
{
	return &t->buckets[hash & t->mask];
}

/* --- the registry -------------------------------------------------------- */

/* Caller holds xdplua_tables_lock. -ENOSPC when net has its maximum. */
static struct xdplua_table *table_new(struct net *net, const char *name,
				      u32 max, int *err)
{
	struct xdplua_table *t;
	unsigned int count = 0;
	u32 n, i;

	list_for_each_entry(t, &tables, list)
		count += table_in(t, net);
	if (count >= XDPLUA_MAX_TABLES) {
		*err = -ENOSPC;
		return NULL;
	}
	*err = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	n = roundup_pow_of_two(clamp_t(u32, max / 4, 16, 1 << 18));
	t->buckets = kvcalloc(n, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets) {
		kfree(t);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		INIT_HLIST_HEAD(&t->buckets[i].head);
		spin_lock_init(&t->buckets[i].lock);
	}
	strscpy(t->name, name, sizeof(t->name));
	write_pnet(&t->net, net);
	t->mask = n - 1;
	t->max = max;
	t->seed = get_random_u32();
	t->base_bytes = sizeof(*t) + n * sizeof(*t->buckets);
	list_add_tail(&t->list, &tables);
	return t;
}

/* Caller holds xdplua_tables_lock. */
struct xdplua_table *xdplua_table_find(struct net *net, const char *name)
{
	struct xdplua_table *t;

	lockdep_assert_held(&xdplua_tables_lock);
	list_for_each_entry(t, &tables, list)
		if (table_in(t, net) && !strcmp(t->name, name))
			return t;
	return NULL;
}

/* Caller holds xdplua_tables_lock: net's table at or after *pos. */
struct xdplua_table *xdplua_table_next(struct net *net, unsigned long *pos)
{
	struct xdplua_table *t;
	unsigned long i = 0;

	list_for_each_entry(t, &tables, list)
		if (i++ >= *pos && table_in(t, net)) {
			*pos = i;
			return t;
		}
	return NULL;
}

/* Create a table; -EEXIST if there is one of that name, -ENOSPC if net has
 * XDPLUA_MAX_TABLES. Holds the lock.
 */
int xdplua_table_create(struct net *net, const char *name, u32 max)
{
	int err;

	if (!max || max > XDPLUA_TABLE_MAX_ENTRIES)
		return -ERANGE;
	if (xdplua_table_find(net, name))
		return -EEXIST;
	return table_new(net, name, max, &err) ? 0 : err;
}

/* A handle for a script: net's table of that name, created with the
 * default maximum if there is none. Process context (script load).
 */
struct xdplua_table *xdplua_table_open(struct net *net, const char *name,
				       int *err)
{
	struct xdplua_table *t;

	mutex_lock(&xdplua_tables_lock);
	t = xdplua_table_find(net, name);
	if (!t)
		t = table_new(net, name, XDPLUA_TABLE_DEFAULT_MAX, err);
	if (t)
		atomic_inc(&t->users);
	mutex_unlock(&xdplua_tables_lock);
	return t;
}

/* Drop a script's handle. Any context: the table stays in the registry. */
void xdplua_table_close(struct xdplua_table *t)
{
	atomic_dec(&t->users);
}

static void unlink_entry(struct xdplua_table *t, struct tentry *e)
{
	hlist_del_rcu(&e->node);
	atomic_dec(&t->count);
	atomic_long_sub(e->size, &t->bytes);
	kfree_rcu(e, rcu);
}

/* Remove every entry (all of them, or the expired ones only). */
static void clear(struct xdplua_table *t, bool only_expired)
{
	u64 now = get_jiffies_64();
	struct hlist_node *tmp;
	struct tentry *e;
	u32 i;

	for (i = 0; i <= t->mask; i++) {
		struct tbucket *b = &t->buckets[i];

		if (hlist_empty(&b->head))
			continue;
		spin_lock_bh(&b->lock);
		hlist_for_each_entry_safe(e, tmp, &b->head, node)
			if (!only_expired || expired(e, now))
				unlink_entry(t, e);
		spin_unlock_bh(&b->lock);
		if (!(i & 1023))
			cond_resched();
	}
}

void xdplua_table_flush(struct xdplua_table *t)
{
	clear(t, false);
}

void xdplua_table_sweep(struct xdplua_table *t)
{
	clear(t, true);
}

/*
 * Destroy a table no script holds: its entries and buckets are freed.
 * Holds the lock. -EBUSY while loaded scripts hold handles.
 */
int xdplua_table_destroy(struct xdplua_table *t)
{
	if (atomic_read(&t->users))
		return -EBUSY;
	list_del(&t->list);
	clear(t, false);
	kvfree(t->buckets);
	kfree(t);
	return 0;
}

/* Module exit, or the namespace net going away (NULL: every table): no
 * script of theirs is left.
 */
static void destroy_all(struct net *net)
{
	struct xdplua_table *t, *tmp;

	mutex_lock(&xdplua_tables_lock);
	list_for_each_entry_safe(t, tmp, &tables, list) {
		if (net && !table_in(t, net))
			continue;
		atomic_set(&t->users, 0);
		xdplua_table_destroy(t);
	}
	mutex_unlock(&xdplua_tables_lock);
}

void xdplua_tables_net_exit(struct net *net)
{
	destroy_all(net);
}

void xdplua_tables_exit(void)
{
	destroy_all(NULL);
	rcu_barrier();
}

size_t xdplua_table_bytes(const struct xdplua_table *t)
{
	return t->base_bytes + atomic_long_read(&t->bytes);
}

/* --- entries ------------------------------------------------------------- */

static struct tentry *find_rcu(struct xdplua_table *t,
			       const struct xdplua_tkey *k, u32 hash)
{
	struct tentry *e;

	hlist_for_each_entry_rcu(e, &bucket(t, hash)->head, node)
		if (key_eq(e, k, hash))
			return e;
	return NULL;
}

/* Copy an entry's value out; strings into buf (XDPLUA_TABLE_STR_MAX). */
static void read_value(const struct tentry *e, struct xdplua_tval *v,
		       char *buf)
{
	v->type = e->vtype;
	if (e->vtype == XDPLUA_TVAL_STR) {
		memcpy(buf, entry_str(e), e->vlen);
		v->s = buf;
		v->len = e->vlen;
	} else {
		v->i = atomic64_read(&e->ival);
	}
}

/* Remaining seconds, rounded up; -1: never expires. */
static s64 ttl_left(const struct tentry *e, u64 now)
{
	u64 exp = READ_ONCE(e->expires);

	if (!exp)
		return -1;
	return DIV_ROUND_UP_ULL(exp - now, HZ);
}

/*
 * Look a key up: 0 and the value (strings copied into buf), or -ENOENT.
 * ttl, if not NULL, gets the remaining seconds (-1: no expiry). Lock-free.
 */
int xdplua_table_lookup(struct xdplua_table *t, const struct xdplua_tkey *k,
			struct xdplua_tval *v, char *buf, s64 *ttl)
{
	u32 hash = key_hash(t, k);
	u64 now = get_jiffies_64();
	struct tentry *e;
	int ret = -ENOENT;

	rcu_read_lock();
	e = find_rcu(t, k, hash);
	if (e && !expired(e, now)) {
		read_value(e, v, buf);
		if (ttl)
			*ttl = ttl_left(e, now);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

static struct tentry *entry_alloc(const struct xdplua_tkey *k, u32 hash,
				  const struct xdplua_tval *v, u32 ttl, gfp_t gfp)
{
	size_t klen = k->type == XDPLUA_TKEY_STR ? k->len : 0;
	size_t vlen = v->type == XDPLUA_TVAL_STR ? v->len : 0;
	size_t size = sizeof(struct tentry) + klen + vlen;
	struct tentry *e;

	e = kmalloc(size, gfp | __GFP_NOWARN);
	if (!e)
		return NULL;
	e->size = ksize(e);
	e->hash = hash;
	e->ktype = k->type;
	e->klen = klen;
	e->ikey = k->type == XDPLUA_TKEY_INT ? k->i : 0;
	if (klen)
		memcpy(e->data, k->s, klen);
	e->vtype = v->type;
	e->vlen = vlen;
	if (vlen)
		memcpy(e->data + klen, v->s, vlen);
	atomic64_set(&e->ival, v->type == XDPLUA_TVAL_STR ? 0 : v->i);
	e->expires = expiry(ttl);
	return e;
}

/*
 * Under the bucket lock: the live entry of key k, removing the expired
 * entries met on the way.
 */
static struct tentry *find_locked(struct xdplua_table *t, struct tbucket *b,
				  const struct xdplua_tkey *k, u32 hash, u64 now)
{
	struct tentry *e, *found = NULL;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(e, tmp, &b->head, node) {
		if (expired(e, now))
			unlink_entry(t, e);
		else if (!found && key_eq(e, k, hash))
			found = e;
	}
	return found;
}

/* Insert n (a new key) under the bucket lock, if the table has room. */
static int insert_locked(struct xdplua_table *t, struct tbucket *b,
			 struct tentry *n)
{
	if (atomic_inc_return(&t->count) > t->max) {
		atomic_dec(&t->count);
		return -ENOSPC;
	}
	atomic_long_add(n->size, &t->bytes);
	hlist_add_tail_rcu(&n->node, &b->head);
	return 0;
}

/*
 * Set k to v, expiring in ttl seconds (0: never). -ENOSPC if k is new and
 * the table is full, -ENOMEM. Never sleeps with GFP_ATOMIC.
 */
int xdplua_table_set(struct xdplua_table *t, const struct xdplua_tkey *k,
		     const struct xdplua_tval *v, u32 ttl, gfp_t gfp)
{
	u32 hash = key_hash(t, k);
	struct tbucket *b = bucket(t, hash);
	struct tentry *e, *n = NULL;
	int ret = 0;

	/* Integers and booleans over a value of the same type: in place. */
	if (v->type != XDPLUA_TVAL_STR) {
		rcu_read_lock();
		e = find_rcu(t, k, hash);
		if (e && e->vtype == v->type && !expired(e, get_jiffies_64())) {
			atomic64_set(&e->ival, v->i);
			WRITE_ONCE(e->expires, expiry(ttl));
			rcu_read_unlock();
			return 0;
		}
		rcu_read_unlock();
	}
	n = entry_alloc(k, hash, v, ttl, gfp);
	if (!n)
		return -ENOMEM;
	spin_lock_bh(&b->lock);
	e = find_locked(t, b, k, hash, get_jiffies_64());
	if (e) {
		atomic_long_add(n->size, &t->bytes);
		atomic_long_sub(e->size, &t->bytes);
		hlist_replace_rcu(&e->node, &n->node);
		kfree_rcu(e, rcu);
	} else {
		ret = insert_locked(t, b, n);
	}
	spin_unlock_bh(&b->lock);
	if (ret)
		kfree(n);
	return ret;
}

/*
 * Add delta to k's integer value, atomically; a missing key starts from 0
 * (and then expires in ttl seconds, 0: never). -EINVAL if the value is not
 * an integer, -ENOSPC if the table is full, -ENOMEM.
 */
int xdplua_table_add(struct xdplua_table *t, const struct xdplua_tkey *k,
		     s64 delta, u32 ttl, s64 *result, gfp_t gfp)
{
	struct xdplua_tval v = { .type = XDPLUA_TVAL_INT, .i = delta };
	u32 hash = key_hash(t, k);
	struct tbucket *b = bucket(t, hash);
	struct tentry *e, *n;
	int ret = 0;

	rcu_read_lock();
	e = find_rcu(t, k, hash);
	if (e && !expired(e, get_jiffies_64())) {
		if (e->vtype != XDPLUA_TVAL_INT)
			ret = -EINVAL;
		else
			*result = atomic64_add_return(delta, &e->ival);
		rcu_read_unlock();
		return ret;
	}
	rcu_read_unlock();

	n = entry_alloc(k, hash, &v, ttl, gfp);
	if (!n)
		return -ENOMEM;
	spin_lock_bh(&b->lock);
	e = find_locked(t, b, k, hash, get_jiffies_64());
	if (e) {		/* another CPU created it meanwhile */
		if (e->vtype != XDPLUA_TVAL_INT)
			ret = -EINVAL;
		else
			*result = atomic64_add_return(delta, &e->ival);
	} else {
		ret = insert_locked(t, b, n);
		if (!ret) {
			*result = delta;
			n = NULL;
		}
	}
	spin_unlock_bh(&b->lock);
	kfree(n);
	return ret;
}

/* Remove k: 0, or -ENOENT if it was not there (or had expired). */
int xdplua_table_delete(struct xdplua_table *t, const struct xdplua_tkey *k)
{
	u32 hash = key_hash(t, k);
	struct tbucket *b = bucket(t, hash);
	struct tentry *e;

	spin_lock_bh(&b->lock);
	e = find_locked(t, b, k, hash, get_jiffies_64());
	if (e)
		unlink_entry(t, e);
	spin_unlock_bh(&b->lock);
	return e ? 0 : -ENOENT;
}

/*
 * Iterate: the live entry at position *pos of bucket *bkt, or the next one
 * after it; on success *bkt and *pos name the entry after it. The key and
 * value are copied (strings into kbuf, of XDPLUA_TABLE_KEY_MAX bytes, and
 * vbuf). Returns 0, or -ENOENT at the end. Lock-free: entries that stay in
 * the table for the whole iteration are seen once (inserts go to the tail
 * of a bucket, replacements keep the position); a concurrent delete in the
 * bucket being walked may make one entry be skipped. scanned, if not NULL,
 * gets the number of buckets walked past (the cost of the call).
 */
int xdplua_table_iter(struct xdplua_table *t, u32 *bkt, u32 *pos,
		      struct xdplua_tkey *k, char *kbuf,
		      struct xdplua_tval *v, char *vbuf, s64 *ttl, u32 *scanned)
{
	u32 first = *bkt;
	u64 now = get_jiffies_64();
	struct tentry *e;
	u32 i;

	rcu_read_lock();
	for (; *bkt <= t->mask; (*bkt)++, *pos = 0) {
		if (scanned)
			*scanned = *bkt - first;
		i = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[*bkt].head, node) {
			if (i++ < *pos || expired(e, now))
				continue;
			k->type = e->ktype;
			if (e->ktype == XDPLUA_TKEY_INT) {
				k->i = e->ikey;
			} else {
				memcpy(kbuf, e->data, e->klen);
				k->s = kbuf;
				k->len = e->klen;
			}
			read_value(e, v, vbuf);
			if (ttl)
				*ttl = ttl_left(e, now);
			*pos = i;
			rcu_read_unlock();
			return 0;
		}
	}
	rcu_read_unlock();
	return -ENOENT;
}
