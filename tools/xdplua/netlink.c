// SPDX-License-Identifier: GPL-2.0
/*
 * The "xdplua" generic netlink family: load, unload and describe scripts.
 * See include/uapi/linux/xdplua.h for the messages.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "xdplua.h"

#define RECV_BUF_SIZE	(64 * 1024)	/* more than a dump message */
#define RCVBUF		(1 << 20)
#define SMALL_MSG_SIZE	1024		/* requests without a script */

struct genl {
	struct mnl_socket *nl;
	__u32 portid;
	__u32 seq;
	__u16 family;
	const struct nlmsghdr *req;	/* the request being answered */
	char error[1024];	/* the module's explanation of the last error */
	char buf[RECV_BUF_SIZE];
};

typedef int (*msg_cb)(struct genl *g, const struct nlmsghdr *nlh,
			void *data);

static void set_error(struct genl *g, const char *msg, size_t len)
{
	if (len >= sizeof(g->error))
		len = sizeof(g->error) - 1;
	memcpy(g->error, msg, len);
	g->error[len] = '\0';
	/* strings end with a NUL, and sometimes a newline */
	len = strlen(g->error);
	while (len && g->error[len - 1] == '\n')
		g->error[--len] = '\0';
}

/* The text of an error: the module's explanation if it gave one. */
const char *genl_error(struct genl *g, int err)
{
	if (g && g->error[0])
		return g->error;
	return strerror(-err);
}

/* Prints "xdplua: <what>: <why>", or the permission hint. */
void genl_fail(struct genl *g, int err, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (perm_hint(err) && !(g && g->error[0])) {
		errmsg("%s", perm_hint(err));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errmsg("%s: %s", what, genl_error(g, err));
}

static void raise_buffer(struct genl *g, int force, int plain, int size)
{
	int fd = mnl_socket_get_fd(g->nl);

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
}

/* What the user calls the attributes the module may reject. */
static const char *const attr_names[XDPLUA_A_MAX + 1] = {
	[XDPLUA_A_NAME]		= "the script name",
	[XDPLUA_A_ENTRY]	= "the entry function (-F)",
	[XDPLUA_A_FALLBACK]	= "--fallback",
	[XDPLUA_A_INSN_BUDGET]	= "--insn-budget",
	[XDPLUA_A_MEM_BUDGET]	= "--mem-budget",
	[XDPLUA_A_TIME_BUDGET]	= "--time-budget (microseconds)",
	[XDPLUA_A_FILE_NAME]	= "a file name",
};

const char *genl_attr_name(int type)
{
	return type >= 0 && type <= XDPLUA_A_MAX ? attr_names[type] : NULL;
}

/* The attribute of the request at offset (from NLMSGERR_ATTR_OFFS). */
static const char *attr_at(const struct nlmsghdr *req, __u32 offset)
{
	const struct nlattr *attr;
	unsigned int type;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		if ((const char *)attr - (const char *)req != offset)
			continue;
		type = mnl_attr_get_type(attr);
		return type <= XDPLUA_A_MAX ? attr_names[type] : NULL;
	}
	return NULL;
}

static int policy_cb(const struct nlattr *attr, void *data)
{
	__u64 *bounds = data;

	if (mnl_attr_get_payload_len(attr) != sizeof(__u64))
		return MNL_CB_OK;
	if (mnl_attr_get_type(attr) == NL_POLICY_TYPE_ATTR_MIN_VALUE_U)
		bounds[0] = mnl_attr_get_u64(attr);
	else if (mnl_attr_get_type(attr) == NL_POLICY_TYPE_ATTR_MAX_VALUE_U)
		bounds[1] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

/*
 * The explanation in an extended ack: the message, which attribute it is
 * about and, for values out of range, the range.
 */
static void parse_ext_ack(struct genl *g, const struct nlmsghdr *nlh,
			  size_t offset)
{
	const struct nlattr *attr, *msg = NULL, *policy = NULL;
	__u64 bounds[2] = { 0, ~0ULL };
	const char *what = NULL;
	size_t len;

	mnl_attr_for_each(attr, nlh, offset) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			msg = attr;
			break;
		case NLMSGERR_ATTR_OFFS:
			if (g->req && mnl_attr_get_payload_len(attr) == 4)
				what = attr_at(g->req, mnl_attr_get_u32(attr));
			break;
		case NLMSGERR_ATTR_POLICY:
			policy = attr;
			break;
		}
	}
	if (!msg)
		return;
	set_error(g, mnl_attr_get_payload(msg), mnl_attr_get_payload_len(msg));
	if (!what)
		return;
	len = strlen(g->error);
	len += snprintf(g->error + len, sizeof(g->error) - len, " (%s", what);
	if (policy && len < sizeof(g->error))
		mnl_attr_parse_nested(policy, policy_cb, bounds);
	if (bounds[0] && len < sizeof(g->error))
		len += snprintf(g->error + len, sizeof(g->error) - len,
				": at least %llu", (unsigned long long)bounds[0]);
	if (bounds[1] < UINT_MAX && len < sizeof(g->error))
		len += snprintf(g->error + len, sizeof(g->error) - len,
				"%s at most %llu", bounds[0] ? "," : ":",
				(unsigned long long)bounds[1]);
	if (len < sizeof(g->error))
		snprintf(g->error + len, sizeof(g->error) - len, ")");
}

static int parse_ack(struct genl *g, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t offset;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	if (!e->error)
		return 0;
	if (!g->error[0] && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		offset = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			offset += mnl_nlmsg_get_payload_len(&e->msg);
		parse_ext_ack(g, nlh, offset);
	}
	return e->error < 0 ? e->error : -e->error;
}

/*
 * Sends a request and reads the answers until its ack (or, for a dump, its
 * end), giving each message to cb. Returns 0 or a negative errno; the
 * module's explanation, if any, is in g->error.
 */
static int genl_exchange(struct genl *g, struct nlmsghdr *req, msg_cb cb,
			 void *data)
{
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	struct nlmsghdr *nlh;
	int cb_err = 0;
	ssize_t len;
	int left;

	req->nlmsg_seq = ++g->seq;
	req->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
	if (req->nlmsg_len > 64 * 1024)
		raise_buffer(g, SO_SNDBUFFORCE, SO_SNDBUF,
			     req->nlmsg_len + 64 * 1024);
	if (mnl_socket_sendto(g->nl, req, req->nlmsg_len) < 0) {
		int err = -errno;

		if (err == -EMSGSIZE)
			snprintf(g->error, sizeof(g->error),
				 "the request (%u bytes) does not fit in the socket buffer: run as root",
				 req->nlmsg_len);
		return err;
	}

	for (;;) {
		len = mnl_socket_recvfrom(g->nl, g->buf, sizeof(g->buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		nlh = (struct nlmsghdr *)g->buf;
		left = len;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != g->seq ||
			    nlh->nlmsg_pid != g->portid)
				continue;	/* an answer to an older request */
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			case NLMSG_ERROR:
				return parse_ack(g, nlh) ?: cb_err;
			case NLMSG_DONE:
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) &&
				    *(int *)mnl_nlmsg_get_payload(nlh) < 0)
					return *(int *)mnl_nlmsg_get_payload(nlh);
				if (dump)
					return cb_err;
				continue;
			}
			if (cb && !cb_err)
				cb_err = cb(g, nlh, data);
		}
	}
}

static int genl_talk(struct genl *g, struct nlmsghdr *req, msg_cb cb,
		     void *data)
{
	int err;

	g->error[0] = '\0';
	g->req = req;
	err = genl_exchange(g, req, cb, data);
	g->req = NULL;
	return err;
}

static struct nlmsghdr *put_header(void *buf, __u16 type, __u8 cmd,
				   __u8 version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

/* Attributes of a generic netlink message, by type. */
struct attrs {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= a->max)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       unsigned int max)
{
	struct attrs a = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, &a) < 0)
		return -EBADMSG;
	return 0;
}

static void attr_strcpy(char *dst, size_t size, const struct nlattr *attr)
{
	size_t len = 0;

	if (attr) {
		len = strnlen(mnl_attr_get_payload(attr),
			      mnl_attr_get_payload_len(attr));
		if (len >= size)
			len = size - 1;
		memcpy(dst, mnl_attr_get_payload(attr), len);
	}
	dst[len] = '\0';
}

static __u32 attr_u32(const struct nlattr *attr)
{
	if (!attr || mnl_attr_get_payload_len(attr) < sizeof(__u32))
		return 0;
	return mnl_attr_get_u32(attr);
}

static __u64 attr_u64(const struct nlattr *attr)
{
	if (!attr || mnl_attr_get_payload_len(attr) < sizeof(__u64))
		return 0;
	return mnl_attr_get_u64(attr);
}

static int family_cb(struct genl *g, const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	(void)g;
	if (parse_attrs(nlh, tb, CTRL_ATTR_MAX))
		return -EBADMSG;
	if (!tb[CTRL_ATTR_FAMILY_ID] ||
	    mnl_attr_get_payload_len(tb[CTRL_ATTR_FAMILY_ID]) < sizeof(__u16))
		return -EBADMSG;
	*(__u16 *)data = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

/*
 * Opens a socket to the module. Prints what went wrong and returns NULL if
 * the module is not there.
 */
struct genl *genl_open(void)
{
	struct nlmsghdr *nlh;
	struct genl *g;
	int one = 1, err;

	g = calloc(1, sizeof(*g));
	if (!g) {
		errmsg("out of memory");
		return NULL;
	}
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl) {
		errmsg("cannot open a generic netlink socket: %s",
		       strerror(errno));
		free(g);
		return NULL;
	}
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		errmsg("cannot bind a generic netlink socket: %s",
		       strerror(errno));
		genl_close(g);
		return NULL;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	/* errors without a copy of large requests, but with explanations */
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	raise_buffer(g, SO_RCVBUFFORCE, SO_RCVBUF, RCVBUF);

	nlh = put_header(g->buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, XDPLUA_GENL_NAME);
	err = genl_talk(g, nlh, family_cb, &g->family);
	if (err == -ENOENT) {
		errmsg("the xdplua kernel module is not loaded (insmod xdplua.ko)");
		genl_close(g);
		return NULL;
	}
	if (err) {
		genl_fail(g, err, "cannot find the xdplua netlink family");
		genl_close(g);
		return NULL;
	}
	return g;
}

void genl_close(struct genl *g)
{
	if (!g)
		return;
	mnl_socket_close(g->nl);
	free(g);
}

/* Failure replies carry XDPLUA_A_ERROR; LOAD replies carry the id. */
static int reply_cb(struct genl *g, const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[XDPLUA_A_MAX + 1];

	if (parse_attrs(nlh, tb, XDPLUA_A_MAX))
		return -EBADMSG;
	if (tb[XDPLUA_A_ERROR])
		set_error(g, mnl_attr_get_payload(tb[XDPLUA_A_ERROR]),
			  mnl_attr_get_payload_len(tb[XDPLUA_A_ERROR]));
	if (data && tb[XDPLUA_A_ID])
		*(__u32 *)data = attr_u32(tb[XDPLUA_A_ID]);
	return 0;
}

static size_t attr_space(size_t len)
{
	return MNL_ATTR_HDRLEN + MNL_ALIGN(len);
}

int genl_load(struct genl *g, const struct script *s,
	      const struct load_opts *o, __u32 *id)
{
	struct nlmsghdr *nlh;
	size_t size, off, n;
	bool ok = true;
	void *msg;
	int i, err;

	size = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
	       attr_space(strlen(s->name) + 1) +
	       4 * attr_space(sizeof(__u32));	/* fallback and budgets */
	if (o->entry)
		size += attr_space(strlen(o->entry) + 1);
	for (i = 0; i < s->nfiles; i++) {
		const struct script_file *f = &s->files[i];

		size += attr_space(strlen(f->name) + 1);
		size += f->size / XDPLUA_CHUNK_MAX *
			attr_space(XDPLUA_CHUNK_MAX);
		size += attr_space(f->size % XDPLUA_CHUNK_MAX);
	}
	msg = calloc(1, size);
	if (!msg) {
		g->error[0] = '\0';
		return -ENOMEM;
	}

	nlh = put_header(msg, g->family, XDPLUA_CMD_LOAD, XDPLUA_GENL_VERSION);
	ok &= mnl_attr_put_strz_check(nlh, size, XDPLUA_A_NAME, s->name);
	if (o->entry)
		ok &= mnl_attr_put_strz_check(nlh, size, XDPLUA_A_ENTRY,
					      o->entry);
	if (o->has_fallback)
		ok &= mnl_attr_put_u32_check(nlh, size, XDPLUA_A_FALLBACK,
					     o->fallback);
	if (o->insn_budget)
		ok &= mnl_attr_put_u32_check(nlh, size, XDPLUA_A_INSN_BUDGET,
					     o->insn_budget);
	if (o->mem_budget)
		ok &= mnl_attr_put_u32_check(nlh, size, XDPLUA_A_MEM_BUDGET,
					     o->mem_budget);
	if (o->time_budget)
		ok &= mnl_attr_put_u32_check(nlh, size, XDPLUA_A_TIME_BUDGET,
					     o->time_budget);
	for (i = 0; i < s->nfiles; i++) {
		const struct script_file *f = &s->files[i];

		ok &= mnl_attr_put_strz_check(nlh, size, XDPLUA_A_FILE_NAME,
					      f->name);
		off = 0;
		do {
			n = f->size - off;
			if (n > XDPLUA_CHUNK_MAX)
				n = XDPLUA_CHUNK_MAX;
			ok &= mnl_attr_put_check(nlh, size, XDPLUA_A_FILE_DATA,
						 n, f->data + off);
			off += n;
		} while (off < f->size);
	}
	if (!ok) {	/* a bug in the size computation above */
		free(msg);
		snprintf(g->error, sizeof(g->error),
			 "internal error: load request too large");
		return -EOVERFLOW;
	}

	*id = 0;
	err = genl_talk(g, nlh, reply_cb, id);
	free(msg);
	if (!err && !*id)
		return -EBADMSG;
	return err;
}

static int simple_request(struct genl *g, __u8 cmd, __u32 id,
			  const char *entry)
{
	char buf[SMALL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = put_header(buf, g->family, cmd, XDPLUA_GENL_VERSION);
	mnl_attr_put_u32(nlh, XDPLUA_A_ID, id);
	if (entry)
		mnl_attr_put_strz(nlh, XDPLUA_A_ENTRY, entry);
	return genl_talk(g, nlh, reply_cb, NULL);
}

int genl_unload(struct genl *g, __u32 id)
{
	return simple_request(g, XDPLUA_CMD_UNLOAD, id, NULL);
}

int genl_set_entry(struct genl *g, __u32 id, const char *entry)
{
	return simple_request(g, XDPLUA_CMD_SET_ENTRY, id, entry);
}

static int stat_cb(const struct nlattr *attr, void *data)
{
	__u64 *stats = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= XDPLUA_STAT_MAX && type != XDPLUA_STAT_PAD)
		stats[type] = attr_u64(attr);
	return MNL_CB_OK;
}

static int info_parse(const struct nlmsghdr *nlh, struct script_info *info)
{
	const struct nlattr *tb[XDPLUA_A_MAX + 1];
	const struct nlattr *a;

	memset(info, 0, sizeof(*info));
	if (parse_attrs(nlh, tb, XDPLUA_A_MAX) || !tb[XDPLUA_A_ID])
		return -EBADMSG;
	info->id = attr_u32(tb[XDPLUA_A_ID]);
	attr_strcpy(info->name, sizeof(info->name), tb[XDPLUA_A_NAME]);
	attr_strcpy(info->entry, sizeof(info->entry), tb[XDPLUA_A_ENTRY]);
	info->fallback = attr_u32(tb[XDPLUA_A_FALLBACK]);
	info->insn_budget = attr_u32(tb[XDPLUA_A_INSN_BUDGET]);
	info->mem_budget = attr_u32(tb[XDPLUA_A_MEM_BUDGET]);
	info->time_budget = attr_u32(tb[XDPLUA_A_TIME_BUDGET]);
	info->ncpus = attr_u32(tb[XDPLUA_A_NCPUS]);
	info->source_size = attr_u32(tb[XDPLUA_A_SOURCE_SIZE]);
	info->mem_used = attr_u64(tb[XDPLUA_A_MEM_USED]);
	if (tb[XDPLUA_A_STATS] &&
	    mnl_attr_parse_nested(tb[XDPLUA_A_STATS], stat_cb,
				  info->stats) < 0)
		return -EBADMSG;
	a = tb[XDPLUA_A_ERROR];
	if (a && mnl_attr_get_payload_len(a)) {
		info->last_error = strndup(mnl_attr_get_payload(a),
					   mnl_attr_get_payload_len(a));
		if (!info->last_error)
			return -ENOMEM;
		if (!info->last_error[0]) {
			free(info->last_error);
			info->last_error = NULL;
		}
	}
	return 0;
}

static int get_cb(struct genl *g, const struct nlmsghdr *nlh, void *data)
{
	struct script_info *info = data;

	(void)g;
	if (info->id)	/* one answer expected */
		return 0;
	return info_parse(nlh, info);
}

/*
 * Describes the script named name (or, if name is NULL, with id id).
 * Returns -ENOENT if there is none.
 */
int genl_get(struct genl *g, const char *name, __u32 id,
	     struct script_info *info)
{
	char buf[SMALL_MSG_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(info, 0, sizeof(*info));
	nlh = put_header(buf, g->family, XDPLUA_CMD_GET, XDPLUA_GENL_VERSION);
	if (name)
		mnl_attr_put_strz(nlh, XDPLUA_A_NAME, name);
	else
		mnl_attr_put_u32(nlh, XDPLUA_A_ID, id);
	err = genl_talk(g, nlh, get_cb, info);
	if (!err && !info->id)
		err = -ENOENT;
	if (err)
		script_info_free(info);
	return err;
}

struct dump {
	struct script_info *infos;
	int count;
	int cap;
};

static int dump_cb(struct genl *g, const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct script_info *grown;

	(void)g;
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		grown = realloc(d->infos, d->cap * sizeof(*d->infos));
		if (!grown)
			return -ENOMEM;
		d->infos = grown;
	}
	if (info_parse(nlh, &d->infos[d->count]))
		return -EBADMSG;
	d->count++;
	return 0;
}

/* Describes every script, in the module's order. */
int genl_dump(struct genl *g, struct script_info **infos, int *count)
{
	char buf[SMALL_MSG_SIZE];
	struct dump d = { 0 };
	struct nlmsghdr *nlh;
	int err, i;

	nlh = put_header(buf, g->family, XDPLUA_CMD_GET, XDPLUA_GENL_VERSION);
	nlh->nlmsg_flags = NLM_F_DUMP;
	err = genl_talk(g, nlh, dump_cb, &d);
	if (err) {
		for (i = 0; i < d.count; i++)
			script_info_free(&d.infos[i]);
		free(d.infos);
		return err;
	}
	*infos = d.infos;
	*count = d.count;
	return 0;
}

void script_info_free(struct script_info *info)
{
	free(info->last_error);
	info->last_error = NULL;
}

/* --- requests built elsewhere (table.c) ---------------------------------- */

struct call_ctx {
	genl_attrs_cb cb;
	void *data;
};

static int call_cb(struct genl *g, const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[XDPLUA_A_MAX + 1];
	struct call_ctx *c = data;

	if (parse_attrs(nlh, tb, XDPLUA_A_MAX))
		return -EBADMSG;
	if (tb[XDPLUA_A_ERROR])
		set_error(g, mnl_attr_get_payload(tb[XDPLUA_A_ERROR]),
			  mnl_attr_get_payload_len(tb[XDPLUA_A_ERROR]));
	return c->cb ? c->cb(tb, c->data) : 0;
}

/* A request of the family with command cmd, in buf (MNL_SOCKET_BUFFER_SIZE). */
struct nlmsghdr *genl_msg(struct genl *g, void *buf, __u8 cmd)
{
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)));
	return put_header(buf, g->family, cmd, XDPLUA_GENL_VERSION);
}

/*
 * Send req (a dump if it has NLM_F_DUMP); cb gets the attributes of each
 * answer. Returns 0 or a negative errno (explanation: genl_error).
 */
int genl_call(struct genl *g, struct nlmsghdr *req, genl_attrs_cb cb,
	      void *data)
{
	struct call_ctx c = { cb, data };

	return genl_talk(g, req, call_cb, &c);
}
