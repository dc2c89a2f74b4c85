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
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "xdplua.h"

static const char table_usage[] =
	"Usage: xdplua table list [-j] [NAME]\n"
	"       xdplua table create NAME [--max N]\n"
	"       xdplua table destroy NAME\n"
	"       xdplua table set NAME KEY VALUE [--ttl S] [--int|--str|--bool] [--skey]\n"
	"       xdplua table get NAME KEY [--skey] [-j]\n"
	"       xdplua table del NAME KEY [--skey]\n"
	"       xdplua table dump NAME [-j]\n"
	"       xdplua table flush NAME\n"
	"       xdplua table load NAME FILE [--ttl S] [--int|--str|--bool] [--skey]\n";

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("xdplua: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(table_usage, stderr);
	return 2;
}

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

/* A JSON string: bytes outside printable ASCII as \u00XX (byte values). */
static void json_bytes(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json_entry(const struct tentry *e)
{
	printf("{\"key\":");
	if (e->key.is_int)
		printf("%lld", e->key.i);
	else
		json_bytes(e->key.s, e->key.len);
	printf(",\"type\":\"%s\",\"value\":",
	       e->val.type == V_INT ? "int" : e->val.type == V_BOOL ? "bool" : "str");
	if (e->val.type == V_INT)
		printf("%lld", e->val.i);
	else if (e->val.type == V_BOOL)
		printf("%s", e->val.i ? "true" : "false");
	else
		json_bytes(e->val.s, e->val.len);
	if (e->has_ttl)
		printf(",\"ttl\":%u", e->ttl);
	printf("}");
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
	int n;
};

static int get_cb(const struct nlattr **tb, void *data)
{
	struct get_ctx *c = data;
	struct tentry e;

	if (table_parse_entry(tb, &e))
		return -EBADMSG;
	if (c->o->json) {
		printf("%s", c->n ? ",\n  " : "[\n  ");
		print_json_entry(&e);
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

	if (table_parse_entry(tb, &e))
		return -EBADMSG;
	if (o->json)
		print_json_entry(&e);
	else
		print_value(&e.val);
	putchar('\n');
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
	struct get_ctx c = { o, 0 };
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
	err = genl_call(g, nlh, get_cb, &c);
	if (o->json && !err)
		printf("%s]\n", c.n ? "\n" : "[");
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
		printf("%s{\"name\":", c->n ? ",\n  " : "[\n  ");
		json_bytes(name, strlen(name));
		printf(",\"entries\":%u,\"max\":%u,\"bytes\":%llu,\"users\":%u}",
		       count, max, bytes, users);
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
	struct get_ctx c = { o, 0 };
	int err;

	if (name)
		put_name(nlh, name);
	else
		nlh->nlmsg_flags = NLM_F_DUMP;
	err = genl_call(g, nlh, list_cb, &c);
	if (o->json && !err)
		printf("%s]\n", c.n ? "\n" : "[");
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

/* --- the command --------------------------------------------------------- */

static const struct {
	const char *name;
	int nargs;	/* after NAME; -1: list's optional NAME */
	bool key;	/* args[1] is a key */
} subs[] = {
	{ "list", -1, false },
	{ "create", 0, false },
	{ "destroy", 0, false },
	{ "set", 2, true },
	{ "get", 1, true },
	{ "del", 1, true },
	{ "dump", 0, false },
	{ "flush", 0, false },
	{ "load", 1, false },
};

enum { O_MAX = 256, O_TTL, O_INT, O_STR, O_BOOL, O_SKEY };

int cmd_table(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max", required_argument, NULL, O_MAX },
		{ "ttl", required_argument, NULL, O_TTL },
		{ "int", no_argument, NULL, O_INT },
		{ "str", no_argument, NULL, O_STR },
		{ "bool", no_argument, NULL, O_BOOL },
		{ "skey", no_argument, NULL, O_SKEY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct topts o = { 0 };
	const char *sub, *name = NULL;
	struct tkey k;
	struct tval v;
	struct genl *g;
	size_t i;
	int id, err, nargs, loaded;

	opterr = 0;
	optind = 1;
	while ((id = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (id) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			fputs(table_usage, stdout);
			return 0;
		case O_MAX:
			if (parse_u32(optarg, &o.max) || !o.max ||
			    o.max > XDPLUA_TABLE_MAX_ENTRIES)
				return usage_error("invalid --max '%s': 1 to 16777216 entries",
						   optarg);
			o.has_max = true;
			break;
		case O_TTL:
			if (parse_u32(optarg, &o.ttl) || o.ttl > XDPLUA_TABLE_TTL_MAX)
				return usage_error("invalid --ttl '%s': seconds, 0 (never) to 10 years",
						   optarg);
			o.has_ttl = true;
			break;
		case O_INT:
		case O_STR:
		case O_BOOL:
			if (o.vtype)
				return usage_error("%s", "--int, --str and --bool do not go together");
			o.vtype = id == O_INT ? V_INT : id == O_STR ? V_STR : V_BOOL;
			break;
		case O_SKEY:
			o.skey = true;
			break;
		case ':':
			return usage_error("option %s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	argv += optind;
	argc -= optind;
	if (argc < 1)
		return usage_error("%s", "missing table subcommand");
	sub = argv[0];
	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (!strcmp(sub, subs[i].name))
			break;
	if (i == ARRAY_SIZE(subs))
		return usage_error("unknown table subcommand '%s'", sub);
	nargs = argc - 1;
	if (subs[i].nargs < 0 ? nargs > 1 : nargs != subs[i].nargs + 1)
		return usage_error("%s arguments for 'table %s'",
				   nargs < subs[i].nargs + 1 ? "missing" : "too many",
				   sub);
	if (nargs)
		name = argv[1];
	if (name && !script_name_valid(name))
		return usage_error("invalid table name '%s': 1 to 31 letters, digits, '_', '.' or '-'",
				   name);
	if (o.has_max && strcmp(sub, "create"))
		return usage_error("--max applies to 'table create', not '%s'", sub);
	if ((o.has_ttl || o.vtype) && strcmp(sub, "set") && strcmp(sub, "load"))
		return usage_error("--ttl, --int, --str and --bool apply to 'table set' and 'table load', not '%s'",
				   sub);
	if (o.skey && !subs[i].key && strcmp(sub, "load"))
		return usage_error("--skey does not apply to 'table %s'", sub);
	if (o.json && strcmp(sub, "get") && strcmp(sub, "dump") && strcmp(sub, "list"))
		return usage_error("-j does not apply to 'table %s'", sub);
	if (subs[i].key && (err = parse_key(argv[2], &o, &k)))
		return err;
	if (!strcmp(sub, "set") &&
	    (err = parse_val(argv[3], strlen(argv[3]), &o, &v)))
		return err;

	g = genl_open();
	if (!g)
		return 1;
	if (!strcmp(sub, "list"))
		err = do_list(g, name, &o);
	else if (!strcmp(sub, "create"))
		err = table_simple(g, XDPLUA_CMD_TABLE_NEW, name, NULL, NULL, &o);
	else if (!strcmp(sub, "destroy"))
		err = table_simple(g, XDPLUA_CMD_TABLE_DEL, name, NULL, NULL, NULL);
	else if (!strcmp(sub, "set"))
		err = table_simple(g, XDPLUA_CMD_TABLE_SET, name, &k, &v, &o);
	else if (!strcmp(sub, "get"))
		err = do_get(g, name, &k, &o);
	else if (!strcmp(sub, "del"))
		err = table_simple(g, XDPLUA_CMD_TABLE_UNSET, name, &k, NULL, NULL);
	else if (!strcmp(sub, "dump"))
		err = do_dump(g, name, &o);
	else if (!strcmp(sub, "flush"))
		err = table_simple(g, XDPLUA_CMD_TABLE_FLUSH, name, NULL, NULL, NULL);
	else {
		err = do_load(g, name, argv[2], &o, &loaded);
		if (!err && !o.json)
			printf("%d entries loaded into table '%s'\n", loaded, name);
		genl_close(g);
		return err;
	}
	if (err)
		genl_fail(g, err, "table %s%s%s", sub, name ? " " : "",
			  name ? name : "");
	genl_close(g);
	return err ? 1 : 0;
}
