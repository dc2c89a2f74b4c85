/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDPLua's port layer, userspace side: the part of the kernel's API that
 * the runtime (module/lua_xdp.c, script.c, table.c, lua_table.c, klua/)
 * uses, on top of the C library and liburcu. module/port.h includes this
 * header when __KERNEL__ is not defined; the runtime's sources are the
 * module's, unchanged.
 *
 * The model:
 *  - "CPUs" are slots 0 .. nr_cpu_ids - 1 (xdplua_port_set_cpus()); the
 *    calling thread says which slot it runs on (xdplua_port_set_cpu()).
 *    Per-CPU variables (DEFINE_PER_CPU) are per thread.
 *  - RCU is liburcu (the memb flavour); threads that read must be
 *    registered (xdplua_port_thread_init()).
 *  - Allocations are malloc'd with a small header that remembers the size
 *    (for ksize(), with the kernel's kmalloc size classes); under ASan the
 *    header is poisoned.
 *  - The kernel log is stderr, or a function set by xdplua_port_set_log().
 *  - Packets are the xdp_buff of a BPF_PROG_TEST_RUN: 4 KiB frames with
 *    XDP_PACKET_HEADROOM before the data, on "lo" (ifindex 1), queue 0.
 */
#ifndef XDPLUA_PORT_USER_H
#define XDPLUA_PORT_USER_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <linux/types.h>
#include <linux/bpf.h>		/* enum xdp_action */
#include <linux/if_ether.h>	/* ETH_HLEN, ETH_ALEN */
#include <linux/in.h>		/* IPPROTO_* */

/* --- types and compiler ------------------------------------------------- */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef unsigned int gfp_t;

#define __rcu
#define __percpu
#define __user
#define __init
#define __exit
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((__noreturn__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define noinline		__attribute__((__noinline__))
#define barrier()		__asm__ __volatile__("" : : : "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(n, d)	DIV_ROUND_UP((unsigned long long)(n), (d))
#define BUG()			xdplua_port_bug(__FILE__, __LINE__)
#define BUG_ON(c)		do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c)		xdplua_port_warn_on(!!(c), __FILE__, __LINE__)
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define lockdep_assert_held(l)	((void)(l))
#define might_sleep()		do { } while (0)

void xdplua_port_bug(const char *file, int line) __noreturn;
int xdplua_port_warn_on(int cond, const char *file, int line);

#define U8_MAX			((u8)~0U)
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)
#define S32_MAX			((s32)(U32_MAX >> 1))
#define S64_MAX			((s64)(U64_MAX >> 1))
#define S64_MIN			(-S64_MAX - 1)
#define NSEC_PER_USEC		1000L
#define NSEC_PER_MSEC		1000000L
#define NSEC_PER_SEC		1000000000L
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_ALIGN(n)		(((n) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
/* The size of a struct with a flexible array of n elements (saturating). */
#define struct_size(p, member, n) ({					\
	size_t _sz;							\
	__builtin_mul_overflow(sizeof(*(p)->member), (size_t)(n), &_sz) || \
	__builtin_add_overflow(_sz, sizeof(*(p)), &_sz) ? SIZE_MAX : _sz; })
#define array_size(a, b) ({						\
	size_t _sz;							\
	__builtin_mul_overflow((size_t)(a), (size_t)(b), &_sz) ? SIZE_MAX : _sz; })

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned long __ffs(unsigned long x)
{
	return __builtin_ctzl(x);
}

static inline int ilog2(u64 n)
{
	return fls64(n) - 1;
}

/* AddressSanitizer builds (the fuzzers): memory the runtime must not touch
 * is poisoned.
 */
#if defined(__SANITIZE_ADDRESS__)
#define XDPLUA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XDPLUA_ASAN 1
#endif
#endif
#ifdef XDPLUA_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n)		((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n)	((void)(p), (void)(n))
#endif

/*
 * The stack pointer, as the runtime uses it: to bound the C stack Lua uses
 * below the point where it entered Lua (script.c). Sanitizers make frames
 * several times larger; their builds measure the stack in units of
 * XDPLUA_STACK_SCALE bytes, so that the bound stands for about the same
 * depth of calls as in the kernel.
 */
#ifdef XDPLUA_ASAN
#define XDPLUA_STACK_SCALE	4
#else
#define XDPLUA_STACK_SCALE	1
#endif
#define current_stack_pointer \
	((unsigned long)__builtin_frame_address(0) / XDPLUA_STACK_SCALE)
/* the kernel's stack size on x86_64 without KASAN (script.c's C-stack bound) */
#define THREAD_SIZE		(16 << 10)

/* The C stack Lua runs on (module/cstack.c in the kernel): here the
 * thread's own, which is large; Lua gets the room it gets on the kernel's
 * own stack for it (64 KiB, of which Lua uses up to 40 KiB).
 */
#define XDPLUA_CSTACK_ROOM	(5 * THREAD_SIZE / 2)
#define XDPLUA_CSTACK_SHALLOW	(5 * THREAD_SIZE / 16)
#define XDPLUA_CSTACK_ERROR_ROOM	(THREAD_SIZE / 8)
static inline void xdplua_deep_call(void (*fn)(void *arg, unsigned long room),
				    void *arg)
{
	fn(arg, XDPLUA_CSTACK_ROOM);
}

/* --- CPUs, per-CPU data, contexts --------------------------------------- */

extern unsigned int nr_cpu_ids;
extern __thread unsigned int xdplua_port_cpu;

#define raw_smp_processor_id()	(xdplua_port_cpu)
#define smp_processor_id()	(xdplua_port_cpu)
#define num_possible_cpus()	(nr_cpu_ids)
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)

/* alloc_percpu(): one object per CPU slot, in an array. */
void *xdplua_port_alloc_percpu(size_t size);
#define alloc_percpu(type) \
	((type __percpu *)xdplua_port_alloc_percpu(sizeof(type)))
#define free_percpu(p)		kfree(p)
#define per_cpu_ptr(p, cpu)	(&(p)[cpu])
#define this_cpu_ptr(p)		per_cpu_ptr(p, xdplua_port_cpu)

/* DEFINE_PER_CPU variables are per thread. */
#define DEFINE_PER_CPU(type, name)	__thread type name
#define get_cpu_ptr(p)		(p)
#define put_cpu_ptr(p)		((void)(p))

/* No softirqs: these only matter for the kernel's packet path. */
#define local_bh_disable()	do { } while (0)
#define local_bh_enable()	do { } while (0)
#define preempt_disable()	do { } while (0)
#define preempt_enable()	do { } while (0)
#define in_softirq()		0
#define irqs_disabled()		0
#define cond_resched()		do { } while (0)

/* A run can be interrupted (Ctrl-C) while a main chunk runs. */
extern volatile int xdplua_port_interrupted;
#define current			NULL
#define fatal_signal_pending(task)	((void)(task), xdplua_port_interrupted)

/* --- memory ------------------------------------------------------------- */

#define GFP_KERNEL		0x1u
#define GFP_ATOMIC		0x2u
#define GFP_USER		0x4u
#define __GFP_NOWARN		0x8u
#define __GFP_ZERO		0x10u

void *xdplua_port_malloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t size, gfp_t gfp);
void kfree(const void *p);
size_t ksize(const void *p);
char *kstrdup(const char *s, gfp_t gfp);

/*
 * kvmalloc() takes the vmalloc path (is_vmalloc_addr() true) for what the
 * kernel's kmalloc cannot do: more than KMALLOC_MAX_SIZE.
 */
#define KMALLOC_MAX_CACHE_SIZE	(2 * PAGE_SIZE)
#define KMALLOC_MAX_SIZE	(1UL << 22)
#define __GFP_VMALLOC		0x1000u	/* the port's: kvmalloc went to vmalloc */

void *xdplua_port_kvmalloc(size_t size, gfp_t gfp);
bool is_vmalloc_addr(const void *p);
/* The size class kmalloc would give a request: the slab caches of an
 * x86-64 kernel, then whole pages (a power of two of them).
 */
size_t kmalloc_size_roundup(size_t size);

#define kmalloc(size, gfp)	xdplua_port_malloc((size), (gfp))
#define kzalloc(size, gfp)	xdplua_port_malloc((size), (gfp) | __GFP_ZERO)
#define kvmalloc(size, gfp)	xdplua_port_kvmalloc((size), (gfp))
#define kvzalloc(size, gfp)	xdplua_port_kvmalloc((size), (gfp) | __GFP_ZERO)
#define kvcalloc(n, size, gfp)	xdplua_port_kvmalloc(array_size(n, size), \
						     (gfp) | __GFP_ZERO)
#define kmalloc_array(n, size, gfp)	kcalloc((n), (size), (gfp))
#define kvfree(p)		kfree(p)

/* --- atomics ------------------------------------------------------------ */

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { long counter; } atomic_long_t;

#define XDPLUA_ATOMIC_OPS(pfx, a_t, v_t)					\
static inline v_t pfx##_read(const a_t *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }			\
static inline void pfx##_set(a_t *v, v_t i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline v_t pfx##_add_return(v_t i, a_t *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline v_t pfx##_sub_return(v_t i, a_t *v)				\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline void pfx##_add(v_t i, a_t *v) { pfx##_add_return(i, v); }	\
static inline void pfx##_sub(v_t i, a_t *v) { pfx##_sub_return(i, v); }	\
static inline v_t pfx##_inc_return(a_t *v) { return pfx##_add_return(1, v); } \
static inline v_t pfx##_dec_return(a_t *v) { return pfx##_sub_return(1, v); } \
static inline void pfx##_inc(a_t *v) { pfx##_add_return(1, v); }		\
static inline void pfx##_dec(a_t *v) { pfx##_sub_return(1, v); }

XDPLUA_ATOMIC_OPS(atomic, atomic_t, int)
XDPLUA_ATOMIC_OPS(atomic64, atomic64_t, s64)
XDPLUA_ATOMIC_OPS(atomic_long, atomic_long_t, long)

/* --- locks -------------------------------------------------------------- */

typedef struct { int locked; } spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#define DEFINE_SPINLOCK(name)		spinlock_t name = { 0 }
#define spin_lock_bh(l)			spin_lock(l)
#define spin_unlock_bh(l)		spin_unlock(l)
#define spin_lock_irqsave(l, flags)	((void)(flags), spin_lock(l))
#define spin_unlock_irqrestore(l, flags)	((void)(flags), spin_unlock(l))

struct mutex {
	pthread_mutex_t m;
};

#define DEFINE_MUTEX(name)	struct mutex name = { PTHREAD_MUTEX_INITIALIZER }
#define mutex_init(l)		pthread_mutex_init(&(l)->m, NULL)
#define mutex_lock(l)		pthread_mutex_lock(&(l)->m)
#define mutex_unlock(l)		pthread_mutex_unlock(&(l)->m)

/* --- RCU (liburcu) ------------------------------------------------------ */

/*
 * Room for liburcu's own struct rcu_head (checked in port_user.c), and
 * the object to free for kfree_rcu().
 */
struct rcu_head {
	void *urcu[2];
	const void *object;
};

void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void rcu_barrier(void);
void xdplua_port_kfree_rcu(struct rcu_head *head, const void *object);

#define kfree_rcu(p, field)	xdplua_port_kfree_rcu(&(p)->field, (p))
#define rcu_dereference(p)	__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_protected(p, c)	((void)(c), (p))
#define rcu_access_pointer(p)	READ_ONCE(p)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)	((p) = (v))

/* --- lists -------------------------------------------------------------- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void list_insert(struct list_head *n, struct list_head *prev,
			       struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	list_insert(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	list_insert(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member)	list_entry((h)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, h, member)				\
	for (pos = list_first_entry(h, __typeof__(*pos), member);	\
	     &pos->member != (h); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, h, member)			\
	for (pos = list_first_entry(h, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member); &pos->member != (h);	\
	     pos = n, n = list_next_entry(n, member))

/* hlists, with the RCU variants table.c uses: readers follow ->next with
 * rcu_dereference(), writers (under the bucket lock) publish with
 * rcu_assign_pointer().
 */
struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct hlist_head {
	struct hlist_node *first;
};

#define INIT_HLIST_HEAD(h)	((h)->first = NULL)
#define hlist_empty(h)		(!READ_ONCE((h)->first))

static inline void hlist_add_head_rcu(struct hlist_node *n,
				      struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	n->pprev = &h->first;
	rcu_assign_pointer(h->first, n);
	if (first)
		first->pprev = &n->next;
}

static inline void hlist_add_tail_rcu(struct hlist_node *n,
				      struct hlist_head *h)
{
	struct hlist_node *last = NULL, *i;

	for (i = h->first; i; i = i->next)
		last = i;
	if (!last) {
		hlist_add_head_rcu(n, h);
		return;
	}
	n->next = NULL;
	n->pprev = &last->next;
	rcu_assign_pointer(last->next, n);
}

/* Readers may still be on n: its ->next stays valid. */
static inline void hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next;

	WRITE_ONCE(*n->pprev, next);
	if (next)
		next->pprev = n->pprev;
	n->pprev = NULL;
}

static inline void hlist_replace_rcu(struct hlist_node *old,
				     struct hlist_node *n)
{
	struct hlist_node *next = old->next;

	n->next = next;
	n->pprev = old->pprev;
	rcu_assign_pointer(*n->pprev, n);
	if (next)
		next->pprev = &n->next;
	old->pprev = NULL;
}

#define hlist_entry_safe(ptr, type, member) ({				\
	__typeof__(ptr) ____p = (ptr);					\
	____p ? container_of(____p, type, member) : NULL; })
#define hlist_for_each_entry_rcu(pos, h, member)			\
	for (pos = hlist_entry_safe(rcu_dereference((h)->first),	\
				    __typeof__(*(pos)), member); pos;	\
	     pos = hlist_entry_safe(rcu_dereference((pos)->member.next), \
				    __typeof__(*(pos)), member))
#define hlist_for_each_entry(pos, h, member)				\
	for (pos = hlist_entry_safe((h)->first, __typeof__(*(pos)), member); \
	     pos; pos = hlist_entry_safe((pos)->member.next,		\
					 __typeof__(*(pos)), member))
#define hlist_for_each_entry_safe(pos, n, h, member)			\
	for (pos = hlist_entry_safe((h)->first, __typeof__(*pos), member); \
	     pos && ({ n = pos->member.next; 1; });			\
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))

/* --- time, randomness, hashing ------------------------------------------ */

#define HZ			250	/* Debian's kernels */
#define jiffies			((unsigned long)get_jiffies_64())
#define jiffies_64		get_jiffies_64()

u64 ktime_get_ns(void);
u64 get_jiffies_64(void);
#define time_after64(a, b)	((s64)((b) - (a)) < 0)
#define time_after_eq64(a, b)	((s64)((a) - (b)) >= 0)
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)

u32 get_random_u32(void);
u64 get_random_u64(void);

u32 jhash(const void *key, u32 length, u32 initval);
u32 jhash_2words(u32 a, u32 b, u32 initval);

/* --- strings, characters, byte order ------------------------------------ */

ssize_t strscpy(char *dst, const char *src, size_t size);
int hex_to_bin(unsigned char ch);

/*
 * The kernel's <linux/ctype.h> classifies ISO 8859-1: bytes 0xc0-0xff are
 * letters (but 0xd7 and 0xf7), 0xa0 is a space. Lua's own files use
 * klua's ASCII-only <ctype.h> in both homes; these are for the runtime's.
 */
extern const unsigned char xdplua_port_ctype[256];
#define XDPLUA_CT_UPPER		0x01
#define XDPLUA_CT_LOWER		0x02
#define XDPLUA_CT_DIGIT		0x04
#define XDPLUA_CT_SPACE		0x08
#define XDPLUA_CT_XDIGIT	0x10
#define XDPLUA_CT_PUNCT		0x20
#define XDPLUA_CT_CNTRL		0x40
#define xdplua_ct(c, m)		(xdplua_port_ctype[(unsigned char)(c)] & (m))
#define isalpha(c)	xdplua_ct(c, XDPLUA_CT_UPPER | XDPLUA_CT_LOWER)
#define isalnum(c)	xdplua_ct(c, XDPLUA_CT_UPPER | XDPLUA_CT_LOWER | XDPLUA_CT_DIGIT)
#define isupper(c)	xdplua_ct(c, XDPLUA_CT_UPPER)
#define islower(c)	xdplua_ct(c, XDPLUA_CT_LOWER)
#define isdigit(c)	xdplua_ct(c, XDPLUA_CT_DIGIT)
#define isxdigit(c)	xdplua_ct(c, XDPLUA_CT_DIGIT | XDPLUA_CT_XDIGIT)
#define isspace(c)	xdplua_ct(c, XDPLUA_CT_SPACE)
#define ispunct(c)	xdplua_ct(c, XDPLUA_CT_PUNCT)
#define iscntrl(c)	xdplua_ct(c, XDPLUA_CT_CNTRL)

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	return (u64)get_unaligned_be32(p) << 32 |
	       get_unaligned_be32((const u8 *)p + 4);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	put_unaligned_be32(v >> 32, p);
	put_unaligned_be32(v, (u8 *)p + 4);
}

/*
 * snprintf() with the kernel's address formats %pI4 and %pI6c (RFC 5952,
 * IPv4-mapped and ISATAP addresses with a dotted quad), and %p as the
 * kernel prints it (hashed: here, a plain hexadecimal number).
 */
__printf(3, 4)
int xdplua_port_snprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0)
int xdplua_port_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
#define snprintf xdplua_port_snprintf
#define vsnprintf xdplua_port_vsnprintf

/* --- logging ------------------------------------------------------------ */

#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"

__printf(1, 2) int printk(const char *fmt, ...);
/* the module's prefix (module/Kbuild defines it for the kernel build) */
#ifndef pr_fmt
#define pr_fmt(fmt)		"xdplua: " fmt
#endif
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)

struct ratelimit_state {
	int interval;		/* jiffies */
	int burst;
	int printed;
	int missed;
	u64 begin;
};

#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init) \
	struct ratelimit_state name = { .interval = (interval_init), \
					.burst = (burst_init) }
int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(rs)		___ratelimit(rs, __func__)

extern struct ratelimit_state xdplua_port_net_ratelimit;
#define net_ratelimit()		__ratelimit(&xdplua_port_net_ratelimit)
#define net_warn_ratelimited(fmt, ...) \
	do { if (net_ratelimit()) pr_warn(fmt, ##__VA_ARGS__); } while (0)

/* --- networking: devices, addresses, XDP buffers ------------------------ */

#ifndef IFNAMSIZ
#define IFNAMSIZ	16
#endif

struct sk_buff;

struct net {
	int unused;
};

typedef struct {
	struct net *net;
} possible_net_t;

#define read_pnet(pnet)		((pnet)->net)
#define write_pnet(pnet, n)	((pnet)->net = (n))
#define net_eq(a, b)		((a) == (b))

struct net_device {
	int ifindex;
	char name[IFNAMSIZ];
	struct net *net;
};

extern struct net init_net;
#define dev_net(dev)		((dev)->net)

/* The interface of that name in the calling process's network namespace,
 * or NULL.
 */
struct net_device *dev_get_by_name_rcu(struct net *net, const char *name);

int in4_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end);
int in6_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end);

struct xdp_rxq_info {
	struct net_device *dev;
	u32 queue_index;
};

struct xdp_txq_info {
	struct net_device *dev;
};

/* What an xdp_frame takes at the start of the headroom (Linux 6.12). */
struct xdp_frame {
	u8 opaque[40];
};

/* The kernel's struct skb_shared_info, at the end of a frame (6.12). */
#define XDPLUA_SKB_SHARED_INFO_SIZE	320
#define SMP_CACHE_BYTES			64
#define SKB_DATA_ALIGN(x)	(((x) + (SMP_CACHE_BYTES - 1)) & ~(SMP_CACHE_BYTES - 1))
#define XDP_PACKET_HEADROOM	256

enum xdp_buff_flags {
	XDP_FLAGS_HAS_FRAGS = 1 << 0,
};

struct xdp_buff {
	void *data;
	void *data_end;
	void *data_meta;
	void *data_hard_start;
	struct xdp_rxq_info *rxq;
	struct xdp_txq_info *txq;
	u32 frame_sz;
	u32 flags;
};

static inline bool xdp_buff_has_frags(const struct xdp_buff *xdp)
{
	return xdp->flags & XDP_FLAGS_HAS_FRAGS;
}

static inline bool xdp_data_meta_unsupported(const struct xdp_buff *xdp)
{
	return xdp->data_meta > xdp->data;
}

static inline void xdp_set_data_meta_invalid(struct xdp_buff *xdp)
{
	xdp->data_meta = (u8 *)xdp->data + 1;
}

static inline void *xdp_data_hard_end(const struct xdp_buff *xdp)
{
	return (u8 *)xdp->data_hard_start + xdp->frame_sz -
	       SKB_DATA_ALIGN(XDPLUA_SKB_SHARED_INFO_SIZE);
}

/* --- the port's own controls (libxdplua) -------------------------------- */

/* Before anything else, in the main thread: CPU slots, RCU, randomness. */
void xdplua_port_init(void);
/* Every other thread that runs Lua or reads tables: */
void xdplua_port_thread_init(void);
void xdplua_port_thread_exit(void);
/* The number of CPU slots (before the first script is created). */
void xdplua_port_set_cpus(unsigned int n);
/* The slot the calling thread runs on. */
void xdplua_port_set_cpu(unsigned int cpu);
/* A fixed seed makes randomness (hash seeds, math.random) repeatable. */
void xdplua_port_seed(u64 seed);
/* The kernel log: each line, without its level; NULL: stderr. */
void xdplua_port_set_log(void (*log)(int level, const char *line));

#endif /* XDPLUA_PORT_USER_H */
