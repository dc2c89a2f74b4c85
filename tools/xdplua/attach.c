// SPDX-License-Identifier: GPL-2.0
/*
 * Putting scripts on interfaces and taking them off:
 *   xdplua attach NAME IFACE [--mode MODE] [--force] [--multiprog]
 *                            [--prog FILE.bpf.o]
 *   xdplua -d IFACE  (xdplua detach IFACE)
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdplua.h"

/*
 * Decides how to attach a dispatcher to ifc (as queried by iface_inspect()),
 * or refuses (printing why) when that would replace a foreign XDP program
 * without --force, or switch modes, which the kernel cannot do atomically.
 * Call it before anything is loaded, so that a refusal leaves nothing
 * behind.
 */
int attach_check(struct iface *ifc, const struct attach_opts *o,
		 struct attach_plan *plan)
{
	const struct xdp_prog *old;

	old = iface_main_prog(ifc);
	plan->prog = o->prog;
	plan->join = o->multiprog || (old && old->is_libxdp);
	if (old && old->is_libxdp) {
		/* one of its programs, in place of the XDPLua script there */
		plan->old = iface_dispatcher(ifc);
		plan->mode = o->mode_set ? o->mode : old->mode;
		if (old->mode != plan->mode) {
			errmsg("%s runs libxdp's dispatcher in %s mode: use --mode %s",
			       ifc->name, mode_name(old->mode),
			       mode_name(old->mode));
			return -EEXIST;
		}
		return 0;
	}
	plan->old = old;
	plan->mode = o->mode_set ? o->mode : old ? old->mode : MODE_NATIVE;
	if (!old)
		return 0;
	if (o->multiprog) {
		errmsg("%s runs %s, not through libxdp's dispatcher: detach it first to share %s",
		       ifc->name,
		       old->is_dispatcher ? "an XDPLua script" : old->name,
		       ifc->name);
		return -EEXIST;
	}
	if (!old->is_dispatcher && !o->force) {
		errmsg("%s already runs the XDP program %s (id %u), which is not XDPLua's: use --force to replace it, or --multiprog to share the interface through libxdp",
		       ifc->name, old->name[0] ? old->name : "(no name)",
		       old->prog_id);
		return -EEXIST;
	}
	if (old->mode != plan->mode) {
		errmsg("%s runs %s in %s mode: use --mode %s, or detach it first",
		       ifc->name,
		       old->is_dispatcher ? "an XDPLua script" : old->name,
		       mode_name(old->mode), mode_name(old->mode));
		return -EEXIST;
	}
	return 0;
}

/*
 * Whether disp (an interface's XDPLua program, or NULL) already runs script
 * id as o asks: with the default dispatcher. With --prog, the program is
 * attached again (the file may have changed): an atomic replacement.
 */
bool runs_script(const struct xdp_prog *disp, __u32 id,
		 const struct attach_opts *o)
{
	return disp && disp->script_id == id && !o->prog &&
	       !strcmp(disp->name, DISPATCHER_NAME);
}

/* "native", or "native, program NAME" for a program not the default
 * dispatcher (NAME: its program name, or the file of --prog) */
static const char *mode_label(enum xdp_mode mode, const char *program,
			      char *buf, size_t size)
{
	if (program)
		snprintf(buf, size, "%s, program %s", mode_name(mode), program);
	else
		snprintf(buf, size, "%s", mode_name(mode));
	return buf;
}

/* How p runs on its interface, for status */
const char *attach_label(const struct xdp_prog *p, char *buf, size_t size)
{
	return mode_label(p->mode, strcmp(p->name, DISPATCHER_NAME) ?
			  p->name : NULL, buf, size);
}

/* How a plan attaches, for the commands' reports */
const char *plan_label(const struct attach_plan *plan, char *buf,
		       size_t size)
{
	return mode_label(plan->mode, plan->prog, buf, size);
}

/* The names of the interfaces that run script id, comma separated. */
int attached_ifaces(__u32 id, char *buf, size_t size)
{
	struct iface *ifcs;
	size_t len = 0;
	int count, i, j, n = 0, err;

	buf[0] = '\0';
	err = iface_list(&ifcs, &count);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		for (j = 0; j < ifcs[i].nprogs; j++) {
			const struct xdp_prog *p = &ifcs[i].progs[j];

			if (!p->is_dispatcher || p->script_id != id)
				continue;
			if (len < size) {
				char label[96];

				len += snprintf(buf + len, size - len, "%s%s",
						n ? ", " : "",
						iface_label(&ifcs[i], label, sizeof(label)));
			}
			n++;
		}
	}
	free(ifcs);
	return n;
}

/* A script's name for messages, by id. */
void script_name(struct genl *g, __u32 id, char *buf, size_t size)
{
	struct script_info info;

	if (!genl_get(g, NULL, id, &info)) {
		snprintf(buf, size, "%s (id %u)", info.name, id);
		script_info_free(&info);
	} else {
		snprintf(buf, size, "script id %u", id);
	}
}

/* A copy of the object of the program that runs script id on ifc now */
static void remember_attached(const struct iface *ifc, __u32 id,
			      const char *file)
{
	struct iface now = *ifc;
	int i;

	if (iface_query(&now))
		return;
	for (i = 0; i < now.nprogs; i++)
		if (now.progs[i].is_dispatcher && now.progs[i].script_id == id)
			prog_remember(now.progs[i].prog_id, file);
}

/*
 * Attaches script id as planned by attach_check(). On success, describes
 * what it replaced in how ("" if nothing), for the caller's message.
 */
int attach_run(struct genl *g, const struct iface *ifc, __u32 id,
	       const struct attach_plan *plan, char *how, size_t size)
{
	const struct xdp_prog *old = plan->old;
	char old_name[XDPLUA_NAME_MAX + 32];
	int err;

	err = dispatcher_attach(ifc, id, plan->mode, old, plan->join,
				plan->prog);
	if (err)
		return err;
	if (plan->prog)
		remember_attached(ifc, id, plan->prog);
	how[0] = '\0';
	if (old && old->is_dispatcher && old->script_id == id) {
		snprintf(how, size, ", replacing program %s", old->name);
	} else if (old && old->is_dispatcher) {
		script_name(g, old->script_id, old_name, sizeof(old_name));
		snprintf(how, size, ", replacing %s", old_name);
	} else if (old) {
		snprintf(how, size, ", replacing XDP program %s (id %u)",
			 old->name, old->prog_id);
	}
	return 0;
}

int cmd_attach(const char *name, const char *ifname,
	       const struct attach_opts *ao)
{
	char how[XDPLUA_NAME_MAX + 64], label[PATH_MAX + 32];
	struct script_info info;
	struct attach_plan plan;
	struct xdp_prog *disp;
	struct iface ifc;
	struct genl *g;
	int err;

	if (iface_open(ifname, &ifc))
		return 1;
	g = genl_open();
	if (!g)
		return 1;
	err = genl_get(g, name, 0, &info);
	if (err == -ENOENT) {
		errmsg("no script named %s: load it first (xdplua load SCRIPT)",
		       name);
		goto out;
	}
	if (err) {
		genl_fail(g, err, "cannot look up script %s", name);
		goto out;
	}
	err = iface_inspect(&ifc);
	if (err)
		goto out_info;
	disp = iface_dispatcher(&ifc);
	if (runs_script(disp, info.id, ao)) {
		printf("%s (id %u) is already attached to %s (%s)\n",
		       info.name, info.id, ifc.name, mode_name(disp->mode));
		goto out_info;
	}
	err = attach_check(&ifc, ao, &plan);
	if (!err)
		err = attach_run(g, &ifc, info.id, &plan, how, sizeof(how));
	if (!err)
		printf("attached %s (id %u) to %s (%s)%s\n", info.name,
		       info.id, ifc.name, plan_label(&plan, label,
						     sizeof(label)), how);
out_info:
	script_info_free(&info);
out:
	genl_close(g);
	return err ? 1 : 0;
}

int cmd_detach(const char *ifname)
{
	char where[256], name[XDPLUA_NAME_MAX + 32];
	struct xdp_prog *disp, *prog;
	struct iface ifc;
	struct genl *g;
	int err, n;

	if (iface_open(ifname, &ifc) || iface_inspect(&ifc))
		return 1;
	disp = iface_dispatcher(&ifc);
	prog = iface_main_prog(&ifc);
	if (!disp) {
		if (prog)
			errmsg("%s runs the XDP program %s (id %u), which is not XDPLua's: not detaching it",
			       ifc.name, prog->name[0] ? prog->name : "(no name)",
			       prog->prog_id);
		else
			errmsg("%s runs no XDPLua script", ifc.name);
		return 1;
	}
	g = genl_open();
	if (!g)
		return 1;
	script_name(g, disp->script_id, name, sizeof(name));
	err = dispatcher_detach(&ifc, disp);
	if (err)
		goto out;

	n = attached_ifaces(disp->script_id, where, sizeof(where));
	if (n > 0) {
		printf("detached %s from %s; still attached to %s\n", name,
		       ifc.name, where);
		goto out;
	}
	if (n < 0) {	/* could not check: better keep the script */
		printf("detached %s from %s\n", name, ifc.name);
		errmsg("cannot tell whether %s runs elsewhere: it stays loaded (xdplua unload NAME)",
		       name);
		err = n;
		goto out;
	}
	err = genl_unload(g, disp->script_id);
	if (err == -ENOENT) {
		printf("detached %s from %s\n", name, ifc.name);
		err = 0;
	} else if (err) {
		genl_fail(g, err, "detached %s from %s, but cannot unload it",
			  name, ifc.name);
	} else {
		printf("detached %s from %s and unloaded it\n", name,
		       ifc.name);
	}
out:
	genl_close(g);
	return err ? 1 : 0;
}
