// SPDX-License-Identifier: GPL-2.0
/*
 * xdpluatables command lines, in iptables' shapes:
 *
 *   xdpluatables [-A [CHAIN]] RULE [IFACE]      (append: the default)
 *   xdpluatables -I [CHAIN] [N] RULE [IFACE]
 *   xdpluatables -D [CHAIN] N | -D [CHAIN] RULE [IFACE]
 *   xdpluatables -L|-S|-F|-Z [CHAIN]
 *
 * RULE is matches (-s, -d, -p, --sport, --dport, -i, -o) and a target
 * (-j, --to-destination, --to-source). Everything is checked here, before
 * the kernel is asked anything: a rule that passes parse_cmdline() is one
 * forward.lua can run.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

const struct timeout_name timeout_names[] = {
	{ "udp", 300, "UDP flows" },
	{ "icmp", 60, "ICMP echo flows" },
	{ "tcp", 7440, "established TCP connections" },
	{ "tcp_syn", 240, "TCP connections being opened" },
	{ "tcp_fin", 120, "TCP connections after a FIN" },
	{ "tcp_rst", 10, "TCP connections after a RST" },
};
const size_t ntimeouts = sizeof(timeout_names) / sizeof(timeout_names[0]);

#define TIMEOUT_MAX	315360000	/* 10 years */

struct parser {
	struct cmdline *c;
	char *err;
	size_t errlen;
	bool restore_line;
	bool to_dest, to_src;	/* --to-destination, --to-source seen */
	bool has_match;		/* -m */
	const char *match;
};

static int __attribute__((format(printf, 2, 3)))
bad(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return 2;
}

const char *chain_name(enum chain c)
{
	return c == CHAIN_POST ? "POSTROUTING" : "PREROUTING";
}

static const char *const targets[] = {
	[T_NONE] = "",
	[T_ACCEPT] = "ACCEPT",
	[T_DROP] = "DROP",
	[T_DNAT] = "DNAT",
	[T_SNAT] = "SNAT",
	[T_MASQUERADE] = "MASQUERADE",
};

const char *target_name(enum target t)
{
	return targets[t];
}

const char *proto_name(int proto)
{
	switch (proto) {
	case 0:
		return "all";
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	}
	return "?";
}

/* "10.0.0.2", or with the length: "10.0.0.0/24" (always_len: "/32" too) */
void format_addr(char *buf, size_t size, __u32 addr, int len, bool always_len)
{
	struct in_addr a = { htonl(addr) };
	char text[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, text, sizeof(text));
	if (len == 32 && !always_len)
		snprintf(buf, size, "%s", text);
	else
		snprintf(buf, size, "%s/%d", text, len);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* a decimal number from lo to hi, without signs, blanks or junk */
static bool number(const char *s, long lo, long hi, long *v)
{
	char *end;

	if (!all_digits(s) || strlen(s) > 10)
		return false;
	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && !*end && *v >= lo && *v <= hi;
}

static bool ipv4(const char *s, __u32 *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*addr = ntohl(a.s_addr);
	return true;
}

/* ADDR[/LEN] or ADDR/MASK; host bits are cleared, as iptables does */
static int parse_prefix(struct parser *p, const char *opt, const char *arg,
			bool *has, __u32 *addr, int *len)
{
	char buf[64], *slash;
	__u32 mask;
	long l;

	if (strlen(arg) >= sizeof(buf))
		return bad(p, "invalid address for %s: '%.40s...'", opt, arg);
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (!ipv4(buf, addr))
		return bad(p, "invalid address for %s: '%s' (an IPv4 address a.b.c.d, optionally /LENGTH; host names are not looked up)",
			   opt, arg);
	l = 32;
	if (slash) {
		__u32 m;

		if (number(slash, 0, 32, &l)) {
			/* a prefix length */
		} else if (ipv4(slash, &m) && !(~m & (~m + 1))) {
			/* a contiguous netmask */
			for (l = 0; l < 32 && (m & (0x80000000u >> l)); l++)
				;
		} else {
			return bad(p, "invalid prefix length for %s: '%s' (0 to 32, or a netmask)",
				   opt, slash);
		}
	}
	mask = l ? 0xffffffffu << (32 - l) : 0;
	*addr &= mask;
	*len = l;
	*has = l > 0;
	return 0;
}

/* PORT or LO:HI (":HI" from 0, "LO:" to 65535) */
static int parse_ports(struct parser *p, const char *opt, const char *arg,
		       __u16 *lo, __u16 *hi)
{
	char buf[32], *colon;
	long a = 0, b = 65535;

	if (strlen(arg) >= sizeof(buf))
		return bad(p, "invalid port for %s: '%.20s...'", opt, arg);
	strcpy(buf, arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if ((*buf || !colon) && !number(buf, 0, 65535, &a))
		return bad(p, "invalid port for %s: '%s' (0 to 65535, or a range LOW:HIGH; service names are not looked up)",
			   opt, arg);
	if (!colon)
		b = a;
	else if (*colon && !number(colon, 0, 65535, &b))
		return bad(p, "invalid port for %s: '%s' (0 to 65535, or a range LOW:HIGH)",
			   opt, arg);
	if (a > b)
		return bad(p, "invalid port range for %s: '%s' (the low port comes first)",
			   opt, arg);
	*lo = a;
	*hi = b;
	return 0;
}

static int parse_iface(struct parser *p, const char *opt, const char *arg,
		       char *name)
{
	size_t n = strlen(arg), i;

	if (!n || n >= IFNAMSIZ || !strcmp(arg, ".") || !strcmp(arg, ".."))
		return bad(p, "invalid interface name for %s: '%s' (1 to %d characters)",
			   opt, arg, IFNAMSIZ - 1);
	if (arg[n - 1] == '+')
		return bad(p, "interface wildcards ('%s') are not supported: name each interface",
			   arg);
	for (i = 0; i < n; i++)
		if (arg[i] == '/' || arg[i] == ':' || isspace((unsigned char)arg[i]) ||
		    !isprint((unsigned char)arg[i]))
			return bad(p, "invalid interface name for %s: '%s'", opt, arg);
	strcpy(name, arg);
	return 0;
}

static int parse_proto(struct parser *p, const char *arg, int *proto)
{
	static const struct {
		const char *name;
		int proto;
	} names[] = {
		{ "all", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(arg, names[i].name)) {
			*proto = names[i].proto;
			return 0;
		}
	if (number(arg, 0, 255, &v) && (v == 0 || v == 1 || v == 6 || v == 17)) {
		*proto = v;
		return 0;
	}
	return bad(p, "unsupported protocol '%s': udp, tcp, icmp or all", arg);
}

static int parse_target(struct parser *p, const char *arg, enum target *t)
{
	size_t i;

	for (i = T_ACCEPT; i <= T_MASQUERADE; i++)
		if (!strcmp(arg, targets[i])) {
			*t = i;
			return 0;
		}
	return bad(p, "unsupported target '%s': DNAT, SNAT, MASQUERADE, DROP or ACCEPT", arg);
}

/* --to-destination ADDR[:PORT] */
static int parse_to(struct parser *p, const char *opt, const char *arg,
		    bool port_allowed)
{
	struct rule *r = &p->c->rule;
	char buf[64], *colon;
	long v;

	if (strlen(arg) >= sizeof(buf))
		return bad(p, "invalid %s '%.40s...'", opt, arg);
	strcpy(buf, arg);
	if (strchr(buf, '-'))
		return bad(p, "%s '%s': address and port ranges are not supported", opt, arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (!ipv4(buf, &r->nat_addr))
		return bad(p, "invalid address in %s '%s' (an IPv4 address a.b.c.d)", opt, arg);
	if (!r->nat_addr || r->nat_addr == 0xffffffff || (r->nat_addr >> 28) == 0xe)
		return bad(p, "invalid address in %s '%s' (a unicast address)", opt, arg);
	if (colon) {
		if (!port_allowed)
			return bad(p, "%s takes an address only: '%s'", opt, arg);
		if (!number(colon, 1, 65535, &v))
			return bad(p, "invalid port in %s '%s' (1 to 65535)", opt, arg);
		r->has_nat_port = true;
		r->nat_port = v;
	}
	return 0;
}

static int parse_timeouts(struct parser *p, const char *arg)
{
	struct cmdline *c = p->c;
	char buf[256], *tok, *save, *eq;
	size_t i;
	long v;

	if (strlen(arg) >= sizeof(buf))
		return bad(p, "invalid --timeout '%.40s...'", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			return bad(p, "invalid --timeout '%s': PROTO=SECONDS, e.g. udp=60", tok);
		*eq++ = '\0';
		for (i = 0; i < ntimeouts; i++)
			if (!strcmp(tok, timeout_names[i].name))
				break;
		if (i == ntimeouts)
			return bad(p, "unknown timeout '%s': udp, icmp, tcp, tcp_syn, tcp_fin or tcp_rst", tok);
		if (!number(eq, 1, TIMEOUT_MAX, &v))
			return bad(p, "invalid --timeout %s=%s: seconds, 1 to %d", tok, eq, TIMEOUT_MAX);
		if (c->ntimeouts >= (int)(sizeof(c->timeouts) / sizeof(c->timeouts[0])))
			return bad(p, "too many timeouts in one command");
		c->timeouts[c->ntimeouts].which = i;
		c->timeouts[c->ntimeouts].seconds = v;
		c->ntimeouts++;
	}
	if (!c->ntimeouts)
		return bad(p, "--timeout needs PROTO=SECONDS");
	return 0;
}

enum opt {
	O_APPEND, O_INSERT, O_DELETE, O_LIST, O_SAVE, O_FLUSH, O_ZERO,
	O_RESTORE, O_FLOWS, O_FLUSH_FLOWS, O_DETACH, O_TIMEOUT, O_HELP,
	O_VERSION, O_TABLE, O_SOURCE, O_DEST, O_PROTO, O_SPORT, O_DPORT,
	O_IN, O_OUT, O_JUMP, O_TO_DEST, O_TO_SRC, O_MATCH, O_NUMERIC,
	O_VERBOSE, O_EXACT, O_LINE_NUMBERS, O_DRY_RUN, O_SCRIPT, O_MODE,
};

static const struct option_def {
	char s;			/* short option, or 0 */
	const char *l;		/* long option, or NULL */
	enum opt id;
	bool arg;		/* takes a value */
	bool rule;		/* part of a rule */
} options[] = {
	{ 'A', "append", O_APPEND, false, false },
	{ 'I', "insert", O_INSERT, false, false },
	{ 'D', "delete", O_DELETE, false, false },
	{ 'L', "list", O_LIST, false, false },
	{ 'S', "list-rules", O_SAVE, false, false },
	{ 'F', "flush", O_FLUSH, false, false },
	{ 'Z', "zero", O_ZERO, false, false },
	{ 0, "restore", O_RESTORE, false, false },
	{ 0, "flows", O_FLOWS, false, false },
	{ 0, "flush-flows", O_FLUSH_FLOWS, false, false },
	{ 0, "detach", O_DETACH, false, false },
	{ 0, "timeout", O_TIMEOUT, true, false },
	{ 'h', "help", O_HELP, false, false },
	{ 'V', "version", O_VERSION, false, false },
	{ 't', "table", O_TABLE, true, false },
	{ 's', "source", O_SOURCE, true, true },
	{ 0, "src", O_SOURCE, true, true },
	{ 'd', "destination", O_DEST, true, true },
	{ 0, "dst", O_DEST, true, true },
	{ 'p', "protocol", O_PROTO, true, true },
	{ 0, "sport", O_SPORT, true, true },
	{ 0, "source-port", O_SPORT, true, true },
	{ 0, "dport", O_DPORT, true, true },
	{ 0, "destination-port", O_DPORT, true, true },
	{ 'i', "in-interface", O_IN, true, true },
	{ 'o', "out-interface", O_OUT, true, true },
	{ 'j', "jump", O_JUMP, true, true },
	{ 0, "to-destination", O_TO_DEST, true, true },
	{ 0, "to-source", O_TO_SRC, true, true },
	{ 'm', "match", O_MATCH, true, false },
	{ 'n', "numeric", O_NUMERIC, false, false },
	{ 'v', "verbose", O_VERBOSE, false, false },
	{ 'x', "exact", O_EXACT, false, false },
	{ 0, "line-numbers", O_LINE_NUMBERS, false, false },
	{ 0, "dry-run", O_DRY_RUN, false, false },
	{ 0, "script", O_SCRIPT, true, false },
	{ 0, "mode", O_MODE, true, false },
};

#define NOPTIONS	(sizeof(options) / sizeof(options[0]))

static const struct option_def *find_short(char s)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].s == s)
			return &options[i];
	return NULL;
}

static const struct option_def *find_long(const char *l, size_t n)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].l && strlen(options[i].l) == n &&
		    !strncmp(options[i].l, l, n))
			return &options[i];
	return NULL;
}

/* The option as the user wrote it, for messages. */
static void spelled(const struct option_def *o, bool longform, char *buf,
		    size_t size)
{
	if (longform || !o->s)
		snprintf(buf, size, "--%s", o->l);
	else
		snprintf(buf, size, "-%c", o->s);
}

static bool is_chain_word(const char *s)
{
	if (!isupper((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static int set_command(struct parser *p, enum command cmd, const char *opt)
{
	if (p->c->cmd != CMD_NONE)
		return bad(p, "one command at a time: %s and another one given", opt);
	p->c->cmd = cmd;
	return 0;
}

/* The optional CHAIN (and N) after -A, -I, -D, -L, -S, -F, -Z. */
static int chain_args(struct parser *p, enum opt id, int argc, char **argv,
		      int *i)
{
	struct cmdline *c = p->c;
	long v;

	if (*i + 1 < argc && is_chain_word(argv[*i + 1])) {
		const char *name = argv[++*i];

		if (!strcmp(name, "PREROUTING"))
			c->chain = CHAIN_PRE;
		else if (!strcmp(name, "POSTROUTING"))
			c->chain = CHAIN_POST;
		else
			return bad(p, "no chain '%s': xdpluatables has PREROUTING (DNAT, DROP, ACCEPT) and POSTROUTING (SNAT, MASQUERADE, ACCEPT)",
				   name);
		c->chain_set = true;
	}
	if ((id == O_INSERT || id == O_DELETE) && *i + 1 < argc &&
	    all_digits(argv[*i + 1])) {
		if (!number(argv[*i + 1], 1, MAX_RULES + 1, &v))
			return bad(p, "invalid rule number '%s'", argv[*i + 1]);
		c->num = v;
		c->has_num = true;
		++*i;
	}
	return 0;
}

static int option(struct parser *p, const struct option_def *o,
		  const char *name, const char *arg, int argc, char **argv,
		  int *i)
{
	struct cmdline *c = p->c;
	struct rule *r = &c->rule;
	int err;

	if (o->rule)
		c->has_rule = true;
	switch (o->id) {
	case O_APPEND:
		err = set_command(p, CMD_APPEND, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_INSERT:
		err = set_command(p, CMD_INSERT, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_DELETE:
		err = set_command(p, CMD_DELETE, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_LIST:
		err = set_command(p, CMD_LIST, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_SAVE:
		err = set_command(p, CMD_SAVE, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_FLUSH:
		err = set_command(p, CMD_FLUSH, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_ZERO:
		err = set_command(p, CMD_ZERO, name);
		return err ?: chain_args(p, o->id, argc, argv, i);
	case O_RESTORE:
		err = set_command(p, CMD_RESTORE, name);
		if (!err && *i + 1 < argc && argv[*i + 1][0] != '-')
			c->file = argv[++*i];
		return err;
	case O_FLOWS:
		return set_command(p, CMD_FLOWS, name);
	case O_FLUSH_FLOWS:
		return set_command(p, CMD_FLUSH_FLOWS, name);
	case O_DETACH:
		return set_command(p, CMD_DETACH, name);
	case O_TIMEOUT:
		if (c->cmd != CMD_NONE && c->cmd != CMD_TIMEOUT)
			return bad(p, "one command at a time: --timeout and another one given");
		c->cmd = CMD_TIMEOUT;
		return parse_timeouts(p, arg);
	case O_HELP:
		return set_command(p, CMD_HELP, name);
	case O_VERSION:
		return set_command(p, CMD_VERSION, name);
	case O_TABLE:
		if (strcmp(arg, "nat") && strcmp(arg, "filter") && strcmp(arg, "raw"))
			return bad(p, "no table '%s': xdpluatables has one rule set (-t nat, filter and raw are accepted and mean the same)",
				   arg);
		return 0;
	case O_SOURCE:
		if (r->has_src || r->slen)
			return bad(p, "%s given twice", name);
		err = parse_prefix(p, name, arg, &r->has_src, &r->src, &r->slen);
		if (!err && !r->has_src)
			r->slen = 0;
		return err;
	case O_DEST:
		if (r->has_dst || r->dlen)
			return bad(p, "%s given twice", name);
		return parse_prefix(p, name, arg, &r->has_dst, &r->dst, &r->dlen);
	case O_PROTO:
		return parse_proto(p, arg, &r->proto);
	case O_SPORT:
		r->has_sport = true;
		return parse_ports(p, name, arg, &r->splo, &r->sphi);
	case O_DPORT:
		r->has_dport = true;
		return parse_ports(p, name, arg, &r->dplo, &r->dphi);
	case O_IN:
		if (r->iif[0])
			return bad(p, "%s given twice", name);
		return parse_iface(p, name, arg, r->iif);
	case O_OUT:
		if (r->oif[0])
			return bad(p, "%s given twice", name);
		return parse_iface(p, name, arg, r->oif);
	case O_JUMP:
		if (r->target)
			return bad(p, "%s given twice", name);
		return parse_target(p, arg, &r->target);
	case O_TO_DEST:
		if (p->to_dest)
			return bad(p, "%s given twice", name);
		p->to_dest = true;
		return parse_to(p, name, arg, true);
	case O_TO_SRC:
		if (p->to_src)
			return bad(p, "%s given twice", name);
		p->to_src = true;
		return parse_to(p, name, arg, false);
	case O_MATCH:
		if (strcmp(arg, "udp") && strcmp(arg, "tcp") && strcmp(arg, "icmp"))
			return bad(p, "unsupported match module '%s': -p udp, tcp or icmp with --sport/--dport is what there is",
				   arg);
		p->has_match = true;
		p->match = arg;
		return 0;
	case O_NUMERIC:
		c->numeric = true;
		return 0;
	case O_VERBOSE:
		c->verbose = true;
		return 0;
	case O_EXACT:
		c->exact = true;
		return 0;
	case O_LINE_NUMBERS:
		c->line_numbers = true;
		return 0;
	case O_DRY_RUN:
		c->dry_run = true;
		return 0;
	case O_SCRIPT:
		c->script = arg;
		return 0;
	case O_MODE:
		if (strcmp(arg, "native") && strcmp(arg, "skb"))
			return bad(p, "invalid --mode '%s': native or skb", arg);
		c->mode = arg;
		return 0;
	}
	return 0;
}

/* After the options: the rule makes sense as a whole. */
static int check_rule(struct parser *p)
{
	struct cmdline *c = p->c;
	struct rule *r = &c->rule;
	bool ports;

	if (!r->target) {
		if (p->to_dest)
			r->target = T_DNAT;
		else if (p->to_src)
			r->target = T_SNAT;
		else
			return bad(p, "the rule has no target: -j DNAT, SNAT, MASQUERADE, DROP or ACCEPT (or --to-destination ADDR[:PORT] for DNAT)");
	}
	if (c->chain_set) {
		r->chain = c->chain;
	} else {
		if (r->target == T_SNAT || r->target == T_MASQUERADE)
			r->chain = CHAIN_POST;
		else if (r->target == T_DNAT || r->target == T_DROP)
			r->chain = CHAIN_PRE;
		else	/* ACCEPT: where its interface says */
			r->chain = r->oif[0] ? CHAIN_POST : CHAIN_PRE;
		c->chain = r->chain;
	}
	if (c->iface) {
		char *name = r->chain == CHAIN_PRE ? r->iif : r->oif;

		if (name[0])
			return bad(p, "two interfaces: %s given with %s and as '%s'",
				   name, r->chain == CHAIN_PRE ? "-i" : "-o", c->iface);
		if (parse_iface(p, "the interface", c->iface, name))
			return 2;
	}
	if (r->chain == CHAIN_PRE && r->oif[0])
		return bad(p, "-o (the egress interface) is for POSTROUTING rules, not PREROUTING");
	if (r->chain == CHAIN_POST && r->iif[0])
		return bad(p, "-i (the ingress interface) is for PREROUTING rules, not POSTROUTING");
	switch (r->target) {
	case T_DNAT:
		if (!p->to_dest)
			return bad(p, "DNAT needs --to-destination ADDR[:PORT]");
		if (r->chain != CHAIN_PRE)
			return bad(p, "DNAT is a PREROUTING target");
		break;
	case T_SNAT:
		if (!p->to_src)
			return bad(p, "SNAT needs --to-source ADDR");
		/* fall through */
	case T_MASQUERADE:
		if (r->chain != CHAIN_POST)
			return bad(p, "%s is a POSTROUTING target", target_name(r->target));
		if (!r->oif[0])
			return bad(p, "%s needs the egress interface, where the replies come back: -o IFACE (or the interface as the last argument)",
				   target_name(r->target));
		break;
	case T_DROP:
		if (r->chain != CHAIN_PRE)
			return bad(p, "DROP is a PREROUTING target");
		break;
	default:
		break;
	}
	if (p->to_dest && r->target != T_DNAT)
		return bad(p, "--to-destination goes with -j DNAT, not %s", target_name(r->target));
	if (p->to_src && r->target != T_SNAT)
		return bad(p, "--to-source goes with -j SNAT, not %s", target_name(r->target));
	ports = r->proto == 6 || r->proto == 17;
	if ((r->has_sport || r->has_dport) && !ports)
		return bad(p, "--sport and --dport need -p udp or -p tcp");
	if (r->has_nat_port && !ports)
		return bad(p, "a port in --to-destination needs -p udp or -p tcp");
	if (p->has_match && strcmp(p->match, proto_name(r->proto)))
		return bad(p, "-m %s does not agree with -p %s", p->match, proto_name(r->proto));
	if (!r->has_sport) {
		r->splo = 0;
		r->sphi = 65535;
	}
	if (!r->has_dport) {
		r->dplo = 0;
		r->dphi = 65535;
	}
	/* a full range is no match at all */
	if (r->has_sport && r->splo == 0 && r->sphi == 65535)
		r->has_sport = false;
	if (r->has_dport && r->dplo == 0 && r->dphi == 65535)
		r->has_dport = false;
	return 0;
}

int parse_cmdline(int argc, char **argv, struct cmdline *c, bool restore_line,
		  char *err, size_t errlen)
{
	struct parser p = { .c = c, .err = err, .errlen = errlen,
			    .restore_line = restore_line };
	char name[64], expanded[2];
	int i, ret;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *arg = NULL;
		const struct option_def *o;
		bool longform = false;

		if (!strcmp(a, "!"))
			return bad(&p, "negation ('!') is not supported");
		if (a[0] != '-' || !a[1]) {
			if (c->iface)
				return bad(&p, "unexpected argument '%s' (one interface only, '%s' already given)",
					   a, c->iface);
			c->iface = a;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');

			longform = true;
			o = find_long(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
			if (!o)
				return bad(&p, "unknown option '%s'", a);
			if (eq) {
				if (!o->arg)
					return bad(&p, "option --%s takes no value", o->l);
				arg = eq + 1;
			}
		} else if (a[2] && find_short(a[1]) && !find_short(a[1])->arg) {
			/* flags together, iptables style: -nvL */
			size_t k;

			if (restore_line)
				return bad(&p, "unexpected '%s' in a restore file (rules are '-A CHAIN ...' lines)", a);
			for (k = 1; a[k]; k++) {
				o = find_short(a[k]);
				if (!o || o->arg || (k + 1 < strlen(a) &&
						     strchr("ADILSFZI", a[k])))
					return bad(&p, "unknown option '%s'", a);
			}
			for (k = 1; a[k]; k++) {
				o = find_short(a[k]);
				expanded[0] = a[k];
				expanded[1] = '\0';
				snprintf(name, sizeof(name), "-%s", expanded);
				ret = option(&p, o, name, NULL, argc, argv, &i);
				if (ret)
					return ret;
			}
			continue;
		} else {
			o = find_short(a[1]);
			if (!o)
				return bad(&p, "unknown option '%s'", a);
			if (a[2])	/* -p17: the value attached */
				arg = a + 2;
		}
		spelled(o, longform, name, sizeof(name));
		if (o->arg && !arg) {
			if (i + 1 >= argc)
				return bad(&p, "option %s needs a value", name);
			arg = argv[++i];
		}
		if (restore_line && !o->rule && o->id != O_APPEND &&
		    o->id != O_TIMEOUT && o->id != O_MATCH && o->id != O_TABLE)
			return bad(&p, "%s has no place in a restore file (rules are '-A CHAIN ...' lines)",
				   name);
		ret = option(&p, o, name, arg, argc, argv, &i);
		if (ret)
			return ret;
	}

	if (c->cmd == CMD_NONE && (c->has_rule || c->iface))
		c->cmd = CMD_APPEND;
	switch (c->cmd) {
	case CMD_NONE:
		return bad(&p, "no command: give a rule (e.g. -d 10.0.0.2 -p udp --dport 2222 --to-destination 192.168.0.1:53 eth0), or -L, -S, -F, --restore");
	case CMD_APPEND:
	case CMD_INSERT:
		if (!c->has_rule)
			return bad(&p, "%s needs a rule", c->cmd == CMD_APPEND ? "-A" : "-I");
		return check_rule(&p);
	case CMD_DELETE:
		if (c->has_num) {
			if (!c->chain_set)
				return bad(&p, "-D with a rule number needs the chain: -D PREROUTING %ld", c->num);
			if (c->has_rule || c->iface)
				return bad(&p, "-D takes a rule number or a rule, not both");
			return 0;
		}
		if (!c->has_rule)
			return bad(&p, "-D needs a rule number or a rule");
		return check_rule(&p);
	default:
		if (c->has_rule || c->iface)
			return bad(&p, "this command takes no rule%s%s%s", c->iface ? " (unexpected '" : "",
				   c->iface ? c->iface : "", c->iface ? "')" : "");
		return 0;
	}
}

/* The tuple (shape) flags of a rule. */
int tuple_flags(const struct rule *r)
{
	int f = 0;

	if (r->proto)
		f |= F_PROTO;
	if (r->has_sport && r->splo == r->sphi)
		f |= F_SPORT;
	if (r->has_dport && r->dplo == r->dphi)
		f |= F_DPORT;
	if (rule_iface(r)[0])
		f |= F_IFACE;
	return f;
}

const char *rule_iface(const struct rule *r)
{
	return r->chain == CHAIN_PRE ? r->iif : r->oif;
}

static void format_ports(char *buf, size_t size, __u16 lo, __u16 hi)
{
	if (lo == hi)
		snprintf(buf, size, "%u", lo);
	else
		snprintf(buf, size, "%u:%u", lo, hi);
}

/* "-A CHAIN ..." as -S prints it, and as parse_cmdline reads it back. */
int rule_format(const struct rule *r, char *buf, size_t size)
{
	char a[64];
	size_t n = 0;

#define PUT(...) do { \
	if (n < size) \
		n += snprintf(buf + n, size - n, __VA_ARGS__); \
} while (0)
	PUT("-A %s", chain_name(r->chain));
	if (r->has_src) {
		format_addr(a, sizeof(a), r->src, r->slen, true);
		PUT(" -s %s", a);
	}
	if (r->has_dst) {
		format_addr(a, sizeof(a), r->dst, r->dlen, true);
		PUT(" -d %s", a);
	}
	if (r->iif[0])
		PUT(" -i %s", r->iif);
	if (r->oif[0])
		PUT(" -o %s", r->oif);
	if (r->proto)
		PUT(" -p %s", proto_name(r->proto));
	if (r->has_sport) {
		format_ports(a, sizeof(a), r->splo, r->sphi);
		PUT(" --sport %s", a);
	}
	if (r->has_dport) {
		format_ports(a, sizeof(a), r->dplo, r->dphi);
		PUT(" --dport %s", a);
	}
	PUT(" -j %s", target_name(r->target));
	if (r->target == T_DNAT || r->target == T_SNAT) {
		format_addr(a, sizeof(a), r->nat_addr, 32, false);
		PUT(" --to-%s %s", r->target == T_DNAT ? "destination" : "source", a);
		if (r->has_nat_port)
			PUT(":%u", r->nat_port);
	}
#undef PUT
	return n < size ? 0 : -ENOSPC;
}

/* Same matches and target (for -D RULE). */
bool rule_same(const struct rule *a, const struct rule *b)
{
	char ta[512], tb[512];

	rule_format(a, ta, sizeof(ta));
	rule_format(b, tb, sizeof(tb));
	return !strcmp(ta, tb);
}

/* Split a line into words at blanks; quotes are not special. */
int split_line(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (n >= max)
			return -1;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}
