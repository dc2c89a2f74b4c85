// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer of every -j output (json.h says how strings are written).
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *fp)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
}

/* Before a value: the comma after the previous element of an array. */
static void json_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth && j->need_comma[j->depth])
		fputc(',', j->fp);
	if (j->depth)
		j->need_comma[j->depth] = true;
}

/* After a value: a top-level one ends its line. */
static void json_done(struct json *j)
{
	if (!j->depth)
		fputc('\n', j->fp);
}

static void json_open(struct json *j, char c)
{
	json_value(j);
	fputc(c, j->fp);
	if (j->depth < JSON_DEPTH_MAX - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->fp);
	if (j->depth)
		j->depth--;
	json_done(j);
}

void json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

static void write_text(FILE *fp, const char *str, size_t len);

/* The member's value follows, without a comma. */
void json_key(struct json *j, const char *key)
{
	json_value(j);
	write_text(j->fp, key, strlen(key));
	fputc(':', j->fp);
	j->after_key = true;
}

void json_int(struct json *j, long long v)
{
	json_value(j);
	fprintf(j->fp, "%lld", v);
	json_done(j);
}

void json_uint(struct json *j, unsigned long long v)
{
	json_value(j);
	fprintf(j->fp, "%llu", v);
	json_done(j);
}

void json_bool(struct json *j, bool v)
{
	json_value(j);
	fputs(v ? "true" : "false", j->fp);
	json_done(j);
}

void json_null(struct json *j)
{
	json_value(j);
	fputs("null", j->fp);
	json_done(j);
}

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;	/* the second byte's range */
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;	/* a continuation byte, 0xc0, 0xc1, 0xf5.. */
	if (s[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* UTF-16 surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* past U+10FFFF */
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* The escape of a control character, quote or backslash; false if c needs none. */
static bool json_escape(FILE *fp, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", fp);
		return true;
	case '\\':
		fputs("\\\\", fp);
		return true;
	case '\b':
		fputs("\\b", fp);
		return true;
	case '\f':
		fputs("\\f", fp);
		return true;
	case '\n':
		fputs("\\n", fp);
		return true;
	case '\r':
		fputs("\\r", fp);
		return true;
	case '\t':
		fputs("\\t", fp);
		return true;
	}
	if (c < 0x20 || c == 0x7f) {
		fprintf(fp, "\\u%04x", c);
		return true;
	}
	return false;
}

static void write_text(FILE *fp, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + len;
	size_t n;

	fputc('"', fp);
	while (s < end) {
		if (json_escape(fp, *s)) {
			s++;
			continue;
		}
		n = utf8_seq_len(s, end - s);
		if (!n) {
			fputs("\\ufffd", fp);
			s++;
			continue;
		}
		fwrite(s, 1, n, fp);
		s += n;
	}
	fputc('"', fp);
}

void json_text(struct json *j, const char *str, size_t len)
{
	json_value(j);
	write_text(j->fp, str, len);
	json_done(j);
}

void json_str(struct json *j, const char *s)
{
	if (s)
		json_text(j, s, strlen(s));
	else
		json_null(j);
}

void json_bytes(struct json *j, const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t i;

	json_value(j);
	fputc('"', j->fp);
	for (i = 0; i < len; i++) {
		if (json_escape(j->fp, s[i]))
			continue;
		if (s[i] >= 0x80)
			fprintf(j->fp, "\\u%04x", s[i]);
		else
			fputc(s[i], j->fp);
	}
	fputc('"', j->fp);
	json_done(j);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}
