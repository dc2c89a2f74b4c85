// SPDX-License-Identifier: GPL-2.0
/*
 * xdplua: run Lua scripts in the XDP hook (with xdplua.ko).
 *
 * The command line: the original tool's flags (-L, -F, -d) and commands
 * (load, unload, attach, detach, status, help). Every option is declared
 * once, in the table below, with the commands that accept it; the usage
 * text and getopt's tables come from there.
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
	CMD_FLAGS,	/* -L / -F / -d */
	CMD_LOAD,
	CMD_UNLOAD,
	CMD_ATTACH,
	CMD_DETACH,
	CMD_STATUS,
	CMD_RUN,
	CMD_HELP,
	CMD_TABLE,	/* its own options: table.c */
	CMD_CONFIG,	/* apply, save: the xdplua-config helper */
};

#define F(cmd)		(1u << (cmd))
#define ALL_CMDS	(~0u)

static const struct {
	const char *name;
	enum command cmd;
	int min_args, max_args;
	const char *synopsis;
	const char *what;
} commands[] = {
	{ NULL, CMD_FLAGS, 1, 1,
	  "-L SCRIPT [-F FUNCTION] [OPTIONS] IFACE",
	  "load SCRIPT and run it on IFACE" },
	{ NULL, CMD_FLAGS, 1, 1,
	  "-F FUNCTION IFACE",
	  "switch the entry function of IFACE's script" },
	{ NULL, CMD_FLAGS, 1, 1,
	  "-d IFACE",
	  "detach IFACE's script (unloaded if unused)" },
	{ "load", CMD_LOAD, 1, 1,
	  "load SCRIPT [--file FILE]... [OPTIONS]",
	  "load or reload a script, print its id" },
	{ "unload", CMD_UNLOAD, 1, 1,
	  "unload NAME",
	  "unload a script that runs nowhere" },
	{ "attach", CMD_ATTACH, 2, 2,
	  "attach NAME IFACE [--mode MODE] [--force]",
	  "run a loaded script on IFACE" },
	{ "detach", CMD_DETACH, 1, 1,
	  "detach IFACE",
	  "same as -d IFACE" },
	{ "status", CMD_STATUS, 0, 1,
	  "status [-j] [NAME]",
	  "scripts, where they run, their counters" },
	{ "run", CMD_RUN, 1, 1,
	  "run SCRIPT|NAME --pcap FILE [--out FILE] [--local]",
	  "run a script on a capture's packets, print verdicts" },
	{ "table", CMD_TABLE, 1, 4,
	  "table list|create|destroy|set|get|del|dump|flush|load ...",
	  "shared tables (xdplua table --help)" },
	{ "apply", CMD_CONFIG, 0, 0,
	  "apply [--config DIR] [--dry-run]",
	  "make the running state what /etc/xdplua/ says" },
	{ "save", CMD_CONFIG, 0, 0,
	  "save [--config DIR]",
	  "write the running state to /etc/xdplua/" },
	{ "help", CMD_HELP, 0, 0,
	  "help",
	  "show this help" },
};

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
	OPT_PCAP,
	OPT_OUT,
	OPT_OUT_VERDICT,
	OPT_REPEAT,
	OPT_LOCAL,
	OPT_TABLE,
	OPT_LOG,
};

#define LOAD_CMDS	(F(CMD_FLAGS) | F(CMD_LOAD))
#define ATTACH_CMDS	(F(CMD_FLAGS) | F(CMD_ATTACH))
/* the options of a script file, which "run" loads for the run */
#define SCRIPT_CMDS	(LOAD_CMDS | F(CMD_RUN))

static const struct option_spec {
	const char *name;
	int id;		/* the short option, or >= 256 for long ones only */
	const char *arg;
	unsigned int cmds;
	const char *help;
} option_specs[] = {
	{ "load", OPT_LOAD, "SCRIPT", F(CMD_FLAGS),
	  "load SCRIPT and attach it to IFACE" },
	{ "detach", OPT_DETACH, NULL, F(CMD_FLAGS),
	  "detach from IFACE" },
	{ "function", OPT_FUNCTION, "FUNCTION", SCRIPT_CMDS,
	  "the entry function, called for each packet (default: callback)" },
	{ "name", OPT_NAME, "NAME", LOAD_CMDS,
	  "the script's name (default: SCRIPT's file name without .lua)" },
	{ "file", OPT_FILE, "FILE", SCRIPT_CMDS,
	  "also load FILE, for require (repeatable)" },
	{ "fallback", OPT_FALLBACK, "ACTION", SCRIPT_CMDS,
	  "verdict when the script fails: pass (default), drop, aborted, tx" },
	{ "insn-budget", OPT_INSN_BUDGET, "N", SCRIPT_CMDS,
	  "Lua instructions per packet (default: 100000)" },
	{ "mem-budget", OPT_MEM_BUDGET, "BYTES", SCRIPT_CMDS,
	  "memory per CPU's Lua state, K and M suffixes (default: 8M)" },
	{ "time-budget", OPT_TIME_BUDGET, "TIME", SCRIPT_CMDS,
	  "time one packet may take, us or ms suffix (default: 50ms)" },
	{ "mode", OPT_MODE, "MODE", ATTACH_CMDS,
	  "native (default) or skb (generic XDP)" },
	{ "force", OPT_FORCE, NULL, ATTACH_CMDS,
	  "replace an XDP program that is not XDPLua's" },
	{ "multiprog", OPT_MULTIPROG, NULL, ATTACH_CMDS,
	  "share IFACE with other XDP programs (libxdp's dispatcher)" },
	{ "pcap", OPT_PCAP, "FILE", F(CMD_RUN),
	  "the packets to run: a pcap file (Ethernet)" },
	{ "out", OPT_OUT, "FILE", F(CMD_RUN),
	  "write the resulting packets to FILE (pcap)" },
	{ "out-verdict", OPT_OUT_VERDICT, "LIST", F(CMD_RUN),
	  "only write these verdicts' packets, e.g. TX,PASS" },
	{ "repeat", OPT_REPEAT, "N", F(CMD_RUN),
	  "also run each packet N times, print ns per run" },
	{ "local", OPT_LOCAL, NULL, F(CMD_RUN),
	  "run in userspace, without the module (no root needed)" },
	{ "table", OPT_TABLE, "NAME=FILE", F(CMD_RUN),
	  "--local: fill table NAME from FILE first, as table load (repeatable)" },
	{ "log", OPT_LOG, "FILE", F(CMD_RUN),
	  "--local: what the kernel would log goes to FILE, not stderr" },
	{ "json", OPT_JSON, NULL, F(CMD_STATUS) | F(CMD_RUN),
	  "print JSON" },
	{ "verbose", OPT_VERBOSE, NULL, ALL_CMDS,
	  "show libbpf's messages" },
	{ "help", OPT_HELP, NULL, ALL_CMDS,
	  "show this help" },
};

static void print_synopsis(FILE *fp)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "%s xdplua %s\n", i ? "      " : "Usage:",
			commands[i].synopsis);
}

static void usage(void)
{
	char left[64];
	size_t i;

	printf("xdplua: run Lua scripts in the XDP hook (needs xdplua.ko)\n\n");
	printf("Usage: xdplua COMMAND [OPTIONS] [ARGS]\n\n");
	printf("Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-42s %s\n", commands[i].synopsis, commands[i].what);
	printf("\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(option_specs); i++) {
		const struct option_spec *o = &option_specs[i];

		if (o->id < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id,
				 o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-24s %s\n", left, o->help);
	}
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

/* A command line that makes no sense: the synopsis, and exit code 2. */
static int __attribute__((format(printf, 1, 2))) bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
	print_synopsis(stderr);
	fputs("Try 'xdplua help' for the options.\n", stderr);
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

static const struct option_spec *find_spec(int id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(option_specs); i++)
		if (option_specs[i].id == id)
			return &option_specs[i];
	return NULL;
}

static const char *command_name(enum command cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].cmd == cmd && commands[i].name)
			return commands[i].name;
	return "-L, -F or -d";
}

struct cmdline {
	enum command cmd;
	const char *script;	/* -L */
	bool detach;		/* -d */
	bool json;
	bool help;
	bool load_opt_seen;	/* any option that only makes sense with -L */
	struct load_opts load;
	struct attach_opts attach;
	struct run_opts run;
	char **args;
	int nargs;
};

static int parse_value(struct cmdline *c, int id, const char *arg)
{
	__u32 v;

	switch (id) {
	case OPT_LOAD:
		c->script = arg;
		break;
	case OPT_DETACH:
		c->detach = true;
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
		c->load_opt_seen = true;
		break;
	case OPT_FILE:
		/* files[0] is SCRIPT, filled in later */
		if (c->load.nfiles + 1 >= (int)ARRAY_SIZE(c->load.files))
			return bad_usage("too many --file (at most %zu)",
					 ARRAY_SIZE(c->load.files) - 1);
		c->load.files[++c->load.nfiles] = arg;
		c->load_opt_seen = true;
		break;
	case OPT_FALLBACK:
		if (parse_action(arg, &c->load.fallback))
			return bad_value("invalid --fallback '%s': use pass, drop, aborted or tx",
					 arg);
		c->load.has_fallback = true;
		c->load_opt_seen = true;
		break;
	case OPT_INSN_BUDGET:
		if (parse_u32(arg, &v) || !v)
			return bad_value("invalid --insn-budget '%s': a number of instructions, at least 1",
					 arg);
		c->load.insn_budget = v;
		c->load_opt_seen = true;
		break;
	case OPT_MEM_BUDGET:
		if (parse_bytes(arg, &v) || !v)
			return bad_value("invalid --mem-budget '%s': bytes, with an optional K or M suffix, below 4G",
					 arg);
		c->load.mem_budget = v;
		c->load_opt_seen = true;
		break;
	case OPT_TIME_BUDGET:
		if (parse_time_us(arg, &v) || !v)
			return bad_value("invalid --time-budget '%s': microseconds, or a number with a us or ms suffix",
					 arg);
		c->load.time_budget = v;
		c->load_opt_seen = true;
		break;
	case OPT_MODE:
		if (parse_mode(arg, &c->attach.mode))
			return bad_value("invalid --mode '%s': use native or skb",
					 arg);
		c->attach.mode_set = true;
		c->load_opt_seen = true;
		break;
	case OPT_FORCE:
		c->attach.force = true;
		c->load_opt_seen = true;
		break;
	case OPT_MULTIPROG:
		c->attach.multiprog = true;
		c->load_opt_seen = true;
		break;
	case OPT_PCAP:
		c->run.pcap = arg;
		break;
	case OPT_OUT:
		c->run.out = arg;
		break;
	case OPT_OUT_VERDICT:
		if (parse_verdicts(arg, &c->run.out_verdicts))
			return bad_value("invalid --out-verdict '%s': a list of aborted, drop, pass, tx, redirect, e.g. TX,PASS",
					 arg);
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
		if (!(spec->cmds & F(c->cmd)))
			return bad_usage("option --%s does not apply to %s",
					 spec->name, command_name(c->cmd));
		err = parse_value(c, id, optarg);
		if (err)
			return err;
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	return 0;
}

static int check_args(const struct cmdline *c, const char *synopsis,
		      int min, int max)
{
	if (c->nargs < min || c->nargs > max)
		return bad_usage("%s arguments: xdplua %s",
				 c->nargs < min ? "missing" : "too many",
				 synopsis);
	return 0;
}

/* xdplua -L SCRIPT ... IFACE | -F FUNCTION IFACE | -d IFACE */
static int run_flags(struct cmdline *c)
{
	int err;

	if (c->script && c->detach)
		return bad_usage("-L and -d do not go together");
	if (c->detach) {
		if (c->load.entry || c->load_opt_seen)
			return bad_usage("-d takes no other option");
		err = check_args(c, "-d IFACE", 1, 1);
		return err ?: cmd_detach(c->args[0]);
	}
	if (c->script) {
		err = check_args(c, "-L SCRIPT [-F FUNCTION] [OPTIONS] IFACE",
				 1, 1);
		if (err)
			return err;
		c->load.files[0] = c->script;
		c->load.nfiles++;
		return cmd_load_attach(&c->load, &c->attach, c->args[0]);
	}
	if (c->load.entry) {
		if (c->load_opt_seen)
			return bad_usage("these options need -L SCRIPT");
		err = check_args(c, "-F FUNCTION IFACE", 1, 1);
		return err ?: cmd_set_entry(c->load.entry, c->args[0]);
	}
	return bad_usage("say what to do: -L, -F, -d or a command");
}

int main(int argc, char **argv)
{
	struct cmdline c = { 0 };
	size_t i = 0;
	int err;

	if (argc < 2)
		return bad_usage("missing command");

	/* commands[0] stands for the flags (-L, -F, -d) */
	if (argv[1][0] != '-') {
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (commands[i].name &&
			    !strcmp(argv[1], commands[i].name))
				break;
		if (i == ARRAY_SIZE(commands))
			return bad_usage("unknown command '%s'", argv[1]);
		argc--;
		argv++;
	}
	c.cmd = commands[i].cmd;
	if (c.cmd == CMD_TABLE)
		return cmd_table(argc, argv);
	if (c.cmd == CMD_CONFIG)
		return cmd_config(argv - 1);
	err = parse_options(&c, argc, argv);
	if (err)
		return err;
	if (c.help || c.cmd == CMD_HELP) {
		if (!c.help && c.nargs)
			return bad_usage("too many arguments: xdplua help");
		usage();
		return 0;
	}
	xdp_init();
	if (c.cmd == CMD_FLAGS)
		return run_flags(&c);
	err = check_args(&c, commands[i].synopsis, commands[i].min_args,
			 commands[i].max_args);
	if (err)
		return err;

	switch (c.cmd) {
	case CMD_LOAD:
		/* files[0] is SCRIPT, before the --file ones */
		c.load.files[0] = c.args[0];
		c.load.nfiles++;
		return cmd_load(&c.load);
	case CMD_UNLOAD:
		return cmd_unload(c.args[0]);
	case CMD_ATTACH:
		return cmd_attach(c.args[0], c.args[1], &c.attach);
	case CMD_DETACH:
		return cmd_detach(c.args[0]);
	case CMD_STATUS:
		return cmd_status(c.nargs ? c.args[0] : NULL, c.json);
	case CMD_RUN:
		if (!c.run.pcap)
			return bad_usage("missing --pcap FILE: xdplua %s",
					 commands[i].synopsis);
		if (c.run.out_verdicts && !c.run.out)
			return bad_usage("--out-verdict needs --out FILE");
		if ((c.run.ntables || c.run.log) && !c.run.local)
			return bad_usage("--table and --log need --local (the module's tables: xdplua table)");
		/* files[0] is SCRIPT, if it is a file */
		c.load.files[0] = c.args[0];
		c.load.nfiles++;
		c.run.json = c.json;
		return cmd_run(c.args[0], &c.load,
			       c.load_opt_seen || c.load.entry, &c.run);
	case CMD_FLAGS:
	case CMD_HELP:
	case CMD_TABLE:
	case CMD_CONFIG:
		break;
	}
	return 0;
}
