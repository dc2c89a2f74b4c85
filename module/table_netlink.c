// SPDX-License-Identifier: GPL-2.0
/*
 * The XDPLUA_CMD_TABLE_* commands of the "xdplua" generic netlink family
 * (contract: include/uapi/linux/xdplua.h). Every command holds
 * xdplua_tables_lock, so the table it names cannot go away meanwhile.
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "xdplua.h"

static int table_name(struct nlattr **attrs, struct netlink_ext_ack *extack,
		      char *name)
{
	if (!attrs[XDPLUA_A_TABLE]) {
		NL_SET_ERR_MSG(extack, "a table name is required");
		return -EINVAL;
	}
	nla_strscpy(name, attrs[XDPLUA_A_TABLE], XDPLUA_NAME_MAX);
	if (!xdplua_valid_name(name)) {
		NL_SET_ERR_MSG(extack, "invalid table name (letters, digits, '_', '.', '-')");
		return -EINVAL;
	}
	return 0;
}

/* The table named in the request; holds xdplua_tables_lock. */
static struct xdplua_table *find_table(struct genl_info *info)
{
	char name[XDPLUA_NAME_MAX];
	struct xdplua_table *t;
	int ret;

	ret = table_name(info->attrs, info->extack, name);
	if (ret)
		return ERR_PTR(ret);
	t = xdplua_table_find(genl_info_net(info), name);
	if (!t) {
		NL_SET_ERR_MSG_FMT(info->extack, "no table '%s'", name);
		return ERR_PTR(-ENOENT);
	}
	return t;
}

static void create_error(struct netlink_ext_ack *extack, const char *name,
			 int err)
{
	if (err == -EEXIST)
		NL_SET_ERR_MSG_FMT(extack, "table '%s' exists", name);
	else if (err == -ENOSPC)
		NL_SET_ERR_MSG_FMT(extack, "too many tables in this namespace (at most %d)",
				   XDPLUA_MAX_TABLES);
}

static int get_key(struct genl_info *info, struct xdplua_tkey *k)
{
	struct nlattr *ki = info->attrs[XDPLUA_A_TABLE_KEY_INT];
	struct nlattr *ks = info->attrs[XDPLUA_A_TABLE_KEY_STR];

	if (!!ki == !!ks) {
		NL_SET_ERR_MSG(info->extack, "one key (integer or string) is required");
		return -EINVAL;
	}
	if (ki) {
		k->type = XDPLUA_TKEY_INT;
		k->i = (s64)nla_get_u64(ki);
		return 0;
	}
	/* 1 to XDPLUA_TABLE_KEY_MAX bytes: the policy */
	k->type = XDPLUA_TKEY_STR;
	k->s = nla_data(ks);
	k->len = nla_len(ks);
	return 0;
}

static int put_entry(struct sk_buff *skb, const char *table,
		     const struct xdplua_tkey *k, const struct xdplua_tval *v,
		     s64 ttl)
{
	if (nla_put_string(skb, XDPLUA_A_TABLE, table))
		return -EMSGSIZE;
	if (k->type == XDPLUA_TKEY_INT ?
	    nla_put_u64_64bit(skb, XDPLUA_A_TABLE_KEY_INT, k->i, XDPLUA_A_PAD) :
	    nla_put(skb, XDPLUA_A_TABLE_KEY_STR, k->len, k->s))
		return -EMSGSIZE;
	switch (v->type) {
	case XDPLUA_TVAL_INT:
		if (nla_put_u64_64bit(skb, XDPLUA_A_TABLE_INT, v->i, XDPLUA_A_PAD))
			return -EMSGSIZE;
		break;
	case XDPLUA_TVAL_STR:
		if (nla_put(skb, XDPLUA_A_TABLE_STR, v->len, v->s))
			return -EMSGSIZE;
		break;
	default:
		if (nla_put_u8(skb, XDPLUA_A_TABLE_BOOL, v->i))
			return -EMSGSIZE;
	}
	if (ttl >= 0 && nla_put_u32(skb, XDPLUA_A_TABLE_TTL, ttl))
		return -EMSGSIZE;
	return 0;
}

int xdplua_table_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	char name[XDPLUA_NAME_MAX];
	u32 max = XDPLUA_TABLE_DEFAULT_MAX;
	int ret;

	ret = table_name(info->attrs, info->extack, name);
	if (ret)
		return ret;
	if (info->attrs[XDPLUA_A_TABLE_MAX])	/* range: the policy */
		max = nla_get_u32(info->attrs[XDPLUA_A_TABLE_MAX]);
	mutex_lock(&xdplua_tables_lock);
	ret = xdplua_table_create(genl_info_net(info), name, max);
	mutex_unlock(&xdplua_tables_lock);
	create_error(info->extack, name, ret);
	return ret;
}

int xdplua_table_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_table *t;
	int ret;

	mutex_lock(&xdplua_tables_lock);
	t = find_table(info);
	ret = PTR_ERR_OR_ZERO(t);
	if (!ret) {
		int users = atomic_read(&t->users);

		ret = xdplua_table_destroy(t);
		if (ret == -EBUSY)
			NL_SET_ERR_MSG_FMT(info->extack,
					   "table '%s' is in use by loaded scripts (%d Lua states): unload them first",
					   t->name, users);
	}
	mutex_unlock(&xdplua_tables_lock);
	return ret;
}

int xdplua_table_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	char name[XDPLUA_NAME_MAX];
	struct xdplua_table *t;
	struct xdplua_tkey k;
	struct xdplua_tval v;
	u32 ttl = 0;
	int ret, nvals = !!a[XDPLUA_A_TABLE_INT] + !!a[XDPLUA_A_TABLE_STR] +
			 !!a[XDPLUA_A_TABLE_BOOL];

	ret = table_name(a, info->extack, name) ?: get_key(info, &k);
	if (ret)
		return ret;
	if (nvals != 1) {
		NL_SET_ERR_MSG(info->extack, "one value (integer, string or boolean) is required");
		return -EINVAL;
	}
	if (a[XDPLUA_A_TABLE_INT]) {
		v.type = XDPLUA_TVAL_INT;
		v.i = (s64)nla_get_u64(a[XDPLUA_A_TABLE_INT]);
	} else if (a[XDPLUA_A_TABLE_STR]) {
		v.type = XDPLUA_TVAL_STR;
		v.s = nla_data(a[XDPLUA_A_TABLE_STR]);
		v.len = nla_len(a[XDPLUA_A_TABLE_STR]);
	} else {
		v.type = XDPLUA_TVAL_BOOL;
		v.i = !!nla_get_u8(a[XDPLUA_A_TABLE_BOOL]);
	}
	if (a[XDPLUA_A_TABLE_TTL])		/* range: the policy */
		ttl = nla_get_u32(a[XDPLUA_A_TABLE_TTL]);
	mutex_lock(&xdplua_tables_lock);
	t = xdplua_table_find(genl_info_net(info), name);
	if (!t) {
		ret = xdplua_table_create(genl_info_net(info), name,
					  XDPLUA_TABLE_DEFAULT_MAX);
		create_error(info->extack, name, ret);
		t = xdplua_table_find(genl_info_net(info), name);
	}
	if (t) {
		ret = xdplua_table_set(t, &k, &v, ttl, GFP_KERNEL);
		if (ret == -ENOSPC)
			NL_SET_ERR_MSG_FMT(info->extack, "table '%s' is full (%u entries)",
					   name, t->max);
	}
	mutex_unlock(&xdplua_tables_lock);
	return ret;
}

static int send_entry(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd, const char *table, const struct xdplua_tkey *k,
		      const struct xdplua_tval *v, s64 ttl)
{
	void *hdr = xdplua_genl_put(skb, portid, seq, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (put_entry(skb, table, k, v, ttl)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int xdplua_table_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_table *t;
	struct xdplua_tkey k;
	struct xdplua_tval v;
	struct sk_buff *msg;
	char *buf;
	s64 ttl;
	int ret;

	ret = get_key(info, &k);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	buf = kmalloc(XDPLUA_TABLE_STR_MAX, GFP_KERNEL);
	if (!msg || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	mutex_lock(&xdplua_tables_lock);
	t = find_table(info);
	ret = PTR_ERR_OR_ZERO(t);
	if (!ret) {
		ret = xdplua_table_lookup(t, &k, &v, buf, &ttl);
		if (ret)
			NL_SET_ERR_MSG(info->extack, "no such key");
		else
			ret = send_entry(msg, info->snd_portid, info->snd_seq, 0,
					 XDPLUA_CMD_TABLE_GET, t->name, &k, &v, ttl);
	}
	mutex_unlock(&xdplua_tables_lock);
	if (!ret) {
		kfree(buf);
		return genlmsg_reply(msg, info);
	}
out:
	nlmsg_free(msg);
	kfree(buf);
	return ret;
}

int xdplua_table_unset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_table *t;
	struct xdplua_tkey k;
	int ret;

	ret = get_key(info, &k);
	if (ret)
		return ret;
	mutex_lock(&xdplua_tables_lock);
	t = find_table(info);
	ret = PTR_ERR_OR_ZERO(t);
	if (!ret) {
		ret = xdplua_table_delete(t, &k);
		if (ret)
			NL_SET_ERR_MSG(info->extack, "no such key");
	}
	mutex_unlock(&xdplua_tables_lock);
	return ret;
}

int xdplua_table_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_table *t;

	mutex_lock(&xdplua_tables_lock);
	t = find_table(info);
	if (!IS_ERR(t))
		xdplua_table_flush(t);
	mutex_unlock(&xdplua_tables_lock);
	return PTR_ERR_OR_ZERO(t);
}

/*
 * cb->args[0]: bucket, [1]: position in it, [2]: swept yet. The table is
 * looked up again at each round (it may have been destroyed meanwhile).
 */
int xdplua_table_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = xdplua_dump_attrs(cb);
	u32 bkt = cb->args[0], pos = cb->args[1], at_bkt, at_pos;
	struct xdplua_table *t;
	char name[XDPLUA_NAME_MAX];
	struct xdplua_tkey k;
	struct xdplua_tval v;
	char *kbuf;
	s64 ttl;
	int ret;

	ret = table_name(attrs, cb->extack, name);
	if (ret)
		return ret;
	kbuf = kmalloc(XDPLUA_TABLE_KEY_MAX + XDPLUA_TABLE_STR_MAX, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&xdplua_tables_lock);
	t = xdplua_table_find(sock_net(cb->skb->sk), name);
	if (!t) {
		mutex_unlock(&xdplua_tables_lock);
		kfree(kbuf);
		if (cb->args[2])	/* destroyed during the dump */
			return 0;
		NL_SET_ERR_MSG_FMT(cb->extack, "no table '%s'", name);
		return -ENOENT;
	}
	if (!cb->args[2]) {
		xdplua_table_sweep(t);
		cb->args[2] = 1;
	}
	for (;;) {
		at_bkt = bkt;
		at_pos = pos;
		if (xdplua_table_iter(t, &bkt, &pos, &k, kbuf, &v,
				      kbuf + XDPLUA_TABLE_KEY_MAX, &ttl, NULL))
			break;
		if (send_entry(skb, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI,
			       XDPLUA_CMD_TABLE_DUMP, t->name, &k, &v, ttl)) {
			bkt = at_bkt;
			pos = at_pos;
			break;
		}
	}
	mutex_unlock(&xdplua_tables_lock);
	kfree(kbuf);
	cb->args[0] = bkt;
	cb->args[1] = pos;
	return skb->len;
}

static int send_table(struct sk_buff *skb, struct xdplua_table *t, u32 portid,
		      u32 seq, int flags)
{
	void *hdr = xdplua_genl_put(skb, portid, seq, flags, XDPLUA_CMD_TABLE_LIST);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, XDPLUA_A_TABLE, t->name) ||
	    nla_put_u32(skb, XDPLUA_A_TABLE_MAX, t->max) ||
	    nla_put_u32(skb, XDPLUA_A_TABLE_COUNT, atomic_read(&t->count)) ||
	    nla_put_u64_64bit(skb, XDPLUA_A_TABLE_BYTES, xdplua_table_bytes(t),
			      XDPLUA_A_PAD) ||
	    nla_put_u32(skb, XDPLUA_A_TABLE_USERS, atomic_read(&t->users))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int xdplua_table_list_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xdplua_table *t;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&xdplua_tables_lock);
	t = find_table(info);
	ret = PTR_ERR_OR_ZERO(t);
	if (!ret)
		ret = send_table(msg, t, info->snd_portid, info->snd_seq, 0);
	mutex_unlock(&xdplua_tables_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the index of the next table */
int xdplua_table_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long pos = cb->args[0], at;
	struct xdplua_table *t;

	mutex_lock(&xdplua_tables_lock);
	for (;;) {
		at = pos;
		t = xdplua_table_next(sock_net(cb->skb->sk), &pos);
		if (!t)
			break;
		if (send_table(skb, t, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			pos = at;
			break;
		}
	}
	mutex_unlock(&xdplua_tables_lock);
	cb->args[0] = pos;
	return skb->len;
}
