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

/* The name error messages start with. */
const char *progname = "xdplua";

void errmsg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
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

/*
 * A number with a unit: the decimal digits of s times the multiplier of the
 * suffix after them, as found in units (a "" entry allows no suffix).
 * -EINVAL for anything else, -ERANGE above UINT_MAX.
 */
struct unit {
	const char *suffix;
	unsigned int mult;
};

static int parse_unit(const char *s, const struct unit *units, size_t n,
		      __u32 *val)
{
	unsigned long long v;
	char *end;
	size_t i;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > UINT_MAX / units[i].mult)
			return -ERANGE;
		*val = v * units[i].mult;
		return 0;
	}
	return -EINVAL;
}

int parse_u32(const char *s, __u32 *val)
{
	static const struct unit none[] = { { "", 1 } };

	return parse_unit(s, none, ARRAY_SIZE(none), val) ? -EINVAL : 0;
}

/* A time in microseconds: 500, 500us, 20ms. */
int parse_time_us(const char *s, __u32 *val)
{
	static const struct unit units[] = {
		{ "", 1 }, { "us", 1 }, { "ms", 1000 },
	};

	return parse_unit(s, units, ARRAY_SIZE(units), val);
}

/* A byte count: 65536, 64K, 64KiB, 8M, 8MiB. */
int parse_bytes(const char *s, __u32 *val)
{
	static const struct unit units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1 << 10 }, { "k", 1 << 10 }, { "KB", 1 << 10 }, { "KiB", 1 << 10 },
		{ "M", 1 << 20 }, { "m", 1 << 20 }, { "MB", 1 << 20 }, { "MiB", 1 << 20 },
		{ "G", 1 << 30 }, { "g", 1 << 30 }, { "GB", 1 << 30 }, { "GiB", 1 << 30 },
	};

	return parse_unit(s, units, ARRAY_SIZE(units), val);
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
