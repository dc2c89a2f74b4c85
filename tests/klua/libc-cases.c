// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The differential test of klua's C library: writes a Lua script whose main
 * chunk runs string.format, tostring, the pattern classes and the byte
 * functions of the string library on generated cases and compares each
 * result with what this program computed with the host's C library
 * (glibc's snprintf, the ctype functions of the "C" locale). The main chunk
 * fails, listing the differences, if any result differs; it loads in both
 * homes of the runtime (xdplua run --local, and the kernel).
 *
 *	libc-cases [--break] > cases.lua
 *
 * --break spoils one expected result, so a test can show the script fails.
 *
 * What is compared with what (docs/lua-api.md, "Standard libraries"):
 *  - %d %i %u %o %x %X %c %s with every flag Lua accepts for them, widths
 *    and precisions: glibc's snprintf with the same format (and "ll");
 *  - %a %A %e %E %f %g %G of an integer: deliberately the integer, as glibc's
 *    %lld with the same flags but '#' and the same width (no precision);
 *  - %q, %%, %p: Lua's rules, with glibc's snprintf for the numbers;
 *  - tostring and .. of integers: glibc's %lld;
 *  - the classes %a %c %d %g %l %p %s %u %w %x and their complements, in
 *    patterns and sets, for bytes 0..255: isalpha() ... of the "C" locale;
 *    string.upper/lower: toupper()/tolower();
 *  - string.byte/char/rep/reverse: their definitions in the Lua manual.
 */
#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long ncases;
static int spoil;

/* s (n bytes) as a Lua string literal */
static void lit(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 32 && c < 127 && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\%03u", c);
	}
	putchar('"');
}

static void lits(const char *s)
{
	lit(s, strlen(s));
}

static void integer(long long v)
{
	if (v == LLONG_MIN)
		printf("math.mininteger");
	else
		printf("%lld", v);
}

/* the expected result: spoiled once with --break */
static void expect(const char *s, size_t n)
{
	ncases++;
	if (spoil && ncases == 1000) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s!", (int)(n < 500 ? n : 500), s);
		lit(buf, strlen(buf));
		return;
	}
	lit(s, n);
}

static const long long values[] = {
	0, 1, -1, 7, -42, 255, 1000000, 2147483648LL, -2147483649LL,
	LLONG_MAX, LLONG_MIN,
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

/* every subset of the flags, in their order, and a few repeated ones */
static int flag_sets(const char *flags, char out[][8])
{
	int n = strlen(flags), m = 0, mask, i;

	for (mask = 0; mask < 1 << n; mask++) {
		int k = 0;

		for (i = 0; i < n; i++)
			if (mask & (1 << i))
				out[m][k++] = flags[i];
		out[m++][k] = '\0';
	}
	/* reversed order, and a repetition */
	for (i = 0; i < n; i++)
		out[m][i] = flags[n - 1 - i];
	out[m++][n] = '\0';
	snprintf(out[m++], 8, "%c%c", flags[0], flags[0]);
	return m;
}

/* F(expected, format, value): string.format(format, value) */
static void integer_cases(char conv, const char *flags, const char *const *widths,
			  const char *const *precs)
{
	char sets[40][8];
	int nsets = flag_sets(flags, sets), s, w, p;
	unsigned int v;

	for (s = 0; s < nsets; s++)
		for (w = 0; widths[w]; w++)
			for (p = 0; precs[p]; p++)
				for (v = 0; v < NVALUES; v++) {
					char lua[64], c[64], out[256];
					int n;

					snprintf(lua, sizeof(lua), "%%%s%s%s%c", sets[s],
						 widths[w], precs[p], conv);
					snprintf(c, sizeof(c), "%%%s%s%sll%c", sets[s],
						 widths[w], precs[p], conv);
					n = snprintf(out, sizeof(out), c, values[v]);
					printf("F(");
					expect(out, n);
					printf(", ");
					lits(lua);
					printf(", ");
					integer(values[v]);
					printf(")\n");
				}
}

/* %a %e %f %g of integers: the integer, with the flags but '#', the width */
static void float_cases(void)
{
	static const char *const widths[] = {"", "1", "9", NULL};
	static const char *const precs[] = {"", ".", ".0", ".3", NULL};
	static const long long fvalues[] = {0, 5, -42, LLONG_MIN};
	const char *conv = "aAeEfgG";
	char sets[40][8];
	int nsets = flag_sets("-+ #0", sets), s, w, p, c, v;

	for (s = 0; s < nsets; s++)
		for (w = 0; widths[w]; w++)
			for (p = 0; precs[p]; p++)
				for (v = 0; v < 4; v++) {
					char lua[64], cf[64], noalt[8], out[256];
					int n, i, k = 0;

					c = (s * 7 + w * 3 + p + v) % 7;
					for (i = 0; sets[s][i]; i++)
						if (sets[s][i] != '#')
							noalt[k++] = sets[s][i];
					noalt[k] = '\0';
					snprintf(lua, sizeof(lua), "%%%s%s%s%c", sets[s],
						 widths[w], precs[p], conv[c]);
					snprintf(cf, sizeof(cf), "%%%s%slld", noalt, widths[w]);
					n = snprintf(out, sizeof(out), cf, fvalues[v]);
					printf("F(");
					expect(out, n);
					printf(", ");
					lits(lua);
					printf(", ");
					integer(fvalues[v]);
					printf(")\n");
				}
}

static void char_cases(void)
{
	static const char *const forms[] = {
		"%c", "%-c", "%1c", "%3c", "%-3c", "%10c", "%--10c", "%99c", NULL
	};
	static const long long cvalues[] = {0, 1, 9, 65, 127, 128, 255, 256, -1, 0x141};
	int f;
	unsigned int v;

	for (f = 0; forms[f]; f++)
		for (v = 0; v < sizeof(cvalues) / sizeof(cvalues[0]); v++) {
			char out[256];
			int n = snprintf(out, sizeof(out), forms[f], (int)cvalues[v]);

			printf("F(");
			expect(out, n);
			printf(", ");
			lits(forms[f]);
			printf(", %lld)\n", cvalues[v]);
		}
}

static void string_cases(void)
{
	static const char *const widths[] = {"", "1", "8", "40", "99", NULL};
	static const char *const precs[] = {"", ".", ".0", ".2", ".10", ".99", NULL};
	static const char *const flags[] = {"", "-", "--", NULL};
	char s99[100], s100[101], s150[151];
	const char *strs[8];
	int f, w, p, i, ns = 0;

	memset(s99, 'x', 99);
	s99[99] = '\0';
	for (i = 0; i < 100; i++)
		s100[i] = 'a' + i % 26;
	s100[100] = '\0';
	for (i = 0; i < 150; i++)
		s150[i] = '0' + i % 10;
	s150[150] = '\0';
	strs[ns++] = "";
	strs[ns++] = "a";
	strs[ns++] = "hello";
	strs[ns++] = "\xe9t\xe9 \x01\x7f\xff";
	strs[ns++] = s99;
	strs[ns++] = s100;
	strs[ns++] = s150;
	for (f = 0; flags[f]; f++)
		for (w = 0; widths[w]; w++)
			for (p = 0; precs[p]; p++)
				for (i = 0; i < ns; i++) {
					char form[32], out[512];
					int n;

					snprintf(form, sizeof(form), "%%%s%s%ss", flags[f],
						 widths[w], precs[p]);
					if (!*flags[f] && !*widths[w] && !*precs[p]) {
						n = strlen(strs[i]);	/* kept whole */
						memcpy(out, strs[i], n + 1);
					} else if (!*precs[p] && strlen(strs[i]) >= 100) {
						n = strlen(strs[i]);	/* Lua keeps it whole */
						memcpy(out, strs[i], n + 1);
					} else {
						n = snprintf(out, sizeof(out), form, strs[i]);
					}
					printf("F(");
					expect(out, n);
					printf(", ");
					lits(form);
					printf(", ");
					lits(strs[i]);
					printf(")\n");
				}
	/* values that are not strings go through tostring */
	{
		char out[64];
		int n = snprintf(out, sizeof(out), "%-6s|%5.2s", "42", "true");

		printf("check('format(\"%%-6s|%%5.2s\", 42, true)', string.format('%%-6s|%%5.2s', 42, true), ");
		expect(out, n);
		printf(")\n");
	}
}

/* %q: Lua's rules (lstrlib.c addquoted), glibc's numbers */
static void quoted(const char *s, size_t len, char *out)
{
	size_t i;
	char *o = out;

	*o++ = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\' || c == '\n') {
			*o++ = '\\';
			*o++ = c;
		} else if (iscntrl(c)) {
			if (i + 1 < len && isdigit((unsigned char)s[i + 1]))
				o += sprintf(o, "\\%03d", c);
			else
				o += sprintf(o, "\\%d", c);
		} else {
			*o++ = c;
		}
	}
	*o++ = '"';
	*o = '\0';
}

static void q_cases(void)
{
	char all[256], out[2048];
	unsigned int v;
	int i;

	for (v = 0; v < NVALUES; v++) {
		int n;

		if (values[v] == LLONG_MIN)
			n = snprintf(out, sizeof(out), "0x%llx", (unsigned long long)values[v]);
		else
			n = snprintf(out, sizeof(out), "%lld", values[v]);
		printf("F(");
		expect(out, n);
		printf(", '%%q', ");
		integer(values[v]);
		printf(")\n");
	}
	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	quoted(all, 256, out);
	printf("F(");
	expect(out, strlen(out));
	printf(", '%%q', ALL)\n");
	quoted("\0" "1\r9\n\t\"\\x", 10, out);
	printf("F(");
	expect(out, strlen(out));
	printf(", '%%q', ");
	lit("\0" "1\r9\n\t\"\\x", 10);
	printf(")\n");
	printf("check('format(\"100%%%%\")', string.format('100%%%%'), ");
	expect("100%", 4);
	printf(")\n");
	/* %p: a non-pointer value is "(null)", formatted as %s */
	{
		int n = snprintf(out, sizeof(out), "%10s|%-8s|%s", "(null)", "(null)", "(null)");

		printf("check('format(\"%%10p|%%-8p|%%p\", 1, true, nil)', string.format('%%10p|%%-8p|%%p', 1, true, nil), ");
		expect(out, n);
		printf(")\n");
	}
	/* a pointer pads as the string it is */
	printf("do local t = {}; local p = string.format('%%p', t)\n"
	       "check('format(\"%%-30p\", t)', string.format('%%-30p', t), p .. string.rep(' ', 30 - #p))\n"
	       "check('format(\"%%30p\", t)', string.format('%%30p', t), string.rep(' ', 30 - #p) .. p)\n"
	       "check('tostring(t)', tostring(t), 'table: ' .. p) end\n");
	ncases += 3;
}

static void tostring_cases(void)
{
	long long v;
	int k;

	for (k = 0; k < 64; k++) {
		long long p = (long long)(1ULL << k);
		long long vs[4] = {p - 1, p, p + 1, -p};

		for (v = 0; v < 4; v++) {
			char out[32];
			int n = snprintf(out, sizeof(out), "%lld", vs[v]);

			printf("T(");
			expect(out, n);
			printf(", ");
			integer(vs[v]);
			printf(")\n");
		}
	}
	for (v = 1, k = 0; k < 19; k++, v *= 10) {
		long long vs[4] = {v - 1, v, -v, -v + 1};
		int i;

		for (i = 0; i < 4; i++) {
			char out[32];
			int n = snprintf(out, sizeof(out), "%lld", vs[i]);

			printf("T(");
			expect(out, n);
			printf(", ");
			integer(vs[i]);
			printf(")\n");
		}
	}
	for (k = 0; k < (int)NVALUES; k++) {
		char out[32];
		int n = snprintf(out, sizeof(out), "%lld", values[k]);

		printf("T(");
		expect(out, n);
		printf(", ");
		integer(values[k]);
		printf(")\n");
	}
	/* literals that wrap, as Lua's hexadecimal integers */
	printf("T(\"-1\", 0xffffffffffffffff)\nT(\"%lld\", 0x8000000000000000)\n", LLONG_MIN);
	ncases += 2;
}

/* The ctype classes behind patterns, as 256 '0'/'1' characters */
static void class_cases(void)
{
	static const struct {
		char cls;
		int (*f)(int);
	} classes[] = {
		{'a', isalpha}, {'c', iscntrl}, {'d', isdigit}, {'g', isgraph},
		{'l', islower}, {'p', ispunct}, {'s', isspace}, {'u', isupper},
		{'w', isalnum}, {'x', isxdigit},
	};
	char bits[257], up[256], low[256];
	unsigned int i, c;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		for (c = 0; c < 256; c++)
			bits[c] = classes[i].f(c) ? '1' : '0';
		bits[256] = '\0';
		printf("C('%c', ", classes[i].cls);
		expect(bits, 256);
		printf(")\n");
	}
	for (c = 0; c < 256; c++) {
		up[c] = (char)toupper(c);
		low[c] = (char)tolower(c);
	}
	printf("check('upper(ALL)', string.upper(ALL), ");
	expect(up, 256);
	printf(")\ncheck('lower(ALL)', string.lower(ALL), ");
	expect(low, 256);
	printf(")\n");
}

/* string.byte(s, i, j) by the manual: i default 1, j default i, negative
 * from the end, clipped to the string
 */
static void byte_cases(void)
{
	static const struct {
		int nargs;
		long long i, j;
	} args[] = {
		{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {1, 5, 0}, {1, 6, 0}, {1, -1, 0},
		{1, -5, 0}, {1, -6, 0}, {2, 1, -1}, {2, 2, 4}, {2, 3, 2},
		{2, -100, 100}, {2, LLONG_MIN, LLONG_MAX}, {2, 0, 0}, {2, -2, -1},
	};
	const char *s = "h\xe9l\0o";
	long long len = 5;
	unsigned int a;

	for (a = 0; a < sizeof(args) / sizeof(args[0]); a++) {
		long long i = args[a].nargs >= 1 ? args[a].i : 1;
		long long j = args[a].nargs >= 2 ? args[a].j : i;
		long long k;

		if (i < 0)
			i = i < -len ? 1 : len + i + 1;
		else if (i == 0)
			i = 1;
		if (j < 0)
			j = j < -len ? 0 : len + j + 1;
		else if (j > len)
			j = len;
		printf("B({");
		for (k = i; k <= j; k++)
			printf("%d,", (unsigned char)s[k - 1]);
		printf("}, S");
		if (args[a].nargs >= 1) {
			printf(", ");
			integer(args[a].i);
		}
		if (args[a].nargs >= 2) {
			printf(", ");
			integer(args[a].j);
		}
		printf(")\n");
		ncases++;
	}
}

static void rep_reverse_cases(void)
{
	static const struct {
		const char *s, *sep;
		int n;
	} reps[] = {
		{"ab", NULL, 0}, {"ab", NULL, -1}, {"ab", NULL, 3}, {"ab", ",", 3},
		{"", NULL, 5}, {"x", "sep", 1}, {"ab", "", 2}, {"\0z", "\0", 3},
		{"", "-", 4}, {"abc", ", ", 0},
	};
	static const char *const revs[] = {"", "a", "ab", "h\xe9llo\0!"};
	char out[64], all[256];
	unsigned int r, i;

	for (r = 0; r < sizeof(reps) / sizeof(reps[0]); r++) {
		size_t ls = reps[r].s[0] || r != 7 ? strlen(reps[r].s) : 2;
		size_t lsep = reps[r].sep ? (r == 7 ? 1 : strlen(reps[r].sep)) : 0;
		size_t n = 0;
		int k;

		for (k = 0; k < reps[r].n; k++) {
			if (k) {
				memcpy(out + n, reps[r].sep ? reps[r].sep : "", lsep);
				n += lsep;
			}
			memcpy(out + n, reps[r].s, ls);
			n += ls;
		}
		printf("check('rep %u', string.rep(", r);
		lit(reps[r].s, ls);
		printf(", %d", reps[r].n);
		if (reps[r].sep) {
			printf(", ");
			lit(reps[r].sep, lsep);
		}
		printf("), ");
		expect(out, n);
		printf(")\n");
	}
	for (r = 0; r < sizeof(revs) / sizeof(revs[0]); r++) {
		size_t n = r == 3 ? 8 : strlen(revs[r]);

		for (i = 0; i < n; i++)
			out[i] = revs[r][n - 1 - i];
		printf("check('reverse %u', string.reverse(", r);
		lit(revs[r], n);
		printf("), ");
		expect(out, n);
		printf(")\n");
	}
	for (i = 0; i < 256; i++)
		all[i] = (char)(255 - i);
	printf("check('reverse(ALL)', string.reverse(ALL), ");
	expect(all, 256);
	printf(")\n");
	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	printf("check('char(0..255)', ALL, ");
	expect(all, 256);
	printf(")\n");
	/* string.char refuses what is not a byte */
	printf("E('value out of range', string.char, 256)\n"
	       "E('value out of range', string.char, -1)\n"
	       "E('value out of range', string.char, 65, math.mininteger)\n");
	ncases += 3;
}

int main(int argc, char **argv)
{
	static const char *const widths[] = {"", "1", "6", "23", NULL};
	static const char *const precs[] = {"", ".", ".0", ".1", ".5", ".22", NULL};
	static const char *const wide[] = {"99", NULL};
	static const char *const wideprec[] = {"", ".0", ".99", NULL};

	setlocale(LC_ALL, "C");
	spoil = argc > 1 && !strcmp(argv[1], "--break");
	printf("-- generated by tests/klua/libc-cases.c: klua's C library against the host's\n"
	       "local bad, n = {}, 0\n"
	       "local function show(s)\n"
	       "\treturn (tostring(s):gsub('[^ -~]', function(c) return '\\\\' .. c:byte() end))\n"
	       "end\n"
	       "function check(what, got, exp)\n"
	       "\tn = n + 1\n"
	       "\tif got ~= exp then\n"
	       "\t\tbad[#bad + 1] = what .. ': got [' .. show(got) .. '] expected [' .. show(exp) .. ']'\n"
	       "\tend\n"
	       "end\n"
	       "function F(exp, fmt, v)\n"
	       "\tlocal ok, got = pcall(string.format, fmt, v)\n"
	       "\tcheck(\"format('\" .. show(fmt) .. \"', \" .. show(v) .. ')', ok and got or 'error: ' .. show(got), exp)\n"
	       "end\n"
	       "function T(exp, v)\n"
	       "\tcheck('tostring(' .. exp .. ')', tostring(v), exp)\n"
	       "\tcheck('(' .. exp .. ')..\"\"', v .. '', exp)\n"
	       "\tn = n - 1\n"
	       "end\n"
	       "function C(cls, exp)\n"
	       "\tlocal t, u, set, nset = {}, {}, {}, {}\n"
	       "\tfor b = 0, 255 do\n"
	       "\t\tlocal c = string.char(b)\n"
	       "\t\tt[#t + 1] = c:find('^%%' .. cls .. '$') and '1' or '0'\n"
	       "\t\tu[#u + 1] = c:find('^%%' .. cls:upper() .. '$') and '0' or '1'\n"
	       "\t\tset[#set + 1] = c:find('^[%%' .. cls .. ']$') and '1' or '0'\n"
	       "\t\tnset[#nset + 1] = c:find('^[^%%' .. cls .. ']$') and '0' or '1'\n"
	       "\tend\n"
	       "\tcheck('%%' .. cls, table.concat(t), exp)\n"
	       "\tcheck('%%' .. cls:upper(), table.concat(u), exp)\n"
	       "\tcheck('[%%' .. cls .. ']', table.concat(set), exp)\n"
	       "\tcheck('[^%%' .. cls .. ']', table.concat(nset), exp)\n"
	       "\tn = n - 3\n"
	       "end\n"
	       "function B(exp, ...)\n"
	       "\tlocal got = table.pack(string.byte(...))\n"
	       "\tlocal g, e = {}, {}\n"
	       "\tfor i = 1, got.n do g[i] = tostring(got[i]) end\n"
	       "\tfor i = 1, #exp do e[i] = tostring(exp[i]) end\n"
	       "\tcheck('byte(' .. table.concat({...}, ', ', 2) .. ')', table.concat(g, ','), table.concat(e, ','))\n"
	       "end\n"
	       "function E(msg, f, ...)\n"
	       "\tlocal ok, err = pcall(f, ...)\n"
	       "\tcheck('error ' .. msg, not ok and tostring(err):find(msg, 1, true) and msg, msg)\n"
	       "end\n"
	       "ALL = {} for b = 0, 255 do ALL[#ALL + 1] = string.char(b) end ALL = table.concat(ALL)\n"
	       "S = 'h\\233l\\0o'\n");
	integer_cases('d', "-+ 0", widths, precs);
	integer_cases('d', "-+ 0", wide, wideprec);
	integer_cases('i', "+ ", widths, precs);
	integer_cases('u', "-0", widths, precs);
	integer_cases('u', "-0", wide, wideprec);
	integer_cases('o', "-#0", widths, precs);
	integer_cases('x', "-#0", widths, precs);
	integer_cases('X', "-#0", widths, precs);
	integer_cases('x', "-#0", wide, wideprec);
	float_cases();
	char_cases();
	string_cases();
	q_cases();
	tostring_cases();
	class_cases();
	byte_cases();
	rep_reverse_cases();
	printf("if n ~= %ld then bad[#bad + 1] = 'ran ' .. n .. ' cases of %ld' end\n"
	       "if #bad > 0 then\n"
	       "\tfor i = 1, math.min(#bad, 20) do print('klua-libc: ' .. bad[i]) end\n"
	       "\terror('klua-libc: ' .. #bad .. ' of ' .. n .. ' cases differ from the C library; first: ' .. bad[1], 0)\n"
	       "end\n"
	       "print('klua-libc: ' .. n .. ' cases, 0 differences')\n"
	       "function callback(pkt) return xdp.DROP end\n", ncases, ncases);
	return 0;
}
