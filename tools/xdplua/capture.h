/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Captures through libpcap: pcap and pcapng files read (Ethernet only),
 * classic pcap files written.
 */
#ifndef XDPLUA_CAPTURE_H
#define XDPLUA_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct pcap;
struct pcap_dumper;

struct capture_packet {
	unsigned long number;	/* 1 for the first packet */
	__u32 sec;
	__u32 frac;		/* microseconds or nanoseconds: the reader's nsec */
	__u32 caplen;		/* bytes in data */
	__u32 len;		/* bytes on the wire */
	unsigned char *data;
	size_t size;		/* allocated */
};

struct capture_reader {
	struct pcap *pcap;
	const char *path;
	bool nsec;		/* timestamps in nanoseconds (a nanosecond pcap file) */
	unsigned long count;	/* packets read so far */
};

struct capture_writer {
	struct pcap *dead;
	struct pcap_dumper *dumper;
	const char *path;
};

/* Print what went wrong (with the file name) and return -errno. */
int capture_open(struct capture_reader *r, const char *path);
/* 1: a packet in p; 0: end of file; < 0: an error, already printed. */
int capture_next(struct capture_reader *r, struct capture_packet *p);
void capture_close(struct capture_reader *r);
void capture_packet_free(struct capture_packet *p);

/* A classic pcap file, Ethernet, with nanosecond timestamps if nsec. */
int capture_create(struct capture_writer *w, const char *path, bool nsec);
int capture_write(struct capture_writer *w, __u32 sec, __u32 frac,
		  const void *data, __u32 len);
/* Flushes and closes: returns < 0 (printed) if the data did not make it. */
int capture_finish(struct capture_writer *w);

#endif /* XDPLUA_CAPTURE_H */
