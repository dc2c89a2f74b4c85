// SPDX-License-Identifier: GPL-2.0
/*
 * The names of xdplua's enumerations, one table each: verdicts, attach
 * modes, table value types. Each value has one name, the one options take,
 * JSON prints and xdplua.conf uses (lowercase), and one label in text
 * meant for people (verdicts: as Lua spells them, xdp.PASS -> "PASS").
 * Parsing takes either, in any case, and the aliases.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xdplua.h"

static const struct name_entry verdict_entries[] = {
	{ XDP_ABORTED,	"aborted",	"ABORTED",	NULL },
	{ XDP_DROP,	"drop",		"DROP",		NULL },
	{ XDP_PASS,	"pass",		"PASS",		NULL },
	{ XDP_TX,	"tx",		"TX",		NULL },
	{ XDP_REDIRECT,	"redirect",	"REDIRECT",	NULL },
};

const struct name_table verdict_names = {
	"verdict", verdict_entries, ARRAY_SIZE(verdict_entries),
};

/* A fallback verdict is any verdict but redirect (it needs a target). */
static const struct name_entry fallback_entries[] = {
	{ XDP_PASS,	"pass",		"PASS",		NULL },
	{ XDP_DROP,	"drop",		"DROP",		NULL },
	{ XDP_ABORTED,	"aborted",	"ABORTED",	NULL },
	{ XDP_TX,	"tx",		"TX",		NULL },
};

const struct name_table fallback_names = {
	"fallback verdict", fallback_entries, ARRAY_SIZE(fallback_entries),
};

static const struct name_entry mode_entries[] = {
	{ MODE_NATIVE,	"native",	"native",	"drv" },
	{ MODE_SKB,	"skb",		"skb",		"generic" },
	{ MODE_HW,	"hw",		"hw",		NULL },
};

const struct name_table mode_names = {
	"mode", mode_entries, ARRAY_SIZE(mode_entries),
};

/* The modes `--mode` takes: an offloaded script makes no sense. */
const struct name_table attach_mode_names = {
	"mode", mode_entries, 2,
};

static const struct name_entry vtype_entries[] = {
	{ V_INT,	"int",		"int",		NULL },
	{ V_STR,	"str",		"str",		NULL },
	{ V_BOOL,	"bool",		"bool",		NULL },
};

const struct name_table vtype_names = {
	"value type", vtype_entries, ARRAY_SIZE(vtype_entries),
};

static const struct name_entry *name_find(const struct name_table *t,
					  unsigned int value)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (t->entries[i].value == value)
			return &t->entries[i];
	return NULL;
}

const char *name_of(const struct name_table *t, unsigned int value)
{
	const struct name_entry *e = name_find(t, value);

	return e ? e->name : "unknown";
}

const char *label_of(const struct name_table *t, unsigned int value)
{
	const struct name_entry *e = name_find(t, value);

	return e ? e->label : "UNKNOWN";
}

int name_parse_len(const struct name_table *t, const char *s, size_t len,
		   unsigned int *value)
{
	const struct name_entry *e;
	size_t i;

	for (i = 0; i < t->count; i++) {
		e = &t->entries[i];
		if ((strlen(e->name) == len && !strncasecmp(s, e->name, len)) ||
		    (strlen(e->label) == len && !strncasecmp(s, e->label, len)) ||
		    (e->alias && strlen(e->alias) == len &&
		     !strncasecmp(s, e->alias, len))) {
			*value = e->value;
			return 0;
		}
	}
	return -1;
}

int name_parse(const struct name_table *t, const char *s, unsigned int *value)
{
	return name_parse_len(t, s, strlen(s), value);
}

/* "pass, drop, aborted or tx" */
const char *name_list(const struct name_table *t, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < t->count && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s",
				!i ? "" : i + 1 == t->count ? " or " : ", ",
				t->entries[i].name);
	return buf;
}

const char *mode_name(enum xdp_mode mode)
{
	return name_of(&mode_names, mode);
}

int parse_mode(const char *s, enum xdp_mode *mode)
{
	unsigned int v;

	if (name_parse(&attach_mode_names, s, &v))
		return -1;
	*mode = v;
	return 0;
}
