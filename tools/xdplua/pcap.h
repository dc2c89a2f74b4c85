/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classic libpcap capture files, read and written without libpcap:
 * both byte orders, microsecond and nanosecond timestamps, Ethernet only.
 */
#ifndef XDPLUA_PCAP_H
#define XDPLUA_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_RECORD_MAX		(256 * 1024)	/* larger: a corrupt file */

struct pcap_packet {
	unsigned long number;	/* 1 for the first packet */
	__u32 sec;
	__u32 frac;		/* microseconds or nanoseconds, as the file */
	__u32 caplen;		/* bytes in data */
	__u32 len;		/* bytes on the wire */
	unsigned char *data;
	size_t size;		/* allocated */
};

struct pcap_reader {
	FILE *fp;
	const char *path;
	bool swapped;		/* the file's byte order is not ours */
	bool nsec;		/* timestamps in nanoseconds */
	__u32 snaplen;
	unsigned long count;	/* records read so far */
};

struct pcap_writer {
	FILE *fp;
	const char *path;
};

/* Print what went wrong (with the file name) and return -errno. */
int pcap_open(struct pcap_reader *r, const char *path);
/* 1: a packet in p; 0: end of file; < 0: an error, already printed. */
int pcap_next(struct pcap_reader *r, struct pcap_packet *p);
void pcap_close(struct pcap_reader *r);
void pcap_packet_free(struct pcap_packet *p);

int pcap_create(struct pcap_writer *w, const char *path, bool nsec);
int pcap_write(struct pcap_writer *w, __u32 sec, __u32 frac,
	       const void *data, __u32 len);
/* Flushes and closes: returns < 0 (printed) if the data did not make it. */
int pcap_finish(struct pcap_writer *w);

#endif /* XDPLUA_PCAP_H */
