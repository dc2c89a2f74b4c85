/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libxdplua: the XDPLua runtime (the module's packet API, xdp library,
 * shared tables, budgets and Lua) in a userspace process, with no module
 * and no privileges. A packet runs as in a BPF_PROG_TEST_RUN of the
 * kernel's dispatcher: the same frame layout (headroom, tailroom), the same
 * verdicts, bytes, errors and counters.
 *
 *	xdplua_local_init(0);
 *	s = xdplua_local_load(&opts, err, sizeof(err));
 *	f = xdplua_frame_new();
 *	xdplua_frame_set(f, packet, len);
 *	verdict = xdplua_local_run(s, f, 0, &ifindex);
 *	data = xdplua_frame_data(f, &len);
 *
 * Not thread-safe but for tables: one thread per CPU slot runs packets.
 */
#ifndef LIBXDPLUA_H
#define LIBXDPLUA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xdplua_script;
struct xdplua_frame;
struct lua_State;

/* Once per process. ncpus: CPU slots (Lua states per script); 0: as many
 * as the machine's possible CPUs, like the kernel.
 */
int xdplua_local_init(unsigned int ncpus);
unsigned int xdplua_local_cpus(void);
/* The CPU slot the calling thread runs packets on (default 0). */
void xdplua_local_set_cpu(unsigned int cpu);
/* Repeatable randomness (table and string hash seeds, math.random). */
void xdplua_local_seed(uint64_t seed);
/* Where the "kernel log" goes (print(), xdp.log(), script errors): each
 * line, without a newline. NULL: stderr.
 */
void xdplua_local_set_log(void (*log)(int level, const char *line));
/* Stop a main chunk that runs too long (as a fatal signal would). */
void xdplua_local_interrupt(void);
/* Free every table (and wait for RCU), at exit. */
void xdplua_local_exit(void);

/* The Internet checksum of len bytes (RFC 1071), for callers that build
 * packets to run scripts on (benchmarks, fuzzers).
 */
uint16_t xdplua_local_csum(const void *p, size_t len);

/* --- scripts ------------------------------------------------------------- */

struct xdplua_local_file {
	const char *name;	/* as require() sees it */
	const char *data;
	size_t len;
};

struct xdplua_local_opts {
	const char *name;	/* the script's name */
	const char *entry;	/* NULL: "callback" */
	bool has_fallback;
	uint32_t fallback;	/* else XDP_PASS */
	uint32_t insn_budget;	/* 0: the default (100000) */
	uint32_t mem_budget;	/* 0: the default (8 MiB) */
	uint32_t time_budget;	/* microseconds; 0: the default (50 ms) */
	const struct xdplua_local_file *files;	/* files[0]: the main chunk */
	unsigned int nfiles;
};

/* Load a script as the module's LOAD command would: NULL and a message in
 * err (Lua's, or the module's) on failure.
 */
struct xdplua_script *xdplua_local_load(const struct xdplua_local_opts *o,
					char *err, size_t errlen);
void xdplua_local_unload(struct xdplua_script *s);

/* Counters (XDPLUA_STAT_*, indexed as in the UAPI header; stats has room
 * for __XDPLUA_STAT_MAX) and the last error ("" if none).
 */
void xdplua_local_stats(struct xdplua_script *s, uint64_t *stats);
void xdplua_local_last_error(struct xdplua_script *s, char *buf, size_t size);
size_t xdplua_local_mem(struct xdplua_script *s);

/* A CPU slot's Lua state, for tests and fuzzers. */
struct lua_State *xdplua_local_state(struct xdplua_script *s, unsigned int cpu);

/* --- packets ------------------------------------------------------------- */

/* The linear part of a test run's packet: a page minus the headroom and
 * the kernel's shared info. The rest of a larger packet is in fragments
 * (pages, up to XDPLUA_FRAME_MAX_FRAGS), which scripts do not see.
 */
#define XDPLUA_FRAME_MAX_DATA	3520
#define XDPLUA_FRAME_MAX_FRAGS	17

struct xdplua_frame *xdplua_frame_new(void);
void xdplua_frame_free(struct xdplua_frame *f);
/* Put a packet in the frame: 0, -EINVAL (shorter than an Ethernet header)
 * or -ENOMEM (more than the fragments hold), as the kernel's test run.
 */
int xdplua_frame_set(struct xdplua_frame *f, const void *data, size_t len);
/* The packet's linear part now (after the script moved its head or tail):
 * what the script sees.
 */
const void *xdplua_frame_data(const struct xdplua_frame *f, size_t *len);
/* The whole packet, linear part and fragments, copied into buf (at most
 * size bytes): its length.
 */
size_t xdplua_frame_read(const struct xdplua_frame *f, void *buf, size_t size);

/* Run the script's entry function on the packet in f, on the calling
 * thread's CPU slot: an XDP action (XDP_REDIRECT with *ifindex set).
 */
int xdplua_local_run(struct xdplua_script *s, struct xdplua_frame *f,
		     uint64_t arg, uint32_t *ifindex);

/* --- shared tables ------------------------------------------------------- */

enum xdplua_local_type {
	XDPLUA_LOCAL_INT = 1,
	XDPLUA_LOCAL_STR,
	XDPLUA_LOCAL_BOOL,
};

struct xdplua_local_key {
	bool is_str;
	long long i;
	const char *s;
	size_t len;
};

struct xdplua_local_value {
	enum xdplua_local_type type;
	long long i;		/* INT; BOOL: 0 or 1 */
	const char *s;		/* STR */
	size_t len;
};

/* As `xdplua table create` and `set`: 0 or a negative errno (-ERANGE,
 * -EEXIST, -EINVAL for a bad name, key or value, -ENOSPC: full).
 */
int xdplua_local_table_create(const char *table, uint32_t max);
int xdplua_local_table_set(const char *table, const struct xdplua_local_key *k,
			   const struct xdplua_local_value *v, uint32_t ttl);
/* Each live entry of a table, in the table's order; the callback's
 * non-zero return stops the walk. -ENOENT if there is no such table.
 */
int xdplua_local_table_walk(const char *table,
			    int (*cb)(const struct xdplua_local_key *k,
				      const struct xdplua_local_value *v,
				      long long ttl, void *data),
			    void *data);

#endif /* LIBXDPLUA_H */
