/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzzing harnesses share: libxdplua set up for repeatable runs
 * (one CPU, a fixed seed, the kernel log discarded) and script loading.
 */
#ifndef XDPLUA_FUZZ_HARNESS_H
#define XDPLUA_FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxdplua.h"

static inline void harness_die(const char *msg)
{
	fprintf(stderr, "fuzz: %s\n", msg);
	exit(1);
}

static inline void harness_quiet(int level, const char *line)
{
	(void)level;
	(void)line;
}

static inline void harness_init(void)
{
	xdplua_local_seed(1);
	xdplua_local_init(1);
	if (!getenv("FUZZ_LOG"))
		xdplua_local_set_log(harness_quiet);
}

/* A script from a file, with an instruction budget and the longest time
 * budget (a slow sanitized run is not a finding).
 */
static inline struct xdplua_script *harness_load(const char *path, unsigned int insns)
{
	struct xdplua_local_opts o = { 0 };
	struct xdplua_local_file f;
	struct xdplua_script *s;
	char err[512], *data;
	const char *base = strrchr(path, '/');
	long n;
	FILE *fp = fopen(path, "r");

	if (!fp)
		harness_die(path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = malloc(n + 1);
	if (!data || fread(data, 1, n, fp) != (size_t)n)
		harness_die(path);
	fclose(fp);
	f.name = base ? base + 1 : path;
	f.data = data;
	f.len = n;
	o.name = "fuzz";
	o.files = &f;
	o.nfiles = 1;
	o.insn_budget = insns;
	o.time_budget = 1000000;
	s = xdplua_local_load(&o, err, sizeof(err));
	if (!s)
		harness_die(err);
	free(data);
	return s;
}

#endif
