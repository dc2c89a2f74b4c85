// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The integer meanings of Lua's number operations (see luaconf.h), its
 * formatting and output, in both homes of the runtime. The C library
 * functions only the kernel lacks are in port.c.
 */
#include "../port.h"
#include "lua.h"
#include "ldebug.h"
#include "../xdplua.h"

/* --- numbers ------------------------------------------------------------ */

/* A decimal or hexadecimal integer; anything else (a fraction, an exponent,
 * an overflow) stops the conversion so Lua reports a malformed number.
 */
long long xdplua_str2number(const char *s, char **endptr)
{
	const char *p = s;
	unsigned long long v = 0;
	bool neg = false, any = false;

	while (isspace(*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (p += 2; isxdigit(*p); p++, any = true)
			v = v * 16 + hex_to_bin(*p);	/* wraps, as Lua's hex */
	} else {
		for (; isdigit(*p); p++, any = true) {
			if (v > (ULLONG_MAX - (*p - '0')) / 10)
				goto bad;
			v = v * 10 + (*p - '0');
		}
		if (v > (unsigned long long)LLONG_MAX + neg)
			goto bad;
	}
	if (!any || *p == '.' || *p == 'e' || *p == 'E' || *p == 'p' || *p == 'P')
		goto bad;
	*endptr = (char *)p;
	return neg ? (long long)(0 - v) : (long long)v;
bad:
	*endptr = (char *)s;
	return 0;
}

static long long zero_division(lua_State *L, const char *op)
{
	luaG_runerror(L, "attempt to perform 'n%s0' (integer-only Lua)", op);
	return 0;	/* not reached */
}

/* '/' and '//' on numbers: floor division. */
long long xdplua_numdiv(lua_State *L, long long a, long long b)
{
	long long q;

	if (unlikely(b == 0))
		return zero_division(L, "/");
	if (unlikely(b == -1))
		return (long long)(0ULL - (unsigned long long)a);
	q = a / b;
	if ((a % b != 0) && ((a ^ b) < 0))
		q--;
	return q;
}

long long xdplua_nummod(lua_State *L, long long a, long long b)
{
	long long m;

	if (unlikely(b == 0))
		return zero_division(L, "%%");
	if (unlikely(b == -1))
		return 0;
	m = a % b;
	if (m != 0 && ((m ^ b) < 0))
		m += b;
	return m;
}

/* '^': integer power; a negative exponent gives the floor of the result. */
long long xdplua_numpow(lua_State *L, long long a, long long b)
{
	unsigned long long r = 1, base = (unsigned long long)a;

	if (b < 0) {
		if (a == 0)
			return zero_division(L, "^-");
		if (a == 1)
			return 1;
		if (a == -1)
			return (b & 1) ? -1 : 1;
		return a > 0 ? 0 : ((b & 1) ? -1 : 0);
	}
	while (b) {
		if (b & 1)
			r *= base;
		base *= base;
		b >>= 1;
	}
	return (long long)r;
}

/* --- formatting --------------------------------------------------------- */

/* snprintf with one argument, as Lua calls it; float conversions
 * (%a %e %f %g) print the integer value.
 */
int xdplua_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	char f[32];
	size_t n = strlen(fmt);
	va_list ap;
	int r;

	va_start(ap, fmt);
	if (n > 0 && n < sizeof(f) - 3 && strchr("aAeEfFgG", fmt[n - 1])) {
		size_t i = 0, j = 0;

		/* keep flags and width, drop precision and length */
		while (i < n - 1 && fmt[i] != '.' && fmt[i] != 'l')
			f[j++] = fmt[i++];
		f[j++] = 'l';
		f[j++] = 'l';
		f[j++] = 'd';
		f[j] = '\0';
		r = vsnprintf(buf, size, f, ap);
	} else {
		r = vsnprintf(buf, size, fmt, ap);
	}
	va_end(ap);
	return r;
}

/* --- output ------------------------------------------------------------- */

/* print() collects a line in the Lua state's own buffer (a state runs in
 * one context at a time) and logs it, rate-limited, as one line.
 */
static DEFINE_RATELIMIT_STATE(print_limit, 5 * HZ, 50);

void xdplua_writestring(lua_State *L, const char *s, size_t l)
{
	struct xdplua_print_line *line = &xdplua_cpu_of(L)->print;
	size_t room = sizeof(line->text) - 1 - line->len;

	if (l > room)
		l = room;
	memcpy(line->text + line->len, s, l);
	line->len += l;
}

void xdplua_writeline(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	struct xdplua_print_line *line = &cpu->print;

	line->text[line->len] = '\0';
	line->len = 0;
	xdplua_sanitize(line->text);
	if (__ratelimit(&print_limit))
		pr_info("%s: %s\n", cpu->script->name, line->text);
}

void xdplua_writestringerror(const char *fmt, const char *p)
{
	char line[160];

	strscpy(line, p, sizeof(line));
	xdplua_sanitize(line);
	if (__ratelimit(&print_limit))
		pr_warn("lua: %s\n", line);
}

/* --- randomness --------------------------------------------------------- */

unsigned int xdplua_random(void)
{
	return get_random_u32();
}
