// SPDX-License-Identifier: GPL-2.0
/*
 * Error messages and the parsing of option values.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdplua.h"

void errmsg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xdplua: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* What to do about a permission error, or NULL for other errors. */
const char *perm_hint(int err)
{
	if (err == -EPERM || err == -EACCES)
		return "permission denied: CAP_NET_ADMIN is required (run as root)";
	return NULL;
}

int parse_u32(const char *s, __u32 *val)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

/* A time in microseconds: 500, 500us, 20ms. */
int parse_time_us(const char *s, __u32 *val)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (!strcmp(end, "ms")) {
		if (v > UINT_MAX / 1000)
			return -ERANGE;
		v *= 1000;
	} else if (*end && strcmp(end, "us")) {
		return -EINVAL;
	}
	if (v > UINT_MAX)
		return -ERANGE;
	*val = v;
	return 0;
}

/* A byte count: 65536, 64K, 64KiB, 8M, 8MiB. */
int parse_bytes(const char *s, __u32 *val)
{
	static const struct {
		const char *suffix;
		unsigned int shift;
	} units[] = {
		{ "", 0 }, { "B", 0 },
		{ "K", 10 }, { "k", 10 }, { "KB", 10 }, { "KiB", 10 },
		{ "M", 20 }, { "m", 20 }, { "MB", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "g", 30 }, { "GB", 30 }, { "GiB", 30 },
	};
	unsigned long long v;
	char *end;
	size_t i;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > (UINT_MAX >> units[i].shift))
			return -ERANGE;
		*val = v << units[i].shift;
		return 0;
	}
	return -EINVAL;
}

static const char *const action_names[] = {
	[XDP_ABORTED]	= "aborted",
	[XDP_DROP]	= "drop",
	[XDP_PASS]	= "pass",
	[XDP_TX]	= "tx",
	[XDP_REDIRECT]	= "redirect",
};

/* A fallback verdict: redirect is not one (it needs a target). */
int parse_action(const char *s, __u32 *action)
{
	__u32 i;

	for (i = 0; i < XDP_REDIRECT; i++) {
		if (!strcasecmp(s, action_names[i])) {
			*action = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *action_name(__u32 action)
{
	if (action < ARRAY_SIZE(action_names))
		return action_names[action];
	return "unknown";
}

/* As the module wants them: [a-zA-Z0-9_.-]{1,31} */
bool script_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= XDPLUA_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-") == len;
}

void format_bytes(char *buf, size_t size, unsigned long long bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	unsigned long long scaled = bytes;
	int unit = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%llu bytes", bytes);
		return;
	}
	while (scaled >= 1024 * 1024 && unit < 2) {
		scaled /= 1024;
		unit++;
	}
	/* scaled is now < 1 Mi units of the next size: one decimal */
	unit++;
	if (scaled % 1024 == 0)
		snprintf(buf, size, "%llu %s", scaled / 1024, units[unit]);
	else
		snprintf(buf, size, "%llu.%llu %s", scaled / 1024,
			 (scaled % 1024) * 10 / 1024, units[unit]);
}
