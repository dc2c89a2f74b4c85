// SPDX-License-Identifier: GPL-2.0
/*
 * The Lua side of XDP: the packet object passed to the entry function and
 * the "xdp" library (verdicts, cpu id, time).
 *
 * The packet object is one userdata per Lua state, made at load time. It
 * refers to the packet only while the callback runs (cpu->xdp); used after
 * that, every method raises an error.
 */
#include "port.h"
#include "xdplua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lua_fast.h"

#define PACKET_MT	"xdplua.packet"

/* luaL_newmetatable, with slots 1 and 2 (a tag, methods) in the table's
 * array part, where xdplua_udata_get reads them. [-0, +1]
 */
static int new_metatable(lua_State *L, const char *tname)
{
	if (luaL_getmetatable(L, tname) != LUA_TNIL)
		return 0;
	lua_pop(L, 1);
	lua_createtable(L, 2, 6);
	lua_pushstring(L, tname);
	lua_setfield(L, -2, "__name");
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, tname);
	return 1;
}

/* The packet the first argument refers to, or an error. Only this state's
 * own packet object passes (an identity check: cheaper than a metatable
 * lookup and stricter, no other userdata can stand in for it).
 */
static struct xdp_buff *check_packet(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (unlikely(xdplua_arg_udata(L, 1) != cpu->pkt_ud))
		luaL_typeerror(L, 1, "packet");
	if (unlikely(!cpu->xdp))
		luaL_error(L, "packet used outside its callback");
	return cpu->xdp;
}

static inline u32 packet_len(struct xdp_buff *xdp)
{
	return xdp->data_end - xdp->data;
}

/*
 * Is [off, off + size) inside a packet of len bytes? Written so that
 * nothing can overflow: off and size are any 64-bit values.
 */
static inline bool in_packet(lua_Integer off, lua_Integer size, u32 len)
{
	return off >= 0 && size >= 0 && off <= len && size <= len - off;
}

static void out_of_bounds(lua_State *L, lua_Integer off, lua_Integer size,
			  u32 len)
{
	luaL_error(L, "packet access out of bounds: offset %I, %I bytes, packet length %d",
		   (LUAI_UACINT)off, (LUAI_UACINT)size, (int)len);
}

/* A pointer to size bytes at the offset in argument 2, or an error. */
static u8 *packet_at(lua_State *L, struct xdp_buff *xdp, lua_Integer size)
{
	lua_Integer off = xdplua_checkint(L, 2);
	u32 len = packet_len(xdp);

	if (unlikely(!in_packet(off, size, len)))
		out_of_bounds(L, off, size, len);
	return (u8 *)xdp->data + off;
}

/* pkt:len() / #pkt [-0, +1] */
static int packet_len_l(lua_State *L)
{
	xdplua_push_int(L, packet_len(check_packet(L)));
	return 1;
}

/* pkt:u8(off) pkt:u16(off) pkt:u32(off): network byte order [-0, +1] */
static int packet_u8(lua_State *L)
{
	xdplua_push_int(L, *packet_at(L, check_packet(L), 1));
	return 1;
}

static int packet_u16(lua_State *L)
{
	xdplua_push_int(L, get_unaligned_be16(packet_at(L, check_packet(L), 2)));
	return 1;
}

static int packet_u32(lua_State *L)
{
	xdplua_push_int(L, get_unaligned_be32(packet_at(L, check_packet(L), 4)));
	return 1;
}

/* pkt:set_u8(off, v) ... : the value is truncated to the field [-0, +0] */
static int packet_set_u8(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 1);

	*p = (u8)xdplua_checkint(L, 3);
	return 0;
}

static int packet_set_u16(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 2);

	put_unaligned_be16((u16)xdplua_checkint(L, 3), p);
	return 0;
}

static int packet_set_u32(lua_State *L)
{
	u8 *p = packet_at(L, check_packet(L), 4);

	put_unaligned_be32((u32)xdplua_checkint(L, 3), p);
	return 0;
}

/* pkt:bytes(off [, n]) -> string; n defaults to the rest [-0, +1] */
static int packet_bytes(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	lua_Integer off = xdplua_checkint(L, 2);
	u32 len = packet_len(xdp);
	lua_Integer n;

	if (unlikely(off < 0 || off > len))
		out_of_bounds(L, off, 0, len);
	n = xdplua_optint(L, 3, len - off);	/* cannot overflow now */
	lua_pushlstring(L, (const char *)packet_at(L, xdp, n), n);
	return 1;
}

/* pkt:set_bytes(off, s) [-0, +0] */
static int packet_set_bytes(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	size_t n;
	const char *s = xdplua_checklstring(L, 3, &n);

	memcpy(packet_at(L, xdp, n), s, n);
	return 0;
}

/* pkt:ifindex(), pkt:ifname(), pkt:queue(): where it was received [-0, +1] */
/*
 * pkt:unpack(fmt [, off]) -> values..., next offset [-0, +n]
 *
 * Several fields in one call, read in place as string.unpack reads a string,
 * but big-endian unless the format says '<' and offsets 0-based:
 *	> <		big / little endian for what follows
 *	b B, h H	signed / unsigned integer of 1, 2 bytes
 *	i[n] I[n]	of n bytes (1 to 8; 4 if n is left out)
 *	l L j J		of 8 bytes
 *	x[n]		n bytes skipped (0 to UNPACK_STR_MAX; 1 if n is left out)
 *	c<n>		a string of n bytes (0 to UNPACK_STR_MAX)
 *	spaces		nothing
 * The whole format's length is checked against the packet before anything
 * is read: out of bounds, it is an error.
 */
#define UNPACK_ITEMS_MAX	32
#define UNPACK_STR_MAX		65535

struct unpack_item {
	char kind;		/* 'i' signed, 'u' unsigned, 'x' skip, 'c' string */
	bool little;
	u32 size;
};

/* The count after an option (digits at fmt[*k]), or dflt if none; an
 * error outside lo..hi (never overflows: stops past hi).
 */
static u32 unpack_count(lua_State *L, const char *fmt, size_t flen, size_t *k,
			char opt, long dflt, u32 lo, u32 hi)
{
	long v = -1;

	while (*k < flen && fmt[*k] >= '0' && fmt[*k] <= '9') {
		v = (v < 0 ? 0 : v) * 10 + (fmt[(*k)++] - '0');
		if (v > hi)
			break;
	}
	if (v < 0)
		v = dflt;
	if (v < (long)lo || v > (long)hi)
		luaL_argerror(L, 2, lua_pushfstring(L, "format option '%c' takes a size of %d to %d",
						    opt, (int)lo, (int)hi));
	return v;
}

static int packet_unpack(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	size_t flen, k = 0;
	const char *fmt = xdplua_checklstring(L, 2, &flen);
	lua_Integer off = xdplua_optint(L, 3, 0);
	struct unpack_item items[UNPACK_ITEMS_MAX];
	unsigned int n = 0, nvals = 0, i, j;
	u32 len = packet_len(xdp), total = 0;	/* total < 32 * 65536 */
	bool little = false;
	const u8 *p;

	while (k < flen) {
		char c = fmt[k++];
		struct unpack_item it = { .little = little };

		switch (c) {
		case ' ':
			continue;
		case '>':
		case '<':
			little = c == '<';
			continue;
		case 'b': case 'B':
			it.size = 1;
			break;
		case 'h': case 'H':
			it.size = 2;
			break;
		case 'i': case 'I':
			it.size = unpack_count(L, fmt, flen, &k, c, 4, 1, 8);
			break;
		case 'l': case 'L': case 'j': case 'J':
			it.size = 8;
			break;
		case 'x':
			it.kind = 'x';
			it.size = unpack_count(L, fmt, flen, &k, c, 1, 0, UNPACK_STR_MAX);
			break;
		case 'c':
			it.kind = 'c';
			it.size = unpack_count(L, fmt, flen, &k, c, -1, 0, UNPACK_STR_MAX);
			break;
		default:
			return luaL_argerror(L, 2, lua_pushfstring(L, "invalid format option '%c'", c));
		}
		if (!it.kind)
			it.kind = c >= 'a' ? 'i' : 'u';
		if (n == UNPACK_ITEMS_MAX)
			return luaL_argerror(L, 2, "at most 32 fields");
		items[n++] = it;
		total += it.size;
		nvals += it.kind != 'x';
	}
	if (unlikely(!in_packet(off, total, len)))
		out_of_bounds(L, off, total, len);
	if (nvals >= LUA_MINSTACK)	/* a C function has LUA_MINSTACK slots */
		luaL_checkstack(L, nvals + 1, "too many results");
	p = (const u8 *)xdp->data + off;
	for (i = 0; i < n; p += items[i].size, i++) {
		const struct unpack_item *it = &items[i];
		u64 v = 0;

		if (it->kind == 'x')
			continue;
		if (it->kind == 'c') {
			lua_pushlstring(L, (const char *)p, it->size);
			continue;
		}
		for (j = 0; j < it->size; j++)
			v = it->little ? v | (u64)p[j] << (8 * j) : v << 8 | p[j];
		if (it->kind == 'i' && it->size < 8 && (v >> (8 * it->size - 1)) & 1)
			v |= ~0ULL << (8 * it->size);	/* sign-extend */
		xdplua_push_int(L, (lua_Integer)v);
	}
	xdplua_push_int(L, off + total);
	return nvals + 1;
}

static int packet_ifindex(lua_State *L)
{
	lua_pushinteger(L, check_packet(L)->rxq->dev->ifindex);
	return 1;
}

static int packet_ifname(lua_State *L)
{
	lua_pushstring(L, check_packet(L)->rxq->dev->name);
	return 1;
}

static int packet_queue(lua_State *L)
{
	lua_pushinteger(L, check_packet(L)->rxq->queue_index);
	return 1;
}

/* --- size --------------------------------------------------------------- */

static void check_linear(lua_State *L, struct xdp_buff *xdp)
{
	if (unlikely(xdp_buff_has_frags(xdp)))
		luaL_error(L, "multi-buffer packets cannot be resized");
}

/* Move the start of the packet by delta bytes: positive drops bytes at the
 * front (decapsulation), negative adds room (encapsulation). [-0, +0]
 */
static void adjust_head(lua_State *L, struct xdp_buff *xdp, lua_Integer delta)
{
	void *frame_end = xdp->data_hard_start + sizeof(struct xdp_frame);
	unsigned long metalen = xdp_data_meta_unsupported(xdp) ? 0 :
				xdp->data - xdp->data_meta;
	void *data;

	check_linear(L, xdp);
	if (unlikely(delta < -(lua_Integer)(xdp->data - frame_end - metalen) ||
		     delta > (lua_Integer)packet_len(xdp) - ETH_HLEN))
		luaL_error(L, "cannot move the packet head by %d bytes (headroom %d, length %d)",
			   (int)delta, (int)(xdp->data - frame_end - metalen),
			   (int)packet_len(xdp));
	data = xdp->data + delta;
	if (xdp_data_meta_unsupported(xdp)) {
		xdp->data = data;
		xdp_set_data_meta_invalid(xdp);
		return;
	}
	if (metalen)
		memmove(xdp->data_meta + delta, xdp->data_meta, metalen);
	xdp->data_meta += delta;
	xdp->data = data;
}

/* Grow (zero-filled) or shrink the packet at its end. [-0, +0] */
static void adjust_tail(lua_State *L, struct xdp_buff *xdp, lua_Integer delta)
{
	void *hard_end = xdp_data_hard_end(xdp);

	check_linear(L, xdp);
	if (unlikely(delta > (lua_Integer)(hard_end - xdp->data_end) ||
		     delta < ETH_HLEN - (lua_Integer)packet_len(xdp)))
		luaL_error(L, "cannot change the packet length by %d bytes (tailroom %d, length %d)",
			   (int)delta, (int)(hard_end - xdp->data_end),
			   (int)packet_len(xdp));
	if (delta > 0)
		memset(xdp->data_end, 0, delta);
	xdp->data_end += delta;
}

/* pkt:adjust_head(delta), pkt:adjust_tail(delta), pkt:resize(len) [-0, +1]
 * return the new length
 */
static int packet_adjust_head(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);

	adjust_head(L, xdp, xdplua_checkint(L, 2));
	lua_pushinteger(L, packet_len(xdp));
	return 1;
}

static int packet_adjust_tail(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);

	adjust_tail(L, xdp, xdplua_checkint(L, 2));
	lua_pushinteger(L, packet_len(xdp));
	return 1;
}

static int packet_resize(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	lua_Integer len = xdplua_checkint(L, 2);

	/* any length a packet can have; the subtraction cannot overflow */
	if (len < 0 || len > U32_MAX)
		return luaL_argerror(L, 2, lua_pushfstring(L,
			"cannot resize the packet to %I bytes", (LUAI_UACINT)len));
	adjust_tail(L, xdp, len - packet_len(xdp));
	lua_pushinteger(L, packet_len(xdp));
	return 1;
}

/* --- checksums ---------------------------------------------------------- */

/* One's complement sum of len bytes, folded later. */
static u32 sum16(const u8 *p, size_t len, u32 sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

static u16 fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

struct l3 {
	u8 *ip;
	u8 version;
	u8 proto;
	unsigned int hlen;	/* IP header length */
	unsigned int len;	/* IP header + payload, from the header */
};

/*
 * Parse the IPv4/IPv6 header at the offset in argument arg (default 14).
 * Every check subtracts from the packet length: no sum can overflow.
 */
static void parse_l3(lua_State *L, struct xdp_buff *xdp, int arg, struct l3 *h)
{
	lua_Integer off = xdplua_optint(L, arg, ETH_HLEN);
	u32 plen = packet_len(xdp), room;

	if (off < 0 || off > plen || plen - off < 20)
		luaL_error(L, "no IP header at offset %I", (LUAI_UACINT)off);
	room = plen - off;		/* bytes from the IP header on */
	h->ip = (u8 *)xdp->data + off;
	h->version = h->ip[0] >> 4;
	if (h->version == 4) {
		h->hlen = (h->ip[0] & 0xf) * 4;
		h->len = get_unaligned_be16(h->ip + 2);
		h->proto = h->ip[9];
		if (h->hlen < 20 || h->len < h->hlen || h->len > room)
			luaL_error(L, "malformed IPv4 header at offset %d", (int)off);
	} else if (h->version == 6) {
		h->hlen = 40;
		if (room < 40)
			luaL_error(L, "truncated IPv6 header at offset %d", (int)off);
		h->len = 40 + get_unaligned_be16(h->ip + 4);
		h->proto = h->ip[6];
		if (h->len > room)
			luaL_error(L, "malformed IPv6 header at offset %d", (int)off);
	} else {
		luaL_error(L, "no IP header at offset %d (version %d)", (int)off, h->version);
	}
}

static void ipv4_checksum(struct l3 *h)
{
	put_unaligned_be16(0, h->ip + 10);
	put_unaligned_be16(fold(sum16(h->ip, h->hlen, 0)), h->ip + 10);
}

/* The UDP or TCP checksum of the transport segment after the IP header. */
static u16 l4_checksum(lua_State *L, struct l3 *h)
{
	u8 *l4 = h->ip + h->hlen;
	unsigned int l4len = h->len - h->hlen;
	unsigned int csum_at;
	u32 sum;
	u16 c;

	if (h->proto == IPPROTO_UDP && l4len >= 8)
		csum_at = 6;
	else if (h->proto == IPPROTO_TCP && l4len >= 20)
		csum_at = 16;
	else
		return luaL_error(L, "no UDP or TCP header to checksum");
	put_unaligned_be16(0, l4 + csum_at);
	if (h->version == 4)
		sum = sum16(h->ip + 12, 8, 0);
	else
		sum = sum16(h->ip + 8, 32, 0);
	sum += h->proto + l4len;
	c = fold(sum16(l4, l4len, sum));
	if (c == 0 && h->proto == IPPROTO_UDP)
		c = 0xffff;
	put_unaligned_be16(c, l4 + csum_at);
	return c;
}

/* pkt:ipv4_checksum([l3]) -> checksum: recompute and store [-0, +1] */
static int packet_ipv4_checksum(lua_State *L)
{
	struct l3 h;

	parse_l3(L, check_packet(L), 2, &h);
	if (h.version != 4)
		return luaL_error(L, "not an IPv4 header");
	ipv4_checksum(&h);
	lua_pushinteger(L, get_unaligned_be16(h.ip + 10));
	return 1;
}

/* pkt:l4_checksum([l3]) -> checksum: UDP/TCP over IPv4/IPv6 [-0, +1] */
static int packet_l4_checksum(lua_State *L)
{
	struct l3 h;

	parse_l3(L, check_packet(L), 2, &h);
	lua_pushinteger(L, l4_checksum(L, &h));
	return 1;
}

/* pkt:csum_replace(off, old, new [, bytes]): update the 16-bit checksum at
 * off for a 2-byte (default) or 4-byte field changing from old to new
 * (RFC 1624). [-0, +1] -> the new checksum
 */
static int packet_csum_replace(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	u8 *p = packet_at(L, xdp, 2);
	lua_Integer oldv = xdplua_checkint(L, 3), newv = xdplua_checkint(L, 4);
	lua_Integer bytes = xdplua_optint(L, 5, 2);
	u32 sum;

	luaL_argcheck(L, bytes == 2 || bytes == 4, 5, "2 or 4");
	sum = (u16)~get_unaligned_be16(p);
	if (bytes == 4) {
		sum += (u16)~(u16)(oldv >> 16) + (u16)~(u16)oldv;
		sum += (u16)(newv >> 16) + (u16)newv;
	} else {
		sum += (u16)~(u16)oldv + (u16)newv;
	}
	put_unaligned_be16(fold(sum), p);
	lua_pushinteger(L, get_unaligned_be16(p));
	return 1;
}

/* pkt:udp_reply(payload [, l3]) -> xdp.TX
 * Turn a UDP request over IPv4 or IPv6 into its reply in place: swap the
 * MAC addresses, IP addresses and ports, replace the payload, fix lengths
 * and checksums. The IP header starts at l3 (default 14). [-0, +1]
 */
static int packet_udp_reply(lua_State *L)
{
	struct xdp_buff *xdp = check_packet(L);
	size_t n;
	const char *payload = xdplua_checklstring(L, 2, &n);
	lua_Integer off = xdplua_optint(L, 3, ETH_HLEN);
	u8 tmp[16], *eth = xdp->data, *udp;
	unsigned int alen;
	struct l3 h;

	parse_l3(L, xdp, 3, &h);	/* 0 <= off <= packet length from here */
	if (off < ETH_HLEN)
		return luaL_error(L, "udp_reply needs an Ethernet header before the IP header");
	if (h.proto != IPPROTO_UDP || h.len - h.hlen < 8)
		return luaL_error(L, "not a UDP packet");
	if (n > 65535 - 8 - h.hlen)
		return luaL_error(L, "UDP payload too large");
	/* the new length: the IP header (options included) stays as it is,
	 * anything after the datagram goes
	 */
	adjust_tail(L, xdp, (lua_Integer)(off + h.hlen + 8 + n) - packet_len(xdp));
	eth = xdp->data;
	h.ip = eth + off;
	udp = h.ip + h.hlen;
	memcpy(udp + 8, payload, n);
	h.len = h.hlen + 8 + n;

	memcpy(tmp, eth, ETH_ALEN);
	memcpy(eth, eth + ETH_ALEN, ETH_ALEN);
	memcpy(eth + ETH_ALEN, tmp, ETH_ALEN);
	alen = h.version == 4 ? 4 : 16;
	memcpy(tmp, h.ip + (h.version == 4 ? 12 : 8), alen);
	memmove(h.ip + (h.version == 4 ? 12 : 8), h.ip + (h.version == 4 ? 16 : 24), alen);
	memcpy(h.ip + (h.version == 4 ? 16 : 24), tmp, alen);
	memcpy(tmp, udp, 2);
	memcpy(udp, udp + 2, 2);
	memcpy(udp + 2, tmp, 2);
	put_unaligned_be16(8 + n, udp + 4);
	if (h.version == 4) {
		put_unaligned_be16(h.len, h.ip + 2);
		h.ip[8] = 64;			/* TTL */
		put_unaligned_be16(0, h.ip + 6);	/* no fragments */
		ipv4_checksum(&h);
	} else {
		put_unaligned_be16(8 + n, h.ip + 4);
		h.ip[7] = 64;			/* hop limit */
	}
	l4_checksum(L, &h);
	lua_pushinteger(L, XDP_TX);
	return 1;
}

/* --- header views ------------------------------------------------------- */

/*
 * xdp.layout{field = {bit_offset, bit_length [, "string"]}, ...} describes a
 * header; pkt:view(layout, offset) reads and writes it in place:
 *	local ip = pkt:view(xdp.ipv4, 14)
 *	if ip.ttl > 1 then ip.ttl = ip.ttl - 1 end
 * Numbers are big-endian bit fields of up to 64 bits; "string" fields are
 * whole bytes. A view belongs to the callback that made it.
 *
 * A layout is a userdata holding its fields, checked once when it is made
 * and never changed after (a script cannot reach them): user value 1 maps
 * field names to their index, user value 2 is the last view made of it
 * (pkt:view gives it again for the same offset: no allocation per packet).
 * A view keeps its layout as user value 1 and the layout's names as user
 * value 2. Layouts and views are told from other userdata by a tag in
 * their metatables (layout_tag, view_tag: xdplua_toudata_tagged), with no
 * registry lookup; pkt:view has the view metatable as upvalue 1, to give
 * it to the views it makes.
 */
#define LAYOUT_MT	"xdplua.layout"
#define VIEW_MT		"xdplua.view"

/* Offsets a layout or a view may have: far beyond any packet, and small
 * enough that no sum of them can overflow.
 */
#define LAYOUT_MAX_BITS		(1 << 19)	/* 64 KiB */
#define VIEW_MAX_OFFSET		(1 << 24)

struct layout_field {
	u32 first;		/* byte of the field's first bit */
	u32 nbytes;		/* bytes it touches */
	u8 shift;		/* numbers: (bytes >> shift) & mask */
	bool str;
	u64 mask;
};

struct layout {
	unsigned int nfields;
	struct layout_field fields[];
};

/* slot 1 of their metatables: how layouts and views are told from other
 * userdata (xdplua_toudata_tagged) */
static const char layout_tag, view_tag;

struct view {
	struct xdplua_cpu *cpu;
	u64 gen;
	u32 off;
	const struct layout *layout;
};

/* xdp.layout{name = {bit_offset, bit_length [, "string"]}, ...} [-0, +1] */
static int xdp_layout(lua_State *L)
{
	unsigned int n = 0, i = 0;
	struct layout *lay;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		if (++n > 256)
			return luaL_argerror(L, 1, "at most 256 fields");
	}
	lay = lua_newuserdatauv(L, struct_size(lay, fields, n), 2);	/* 2 */
	lay->nfields = 0;
	lua_createtable(L, 0, n);					/* 3 */
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		struct layout_field *f = &lay->fields[i];
		lua_Integer bo, bl;
		bool str;

		if (i >= n || lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TTABLE)
			return luaL_argerror(L, 1, "layout fields are name = {bit_offset, bit_length [, \"string\"]}");
		lua_rawgeti(L, -1, 1);
		lua_rawgeti(L, -2, 2);
		lua_rawgeti(L, -3, 3);
		bo = lua_tointeger(L, -3);
		bl = lua_tointeger(L, -2);
		str = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "string");
		if (!lua_isinteger(L, -3) || !lua_isinteger(L, -2) ||
		    bo < 0 || bo >= LAYOUT_MAX_BITS || bl <= 0 || bl > LAYOUT_MAX_BITS ||
		    (!str && bo % 8 + bl > 64) || (str && (bo % 8 || bl % 8)))
			return luaL_argerror(L, 1, lua_pushfstring(L,
				"bad layout field '%s' (bit offset 0 to %d, %s)",
				lua_tostring(L, -5), LAYOUT_MAX_BITS - 1,
				str ? "whole bytes" : "at most 64 bits, within 8 bytes"));
		lua_pop(L, 3);
		f->first = bo / 8;
		f->nbytes = (bo % 8 + bl + 7) / 8;
		f->str = str;
		f->shift = str ? 0 : f->nbytes * 8 - bo % 8 - bl;
		f->mask = str || bl == 64 ? ~0ULL : (1ULL << bl) - 1;
		lua_pushvalue(L, -2);
		lua_pushinteger(L, ++i);
		lua_rawset(L, 3);		/* names[name] = index */
		lua_pop(L, 1);
	}
	lay->nfields = i;
	lua_setiuservalue(L, 2, 1);
	luaL_setmetatable(L, LAYOUT_MT);
	return 1;
}

/* The field named by argument 2 of the layout or view at idx, or NULL. */
static const struct layout_field *find_field(lua_State *L, int idx,
					     const struct layout *lay)
{
	lua_Integer i;

	lua_getiuservalue(L, idx, 1);	/* names */
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	i = lua_tointeger(L, -1);
	lua_pop(L, 2);
	if (i < 1 || i > lay->nfields)
		return NULL;
	return &lay->fields[i - 1];
}

/* layout.name -> {bit_offset, bit_length [, "string"]}, a copy [-0, +1] */
static int layout_index(lua_State *L)
{
	const struct layout *lay = luaL_checkudata(L, 1, LAYOUT_MT);
	const struct layout_field *f = find_field(L, 1, lay);
	unsigned int bo;

	if (!f)
		return 0;
	bo = f->first * 8 + (f->str ? 0 : f->nbytes * 8 - f->shift -
			     (unsigned int)fls64(f->mask));
	lua_createtable(L, 3, 0);
	lua_pushinteger(L, bo);
	lua_rawseti(L, -2, 1);
	lua_pushinteger(L, f->str ? f->nbytes * 8 : fls64(f->mask));
	lua_rawseti(L, -2, 2);
	if (f->str) {
		lua_pushliteral(L, "string");
		lua_rawseti(L, -2, 3);
	}
	return 1;
}

/* pkt:view(layout, offset) -> view [-0, +1] */
static int packet_view(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	const struct layout *lay;
	const TValue *o;
	lua_Integer off;
	struct view *v;

	check_packet(L);
	lay = xdplua_toudata_tagged(L, 2, &layout_tag);
	if (!lay)
		luaL_typeerror(L, 2, LAYOUT_MT);
	off = xdplua_optint(L, 3, 0);
	luaL_argcheck(L, off >= 0 && off <= VIEW_MAX_OFFSET, 3, "view offset out of range");
	/* the layout's last view (only this function sets it): again? */
	o = xdplua_uservalue(uvalue(xdplua_arg(L, 2)), 2);
	if (o && ttisfulluserdata(o)) {
		v = (struct view *)getudatamem(uvalue(o));
		if (v->off == off) {
			v->gen = cpu->pkt_gen;
			xdplua_push_value(L, o);
			return 1;
		}
	}
	v = lua_newuserdatauv(L, sizeof(*v), 2);
	v->cpu = cpu;
	v->gen = cpu->pkt_gen;
	v->off = off;
	v->layout = lay;
	lua_pushvalue(L, 2);
	lua_setiuservalue(L, -2, 1);
	lua_getiuservalue(L, 2, 1);	/* the layout's names */
	lua_setiuservalue(L, -2, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_setiuservalue(L, 2, 2);	/* the layout's last view */
	return 1;
}

/* The field that key names in view u's layout, or NULL (key may be NULL). */
static inline const struct layout_field *view_lookup(Udata *u, const TValue *key)
{
	const struct view *v = (const struct view *)getudatamem(u);
	const TValue *names = xdplua_uservalue(u, 2), *i;

	if (!key || !names || !ttistable(names))
		return NULL;
	i = ttisshrstring(key) ? luaH_getshortstr(hvalue(names), tsvalue(key)) :
				 luaH_get(hvalue(names), key);
	if (!ttisinteger(i) || ivalue(i) < 1 || ivalue(i) > v->layout->nfields)
		return NULL;
	return &v->layout->fields[ivalue(i) - 1];
}

/* Are the field's bytes in a packet of len bytes? v->off + f->first +
 * f->nbytes is below 2^25, and the check subtracts: no overflow.
 */
static inline bool field_in_packet(const struct view *v,
				   const struct layout_field *f, u32 len)
{
	return f->nbytes <= len && v->off + f->first <= len - f->nbytes;
}

/* The bytes of the field named by argument 2 of view argument 1, or an
 * error. first + nbytes is below 2^25: the check cannot overflow either way.
 */
static u8 *view_field(lua_State *L, const struct layout_field **fp)
{
	struct view *v = xdplua_toudata_tagged(L, 1, &view_tag);
	const struct layout_field *f;
	struct xdp_buff *xdp;
	u32 len, first;

	if (unlikely(!v))
		luaL_typeerror(L, 1, VIEW_MT);
	xdp = v->cpu->xdp;
	if (unlikely(!xdp || v->gen != v->cpu->pkt_gen))
		luaL_error(L, "view used outside the callback that made it");
	f = view_lookup(uvalue(xdplua_arg(L, 1)), xdplua_arg(L, 2));
	if (!f)
		luaL_error(L, "no field '%s' in this layout", luaL_tolstring(L, 2, NULL));
	first = v->off + f->first;
	len = packet_len(xdp);
	if (unlikely(!field_in_packet(v, f, len)))
		luaL_error(L, "field '%s' out of bounds: bytes %d-%d, packet length %d",
			   lua_tostring(L, 2), (int)first, (int)(first + f->nbytes - 1), (int)len);
	*fp = f;
	return (u8 *)xdp->data + first;
}

/* The field's bytes (at most 8) as a big-endian integer. */
static u64 field_bytes(const u8 *p, const struct layout_field *f)
{
	u64 acc = 0;
	unsigned int i;

	for (i = 0; i < f->nbytes; i++)
		acc = (acc << 8) | p[i];
	return acc;
}

/* The value of a number field whose bytes are at p. */
static lua_Integer field_number(const u8 *p, const struct layout_field *f)
{
	return (lua_Integer)((field_bytes(p, f) >> f->shift) & f->mask);
}

static int view_index(lua_State *L)
{
	const struct layout_field *f;
	const u8 *p = view_field(L, &f);

	if (f->str)
		lua_pushlstring(L, (const char *)p, f->nbytes);
	else
		lua_pushinteger(L, field_number(p, f));
	return 1;
}

/* view.name for a number field, in place (xdplua_udata_get); 0 where
 * view_index would raise an error or make a string.
 */
static int view_get(Udata *u, const TValue *key, StkId val)
{
	const struct view *v = (const struct view *)getudatamem(u);
	const struct layout_field *f;
	struct xdp_buff *xdp = v->cpu->xdp;

	if (!xdp || v->gen != v->cpu->pkt_gen)
		return 0;
	f = view_lookup(u, key);
	if (!f || f->str || !field_in_packet(v, f, packet_len(xdp)))
		return 0;
	setivalue(s2v(val), field_number((u8 *)xdp->data + v->off + f->first, f));
	return 1;
}

/*
 * luai_udataget (klua/luaconf.h, klua/patches/lvm-udata-index.patch): t[key]
 * for a full userdata t, tried before Lua looks for t's __index metamethod,
 * so that the common cases cost no call: a method of a metatable that keeps
 * its methods table in slot 2 (packets, table handles) and a number field
 * of a view. 1 if done (the value in val), 0 for anything else, errors
 * included: Lua's own path then calls the metamethod, which raises them.
 */
int xdplua_udata_get(lua_State *L, const TValue *t, const TValue *key, StkId val)
{
	Udata *u = uvalue(t);
	const TValue *slot;

	if (!u->metatable)
		return 0;
	slot = xdplua_mt_slot(u->metatable, 1);
	if (!ttislightuserdata(slot))
		return 0;
	if (pvalue(slot) == &view_tag)
		return view_get(u, key, val);
	slot = xdplua_mt_slot(u->metatable, 2);
	if (!ttistable(slot) || !ttisshrstring(key))
		return 0;
	slot = luaH_getshortstr(hvalue(slot), tsvalue(key));
	if (isempty(slot))
		return 0;
	setobj2s(L, val, slot);
	return 1;
}

/* luai_udatalen (klua/luaconf.h): #pkt in place, during the callback. */
int xdplua_udata_len(lua_State *L, const TValue *t, StkId val)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (getudatamem(uvalue(t)) != cpu->pkt_ud || !cpu->xdp)
		return 0;
	setivalue(s2v(val), packet_len(cpu->xdp));
	return 1;
}

static int view_newindex(lua_State *L)
{
	const struct layout_field *f;
	u8 *p = view_field(L, &f);
	u64 acc, mask;
	int i;

	if (f->str) {
		size_t n;
		const char *s = xdplua_checklstring(L, 3, &n);

		if (n != f->nbytes)
			return luaL_argerror(L, 3, lua_pushfstring(L,
				"field '%s' takes %d bytes, not %d",
				lua_tostring(L, 2), (int)f->nbytes, (int)n));
		memcpy(p, s, n);
		return 0;
	}
	mask = f->mask << f->shift;
	acc = field_bytes(p, f);
	acc = (acc & ~mask) | (((u64)xdplua_checkint(L, 3) << f->shift) & mask);
	for (i = f->nbytes - 1; i >= 0; i--, acc >>= 8)
		p[i] = acc & 0xff;
	return 0;
}

static const luaL_Reg view_meta[] = {
	{"__index", view_index},
	{"__newindex", view_newindex},
	{NULL, NULL}
};

static int packet_tostring(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);

	if (cpu->xdp)
		lua_pushfstring(L, "packet (%d bytes)", (int)packet_len(cpu->xdp));
	else
		lua_pushliteral(L, "packet (expired)");
	return 1;
}

static const luaL_Reg packet_methods[] = {
	{"len", packet_len_l},
	{"u8", packet_u8},
	{"u16", packet_u16},
	{"u32", packet_u32},
	{"unpack", packet_unpack},
	{"set_u8", packet_set_u8},
	{"set_u16", packet_set_u16},
	{"set_u32", packet_set_u32},
	{"bytes", packet_bytes},
	{"set_bytes", packet_set_bytes},
	{"adjust_head", packet_adjust_head},
	{"adjust_tail", packet_adjust_tail},
	{"resize", packet_resize},
	{"ipv4_checksum", packet_ipv4_checksum},
	{"l4_checksum", packet_l4_checksum},
	{"csum_replace", packet_csum_replace},
	{"udp_reply", packet_udp_reply},
	{"view", packet_view},
	{"ifindex", packet_ifindex},
	{"ifname", packet_ifname},
	{"queue", packet_queue},
	{NULL, NULL}
};

static const luaL_Reg packet_meta[] = {
	{"__len", packet_len_l},
	{"__tostring", packet_tostring},
	{"__index", NULL},
	{"__metatable", NULL},
	{NULL, NULL}
};

/* slot 1 of the packet metatable (xdplua_udata_get) */
static const char packet_tag;

/* Push this state's packet object. [-0, +1] */
void xdplua_packet_new(lua_State *L, struct xdplua_cpu *cpu)
{
	struct xdplua_cpu **pp = lua_newuserdatauv(L, sizeof(*pp), 0);

	*pp = cpu;
	cpu->pkt_ud = pp;
	if (new_metatable(L, PACKET_MT)) {
		luaL_setfuncs(L, packet_meta, 0);
		lua_pushlightuserdata(L, (void *)&packet_tag);
		lua_rawseti(L, -2, 1);
		/* upvalue 1: the view metatable (pkt:view) */
		luaL_newlibtable(L, packet_methods);
		luaL_getmetatable(L, VIEW_MT);
		luaL_setfuncs(L, packet_methods, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, 2);	/* the methods, for xdplua_udata_get */
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "packet");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
}

/* --- the xdp library ---------------------------------------------------- */

/* xdp.cpu() -> the CPU running this state [-0, +1] */
static int xdp_cpu(lua_State *L)
{
	lua_pushinteger(L, raw_smp_processor_id());
	return 1;
}

/* xdp.time() -> monotonic nanoseconds [-0, +1] */
static int xdp_time(lua_State *L)
{
	lua_pushinteger(L, ktime_get_ns());
	return 1;
}

/* xdp.pton(text) -> 4- or 16-byte address, or nil [-0, +1] */
static int xdp_pton(lua_State *L)
{
	size_t n;
	const char *s = xdplua_checklstring(L, 1, &n);
	u8 addr[16];

	if (in4_pton(s, n, addr, -1, NULL))
		lua_pushlstring(L, (const char *)addr, 4);
	else if (in6_pton(s, n, addr, -1, NULL))
		lua_pushlstring(L, (const char *)addr, 16);
	else
		luaL_pushfail(L);
	return 1;
}

/* xdp.ntop(address) -> text, for a 4- or 16-byte address [-0, +1] */
static int xdp_ntop(lua_State *L)
{
	size_t n;
	const char *a = xdplua_checklstring(L, 1, &n);
	char buf[48];

	if (n == 4)
		snprintf(buf, sizeof(buf), "%pI4", a);
	else if (n == 16)
		snprintf(buf, sizeof(buf), "%pI6c", a);
	else
		return luaL_argerror(L, 1, "4 or 16 bytes expected");
	lua_pushstring(L, buf);
	return 1;
}

/* xdp.log(fmt, ...): string.format to the kernel log, rate-limited */
static DEFINE_RATELIMIT_STATE(log_limit, 5 * HZ, 100);

static int xdp_log(lua_State *L)
{
	struct xdplua_cpu *cpu = xdplua_cpu_of(L);
	int n = lua_gettop(L);

	lua_getglobal(L, "string");
	lua_getfield(L, -1, "format");
	lua_insert(L, 1);
	lua_pop(L, 1);
	lua_call(L, n, 1);
	if (__ratelimit(&log_limit)) {
		char line[256];

		strscpy(line, lua_tostring(L, -1), sizeof(line));
		xdplua_sanitize(line);	/* one line: no forged log lines */
		pr_info("%s: %s\n", cpu->script->name, line);
	}
	return 0;
}

static const luaL_Reg xdp_funcs[] = {
	{"cpu", xdp_cpu},
	{"time", xdp_time},
	{"pton", xdp_pton},
	{"ntop", xdp_ntop},
	{"log", xdp_log},
	{"layout", xdp_layout},
	{NULL, NULL}
};

/* The layouts of common headers, bit offsets as in the RFCs' diagrams. */
static const char headers_lua[] =
	"local xdp = ...\n"
	"xdp.ethernet = xdp.layout{dst = {0, 48, 'string'}, src = {48, 48, 'string'}, type = {96, 16}}\n"
	"xdp.vlan = xdp.layout{pcp = {0, 3}, dei = {3, 1}, vid = {4, 12}, type = {16, 16}}\n"
	"xdp.ipv4 = xdp.layout{version = {0, 4}, ihl = {4, 4}, dscp = {8, 6}, ecn = {14, 2},\n"
	"  len = {16, 16}, id = {32, 16}, flags = {48, 3}, frag = {51, 13}, ttl = {64, 8},\n"
	"  proto = {72, 8}, csum = {80, 16}, src = {96, 32, 'string'}, dst = {128, 32, 'string'}}\n"
	"xdp.ipv6 = xdp.layout{version = {0, 4}, class = {4, 8}, flow = {12, 20}, len = {32, 16},\n"
	"  next = {48, 8}, hops = {56, 8}, src = {64, 128, 'string'}, dst = {192, 128, 'string'}}\n"
	"xdp.udp = xdp.layout{sport = {0, 16}, dport = {16, 16}, len = {32, 16}, csum = {48, 16}}\n"
	"xdp.tcp = xdp.layout{sport = {0, 16}, dport = {16, 16}, seq = {32, 32}, ack = {64, 32},\n"
	"  off = {96, 4}, flags = {104, 8}, window = {112, 16}, csum = {128, 16}, urg = {144, 16}}\n"
	"xdp.icmp = xdp.layout{type = {0, 8}, code = {8, 8}, csum = {16, 16}, id = {32, 16}, seq = {48, 16}}\n"
	"xdp.dns = xdp.layout{id = {0, 16}, qr = {16, 1}, opcode = {17, 4}, aa = {21, 1}, tc = {22, 1},\n"
	"  rd = {23, 1}, ra = {24, 1}, z = {25, 1}, ad = {26, 1}, cd = {27, 1}, rcode = {28, 4},\n"
	"  qdcount = {32, 16}, ancount = {48, 16}, nscount = {64, 16}, arcount = {80, 16}}\n";

static const struct {
	const char *upper, *lower;
	int action;
} verdicts[] = {
	{"ABORTED", "aborted", XDP_ABORTED},
	{"DROP", "drop", XDP_DROP},
	{"PASS", "pass", XDP_PASS},
	{"TX", "tx", XDP_TX},
	{"REDIRECT", "redirect", XDP_REDIRECT},
};

/*
 * luai_constfield (klua/luaconf.h): xdp.ABORTED ... xdp.REDIRECT, where xdp
 * is a global name, are constants of the language: the parser compiles them
 * to their numbers (klua/patches/lparser-const-fields.patch), which saves
 * two table lookups per verdict. A script that wants another table under
 * the name declares it local.
 */
int xdplua_const_field(const char *global, const char *field, long long *value)
{
	int i;

	if (strcmp(global, "xdp"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(verdicts); i++)
		if (!strcmp(field, verdicts[i].upper)) {
			*value = verdicts[i].action;
			return 1;
		}
	return 0;
}

int luaopen_xdp(lua_State *L)
{
	int i;

	luaL_newlib(L, xdp_funcs);
	lua_createtable(L, 0, ARRAY_SIZE(verdicts));	/* xdp.action */
	for (i = 0; i < ARRAY_SIZE(verdicts); i++) {
		lua_pushinteger(L, verdicts[i].action);
		lua_setfield(L, -3, verdicts[i].upper);
		lua_pushinteger(L, verdicts[i].action);
		lua_setfield(L, -2, verdicts[i].lower);
	}
	lua_setfield(L, -2, "action");

	new_metatable(L, LAYOUT_MT);
	lua_pushlightuserdata(L, (void *)&layout_tag);
	lua_rawseti(L, -2, 1);
	lua_pushcfunction(L, layout_index);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "layout");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
	new_metatable(L, VIEW_MT);
	lua_pushlightuserdata(L, (void *)&view_tag);
	lua_rawseti(L, -2, 1);
	luaL_setfuncs(L, view_meta, 0);
	lua_pushliteral(L, "view");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);

	if (luaL_loadbufferx(L, headers_lua, sizeof(headers_lua) - 1, "=xdp.headers", "t"))
		return lua_error(L);
	lua_pushvalue(L, -2);
	lua_call(L, 1, 0);
	return 1;
}
