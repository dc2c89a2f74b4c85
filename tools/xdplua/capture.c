// SPDX-License-Identifier: GPL-2.0
/*
 * Captures through libpcap: what `xdplua run` reads (--pcap: pcap or
 * pcapng, of a link type libpcap reports as Ethernet) and writes (--out:
 * classic pcap, Ethernet).
 *
 * Timestamps keep their precision: a classic pcap file with nanosecond
 * timestamps is read and written in nanoseconds, every other capture
 * (microsecond pcap, pcapng) in microseconds, the precision of classic
 * pcap and pcapng's default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "errmsg.h"
#include "capture.h"

/* the magic numbers of classic pcap files with nanosecond timestamps */
#define MAGIC_NSEC		0xa1b23c4du
#define MAGIC_NSEC_SWAPPED	0x4d3cb2a1u
#define SNAPLEN			(256 * 1024)

/* Whether the file at fp is a nanosecond pcap file (and rewinds it). */
static bool nanosecond_pcap(FILE *fp)
{
	__u32 magic = 0;
	bool nsec;

	nsec = fread(&magic, sizeof(magic), 1, fp) == 1 &&
	       (magic == MAGIC_NSEC || magic == MAGIC_NSEC_SWAPPED);
	rewind(fp);
	return nsec;
}

int capture_open(struct capture_reader *r, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	int linktype, err;
	FILE *fp;

	memset(r, 0, sizeof(*r));
	r->path = path;
	fp = fopen(path, "rb");
	if (!fp) {
		err = -errno;
		errmsg("cannot read %s: %s", path, strerror(errno));
		return err;
	}
	r->nsec = nanosecond_pcap(fp);
	/* libpcap owns fp from here, also on failure */
	r->pcap = pcap_fopen_offline_with_tstamp_precision(fp,
			r->nsec ? PCAP_TSTAMP_PRECISION_NANO :
				  PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!r->pcap) {
		errmsg("%s: cannot read it as a capture (pcap or pcapng): %s",
		       path, errbuf);
		return -EINVAL;
	}
	linktype = pcap_datalink(r->pcap);
	if (linktype != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(linktype);
		const char *what = pcap_datalink_val_to_description(linktype);

		errmsg("%s: link type %s (%s) is not supported: only Ethernet (EN10MB) captures can be run through XDP",
		       path, name ? name : "unknown", what ? what : "unknown");
		capture_close(r);
		return -EINVAL;
	}
	return 0;
}

int capture_next(struct capture_reader *r, struct capture_packet *p)
{
	unsigned long number = r->count + 1;
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned char *grown;
	int ret;

	ret = pcap_next_ex(r->pcap, &h, &data);
	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		errmsg("%s: packet %lu: %s", r->path, number,
		       pcap_geterr(r->pcap));
		return -EINVAL;
	}
	p->number = number;
	p->sec = h->ts.tv_sec;
	p->frac = h->ts.tv_usec;	/* nanoseconds if opened so */
	p->caplen = h->caplen;
	p->len = h->len;
	if (p->caplen > p->size) {
		grown = realloc(p->data, p->caplen);
		if (!grown) {
			errmsg("out of memory");
			return -ENOMEM;
		}
		p->data = grown;
		p->size = p->caplen;
	}
	memcpy(p->data, data, p->caplen);
	r->count = number;
	return 1;
}

void capture_close(struct capture_reader *r)
{
	if (r->pcap)
		pcap_close(r->pcap);
	r->pcap = NULL;
}

void capture_packet_free(struct capture_packet *p)
{
	free(p->data);
	p->data = NULL;
	p->size = 0;
}

int capture_create(struct capture_writer *w, const char *path, bool nsec)
{
	memset(w, 0, sizeof(*w));
	w->path = path;
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
			nsec ? PCAP_TSTAMP_PRECISION_NANO :
			       PCAP_TSTAMP_PRECISION_MICRO);
	if (!w->dead) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	w->dumper = pcap_dump_open(w->dead, path);
	if (!w->dumper) {
		/* libpcap's message names the file */
		errmsg("cannot write %s", pcap_geterr(w->dead));
		pcap_close(w->dead);
		w->dead = NULL;
		return -EIO;
	}
	return 0;
}

int capture_write(struct capture_writer *w, __u32 sec, __u32 frac,
		  const void *data, __u32 len)
{
	struct pcap_pkthdr h = {
		.ts = { .tv_sec = sec, .tv_usec = frac },
		.caplen = len,
		.len = len,
	};

	pcap_dump((u_char *)w->dumper, &h, data);
	if (ferror(pcap_dump_file(w->dumper))) {
		errmsg("cannot write %s: %s", w->path, strerror(errno));
		return -EIO;
	}
	return 0;
}

int capture_finish(struct capture_writer *w)
{
	FILE *fp;
	int err = 0;

	if (!w->dumper)
		return 0;
	fp = pcap_dump_file(w->dumper);
	if (pcap_dump_flush(w->dumper) || ferror(fp)) {
		errmsg("cannot write %s: %s", w->path, strerror(errno));
		err = -EIO;
	}
	/* pcap_dump_close() says nothing: close the file ourselves first */
	if (fflush(fp) && !err) {
		errmsg("cannot write %s: %s", w->path, strerror(errno));
		err = -EIO;
	}
	pcap_dump_close(w->dumper);
	pcap_close(w->dead);
	w->dumper = NULL;
	w->dead = NULL;
	return err;
}
