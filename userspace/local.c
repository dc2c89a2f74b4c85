// SPDX-License-Identifier: GPL-2.0
/*
 * libxdplua (libxdplua.h): the module's runtime files, built on the
 * userspace port layer, behind the module's control plane's checks, with
 * the packet frames of a BPF_PROG_TEST_RUN.
 */
#include "port.h"
#include "xdplua.h"
#include "lua.h"
#include "libxdplua.h"

#include <stdlib.h>

/* A test run's frame: one page, XDP_PACKET_HEADROOM before the data. */
#define FRAME_SIZE	4096
#define FRAME_TAILROOM	SKB_DATA_ALIGN(XDPLUA_SKB_SHARED_INFO_SIZE)

struct xdplua_frame {
	struct xdp_buff xdp;
	struct xdp_rxq_info rxq;
	struct net_device dev;
	u8 *page;
	u8 *frags;		/* the bytes past the linear part */
	size_t frags_len;
};

/* The possible CPUs of this machine, as the kernel counts them. */
static unsigned int possible_cpus(void)
{
	unsigned int lo, hi, n = 0;
	char buf[256], *p;
	FILE *f;

	f = fopen("/sys/devices/system/cpu/possible", "r");
	if (!f)
		return 1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (p = buf; *p && *p != '\n'; ) {
		if (sscanf(p, "%u-%u", &lo, &hi) == 2)
			n = hi + 1 > n ? hi + 1 : n;
		else if (sscanf(p, "%u", &lo) == 1)
			n = lo + 1 > n ? lo + 1 : n;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return n ? n : 1;
}

int xdplua_local_init(unsigned int ncpus)
{
	xdplua_port_set_cpus(ncpus ? ncpus : possible_cpus());
	xdplua_port_init();
	return 0;
}

unsigned int xdplua_local_cpus(void)
{
	return nr_cpu_ids;
}

void xdplua_local_set_cpu(unsigned int cpu)
{
	xdplua_port_set_cpu(cpu);
}

void xdplua_local_seed(uint64_t seed)
{
	xdplua_port_seed(seed);
}

void xdplua_local_set_log(void (*log)(int level, const char *line))
{
	xdplua_port_set_log(log);
}

void xdplua_local_interrupt(void)
{
	xdplua_port_interrupted = 1;
}

void xdplua_local_exit(void)
{
	xdplua_tables_exit();
}

/* --- scripts ------------------------------------------------------------- */

/* Script, file and table names: [a-zA-Z0-9_.-]+, as netlink.c checks. */
static bool valid_name(const char *name, size_t max)
{
	size_t n = strlen(name);

	return n && n < max &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-") == n;
}

static void free_files(struct xdplua_file *files, unsigned int nfiles,
		       char *source)
{
	unsigned int i;

	for (i = 0; files && i < nfiles; i++)
		kfree(files[i].name);
	kfree(files);
	kvfree(source);
}

struct xdplua_script *xdplua_local_load(const struct xdplua_local_opts *o,
					char *err, size_t errlen)
{
	u32 mem = o->mem_budget ? o->mem_budget : XDPLUA_DEFAULT_MEM_BUDGET;
	u32 insn = o->insn_budget ? o->insn_budget : XDPLUA_DEFAULT_INSN_BUDGET;
	u32 time = o->time_budget ? o->time_budget : XDPLUA_DEFAULT_TIME_BUDGET;
	const char *entry = o->entry ? o->entry : "callback";
	struct xdplua_file *files;
	struct xdplua_script *s;
	size_t total = 0, off = 0;
	char *source;
	unsigned int i, j;

	/* the checks of the module's LOAD command (netlink.c) */
	if (!o->name || !valid_name(o->name, XDPLUA_NAME_MAX)) {
		strscpy(err, "invalid script name (letters, digits, '_', '.', '-')", errlen);
		return NULL;
	}
	if (strlen(entry) >= XDPLUA_ENTRY_MAX) {
		strscpy(err, "the entry function name is too long", errlen);
		return NULL;
	}
	if (o->has_fallback && o->fallback > XDP_TX) {
		strscpy(err, "invalid fallback verdict", errlen);
		return NULL;
	}
	if (insn < XDPLUA_INSN_BUDGET_MIN || insn > XDPLUA_INSN_BUDGET_MAX ||
	    mem < XDPLUA_MEM_BUDGET_MIN || mem > XDPLUA_MEM_BUDGET_MAX ||
	    time < XDPLUA_TIME_BUDGET_MIN || time > XDPLUA_TIME_BUDGET_MAX) {
		strscpy(err, "integer out of range", errlen);
		return NULL;
	}
	if (!o->nfiles) {
		strscpy(err, "no script file", errlen);
		return NULL;
	}
	if (o->nfiles > XDPLUA_MAX_FILES) {
		snprintf(err, errlen, "too many files (at most %d)", XDPLUA_MAX_FILES);
		return NULL;
	}
	for (i = 0; i < o->nfiles; i++) {
		if (!valid_name(o->files[i].name, 64) ||
		    !strcmp(o->files[i].name, ".") || !strcmp(o->files[i].name, "..")) {
			strscpy(err, "invalid file name", errlen);
			return NULL;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(o->files[i].name, o->files[j].name)) {
				strscpy(err, "two files of the same name", errlen);
				return NULL;
			}
		}
		total += o->files[i].len;
	}
	if (total > XDPLUA_SOURCE_MAX) {
		strscpy(err, "script too large", errlen);
		return NULL;
	}

	files = kcalloc(o->nfiles, sizeof(*files), GFP_KERNEL);
	source = kvmalloc(total + 1, GFP_KERNEL);
	if (!files || !source)
		goto nomem;
	for (i = 0; i < o->nfiles; i++) {
		files[i].name = kstrdup(o->files[i].name, GFP_KERNEL);
		if (!files[i].name)
			goto nomem;
		memcpy(source + off, o->files[i].data, o->files[i].len);
		files[i].data = source + off;
		files[i].len = o->files[i].len;
		off += o->files[i].len;
	}
	source[off] = '\0';
	s = xdplua_script_create(&init_net, o->name, entry,
				 o->has_fallback ? o->fallback : XDP_PASS,
				 insn, mem, time, files, o->nfiles, source, total,
				 err, errlen);
	if (!s)
		free_files(files, o->nfiles, source);
	return s;
nomem:
	free_files(files, o->nfiles, source);
	strscpy(err, "not enough memory", errlen);
	return NULL;
}

void xdplua_local_unload(struct xdplua_script *s)
{
	if (s)
		xdplua_script_destroy(s);
}

void xdplua_local_stats(struct xdplua_script *s, uint64_t *stats)
{
	xdplua_script_stats(s, (u64 *)stats);
}

void xdplua_local_last_error(struct xdplua_script *s, char *buf, size_t size)
{
	unsigned long flags = 0;

	spin_lock_irqsave(&s->error_lock, flags);
	strscpy(buf, s->last_error, size);
	spin_unlock_irqrestore(&s->error_lock, flags);
}

size_t xdplua_local_mem(struct xdplua_script *s)
{
	return xdplua_script_mem(s);
}

struct lua_State *xdplua_local_state(struct xdplua_script *s, unsigned int cpu)
{
	return cpu < nr_cpu_ids ? per_cpu_ptr(s->cpus, cpu)->L : NULL;
}

/* --- packets ------------------------------------------------------------- */

struct xdplua_frame *xdplua_frame_new(void)
{
	struct xdplua_frame *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->page = malloc(FRAME_SIZE);
	if (!f->page) {
		free(f);
		return NULL;
	}
	/* the test run's packets arrive on the namespace's loopback */
	f->dev.ifindex = 1;
	strscpy(f->dev.name, "lo", sizeof(f->dev.name));
	f->dev.net = &init_net;
	f->rxq.dev = &f->dev;
	f->rxq.queue_index = 0;
	return f;
}

void xdplua_frame_free(struct xdplua_frame *f)
{
	if (!f)
		return;
	ASAN_UNPOISON_MEMORY_REGION(f->page, FRAME_SIZE);
	free(f->page);
	free(f->frags);
	free(f);
}

int xdplua_frame_set(struct xdplua_frame *f, const void *data, size_t len)
{
	struct xdp_buff *xdp = &f->xdp;
	size_t linear = len < XDPLUA_FRAME_MAX_DATA ? len : XDPLUA_FRAME_MAX_DATA;

	if (len < ETH_HLEN)
		return -EINVAL;
	if (len - linear > XDPLUA_FRAME_MAX_FRAGS * 4096)
		return -ENOMEM;
	free(f->frags);
	f->frags = NULL;
	f->frags_len = len - linear;
	if (f->frags_len) {
		f->frags = malloc(f->frags_len);
		if (!f->frags)
			return -ENOMEM;
		memcpy(f->frags, (const u8 *)data + linear, f->frags_len);
	}
	ASAN_UNPOISON_MEMORY_REGION(f->page, FRAME_SIZE);
	memset(f->page, 0, FRAME_SIZE);
	memcpy(f->page + XDP_PACKET_HEADROOM, data, linear);
	xdp->data_hard_start = f->page;
	xdp->data = f->page + XDP_PACKET_HEADROOM;
	xdp->data_meta = xdp->data;
	xdp->data_end = (u8 *)xdp->data + linear;
	xdp->frame_sz = FRAME_SIZE;
	xdp->flags = f->frags_len ? XDP_FLAGS_HAS_FRAGS : 0;
	xdp->rxq = &f->rxq;
	xdp->txq = NULL;
	/* what the kernel keeps in the frame: never the packet's */
	ASAN_POISON_MEMORY_REGION(f->page, sizeof(struct xdp_frame));
	ASAN_POISON_MEMORY_REGION(f->page + FRAME_SIZE - FRAME_TAILROOM,
				  FRAME_TAILROOM);
	return 0;
}

const void *xdplua_frame_data(const struct xdplua_frame *f, size_t *len)
{
	*len = (u8 *)f->xdp.data_end - (u8 *)f->xdp.data;
	return f->xdp.data;
}

size_t xdplua_frame_read(const struct xdplua_frame *f, void *buf, size_t size)
{
	size_t len, total;
	const void *data = xdplua_frame_data(f, &len);

	total = len + f->frags_len;
	memcpy(buf, data, min(len, size));
	if (size > len)
		memcpy((u8 *)buf + len, f->frags, min(f->frags_len, size - len));
	return total;
}

int xdplua_local_run(struct xdplua_script *s, struct xdplua_frame *f,
		     uint64_t arg, uint32_t *ifindex)
{
	u32 target = 0;
	int act;

	act = xdplua_script_run(s, &f->xdp, arg, &target);
	if (ifindex)
		*ifindex = target;
	return act;
}

/* --- shared tables ------------------------------------------------------- */

int xdplua_local_table_create(const char *table, uint32_t max)
{
	int err;

	if (!valid_name(table, XDPLUA_NAME_MAX))
		return -EINVAL;
	mutex_lock(&xdplua_tables_lock);
	err = xdplua_table_create(&init_net, table, max);
	mutex_unlock(&xdplua_tables_lock);
	return err;
}

/* The table, created with the default maximum if missing (as `set`). */
static struct xdplua_table *table_get(const char *table, bool create)
{
	struct xdplua_table *t;

	mutex_lock(&xdplua_tables_lock);
	t = xdplua_table_find(&init_net, table);
	if (!t && create &&
	    !xdplua_table_create(&init_net, table, XDPLUA_TABLE_DEFAULT_MAX))
		t = xdplua_table_find(&init_net, table);
	mutex_unlock(&xdplua_tables_lock);
	return t;
}

int xdplua_local_table_set(const char *table, const struct xdplua_local_key *k,
			   const struct xdplua_local_value *v, uint32_t ttl)
{
	struct xdplua_tkey key = { 0 };
	struct xdplua_tval val = { 0 };
	struct xdplua_table *t;

	if (!valid_name(table, XDPLUA_NAME_MAX))
		return -EINVAL;
	if (k->is_str) {
		if (!k->len || k->len > XDPLUA_TABLE_KEY_MAX)
			return -EINVAL;
		key.type = XDPLUA_TKEY_STR;
		key.s = k->s;
		key.len = k->len;
	} else {
		key.type = XDPLUA_TKEY_INT;
		key.i = k->i;
	}
	switch (v->type) {
	case XDPLUA_LOCAL_INT:
		val.type = XDPLUA_TVAL_INT;
		val.i = v->i;
		break;
	case XDPLUA_LOCAL_BOOL:
		val.type = XDPLUA_TVAL_BOOL;
		val.i = !!v->i;
		break;
	case XDPLUA_LOCAL_STR:
		if (v->len > XDPLUA_TABLE_STR_MAX)
			return -EINVAL;
		val.type = XDPLUA_TVAL_STR;
		val.s = v->s;
		val.len = v->len;
		break;
	default:
		return -EINVAL;
	}
	if (ttl > XDPLUA_TABLE_TTL_MAX)
		return -ERANGE;
	t = table_get(table, true);
	if (!t)
		return -ENOMEM;
	return xdplua_table_set(t, &key, &val, ttl, GFP_KERNEL);
}

int xdplua_local_table_walk(const char *table,
			    int (*cb)(const struct xdplua_local_key *k,
				      const struct xdplua_local_value *v,
				      long long ttl, void *data),
			    void *data)
{
	static char kbuf[XDPLUA_TABLE_KEY_MAX], vbuf[XDPLUA_TABLE_STR_MAX];
	struct xdplua_local_key k;
	struct xdplua_local_value v;
	struct xdplua_table *t = table_get(table, false);
	struct xdplua_tkey key;
	struct xdplua_tval val;
	u32 bkt = 0, pos = 0, scanned = 0;
	s64 ttl;
	int ret;

	if (!t)
		return -ENOENT;
	while (!xdplua_table_iter(t, &bkt, &pos, &key, kbuf, &val, vbuf, &ttl,
				  &scanned)) {
		k.is_str = key.type == XDPLUA_TKEY_STR;
		k.i = key.i;
		k.s = key.s;
		k.len = key.len;
		v.type = val.type == XDPLUA_TVAL_INT ? XDPLUA_LOCAL_INT :
			 val.type == XDPLUA_TVAL_STR ? XDPLUA_LOCAL_STR :
			 XDPLUA_LOCAL_BOOL;
		v.i = val.i;
		v.s = val.s;
		v.len = val.len;
		ret = cb(&k, &v, ttl, data);
		if (ret)
			return ret;
	}
	return 0;
}

uint16_t xdplua_local_csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += p[0] << 8 | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}
