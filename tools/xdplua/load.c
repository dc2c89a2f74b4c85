// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading scripts:
 *   xdplua -L SCRIPT [-F FUNCTION] [OPTIONS] IFACE   load and attach
 *   xdplua -F FUNCTION IFACE                         switch the entry
 *   xdplua load SCRIPT [OPTIONS]                     load only
 *   xdplua unload NAME
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdplua.h"

static int load(struct genl *g, struct script *s, const struct load_opts *lo,
		__u32 *id)
{
	int err;

	err = genl_load(g, s, lo, id);
	if (err)
		genl_fail(g, err, "cannot load %s", s->files[0].path);
	else
		script_remember(s);
	return err;
}

/* Whether a script of that name is loaded: the load then replaces it. */
static int lookup(struct genl *g, const char *name, struct script_info *info,
		  bool *exists)
{
	int err;

	err = genl_get(g, name, 0, info);
	*exists = !err;
	if (err == -ENOENT)
		return 0;
	if (err)
		genl_fail(g, err, "cannot look up script %s", name);
	return err;
}

int cmd_load_attach(const struct load_opts *lo, const struct attach_opts *ao,
		    const char *ifname)
{
	char how[XDPLUA_NAME_MAX + 64], label[PATH_MAX + 32];
	struct script_info old = { 0 };
	struct attach_plan plan;
	struct xdp_prog *disp;
	struct script s = { 0 };
	struct genl *g = NULL;
	struct iface ifc;
	bool exists;
	__u32 id;
	int err;

	err = iface_open(ifname, &ifc);
	if (!err)
		err = script_read(&s, lo);
	if (err)
		goto out;
	err = -ENOENT;
	g = genl_open();
	if (!g)
		goto out;
	err = iface_inspect(&ifc);
	if (!err)
		err = lookup(g, s.name, &old, &exists);
	if (err)
		goto out;

	/* a reload of the script the interface runs: nothing to attach */
	disp = iface_dispatcher(&ifc);
	if (exists && runs_script(disp, old.id, ao)) {
		err = load(g, &s, lo, &id);
		if (!err)
			printf("reloaded %s (id %u); %s already runs it (%s)\n",
			       s.name, id, ifc.name, mode_name(disp->mode));
		goto out;
	}

	err = attach_check(&ifc, ao, &plan);
	if (!err)
		err = load(g, &s, lo, &id);
	if (err)
		goto out;
	if (runs_script(disp, id, ao)) {
		/* a dispatcher left over from an earlier script of this id */
		printf("%s %s (id %u); %s already runs it (%s)\n",
		       exists ? "reloaded" : "loaded", s.name, id, ifc.name,
		       mode_name(disp->mode));
		goto out;
	}
	err = attach_run(g, &ifc, id, &plan, how, sizeof(how));
	if (err) {
		if (exists)	/* the previous version is gone: say so */
			errmsg("%s (id %u) was reloaded but is not attached to %s",
			       s.name, id, ifc.name);
		else if (genl_unload(g, id))
			errmsg("%s (id %u) stays loaded: xdplua unload %s",
			       s.name, id, s.name);
		goto out;
	}
	printf("%s %s (id %u) and attached it to %s (%s)%s\n",
	       exists ? "reloaded" : "loaded", s.name, id, ifc.name,
	       plan_label(&plan, label, sizeof(label)), how);
out:
	script_info_free(&old);
	genl_close(g);
	script_free(&s);
	return err ? 1 : 0;
}

int cmd_load(const struct load_opts *lo)
{
	struct script s;
	struct genl *g;
	__u32 id;
	int err;

	err = script_read(&s, lo);
	if (err) {
		script_free(&s);
		return 1;
	}
	g = genl_open();
	if (!g) {
		script_free(&s);
		return 1;
	}
	err = load(g, &s, lo, &id);
	if (!err)
		printf("%u\n", id);
	genl_close(g);
	script_free(&s);
	return err ? 1 : 0;
}

int cmd_unload(const char *name)
{
	struct script_info info;
	struct genl *g;
	char where[256];
	int err, n;

	g = genl_open();
	if (!g)
		return 1;
	err = genl_get(g, name, 0, &info);
	if (err == -ENOENT) {
		errmsg("no script named %s (see xdplua status)", name);
		goto out;
	}
	if (err) {
		genl_fail(g, err, "cannot look up script %s", name);
		goto out;
	}
	n = attached_ifaces(info.id, where, sizeof(where));
	if (n) {
		err = n;
		if (n > 0)
			errmsg("%s is attached to %s: detach it first (xdplua -d IFACE)",
			       name, where);
		goto out_info;
	}
	err = genl_unload(g, info.id);
	if (err)
		genl_fail(g, err, "cannot unload %s", name);
	else
		printf("unloaded %s (id %u)\n", info.name, info.id);
out_info:
	script_info_free(&info);
out:
	genl_close(g);
	return err ? 1 : 0;
}

int cmd_set_entry(const char *entry, const char *ifname)
{
	char name[XDPLUA_NAME_MAX + 32];
	struct xdp_prog *disp;
	struct iface ifc;
	struct genl *g;
	int err;

	if (iface_open(ifname, &ifc) || iface_inspect(&ifc))
		return 1;
	disp = iface_dispatcher(&ifc);
	if (!disp) {
		errmsg("%s runs no XDPLua script: load one with xdplua -L SCRIPT %s",
		       ifc.name, ifc.name);
		return 1;
	}
	g = genl_open();
	if (!g)
		return 1;
	script_name(g, disp->script_id, name, sizeof(name));
	err = genl_set_entry(g, disp->script_id, entry);
	if (err)
		genl_fail(g, err, "cannot make %s call %s", name, entry);
	else
		printf("%s now calls %s for each packet\n", name, entry);
	genl_close(g);
	return err ? 1 : 0;
}
