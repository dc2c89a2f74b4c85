// SPDX-License-Identifier: GPL-2.0
/*
 * XDPLua's port layer, userspace side: the kernel functions the runtime
 * calls (port_user.h), on the C library and liburcu.
 */

/* liburcu first, with its struct rcu_head renamed: port_user.h has its
 * own, with room for liburcu's inside.
 */
#define rcu_head urcu_rcu_head
#include <urcu/urcu-memb.h>
#undef rcu_head
#undef rcu_read_lock
#undef rcu_read_unlock
#undef synchronize_rcu
#undef rcu_barrier
#undef call_rcu
#undef rcu_dereference
#undef rcu_assign_pointer

#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/random.h>

#include "port_user.h"

#undef snprintf
#undef vsnprintf

unsigned int nr_cpu_ids = 1;
__thread unsigned int xdplua_port_cpu;
volatile int xdplua_port_interrupted;
struct net init_net;

void xdplua_port_bug(const char *file, int line)
{
	fprintf(stderr, "xdplua: BUG at %s:%d\n", file, line);
	abort();
}

int xdplua_port_warn_on(int cond, const char *file, int line)
{
	if (cond)
		fprintf(stderr, "xdplua: WARNING at %s:%d\n", file, line);
	return cond;
}

/* --- memory ------------------------------------------------------------- */

/*
 * Every allocation starts with a header that holds its size, so that
 * ksize() can answer as the kernel would; ASan sees the header poisoned.
 */
struct alloc_header {
	size_t size;
	u32 magic;
	u32 vmalloc;
};

#define ALLOC_MAGIC	0x786c756dU

static struct alloc_header *header_of(const void *p)
{
	struct alloc_header *h = (struct alloc_header *)p - 1;

	ASAN_UNPOISON_MEMORY_REGION(h, sizeof(*h));
	if (h->magic != ALLOC_MAGIC)
		xdplua_port_bug(__FILE__, __LINE__);
	return h;
}

/*
 * An allocation has its whole kmalloc size class, as in the kernel. Under
 * ASan, it has only the size asked for, as KASAN sees a kmalloc object:
 * using the rest of the size class is an error the sanitizer reports.
 * XDPLUA_PORT_SLAB=1 or 0 in the environment chooses.
 */
static int slab_mode = -1;

void *xdplua_port_malloc(size_t size, gfp_t gfp)
{
	struct alloc_header *h;
	size_t room = size;

	if (size > (size_t)INT_MAX)	/* as kmalloc: no huge requests */
		return NULL;
	if (slab_mode < 0) {
		const char *e = getenv("XDPLUA_PORT_SLAB");

#ifdef XDPLUA_ASAN
		slab_mode = e && *e == '1';
#else
		slab_mode = !e || *e != '0';
#endif
	}
	if (slab_mode && !(gfp & __GFP_VMALLOC) && kmalloc_size_roundup(size) > size)
		room = kmalloc_size_roundup(size);
	h = gfp & __GFP_ZERO ? calloc(1, sizeof(*h) + room) :
			       malloc(sizeof(*h) + room);
	if (!h)
		return NULL;
	h->size = size;
	h->magic = ALLOC_MAGIC;
	h->vmalloc = !!(gfp & __GFP_VMALLOC);
	ASAN_POISON_MEMORY_REGION(h, sizeof(*h));
	return h + 1;
}

void *xdplua_port_kvmalloc(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_SIZE)
		gfp |= __GFP_VMALLOC;
	return xdplua_port_malloc(size, gfp);
}

bool is_vmalloc_addr(const void *p)
{
	bool v;

	if (!p)
		return false;
	v = header_of(p)->vmalloc;
	ASAN_POISON_MEMORY_REGION((struct alloc_header *)p - 1,
				  sizeof(struct alloc_header));
	return v;
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return xdplua_port_malloc(n * size, gfp | __GFP_ZERO);
}

void kfree(const void *p)
{
	struct alloc_header *h;

	if (!p)
		return;
	h = header_of(p);
	h->magic = 0;
	free(h);
}

void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	void *n;

	if (!size) {
		kfree(p);
		return NULL;
	}
	n = xdplua_port_malloc(size, gfp);
	if (n && p) {
		size_t old = header_of(p)->size;

		ASAN_POISON_MEMORY_REGION(header_of(p), sizeof(struct alloc_header));
		memcpy(n, p, old < size ? old : size);
		kfree(p);
	}
	return n;
}

size_t kmalloc_size_roundup(size_t size)
{
	static const size_t classes[] = {
		8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
	};
	size_t i;

	if (!size || size > KMALLOC_MAX_SIZE)
		return size;
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i])
			return classes[i];
	return PAGE_SIZE * roundup_pow_of_two(DIV_ROUND_UP(size, PAGE_SIZE));
}

size_t ksize(const void *p)
{
	size_t size;
	bool v;

	if (!p)
		return 0;
	size = header_of(p)->size;
	v = header_of(p)->vmalloc;
	ASAN_POISON_MEMORY_REGION((struct alloc_header *)p - 1,
				  sizeof(struct alloc_header));
	return v ? PAGE_ALIGN(size) : kmalloc_size_roundup(size);
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n, gfp);

	if (d)
		memcpy(d, s, n);
	return d;
}

void *xdplua_port_alloc_percpu(size_t size)
{
	return kcalloc(nr_cpu_ids, size, GFP_KERNEL);
}

/* --- RCU ---------------------------------------------------------------- */


_Static_assert(sizeof(((struct rcu_head *)0)->urcu) >= sizeof(struct urcu_rcu_head),
	       "struct rcu_head has no room for liburcu's");

void rcu_read_lock(void)
{
	urcu_memb_read_lock();
}

void rcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

void synchronize_rcu(void)
{
	urcu_memb_synchronize_rcu();
}

void rcu_barrier(void)
{
	urcu_memb_barrier();
}

static void kfree_rcu_cb(struct urcu_rcu_head *uhead)
{
	struct rcu_head *head = (struct rcu_head *)uhead;

	kfree(head->object);
}

void xdplua_port_kfree_rcu(struct rcu_head *head, const void *object)
{
	head->object = object;
	urcu_memb_call_rcu((struct urcu_rcu_head *)head->urcu, kfree_rcu_cb);
}

/* --- time and randomness ------------------------------------------------ */

u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

u64 get_jiffies_64(void)
{
	return ktime_get_ns() / (1000000000ULL / HZ);
}

/* SplitMix64: a counter, mixed. Safe from any thread. */
static u64 random_state;
static bool random_seeded;

void xdplua_port_seed(u64 seed)
{
	__atomic_store_n(&random_state, seed, __ATOMIC_RELAXED);
	random_seeded = true;
}

u64 get_random_u64(void)
{
	u64 z = __atomic_add_fetch(&random_state, 0x9e3779b97f4a7c15ULL,
				   __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u32 get_random_u32(void)
{
	return (u32)get_random_u64();
}

/*
 * jhash: Bob Jenkins' lookup3 hash of bytes (jhash) and of two words,
 * as the kernel's table code expects from it: 32 bits, seeded.
 */
static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

#define JHASH_MIX(a, b, c) do {				\
	a -= c; a ^= rol32(c, 4);  c += b;		\
	b -= a; b ^= rol32(a, 6);  a += c;		\
	c -= b; c ^= rol32(b, 8);  b += a;		\
	a -= c; a ^= rol32(c, 16); c += b;		\
	b -= a; b ^= rol32(a, 19); a += c;		\
	c -= b; c ^= rol32(b, 4);  b += a;		\
} while (0)

#define JHASH_FINAL(a, b, c) do {			\
	c ^= b; c -= rol32(b, 14);			\
	a ^= c; a -= rol32(c, 11);			\
	b ^= a; b -= rol32(a, 25);			\
	c ^= b; c -= rol32(b, 16);			\
	a ^= c; a -= rol32(c, 4);			\
	b ^= a; b -= rol32(a, 14);			\
	c ^= b; c -= rol32(b, 24);			\
} while (0)

#define JHASH_INIT	0xdeadbeef

static u32 le32_at(const u8 *p, size_t n)
{
	u32 w = 0;
	size_t i;

	for (i = 0; i < n && i < 4; i++)
		w |= (u32)p[i] << (8 * i);
	return w;
}

u32 jhash(const void *key, u32 length, u32 initval)
{
	const u8 *k = key;
	u32 a, b, c;

	a = b = c = JHASH_INIT + length + initval;
	while (length > 12) {
		a += le32_at(k, 4);
		b += le32_at(k + 4, 4);
		c += le32_at(k + 8, 4);
		JHASH_MIX(a, b, c);
		length -= 12;
		k += 12;
	}
	if (!length)
		return c;
	a += le32_at(k, length);
	if (length > 4)
		b += le32_at(k + 4, length - 4);
	if (length > 8)
		c += le32_at(k + 8, length - 8);
	JHASH_FINAL(a, b, c);
	return c;
}

u32 jhash_2words(u32 a, u32 b, u32 initval)
{
	u32 c = initval + JHASH_INIT + (2 << 2);

	a += c;
	b += c;
	JHASH_FINAL(a, b, c);
	return c;
}

/* --- strings and characters --------------------------------------------- */

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (!size)
		return -E2BIG;
	n = strnlen(src, size);
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return n;
}

int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

#define U	XDPLUA_CT_UPPER
#define L	XDPLUA_CT_LOWER
#define D	XDPLUA_CT_DIGIT
#define S	XDPLUA_CT_SPACE
#define X	XDPLUA_CT_XDIGIT
#define P	XDPLUA_CT_PUNCT
#define C	XDPLUA_CT_CNTRL

/* ISO 8859-1, as the kernel's lib/ctype.c classifies it. */
const unsigned char xdplua_port_ctype[256] = {
	[0 ... '\t' - 1] = C,
	['\t' ... '\r'] = C | S,
	['\r' + 1 ... 31] = C,
	[' '] = S,
	['!' ... '/'] = P,
	['0' ... '9'] = D,
	[':' ... '@'] = P,
	['A' ... 'F'] = U | X,
	['G' ... 'Z'] = U,
	['[' ... '`'] = P,
	['a' ... 'f'] = L | X,
	['g' ... 'z'] = L,
	['{' ... '~'] = P,
	[127] = C,
	[0xa0] = S,
	[0xa1 ... 0xbf] = P,
	[0xc0 ... 0xd6] = U,
	[0xd7] = P,
	[0xd8 ... 0xde] = U,
	[0xdf ... 0xf6] = L,
	[0xf7] = P,
	[0xf8 ... 0xff] = L,
};

#undef U
#undef L
#undef D
#undef S
#undef X
#undef P
#undef C

/* --- addresses ---------------------------------------------------------- */

/*
 * How the kernel's address parsers read the character at s: the end (NUL,
 * past srclen, the delimiter, and with delim -1 any character that cannot
 * be part of an address), a colon, a dot, or a hexadecimal digit's value.
 */
enum { CH_END = -1, CH_COLON = -2, CH_DOT = -3, CH_BAD = -4 };

static int addr_char(const char *s, int left, int delim)
{
	int c = left > 0 ? (unsigned char)*s : '\0';
	int h;

	if (c == '\0' || c == delim)
		return CH_END;
	if (c == ':')
		return CH_COLON;
	if (c == '.')
		return CH_DOT;
	h = hex_to_bin(c);
	if (h >= 0)
		return h;
	return delim == -1 ? CH_END : CH_BAD;
}

/*
 * in4_pton: four decimal numbers 0-255 (leading zeros allowed) separated
 * by dots, ending at the end of src (or, with delim -1, at the first
 * character that is not a digit, a dot or a hexadecimal letter) or at a
 * colon (an address with a port, the end of an IPv6 address). 1 on
 * success, with the address in dst; *end at the character that ended it.
 */
int in4_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end)
{
	const char *s = src;
	u8 addr[4];
	int part = 0, digits = 0, v = 0, ret = 0;

	if (srclen < 0)
		srclen = strlen(src);
	for (;;) {
		int c = addr_char(s, srclen, delim);

		if (c >= 10 || c == CH_BAD)
			goto out;
		if (c >= 0) {
			v = v * 10 + c;
			digits++;
			if (v > 255)
				goto out;
		} else {
			if (!digits)
				goto out;
			addr[part++] = v;
			v = 0;
			digits = 0;
			if (c != CH_DOT) {
				if (part != 4)
					goto out;
				break;
			}
			if (part == 4)
				goto out;
		}
		s++;
		srclen--;
	}
	memcpy(dst, addr, 4);
	ret = 1;
out:
	if (end)
		*end = s;
	return ret;
}

/*
 * in6_pton: groups of hexadecimal digits (a value up to 0xffff, leading
 * zeros allowed) separated by colons; at most one "::" standing for one or
 * more zero groups; the last 32 bits may be a dotted quad. It ends as
 * in4_pton does. The kernel's parser counts "::" as taking at least one
 * group of the sixteen bytes from the start, and so does this one.
 */
int in6_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end)
{
	const char *s = src, *group = src;
	u8 addr[16] = { 0 };
	int n = 0, gap = -1, digits = 0, v = 0, ret = 0;
	bool after_gap = false;

	if (srclen < 0)
		srclen = strlen(src);
	if (addr_char(s, srclen, delim) == CH_COLON) {
		/* only as the start of "::" */
		if (addr_char(s + 1, srclen - 1, delim) != CH_COLON)
			goto out;
		gap = 0;
		after_gap = true;
		s += 2;
		srclen -= 2;
		group = s;
	}
	for (;;) {
		int c = addr_char(s, srclen, delim);
		int used = n + (gap >= 0 ? 2 : 0);	/* "::" takes a group */

		if (c >= 0) {
			if ((digits && v >= 0x1000) || used == 16)
				goto out;
			v = v << 4 | c;
			digits++;
		} else if (c == CH_DOT) {
			/* the last 32 bits, as a dotted quad */
			if (!digits || (gap >= 0 ? n > 10 : n != 12))
				goto out;
			if (!in4_pton(group, srclen + (int)(s - group), addr + n,
				      delim, &s))
				goto out;
			n += 4;
			break;
		} else if (c == CH_COLON) {
			if (digits) {
				/* a group, not the last one there is room for */
				if (used + 2 >= 16)
					goto out;
				addr[n++] = v >> 8;
				addr[n++] = v;
				after_gap = false;
			} else if (gap >= 0 || s == src) {
				goto out;
			} else {
				/* the second colon of "::" */
				gap = n;
				after_gap = true;
			}
			v = 0;
			digits = 0;
			group = s + 1;
		} else if (c == CH_END) {
			if (digits) {
				addr[n++] = v >> 8;
				addr[n++] = v;
			} else if (!after_gap) {
				goto out;	/* "1:" */
			}
			if (gap < 0 && n != 16)
				goto out;
			break;
		}
		if (c == CH_BAD)
			goto out;
		s++;
		srclen--;
	}
	if (gap >= 0) {
		memmove(addr + 16 - (n - gap), addr + gap, n - gap);
		memset(addr + gap, 0, 16 - n);
	}
	memcpy(dst, addr, 16);
	ret = 1;
out:
	if (end)
		*end = s;
	return ret;
}

static size_t put_ipv4(char *p, const u8 *a)
{
	return sprintf(p, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* RFC 5952 text, with a dotted quad for IPv4-mapped and ISATAP addresses */
static size_t put_ipv6c(char *out, const u8 *a)
{
	u16 w[8];
	int i, words = 8, best = -1, best_len = 1, len;
	bool v4, colon = false;
	char *p = out;

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	v4 = (!w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xffff) ||
	     ((w[4] & ~0x0200) == 0 && w[5] == 0x5efe);
	if (v4)
		words = 6;
	for (i = 0; i < words; i += len ? len : 1) {
		for (len = 0; i + len < words && !w[i + len]; len++)
			;
		if (len > best_len) {
			best = i;
			best_len = len;
		}
	}
	for (i = 0; i < words; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			colon = false;
			i += best_len - 1;
			continue;
		}
		if (colon)
			*p++ = ':';
		p += sprintf(p, "%x", w[i]);
		colon = true;
	}
	if (v4) {
		if (colon)
			*p++ = ':';
		p += put_ipv4(p, a + 12);
	}
	*p = '\0';
	return p - out;
}

/* --- formatting --------------------------------------------------------- */

static u64 pointer_key;		/* %p hashes pointers with it */

/*
 * vsnprintf() with the kernel's %pI4, %pI6c and %p. Each conversion is
 * formatted by the C library's snprintf, one at a time.
 */
int xdplua_port_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t out = 0;
	const char *f = fmt;

#define EMIT(str, n) do {						\
	size_t _n = (n);						\
	if (out < size)							\
		memcpy(buf + out, str, out + _n < size ? _n : size - out); \
	out += _n;							\
} while (0)

	while (*f) {
		char spec[64], tmp[512];
		const char *start = f;
		size_t speclen;
		int n = 0;

		if (*f != '%') {
			const char *pct = strchr(f, '%');
			size_t lit = pct ? (size_t)(pct - f) : strlen(f);

			EMIT(f, lit);
			f += lit;
			continue;
		}
		f++;
		if (*f == '%') {
			EMIT("%", 1);
			f++;
			continue;
		}
		f += strspn(f, "-+ #0");
		if (*f == '*') {
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				f++;
		}
		if (*f == '.') {
			f++;
			if (*f == '*')
				f++;
			else
				while (*f >= '0' && *f <= '9')
					f++;
		}
		f += strspn(f, "hlLqjzt");
		if (!*f)
			break;
		speclen = f + 1 - start;
		if (speclen >= sizeof(spec))
			break;
		memcpy(spec, start, speclen);
		spec[speclen] = '\0';
		if (*f == 'p') {
			const void *ptr = va_arg(ap, const void *);

			if (f[1] == 'I' && f[2] == '4') {
				n = put_ipv4(tmp, ptr);
				f += 3;
			} else if (f[1] == 'I' && f[2] == '6' && f[3] == 'c') {
				n = put_ipv6c(tmp, ptr);
				f += 4;
			} else {
				/* hashed in the kernel: 32 bits, 16 digits */
				u64 h = ((uintptr_t)ptr ^ pointer_key) *
					0x9e3779b97f4a7c15ULL;

				n = snprintf(tmp, sizeof(tmp), "%016llx",
					     (unsigned long long)(h >> 32));
				f++;
			}
			EMIT(tmp, n);
			continue;
		}
		f++;
		/* one conversion, with its '*' arguments */
		{
			int stars = 0, a1 = 0, a2 = 0;
			const char *q;
			bool l = false, ll = false, z = false;

			for (q = spec; *q; q++)
				stars += *q == '*';
			if (stars > 0)
				a1 = va_arg(ap, int);
			if (stars > 1)
				a2 = va_arg(ap, int);
			ll = strstr(spec, "ll") || strchr(spec, 'L') ||
			     strchr(spec, 'q') || strchr(spec, 'j');
			l = !ll && strchr(spec, 'l');
			z = strchr(spec, 'z') || strchr(spec, 't');
#define FMT1(arg) (stars == 2 ? snprintf(tmp, sizeof(tmp), spec, a1, a2, arg) : \
		   stars == 1 ? snprintf(tmp, sizeof(tmp), spec, a1, arg) :	\
		   snprintf(tmp, sizeof(tmp), spec, arg))
			switch (f[-1]) {
			case 'd':
			case 'i':
				if (ll)
					n = FMT1(va_arg(ap, long long));
				else if (l || z)
					n = FMT1(va_arg(ap, long));
				else
					n = FMT1(va_arg(ap, int));
				break;
			case 'u':
			case 'x':
			case 'X':
			case 'o':
				if (ll)
					n = FMT1(va_arg(ap, unsigned long long));
				else if (l || z)
					n = FMT1(va_arg(ap, unsigned long));
				else
					n = FMT1(va_arg(ap, unsigned int));
				break;
			case 'c':
				n = FMT1(va_arg(ap, int));
				break;
			case 's':
				n = FMT1(va_arg(ap, const char *));
				break;
			default:	/* not a conversion the runtime uses */
				n = 0;
				break;
			}
#undef FMT1
		}
		if (n < 0)
			n = 0;
		if ((size_t)n >= sizeof(tmp))
			n = sizeof(tmp) - 1;	/* long %s: cut, as a buffer would */
		EMIT(tmp, n);
	}
	if (size)
		buf[out < size ? out : size - 1] = '\0';
	return out;
#undef EMIT
}

int xdplua_port_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xdplua_port_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* --- logging ------------------------------------------------------------ */

static void (*log_fn)(int level, const char *line);

void xdplua_port_set_log(void (*log)(int level, const char *line))
{
	log_fn = log;
}

int printk(const char *fmt, ...)
{
	char line[1024];
	int level = 4, n;
	va_list ap;

	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>') {
		level = fmt[1] - '0';
		fmt += 3;
	}
	va_start(ap, fmt);
	n = xdplua_port_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(line) && line[n - 1] == '\n')
		line[n - 1] = '\0';
	if (log_fn)
		log_fn(level, line);
	else
		fprintf(stderr, "%s\n", line);
	return n;
}

/* At most burst messages per interval; the suppressed ones are counted
 * when the next interval starts.
 */
int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	static DEFINE_SPINLOCK(lock);
	u64 now = get_jiffies_64();
	int ok, missed = 0;

	if (!rs->interval)
		return 1;
	spin_lock(&lock);
	if (!rs->begin)
		rs->begin = now;
	if (time_after64(now, rs->begin + rs->interval)) {
		missed = rs->missed;
		rs->begin = now;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->burst > rs->printed;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	spin_unlock(&lock);
	if (missed)
		printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, missed);
	return ok;
}

/* net.core.message_cost and message_burst */
DEFINE_RATELIMIT_STATE(xdplua_port_net_ratelimit, 5 * HZ, 10);

/* --- network devices ---------------------------------------------------- */

struct net_device *dev_get_by_name_rcu(struct net *net, const char *name)
{
	static __thread struct net_device dev;
	unsigned int ifindex;

	if (strlen(name) >= IFNAMSIZ)
		return NULL;
	ifindex = if_nametoindex(name);
	if (!ifindex)
		return NULL;
	dev.ifindex = ifindex;
	strscpy(dev.name, name, sizeof(dev.name));
	dev.net = net;
	return &dev;
}

/* --- the port's controls ------------------------------------------------ */

void xdplua_port_set_cpus(unsigned int n)
{
	nr_cpu_ids = n ? n : 1;
}

void xdplua_port_set_cpu(unsigned int cpu)
{
	xdplua_port_cpu = cpu < nr_cpu_ids ? cpu : 0;
}

void xdplua_port_thread_init(void)
{
	urcu_memb_register_thread();
}

void xdplua_port_thread_exit(void)
{
	urcu_memb_unregister_thread();
}

void xdplua_port_init(void)
{
	static bool done;
	u64 seed;

	if (done)
		return;
	done = true;
	if (!random_seeded) {
		if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
			seed = ktime_get_ns() ^ ((u64)getpid() << 32);
		xdplua_port_seed(seed);
	}
	pointer_key = get_random_u64();
	urcu_memb_init();
	xdplua_port_thread_init();
}
