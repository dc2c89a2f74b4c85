// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua status [-j] [NAME]: the loaded scripts, where they run, their
 * counters and their last error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdplua.h"
#include "json.h"

static const struct {
	enum xdplua_stat stat;
	const char *name;
} counters[] = {
	{ XDPLUA_STAT_RUNS,		"runs" },
	{ XDPLUA_STAT_PASS,		"pass" },
	{ XDPLUA_STAT_DROP,		"drop" },
	{ XDPLUA_STAT_TX,		"tx" },
	{ XDPLUA_STAT_REDIRECT,		"redirect" },
	{ XDPLUA_STAT_ABORTED,		"aborted" },
	{ XDPLUA_STAT_ERRORS,		"errors" },
	{ XDPLUA_STAT_INSN_LIMIT,	"insn_limit" },
	{ XDPLUA_STAT_MEM_LIMIT,	"mem_limit" },
	{ XDPLUA_STAT_BUSY,		"busy" },
	{ XDPLUA_STAT_TIME_LIMIT,	"time_limit" },
};

#define NR_VERDICT_COUNTERS	6	/* the first ones; then the failures */

struct attachment {
	const struct iface *ifc;
	const struct xdp_prog *prog;
};

/* The interfaces running script id, in at most max slots. */
static int find_attachments(const struct iface *ifcs, int nifcs, __u32 id,
			    struct attachment *at, int max)
{
	int i, j, n = 0;

	for (i = 0; i < nifcs; i++) {
		for (j = 0; j < ifcs[i].nprogs && n < max; j++) {
			const struct xdp_prog *p = &ifcs[i].progs[j];

			if (p->is_dispatcher && p->script_id == id) {
				at[n].ifc = &ifcs[i];
				at[n].prog = p;
				n++;
			}
		}
	}
	return n;
}

/* For terminals: control characters and invalid UTF-8 as escapes. */
static void print_text(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + strlen(str);
	size_t len;

	while (*s) {
		if (*s == '\t') {
			fputs("\\t", stdout);
			s++;
		} else if (*s == '\n') {
			fputs("\\n", stdout);
			s++;
		} else if (*s < 0x20 || *s == 0x7f ||
			   !(len = utf8_seq_len(s, end - s))) {
			printf("\\x%02x", *s);
			s++;
		} else {
			fwrite(s, 1, len, stdout);
			s += len;
		}
	}
}

static void json_script(struct json *j, const struct script_info *info,
			const struct attachment *at, int nat)
{
	size_t i;
	int k;

	json_object_begin(j);
	json_kv_uint(j, "id", info->id);
	json_kv_str(j, "name", info->name);
	json_kv_str(j, "entry", info->entry);
	json_kv_str(j, "fallback", name_of(&verdict_names, info->fallback));
	json_kv_uint(j, "insn_budget", info->insn_budget);
	json_kv_uint(j, "mem_budget", info->mem_budget);
	json_kv_uint(j, "time_budget_us", info->time_budget);
	json_kv_uint(j, "ncpus", info->ncpus);
	json_kv_uint(j, "mem_used", info->mem_used);
	json_kv_uint(j, "source_size", info->source_size);
	json_key(j, "attached");
	json_array_begin(j);
	for (k = 0; k < nat; k++) {
		json_object_begin(j);
		json_kv_str(j, "ifname", at[k].ifc->name);
		json_kv_str(j, "netns", at[k].ifc->netns);
		json_kv_int(j, "ifindex", at[k].ifc->ifindex);
		json_kv_str(j, "mode", mode_name(at[k].prog->mode));
		json_kv_uint(j, "prog_id", at[k].prog->prog_id);
		json_kv_bool(j, "multiprog", at[k].prog->component);
		json_kv_str(j, "program", at[k].prog->name);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "stats");
	json_object_begin(j);
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		json_kv_uint(j, counters[i].name, info->stats[counters[i].stat]);
	json_object_end(j);
	json_kv_str(j, "last_error", info->last_error);
	json_object_end(j);
}

#define LABEL	"  %-13s"

static void print_counters(const struct script_info *info)
{
	size_t nfail = ARRAY_SIZE(counters) - NR_VERDICT_COUNTERS;
	size_t i, rows = NR_VERDICT_COUNTERS;
	char val[24];
	int width = 1, w;

	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		w = snprintf(val, sizeof(val), "%llu",
			     (unsigned long long)info->stats[counters[i].stat]);
		if (w > width)
			width = w;
	}
	/* verdicts on the left, failures on the right */
	printf("  counters:\n");
	for (i = 0; i < rows; i++) {
		const char *name = counters[i].name;

		printf("    %-10s %*llu", name, width,
		       (unsigned long long)info->stats[counters[i].stat]);
		if (i < nfail) {
			name = counters[NR_VERDICT_COUNTERS + i].name;
			printf("    %-10s %*llu", name, width,
			       (unsigned long long)
			       info->stats[counters[NR_VERDICT_COUNTERS + i].stat]);
		}
		printf("\n");
	}
}

static void print_script(const struct script_info *info,
			 const struct attachment *at, int nat)
{
	char mem_budget[32], mem_used[32];
	int j;

	format_bytes(mem_budget, sizeof(mem_budget), info->mem_budget);
	format_bytes(mem_used, sizeof(mem_used), info->mem_used);
	printf("script %s (id %u)\n", info->name, info->id);
	printf(LABEL "%s\n", "entry:", info->entry);
	printf(LABEL "%s\n", "fallback:", label_of(&verdict_names, info->fallback));
	printf(LABEL "%u instructions and %u us per packet, %s per CPU\n",
	       "budgets:", info->insn_budget, info->time_budget, mem_budget);
	printf(LABEL "%u Lua state%s (one per CPU), %s used\n", "states:",
	       info->ncpus, info->ncpus == 1 ? "" : "s", mem_used);
	printf(LABEL "%u bytes\n", "source:", info->source_size);
	printf(LABEL, "attached:");
	for (j = 0; j < nat; j++) {
		char label[96], how[64];

		printf("%s%s (%s)", j ? ", " : "",
		       iface_label(at[j].ifc, label, sizeof(label)),
		       attach_label(at[j].prog, how, sizeof(how)));
	}
	printf("%s\n", nat ? "" : "nowhere");
	if (info->last_error) {
		printf(LABEL, "last error:");
		print_text(info->last_error);
		printf("\n");
	}
	print_counters(info);
}

int cmd_status(const char *name, bool json)
{
	struct script_info *infos = NULL;
	struct attachment at[64];
	struct iface *ifcs = NULL;
	int count = 0, nifcs = 0, nat, i, err;
	struct json j;
	struct genl *g;

	json_init(&j, stdout);
	g = genl_open();
	if (!g)
		return 1;
	if (name) {
		infos = calloc(1, sizeof(*infos));
		err = infos ? genl_get(g, name, 0, infos) : -ENOMEM;
		if (err == -ENOENT) {
			errmsg("no script named %s (xdplua status lists them)",
			       name);
			goto out;
		}
		count = 1;
	} else {
		err = genl_dump(g, &infos, &count);
	}
	if (err) {
		count = 0;
		genl_fail(g, err, "cannot read the scripts");
		goto out;
	}
	err = iface_list(&ifcs, &nifcs);
	if (err)
		goto out;

	if (json)
		json_array_begin(&j);
	else if (!count)
		printf("no scripts loaded\n");
	for (i = 0; i < count; i++) {
		nat = find_attachments(ifcs, nifcs, infos[i].id, at,
				       ARRAY_SIZE(at));
		if (json) {
			json_script(&j, &infos[i], at, nat);
		} else {
			printf("%s", i ? "\n" : "");
			print_script(&infos[i], at, nat);
		}
	}
	if (json)
		json_array_end(&j);
out:
	for (i = 0; i < count; i++)
		script_info_free(&infos[i]);
	free(infos);
	free(ifcs);
	genl_close(g);
	return err ? 1 : 0;
}
