/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpluatables: iptables-like NAT and filtering rules, run by
 * examples/forward/forward.lua in the XDP hook (docs/xdpluatables.md).
 *
 * The rules live in shared tables of xdplua.ko, where forward.lua reads
 * them. The formats below are the contract with forward.lua: change both.
 *
 *   fwd.conf   [0] generation (int), bumped after every change
 *              "tuples"   the rule shapes: TUPLE records
 *              "timeout.udp" ... seconds (int)
 *   fwd.match  KEY -> RULE records (sorted by priority)
 *   fwd.count  [2 * id] packets, [2 * id + 1] bytes
 *   fwd.rules  id -> "PRIORITY -A CHAIN ..." (the tool's copy, as text)
 *   fwd.udp, fwd.tcp, fwd.icmp, fwd.ports, fwd.stats: forward.lua's state
 *
 * A shape (tuple) is what a rule matches: its chain, the prefix lengths of
 * its source and destination, and whether it matches the protocol, a
 * single source port, a single destination port, the interface. Rules of
 * one shape are one hash lookup away, whatever their number:
 *
 *   TUPLE  ">I2BBBBi8"  id, chain, src len, dst len, flags, first priority
 *   KEY    ">I2I4I4BI2I2" id, src & mask, dst & mask, proto, sport, dport
 *          (0 for what the shape does not match), then the interface
 *          name if it matches the interface
 *   RULE   ">i8I4BI2I2I2I2I4I2B" priority, id, target, sport lo, hi,
 *          dport lo, hi, NAT address, NAT port, NAT flags
 */
#ifndef XDPLUATABLES_RULES_H
#define XDPLUATABLES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <linux/types.h>

#define FWD_SCRIPT	"forward"	/* the script's name */
#define FWD_CONF	"fwd.conf"
#define FWD_MATCH	"fwd.match"
#define FWD_COUNT	"fwd.count"
#define FWD_RULES	"fwd.rules"
#define FWD_PORTS	"fwd.ports"
#define FWD_STATS	"fwd.stats"

#define TUPLE_LEN	14
#define KEY_LEN		15
#define RULE_LEN	28
#define MAX_TUPLES	(1024 / TUPLE_LEN)	/* in one string value */
#define MAX_SAME_KEY	(1024 / RULE_LEN)	/* rules sharing a key */
#define MAX_RULES	32768

/* tuple flags */
#define F_PROTO		1
#define F_SPORT		2
#define F_DPORT		4
#define F_IFACE		8

#define NAT_PORT	1	/* NAT flags: the port is rewritten */

enum chain { CHAIN_PRE, CHAIN_POST, NCHAINS };

enum target {
	T_NONE,
	T_ACCEPT,
	T_DROP,
	T_DNAT,
	T_SNAT,
	T_MASQUERADE,
};

struct rule {
	enum chain chain;
	bool has_src, has_dst;
	__u32 src, dst;		/* host order, masked */
	int slen, dlen;
	int proto;		/* 0: any */
	bool has_sport, has_dport;
	__u16 splo, sphi, dplo, dphi;
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	enum target target;
	__u32 nat_addr;
	bool has_nat_port;
	__u16 nat_port;
	/* where it is stored */
	__u32 id;
	__s64 prio;
};

/* the per-protocol idle timeouts forward.lua knows */
struct timeout_name {
	const char *name;
	unsigned int def;	/* seconds */
	const char *what;
};

extern const struct timeout_name timeout_names[];
extern const size_t ntimeouts;

/* parse.c: command lines */
enum command {
	CMD_NONE,
	CMD_APPEND,
	CMD_INSERT,
	CMD_DELETE,
	CMD_LIST,
	CMD_SAVE,	/* -S */
	CMD_FLUSH,
	CMD_ZERO,
	CMD_RESTORE,
	CMD_FLOWS,
	CMD_FLUSH_FLOWS,
	CMD_DETACH,
	CMD_TIMEOUT,
	CMD_HELP,
	CMD_VERSION,
};

struct cmdline {
	enum command cmd;
	bool chain_set;
	enum chain chain;
	bool has_num;
	long num;		/* -I CHAIN N, -D CHAIN N */
	bool has_rule;		/* any match or target option */
	struct rule rule;
	const char *iface;	/* the positional interface */
	bool verbose, numeric, exact, line_numbers, dry_run;
	const char *file;	/* --restore FILE */
	const char *script;	/* --script FILE */
	const char *mode;	/* --mode native|skb */
	int ntimeouts;
	struct {
		int which;	/* index in timeout_names */
		unsigned int seconds;
	} timeouts[8];
};

int parse_cmdline(int argc, char **argv, struct cmdline *c, bool restore_line,
		  char *err, size_t errlen);
int rule_format(const struct rule *r, char *buf, size_t size);
bool rule_same(const struct rule *a, const struct rule *b);
const char *chain_name(enum chain c);
const char *target_name(enum target t);
const char *proto_name(int proto);
void format_addr(char *buf, size_t size, __u32 addr, int len, bool always_len);
int tuple_flags(const struct rule *r);
const char *rule_iface(const struct rule *r);
int split_line(char *line, char **argv, int max);

#endif
