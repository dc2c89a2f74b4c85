// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua: run Lua scripts in the XDP hook (with xdplua.ko).
 *
 * The command line: the original tool's flags (-L, -F, -d) and commands
 * (load, unload, attach, detach, status, run, table SUBCOMMAND, apply,
 * save, completion, help). Every command is declared once in commands[],
 * every option once in option_specs[] with the commands that accept it;
 * getopt's tables, the synopses, the usage, the usage errors and the bash
 * completion script (xdplua completion bash) all come from there.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdplua.h"

bool verbose;

enum command {
	CMD_LOAD_ATTACH,	/* -L SCRIPT IFACE */
	CMD_SET_ENTRY,		/* -F FUNCTION IFACE */
	CMD_DETACH_FLAG,	/* -d IFACE */
	CMD_LOAD,
	CMD_UNLOAD,
	CMD_ATTACH,
	CMD_DETACH,
	CMD_STATUS,
	CMD_RUN,
	CMD_TABLE_LIST,
	CMD_TABLE_CREATE,
	CMD_TABLE_DESTROY,
	CMD_TABLE_SET,
	CMD_TABLE_GET,
	CMD_TABLE_DEL,
	CMD_TABLE_DUMP,
	CMD_TABLE_FLUSH,
	CMD_TABLE_LOAD,
	CMD_APPLY,		/* apply, save: the xdplua-config helper */
	CMD_SAVE,
	CMD_COMPLETION,
	CMD_HELP,
	NR_COMMANDS,
};

#define F(cmd)		(1u << (cmd))
#define ALL_CMDS	((1u << NR_COMMANDS) - 1)
#define TABLE_CMDS	(F(CMD_TABLE_LIST) | F(CMD_TABLE_CREATE) | \
			 F(CMD_TABLE_DESTROY) | F(CMD_TABLE_SET) | \
			 F(CMD_TABLE_GET) | F(CMD_TABLE_DEL) | \
			 F(CMD_TABLE_DUMP) | F(CMD_TABLE_FLUSH) | \
			 F(CMD_TABLE_LOAD))
#define FLAG_CMDS	(F(CMD_LOAD_ATTACH) | F(CMD_SET_ENTRY) | \
			 F(CMD_DETACH_FLAG))

enum option_id {
	OPT_LOAD = 'L',
	OPT_FUNCTION = 'F',
	OPT_DETACH = 'd',
	OPT_NAME = 'n',
	OPT_MODE = 'm',
	OPT_JSON = 'j',
	OPT_VERBOSE = 'v',
	OPT_HELP = 'h',
	OPT_FILE = 256,
	OPT_FALLBACK,
	OPT_INSN_BUDGET,
	OPT_MEM_BUDGET,
	OPT_TIME_BUDGET,
	OPT_FORCE,
	OPT_MULTIPROG,
	OPT_PROG,
	OPT_PCAP,
	OPT_OUT,
	OPT_OUT_VERDICT,
	OPT_REPEAT,
	OPT_LOCAL,
	OPT_TABLE,
	OPT_LOG,
	OPT_MAX,
	OPT_TTL,
	OPT_INT,
	OPT_STR,
	OPT_BOOL,
	OPT_SKEY,
	OPT_CONFIG,
	OPT_DRY_RUN,
};

/*
 * The commands. The flag forms (-L, -F, -d) have no name: the option that
 * leads them says which one a command line is. args: the positional
 * arguments as the synopsis shows them, each word telling completion what
 * it is (SCRIPT, FILE: a file; IFACE: an interface; NAME: a script, or a
 * table for the table commands).
 */
static const struct command_spec {
	const char *name;
	enum command cmd;
	int lead;		/* flag forms: OPT_LOAD, OPT_FUNCTION, OPT_DETACH */
	const char *args;
	int min_args, max_args;
	const char *what;
} commands[] = {
	{ NULL, CMD_LOAD_ATTACH, OPT_LOAD, "IFACE", 1, 1,
	  "load SCRIPT and run it on IFACE" },
	{ NULL, CMD_SET_ENTRY, OPT_FUNCTION, "IFACE", 1, 1,
	  "switch the entry function of IFACE's script" },
	{ NULL, CMD_DETACH_FLAG, OPT_DETACH, "IFACE", 1, 1,
	  "detach IFACE's script (unloaded if unused)" },
	{ "load", CMD_LOAD, 0, "SCRIPT", 1, 1,
	  "load or reload a script, print its id" },
	{ "unload", CMD_UNLOAD, 0, "NAME", 1, 1,
	  "unload a script that runs nowhere" },
	{ "attach", CMD_ATTACH, 0, "NAME IFACE", 2, 2,
	  "run a loaded script on IFACE" },
	{ "detach", CMD_DETACH, 0, "IFACE", 1, 1,
	  "same as -d IFACE" },
	{ "status", CMD_STATUS, 0, "[NAME]", 0, 1,
	  "scripts, where they run, their counters" },
	{ "run", CMD_RUN, 0, "SCRIPT|NAME", 1, 1,
	  "run a script on a capture's packets, print verdicts" },
	{ "table list", CMD_TABLE_LIST, 0, "[NAME]", 0, 1,
	  "the shared tables, their sizes" },
	{ "table create", CMD_TABLE_CREATE, 0, "NAME", 1, 1,
	  "create a shared table" },
	{ "table destroy", CMD_TABLE_DESTROY, 0, "NAME", 1, 1,
	  "destroy a shared table" },
	{ "table set", CMD_TABLE_SET, 0, "NAME KEY VALUE", 3, 3,
	  "set an entry" },
	{ "table get", CMD_TABLE_GET, 0, "NAME KEY", 2, 2,
	  "print an entry's value" },
	{ "table del", CMD_TABLE_DEL, 0, "NAME KEY", 2, 2,
	  "delete an entry" },
	{ "table dump", CMD_TABLE_DUMP, 0, "NAME", 1, 1,
	  "print every entry" },
	{ "table flush", CMD_TABLE_FLUSH, 0, "NAME", 1, 1,
	  "delete every entry" },
	{ "table load", CMD_TABLE_LOAD, 0, "NAME FILE", 2, 2,
	  "set the entries of FILE's KEY VALUE lines" },
	{ "apply", CMD_APPLY, 0, "", 0, 0,
	  "make the running state what /etc/xdplua/ says" },
	{ "save", CMD_SAVE, 0, "", 0, 0,
	  "write the running state to /etc/xdplua/" },
	{ "completion", CMD_COMPLETION, 0, "bash", 1, 1,
	  "print a bash completion script" },
	{ "help", CMD_HELP, 0, "[COMMAND]", 0, 2,
	  "show this help, or a command's" },
};

#define LOAD_CMDS	(F(CMD_LOAD_ATTACH) | F(CMD_LOAD))
#define ATTACH_CMDS	(F(CMD_LOAD_ATTACH) | F(CMD_ATTACH))
/* the options of a script file, which "run" loads for the run */
#define SCRIPT_CMDS	(LOAD_CMDS | F(CMD_RUN))
#define KEY_CMDS	(F(CMD_TABLE_SET) | F(CMD_TABLE_GET) | \
			 F(CMD_TABLE_DEL) | F(CMD_TABLE_LOAD))
#define VALUE_CMDS	(F(CMD_TABLE_SET) | F(CMD_TABLE_LOAD))

/* flags of an option */
#define BRIEF		1	/* in synopses (the others: [OPTIONS]) */
#define REPEAT		2	/* may be given more than once */
#define REQUIRED	4	/* the commands it applies to need it */

/*
 * Every option, with the commands that take it. group: options of the
 * same non-zero group do not go together. values: the names an argument
 * takes (help, completion).
 */
static const struct option_spec {
	const char *name;
	int id;		/* the short option, or >= 256 for long ones only */
	const char *arg;
	unsigned int cmds;
	unsigned int flags;
	int group;
	const struct name_table *values;
	const char *help;
} option_specs[] = {
	{ "load", OPT_LOAD, "SCRIPT", F(CMD_LOAD_ATTACH), 0, 0, NULL,
	  "load SCRIPT and attach it to IFACE" },
	{ "detach", OPT_DETACH, NULL, F(CMD_DETACH_FLAG), 0, 0, NULL,
	  "detach from IFACE" },
	{ "pcap", OPT_PCAP, "FILE", F(CMD_RUN), REQUIRED, 0, NULL,
	  "the packets to run: a pcap or pcapng capture (Ethernet)" },
	{ "out", OPT_OUT, "FILE", F(CMD_RUN), BRIEF, 0, NULL,
	  "write the resulting packets to FILE (pcap)" },
	{ "local", OPT_LOCAL, NULL, F(CMD_RUN), BRIEF, 0, NULL,
	  "run in userspace, without the module (no root needed)" },
	{ "function", OPT_FUNCTION, "FUNCTION", SCRIPT_CMDS | F(CMD_SET_ENTRY),
	  BRIEF, 0, NULL,
	  "the entry function, called for each packet (default: callback)" },
	{ "name", OPT_NAME, "NAME", LOAD_CMDS, 0, 0, NULL,
	  "the script's name (default: SCRIPT's file name without .lua)" },
	{ "file", OPT_FILE, "FILE", SCRIPT_CMDS, BRIEF | REPEAT, 0, NULL,
	  "also load FILE, for require (repeatable)" },
	{ "fallback", OPT_FALLBACK, "ACTION", SCRIPT_CMDS, 0, 0, &fallback_names,
	  "verdict when the script fails: pass (default), drop, aborted, tx" },
	{ "insn-budget", OPT_INSN_BUDGET, "N", SCRIPT_CMDS, 0, 0, NULL,
	  "Lua instructions per packet (default: 100000)" },
	{ "mem-budget", OPT_MEM_BUDGET, "BYTES", SCRIPT_CMDS, 0, 0, NULL,
	  "memory per CPU's Lua state, K and M suffixes (default: 8M)" },
	{ "time-budget", OPT_TIME_BUDGET, "TIME", SCRIPT_CMDS, 0, 0, NULL,
	  "time one packet may take, us or ms suffix (default: 50ms)" },
	{ "mode", OPT_MODE, "MODE", ATTACH_CMDS, BRIEF, 0, &attach_mode_names,
	  "native (default) or skb (generic XDP)" },
	{ "force", OPT_FORCE, NULL, ATTACH_CMDS, BRIEF, 1, NULL,
	  "replace an XDP program that is not XDPLua's" },
	{ "multiprog", OPT_MULTIPROG, NULL, ATTACH_CMDS, BRIEF, 1, NULL,
	  "share IFACE with other XDP programs (libxdp's dispatcher)" },
	{ "prog", OPT_PROG, "FILE", ATTACH_CMDS, BRIEF, 0, NULL,
	  "run the script behind FILE's XDP program (xdplua.bpf.h)" },
	{ "out-verdict", OPT_OUT_VERDICT, "LIST", F(CMD_RUN), 0, 0, &verdict_names,
	  "only write these verdicts' packets, e.g. TX,PASS" },
	{ "repeat", OPT_REPEAT, "N", F(CMD_RUN), 0, 0, NULL,
	  "also run each packet N times, print ns per run" },
	{ "table", OPT_TABLE, "NAME=FILE", F(CMD_RUN), REPEAT, 0, NULL,
	  "--local: fill table NAME from FILE first, as table load (repeatable)" },
	{ "log", OPT_LOG, "FILE", F(CMD_RUN), 0, 0, NULL,
	  "--local: what the kernel would log goes to FILE, not stderr" },
	{ "max", OPT_MAX, "N", F(CMD_TABLE_CREATE), BRIEF, 0, NULL,
	  "table create: at most N entries (default 65536)" },
	{ "ttl", OPT_TTL, "SECONDS", VALUE_CMDS, BRIEF, 0, NULL,
	  "table set, load: the entries expire after SECONDS (0: never)" },
	{ "int", OPT_INT, NULL, VALUE_CMDS, BRIEF, 2, NULL,
	  "table set, load: the value is an integer" },
	{ "str", OPT_STR, NULL, VALUE_CMDS, BRIEF, 2, NULL,
	  "table set, load: the value is a string" },
	{ "bool", OPT_BOOL, NULL, VALUE_CMDS, BRIEF, 2, NULL,
	  "table set, load: the value is a boolean (true or false)" },
	{ "skey", OPT_SKEY, NULL, KEY_CMDS, BRIEF, 0, NULL,
	  "table set, get, del, load: a key made of digits is a string" },
	{ "config", OPT_CONFIG, "DIR", F(CMD_APPLY) | F(CMD_SAVE), BRIEF, 0, NULL,
	  "apply, save: the configuration directory (default /etc/xdplua)" },
	{ "dry-run", OPT_DRY_RUN, NULL, F(CMD_APPLY), BRIEF, 0, NULL,
	  "apply: print the changes, make none" },
	{ "json", OPT_JSON, NULL,
	  F(CMD_STATUS) | F(CMD_RUN) | F(CMD_TABLE_LIST) | F(CMD_TABLE_GET) |
	  F(CMD_TABLE_DUMP), BRIEF, 0, NULL,
	  "print JSON (docs/xdplua.md, \"JSON output\")" },
	{ "verbose", OPT_VERBOSE, NULL, ALL_CMDS, 0, 0, NULL,
	  "show libbpf's messages" },
	{ "help", OPT_HELP, NULL, ALL_CMDS, 0, 0, NULL,
	  "show this help" },
};

static const struct command_spec *find_command(enum command cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].cmd == cmd)
			return &commands[i];
	return NULL;
}

static const struct option_spec *find_spec(int id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(option_specs); i++)
		if (option_specs[i].id == id)
			return &option_specs[i];
	return NULL;
}

/* "-F FUNCTION", "--pcap FILE": the short form if there is one */
static void option_synopsis(const struct option_spec *o, char *buf,
			    size_t size)
{
	if (o->id < 256)
		snprintf(buf, size, "-%c%s%s", o->id, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	else
		snprintf(buf, size, "--%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
}

/* A command's synopsis, from the tables: "load SCRIPT [-F FUNCTION] ..." */
static void command_synopsis(const struct command_spec *c, char *buf,
			     size_t size)
{
	const struct option_spec *o, *p;
	size_t i, k, off = 0;
	bool more = false, done;
	char opt[64];

#define PUT(...) do { \
		if (off < size) \
			off += snprintf(buf + off, size - off, __VA_ARGS__); \
	} while (0)

	if (c->lead) {
		option_synopsis(find_spec(c->lead), opt, sizeof(opt));
		PUT("%s", opt);
	} else {
		PUT("%s", c->name);
		if (*c->args)
			PUT(" %s", c->args);
	}
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		o = &option_specs[i];
		if (!(o->cmds & F(c->cmd)) || o->id == c->lead ||
		    o->cmds == ALL_CMDS)
			continue;
		if (!(o->flags & (BRIEF | REQUIRED))) {
			more = true;
			continue;
		}
		/* a group: once, at its first member, "[--a|--b]" */
		done = false;
		for (k = 0; k < i && o->group; k++)
			if (option_specs[k].group == o->group &&
			    option_specs[k].cmds & F(c->cmd))
				done = true;
		if (done)
			continue;
		option_synopsis(o, opt, sizeof(opt));
		PUT(o->flags & REQUIRED ? " %s" : " [%s", opt);
		for (k = i + 1; k < ARRAY_SIZE(option_specs) && o->group; k++) {
			p = &option_specs[k];
			if (p->group == o->group && p->cmds & F(c->cmd)) {
				option_synopsis(p, opt, sizeof(opt));
				PUT("|%s", opt);
			}
		}
		if (!(o->flags & REQUIRED))
			PUT("]");
		if (o->flags & REPEAT)
			PUT("...");
	}
	if (more)
		PUT(" [OPTIONS]");
	if (c->lead && *c->args)
		PUT(" %s", c->args);
#undef PUT
}

/* the commands a usage shows: all, or the table ones */
static bool shown(const struct command_spec *c, unsigned int mask)
{
	return mask & F(c->cmd);
}

static void print_synopsis(FILE *fp, unsigned int mask)
{
	char syn[512];
	size_t i;
	bool first = true;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!shown(&commands[i], mask))
			continue;
		command_synopsis(&commands[i], syn, sizeof(syn));
		fprintf(fp, "%s xdplua %s\n", first ? "Usage:" : "      ", syn);
		first = false;
	}
}

static void usage(unsigned int mask)
{
	char left[64], syn[64];
	size_t i;

	printf("xdplua: run Lua scripts in the XDP hook (needs xdplua.ko)\n\n");
	print_synopsis(stdout, mask);
	printf("\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command_spec *c = &commands[i];

		if (!shown(c, mask))
			continue;
		if (c->lead)
			snprintf(syn, sizeof(syn), "-%c", c->lead);
		else
			snprintf(syn, sizeof(syn), "%s", c->name);
		printf("  %-16s %s\n", syn, c->what);
	}
	printf("\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		const struct option_spec *o = &option_specs[i];

		if (!(o->cmds & mask))
			continue;
		if (o->id < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id,
				 o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-24s %s\n", left, o->help);
	}
	if (mask & TABLE_CMDS)
		printf("\nA KEY that is a decimal integer is an integer key, unless --skey. A VALUE\n"
		       "is an integer if it is a decimal integer, else a string, unless --int,\n"
		       "--str or --bool says so.\n");
	if (mask & ~TABLE_CMDS)
		printf("\nSCRIPT's entry function gets each packet and returns a verdict (xdp.PASS,\n"
		       "xdp.DROP, xdp.TX, ...). Loading a script under a name already loaded\n"
		       "replaces it in place, atomically. MODE native is XDP in the driver, skb\n"
		       "is generic XDP.\n");
}

static void __attribute__((format(printf, 1, 0)))
vcomplain(const char *fmt, va_list ap)
{
	fputs("xdplua: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
}

/* the commands a usage error shows the synopsis of */
static unsigned int usage_mask = ALL_CMDS;

/* A command line that makes no sense: the synopsis, and exit code 2. */
static int __attribute__((format(printf, 1, 2))) bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
	print_synopsis(stderr, usage_mask);
	fputs("Try 'xdplua help [COMMAND]' for the options.\n", stderr);
	return 2;
}

/* An option value that makes no sense: exit code 2. */
static int __attribute__((format(printf, 1, 2))) bad_value(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
	return 2;
}

/* "run", "table set", "-L" */
static const char *command_name(enum command cmd)
{
	static char flag[3];
	const struct command_spec *c = find_command(cmd);

	if (!c)
		return "-L, -F or -d";
	if (c->name)
		return c->name;
	snprintf(flag, sizeof(flag), "-%c", c->lead);
	return flag;
}

struct cmdline {
	enum command cmd;
	bool cmd_known;		/* not yet for the flag forms */
	const char *script;	/* -L */
	bool json;
	bool help;
	unsigned long long seen;	/* bit i: option_specs[i] given */
	struct load_opts load;
	struct attach_opts attach;
	struct run_opts run;
	struct topts table;
	char **args;
	int nargs;
};

static int parse_value(struct cmdline *c, int id, const char *arg)
{
	char list[128];
	unsigned int n;
	__u32 v;

	switch (id) {
	case OPT_LOAD:
		c->script = arg;
		break;
	case OPT_DETACH:
		break;
	case OPT_FUNCTION:
		if (!*arg || strlen(arg) >= XDPLUA_ENTRY_MAX)
			return bad_value("invalid function name '%s' (1 to %d characters)",
					 arg, XDPLUA_ENTRY_MAX - 1);
		c->load.entry = arg;
		break;
	case OPT_NAME:
		if (!script_name_valid(arg))
			return bad_value("invalid script name '%s': 1 to %d letters, digits, '_', '.' or '-'",
					 arg, XDPLUA_NAME_MAX - 1);
		c->load.name = arg;
		break;
	case OPT_FILE:
		/* files[0] is SCRIPT, filled in later */
		if (c->load.nfiles + 1 >= (int)ARRAY_SIZE(c->load.files))
			return bad_usage("too many --file (at most %zu)",
					 ARRAY_SIZE(c->load.files) - 1);
		c->load.files[++c->load.nfiles] = arg;
		break;
	case OPT_FALLBACK:
		if (name_parse(&fallback_names, arg, &n))
			return bad_value("invalid --fallback '%s': use %s", arg,
					 name_list(&fallback_names, list,
						   sizeof(list)));
		c->load.fallback = n;
		c->load.has_fallback = true;
		break;
	case OPT_INSN_BUDGET:
		if (parse_u32(arg, &v) || !v)
			return bad_value("invalid --insn-budget '%s': a number of instructions, at least 1",
					 arg);
		c->load.insn_budget = v;
		break;
	case OPT_MEM_BUDGET:
		if (parse_bytes(arg, &v) || !v)
			return bad_value("invalid --mem-budget '%s': bytes, with an optional K or M suffix, below 4G",
					 arg);
		c->load.mem_budget = v;
		break;
	case OPT_TIME_BUDGET:
		if (parse_time_us(arg, &v) || !v)
			return bad_value("invalid --time-budget '%s': microseconds, or a number with a us or ms suffix",
					 arg);
		c->load.time_budget = v;
		break;
	case OPT_MODE:
		if (parse_mode(arg, &c->attach.mode))
			return bad_value("invalid --mode '%s': use %s", arg,
					 name_list(&attach_mode_names, list,
						   sizeof(list)));
		c->attach.mode_set = true;
		break;
	case OPT_FORCE:
		c->attach.force = true;
		break;
	case OPT_MULTIPROG:
		c->attach.multiprog = true;
		break;
	case OPT_PROG:
		c->attach.prog = arg;
		break;
	case OPT_PCAP:
		c->run.pcap = arg;
		break;
	case OPT_OUT:
		c->run.out = arg;
		break;
	case OPT_OUT_VERDICT:
		if (parse_verdicts(arg, &c->run.out_verdicts))
			return bad_value("invalid --out-verdict '%s': a list of %s, e.g. TX,PASS",
					 arg, name_list(&verdict_names, list,
							sizeof(list)));
		break;
	case OPT_REPEAT:
		if (parse_u32(arg, &v) || !v)
			return bad_value("invalid --repeat '%s': a number of runs, at least 1",
					 arg);
		c->run.repeat = v;
		break;
	case OPT_LOCAL:
		c->run.local = true;
		break;
	case OPT_TABLE: {
		const char *eq = strchr(arg, '=');
		struct run_table *t;
		char name[XDPLUA_NAME_MAX];

		if (c->run.ntables == RUN_TABLES_MAX)
			return bad_usage("too many --table (at most %d)",
					 RUN_TABLES_MAX);
		if (!eq || eq == arg || !eq[1] ||
		    (size_t)(eq - arg) >= sizeof(name))
			return bad_value("invalid --table '%s': NAME=FILE", arg);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
		if (!script_name_valid(name))
			return bad_value("invalid table name '%s': 1 to 31 letters, digits, '_', '.' or '-'",
					 name);
		t = &c->run.tables[c->run.ntables++];
		t->name = strndup(arg, eq - arg);
		t->path = eq + 1;
		break;
	}
	case OPT_LOG:
		c->run.log = arg;
		break;
	case OPT_MAX:
		if (parse_u32(arg, &c->table.max) || !c->table.max ||
		    c->table.max > XDPLUA_TABLE_MAX_ENTRIES)
			return bad_value("invalid --max '%s': 1 to %d entries",
					 arg, XDPLUA_TABLE_MAX_ENTRIES);
		c->table.has_max = true;
		break;
	case OPT_TTL:
		if (parse_u32(arg, &c->table.ttl) ||
		    c->table.ttl > XDPLUA_TABLE_TTL_MAX)
			return bad_value("invalid --ttl '%s': seconds, 0 (never) to %d (10 years)",
					 arg, XDPLUA_TABLE_TTL_MAX);
		c->table.has_ttl = true;
		break;
	case OPT_INT:
		c->table.vtype = V_INT;
		break;
	case OPT_STR:
		c->table.vtype = V_STR;
		break;
	case OPT_BOOL:
		c->table.vtype = V_BOOL;
		break;
	case OPT_SKEY:
		c->table.skey = true;
		break;
	case OPT_CONFIG:
	case OPT_DRY_RUN:
		break;		/* the helper's: checked here only */
	case OPT_JSON:
		c->json = true;
		break;
	case OPT_VERBOSE:
		verbose = true;
		break;
	case OPT_HELP:
		c->help = true;
		break;
	}
	return 0;
}

/* The options given apply to c->cmd, and no two of a group are given. */
static int check_options(const struct cmdline *c)
{
	const struct option_spec *o, *p;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		o = &option_specs[i];
		if (!(c->seen & (1ull << i)))
			continue;
		if (!(o->cmds & F(c->cmd)))
			return bad_usage("option --%s does not apply to %s",
					 o->name, command_name(c->cmd));
		for (k = i + 1; k < ARRAY_SIZE(option_specs) && o->group; k++) {
			p = &option_specs[k];
			if (p->group == o->group && c->seen & (1ull << k))
				return bad_usage("--%s and --%s do not go together",
						 o->name, p->name);
		}
	}
	if (c->help)
		return 0;
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		o = &option_specs[i];
		if (o->flags & REQUIRED && o->cmds & F(c->cmd) &&
		    !(c->seen & (1ull << i))) {
			char syn[512];

			command_synopsis(find_command(c->cmd), syn, sizeof(syn));
			return bad_usage("missing --%s %s: xdplua %s", o->name,
					 o->arg, syn);
		}
	}
	return 0;
}

static int parse_options(struct cmdline *c, int argc, char **argv)
{
	struct option longopts[ARRAY_SIZE(option_specs) + 1];
	const struct option_spec *spec;
	char shortopts[3 * ARRAY_SIZE(option_specs) + 2];
	char *p = shortopts;
	size_t i;
	int id, err;

	/* ':' first: report missing arguments, '+' not: IFACE may come first */
	*p++ = ':';
	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		spec = &option_specs[i];
		longopts[i].name = spec->name;
		longopts[i].has_arg = spec->arg ? required_argument : no_argument;
		longopts[i].val = spec->id;
		if (spec->id < 256) {
			*p++ = spec->id;
			if (spec->arg)
				*p++ = ':';
		}
	}
	*p = '\0';

	opterr = 0;
	optind = 1;
	while ((id = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (id == '?') {
			spec = optopt ? find_spec(optopt) : NULL;
			if (spec)	/* --force=x */
				return bad_usage("option --%s takes no value",
						 spec->name);
			if (optopt)
				return bad_usage("unknown option -%c", optopt);
			return bad_usage("unknown option %s", argv[optind - 1]);
		}
		if (id == ':') {
			spec = find_spec(optopt);
			if (spec && optopt < 256 &&
			    argv[optind - 1][1] != '-')
				return bad_usage("option -%c needs %s", optopt,
						 spec->arg);
			return bad_usage("option --%s needs %s",
					 spec ? spec->name : "?",
					 spec ? spec->arg : "an argument");
		}
		spec = find_spec(id);
		if (!spec)
			return bad_usage("unknown option");
		/* the flag forms are known once all options are read */
		if (c->cmd_known && !(spec->cmds & F(c->cmd)))
			return bad_usage("option --%s does not apply to %s",
					 spec->name, command_name(c->cmd));
		if (c->seen & (1ull << (spec - option_specs)) &&
		    !(spec->flags & REPEAT) && spec->arg)
			return bad_usage("option --%s is given twice", spec->name);
		c->seen |= 1ull << (spec - option_specs);
		err = parse_value(c, id, optarg);
		if (err)
			return err;
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	return 0;
}

#define SEEN(c, id)	((c)->seen & (1ull << (find_spec(id) - option_specs)))

/* -L SCRIPT ... IFACE | -F FUNCTION IFACE | -d IFACE: which one */
static int flag_form(struct cmdline *c)
{
	if (SEEN(c, OPT_LOAD) && SEEN(c, OPT_DETACH))
		return bad_usage("-L and -d do not go together");
	if (SEEN(c, OPT_LOAD))
		c->cmd = CMD_LOAD_ATTACH;
	else if (SEEN(c, OPT_DETACH))
		c->cmd = CMD_DETACH_FLAG;
	else if (SEEN(c, OPT_FUNCTION))
		c->cmd = CMD_SET_ENTRY;
	else if (c->help)
		c->cmd = CMD_HELP;
	else
		return bad_usage("say what to do: -L, -F, -d or a command");
	c->cmd_known = true;
	usage_mask = F(c->cmd);
	return 0;
}

static int check_args(const struct cmdline *c)
{
	const struct command_spec *cs = find_command(c->cmd);
	char syn[512];

	if (c->nargs < cs->min_args || c->nargs > cs->max_args) {
		command_synopsis(cs, syn, sizeof(syn));
		return bad_usage("%s arguments: xdplua %s",
				 c->nargs < cs->min_args ? "missing" : "too many",
				 syn);
	}
	return 0;
}

/* --- bash completion, from the tables ------------------------------------- */

/* How to complete a word that is an ARG (a positional or an option's value). */
static const char *complete_word(const char *arg, bool table_cmd)
{
	if (!strcmp(arg, "SCRIPT"))
		return "_xdplua_files lua";
	if (!strcmp(arg, "FILE"))
		return "_xdplua_files";
	if (!strcmp(arg, "DIR"))
		return "_xdplua_dirs";
	if (!strcmp(arg, "IFACE"))
		return "_xdplua_words \"$(ls /sys/class/net 2>/dev/null)\"";
	if (!strcmp(arg, "SCRIPT|NAME"))
		return "_xdplua_files lua; _xdplua_words \"$(_xdplua_names status)\"";
	if (!strcmp(arg, "NAME"))
		return table_cmd ? "_xdplua_words \"$(_xdplua_names table list)\"" :
				   "_xdplua_words \"$(_xdplua_names status)\"";
	return NULL;	/* free text: nothing to offer */
}

static void print_values(const struct name_table *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		printf("%s%s", i ? " " : "", t->entries[i].name);
}

static void print_bash_completion(void)
{
	const struct option_spec *o;
	const struct command_spec *c;
	const char *how;
	char words[64], *w, *save;
	size_t i, k;
	int n;

	printf("# bash completion for xdplua(8): generated by `xdplua completion bash`\n"
	       "# from the tables the command line is parsed with.\n\n"
	       "_xdplua_words() { COMPREPLY+=($(compgen -W \"$1\" -- \"$cur\")); }\n"
	       "_xdplua_files() {\n"
	       "\tcompopt -o filenames 2>/dev/null\n"
	       "\tif [ -n \"$1\" ]; then\n"
	       "\t\tCOMPREPLY+=($(compgen -d -- \"$cur\") $(compgen -f -X \"!*.$1\" -- \"$cur\"))\n"
	       "\telse\n\t\tCOMPREPLY+=($(compgen -f -- \"$cur\"))\n\tfi\n"
	       "}\n"
	       "_xdplua_dirs() { compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- \"$cur\")); }\n"
	       "# the names in `xdplua ARGS -j` (scripts or tables; needs root)\n"
	       "_xdplua_names() {\n"
	       "\t\"${COMP_WORDS[0]}\" \"$@\" -j 2>/dev/null |\n"
	       "\t\tgrep -o '\"name\":\"[^\"]*\"' | cut -d'\"' -f4\n"
	       "}\n\n"
	       "_xdplua() {\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "\tlocal key first=1 i n=0 w skip=0\n"
	       "\tCOMPREPLY=()\n");

	/* the command: its name, "table SUB" or the flag form */
	printf("\tif [ \"$COMP_CWORD\" = 1 ]; then\n\t\t_xdplua_words \"");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		c = &commands[i];
		if (c->lead)
			printf("-%c ", c->lead);
		else if (!strchr(c->name, ' '))
			printf("%s ", c->name);
	}
	printf("table --help\"\n\t\treturn\n\tfi\n");
	printf("\tcase ${COMP_WORDS[1]} in\n"
	       "\ttable)\n"
	       "\t\tif [ \"$COMP_CWORD\" = 2 ]; then\n\t\t\t_xdplua_words \"");
	for (i = 0, n = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].name && !strncmp(commands[i].name, "table ", 6))
			printf("%s%s", n++ ? " " : "", commands[i].name + 6);
	printf("\"\n\t\t\treturn\n\t\tfi\n"
	       "\t\tkey=\"table ${COMP_WORDS[2]}\" first=3 ;;\n"
	       "\t-*)\n"
	       "\t\tkey=-F\n"
	       "\t\tfor w in \"${COMP_WORDS[@]}\"; do\n"
	       "\t\t\tcase $w in -L|--load) key=-L ;; -d|--detach) key=-d ;; esac\n"
	       "\t\tdone\n"
	       "\t\tfirst=1 ;;\n"
	       "\t*) key=${COMP_WORDS[1]} first=2 ;;\n"
	       "\tesac\n\n");

	/* an option's value */
	printf("\tcase $prev in\n");
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		o = &option_specs[i];
		if (!o->arg)
			continue;
		if (o->id < 256)
			printf("\t-%c|", o->id);
		else
			printf("\t");
		printf("--%s)\n\t\t", o->name);
		if (o->values) {
			printf("_xdplua_words \"");
			print_values(o->values);
			printf("\"");
		} else {
			how = complete_word(o->arg, false);
			printf("%s", how && strcmp(o->arg, "SCRIPT|NAME") &&
			       strcmp(o->arg, "NAME") ? how : ":");
		}
		printf("\n\t\treturn ;;\n");
	}
	printf("\tesac\n\n");

	/* options, and the positional arguments they leave */
	printf("\tlocal opts args\n\tcase $key in\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		c = &commands[i];
		if (c->lead)
			printf("\t-%c)\n\t\topts=\"", c->lead);
		else
			printf("\t\"%s\")\n\t\topts=\"", c->name);
		for (k = 0, n = 0; k < ARRAY_SIZE(option_specs); k++) {
			o = &option_specs[k];
			if (!(o->cmds & F(c->cmd)))
				continue;
			printf("%s--%s", n++ ? " " : "", o->name);
			if (o->id < 256)
				printf(" -%c", o->id);
		}
		printf("\"\n\t\targs=\"%s\" ;;\n", c->args);
	}
	printf("\t*) return ;;\n\tesac\n");
	printf("\tif [[ $cur == -* ]]; then\n\t\t_xdplua_words \"$opts\"\n\t\treturn\n\tfi\n");

	/* which positional argument this is: options with a value skip one */
	printf("\tfor ((i = first; i < COMP_CWORD; i++)); do\n"
	       "\t\tw=${COMP_WORDS[i]}\n"
	       "\t\tif [ $skip = 1 ]; then skip=0; continue; fi\n"
	       "\t\tcase $w in\n\t\t");
	for (i = 0, n = 0; i < ARRAY_SIZE(option_specs); i++) {
		o = &option_specs[i];
		if (!o->arg)
			continue;
		printf("%s--%s", n++ ? "|" : "", o->name);
		if (o->id < 256)
			printf("|-%c", o->id);
	}
	printf(") skip=1 ;;\n"
	       "\t\t-*) ;;\n"
	       "\t\t*) n=$((n + 1)) ;;\n"
	       "\t\tesac\n\tdone\n");
	printf("\tset -- $args\n\tshift $n 2>/dev/null || return\n"
	       "\tcase $1 in\n");
	/* every word of every args string, once */
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		snprintf(words, sizeof(words), "%s", commands[i].args);
		for (w = strtok_r(words, " ", &save); w;
		     w = strtok_r(NULL, " ", &save)) {
			char word[32];
			bool dup = false;

			snprintf(word, sizeof(word), "%s", w + (*w == '['));
			if (strchr(word, ']'))
				*strchr(word, ']') = '\0';
			for (k = 0; k < i && !dup; k++)
				dup = strstr(commands[k].args, word) != NULL;
			if (dup)
				continue;
			how = complete_word(word, false);
			if (!strcmp(word, "NAME"))
				printf("\t\\[NAME\\]|NAME)\n"
				       "\t\tcase $key in\n"
				       "\t\t\"table \"*) %s ;;\n"
				       "\t\t*) %s ;;\n\t\tesac ;;\n",
				       complete_word(word, true), how);
			else if (!strcmp(word, "bash"))
				printf("\tbash) _xdplua_words bash ;;\n");
			else if (!strcmp(word, "COMMAND"))
				printf("\t\\[COMMAND\\]|COMMAND) _xdplua_words \"load unload attach detach status run table apply save completion\" ;;\n");
			else if (how)
				printf("\t\"%s\") %s ;;\n", word, how);
		}
	}
	printf("\tesac\n}\n\ncomplete -F _xdplua xdplua\n");
}

/* xdplua help [COMMAND]: all the commands, or one's (table: all table's) */
static int help(const struct cmdline *c)
{
	char name[64];
	size_t i;

	if (!c->nargs) {
		usage(ALL_CMDS);
		return 0;
	}
	if (c->nargs > 2)
		return bad_usage("too many arguments: xdplua help [COMMAND]");
	snprintf(name, sizeof(name), "%s%s%s", c->args[0],
		 c->nargs > 1 ? " " : "", c->nargs > 1 ? c->args[1] : "");
	if (c->nargs == 1 && !strcmp(name, "table")) {
		usage(TABLE_CMDS);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (commands[i].name && !strcmp(commands[i].name, name)) {
			usage(F(commands[i].cmd));
			return 0;
		}
	}
	return bad_usage("help: unknown command '%s'", name);
}

int main(int argc, char **argv)
{
	struct cmdline c = { 0 };
	char name[64];
	size_t i;
	int err;

	if (argc < 2)
		return bad_usage("missing command");

	if (argv[1][0] != '-') {
		/* "table" is followed by its subcommand */
		if (!strcmp(argv[1], "table")) {
			usage_mask = TABLE_CMDS;
			if (argc < 3)
				return bad_usage("missing table subcommand");
			if (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
				usage(TABLE_CMDS);
				return 0;
			}
			snprintf(name, sizeof(name), "table %s", argv[2]);
		} else {
			snprintf(name, sizeof(name), "%s", argv[1]);
		}
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (commands[i].name && !strcmp(name, commands[i].name))
				break;
		if (i == ARRAY_SIZE(commands))
			return bad_usage(usage_mask == TABLE_CMDS ?
					 "unknown table subcommand '%s'" :
					 "unknown command '%s'",
					 usage_mask == TABLE_CMDS ? argv[2] : argv[1]);
		c.cmd = commands[i].cmd;
		c.cmd_known = true;
		usage_mask = F(c.cmd);
		argc -= 1 + (usage_mask & TABLE_CMDS ? 1 : 0);
		argv += 1 + (usage_mask & TABLE_CMDS ? 1 : 0);
	}
	err = parse_options(&c, argc, argv);
	if (err)
		return err;
	if (!c.cmd_known && (err = flag_form(&c)))
		return err;
	err = check_options(&c);
	if (err)
		return err;
	if (c.help) {
		usage(c.cmd == CMD_HELP ? ALL_CMDS : F(c.cmd));
		return 0;
	}
	if (c.cmd == CMD_HELP)
		return help(&c);
	err = check_args(&c);
	if (err)
		return err;

	switch (c.cmd) {
	case CMD_LOAD_ATTACH:
		c.load.files[0] = c.script;
		c.load.nfiles++;
		xdp_init();
		return cmd_load_attach(&c.load, &c.attach, c.args[0]);
	case CMD_SET_ENTRY:
		xdp_init();
		return cmd_set_entry(c.load.entry, c.args[0]);
	case CMD_DETACH_FLAG:
	case CMD_DETACH:
		xdp_init();
		return cmd_detach(c.args[0]);
	case CMD_LOAD:
		/* files[0] is SCRIPT, before the --file ones */
		c.load.files[0] = c.args[0];
		c.load.nfiles++;
		xdp_init();
		return cmd_load(&c.load);
	case CMD_UNLOAD:
		xdp_init();
		return cmd_unload(c.args[0]);
	case CMD_ATTACH:
		xdp_init();
		return cmd_attach(c.args[0], c.args[1], &c.attach);
	case CMD_STATUS:
		xdp_init();
		return cmd_status(c.nargs ? c.args[0] : NULL, c.json);
	case CMD_RUN:
		if (c.run.out_verdicts && !c.run.out)
			return bad_usage("--out-verdict needs --out FILE");
		if ((c.run.ntables || c.run.log) && !c.run.local)
			return bad_usage("--table and --log need --local (the module's tables: xdplua table)");
		/* files[0] is SCRIPT, if it is a file */
		c.load.files[0] = c.args[0];
		c.load.nfiles++;
		c.run.json = c.json;
		xdp_init();
		return cmd_run(c.args[0], &c.load,
			       c.load.entry || c.load.name || c.load.nfiles > 1 ||
			       c.load.has_fallback || c.load.insn_budget ||
			       c.load.mem_budget || c.load.time_budget, &c.run);
	case CMD_TABLE_LIST:
	case CMD_TABLE_CREATE:
	case CMD_TABLE_DESTROY:
	case CMD_TABLE_SET:
	case CMD_TABLE_GET:
	case CMD_TABLE_DEL:
	case CMD_TABLE_DUMP:
	case CMD_TABLE_FLUSH:
	case CMD_TABLE_LOAD:
		c.table.json = c.json;
		/* enum table_cmd follows the order of the table commands */
		return cmd_table(c.cmd - CMD_TABLE_LIST, command_name(c.cmd) + 6,
				 c.args, c.nargs, &c.table);
	case CMD_APPLY:
	case CMD_SAVE:
		/* the helper gets the command line as it was (permuted) */
		return cmd_config(argv - 1);
	case CMD_COMPLETION:
		if (strcmp(c.args[0], "bash"))
			return bad_usage("completion: only bash is supported");
		print_bash_completion();
		return 0;
	case CMD_HELP:
	case NR_COMMANDS:
		break;
	}
	return 0;
}
