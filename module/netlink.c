// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink control plane, family "xdplua". The contract is the
 * comment in include/uapi/linux/xdplua.h.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "xdplua.h"

static struct genl_family xdplua_family;

static const struct netlink_range_validation insn_budget_range = {
	.min = XDPLUA_INSN_BUDGET_MIN, .max = XDPLUA_INSN_BUDGET_MAX,
};
static const struct netlink_range_validation mem_budget_range = {
	.min = XDPLUA_MEM_BUDGET_MIN, .max = XDPLUA_MEM_BUDGET_MAX,
};
static const struct netlink_range_validation time_budget_range = {
	.min = XDPLUA_TIME_BUDGET_MIN, .max = XDPLUA_TIME_BUDGET_MAX,
};
static const struct netlink_range_validation table_max_range = {
	.min = 1, .max = XDPLUA_TABLE_MAX_ENTRIES,
};
static const struct netlink_range_validation table_ttl_range = {
	.min = 0, .max = XDPLUA_TABLE_TTL_MAX,
};

/* Every range is checked here, with the bounds in the extended ack. */
static const struct nla_policy xdplua_policy[XDPLUA_A_MAX + 1] = {
	[XDPLUA_A_ID]		= { .type = NLA_U32 },
	[XDPLUA_A_NAME]		= { .type = NLA_STRING, .len = XDPLUA_NAME_MAX - 1 },
	[XDPLUA_A_ENTRY]	= { .type = NLA_STRING, .len = XDPLUA_ENTRY_MAX - 1 },
	[XDPLUA_A_FALLBACK]	= NLA_POLICY_MAX(NLA_U32, XDP_TX),
	[XDPLUA_A_INSN_BUDGET]	= NLA_POLICY_FULL_RANGE(NLA_U32, &insn_budget_range),
	[XDPLUA_A_MEM_BUDGET]	= NLA_POLICY_FULL_RANGE(NLA_U32, &mem_budget_range),
	[XDPLUA_A_TIME_BUDGET]	= NLA_POLICY_FULL_RANGE(NLA_U32, &time_budget_range),
	[XDPLUA_A_FILE_NAME]	= { .type = NLA_STRING, .len = 63 },
	[XDPLUA_A_FILE_DATA]	= { .type = NLA_BINARY },
	/* shared tables */
	[XDPLUA_A_TABLE]	= { .type = NLA_STRING, .len = XDPLUA_NAME_MAX - 1 },
	[XDPLUA_A_TABLE_MAX]	= NLA_POLICY_FULL_RANGE(NLA_U32, &table_max_range),
	[XDPLUA_A_TABLE_KEY_INT] = { .type = NLA_U64 },
	[XDPLUA_A_TABLE_KEY_STR] = NLA_POLICY_RANGE(NLA_BINARY, 1, XDPLUA_TABLE_KEY_MAX),
	[XDPLUA_A_TABLE_INT]	= { .type = NLA_U64 },
	[XDPLUA_A_TABLE_STR]	= { .type = NLA_BINARY, .len = XDPLUA_TABLE_STR_MAX },
	[XDPLUA_A_TABLE_BOOL]	= NLA_POLICY_MAX(NLA_U8, 1),
	[XDPLUA_A_TABLE_TTL]	= NLA_POLICY_FULL_RANGE(NLA_U32, &table_ttl_range),
};

static void reply_error(struct genl_info *info, u8 cmd, const char *msg)
{
	struct sk_buff *skb;
	void *hdr;

	NL_SET_ERR_MSG_FMT(info->extack, "%s", msg);
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put_reply(skb, info, &xdplua_family, 0, cmd);
	if (!hdr || nla_put_string(skb, XDPLUA_A_ERROR, msg)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_reply(skb, info);
}

/* Names of scripts, files and tables: [a-zA-Z0-9_.-]+ */
bool xdplua_valid_name(const char *name)
{
	const char *p;

	if (!*name)
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && !strchr("_.-", *p))
			return false;
	return true;
}

/* The script named by XDPLUA_A_NAME or XDPLUA_A_ID. Holds xdplua_lock. */
static struct xdplua_script *find_script(struct genl_info *info)
{
	struct xdplua_script *s = NULL;
	char name[XDPLUA_NAME_MAX];

	if (info->attrs[XDPLUA_A_NAME]) {
		nla_strscpy(name, info->attrs[XDPLUA_A_NAME], sizeof(name));
		s = xdplua_find(genl_info_net(info), name, 0);
	} else if (info->attrs[XDPLUA_A_ID]) {
		s = xdplua_find(genl_info_net(info), NULL,
				nla_get_u32(info->attrs[XDPLUA_A_ID]));
	} else {
		NL_SET_ERR_MSG(info->extack, "a script name or id is required");
		return ERR_PTR(-EINVAL);
	}
	if (!s) {
		NL_SET_ERR_MSG(info->extack, "no such script");
		return ERR_PTR(-ENOENT);
	}
	return s;
}

/*
 * Collect the files of a LOAD request: each XDPLUA_A_FILE_NAME starts a
 * file, the XDPLUA_A_FILE_DATA attributes after it are its text.
 */
static int parse_files(struct genl_info *info, struct xdplua_file **filesp,
		       unsigned int *nfilesp, char **sourcep, u32 *sizep)
{
	struct xdplua_file *files = NULL;
	unsigned int nfiles = 0, i = 0;
	const struct nlattr *nla;
	size_t total = 0, off = 0;
	char *source = NULL;
	int rem;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) == XDPLUA_A_FILE_NAME) {
			if (++nfiles > XDPLUA_MAX_FILES) {
				NL_SET_ERR_MSG_FMT(info->extack, "too many files (at most %d)",
						   XDPLUA_MAX_FILES);
				return -E2BIG;
			}
		} else if (nla_type(nla) == XDPLUA_A_FILE_DATA) {
			if (!nfiles) {
				NL_SET_ERR_MSG(info->extack, "file data before a file name");
				return -EINVAL;
			}
			total += nla_len(nla);
		}
	}
	if (!nfiles) {
		NL_SET_ERR_MSG(info->extack, "no script file");
		return -EINVAL;
	}
	if (total > XDPLUA_SOURCE_MAX) {
		NL_SET_ERR_MSG(info->extack, "script too large");
		return -EFBIG;
	}
	files = kcalloc(nfiles, sizeof(*files), GFP_KERNEL);
	source = kvmalloc(total + 1, GFP_KERNEL);
	if (!files || !source)
		goto nomem;
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) == XDPLUA_A_FILE_NAME) {
			struct xdplua_file *f = &files[i++];
			unsigned int j;

			f->name = nla_strdup(nla, GFP_KERNEL);
			if (!f->name)
				goto nomem;
			if (!xdplua_valid_name(f->name) || !strcmp(f->name, ".") ||
			    !strcmp(f->name, "..")) {
				NL_SET_ERR_MSG(info->extack, "invalid file name");
				goto inval;
			}
			for (j = 0; j + 1 < i; j++) {
				if (!strcmp(files[j].name, f->name)) {
					NL_SET_ERR_MSG(info->extack, "two files of the same name");
					goto inval;
				}
			}
			f->data = source + off;
		} else if (nla_type(nla) == XDPLUA_A_FILE_DATA) {
			memcpy(source + off, nla_data(nla), nla_len(nla));
			off += nla_len(nla);
			files[i - 1].len += nla_len(nla);
		}
	}
	source[off] = '\0';
	*filesp = files;
	*nfilesp = nfiles;
	*sourcep = source;
	*sizep = total;
	return 0;
nomem:
	rem = -ENOMEM;
	goto out;
inval:
	rem = -EINVAL;
out:
	for (i = 0; files && i < nfiles; i++)
		kfree(files[i].name);
	kfree(files);
	kvfree(source);
	return rem;
}

static u32 get_u32(struct genl_info *info, int attr, u32 def)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : def;
}

static int send_script(struct sk_buff *skb, struct xdplua_script *s, u32 portid,
		       u32 seq, int flags, u8 cmd);

static int xdplua_load(struct sk_buff *skb, struct genl_info *info)
{
	char name[XDPLUA_NAME_MAX], entry[XDPLUA_ENTRY_MAX] = "callback";
	struct xdplua_script *s;
	struct xdplua_file *files;
	unsigned int nfiles;
	struct sk_buff *msg;
	char *source, *err;
	u32 size;
	int ret;

	if (!info->attrs[XDPLUA_A_NAME]) {
		NL_SET_ERR_MSG(info->extack, "a script name is required");
		return -EINVAL;
	}
	nla_strscpy(name, info->attrs[XDPLUA_A_NAME], sizeof(name));
	if (!xdplua_valid_name(name)) {
		NL_SET_ERR_MSG(info->extack, "invalid script name (letters, digits, '_', '.', '-')");
		return -EINVAL;
	}
	if (info->attrs[XDPLUA_A_ENTRY])
		nla_strscpy(entry, info->attrs[XDPLUA_A_ENTRY], sizeof(entry));
	ret = parse_files(info, &files, &nfiles, &source, &size);
	if (ret)
		return ret;
	err = kzalloc(512, GFP_KERNEL);
	if (!err) {
		ret = -ENOMEM;
		goto free_files;
	}
	/* budgets: in range (the policy) */
	s = xdplua_script_create(genl_info_net(info), name, entry,
				 get_u32(info, XDPLUA_A_FALLBACK, XDP_PASS),
				 get_u32(info, XDPLUA_A_INSN_BUDGET, XDPLUA_DEFAULT_INSN_BUDGET),
				 get_u32(info, XDPLUA_A_MEM_BUDGET, XDPLUA_DEFAULT_MEM_BUDGET),
				 get_u32(info, XDPLUA_A_TIME_BUDGET, XDPLUA_DEFAULT_TIME_BUDGET),
				 files, nfiles, source, size, err, 512);
	if (!s) {
		reply_error(info, XDPLUA_CMD_LOAD, err);
		kfree(err);
		ret = -EINVAL;
		goto free_files;
	}
	kfree(err);
	mutex_lock(&xdplua_lock);
	ret = xdplua_publish(s);
	if (ret) {
		mutex_unlock(&xdplua_lock);
		NL_SET_ERR_MSG(info->extack, "too many scripts loaded");
		xdplua_script_destroy(s);
		return ret;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (msg && send_script(msg, s, info->snd_portid, info->snd_seq, 0,
			       XDPLUA_CMD_LOAD) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	mutex_unlock(&xdplua_lock);
	return msg ? genlmsg_reply(msg, info) : -ENOMEM;

free_files:
	while (nfiles--)
		kfree(files[nfiles].name);
	kfree(files);
	kvfree(source);
	return ret;
}

static int xdplua_unload(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_script *s;

	mutex_lock(&xdplua_lock);
	s = find_script(info);
	if (!IS_ERR(s))
		xdplua_unpublish(s);
	mutex_unlock(&xdplua_lock);
	return PTR_ERR_OR_ZERO(s);
}

static int xdplua_set_entry(struct sk_buff *skb, struct genl_info *info)
{
	char entry[XDPLUA_ENTRY_MAX], err[256];
	struct xdplua_script *s;
	int ret;

	if (!info->attrs[XDPLUA_A_ENTRY]) {
		NL_SET_ERR_MSG(info->extack, "an entry function name is required");
		return -EINVAL;
	}
	nla_strscpy(entry, info->attrs[XDPLUA_A_ENTRY], sizeof(entry));
	mutex_lock(&xdplua_lock);
	s = find_script(info);
	if (IS_ERR(s)) {
		mutex_unlock(&xdplua_lock);
		return PTR_ERR(s);
	}
	ret = xdplua_script_set_entry(s, entry, err, sizeof(err));
	mutex_unlock(&xdplua_lock);
	if (ret)
		reply_error(info, XDPLUA_CMD_SET_ENTRY, err);
	return ret;
}

static int put_stats(struct sk_buff *skb, struct xdplua_script *s)
{
	u64 stats[__XDPLUA_STAT_MAX];
	struct nlattr *nest;
	int i;

	xdplua_script_stats(s, stats);
	nest = nla_nest_start(skb, XDPLUA_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = XDPLUA_STAT_RUNS; i < __XDPLUA_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, stats[i], XDPLUA_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int send_script(struct sk_buff *skb, struct xdplua_script *s, u32 portid,
		       u32 seq, int flags, u8 cmd)
{
	char err[sizeof(s->last_error)];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &xdplua_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	spin_lock_bh(&s->error_lock);
	memcpy(err, s->last_error, sizeof(err));
	spin_unlock_bh(&s->error_lock);
	if (nla_put_u32(skb, XDPLUA_A_ID, s->id) ||
	    nla_put_string(skb, XDPLUA_A_NAME, s->name) ||
	    nla_put_string(skb, XDPLUA_A_ENTRY,
			   rcu_dereference_protected(s->entry, 1)->name) ||
	    nla_put_u32(skb, XDPLUA_A_FALLBACK, s->fallback) ||
	    nla_put_u32(skb, XDPLUA_A_INSN_BUDGET, s->insn_budget) ||
	    nla_put_u32(skb, XDPLUA_A_MEM_BUDGET, s->mem_budget) ||
	    nla_put_u32(skb, XDPLUA_A_TIME_BUDGET, s->time_budget) ||
	    nla_put_u32(skb, XDPLUA_A_NCPUS, num_possible_cpus()) ||
	    nla_put_u64_64bit(skb, XDPLUA_A_MEM_USED, xdplua_script_mem(s),
			      XDPLUA_A_PAD) ||
	    nla_put_u32(skb, XDPLUA_A_SOURCE_SIZE, s->source_size) ||
	    put_stats(skb, s) ||
	    (err[0] && nla_put_string(skb, XDPLUA_A_ERROR, err))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int xdplua_get(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_script *s;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&xdplua_lock);
	s = find_script(info);
	ret = IS_ERR(s) ? PTR_ERR(s) :
	      send_script(msg, s, info->snd_portid, info->snd_seq, 0, XDPLUA_CMD_GET);
	mutex_unlock(&xdplua_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the next slot to look at */
static int xdplua_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct xdplua_script *s;
	u32 slot = cb->args[0], at;

	mutex_lock(&xdplua_lock);
	for (;;) {
		at = slot;
		s = xdplua_next(sock_net(cb->skb->sk), &slot);
		if (!s)
			break;
		if (send_script(skb, s, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, XDPLUA_CMD_GET) < 0) {
			slot = at;
			break;
		}
	}
	mutex_unlock(&xdplua_lock);
	cb->args[0] = slot;
	return skb->len;
}

static const struct genl_small_ops xdplua_ops[] = {
	{
		.cmd = XDPLUA_CMD_LOAD,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_load,
	}, {
		.cmd = XDPLUA_CMD_UNLOAD,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_unload,
	}, {
		.cmd = XDPLUA_CMD_SET_ENTRY,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_set_entry,
	}, {
		.cmd = XDPLUA_CMD_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_get,
		.dumpit = xdplua_dump,
	},
	/* shared tables: table_netlink.c */
	{
		.cmd = XDPLUA_CMD_TABLE_NEW,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_new_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_DEL,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_del_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_SET,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_set_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_get_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_UNSET,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_unset_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_DUMP,
		.flags = GENL_ADMIN_PERM,
		.dumpit = xdplua_table_dump_dumpit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_FLUSH,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_flush_doit,
	}, {
		.cmd = XDPLUA_CMD_TABLE_LIST,
		.flags = GENL_ADMIN_PERM,
		.doit = xdplua_table_list_doit,
		.dumpit = xdplua_table_list_dumpit,
	},
};

static struct genl_family xdplua_family __ro_after_init = {
	.name = XDPLUA_GENL_NAME,
	.version = XDPLUA_GENL_VERSION,
	.maxattr = XDPLUA_A_MAX,
	.policy = xdplua_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = xdplua_ops,
	.n_small_ops = ARRAY_SIZE(xdplua_ops),
	.resv_start_op = 0,	/* strict validation for every command */
};

/* A message of the family, for the commands in other files. */
void *xdplua_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &xdplua_family, flags, cmd);
}

int __init xdplua_genl_init(void)
{
	return genl_register_family(&xdplua_family);
}

void xdplua_genl_exit(void)
{
	genl_unregister_family(&xdplua_family);
}
