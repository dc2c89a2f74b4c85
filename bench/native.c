// SPDX-License-Identifier: GPL-2.0
/*
 * The native benchmark (make bench-native): nanoseconds per packet of the
 * benchmark callbacks (bench/lua/) and of the DNS cache's hit path
 * (examples/dns/dns.lua) in the runtime's userspace home (libxdplua), beside
 * plain eBPF programs run on this host's kernel with BPF_PROG_TEST_RUN, all
 * in one run, as a Markdown table (stdout and build/bench/native.md).
 *
 *   bench/native [-o FILE] [-r ROUNDS] [-t MS] [-R ROW]    from the project's root
 *
 * -R ROW measures that row only (and leaves the others out of the table):
 * for profilers (valgrind --tool=callgrind bench/native -R dns_hit -r 1).
 *
 * Every row runs once per round, rounds interleaved; a row's figure is the
 * median of its rounds (as bench/callbacks.sh's in the VM).
 * Lua rows count the thread's CPU time, as BPF_PROG_TEST_RUN's timer leaves
 * out the time its task is not running.
 * Lua rows run the packet again and again in one frame, as the kernel's
 * repeated test runs do, but for the DNS row: an answer is no longer a
 * query, so the query is put back before every run (that copy is its own
 * row, and is included in the DNS figure). eBPF rows need root (BPF); they
 * are left out otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "libxdplua.h"

#define ROUNDS_MAX	15

/* Ethernet / IPv4 / UDP 10.0.0.1:12345 -> 10.0.0.2:53, 18 bytes of payload:
 * bench/callbacks.sh's packet.
 */
static const unsigned char udp_packet[60] =
	"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00"
	"\x00\x2e\x00\x00\x40\x00\x40\x11\x00\x00\x0a\x00\x00\x01\x0a\x00"
	"\x00\x02\x30\x39\x00\x35\x00\x1a\x00\x00xdplua-benchmark!!";

static unsigned char dns_query[128];
static size_t dns_query_len;

enum kind { LUA, BPF, RESET };

struct row {
	const char *name;
	const char *what;
	enum kind kind;
	const char *file;	/* Lua script or eBPF object */
	bool dns;		/* the DNS query, put back before every run */
	bool left_out;		/* not the -R row */
	struct xdplua_script *script;
	int prog_fd;
	struct bpf_object *obj;
	unsigned long iters;
	double ns[ROUNDS_MAX];
	double median;
	bool skip;
};

#define ROW(n, w, k, f, d)	{ .name = n, .what = w, .kind = k, .file = f, .dns = d }

static struct row rows[] = {
	ROW("ebpf_drop", "eBPF: return XDP_DROP", BPF, "build/bpf/trivial_drop.bpf.o", false),
	ROW("ebpf_parse", "eBPF: parse Ethernet/IPv4/UDP, drop", BPF,
	    "build/bpf/parse_drop.bpf.o", false),
	ROW("lua_drop", "Lua: return xdp.DROP", LUA, "bench/lua/drop.lua", false),
	ROW("lua_drop_local", "Lua: return DROP (local DROP = xdp.DROP at load)", LUA,
	    "bench/lua/drop_local.lua", false),
	ROW("lua_parse", "Lua: parse Ethernet/IPv4/UDP, drop", LUA, "bench/lua/parse.lua", false),
	ROW("lua_views", "Lua: the same with header views", LUA, "bench/lua/views.lua", false),
	ROW("lua_views_local", "Lua: the same, layouts bound at load", LUA, "bench/lua/views_local.lua", false),
	ROW("lua_unpack", "Lua: the same with pkt:unpack", LUA, "bench/lua/unpack.lua", false),
	ROW("lua_reply", "Lua: pkt:udp_reply (swap, checksums, TX)", LUA,
	    "bench/lua/reply.lua", false),
	ROW("lua_table", "Lua: shared table t:add(k, 1), drop", LUA, "bench/lua/table.lua", false),
	ROW("dns_hit", "Lua: dns.lua answers a cached name (TX)", LUA, "examples/dns/dns.lua", true),
	ROW("dns_fixed", "Lua: the floor, a fixed answer to any query (TX)", LUA,
	    "bench/lua/dns_fixed.lua", true),
	ROW("frame_reset", "the query put back in the frame (in dns_hit)", RESET, NULL, true),
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench/native: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

/* An A/IN query for static.example.test with EDNS(0), as dig sends it,
 * from 10.53.1.2:40000 to the upstream 10.53.2.53:53.
 */
static void make_dns_query(void)
{
	static const unsigned char dns[] =
		"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01"	/* header, RD */
		"\x06static\x07" "example\x04test\x00\x00\x01\x00\x01"	/* question */
		"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";		/* OPT, 1232 */
	size_t dlen = sizeof(dns) - 1;
	unsigned char *p = dns_query, *ip = p + 14, *udp = ip + 20;
	unsigned short c;

	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	memcpy(ip, "\x45\x00\x00\x00\x00\x01\x40\x00\x40\x11\x00\x00"
		   "\x0a\x35\x01\x02\x0a\x35\x02\x35", 20);
	ip[2] = (20 + 8 + dlen) >> 8;
	ip[3] = 20 + 8 + dlen;
	c = xdplua_local_csum(ip, 20);
	ip[10] = c >> 8;
	ip[11] = c;
	memcpy(udp, "\x9c\x40\x00\x35\x00\x00\x00\x00", 8);
	udp[4] = (8 + dlen) >> 8;
	udp[5] = 8 + dlen;
	memcpy(udp + 8, dns, dlen);
	dns_query_len = 14 + 20 + 8 + dlen;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		die("cannot read %s (run from the project's root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*len = n;
	return buf;
}

static void set_table(const char *table, const char *key, const char *val)
{
	struct xdplua_local_key k = { .is_str = true, .s = key, .len = strlen(key) };
	struct xdplua_local_value v = {
		.type = XDPLUA_LOCAL_STR, .s = val, .len = strlen(val),
	};

	if (xdplua_local_table_set(table, &k, &v, 0))
		die("cannot fill table %s", table);
}

static void load_lua(struct row *r)
{
	struct xdplua_local_file f;
	struct xdplua_local_opts o = { 0 };
	const char *base = strrchr(r->file, '/') + 1;
	char err[512];

	f.name = base;
	f.data = read_file(r->file, &f.len);
	o.name = r->name;
	o.files = &f;
	o.nfiles = 1;
	r->script = xdplua_local_load(&o, err, sizeof(err));
	if (!r->script)
		die("%s", err);
	free((char *)f.data);
}

static void load_bpf(struct row *r)
{
	struct bpf_program *prog;

	if (geteuid()) {
		r->skip = true;
		return;
	}
	r->obj = bpf_object__open_file(r->file, NULL);
	if (!r->obj || bpf_object__load(r->obj)) {
		fprintf(stderr, "bench/native: cannot load %s (make bpf; BPF needs root): eBPF row left out\n",
			r->file);
		r->skip = true;
		return;
	}
	prog = bpf_object__next_program(r->obj, NULL);
	r->prog_fd = bpf_program__fd(prog);
}

/* ns per run of n runs of the row */
static double run_lua(struct row *r, struct xdplua_frame *f, unsigned long n)
{
	const unsigned char *pkt = r->dns ? dns_query : udp_packet;
	size_t len = r->dns ? dns_query_len : sizeof(udp_packet);
	unsigned long i;
	double t0;

	xdplua_frame_set(f, pkt, len);
	t0 = now_ns();
	if (r->kind == RESET) {
		for (i = 0; i < n; i++)
			xdplua_frame_set(f, pkt, len);
	} else if (r->dns) {
		for (i = 0; i < n; i++) {
			xdplua_frame_set(f, pkt, len);
			xdplua_local_run(r->script, f, 0, NULL);
		}
	} else {
		for (i = 0; i < n; i++)
			xdplua_local_run(r->script, f, 0, NULL);
	}
	return (now_ns() - t0) / n;
}

static double run_bpf(struct row *r, unsigned long n)
{
	unsigned char out[256];

	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = udp_packet,
		.data_size_in = sizeof(udp_packet),
		.data_out = out,
		.data_size_out = sizeof(out),
		.repeat = n,
	);

	if (bpf_prog_test_run_opts(r->prog_fd, &opts))
		die("BPF_PROG_TEST_RUN failed: %s", strerror(errno));
	return opts.duration;
}

static double run_row(struct row *r, struct xdplua_frame *f, unsigned long n)
{
	return r->kind == BPF ? run_bpf(r, n) : run_lua(r, f, n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The verdict a Lua row gives its packet: it must be the one it is for. */
static void check_verdict(struct row *r, struct xdplua_frame *f)
{
	int want = r->dns || !strcmp(r->name, "lua_reply") ? XDP_TX : XDP_DROP;
	uint64_t stats[32] = { 0 };
	int act;

	xdplua_frame_set(f, r->dns ? dns_query : udp_packet,
			 r->dns ? dns_query_len : sizeof(udp_packet));
	act = xdplua_local_run(r->script, f, 0, NULL);
	if (act != want) {
		char err[256];

		xdplua_local_last_error(r->script, err, sizeof(err));
		xdplua_local_stats(r->script, stats);
		fprintf(stderr, "bench/native: %s gave verdict %d, not %d (%s)\n",
			r->name, act, want, err);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *out_path = "build/bench/native.md", *only = NULL;
	int rounds = 9, target_ms = 25, c, i;
	struct xdplua_frame *f;
	double base = 0;
	char cpu[128] = "?", line[256];
	struct utsname u;
	FILE *fp, *outs[2];
	cpu_set_t set;
	size_t j;

	while ((c = getopt(argc, argv, "o:r:t:R:")) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			target_ms = atoi(optarg);
			break;
		case 'R':
			only = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench/native [-o FILE] [-r ROUNDS] [-t MS] [-R ROW]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > ROUNDS_MAX || target_ms < 1)
		die("%s", "bad -r or -t");

	/* one CPU: the one we start on */
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	sched_setaffinity(0, sizeof(set), &set);

	libbpf_set_print(NULL);
	xdplua_local_init(1);
	xdplua_local_set_log(NULL);
	set_table("dns.config", "upstream", "10.53.2.53");
	set_table("dns.static", "static.example.test", "192.0.2.1");
	make_dns_query();
	f = xdplua_frame_new();
	for (j = 0; j < NROWS; j++) {
		if (only && strcmp(rows[j].name, only)) {
			rows[j].skip = rows[j].left_out = true;
			continue;
		}
		if (rows[j].kind == LUA) {
			load_lua(&rows[j]);
			check_verdict(&rows[j], f);
		} else if (rows[j].kind == BPF) {
			load_bpf(&rows[j]);
		}
	}

	/* iterations for about target_ms per row and round */
	for (j = 0; j < NROWS; j++) {
		struct row *r = &rows[j];
		unsigned long n = 1000;
		double ns;

		if (r->skip)
			continue;
		for (;;) {
			ns = run_row(r, f, n);
			if (ns * n > target_ms * 1e6 / 4 || n > (1UL << 30))
				break;
			n *= 4;
		}
		r->iters = (unsigned long)(target_ms * 1e6 / (ns > 0 ? ns : 1)) + 1;
	}
	for (i = 0; i < rounds; i++)
		for (j = 0; j < NROWS; j++)
			if (!rows[j].skip)
				rows[j].ns[i] = run_row(&rows[j], f, rows[j].iters);
	for (j = 0; j < NROWS; j++) {
		struct row *r = &rows[j];

		if (r->skip)
			continue;
		qsort(r->ns, rounds, sizeof(double), cmp_double);
		r->median = rounds % 2 ? r->ns[rounds / 2] :
			  (r->ns[rounds / 2 - 1] + r->ns[rounds / 2]) / 2;
	}
	if (!rows[0].skip)
		base = rows[0].median;

	fp = popen("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1", "r");
	if (fp) {
		if (fgets(cpu, sizeof(cpu), fp))
			cpu[strcspn(cpu, "\n")] = '\0';
		pclose(fp);
	}
	uname(&u);
	outs[0] = stdout;
	outs[1] = fopen(out_path, "w");
	if (!outs[1])
		fprintf(stderr, "bench/native: cannot write %s: %s\n", out_path, strerror(errno));
	for (i = 0; i < 2; i++) {
		FILE *o = outs[i];

		if (!o)
			continue;
		fprintf(o, "Native: Lua rows in userspace (libxdplua, one CPU), eBPF rows with BPF_PROG_TEST_RUN\n"
			   "on this host's kernel; 60-byte UDP packet (DNS: a 90-byte query); median of %d\n"
			   "interleaved rounds of about %d ms each (Lua: CPU time). %s, Linux %s.\n\n",
			rounds, target_ms, cpu, u.release);
		fprintf(o, "| program | what it does | ns/packet | x eBPF drop |\n");
		fprintf(o, "| --- | --- | ---: | ---: |\n");
		for (j = 0; j < NROWS; j++) {
			struct row *r = &rows[j];

			if (r->left_out)
				continue;
			if (r->skip) {
				fprintf(o, "| %s | %s | (needs root) | |\n", r->name, r->what);
				continue;
			}
			if (base > 0)
				snprintf(line, sizeof(line), "%.1f", r->median / base);
			else
				snprintf(line, sizeof(line), "-");
			fprintf(o, "| %s | %s | %.0f | %s |\n", r->name, r->what,
				r->median, line);
		}
	}
	if (outs[1]) {
		fclose(outs[1]);
		fprintf(stderr, "(also in %s)\n", out_path);
	}
	for (j = 0; j < NROWS; j++) {
		xdplua_local_unload(rows[j].script);
		bpf_object__close(rows[j].obj);
	}
	xdplua_frame_free(f);
	xdplua_local_exit();
	return 0;
}
