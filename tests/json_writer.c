// SPDX-License-Identifier: GPL-2.0
/*
 * tests/host/json.sh's driver of tools/xdplua/json.c: for each argument
 * (hex digits: bytes), a line {"text": the bytes as text, "bytes": the bytes
 * as bytes}; then one document of every other kind of value, nested.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int main(int argc, char **argv)
{
	unsigned char buf[1024];
	struct json j;
	size_t n, i;
	int a;

	json_init(&j, stdout);
	for (a = 1; a < argc; a++) {
		n = strlen(argv[a]) / 2;
		if (n > sizeof(buf))
			return 2;
		for (i = 0; i < n; i++) {
			unsigned int b;

			if (sscanf(argv[a] + 2 * i, "%2x", &b) != 1)
				return 2;
			buf[i] = b;
		}
		json_object_begin(&j);
		json_key(&j, "text");
		json_text(&j, (const char *)buf, n);
		json_key(&j, "bytes");
		json_bytes(&j, buf, n);
		json_object_end(&j);
	}
	json_object_begin(&j);
	json_kv_int(&j, "min", LLONG_MIN);
	json_kv_uint(&j, "max", ULLONG_MAX);
	json_kv_bool(&j, "yes", true);
	json_kv_bool(&j, "no", false);
	json_kv_str(&j, "none", NULL);
	json_key(&j, "empty");
	json_array_begin(&j);
	json_array_end(&j);
	json_key(&j, "list");
	json_array_begin(&j);
	json_int(&j, 1);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_begin(&j);
	json_str(&j, "x");
	json_null(&j);
	json_array_end(&j);
	json_object_begin(&j);
	json_kv_str(&j, "k\"ey\n", "v");
	json_kv_int(&j, "n", -1);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	return 0;
}
