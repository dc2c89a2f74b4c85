// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua table ...: the shared tables of xdplua.ko (docs/tables.md).
 *
 *   xdplua table list [-j] [NAME]
 *   xdplua table create NAME [--max N]
 *   xdplua table destroy NAME
 *   xdplua table set NAME KEY VALUE [--ttl S] [--int|--str|--bool] [--skey]
 *   xdplua table get NAME KEY [--skey] [-j]
 *   xdplua table del NAME KEY [--skey]
 *   xdplua table dump NAME [-j]
 *   xdplua table flush NAME
 *   xdplua table load NAME FILE [--ttl S] [--int|--str|--bool] [--skey]
 *
 * A KEY that is a decimal integer is an integer key, unless --skey. A VALUE
 * is an integer if it is a decimal integer, else a string, unless --int,
 * --str or --bool says so.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "xdplua.h"
#include "json.h"

static bool parse_ll(const char *s, long long *v)
{
	char *end;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && !*end && end != s && strcmp(s, "-");
}

static int parse_key(const char *s, const struct topts *o, struct tkey *k)
{
	k->len = strlen(s);
	k->s = s;
	k->is_int = !o->skey && parse_ll(s, &k->i);
	if (!k->is_int && (!k->len || k->len > XDPLUA_TABLE_KEY_MAX)) {
		errmsg("invalid key '%.40s%s': 1 to %d bytes", s,
		       k->len > 40 ? "..." : "", XDPLUA_TABLE_KEY_MAX);
		return 2;
	}
	return 0;
}

static int parse_val(const char *s, size_t len, const struct topts *o,
		     struct tval *v)
{
	v->type = o->vtype;
	v->s = s;
	v->len = len;
	switch (o->vtype) {
	case V_AUTO:
		v->type = parse_ll(s, &v->i) ? V_INT : V_STR;
		break;
	case V_INT:
		if (!parse_ll(s, &v->i)) {
			errmsg("invalid integer value '%s'", s);
			return 2;
		}
		break;
	case V_BOOL:
		if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes"))
			v->i = 1;
		else if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no"))
			v->i = 0;
		else {
			errmsg("invalid boolean value '%s': true or false", s);
			return 2;
		}
		break;
	case V_STR:
		break;
	}
	if (v->type == V_STR && len > XDPLUA_TABLE_STR_MAX) {
		errmsg("string value too long (%zu bytes, at most %d)", len,
		       XDPLUA_TABLE_STR_MAX);
		return 2;
	}
	return 0;
}

static void put_name(struct nlmsghdr *nlh, const char *name)
{
	mnl_attr_put_strz(nlh, XDPLUA_A_TABLE, name);
}

static void put_key(struct nlmsghdr *nlh, const struct tkey *k)
{
	if (k->is_int)
		mnl_attr_put_u64(nlh, XDPLUA_A_TABLE_KEY_INT, (__u64)k->i);
	else
		mnl_attr_put(nlh, XDPLUA_A_TABLE_KEY_STR, k->len, k->s);
}

static void put_val(struct nlmsghdr *nlh, const struct tval *v)
{
	if (v->type == V_INT)
		mnl_attr_put_u64(nlh, XDPLUA_A_TABLE_INT, (__u64)v->i);
	else if (v->type == V_BOOL)
		mnl_attr_put_u8(nlh, XDPLUA_A_TABLE_BOOL, v->i);
	else
		mnl_attr_put(nlh, XDPLUA_A_TABLE_STR, v->len, v->s);
}

/* An entry from a GET or DUMP message. */
int table_parse_entry(const struct nlattr **tb, struct tentry *e)
{
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	if ((a = tb[XDPLUA_A_TABLE_KEY_INT])) {
		e->key.is_int = true;
		e->key.i = (long long)mnl_attr_get_u64(a);
	} else if ((a = tb[XDPLUA_A_TABLE_KEY_STR])) {
		e->key.s = mnl_attr_get_payload(a);
		e->key.len = mnl_attr_get_payload_len(a);
	} else {
		return -EBADMSG;
	}
	if ((a = tb[XDPLUA_A_TABLE_INT])) {
		e->val.type = V_INT;
		e->val.i = (long long)mnl_attr_get_u64(a);
	} else if ((a = tb[XDPLUA_A_TABLE_STR])) {
		e->val.type = V_STR;
		e->val.s = mnl_attr_get_payload(a);
		e->val.len = mnl_attr_get_payload_len(a);
	} else if ((a = tb[XDPLUA_A_TABLE_BOOL])) {
		e->val.type = V_BOOL;
		e->val.i = mnl_attr_get_u8(a);
	} else {
		return -EBADMSG;
	}
	if ((a = tb[XDPLUA_A_TABLE_TTL])) {
		e->has_ttl = true;
		e->ttl = mnl_attr_get_u32(a);
	}
	return 0;
}

/* An entry as JSON: strings as bytes (json.h), a character a byte. */
static void print_json_entry(struct json *j, const struct tentry *e)
{
	json_object_begin(j);
	json_key(j, "key");
	if (e->key.is_int)
		json_int(j, e->key.i);
	else
		json_bytes(j, e->key.s, e->key.len);
	json_kv_str(j, "type", name_of(&vtype_names, e->val.type));
	json_key(j, "value");
	if (e->val.type == V_INT)
		json_int(j, e->val.i);
	else if (e->val.type == V_BOOL)
		json_bool(j, e->val.i);
	else
		json_bytes(j, e->val.s, e->val.len);
	if (e->has_ttl)
		json_kv_uint(j, "ttl", e->ttl);
	json_object_end(j);
}

static void print_value(const struct tval *v)
{
	if (v->type == V_INT)
		printf("%lld", v->i);
	else if (v->type == V_BOOL)
		printf("%s", v->i ? "true" : "false");
	else
		fwrite(v->s, 1, v->len, stdout);
}

/* --- requests ------------------------------------------------------------ */

int table_simple(struct genl *g, __u8 cmd, const char *name,
		 const struct tkey *k, const struct tval *v,
		 const struct topts *o)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(g, buf, cmd);

	put_name(nlh, name);
	if (k)
		put_key(nlh, k);
	if (v)
		put_val(nlh, v);
	if (o && o->has_max)
		mnl_attr_put_u32(nlh, XDPLUA_A_TABLE_MAX, o->max);
	if (o && o->has_ttl && v)
		mnl_attr_put_u32(nlh, XDPLUA_A_TABLE_TTL, o->ttl);
	return genl_call(g, nlh, NULL, NULL);
}

struct get_ctx {
	const struct topts *o;
	struct json j;
	int n;
};

static int get_cb(const struct nlattr **tb, void *data)
{
	struct get_ctx *c = data;
	struct tentry e;

	if (table_parse_entry(tb, &e))
		return -EBADMSG;
	if (c->o->json) {
		print_json_entry(&c->j, &e);
	} else {
		if (e.key.is_int)
			printf("%lld ", e.key.i);
		else
			printf("%.*s ", (int)e.key.len, e.key.s);
		print_value(&e.val);
		putchar('\n');
	}
	c->n++;
	return 0;
}

/* The answer to GET: printed here, its attributes live in the receive buffer. */
static int get_one_cb(const struct nlattr **tb, void *data)
{
	const struct topts *o = data;
	struct tentry e;
	struct json j;

	if (table_parse_entry(tb, &e))
		return -EBADMSG;
	if (o->json) {
		json_init(&j, stdout);
		print_json_entry(&j, &e);
	} else {
		print_value(&e.val);
		putchar('\n');
	}
	return 0;
}

static int do_get(struct genl *g, const char *name, const struct tkey *k,
		  const struct topts *o)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_GET);

	put_name(nlh, name);
	put_key(nlh, k);
	return genl_call(g, nlh, get_one_cb, (void *)o);
}

static int do_dump(struct genl *g, const char *name, const struct topts *o)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_DUMP);
	struct get_ctx c = { .o = o };
	int err;

	/* a dump's errors come without the module's explanation: check first */
	nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_LIST);
	put_name(nlh, name);
	err = genl_call(g, nlh, NULL, NULL);
	if (err)
		return err;
	nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_DUMP);
	nlh->nlmsg_flags = NLM_F_DUMP;
	put_name(nlh, name);
	json_init(&c.j, stdout);
	if (o->json)
		json_array_begin(&c.j);
	err = genl_call(g, nlh, get_cb, &c);
	if (o->json && !err)
		json_array_end(&c.j);
	return err;
}

static int list_cb(const struct nlattr **tb, void *data)
{
	struct get_ctx *c = data;
	char name[XDPLUA_NAME_MAX] = "?";
	__u32 max = 0, count = 0, users = 0;
	unsigned long long bytes = 0;

	if (tb[XDPLUA_A_TABLE])
		snprintf(name, sizeof(name), "%s",
			 mnl_attr_get_str(tb[XDPLUA_A_TABLE]));
	if (tb[XDPLUA_A_TABLE_MAX])
		max = mnl_attr_get_u32(tb[XDPLUA_A_TABLE_MAX]);
	if (tb[XDPLUA_A_TABLE_COUNT])
		count = mnl_attr_get_u32(tb[XDPLUA_A_TABLE_COUNT]);
	if (tb[XDPLUA_A_TABLE_USERS])
		users = mnl_attr_get_u32(tb[XDPLUA_A_TABLE_USERS]);
	if (tb[XDPLUA_A_TABLE_BYTES])
		bytes = mnl_attr_get_u64(tb[XDPLUA_A_TABLE_BYTES]);
	if (c->o->json) {
		json_object_begin(&c->j);
		json_kv_str(&c->j, "name", name);
		json_kv_uint(&c->j, "entries", count);
		json_kv_uint(&c->j, "max", max);
		json_kv_uint(&c->j, "bytes", bytes);
		json_kv_uint(&c->j, "users", users);
		json_object_end(&c->j);
	} else {
		if (!c->n)
			printf("%-31s %10s %10s %12s %6s\n", "NAME", "ENTRIES",
			       "MAX", "BYTES", "USERS");
		printf("%-31s %10u %10u %12llu %6u\n", name, count, max, bytes,
		       users);
	}
	c->n++;
	return 0;
}

static int do_list(struct genl *g, const char *name, const struct topts *o)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(g, buf, XDPLUA_CMD_TABLE_LIST);
	struct get_ctx c = { .o = o };
	int err;

	if (name)
		put_name(nlh, name);
	else
		nlh->nlmsg_flags = NLM_F_DUMP;
	json_init(&c.j, stdout);
	if (o->json)
		json_array_begin(&c.j);
	err = genl_call(g, nlh, list_cb, &c);
	if (o->json && !err)
		json_array_end(&c.j);
	return err;
}

/*
 * "KEY VALUE" lines, as `table load` reads them: the value is the rest of
 * the line after the blanks that follow the key. Blank lines and lines
 * starting with '#' are ignored. set() is called for each entry, with the
 * line's number; it prints its own errors. Stops at the first bad line.
 */
static int load_lines(const char *path, const struct topts *o,
		      int (*set)(const struct tkey *k, const struct tval *v,
				 const char *key, int lineno, void *data),
		      void *data, int *loaded)
{
	char *line = NULL, *p, *key, *val;
	size_t cap = 0, vlen;
	int lineno = 0, err = 0;
	struct tkey k;
	struct tval v;
	ssize_t n;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		errmsg("cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	*loaded = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		key = p;
		p += strcspn(p, " \t");
		if (!*p) {
			errmsg("%s:%d: a key and a value are needed", path, lineno);
			err = 2;
			break;
		}
		*p++ = '\0';
		val = p + strspn(p, " \t");
		vlen = line + n - val;
		if (parse_key(key, o, &k) || parse_val(val, vlen, o, &v)) {
			errmsg("%s:%d: invalid line", path, lineno);
			err = 2;
			break;
		}
		err = set(&k, &v, key, lineno, data);
		if (err)
			break;
		(*loaded)++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return err;
}

struct load_ctx {
	struct genl *g;
	const char *name;
	const char *path;
	const struct topts *o;
};

static int load_set(const struct tkey *k, const struct tval *v,
		    const char *key, int lineno, void *data)
{
	struct load_ctx *c = data;
	int err;

	err = table_simple(c->g, XDPLUA_CMD_TABLE_SET, c->name, k, v, c->o);
	if (err) {
		genl_fail(c->g, err, "%s:%d: cannot set '%s'", c->path, lineno,
			  key);
		return 1;
	}
	return 0;
}

/* load NAME FILE */
static int do_load(struct genl *g, const char *name, const char *path,
		   const struct topts *o, int *loaded)
{
	struct load_ctx c = { g, name, path, o };

	return load_lines(path, o, load_set, &c, loaded);
}

/* A table file for `run --local --table NAME=FILE`: the lines of `table
 * load` (integer or string keys and values, as without options), each
 * given to set(). Returns 0, or 1 or 2 (printed) as `table load` would.
 */
struct file_ctx {
	int (*set)(const char *table, const struct table_entry *e, void *data);
	const char *table;
	const char *path;
	void *data;
};

static int file_set(const struct tkey *k, const struct tval *v,
		    const char *key, int lineno, void *data)
{
	struct file_ctx *c = data;
	struct table_entry e = {
		.key_is_int = k->is_int, .ikey = k->i,
		.skey = k->s, .klen = k->len,
		.vtype = v->type,
		.ival = v->i, .sval = v->s, .vlen = v->len,
	};
	int err = c->set(c->table, &e, c->data);

	if (err) {
		errmsg("%s:%d: cannot set '%s': %s", c->path, lineno, key,
		       err == -ENOSPC ? "the table is full" : strerror(-err));
		return 1;
	}
	return 0;
}

int table_file_load(const char *table, const char *path,
		    int (*set)(const char *table, const struct table_entry *e,
			       void *data),
		    void *data, int *loaded)
{
	struct file_ctx c = { set, table, path, data };
	struct topts o = { 0 };

	return load_lines(path, &o, file_set, &c, loaded);
}

/* --- the command: its options are xdplua.c's ------------------------------- */

int cmd_table(enum table_cmd cmd, const char *sub, char **args, int nargs,
	      const struct topts *o)
{
	const char *name = nargs ? args[0] : NULL;
	struct tkey k;
	struct tval v;
	struct genl *g;
	int err, loaded;

	if (name && !script_name_valid(name)) {
		errmsg("invalid table name '%s': 1 to 31 letters, digits, '_', '.' or '-'",
		       name);
		return 2;
	}
	if ((cmd == TABLE_SET || cmd == TABLE_GET || cmd == TABLE_DEL) &&
	    (err = parse_key(args[1], o, &k)))
		return err;
	if (cmd == TABLE_SET &&
	    (err = parse_val(args[2], strlen(args[2]), o, &v)))
		return err;

	g = genl_open();
	if (!g)
		return 1;
	switch (cmd) {
	case TABLE_LIST:
		err = do_list(g, name, o);
		break;
	case TABLE_CREATE:
		err = table_simple(g, XDPLUA_CMD_TABLE_NEW, name, NULL, NULL, o);
		break;
	case TABLE_DESTROY:
		err = table_simple(g, XDPLUA_CMD_TABLE_DEL, name, NULL, NULL, NULL);
		break;
	case TABLE_SET:
		err = table_simple(g, XDPLUA_CMD_TABLE_SET, name, &k, &v, o);
		break;
	case TABLE_GET:
		err = do_get(g, name, &k, o);
		break;
	case TABLE_DEL:
		err = table_simple(g, XDPLUA_CMD_TABLE_UNSET, name, &k, NULL, NULL);
		break;
	case TABLE_DUMP:
		err = do_dump(g, name, o);
		break;
	case TABLE_FLUSH:
		err = table_simple(g, XDPLUA_CMD_TABLE_FLUSH, name, NULL, NULL, NULL);
		break;
	case TABLE_LOAD:
		err = do_load(g, name, args[1], o, &loaded);
		if (!err)
			printf("%d entries loaded into table '%s'\n", loaded, name);
		genl_close(g);
		return err;
	default:
		err = -EINVAL;
	}
	if (err)
		genl_fail(g, err, "table %s%s%s", sub, name ? " " : "",
			  name ? name : "");
	genl_close(g);
	return err ? 1 : 0;
}
