// SPDX-License-Identifier: GPL-2.0
/*
 * xdpluatables: stateful NAT, filtering and forwarding in the XDP hook,
 * with iptables' command line (docs/xdpluatables.md).
 *
 *   xdpluatables -d 10.0.0.2 --dport 2222 -p udp --to-destination 192.168.0.1:53 eth0
 *
 * The rules go into xdplua.ko's shared tables (store.c); the forwarding is
 * examples/forward/forward.lua, loaded and attached by the same code as
 * `xdplua -L` (tools/xdplua), on every interface the rules need: their -i
 * and -o interfaces and the interfaces the DNAT targets are reached
 * through (where the replies come back).
 *
 * Also xdpluatables-restore [FILE] (= --restore) and xdpluatables-save
 * (= -S), by the name it is called with.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include "../xdplua/xdplua.h"
#include "rules.h"
#include "store.h"
#include "route.h"

#ifndef XDPLUATABLES_SCRIPT
#define XDPLUATABLES_SCRIPT	"/usr/share/xdplua/forward.lua"
#endif
#define LOCK_FILE		"/run/xdpluatables.lock"

bool verbose;		/* libbpf's messages (tools/xdplua/xdp.c) */

static const char usage_text[] =
"xdpluatables: NAT, filtering and forwarding in XDP (xdplua.ko, forward.lua)\n"
"\n"
"Usage: xdpluatables [-A [CHAIN]] RULE [IFACE]     append a rule (the default)\n"
"       xdpluatables -I [CHAIN] [N] RULE [IFACE]   insert at position N (default 1)\n"
"       xdpluatables -D CHAIN N                    delete rule N\n"
"       xdpluatables -D [CHAIN] RULE [IFACE]       delete the rule that matches RULE\n"
"       xdpluatables -L [CHAIN] [-n] [-v] [-x] [--line-numbers]\n"
"       xdpluatables -S [CHAIN]                    the rules as commands\n"
"       xdpluatables -F [CHAIN]                    delete every rule\n"
"       xdpluatables -Z [CHAIN]                    zero the counters\n"
"       xdpluatables --restore [FILE]              replace the rules with -S's output\n"
"       xdpluatables --flows                       the flows (NAT state)\n"
"       xdpluatables --flush-flows                 forget every flow\n"
"       xdpluatables --timeout PROTO=SECONDS[,...] idle timeouts of flows\n"
"       xdpluatables --detach                      stop forwarding.lua everywhere\n"
"\n"
"CHAIN: PREROUTING (DNAT, DROP, ACCEPT; -i), POSTROUTING (SNAT, MASQUERADE,\n"
"ACCEPT; -o); by default the target's. RULE:\n"
"  -s, --source ADDR[/LEN]          -d, --destination ADDR[/LEN]\n"
"  -p, --protocol udp|tcp|icmp|all  --sport, --dport PORT[:PORT] (udp, tcp)\n"
"  -i, --in-interface IFACE         -o, --out-interface IFACE\n"
"  -j, --jump DNAT|SNAT|MASQUERADE|DROP|ACCEPT\n"
"  --to-destination ADDR[:PORT]     (DNAT; implies -j DNAT)\n"
"  --to-source ADDR                 (SNAT; implies -j SNAT)\n"
"IFACE as the last argument is -i for PREROUTING rules, -o for POSTROUTING.\n"
"Other options: -v (counters; what is attached), -n (numeric: always),\n"
"-x (exact counters), --line-numbers, --dry-run (print the rule, change\n"
"nothing), --mode native|skb (XDP mode when attaching), --script FILE\n"
"(load FILE as forward.lua), -t nat|filter|raw (accepted, one rule set).\n"
"Timeouts (seconds): udp 300, icmp 60, tcp 7440, tcp_syn 240, tcp_fin 120,\n"
"tcp_rst 10.\n";

static int usage_error(const char *msg)
{
	fprintf(stderr, "xdpluatables: %s\n", msg);
	fprintf(stderr, "Try 'xdpluatables -h' for more information.\n");
	return 2;
}

static int lock_fd = -1;

/* Changes are serialized, as iptables does with /run/xtables.lock. */
static int take_lock(void)
{
	lock_fd = open(LOCK_FILE, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX)) {
		errmsg("cannot lock %s: %s", LOCK_FILE, strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * forward.lua: --script FILE, $XDPLUATABLES_SCRIPT, the project's copy
 * when this binary is the project's build/bin/xdpluatables, else the
 * installed one.
 */
static const char *script_path(const struct cmdline *c)
{
	static char path[PATH_MAX + 64];
	const char *env = getenv("XDPLUATABLES_SCRIPT");
	char exe[PATH_MAX];
	ssize_t n;

	if (c->script)
		return c->script;
	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/../../examples/forward/forward.lua",
			 dirname(exe));
		if (!access(path, R_OK))
			return path;
	}
	return XDPLUATABLES_SCRIPT;
}

/* --- where forward.lua runs ----------------------------------------------- */

struct names {
	char name[64][IF_NAMESIZE];
	const char *why[64];
	int n;
};

static void add_name(struct names *ns, const char *name, const char *why)
{
	int i;

	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->name[i], name))
			return;
	if (ns->n < 64) {
		snprintf(ns->name[ns->n], IF_NAMESIZE, "%s", name);
		ns->why[ns->n++] = why;
	}
}

/* The interfaces the rules need forward.lua on. */
static int needed_ifaces(const struct ruleset *rs, struct names *ns)
{
	char addr[32], name[IF_NAMESIZE];
	int i, oif;

	ns->n = 0;
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (rule_iface(r)[0])
			add_name(ns, rule_iface(r), r->chain == CHAIN_PRE ? "-i" : "-o");
	}
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		int j;

		if (r->target != T_DNAT)
			continue;
		for (j = 0; j < i; j++)	/* one lookup per target */
			if (rs->rules[j].target == T_DNAT &&
			    rs->rules[j].nat_addr == r->nat_addr)
				break;
		if (j < i)
			continue;
		oif = route_oif(r->nat_addr);
		format_addr(addr, sizeof(addr), r->nat_addr, 32, false);
		if (oif <= 0 || !if_indextoname(oif, name)) {
			errmsg("warning: no route to %s: forward.lua must run where its replies come back (give the rule's interface, or add a route, and run the command again)",
			       addr);
			continue;
		}
		add_name(ns, name, "replies of DNAT");
	}
	return 0;
}

/* forward.lua's id, loading it if it is not loaded (or --script FILE). */
static int forward_script(struct genl *g, const struct cmdline *c, __u32 *id)
{
	struct load_opts lo = { .name = FWD_SCRIPT, .nfiles = 1 };
	struct script_info info;
	struct script s;
	int err;

	err = genl_get(g, FWD_SCRIPT, 0, &info);
	if (!err) {
		*id = info.id;
		script_info_free(&info);
		if (!c->script)
			return 0;
	} else if (err != -ENOENT) {
		genl_fail(g, err, "cannot look up the script %s", FWD_SCRIPT);
		return err;
	}
	lo.files[0] = script_path(c);
	err = script_read(&s, &lo);
	if (!err) {
		err = genl_load(g, &s, &lo, id);
		if (err)
			genl_fail(g, err, "cannot load %s", lo.files[0]);
		else if (c->verbose)
			printf("loaded %s as %s (id %u)\n", lo.files[0], FWD_SCRIPT, *id);
	}
	script_free(&s);
	return err;
}

/* Run forward.lua on every interface rs needs (before its rules go in). */
static int attach_needed(struct genl *g, const struct ruleset *rs,
			 const struct cmdline *c)
{
	struct attach_opts ao = { 0 };
	char how[XDPLUA_NAME_MAX + 64];
	struct attach_plan plan;
	struct xdp_prog *disp;
	struct names ns;
	struct iface ifc;
	__u32 id;
	int i, err;

	if (c->mode) {
		ao.mode_set = true;
		parse_mode(c->mode, &ao.mode);
	}
	needed_ifaces(rs, &ns);
	if (!ns.n && rs->n) {
		errmsg("xdpluatables runs on the interfaces the rules name: give the rule an interface (-i IFACE, or the interface as the last argument)");
		return -EINVAL;
	}
	for (i = 0; i < ns.n; i++)
		if (iface_open(ns.name[i], &ifc))
			return -ENODEV;
	if (!ns.n)
		return 0;
	err = forward_script(g, c, &id);
	if (err)
		return err;
	for (i = 0; i < ns.n; i++) {
		if (iface_open(ns.name[i], &ifc) || iface_inspect(&ifc))
			return -ENODEV;
		disp = iface_dispatcher(&ifc);
		if (disp && disp->script_id == id)
			continue;
		err = attach_check(&ifc, &ao, &plan);
		if (!err)
			err = attach_run(g, &ifc, id, &plan, how, sizeof(how));
		if (err)
			return err;
		if (c->verbose)
			printf("attached %s to %s (%s, %s)%s\n", FWD_SCRIPT, ifc.name,
			       mode_name(plan.mode), ns.why[i], how);
	}
	return 0;
}

/* --- listing -------------------------------------------------------------- */

static void print_count(unsigned long long v, bool exact, int width)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	if (exact) {
		printf("%*llu ", width, v);
		return;
	}
	while (v > 99999 && u < 5) {
		v = (v + 500) / 1000;
		u++;
	}
	if (u < 0)
		printf("%5llu ", v);
	else
		printf("%4llu%c ", v, units[u]);
}

static void addr_column(char *buf, size_t size, bool has, __u32 a, int len)
{
	if (!has)
		snprintf(buf, size, "0.0.0.0/0");
	else
		format_addr(buf, size, a, len, false);
}

static void list_chain(struct ruleset *rs, enum chain ch, const struct cmdline *c,
		       const unsigned long long *counts, __u32 max_id)
{
	char src[32], dst[32], to[40];
	int i, num = 0;

	printf("Chain %s (policy ACCEPT)\n", chain_name(ch));
	if (c->line_numbers)
		printf("%-4s ", "num");
	if (c->verbose)
		printf(c->exact ? "%8s %10s " : "%5s %5s ", "pkts", "bytes");
	printf("%-10s %-4s %-3s ", "target", "prot", "opt");
	if (c->verbose)
		printf("%-6s %-6s ", "in", "out");
	printf("%-20s %-20s\n", "source", "destination");
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->chain != ch)
			continue;
		num++;
		if (c->line_numbers)
			printf("%-4d ", num);
		if (c->verbose) {
			unsigned long long p = 0, b = 0;

			if (counts && r->id <= max_id) {
				p = counts[2 * r->id];
				b = counts[2 * r->id + 1];
			}
			print_count(p, c->exact, 8);
			print_count(b, c->exact, 10);
		}
		printf("%-10s %-4s %-3s ", target_name(r->target), proto_name(r->proto), "--");
		if (c->verbose)
			printf("%-6s %-6s ", r->iif[0] ? r->iif : "*", r->oif[0] ? r->oif : "*");
		addr_column(src, sizeof(src), r->has_src, r->src, r->slen);
		addr_column(dst, sizeof(dst), r->has_dst, r->dst, r->dlen);
		printf("%-20s %-20s", src, dst);
		if (r->has_sport || r->has_dport) {
			printf(" %s", proto_name(r->proto));
			if (r->has_sport)
				printf(r->splo == r->sphi ? " spt:%u" : " spts:%u:%u", r->splo, r->sphi);
			if (r->has_dport)
				printf(r->dplo == r->dphi ? " dpt:%u" : " dpts:%u:%u", r->dplo, r->dphi);
		}
		if (r->target == T_DNAT || r->target == T_SNAT) {
			format_addr(to, sizeof(to), r->nat_addr, 32, false);
			printf(" to:%s", to);
			if (r->has_nat_port)
				printf(":%u", r->nat_port);
		}
		printf("\n");
	}
}

static int cmd_list(struct genl *g, struct ruleset *rs, const struct cmdline *c)
{
	unsigned long long *counts = NULL;
	__u32 max_id = 0;
	int i, ch;

	if (c->verbose) {
		for (i = 0; i < rs->n; i++)
			if (rs->rules[i].id > max_id)
				max_id = rs->rules[i].id;
		if (store_counters(g, &counts, &max_id))
			return 1;
	}
	for (ch = 0; ch < NCHAINS; ch++) {
		if (c->chain_set && (int)c->chain != ch)
			continue;
		if (ch && !c->chain_set)
			printf("\n");
		list_chain(rs, ch, c, counts, max_id);
	}
	free(counts);
	return 0;
}

static void print_rules(const struct ruleset *rs, const struct cmdline *c)
{
	char text[600];
	size_t t;
	int i;

	for (t = 0; t < ntimeouts && !c->chain_set; t++)
		if (rs->timeouts[t])
			printf("--timeout %s=%lld\n", timeout_names[t].name, rs->timeouts[t]);
	for (i = 0; i < rs->n; i++) {
		if (c->chain_set && rs->rules[i].chain != c->chain)
			continue;
		rule_format(&rs->rules[i], text, sizeof(text));
		printf("%s\n", text);
	}
}

/* --- flows ---------------------------------------------------------------- */

static const char *const state_names[] = { "?", "unreplied", "established", "fin", "rst" };

static void endpoint(char *buf, size_t size, const unsigned char *a,
		     const unsigned char *port, int proto)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, ip, sizeof(ip));
	if (proto == 1)
		snprintf(buf, size, "%s", ip);
	else
		snprintf(buf, size, "%s:%u", ip, port[0] << 8 | port[1]);
}

static int flow_cb(const struct tentry *e, void *data)
{
	const int *proto = data;
	const unsigned char *k = (const unsigned char *)e->key.s;
	const unsigned char *v = (const unsigned char *)e->val.s;
	char a[32], b[32], na[32], nb[32];

	if (e->key.is_int || e->key.len != 12 || e->val.type != V_STR ||
	    e->val.len != 18 || (v[12] & 1))
		return 0;	/* not an original direction */
	endpoint(a, sizeof(a), k, k + 8, *proto);
	endpoint(b, sizeof(b), k + 4, k + 10, *proto);
	endpoint(na, sizeof(na), v, v + 8, *proto);
	endpoint(nb, sizeof(nb), v + 4, v + 10, *proto);
	printf("%-4s %s -> %s  =>  %s -> %s", proto_name(*proto), a, b, na, nb);
	if (*proto == 1)
		printf("  id %u => %u", k[8] << 8 | k[9], v[8] << 8 | v[9]);
	printf("  %s", v[13] < 5 ? state_names[v[13]] : "?");
	if (e->has_ttl)
		printf("  expires in %u s", e->ttl);
	printf("\n");
	return 0;
}

static int cmd_flows(struct genl *g)
{
	static const struct {
		const char *table;
		int proto;
	} fts[] = { { "fwd.udp", 17 }, { "fwd.tcp", 6 }, { "fwd.icmp", 1 } };
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fts); i++) {
		err = store_dump(g, fts[i].table, flow_cb, (void *)&fts[i].proto);
		if (err == -ENOENT)
			continue;
		if (err) {
			genl_fail(g, err, "cannot read the flows");
			return 1;
		}
	}
	return 0;
}

static int cmd_flush_flows(struct genl *g)
{
	static const char *const names[] = { "fwd.udp", "fwd.tcp", "fwd.icmp", FWD_PORTS };
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		err = table_simple(g, XDPLUA_CMD_TABLE_FLUSH, names[i], NULL, NULL, NULL);
		if (err && err != -ENOENT) {
			genl_fail(g, err, "cannot flush %s", names[i]);
			return 1;
		}
	}
	return 0;
}

/* --- detach --------------------------------------------------------------- */

static int cmd_detach_all(struct genl *g)
{
	struct script_info info;
	struct iface *ifcs;
	int count, i, j, err, failed = 0;

	err = genl_get(g, FWD_SCRIPT, 0, &info);
	if (err == -ENOENT) {
		errmsg("%s is not loaded", FWD_SCRIPT);
		return 1;
	}
	if (err) {
		genl_fail(g, err, "cannot look up %s", FWD_SCRIPT);
		return 1;
	}
	if (iface_list(&ifcs, &count)) {
		script_info_free(&info);
		return 1;
	}
	for (i = 0; i < count; i++)
		for (j = 0; j < ifcs[i].nprogs; j++) {
			const struct xdp_prog *p = &ifcs[i].progs[j];

			if (!p->is_dispatcher || p->script_id != info.id || ifcs[i].netns[0])
				continue;
			if (dispatcher_detach(&ifcs[i], p))
				failed = 1;
		}
	free(ifcs);
	if (!failed && attached_ifaces(info.id, (char[8]){ 0 }, 8) == 0) {
		err = genl_unload(g, info.id);
		if (err && err != -ENOENT) {
			genl_fail(g, err, "cannot unload %s", FWD_SCRIPT);
			failed = 1;
		}
	}
	script_info_free(&info);
	return failed;
}

/* --- restore -------------------------------------------------------------- */

/* The rules of a restore file, read before anything is changed. */
static struct ruleset restore_set;

/* Read a restore file into rs: rules, in order, and timeouts. */
static int read_restore(const char *path, struct ruleset *rs)
{
	FILE *f = path && strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[64], err[256];
	size_t cap = 0;
	int lineno = 0, argc, ret = 0;
	struct cmdline c;
	ssize_t n;

	if (!f) {
		errmsg("cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *p;
		int i;

		lineno++;
		p = line + strspn(line, " \t");
		if (!*p || *p == '\n' || *p == '#' || *p == '*' || *p == ':' ||
		    !strncmp(p, "COMMIT", 6))
			continue;	/* comments, iptables-save's framing */
		argv[0] = "xdpluatables";
		argc = split_line(p, argv + 1, 62);
		if (argc < 0) {
			errmsg("%s:%d: too many words", path ? path : "stdin", lineno);
			ret = 2;
			break;
		}
		if (!argc)
			continue;
		if (parse_cmdline(argc + 1, argv, &c, true, err, sizeof(err))) {
			errmsg("%s:%d: %s", path ? path : "stdin", lineno, err);
			ret = 2;
			break;
		}
		if (c.cmd == CMD_TIMEOUT) {
			for (i = 0; i < c.ntimeouts; i++)
				rs->timeouts[c.timeouts[i].which] = c.timeouts[i].seconds;
			continue;
		}
		if (c.cmd != CMD_APPEND) {
			errmsg("%s:%d: rules are '-A CHAIN ...' lines", path ? path : "stdin", lineno);
			ret = 2;
			break;
		}
		if (rs->n >= MAX_RULES) {
			errmsg("%s:%d: too many rules (at most %d)", path ? path : "stdin",
			       lineno, MAX_RULES);
			ret = 1;
			break;
		}
		if (ruleset_append(rs, &c.rule)) {
			errmsg("out of memory");
			ret = 1;
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* --- the commands that change the rules ----------------------------------- */

static int change(struct genl *g, struct cmdline *c)
{
	struct ruleset old, new;
	bool fresh = false;
	char text[600];
	int err, i;

	err = store_read(g, &old);
	if (err)
		return 1;
	if (ruleset_copy(&new, &old)) {
		errmsg("out of memory");
		ruleset_free(&old);
		return 1;
	}
	switch (c->cmd) {
	case CMD_APPEND:
	case CMD_INSERT:
		if (old.n >= MAX_RULES) {
			errmsg("too many rules (at most %d)", MAX_RULES);
			err = 1;
			break;
		}
		err = ruleset_insert(&new, &c->rule,
				     c->cmd == CMD_INSERT ? (c->has_num ? c->num : 1) : 0,
				     &fresh);
		if (err == -ERANGE)
			errmsg("no room between the neighbours' priorities");
		else if (err)
			errmsg("out of memory");
		if (c->cmd == CMD_INSERT && c->has_num &&
		    c->num > chain_count(&old, c->rule.chain) + 1) {
			errmsg("cannot insert at %ld: %s has %d rules", c->num,
			       chain_name(c->rule.chain), chain_count(&old, c->rule.chain));
			err = 1;
		}
		break;
	case CMD_DELETE: {
		struct rule *r = NULL;

		if (c->has_num) {
			r = chain_rule(&new, c->chain, c->num);
			if (!r) {
				errmsg("no rule %ld in %s (it has %d)", c->num,
				       chain_name(c->chain), chain_count(&new, c->chain));
				err = 1;
				break;
			}
		} else {
			for (i = 0; i < new.n && !r; i++)
				if (rule_same(&new.rules[i], &c->rule))
					r = &new.rules[i];
			if (!r) {
				rule_format(&c->rule, text, sizeof(text));
				errmsg("no such rule: %s", text);
				err = 1;
				break;
			}
		}
		ruleset_remove(&new, r);
		break;
	}
	case CMD_FLUSH:
		for (i = new.n - 1; i >= 0; i--)
			if (!c->chain_set || new.rules[i].chain == c->chain)
				ruleset_remove(&new, &new.rules[i]);
		break;
	case CMD_RESTORE:
		new.n = 0;
		memcpy(new.timeouts, restore_set.timeouts, sizeof(new.timeouts));
		new.last_known = false;
		for (i = 0; !err && i < restore_set.n; i++) {
			if (ruleset_append(&new, &restore_set.rules[i])) {
				errmsg("out of memory");
				err = 1;
			}
		}
		ruleset_sort(&new);
		fresh = true;
		break;
	default:
		break;
	}
	if (!err && (c->cmd == CMD_APPEND || c->cmd == CMD_INSERT || c->cmd == CMD_RESTORE))
		err = attach_needed(g, &new, c) ? 1 : 0;
	if (!err)
		err = store_commit(g, &old, &new, fresh) ? 1 : 0;
	if (!err && c->cmd == CMD_RESTORE) {
		new.gen++;
		for (i = 0; i < (int)ntimeouts; i++)
			if (new.timeouts[i] != old.timeouts[i]) {
				if (!new.timeouts[i]) {
					char name[32];
					struct tkey k = { .s = name };

					snprintf(name, sizeof(name), "timeout.%s",
						 timeout_names[i].name);
					k.len = strlen(name);
					table_simple(g, XDPLUA_CMD_TABLE_UNSET, FWD_CONF, &k,
						     NULL, NULL);
				}
			}
		err = store_set_timeouts(g, &new) ? 1 : 0;
	}
	ruleset_free(&old);
	ruleset_free(&new);
	return err;
}

static int cmd_timeouts(struct genl *g, const struct cmdline *c)
{
	struct ruleset rs;
	int i, err;

	if (store_read(g, &rs))
		return 1;
	for (i = 0; i < c->ntimeouts; i++)
		rs.timeouts[c->timeouts[i].which] = c->timeouts[i].seconds;
	err = store_set_timeouts(g, &rs);
	ruleset_free(&rs);
	return err ? 1 : 0;
}

static int cmd_zero(struct genl *g, const struct cmdline *c)
{
	struct ruleset rs;
	int i, err = 0;

	if (!c->chain_set) {
		err = table_simple(g, XDPLUA_CMD_TABLE_FLUSH, FWD_COUNT, NULL, NULL, NULL);
		if (err)
			genl_fail(g, err, "cannot zero the counters");
		return err ? 1 : 0;
	}
	if (store_read(g, &rs))
		return 1;
	for (i = 0; !err && i < rs.n; i++) {
		struct tkey k = { .is_int = true };

		if (rs.rules[i].chain != c->chain)
			continue;
		k.i = 2LL * rs.rules[i].id;
		err = table_simple(g, XDPLUA_CMD_TABLE_UNSET, FWD_COUNT, &k, NULL, NULL);
		k.i++;
		if (!err || err == -ENOENT)
			err = table_simple(g, XDPLUA_CMD_TABLE_UNSET, FWD_COUNT, &k, NULL, NULL);
		if (err == -ENOENT)
			err = 0;
	}
	if (err)
		genl_fail(g, err, "cannot zero the counters");
	ruleset_free(&rs);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	char err[512], **args = argv, *name = basename(argv[0]);
	struct cmdline c;
	struct genl *g;
	struct ruleset rs;
	int ret, nargs = argc;

	progname = "xdpluatables";
	if (!strcmp(name, "xdpluatables-restore") || !strcmp(name, "xdpluatables-save")) {
		/* xdpluatables-restore [FILE] [OPTIONS], xdpluatables-save [CHAIN] */
		args = calloc(argc + 2, sizeof(*args));
		if (!args)
			return 1;
		args[0] = argv[0];
		args[1] = strcmp(name, "xdpluatables-save") ? "--restore" : "-S";
		memcpy(args + 2, argv + 1, (argc - 1) * sizeof(*args));
		nargs = argc + 1;
	}
	if (parse_cmdline(nargs, args, &c, false, err, sizeof(err)))
		return usage_error(err);

	switch (c.cmd) {
	case CMD_HELP:
		fputs(usage_text, stdout);
		return 0;
	case CMD_VERSION:
		printf("xdpluatables (XDPLua)\n");
		return 0;
	default:
		break;
	}
	if (c.dry_run) {
		if (c.cmd != CMD_APPEND && c.cmd != CMD_INSERT &&
		    !(c.cmd == CMD_DELETE && !c.has_num))
			return usage_error("--dry-run goes with a rule");
		rule_format(&c.rule, err, sizeof(err));
		printf("%s\n", err);
		return 0;
	}

	if (c.cmd == CMD_RESTORE) {
		restore_set.next_id = 1;
		ret = read_restore(c.file, &restore_set);
		if (ret)
			return ret;
	}
	xdp_init();
	g = genl_open();
	if (!g)
		return 1;
	switch (c.cmd) {
	case CMD_LIST:
	case CMD_SAVE:
		if (store_read(g, &rs)) {
			ret = 1;
			break;
		}
		if (c.cmd == CMD_LIST)
			ret = cmd_list(g, &rs, &c);
		else {
			print_rules(&rs, &c);
			ret = 0;
		}
		ruleset_free(&rs);
		break;
	case CMD_FLOWS:
		ret = cmd_flows(g);
		break;
	case CMD_FLUSH_FLOWS:
		ret = cmd_flush_flows(g);
		break;
	case CMD_DETACH:
		ret = take_lock() ? 1 : cmd_detach_all(g);
		break;
	case CMD_ZERO:
		ret = take_lock() ? 1 : cmd_zero(g, &c);
		break;
	case CMD_TIMEOUT:
		ret = take_lock() || store_open(g) ? 1 : cmd_timeouts(g, &c);
		break;
	default:
		ret = take_lock() || store_open(g) ? 1 : change(g, &c);
		break;
	}
	genl_close(g);
	return ret;
}
