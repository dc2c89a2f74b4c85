/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdplua: load Lua scripts into xdplua.ko and run them in the XDP hook.
 */
#ifndef XDPLUA_H
#define XDPLUA_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/xdplua.h>

#define DISPATCHER_NAME	"xdplua_dispatch"	/* BPF program name */
/* the .rodata variable of an XDPLua program: the id of the script it calls */
#define SCRIPT_ID_VAR	"xdplua_script_id"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

extern bool verbose;
#include "errmsg.h"

/* util.c */
const char *perm_hint(int err);
int parse_u32(const char *s, __u32 *val);
int parse_bytes(const char *s, __u32 *val);
int parse_time_us(const char *s, __u32 *val);
bool script_name_valid(const char *name);
void format_bytes(char *buf, size_t size, unsigned long long bytes);

/*
 * names.c: an enumeration's names. Each value has one name (options, JSON,
 * xdplua.conf: "pass") and one label for people ("PASS"); parsing takes
 * either, in any case, and an alias.
 */
struct name_entry {
	unsigned int value;
	const char *name;
	const char *label;
	const char *alias;	/* or NULL */
};

struct name_table {
	const char *what;	/* "verdict" */
	const struct name_entry *entries;
	size_t count;
};

extern const struct name_table verdict_names;	/* XDP_* */
extern const struct name_table fallback_names;	/* XDP_* but redirect */
extern const struct name_table mode_names;	/* enum xdp_mode */
extern const struct name_table attach_mode_names;	/* native, skb */
extern const struct name_table vtype_names;	/* enum vtype */

const char *name_of(const struct name_table *t, unsigned int value);
const char *label_of(const struct name_table *t, unsigned int value);
int name_parse(const struct name_table *t, const char *s, unsigned int *value);
int name_parse_len(const struct name_table *t, const char *s, size_t len,
		   unsigned int *value);
const char *name_list(const struct name_table *t, char *buf, size_t size);

/* script.c: the files of a script, as read from disk */
struct script_file {
	const char *path;	/* as given on the command line */
	const char *name;	/* basename, as "require" sees it */
	char *data;
	size_t size;
};

struct load_opts {
	const char *name;	/* NULL: from the main file's name */
	const char *entry;	/* NULL: the module's default */
	bool has_fallback;
	__u32 fallback;
	__u32 insn_budget;	/* 0: the module's default */
	__u32 mem_budget;	/* 0: the module's default */
	__u32 time_budget;	/* microseconds, 0: the module's default */
	const char *files[64];	/* files[0] is the main chunk */
	int nfiles;
};

struct script {
	char name[XDPLUA_NAME_MAX];
	struct script_file *files;
	int nfiles;
	size_t size;		/* all files */
};

int script_read(struct script *s, const struct load_opts *o);
void script_free(struct script *s);
/* remember.c: a copy of a loaded script's files for "xdplua save" */
void script_remember(const struct script *s);
void prog_remember(__u32 prog_id, const char *file);
/* reads f->path into f->data (malloc'ed; at most a little past the
 * source limit), printing what went wrong */
int script_file_read(struct script_file *f);
/* xdplua apply|save ARGS: runs the xdplua-config helper */
int cmd_config(char **argv);

/* netlink.c: the "xdplua" generic netlink family */
struct script_info {
	__u32 id;
	char name[XDPLUA_NAME_MAX];
	char entry[XDPLUA_ENTRY_MAX];
	__u32 fallback;
	__u32 insn_budget;
	__u32 mem_budget;
	__u32 time_budget;
	__u32 ncpus;
	__u32 source_size;
	__u64 mem_used;
	__u64 stats[XDPLUA_STAT_MAX + 1];
	char *last_error;	/* NULL if none */
};

struct genl;

struct genl *genl_open(void);
void genl_close(struct genl *g);
const char *genl_error(struct genl *g, int err);
/* What the user calls an attribute of a request (an option), or NULL. */
const char *genl_attr_name(int type);
void genl_fail(struct genl *g, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int genl_load(struct genl *g, const struct script *s,
	      const struct load_opts *o, __u32 *id);
int genl_unload(struct genl *g, __u32 id);
int genl_set_entry(struct genl *g, __u32 id, const char *entry);
int genl_get(struct genl *g, const char *name, __u32 id,
	     struct script_info *info);
int genl_dump(struct genl *g, struct script_info **infos, int *count);
void script_info_free(struct script_info *info);

/* requests built by the commands themselves (table.c) */
struct nlattr;
struct nlmsghdr;
typedef int (*genl_attrs_cb)(const struct nlattr **tb, void *data);
struct nlmsghdr *genl_msg(struct genl *g, void *buf, __u8 cmd);
int genl_call(struct genl *g, struct nlmsghdr *req, genl_attrs_cb cb,
	      void *data);

/* xdp.c: XDP programs on interfaces, the dispatcher */
enum xdp_mode {
	MODE_NATIVE,
	MODE_SKB,
	MODE_HW,
};

struct xdp_prog {
	__u32 prog_id;
	enum xdp_mode mode;
	char name[BPF_OBJ_NAME_LEN];
	bool is_dispatcher;
	__u32 script_id;	/* if is_dispatcher */
	bool is_libxdp;		/* libxdp's multi-program dispatcher */
	bool component;		/* one of the programs libxdp's dispatcher runs */
};

/* libxdp's dispatcher runs at most 10 programs */
#define MAX_COMPONENTS	10

struct iface {
	int ifindex;
	char name[IF_NAMESIZE];
	char netns[64];		/* "" = ours, else the name under /run/netns */
	int nprogs;
	struct xdp_prog progs[3 + MAX_COMPONENTS];
};

void xdp_init(void);
/* names.c: the attach modes' names */
const char *mode_name(enum xdp_mode mode);
int parse_mode(const char *s, enum xdp_mode *mode);
int iface_open(const char *name, struct iface *ifc);
int iface_query(struct iface *ifc);
int iface_inspect(struct iface *ifc);
int iface_list(struct iface **ifcs, int *count);
const char *iface_label(const struct iface *ifc, char *buf, size_t size);
struct xdp_prog *iface_dispatcher(struct iface *ifc);
struct xdp_prog *iface_main_prog(struct iface *ifc);
int dispatcher_attach(const struct iface *ifc, __u32 script_id,
		      enum xdp_mode mode, const struct xdp_prog *old, bool join,
		      const char *prog_file);
int dispatcher_detach(const struct iface *ifc, const struct xdp_prog *prog);

/* attach.c: putting scripts on interfaces */
struct attach_opts {
	enum xdp_mode mode;
	bool mode_set;
	bool force;
	bool multiprog;		/* through libxdp's dispatcher */
	const char *prog;	/* --prog: the eBPF object to attach, or NULL */
};

struct attach_plan {
	enum xdp_mode mode;
	const struct xdp_prog *old;	/* program to replace, or NULL */
	bool join;		/* a program of libxdp's dispatcher */
	const char *prog;	/* the eBPF object to attach, NULL: the default */
};

int attach_check(struct iface *ifc, const struct attach_opts *o,
		 struct attach_plan *plan);
int attach_run(struct genl *g, const struct iface *ifc, __u32 id,
	       const struct attach_plan *plan, char *how, size_t size);
void script_name(struct genl *g, __u32 id, char *buf, size_t size);
bool runs_script(const struct xdp_prog *disp, __u32 id,
		 const struct attach_opts *o);
const char *attach_label(const struct xdp_prog *p, char *buf, size_t size);
const char *plan_label(const struct attach_plan *plan, char *buf,
		       size_t size);
int attached_ifaces(__u32 id, char *buf, size_t size);

/* commands */
int cmd_load_attach(const struct load_opts *lo, const struct attach_opts *ao,
		    const char *ifname);
int cmd_load(const struct load_opts *lo);
int cmd_unload(const char *name);
int cmd_set_entry(const char *entry, const char *ifname);
int cmd_attach(const char *name, const char *ifname,
	       const struct attach_opts *ao);
int cmd_detach(const char *ifname);
int cmd_status(const char *name, bool json);
/* the table commands, in the order of xdplua.c's CMD_TABLE_* */
enum table_cmd {
	TABLE_LIST, TABLE_CREATE, TABLE_DESTROY, TABLE_SET, TABLE_GET,
	TABLE_DEL, TABLE_DUMP, TABLE_FLUSH, TABLE_LOAD,
};
struct topts;
int cmd_table(enum table_cmd cmd, const char *sub, char **args, int nargs,
	      const struct topts *o);

/* a table value's type; V_AUTO: an integer if it reads as one, else a string */
enum vtype { V_AUTO, V_INT, V_STR, V_BOOL };

/* table.c: table files, the "KEY VALUE" lines of `xdplua table load` */

struct table_entry {
	bool key_is_int;
	long long ikey;
	const char *skey;
	size_t klen;
	enum vtype vtype;	/* V_INT, V_STR or V_BOOL */
	long long ival;
	const char *sval;
	size_t vlen;
};

int table_file_load(const char *table, const char *path,
		    int (*set)(const char *table, const struct table_entry *e,
			       void *data),
		    void *data, int *loaded);

/* table.c: shared tables; requests for other tools too (xdpluatables) */

struct topts {
	bool json;
	bool skey;
	enum vtype vtype;
	__u32 max;
	__u32 ttl;
	bool has_max, has_ttl;
};

struct tkey {
	bool is_int;
	long long i;
	const char *s;
	size_t len;
};

struct tval {
	enum vtype type;	/* V_INT, V_STR or V_BOOL */
	long long i;
	const char *s;
	size_t len;
};

struct tentry {
	struct tkey key;
	struct tval val;
	bool has_ttl;
	__u32 ttl;
};

/* A request of cmd on table name, with an optional key, value (and, in o,
 * --max and --ttl). Returns 0 or a negative errno (genl_error explains).
 */
int table_simple(struct genl *g, __u8 cmd, const char *name,
		 const struct tkey *k, const struct tval *v,
		 const struct topts *o);
/* The key, value and TTL of a TABLE_GET or TABLE_DUMP answer. */
int table_parse_entry(const struct nlattr **tb, struct tentry *e);

/* run.c: test runs of a script on the packets of a capture */
#define RUN_TABLES_MAX	64

struct run_table {
	const char *name;
	const char *path;
};

struct run_opts {
	const char *pcap;	/* required */
	const char *out;	/* NULL: no output capture */
	unsigned int out_verdicts;	/* bits 1 << XDP_*; 0: all */
	__u32 repeat;		/* > 1: also time N runs per packet */
	bool json;
	bool local;		/* in userspace (libxdplua), not the kernel */
	const char *log;	/* --local: the "kernel log"; NULL: stderr */
	struct run_table tables[RUN_TABLES_MAX];	/* --local: pre-filled */
	int ntables;
};

int parse_verdicts(const char *s, unsigned int *mask);
int cmd_run(const char *target, const struct load_opts *lo,
	    bool load_opts_given, const struct run_opts *o);

#endif /* XDPLUA_H */
