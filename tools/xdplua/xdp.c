// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs on interfaces: which ones run XDPLua's dispatcher for which
 * script, and attaching and detaching dispatchers. There is no state file:
 * the kernel is asked every time. A dispatcher is an XDP program with a
 * SCRIPT_ID_VAR variable in its .rodata map (the default one, named
 * DISPATCHER_NAME, or a user's program built on bpf/xdplua.bpf.h and
 * attached with --prog); that variable holds the script's id.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <xdp/libxdp.h>

#include "xdplua.h"
#include "dispatcher.skel.h"

#define MAX_PROG_MAPS	16

/* The last "Kernel error message" libbpf saw: folded into our messages. */
static char kernel_error[256];

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	static const char kernel_prefix[] = "libbpf: Kernel error message: ";
	char *text = NULL;
	size_t len;
	int ret;

	if (verbose)
		return vfprintf(stderr, fmt, ap);
	if (level != LIBBPF_WARN)
		return 0;
	ret = vasprintf(&text, fmt, ap);
	if (ret < 0)
		return ret;
	if (!strncmp(text, kernel_prefix, sizeof(kernel_prefix) - 1)) {
		snprintf(kernel_error, sizeof(kernel_error), "%s",
			 text + sizeof(kernel_prefix) - 1);
		len = strlen(kernel_error);
		while (len && kernel_error[len - 1] == '\n')
			kernel_error[--len] = '\0';
	} else {
		fprintf(stderr, "xdplua: %s", text);
	}
	free(text);
	return ret;
}

void xdp_init(void)
{
	libbpf_set_print(libbpf_print);
}

static __u32 mode_flags(enum xdp_mode mode)
{
	switch (mode) {
	case MODE_NATIVE:
		return XDP_FLAGS_DRV_MODE;
	case MODE_SKB:
		return XDP_FLAGS_SKB_MODE;
	case MODE_HW:
		return XDP_FLAGS_HW_MODE;
	}
	return 0;
}

static const char *bpf_hint(int err)
{
	if (err == -EPERM || err == -EACCES)
		return "permission denied: CAP_BPF, CAP_SYS_ADMIN and CAP_NET_ADMIN are required (run as root)";
	return NULL;
}

int iface_open(const char *name, struct iface *ifc)
{
	memset(ifc, 0, sizeof(*ifc));
	if (strlen(name) >= sizeof(ifc->name)) {
		errmsg("no such interface: %s", name);
		return -ENODEV;
	}
	ifc->ifindex = if_nametoindex(name);
	if (!ifc->ifindex) {
		errmsg("no such interface: %s", name);
		return -ENODEV;
	}
	strcpy(ifc->name, name);
	return 0;
}

/*
 * Offset of SCRIPT_ID_VAR in the .rodata section described by datasec type
 * id of btf, or -1 if it has none.
 */
static long script_id_offset(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_var_secinfo *vsi;
	int i;

	if (!t || !btf_is_datasec(t))
		return -1;
	vsi = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);

		if (var && vsi->size == sizeof(__u32) &&
		    !strcmp(btf__name_by_offset(btf, var->name_off),
			    SCRIPT_ID_VAR))
			return vsi->offset;
	}
	return -1;
}

/* Whether a map's name is that of a .rodata section ("prefix.rodata") */
static bool is_rodata(const char *name)
{
	size_t len = strlen(name);

	return len >= 7 && !strcmp(name + len - 7, ".rodata");
}

/* Offset of SCRIPT_ID_VAR in a .rodata map, from the map's BTF, or -1. */
static long rodata_offset(const struct bpf_map_info *info)
{
	struct btf *btf;
	long offset;

	if (!info->btf_id || !info->btf_value_type_id)
		return -1;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return -1;
	offset = script_id_offset(btf, info->btf_value_type_id);
	btf__free(btf);
	return offset;
}

/* Reads SCRIPT_ID_VAR from a program's map, if it is a .rodata map with one */
static int map_script_id(__u32 map_id, __u32 *script_id)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), key = 0;
	void *value;
	long offset;
	int fd, err;

	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		return -errno;
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		goto out;
	err = -ENOENT;
	if (!is_rodata(info.name) || info.type != BPF_MAP_TYPE_ARRAY ||
	    info.value_size < sizeof(__u32))
		goto out;
	offset = rodata_offset(&info);
	if (offset < 0 || (size_t)offset > info.value_size - sizeof(__u32))
		goto out;
	value = calloc(1, info.value_size);
	err = -ENOMEM;
	if (!value)
		goto out;
	err = bpf_map_lookup_elem(fd, &key, value);
	if (!err)
		memcpy(script_id, (char *)value + offset, sizeof(*script_id));
	free(value);
out:
	close(fd);
	return err;
}

static int prog_inspect(struct xdp_prog *p)
{
	struct bpf_prog_info info = { 0 };
	__u32 map_ids[MAX_PROG_MAPS];
	__u32 len = sizeof(info), i;
	int fd, err;

	fd = bpf_prog_get_fd_by_id(p->prog_id);
	if (fd < 0)
		return -errno;
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (__u64)(unsigned long)map_ids;
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return err;
	snprintf(p->name, sizeof(p->name), "%s", info.name);
	if (info.type != BPF_PROG_TYPE_XDP && info.type != BPF_PROG_TYPE_EXT)
		return 0;
	if (info.nr_map_ids > MAX_PROG_MAPS)
		info.nr_map_ids = MAX_PROG_MAPS;
	for (i = 0; i < info.nr_map_ids; i++) {
		if (!map_script_id(map_ids[i], &p->script_id)) {
			p->is_dispatcher = true;
			break;
		}
	}
	return 0;
}

/* libxdp's multi-program dispatcher, as its programs are named */
#define LIBXDP_DISPATCHER_NAME	"xdp_dispatcher"

/*
 * The programs libxdp's dispatcher on ifc runs, after ifc->progs: each is
 * a component (an extension program in one of the dispatcher's slots).
 */
static int query_components(struct iface *ifc, enum xdp_mode mode)
{
	struct xdp_program *xp = NULL;
	struct xdp_multiprog *mp;
	int err = 0;

	mp = xdp_multiprog__get_from_ifindex(ifc->ifindex);
	err = libxdp_get_error(mp);
	if (err)
		return err;
	while ((xp = xdp_multiprog__next_prog(xp, mp)) &&
	       ifc->nprogs < (int)ARRAY_SIZE(ifc->progs)) {
		struct xdp_prog *p = &ifc->progs[ifc->nprogs];

		memset(p, 0, sizeof(*p));
		p->prog_id = xdp_program__id(xp);
		p->mode = mode;
		p->component = true;
		err = prog_inspect(p);
		if (err)
			break;
		ifc->nprogs++;
	}
	xdp_multiprog__close(mp);
	return err;
}

/*
 * Fills ifc->progs with the XDP programs on the interface (and those
 * libxdp's dispatcher runs). Prints nothing:
 * returns a negative errno (-ENOENT if a program went away meanwhile).
 */
int iface_query(struct iface *ifc)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct {
		__u32 id;
		enum xdp_mode mode;
	} slots[3];
	int err, i;

	ifc->nprogs = 0;
	err = bpf_xdp_query(ifc->ifindex, 0, &q);
	if (err)
		return err;
	slots[0].id = q.drv_prog_id;
	slots[0].mode = MODE_NATIVE;
	slots[1].id = q.skb_prog_id;
	slots[1].mode = MODE_SKB;
	slots[2].id = q.hw_prog_id;
	slots[2].mode = MODE_HW;
	for (i = 0; i < 3; i++) {
		struct xdp_prog *p = &ifc->progs[ifc->nprogs];

		if (!slots[i].id)
			continue;
		memset(p, 0, sizeof(*p));
		p->prog_id = slots[i].id;
		p->mode = slots[i].mode;
		err = prog_inspect(p);
		if (err)
			return err;
		p->is_libxdp = !strcmp(p->name, LIBXDP_DISPATCHER_NAME);
		ifc->nprogs++;
		if (p->is_libxdp && slots[i].mode != MODE_HW) {
			err = query_components(ifc, slots[i].mode);
			if (err)
				return err;
		}
	}
	return 0;
}

/* iface_query(), printing what went wrong. */
int iface_inspect(struct iface *ifc)
{
	int err = iface_query(ifc);

	if (err)
		errmsg("cannot query XDP on %s: %s", ifc->name,
		       bpf_hint(err) ?: strerror(-err));
	return err;
}

/* "eth0", or "eth0@ns" for an interface of another network namespace */
const char *iface_label(const struct iface *ifc, char *buf, size_t size)
{
	if (!ifc->netns[0])
		return ifc->name;
	snprintf(buf, size, "%s@%s", ifc->name, ifc->netns);
	return buf;
}

/* Append the current network namespace's interfaces, queried, to *list.
 * Interfaces that vanish meanwhile are left out.
 */
static int list_here(const char *netns, struct iface **list, int *count)
{
	struct if_nameindex *names, *n;
	struct iface *grown;
	int nr = 0, err = 0;

	names = if_nameindex();
	if (!names) {
		err = -errno;
		errmsg("cannot list the interfaces: %s", strerror(errno));
		return err;
	}
	for (n = names; n->if_index; n++)
		nr++;
	grown = realloc(*list, (*count + nr + 1) * sizeof(**list));
	if (!grown) {
		if_freenameindex(names);
		errmsg("out of memory");
		return -ENOMEM;
	}
	*list = grown;
	for (n = names; n->if_index; n++) {
		struct iface *ifc = &grown[*count];

		memset(ifc, 0, sizeof(*ifc));
		ifc->ifindex = n->if_index;
		snprintf(ifc->name, sizeof(ifc->name), "%s", n->if_name);
		snprintf(ifc->netns, sizeof(ifc->netns), "%s", netns);
		err = iface_query(ifc);
		if (err == -ENODEV || err == -ENOENT)
			continue;
		if (err) {
			errmsg("cannot query XDP on %s: %s", ifc->name,
			       bpf_hint(err) ?: strerror(-err));
			break;
		}
		(*count)++;
	}
	if_freenameindex(names);
	return err == -ENODEV || err == -ENOENT ? 0 : err;
}

/* The interfaces of the named network namespaces (ip netns), the current
 * one excepted. Namespaces that cannot be entered are skipped.
 */
static void list_named(struct iface **list, int *count)
{
	struct stat self, st;
	struct dirent *d;
	char path[PATH_MAX];
	int here, fd;
	DIR *dir;

	dir = opendir("/run/netns");
	if (!dir)
		return;
	here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (here < 0 || fstat(here, &self)) {
		closedir(dir);
		if (here >= 0)
			close(here);
		return;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!fstat(fd, &st) && st.st_ino != self.st_ino &&
		    !setns(fd, CLONE_NEWNET)) {
			list_here(d->d_name, list, count);
			if (setns(here, CLONE_NEWNET)) {
				errmsg("cannot return to the original network namespace");
				exit(1);
			}
		}
		close(fd);
	}
	close(here);
	closedir(dir);
}

/* Every interface, queried: ours, then those of the named namespaces. */
int iface_list(struct iface **ifcs, int *count)
{
	struct iface *list = NULL;
	int err;

	*count = 0;
	err = list_here("", &list, count);
	if (err) {
		free(list);
		return err;
	}
	list_named(&list, count);
	*ifcs = list;
	return 0;
}

struct xdp_prog *iface_dispatcher(struct iface *ifc)
{
	int i;

	for (i = 0; i < ifc->nprogs; i++)
		if (ifc->progs[i].is_dispatcher)
			return &ifc->progs[i];
	return NULL;
}

/* The native or skb program: there is at most one of them. */
struct xdp_prog *iface_main_prog(struct iface *ifc)
{
	int i;

	for (i = 0; i < ifc->nprogs; i++)
		if (ifc->progs[i].mode != MODE_HW && !ifc->progs[i].component)
			return &ifc->progs[i];
	return NULL;
}

static enum xdp_attach_mode libxdp_mode(enum xdp_mode mode)
{
	return mode == MODE_SKB ? XDP_MODE_SKB :
	       mode == MODE_HW ? XDP_MODE_HW : XDP_MODE_NATIVE;
}

static void attach_failed(const struct iface *ifc, enum xdp_mode mode,
			  int err);

/*
 * prog (of obj, opened) as one of the programs of libxdp's dispatcher on
 * ifc (libxdp starts one if the interface runs no XDP program), then old
 * (one of them) out: two steps, during which both run.
 */
static int join_multiprog(const struct iface *ifc, struct bpf_object *obj,
			  struct bpf_program *prog, enum xdp_mode mode,
			  const struct xdp_prog *old)
{
	struct xdp_program *xp;
	int err;

	xp = xdp_program__from_bpf_obj(obj, bpf_program__section_name(prog));
	err = libxdp_get_error(xp);
	if (err) {
		errmsg("cannot prepare %s for libxdp: %s",
		       bpf_program__name(prog), strerror(-err));
		return err;
	}
	err = xdp_program__attach(xp, ifc->ifindex, libxdp_mode(mode), 0);
	xdp_program__close(xp);
	if (err) {
		attach_failed(ifc, mode, err);
		return err;
	}
	return old ? dispatcher_detach(ifc, old) : 0;
}

static void attach_failed(const struct iface *ifc, enum xdp_mode mode,
			  int err)
{
	if (bpf_hint(err)) {
		errmsg("cannot attach to %s: %s", ifc->name, bpf_hint(err));
		return;
	}
	if (mode == MODE_NATIVE && err == -EOPNOTSUPP) {
		errmsg("%s has no native XDP support: use --mode skb",
		       ifc->name);
		return;
	}
	if (kernel_error[0]) {
		errmsg("cannot attach to %s in %s mode: %s", ifc->name,
		       mode_name(mode), kernel_error);
		return;
	}
	if (err == -EEXIST || err == -EBUSY) {
		errmsg("cannot attach to %s: its XDP program changed meanwhile, try again",
		       ifc->name);
		return;
	}
	errmsg("cannot attach to %s in %s mode: %s", ifc->name,
	       mode_name(mode), strerror(-err));
}

/*
 * Sets SCRIPT_ID_VAR in the .rodata of obj (opened, not loaded yet) to id.
 * Returns -ENOENT if obj has no such variable.
 */
static int set_script_id(struct bpf_object *obj, __u32 id)
{
	const struct btf *btf = bpf_object__btf(obj);
	const void *init;
	struct bpf_map *map;
	size_t size;
	long offset;
	char *data;
	int type, err;

	if (!btf)
		return -ENOENT;
	bpf_object__for_each_map(map, obj) {
		if (!bpf_map__is_internal(map) || !is_rodata(bpf_map__name(map)))
			continue;
		type = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
		if (type < 0)
			return -ENOENT;
		offset = script_id_offset(btf, type);
		init = bpf_map__initial_value(map, &size);
		if (offset < 0 || !init || size < sizeof(id) ||
		    (size_t)offset > size - sizeof(id))
			return -ENOENT;
		data = malloc(size);
		if (!data)
			return -ENOMEM;
		memcpy(data, init, size);
		memcpy(data + offset, &id, sizeof(id));
		err = bpf_map__set_initial_value(map, data, size);
		free(data);
		return err;
	}
	return -ENOENT;
}

/* The first XDP program of obj (opened), or NULL */
static struct bpf_program *xdp_program_of(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP)
			return prog;
	return NULL;
}

/*
 * Opens the eBPF object an attach loads: the default dispatcher (built in),
 * or the one of --prog, which must have an XDP program and SCRIPT_ID_VAR.
 * Sets the script id. Prints what went wrong.
 */
static struct bpf_object *open_dispatcher(const char *file, __u32 script_id,
					  struct dispatcher_bpf **skel,
					  struct bpf_program **prog)
{
	struct bpf_object *obj;
	int err;

	*skel = NULL;
	if (!file) {
		*skel = dispatcher_bpf__open();
		if (!*skel) {
			errmsg("cannot open the XDPLua dispatcher: %s",
			       strerror(errno));
			return NULL;
		}
		(*skel)->rodata->xdplua_script_id = script_id;
		*prog = (*skel)->progs.xdplua_dispatch;
		return (*skel)->obj;
	}
	obj = bpf_object__open_file(file, NULL);
	err = libbpf_get_error(obj);
	if (err) {
		errmsg("cannot open %s: %s", file,
		       err == -ENOENT ? "no such file" : strerror(-err));
		return NULL;
	}
	*prog = xdp_program_of(obj);
	if (!*prog)
		errmsg("%s has no XDP program (SEC(\"xdp\"))", file);
	else if (set_script_id(obj, script_id))
		errmsg("%s has no 'const volatile __u32 %s' that says which script it calls (see xdplua.bpf.h)",
		       file, SCRIPT_ID_VAR);
	else
		return obj;
	bpf_object__close(obj);
	return NULL;
}

/*
 * Loads a dispatcher for script_id (the default one, or prog_file's) and
 * attaches it to ifc, atomically in place of old if there is one. The
 * module must be loaded (the dispatcher calls its kfunc). Prints what went
 * wrong.
 */
int dispatcher_attach(const struct iface *ifc, __u32 script_id,
		      enum xdp_mode mode, const struct xdp_prog *old, bool join,
		      const char *prog_file)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	struct dispatcher_bpf *skel;
	struct bpf_program *prog, *other;
	struct bpf_object *obj;
	__u32 flags = mode_flags(mode);
	int err, old_fd = -1;

	kernel_error[0] = '\0';
	obj = open_dispatcher(prog_file, script_id, &skel, &prog);
	if (!obj)
		return -EINVAL;
	if (join) {
		err = join_multiprog(ifc, obj, prog, mode, old);
		goto out;
	}
	/* of a user's object, only the program attached is loaded */
	bpf_object__for_each_program(other, obj)
		bpf_program__set_autoload(other, other == prog);
	err = bpf_object__load(obj);
	if (err) {
		errmsg("cannot load %s: %s",
		       prog_file ?: "the XDPLua dispatcher",
		       bpf_hint(err) ?: strerror(-err));
		goto out;
	}

	if (old) {
		old_fd = bpf_prog_get_fd_by_id(old->prog_id);
		if (old_fd < 0) {
			err = -errno;
			errmsg("cannot attach to %s: its XDP program changed meanwhile, try again",
			       ifc->name);
			goto out;
		}
		opts.old_prog_fd = old_fd;
		flags |= XDP_FLAGS_REPLACE;
	} else {
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	}
	err = bpf_xdp_attach(ifc->ifindex, bpf_program__fd(prog), flags, &opts);
	if (err)
		attach_failed(ifc, mode, err);
out:
	if (old_fd >= 0)
		close(old_fd);
	/* the interface holds the program: it stays after we exit */
	if (skel)
		dispatcher_bpf__destroy(skel);
	else
		bpf_object__close(obj);
	return err;
}

/* Detaches prog from ifc, unless the interface runs another one by now. */
int dispatcher_detach(const struct iface *ifc, const struct xdp_prog *prog)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	int err, fd;

	kernel_error[0] = '\0';
	if (prog->component) {
		struct xdp_program *xp = xdp_program__from_id(prog->prog_id);

		err = libxdp_get_error(xp);
		if (!err) {
			err = xdp_program__detach(xp, ifc->ifindex,
						  libxdp_mode(prog->mode), 0);
			xdp_program__close(xp);
		}
		if (err)
			errmsg("cannot detach from %s: %s", ifc->name,
			       bpf_hint(err) ?: strerror(-err));
		return err;
	}
	fd = bpf_prog_get_fd_by_id(prog->prog_id);
	if (fd < 0) {
		err = -errno;
		errmsg("cannot detach from %s: %s", ifc->name,
		       bpf_hint(err) ?: "its XDP program changed meanwhile, try again");
		return err;
	}
	opts.old_prog_fd = fd;
	err = bpf_xdp_detach(ifc->ifindex,
			     mode_flags(prog->mode) | XDP_FLAGS_REPLACE,
			     &opts);
	close(fd);
	if (err)
		errmsg("cannot detach from %s: %s", ifc->name,
		       bpf_hint(err) ?: kernel_error[0] ? kernel_error :
		       strerror(-err));
	return err;
}
