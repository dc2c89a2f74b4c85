// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing examples/dns/dns.lua's parsing (queries, answers, learning) in
 * the runtime's userspace home, under ASan and UBSan.
 *
 * An input is a mode byte and a DNS message. The harness wraps the message
 * in Ethernet, IPv4 (a good header checksum, so that dns.lua reads on) and
 * UDP, between a client and the upstream server dns.config names:
 *   mode & 3 == 0  a query to the upstream;
 *   mode & 3 == 1  an answer from the upstream, after the query it answers
 *                  (the message's header and question, QR clear) passed,
 *                  so that the answer may be learned;
 *   mode & 3 == 2  the message is the IPv4 packet itself (no fixing);
 *   mode & 3 == 3  a query, then the same query again (a cache hit).
 *   mode & 4       IPv4 options (24-byte header);
 *   mode & 8       IP TTL 1.
 * The tables persist from input to input: what one input teaches the
 * cache, another may be answered from.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxdplua.h"
#include "harness.h"

static struct xdplua_script *script;
static struct xdplua_frame *frame;

static void set(const char *table, const char *key, const char *val)
{
	struct xdplua_local_key k = { .is_str = true, .s = key, .len = strlen(key) };
	struct xdplua_local_value v = {
		.type = XDPLUA_LOCAL_STR, .s = val, .len = strlen(val),
	};

	if (xdplua_local_table_set(table, &k, &v, 0))
		harness_die("cannot fill the DNS tables");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init();
	set("dns.config", "upstream", "10.53.2.53");
	set("dns.static", "static.example.test", "192.0.2.1 192.0.2.2");
	set("dns.static", "one.example.test", "192.0.2.9");
	script = harness_load(FUZZ_DIR "/../examples/dns/dns.lua", 100000);
	frame = xdplua_frame_new();
	return 0;
}

static void run(const uint8_t *pkt, size_t len)
{
	if (!xdplua_frame_set(frame, pkt, len))
		xdplua_local_run(script, frame, 0, NULL);
}

/* Ethernet, IPv4 and UDP around msg, into buf: the packet's length. */
static size_t wrap(uint8_t *buf, size_t room, const uint8_t *msg, size_t mlen,
		   bool answer, unsigned int mode)
{
	static const uint8_t client[4] = { 10, 53, 1, 2 }, server[4] = { 10, 53, 2, 53 };
	size_t ihl = mode & 4 ? 24 : 20;
	uint8_t *ip = buf + 14, *udp = ip + ihl;
	uint16_t c;

	if (14 + ihl + 8 + mlen > room)
		mlen = room - 14 - ihl - 8;
	memcpy(buf, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	memset(ip, 0, ihl);
	ip[0] = 0x40 | ihl / 4;
	ip[2] = (ihl + 8 + mlen) >> 8;
	ip[3] = ihl + 8 + mlen;
	ip[8] = mode & 8 ? 1 : 64;
	ip[9] = 17;
	memcpy(ip + 12, answer ? server : client, 4);
	memcpy(ip + 16, answer ? client : server, 4);
	if (ihl > 20)
		memcpy(ip + 20, "\x94\x04\x00\x00", 4);	/* router alert */
	c = xdplua_local_csum(ip, ihl);
	ip[10] = c >> 8;
	ip[11] = c;
	udp[0] = answer ? 0 : 0x9c;
	udp[1] = answer ? 53 : 0x40;
	udp[2] = answer ? 0x9c : 0;
	udp[3] = answer ? 0x40 : 53;
	udp[4] = (8 + mlen) >> 8;
	udp[5] = 8 + mlen;
	udp[6] = udp[7] = 0;
	memcpy(udp + 8, msg, mlen);
	return 14 + ihl + 8 + mlen;
}

/* The query an answer answers: its header (QR clear, one question, no
 * records) and its question, if it has a well-formed one.
 */
static size_t query_of(uint8_t *q, const uint8_t *msg, size_t mlen)
{
	size_t o = 12;

	if (mlen < 12)
		return 0;
	while (o < mlen && msg[o] && msg[o] < 64)
		o += 1 + msg[o];
	if (o >= mlen || msg[o] || o + 5 > mlen)
		return 0;
	o += 5;
	memcpy(q, msg, o);
	q[2] &= 0x7f;
	memcpy(q + 4, "\x00\x01\x00\x00\x00\x00\x00\x00", 8);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[XDPLUA_FRAME_MAX_DATA], q[XDPLUA_FRAME_MAX_DATA];
	unsigned int mode;
	size_t len, qlen;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	if (size > sizeof(pkt) - 64)
		size = sizeof(pkt) - 64;
	switch (mode & 3) {
	case 0:
		run(pkt, wrap(pkt, sizeof(pkt), data, size, false, mode));
		break;
	case 1:
		qlen = query_of(q, data, size);
		if (qlen)
			run(pkt, wrap(pkt, sizeof(pkt), q, qlen, false, mode));
		run(pkt, wrap(pkt, sizeof(pkt), data, size, true, mode));
		break;
	case 2:
		memcpy(pkt, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
		memcpy(pkt + 14, data, size);
		run(pkt, 14 + size);
		break;
	default:
		len = wrap(pkt, sizeof(pkt), data, size, false, mode);
		run(pkt, len);
		run(pkt, wrap(pkt, sizeof(pkt), data, size, false, mode));
		break;
	}
	return 0;
}
