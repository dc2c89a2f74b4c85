// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing the runtime's packet API, views, checksums, udp_reply, shared
 * tables and xdp library (in its userspace home, under ASan and UBSan).
 *
 * An input is a packet and a program: two bytes give the packet's length
 * (modulo what the input holds; shorter than an Ethernet header: padded),
 * the packet follows, the program is the rest. The frame holds the packet
 * with the program after it; fuzz/api.lua, the entry function, reads the
 * program with pkt:bytes(), cuts it off and runs it: API calls with
 * boundary arguments, each under pcall. Lua errors are expected; reports
 * of the sanitizers, or a crash, are findings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxdplua.h"
#include "harness.h"

static struct xdplua_script *script;
static struct xdplua_frame *frame;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init();
	if (xdplua_local_table_create("fuzz.small", 4))
		harness_die("cannot create table fuzz.small");
	script = harness_load(FUZZ_DIR "/api.lua", 1000000);
	frame = xdplua_frame_new();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[XDPLUA_FRAME_MAX_DATA];
	size_t plen, len, code;

	if (size < 2)
		return 0;
	plen = (data[0] << 8 | data[1]) % (size - 1);
	data += 2;
	size -= 2;
	len = plen < 14 ? 14 : plen;
	if (len > sizeof(buf))
		len = sizeof(buf);
	memset(buf, 0, len);
	memcpy(buf, data, plen < len ? plen : len);
	code = size - plen;
	if (code > sizeof(buf) - len)
		code = sizeof(buf) - len;
	memcpy(buf + len, data + plen, code);
	if (xdplua_frame_set(frame, buf, len + code))
		return 0;
	xdplua_local_run(script, frame, len, NULL);
	return 0;
}
