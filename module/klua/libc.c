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

/*
 * snprintf() as Lua calls it (l_sprintf, lua_integer2str, string.format,
 * %q): ISO C's rules for the conversions c d i o u x X s and %%, with
 * every flag (- + space # 0), width and precision, and any length modifier.
 * The kernel's vsnprintf() differs in corners ("%.0u" of 0 is "0" there,
 * '#' and '0' meet differently), so these are klua's own, in both homes of
 * the runtime. Float conversions (a A e E f F g G) receive integers: they
 * print as %d with the same flags and width (precision and '#' have no
 * meaning for an integer). %p is the platform's (the kernel hashes
 * pointers), padded as a string.
 */
struct fmt_out {
	char *buf;
	size_t size, len;
};

static void fmt_put(struct fmt_out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void fmt_fill(struct fmt_out *o, char c, long n)
{
	static const char spaces[16] = "                ";
	static const char zeros[16] = "0000000000000000";

	while (n > 0) {
		long k = n < 16 ? n : 16;

		fmt_put(o, c == '0' ? zeros : spaces, k);
		n -= k;
	}
}

enum {
	FMT_MINUS = 1, FMT_PLUS = 2, FMT_SPACE = 4, FMT_ALT = 8, FMT_ZERO = 16,
};

struct fmt_spec {
	unsigned int flags;
	long width;		/* -1: none */
	long prec;		/* -1: none */
};

/* s (n bytes) in the field: padded with spaces to the width. */
static void fmt_field(struct fmt_out *o, const struct fmt_spec *sp,
		      const char *s, size_t n)
{
	long pad = sp->width > (long)n ? sp->width - (long)n : 0;

	if (!(sp->flags & FMT_MINUS))
		fmt_fill(o, ' ', pad);
	fmt_put(o, s, n);
	if (sp->flags & FMT_MINUS)
		fmt_fill(o, ' ', pad);
}

/* An integer conversion: v is the magnitude, neg its sign (d, i). */
static void fmt_integer(struct fmt_out *o, const struct fmt_spec *sp,
			char conv, unsigned long long v, bool neg)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digit = conv == 'X' ? upper : lower;
	unsigned int base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
	char tmp[24];		/* 22 octal digits at most */
	char prefix[2];
	size_t nd = 0, np = 0;
	long zeros, total;
	unsigned long long u = v;

	/* ISO C: a precision of 0 with the value 0 gives no digits */
	if (!(sp->prec == 0 && v == 0)) {
		do {
			tmp[sizeof(tmp) - ++nd] = digit[u % base];
			u /= base;
		} while (u);
	}
	zeros = sp->prec > (long)nd ? sp->prec - (long)nd : 0;
	if (conv == 'd' || conv == 'i') {
		if (neg)
			prefix[np++] = '-';
		else if (sp->flags & FMT_PLUS)
			prefix[np++] = '+';
		else if (sp->flags & FMT_SPACE)
			prefix[np++] = ' ';
	} else if (sp->flags & FMT_ALT) {
		if (base == 8 && zeros == 0 &&
		    (nd == 0 || tmp[sizeof(tmp) - nd] != '0'))
			zeros = 1;	/* the first digit is a 0 */
		else if (base == 16 && v != 0) {
			prefix[np++] = '0';
			prefix[np++] = conv;
		}
	}
	total = (long)(np + nd) + zeros;
	/* '0' pads with zeros unless '-' or a precision is given */
	if ((sp->flags & (FMT_ZERO | FMT_MINUS)) == FMT_ZERO && sp->prec < 0 &&
	    sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!(sp->flags & FMT_MINUS))
		fmt_fill(o, ' ', sp->width - total);
	fmt_put(o, prefix, np);
	fmt_fill(o, '0', zeros);
	fmt_put(o, tmp + sizeof(tmp) - nd, nd);
	if (sp->flags & FMT_MINUS)
		fmt_fill(o, ' ', sp->width - total);
}

static long fmt_number(const char **f)
{
	long n = 0;

	while (isdigit(**f)) {
		if (n < 100000)
			n = n * 10 + (**f - '0');
		(*f)++;
	}
	return n;
}

static int xdplua_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size };
	const char *f = fmt;

	while (*f) {
		struct fmt_spec sp = { .width = -1, .prec = -1 };
		int len = 0;	/* h: -1, hh: -2, l: 1, ll: 2, j z t: 3 */
		char conv;

		if (*f != '%') {
			const char *pct = strchr(f, '%');
			size_t lit = pct ? (size_t)(pct - f) : strlen(f);

			fmt_put(&o, f, lit);
			f += lit;
			continue;
		}
		f++;
		for (;; f++) {
			if (*f == '-')
				sp.flags |= FMT_MINUS;
			else if (*f == '+')
				sp.flags |= FMT_PLUS;
			else if (*f == ' ')
				sp.flags |= FMT_SPACE;
			else if (*f == '#')
				sp.flags |= FMT_ALT;
			else if (*f == '0')
				sp.flags |= FMT_ZERO;
			else
				break;
		}
		if (isdigit(*f))
			sp.width = fmt_number(&f);
		if (*f == '.') {
			f++;
			sp.prec = fmt_number(&f);
		}
		for (;; f++) {
			if (*f == 'h')
				len = len < 0 ? -2 : -1;
			else if (*f == 'l' || *f == 'q' || *f == 'L')
				len = len > 0 ? 2 : 1;
			else if (*f == 'j' || *f == 'z' || *f == 't')
				len = 3;
			else
				break;
		}
		conv = *f;
		if (!conv)
			break;
		f++;
		switch (conv) {
		case '%':
			fmt_put(&o, "%", 1);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			fmt_field(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (!s)
				s = "(null)";
			n = sp.prec >= 0 ? strnlen(s, sp.prec) : strlen(s);
			fmt_field(&o, &sp, s, n);
			break;
		}
		case 'p': {
			char tmp[40];
			int n = snprintf(tmp, sizeof(tmp), "%p", va_arg(ap, void *));

			n = clamp_t(int, n, 0, sizeof(tmp) - 1);
			fmt_field(&o, &sp, tmp, n);
			break;
		}
		case 'd': case 'i':
		case 'a': case 'A': case 'e': case 'E': case 'f': case 'F':
		case 'g': case 'G': {
			long long v;

			if (conv != 'd' && conv != 'i') {
				/* Lua passes its numbers: integers */
				v = va_arg(ap, long long);
				sp.prec = -1;
				sp.flags &= ~FMT_ALT;
				conv = 'd';
			} else if (len >= 2) {
				v = va_arg(ap, long long);
			} else if (len == 1) {
				v = va_arg(ap, long);
			} else {
				v = va_arg(ap, int);
				if (len == -1)
					v = (short)v;
				else if (len == -2)
					v = (signed char)v;
			}
			fmt_integer(&o, &sp, conv,
				    v < 0 ? 0ULL - (unsigned long long)v : v, v < 0);
			break;
		}
		case 'u': case 'o': case 'x': case 'X': {
			unsigned long long v;

			if (len >= 2) {
				v = va_arg(ap, unsigned long long);
			} else if (len == 1) {
				v = va_arg(ap, unsigned long);
			} else {
				v = va_arg(ap, unsigned int);
				if (len == -1)
					v = (unsigned short)v;
				else if (len == -2)
					v = (unsigned char)v;
			}
			fmt_integer(&o, &sp, conv, v, false);
			break;
		}
		default:	/* not a conversion Lua makes: shown as it is */
			fmt_put(&o, "%", 1);
			fmt_put(&o, &conv, 1);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT_MAX ? INT_MAX : (int)o.len;
}

int xdplua_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = xdplua_vsnprintf(buf, size, fmt, ap);
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
