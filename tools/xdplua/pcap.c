// SPDX-License-Identifier: GPL-2.0
/*
 * Classic libpcap capture files (not pcapng), our own small reader and
 * writer. A file is a 24-byte header:
 *	u32 magic	0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds),
 *			in the writer's byte order: read swapped, it says the
 *			file's other fields are swapped too
 *	u16 version_major, version_minor (2.4)
 *	u32 thiszone, sigfigs (unused)
 *	u32 snaplen
 *	u32 linktype	1 for Ethernet
 * then records, each a 16-byte header (u32 sec, frac, caplen, len) and
 * caplen bytes of packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <byteswap.h>

#include "xdplua.h"
#include "pcap.h"

#define MAGIC_USEC	0xa1b2c3d4u
#define MAGIC_NSEC	0xa1b23c4du

struct file_header {
	__u32 magic;
	__u16 version_major;
	__u16 version_minor;
	__s32 thiszone;
	__u32 sigfigs;
	__u32 snaplen;
	__u32 linktype;
};

struct record_header {
	__u32 sec;
	__u32 frac;
	__u32 caplen;
	__u32 len;
};

static __u32 host32(const struct pcap_reader *r, __u32 v)
{
	return r->swapped ? bswap_32(v) : v;
}

int pcap_open(struct pcap_reader *r, const char *path)
{
	struct file_header h;
	__u32 linktype;
	size_t n;
	int err;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fp = fopen(path, "rb");
	if (!r->fp) {
		err = -errno;
		errmsg("cannot read %s: %s", path, strerror(errno));
		return err;
	}
	n = fread(&h, 1, sizeof(h), r->fp);
	if (n != sizeof(h)) {
		if (ferror(r->fp))
			errmsg("cannot read %s: %s", path, strerror(errno));
		else
			errmsg("%s: not a pcap file: %s", path,
			       n ? "truncated file header" : "empty file");
		goto fail;
	}
	switch (h.magic) {
	case MAGIC_USEC:
		break;
	case MAGIC_NSEC:
		r->nsec = true;
		break;
	case 0xd4c3b2a1u:	/* MAGIC_USEC, swapped */
		r->swapped = true;
		break;
	case 0x4d3cb2a1u:	/* MAGIC_NSEC, swapped */
		r->swapped = true;
		r->nsec = true;
		break;
	case 0x0a0d0d0a:
		errmsg("%s: a pcapng file: only classic pcap files are read (convert it with: editcap -F pcap IN OUT)",
		       path);
		goto fail;
	default:
		errmsg("%s: not a pcap file (magic number 0x%08x)", path,
		       h.magic);
		goto fail;
	}
	r->snaplen = host32(r, h.snaplen);
	/* the upper bits may carry FCS information: the type is the low 16 */
	linktype = host32(r, h.linktype) & 0xffff;
	if (linktype != PCAP_LINKTYPE_ETHERNET) {
		errmsg("%s: link type %u is not supported: only Ethernet (1) captures can be run through XDP",
		       path, linktype);
		goto fail;
	}
	return 0;
fail:
	fclose(r->fp);
	r->fp = NULL;
	return -EINVAL;
}

int pcap_next(struct pcap_reader *r, struct pcap_packet *p)
{
	struct record_header h;
	unsigned long number = r->count + 1;
	unsigned char *grown;
	size_t n;

	n = fread(&h, 1, sizeof(h), r->fp);
	if (n != sizeof(h)) {
		if (ferror(r->fp)) {
			errmsg("cannot read %s: %s", r->path, strerror(errno));
			return -EIO;
		}
		if (!n)
			return 0;
		errmsg("%s: packet %lu: truncated record header (%zu of %zu bytes)",
		       r->path, number, n, sizeof(h));
		return -EINVAL;
	}
	p->number = number;
	p->sec = host32(r, h.sec);
	p->frac = host32(r, h.frac);
	p->caplen = host32(r, h.caplen);
	p->len = host32(r, h.len);
	if (p->caplen > PCAP_RECORD_MAX) {
		errmsg("%s: packet %lu: capture length %u is too large (corrupt file?)",
		       r->path, number, p->caplen);
		return -EINVAL;
	}
	if (p->caplen > p->size) {
		grown = realloc(p->data, p->caplen);
		if (!grown) {
			errmsg("out of memory");
			return -ENOMEM;
		}
		p->data = grown;
		p->size = p->caplen;
	}
	n = fread(p->data, 1, p->caplen, r->fp);
	if (n != p->caplen) {
		if (ferror(r->fp)) {
			errmsg("cannot read %s: %s", r->path, strerror(errno));
			return -EIO;
		}
		errmsg("%s: packet %lu: truncated record (%zu of %u bytes)",
		       r->path, number, n, p->caplen);
		return -EINVAL;
	}
	r->count = number;
	return 1;
}

void pcap_close(struct pcap_reader *r)
{
	if (r->fp)
		fclose(r->fp);
	r->fp = NULL;
}

void pcap_packet_free(struct pcap_packet *p)
{
	free(p->data);
	p->data = NULL;
	p->size = 0;
}

static int write_failed(struct pcap_writer *w)
{
	int err = -errno;

	errmsg("cannot write %s: %s", w->path, strerror(errno));
	return err ?: -EIO;
}

int pcap_create(struct pcap_writer *w, const char *path, bool nsec)
{
	struct file_header h = {
		.magic = nsec ? MAGIC_NSEC : MAGIC_USEC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = PCAP_RECORD_MAX,
		.linktype = PCAP_LINKTYPE_ETHERNET,
	};

	w->path = path;
	w->fp = fopen(path, "wb");
	if (!w->fp)
		return write_failed(w);
	if (fwrite(&h, sizeof(h), 1, w->fp) != 1)
		return write_failed(w);
	return 0;
}

int pcap_write(struct pcap_writer *w, __u32 sec, __u32 frac,
	       const void *data, __u32 len)
{
	struct record_header h = {
		.sec = sec, .frac = frac, .caplen = len, .len = len,
	};

	if (fwrite(&h, sizeof(h), 1, w->fp) != 1 ||
	    (len && fwrite(data, len, 1, w->fp) != 1))
		return write_failed(w);
	return 0;
}

int pcap_finish(struct pcap_writer *w)
{
	int err = 0;

	if (!w->fp)
		return 0;
	if (fflush(w->fp) || ferror(w->fp))
		err = write_failed(w);
	if (fclose(w->fp) && !err)
		err = write_failed(w);
	w->fp = NULL;
	return err;
}
