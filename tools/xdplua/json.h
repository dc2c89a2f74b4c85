/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON writer of xdplua's -j outputs (docs/xdplua.md, "JSON
 * output"): compact objects and arrays, a newline after each top-level
 * value (so that a stream of records is one JSON document a line).
 *
 * Strings come in two kinds:
 *   - text (json_text): UTF-8. A byte that does not begin a valid UTF-8
 *     sequence (overlong forms, surrogates and code points past U+10FFFF
 *     included) is written as U+FFFD, one per byte. Control characters
 *     (below 0x20, and 0x7f) are escaped: \b \f \n \r \t, else \u00XX.
 *   - bytes (json_bytes): each byte is one character, U+0000 to U+00FF
 *     (ISO 8859-1, "latin-1"): printable ASCII as itself, the rest as
 *     \u00XX. Decoding the string and encoding each character as the byte
 *     of its code point gives the bytes back (Python: s.encode("latin-1")).
 */
#ifndef XDPLUA_JSON_H
#define XDPLUA_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_DEPTH_MAX	16

struct json {
	FILE *fp;
	int depth;
	bool need_comma[JSON_DEPTH_MAX];
	bool after_key;		/* a member's name was written */
};

void json_init(struct json *j, FILE *fp);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);

/* A member's name in an object: the next value is its value. */
void json_key(struct json *j, const char *key);

void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_text(struct json *j, const char *s, size_t len);
void json_str(struct json *j, const char *s);	/* text, NULL: null */
void json_bytes(struct json *j, const void *s, size_t len);

/* Shorthands for members: json_key() then the value. */
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_uint(struct json *j, const char *key, unsigned long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_str(struct json *j, const char *key, const char *s);

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes), 1 for
 * ASCII, or 0 if s[0] does not begin one.
 */
size_t utf8_seq_len(const unsigned char *s, size_t len);

#endif /* XDPLUA_JSON_H */
