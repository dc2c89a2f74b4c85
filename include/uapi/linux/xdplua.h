/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * XDPLua: Lua scripts in the XDP hook.
 *
 * This header is the contract between the xdplua.ko module, the eBPF programs
 * that call Lua, and userspace tools.
 *
 * Generic netlink family "xdplua" (XDPLUA_GENL_NAME), version 1.
 * Every command requires CAP_NET_ADMIN (GENL_ADMIN_PERM: in the initial
 * user namespace). Scripts and tables belong to the network namespace of the
 * socket that created them: requests see only their own namespace's scripts
 * and tables, and the kfunc runs a script only on packets of a device in
 * that namespace. When the namespace goes away, so do its scripts and
 * tables. Every attribute is validated strictly (no unknown attributes, no
 * trailing data); budgets outside their ranges are refused with the range in
 * the extended ack.
 *
 * Scripts
 * -------
 * A script is one or more Lua source files loaded together under a name.
 * The first file is the main chunk: it runs once in each per-CPU Lua state
 * when the script is loaded and must define the entry function (a global,
 * "callback" unless XDPLUA_A_ENTRY says otherwise). The entry function runs
 * once per packet. A script has a small integer id that eBPF programs pass
 * to the kfunc (see below); ids stay the same across a reload.
 *
 * XDPLUA_CMD_LOAD: load a script, or atomically replace the script of the
 *   same name (same id: attached programs switch at the next packet; the old
 *   Lua states finish the packets they are running and are then freed).
 *   Request:
 *     XDPLUA_A_NAME         string, required, [a-zA-Z0-9_.-]{1,31}
 *     XDPLUA_A_ENTRY        string, optional, default "callback"
 *     XDPLUA_A_FALLBACK     u32, optional, XDP action used when the script
 *                           fails on a packet (default XDP_PASS)
 *     XDPLUA_A_INSN_BUDGET  u32, optional, Lua instructions per packet
 *                           (default XDPLUA_DEFAULT_INSN_BUDGET, range
 *                           XDPLUA_INSN_BUDGET_MIN.._MAX)
 *     XDPLUA_A_MEM_BUDGET   u32, optional, bytes per Lua state
 *                           (default XDPLUA_DEFAULT_MEM_BUDGET, range
 *                           XDPLUA_MEM_BUDGET_MIN.._MAX)
 *     XDPLUA_A_TIME_BUDGET  u32, optional, microseconds one packet may take
 *                           (default XDPLUA_DEFAULT_TIME_BUDGET, range
 *                           XDPLUA_TIME_BUDGET_MIN.._MAX)
 *     then, one to XDPLUA_MAX_FILES files, in order, each as:
 *     XDPLUA_A_FILE_NAME    string, the file's name as "require" sees it
 *                           ("util" or "util.lua" for require "util")
 *     XDPLUA_A_FILE_DATA    binary, repeated: the source, in chunks of at
 *                           most XDPLUA_CHUNK_MAX bytes, concatenated in
 *                           order. Source only: precompiled chunks are
 *                           refused.
 *   Reply: XDPLUA_CMD_LOAD with XDPLUA_A_ID and XDPLUA_A_NAME.
 *   On failure the request is answered with an XDPLUA_CMD_LOAD message that
 *   carries XDPLUA_A_ERROR (Lua's message, e.g. "main.lua:3: '=' expected
 *   near 'x'") followed by the netlink error.
 *   Large scripts need a large socket send buffer (SO_SNDBUFFORCE).
 *
 * XDPLUA_CMD_UNLOAD: remove a script.
 *   Request: XDPLUA_A_NAME or XDPLUA_A_ID. Programs that still call it get
 *   XDP_PASS from the kfunc.
 *
 * XDPLUA_CMD_SET_ENTRY: switch the entry function without reloading (the
 *   per-CPU globals are kept).
 *   Request: XDPLUA_A_NAME or XDPLUA_A_ID, and XDPLUA_A_ENTRY. Refused with
 *   XDPLUA_A_ERROR when the script defines no such global function.
 *
 * XDPLUA_CMD_GET: describe scripts. As a dump: every script; as a request
 *   with XDPLUA_A_NAME or XDPLUA_A_ID: that one. Each script is one
 *   XDPLUA_CMD_GET message with:
 *     XDPLUA_A_ID, XDPLUA_A_NAME, XDPLUA_A_ENTRY, XDPLUA_A_FALLBACK,
 *     XDPLUA_A_INSN_BUDGET, XDPLUA_A_MEM_BUDGET, XDPLUA_A_TIME_BUDGET,
 *     XDPLUA_A_NCPUS        u32, number of per-CPU Lua states
 *     XDPLUA_A_MEM_USED     u64, bytes held by all its Lua states
 *     XDPLUA_A_SOURCE_SIZE  u32, bytes of source loaded
 *     XDPLUA_A_STATS        nested, XDPLUA_STAT_* (u64 each), summed over
 *                           CPUs
 *     XDPLUA_A_ERROR        string, the last error, if any
 *
 * Shared tables
 * -------------
 * Named hash tables shared by every CPU and every script (Lua: xdp.table()
 * and the global "rcu", the table named "rcu"). Keys are integers
 * (XDPLUA_A_TABLE_KEY_INT, s64 sent as u64) or byte strings
 * (XDPLUA_A_TABLE_KEY_STR, binary, 1 to XDPLUA_TABLE_KEY_MAX bytes); the
 * type is part of the key (1 and "1" are two keys). Values are integers
 * (XDPLUA_A_TABLE_INT, s64 as u64), strings (XDPLUA_A_TABLE_STR, binary, up
 * to XDPLUA_TABLE_STR_MAX bytes) or booleans (XDPLUA_A_TABLE_BOOL, u8).
 * Tables belong to a network namespace (at most XDPLUA_MAX_TABLES each). Every
 * request names its table with XDPLUA_A_TABLE (string, a script-like name).
 * Failures carry an extended ack message.
 *
 * XDPLUA_CMD_TABLE_NEW: create a table; XDPLUA_A_TABLE_MAX (u32, optional,
 *   default XDPLUA_TABLE_DEFAULT_MAX, at most XDPLUA_TABLE_MAX_ENTRIES) is
 *   its maximum entry count. -EEXIST if it exists.
 * XDPLUA_CMD_TABLE_DEL: destroy a table and free its memory. -EBUSY while a
 *   loaded script holds it (scripts hold the tables they opened until they
 *   are unloaded).
 * XDPLUA_CMD_TABLE_SET: a key, one value, and optionally XDPLUA_A_TABLE_TTL
 *   (u32 seconds, 0: never expires, at most XDPLUA_TABLE_TTL_MAX). Creates
 *   the table with the default maximum if it does not exist. -ENOSPC when
 *   the key is new and the table is full.
 * XDPLUA_CMD_TABLE_GET: a key. Reply: XDPLUA_CMD_TABLE_GET with
 *   XDPLUA_A_TABLE, the key, the value and, for an entry that expires,
 *   XDPLUA_A_TABLE_TTL (remaining seconds). -ENOENT if absent or expired.
 * XDPLUA_CMD_TABLE_UNSET: delete a key. -ENOENT if absent.
 * XDPLUA_CMD_TABLE_DUMP: a dump request (NLM_F_DUMP) naming a table: one
 *   XDPLUA_CMD_TABLE_DUMP message per live entry, as the GET reply.
 *   Removes expired entries as it goes.
 * XDPLUA_CMD_TABLE_FLUSH: delete every key.
 * XDPLUA_CMD_TABLE_LIST: a dump (or a request naming one table): one message
 *   per table with XDPLUA_A_TABLE, XDPLUA_A_TABLE_MAX,
 *   XDPLUA_A_TABLE_COUNT (u32, live and not yet removed expired entries),
 *   XDPLUA_A_TABLE_BYTES (u64, memory held: buckets and entries) and
 *   XDPLUA_A_TABLE_USERS (u32, Lua states holding it).
 *
 * The kfunc
 * ---------
 *   int bpf_xdplua_run(struct xdp_md *ctx, u32 script_id, u64 arg,
 *                      u32 *ifindex);
 * runs the script's entry function on the packet in ctx on the current CPU's
 * Lua state and returns an XDP action. For XDP_REDIRECT it stores the target
 * interface index in *ifindex (the caller then calls bpf_redirect()). The
 * packet may have been rewritten, grown or shrunk: packet pointers taken
 * before the call must be loaded again. The 6.12 verifier does not know that
 * a module's kfunc changes the packet; xdplua_call() in bpf/xdplua.bpf.h
 * makes it forget those pointers. An unknown script id, or a script of
 * another network namespace than the packet's device, gives XDP_PASS.
 * ifindex may be NULL: a script that then returns XDP_REDIRECT gets its
 * fallback verdict and the error "redirect: the calling program gave no
 * ifindex pointer".
 */
#ifndef _UAPI_LINUX_XDPLUA_H
#define _UAPI_LINUX_XDPLUA_H

#define XDPLUA_GENL_NAME	"xdplua"
#define XDPLUA_GENL_VERSION	1

#define XDPLUA_NAME_MAX			32	/* with the terminating NUL */
#define XDPLUA_ENTRY_MAX		64	/* with the terminating NUL */
#define XDPLUA_CHUNK_MAX		60000
#define XDPLUA_SOURCE_MAX		(16 << 20)
#define XDPLUA_MAX_SCRIPTS		256
#define XDPLUA_DEFAULT_INSN_BUDGET	100000
#define XDPLUA_DEFAULT_MEM_BUDGET	(8 << 20)
#define XDPLUA_DEFAULT_TIME_BUDGET	50000		/* microseconds */
#define XDPLUA_MAX_FILES		256		/* files per script */
/* Ranges the budgets accept (a request outside is refused). */
#define XDPLUA_INSN_BUDGET_MIN		100
#define XDPLUA_INSN_BUDGET_MAX		100000000
#define XDPLUA_MEM_BUDGET_MIN		(64 << 10)
#define XDPLUA_MEM_BUDGET_MAX		(1U << 30)
#define XDPLUA_TIME_BUDGET_MIN		100		/* microseconds */
#define XDPLUA_TIME_BUDGET_MAX		1000000

/* Shared tables (see "Shared tables" above and docs/tables.md) */
#define XDPLUA_TABLE_KEY_MAX		255	/* bytes of a string key */
#define XDPLUA_TABLE_STR_MAX		1024	/* bytes of a string value */
#define XDPLUA_TABLE_DEFAULT_MAX	65536	/* entries */
#define XDPLUA_TABLE_MAX_ENTRIES	(1 << 24)
#define XDPLUA_MAX_TABLES		256	/* tables per network namespace */
#define XDPLUA_TABLE_TTL_MAX		(10 * 366 * 86400)	/* seconds */

enum xdplua_cmd {
	XDPLUA_CMD_UNSPEC,
	XDPLUA_CMD_LOAD,
	XDPLUA_CMD_UNLOAD,
	XDPLUA_CMD_SET_ENTRY,
	XDPLUA_CMD_GET,
	XDPLUA_CMD_TABLE_NEW,
	XDPLUA_CMD_TABLE_DEL,
	XDPLUA_CMD_TABLE_SET,
	XDPLUA_CMD_TABLE_GET,
	XDPLUA_CMD_TABLE_UNSET,
	XDPLUA_CMD_TABLE_DUMP,
	XDPLUA_CMD_TABLE_FLUSH,
	XDPLUA_CMD_TABLE_LIST,
	__XDPLUA_CMD_MAX
};
#define XDPLUA_CMD_MAX (__XDPLUA_CMD_MAX - 1)

enum xdplua_attr {
	XDPLUA_A_UNSPEC,
	XDPLUA_A_ID,
	XDPLUA_A_NAME,
	XDPLUA_A_ENTRY,
	XDPLUA_A_FALLBACK,
	XDPLUA_A_INSN_BUDGET,
	XDPLUA_A_MEM_BUDGET,
	XDPLUA_A_FILE_NAME,
	XDPLUA_A_FILE_DATA,
	XDPLUA_A_NCPUS,
	XDPLUA_A_MEM_USED,
	XDPLUA_A_SOURCE_SIZE,
	XDPLUA_A_STATS,
	XDPLUA_A_ERROR,
	XDPLUA_A_PAD,
	XDPLUA_A_TABLE,
	XDPLUA_A_TABLE_MAX,
	XDPLUA_A_TABLE_KEY_INT,
	XDPLUA_A_TABLE_KEY_STR,
	XDPLUA_A_TABLE_INT,
	XDPLUA_A_TABLE_STR,
	XDPLUA_A_TABLE_BOOL,
	XDPLUA_A_TABLE_TTL,
	XDPLUA_A_TABLE_COUNT,
	XDPLUA_A_TABLE_BYTES,
	XDPLUA_A_TABLE_USERS,
	XDPLUA_A_TIME_BUDGET,
	__XDPLUA_A_MAX
};
#define XDPLUA_A_MAX (__XDPLUA_A_MAX - 1)

/* Counters, nested in XDPLUA_A_STATS. Verdict counters count the verdict
 * the packet got, fallbacks included.
 */
enum xdplua_stat {
	XDPLUA_STAT_UNSPEC,
	XDPLUA_STAT_PAD,
	XDPLUA_STAT_RUNS,	/* packets given to the script */
	XDPLUA_STAT_ABORTED,	/* verdicts, in XDP action order */
	XDPLUA_STAT_DROP,
	XDPLUA_STAT_PASS,
	XDPLUA_STAT_TX,
	XDPLUA_STAT_REDIRECT,
	XDPLUA_STAT_ERRORS,	/* Lua errors, budgets included */
	XDPLUA_STAT_INSN_LIMIT,	/* of which: instruction budget exhausted */
	XDPLUA_STAT_MEM_LIMIT,	/* of which: memory budget exhausted */
	XDPLUA_STAT_BUSY,	/* state in use on this CPU: fallback given */
	XDPLUA_STAT_TIME_LIMIT,	/* of the errors: time budget exhausted */
	__XDPLUA_STAT_MAX
};
#define XDPLUA_STAT_MAX (__XDPLUA_STAT_MAX - 1)

#endif /* _UAPI_LINUX_XDPLUA_H */
