// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a script on the packets of a capture, in the kernel, without
 * traffic, or in userspace (--local).
 *   xdplua run SCRIPT|NAME --pcap IN.pcap [--out OUT.pcap] [OPTIONS]
 *   xdplua run --local SCRIPT --pcap IN.pcap [--table NAME=FILE]... [OPTIONS]
 *
 * NAME is a loaded script. SCRIPT is a file, loaded for the run under a
 * temporary name (run-<pid>) and unloaded at the end, also on errors and
 * signals. Each packet goes once through an unattached copy of the default
 * dispatcher with BPF_PROG_TEST_RUN; the verdict and the resulting bytes
 * come from that run. With --repeat N the packet then goes N more times
 * through the program, for the average time per run only.
 *
 * With --local the script runs in this process on libxdplua, the module's
 * runtime built for userspace (userspace/): no module, no privileges. A
 * packet runs as in the kernel's test run (the same frame, one Lua state
 * per possible CPU, the state of the CPU we run on), and the output is the
 * same. Tables start empty but for the --table files; what the kernel
 * would log goes to stderr (or --log FILE).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdplua.h"
#include "json.h"
#include "capture.h"
#include "libxdplua.h"
#include "dispatcher.skel.h"

#define ETH_HLEN		14
#define RUN_VERDICTS		(XDP_REDIRECT + 1)
/* room for the script to grow the packet (a test run's page, and then some) */
#define GROWTH_ROOM		4096

/* "TX,PASS": a bit per verdict, any case. */
int parse_verdicts(const char *s, unsigned int *mask)
{
	const char *p = s, *end;
	unsigned int v;
	size_t len;

	*mask = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (name_parse_len(&verdict_names, p, len, &v) ||
		    v >= RUN_VERDICTS)
			return -EINVAL;
		*mask |= 1u << v;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
	xdplua_local_interrupt();	/* a --local main chunk stops */
}

/*
 * Ctrl-C and friends end the run at the next packet (and interrupt a
 * test run in progress, which returns EINTR: no SA_RESTART), so that the
 * temporary script is unloaded.
 */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void block_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

struct run {
	const struct run_opts *o;
	struct genl *g;
	__u32 id;
	char name[XDPLUA_NAME_MAX];
	bool temporary;		/* loaded by us: unload at the end */
	struct xdplua_script *local;	/* --local: the script, in libxdplua */
	struct xdplua_frame *frame;	/* --local: the packet's frame */
	struct dispatcher_bpf *skel;
	int prog_fd;
	struct capture_reader in;
	struct capture_writer out;
	unsigned char *buf;	/* the packet out of a test run */
	size_t buf_size;
	__u64 errors;		/* the script's error counter, last seen */
	/* totals */
	unsigned long packets;
	unsigned long verdicts[RUN_VERDICTS + 1];	/* + unknown */
	unsigned long failed;	/* packets on which the script failed */
	unsigned long long ns_sum;
	bool warned_truncated;
};

/*
 * The script's error counter and last error. Errors are counted per script
 * over all CPUs: if the script also runs on an interface, errors of live
 * packets are counted too.
 */
static int script_errors(struct run *r, __u64 *errors, char **last)
{
	struct script_info info;
	int err;

	if (r->local) {
		uint64_t stats[__XDPLUA_STAT_MAX];
		char buf[256];

		xdplua_local_stats(r->local, stats);
		*errors = stats[XDPLUA_STAT_ERRORS];
		if (last) {
			xdplua_local_last_error(r->local, buf, sizeof(buf));
			*last = buf[0] ? strdup(buf) : NULL;
		}
		return 0;
	}
	err = genl_get(r->g, NULL, r->id, &info);
	if (err) {
		if (err == -ENOENT)
			errmsg("script %s was unloaded during the run", r->name);
		else
			genl_fail(r->g, err, "cannot read the counters of %s",
				  r->name);
		return err;
	}
	*errors = info.stats[XDPLUA_STAT_ERRORS];
	if (last) {
		*last = info.last_error;
		info.last_error = NULL;
	}
	script_info_free(&info);
	return 0;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && !S_ISDIR(st.st_mode);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The script to run: a loaded one by name, or a file loaded for the run. */
static int find_script(struct run *r, const char *target,
		       const struct load_opts *lo, bool load_opts_given)
{
	struct script_info info;
	struct load_opts tmp = *lo;
	struct script s;
	int err;

	/* "dir/x.lua" cannot be a script's name (the module would say EINVAL) */
	err = script_name_valid(target) ? genl_get(r->g, target, 0, &info) :
					  -ENOENT;
	if (!err) {
		script_info_free(&info);
		if (load_opts_given) {
			errmsg("%s is a loaded script: -F, --file, --fallback and the budgets only apply to a script file",
			       target);
			return 2;
		}
		r->id = info.id;
		snprintf(r->name, sizeof(r->name), "%s", info.name);
		return 0;
	}
	if (err != -ENOENT) {
		genl_fail(r->g, err, "cannot look up script %s", target);
		return 1;
	}
	if (!file_exists(target)) {
		errmsg("no script named %s is loaded and there is no file %s (see xdplua status)",
		       target, target);
		return 1;
	}

	snprintf(r->name, sizeof(r->name), "run-%d", (int)getpid());
	tmp.name = r->name;
	err = script_read(&s, &tmp);
	if (!err) {
		/* loaded, then interrupted before we know: it would stay */
		block_signals(true);
		err = genl_load(r->g, &s, &tmp, &r->id);
		if (err)
			genl_fail(r->g, err, "cannot load %s", target);
		else
			r->temporary = true;
		block_signals(false);
	}
	script_free(&s);
	return err ? 1 : 0;
}

static int load_dispatcher(struct run *r)
{
	int err;

	r->skel = dispatcher_bpf__open();
	if (!r->skel) {
		errmsg("cannot open the XDPLua dispatcher: %s", strerror(errno));
		return -errno;
	}
	r->skel->rodata->xdplua_script_id = r->id;
	err = dispatcher_bpf__load(r->skel);
	if (err) {
		errmsg("cannot load the XDPLua dispatcher: %s", strerror(-err));
		return err;
	}
	r->prog_fd = bpf_program__fd(r->skel->progs.xdplua_dispatch);
	return 0;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A test run in userspace, as the kernel's: the packet in a fresh frame,
 * run repeat times (the runs after the first see what the ones before left,
 * as in the kernel), on the state of the CPU we are on; the average time.
 */
static int local_test_run(struct run *r, const struct capture_packet *p,
			  __u32 repeat, bool keep, __u32 *verdict,
			  __u32 *len_out, __u32 *ns)
{
	unsigned long long t0;
	__u32 i, ifindex, len;
	int cpu = sched_getcpu();
	int err;

	err = xdplua_frame_set(r->frame, p->data, p->caplen);
	if (err) {
		errmsg("packet %lu (%u bytes): the test run failed: %s",
		       p->number, p->caplen, strerror(-err));
		return err;
	}
	xdplua_local_set_cpu(cpu < 0 ? 0 : cpu);
	t0 = now_ns();
	for (i = 0; i < repeat; i++)
		*verdict = xdplua_local_run(r->local, r->frame, 0, &ifindex);
	if (ns)
		*ns = (now_ns() - t0) / repeat;
	len = xdplua_frame_read(r->frame, r->buf, keep ? r->buf_size : 0);
	if (len_out)
		*len_out = len;
	return 0;
}

static int test_run(struct run *r, const struct capture_packet *p, __u32 repeat,
		    bool keep, __u32 *verdict, __u32 *len_out, __u32 *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = p->data,
		.data_size_in = p->caplen,
		.repeat = repeat,
	);
	int err;

	if (r->local)
		return local_test_run(r, p, repeat, keep, verdict, len_out, ns);
	if (keep) {
		opts.data_out = r->buf;
		opts.data_size_out = r->buf_size;
	}
	err = bpf_prog_test_run_opts(r->prog_fd, &opts);
	if (err) {
		err = -errno;
		if (err == -EINTR)
			return err;
		errmsg("packet %lu (%u bytes): the test run failed: %s%s",
		       p->number, p->caplen, strerror(-err),
		       err == -EINVAL && p->caplen > 3000 ?
		       " (packets larger than a page minus XDP's headroom cannot be test-run)" :
		       "");
		return err;
	}
	*verdict = opts.retval;
	if (len_out)
		*len_out = opts.data_size_out;
	if (ns)
		*ns = opts.duration;
	return 0;
}

static void print_packet(struct run *r, const struct capture_packet *p,
			 __u32 verdict, __u32 len_out, bool timed, __u32 ns,
			 const char *error)
{
	if (r->o->json) {
		struct json j;

		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_uint(&j, "packet", p->number);
		json_kv_str(&j, "verdict", name_of(&verdict_names, verdict));
		json_kv_uint(&j, "len_in", p->caplen);
		json_kv_uint(&j, "len_out", len_out);
		if (timed)
			json_kv_uint(&j, "ns", ns);
		if (error)
			json_kv_str(&j, "error", error);
		json_object_end(&j);
		return;
	}
	printf("%lu %s %u -> %u", p->number, label_of(&verdict_names, verdict),
	       p->caplen, len_out);
	if (timed)
		printf(" %u ns", ns);
	if (error)
		printf(" (script error, fallback verdict: %s)", error);
	putchar('\n');
}

/* One packet: a test run, its line, its bytes in --out. */
static int run_packet(struct run *r, const struct capture_packet *p)
{
	const struct run_opts *o = r->o;
	__u32 verdict, len_out, ns = 0;
	char *last = NULL;
	__u64 errors;
	int err;

	if (p->caplen < ETH_HLEN) {
		errmsg("packet %lu: %u bytes is too short for XDP: at least an Ethernet header (%d bytes)",
		       p->number, p->caplen, ETH_HLEN);
		return -EINVAL;
	}
	if (p->caplen < p->len && !r->warned_truncated) {
		errmsg("warning: packet %lu was captured truncated (%u of %u bytes): runs use the captured bytes",
		       p->number, p->caplen, p->len);
		r->warned_truncated = true;
	}
	if (r->buf_size < p->caplen + GROWTH_ROOM) {
		free(r->buf);
		r->buf_size = p->caplen + GROWTH_ROOM;
		r->buf = malloc(r->buf_size);
		if (!r->buf) {
			errmsg("out of memory");
			return -ENOMEM;
		}
	}

	err = test_run(r, p, 1, true, &verdict, &len_out, NULL);
	if (err)
		return err;
	if (len_out > r->buf_size)	/* cannot happen: the kernel says ENOSPC */
		len_out = r->buf_size;
	err = script_errors(r, &errors, &last);
	if (err)
		return err;
	if (errors == r->errors) {
		free(last);
		last = NULL;
	} else if (!last) {
		last = strdup("unknown error");
	}
	r->errors = errors;
	if (last)
		r->failed++;
	/* the timed runs after the real one: their errors are not this run's */
	if (o->repeat > 1) {
		__u32 again;

		err = test_run(r, p, o->repeat, false, &again, NULL, &ns);
		if (!err)
			err = script_errors(r, &r->errors, NULL);
		if (err) {
			free(last);
			return err;
		}
		r->ns_sum += ns;
	}

	print_packet(r, p, verdict, len_out, o->repeat > 1, ns, last);
	free(last);
	r->packets++;
	r->verdicts[verdict < RUN_VERDICTS ? verdict : RUN_VERDICTS]++;

	if (o->out && (!o->out_verdicts ||
		       (verdict < RUN_VERDICTS && (o->out_verdicts & (1u << verdict)))))
		return capture_write(&r->out, p->sec, p->frac, r->buf, len_out);
	return 0;
}

static void print_summary(struct run *r)
{
	const char *sep = ": ";
	__u32 v;

	if (r->o->json) {
		struct json j;

		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_uint(&j, "packets", r->packets);
		json_key(&j, "verdicts");
		json_object_begin(&j);
		for (v = 0; v <= RUN_VERDICTS; v++)
			if (v < RUN_VERDICTS || r->verdicts[v])
				json_kv_uint(&j, name_of(&verdict_names, v),
					     r->verdicts[v]);
		json_object_end(&j);
		json_kv_uint(&j, "errors", r->failed);
		if (r->o->repeat > 1 && r->packets) {
			json_kv_uint(&j, "repeat", r->o->repeat);
			json_kv_uint(&j, "avg_ns", r->ns_sum / r->packets);
		}
		json_object_end(&j);
		return;
	}
	printf("%lu packet%s", r->packets, r->packets == 1 ? "" : "s");
	for (v = 0; v <= RUN_VERDICTS; v++) {
		if (!r->verdicts[v])
			continue;
		printf("%s%lu %s", sep, r->verdicts[v], label_of(&verdict_names, v));
		sep = ", ";
	}
	if (r->failed)
		printf("; %lu script error%s", r->failed,
		       r->failed == 1 ? "" : "s");
	if (r->o->repeat > 1 && r->packets)
		printf("; %llu ns per run on average (%u runs per packet)",
		       r->ns_sum / r->packets, r->o->repeat);
	putchar('\n');
}

/* --- in userspace (--local) --------------------------------------------- */

static FILE *local_log;

static void local_log_line(int level, const char *line)
{
	(void)level;
	fprintf(local_log, "%s\n", line);
	fflush(local_log);
}

static int local_table_set(const char *table, const struct table_entry *e,
			   void *data)
{
	struct xdplua_local_key k = {
		.is_str = !e->key_is_int, .i = e->ikey,
		.s = e->skey, .len = e->klen,
	};
	struct xdplua_local_value v = {
		.type = e->vtype == V_INT ? XDPLUA_LOCAL_INT :
			e->vtype == V_BOOL ? XDPLUA_LOCAL_BOOL :
			XDPLUA_LOCAL_STR,
		.i = e->ival, .s = e->sval, .len = e->vlen,
	};

	(void)data;
	return xdplua_local_table_set(table, &k, &v, 0);
}

/* The script's name: its file's, as `xdplua load` names it, if that is a
 * valid name, else run-<pid> as in the kernel's test runs.
 */
static void local_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && !strcmp(base + len - 4, ".lua"))
		len -= 4;
	snprintf(name, size, "%.*s", (int)len, base);
	if (len >= size || !script_name_valid(name))
		snprintf(name, size, "run-%d", (int)getpid());
}

/* A budget given (not 0) in the range the module accepts, or an error
 * as the module's answer would read.
 */
static bool budget_in_range(const char *target, int attr, __u32 v,
			    __u32 min, __u32 max)
{
	if (!v || (v >= min && v <= max))
		return true;
	errmsg("cannot load %s: integer out of range (%s: at least %u, at most %u)",
	       target, genl_attr_name(attr), min, max);
	return false;
}

/* libxdplua, the tables, the script: 0, or the exit status. */
static int local_setup(struct run *r, const char *target,
		       const struct load_opts *lo)
{
	const struct run_opts *o = r->o;
	struct xdplua_local_file files[ARRAY_SIZE(lo->files)];
	struct xdplua_local_opts opts = { 0 };
	struct load_opts tmp = *lo;
	char err[512];
	struct script s;
	int i, loaded, ret;

	if (!file_exists(target)) {
		errmsg("--local runs a script file: there is no file %s", target);
		return 1;
	}
	local_log = stderr;
	if (o->log) {
		local_log = fopen(o->log, "w");
		if (!local_log) {
			errmsg("cannot write %s: %s", o->log, strerror(errno));
			local_log = NULL;
			return 1;
		}
	}
	if (xdplua_local_init(0))
		return 1;
	xdplua_local_set_log(local_log_line);
	for (i = 0; i < o->ntables; i++) {
		ret = table_file_load(o->tables[i].name, o->tables[i].path,
				      local_table_set, NULL, &loaded);
		if (ret)
			return ret;
	}

	/* what the module's netlink policy says (and the tool adds to it) */
	if (!budget_in_range(target, XDPLUA_A_INSN_BUDGET, lo->insn_budget,
			     XDPLUA_INSN_BUDGET_MIN, XDPLUA_INSN_BUDGET_MAX) ||
	    !budget_in_range(target, XDPLUA_A_MEM_BUDGET, lo->mem_budget,
			     XDPLUA_MEM_BUDGET_MIN, XDPLUA_MEM_BUDGET_MAX) ||
	    !budget_in_range(target, XDPLUA_A_TIME_BUDGET, lo->time_budget,
			     XDPLUA_TIME_BUDGET_MIN, XDPLUA_TIME_BUDGET_MAX))
		return 1;
	local_name(target, r->name, sizeof(r->name));
	tmp.name = r->name;
	if (script_read(&s, &tmp))
		return 1;
	for (i = 0; i < s.nfiles; i++) {
		files[i].name = s.files[i].name;
		files[i].data = s.files[i].data;
		files[i].len = s.files[i].size;
	}
	opts.name = s.name;
	opts.entry = lo->entry;
	opts.has_fallback = lo->has_fallback;
	opts.fallback = lo->fallback;
	opts.insn_budget = lo->insn_budget;
	opts.mem_budget = lo->mem_budget;
	opts.time_budget = lo->time_budget;
	opts.files = files;
	opts.nfiles = s.nfiles;
	r->local = xdplua_local_load(&opts, err, sizeof(err));
	script_free(&s);
	if (!r->local) {
		errmsg("cannot load %s: %s", target, err);
		return 1;
	}
	r->frame = xdplua_frame_new();
	if (!r->frame) {
		errmsg("out of memory");
		return 1;
	}
	return 0;
}

static void local_teardown(struct run *r)
{
	xdplua_frame_free(r->frame);
	xdplua_local_unload(r->local);
	xdplua_local_exit();
	if (local_log && local_log != stderr)
		fclose(local_log);
	local_log = NULL;
}

/* --- the command --------------------------------------------------------- */

int cmd_run(const char *target, const struct load_opts *lo,
	    bool load_opts_given, const struct run_opts *o)
{
	struct capture_packet p = { 0 };
	struct run r = { .o = o, .prog_fd = -1 };
	int err = 0, ret = 1;

	catch_signals();
	if (capture_open(&r.in, o->pcap))
		return 1;
	if (o->out && same_file(o->pcap, o->out)) {
		errmsg("--out %s is the --pcap file: it would be overwritten while read",
		       o->out);
		capture_close(&r.in);
		return 1;
	}
	if (o->local) {
		ret = local_setup(&r, target, lo);
		if (ret)
			goto out;
		ret = 1;
	} else {
		r.g = genl_open();
		if (!r.g) {
			if (access("/sys/module/xdplua", F_OK))
				errmsg("without the module, `xdplua run --local %s --pcap %s` runs the script in userspace",
				       target, o->pcap);
			goto out;
		}
		ret = find_script(&r, target, lo, load_opts_given);
		if (ret)
			goto out;
		ret = 1;
		if (stop_signal || load_dispatcher(&r))
			goto out;
	}
	if (script_errors(&r, &r.errors, NULL))
		goto out;
	if (o->out && capture_create(&r.out, o->out, r.in.nsec))
		goto out;

	while (!stop_signal) {
		err = capture_next(&r.in, &p);
		if (err <= 0)
			break;
		err = run_packet(&r, &p);
		if (err)
			break;
	}
	if (stop_signal || err == -EINTR) {
		errmsg("interrupted after %lu packet%s", r.packets,
		       r.packets == 1 ? "" : "s");
		ret = 128 + (stop_signal ?: SIGINT);
		if (stop_signal == SIGPIPE)	/* nobody to tell */
			ret = 1;
		goto out;
	}
	if (err)
		goto out;
	if (capture_finish(&r.out))
		goto out;
	print_summary(&r);
	ret = 0;
out:
	if (r.out.dumper)
		capture_finish(&r.out);
	dispatcher_bpf__destroy(r.skel);
	if (r.temporary) {
		block_signals(true);
		err = genl_unload(r.g, r.id);
		if (err) {
			genl_fail(r.g, err, "cannot unload the temporary script %s",
				  r.name);
			errmsg("unload it with: xdplua unload %s", r.name);
			ret = ret ?: 1;
		}
	}
	genl_close(r.g);
	if (o->local)
		local_teardown(&r);
	capture_packet_free(&p);
	capture_close(&r.in);
	free(r.buf);
	fflush(stdout);
	return ret;
}
