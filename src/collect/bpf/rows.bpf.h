/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rows as array indices: device slots taken the first time a device is
 * seen, keyed rows (flows, qdiscs, drop sites) taken the first time their
 * key is seen, and sampled admission of skbs to per-skb pairing. Only the
 * BPF collector's object (netlat.bpf.c) includes this.
 */
#ifndef NETLAT_ROWS_BPF_H
#define NETLAT_ROWS_BPF_H

#include "common.bpf.h"

/* Device slots in use by this load (<= NL_BPF_MAX_DEVS): sizes every per-device table. */
const volatile __u32 nl_ndevs = NL_BPF_MAX_DEVS;
#define NL_DEV_NONE	((__u32)-1)	/* filtered out by --dev/--netns, or no slot left */
/* Slot 0, "no device" (the backlog), or NL_DEV_NONE when --dev/--netns leave it out. */
const volatile __u32 nl_no_dev_slot = 0;

volatile __u32 nl_admit_shift = 0;	/* follow 1 skb in 2^shift stage by stage (the governor) */
volatile __u32 nl_devs_taken = 1;	/* slot 0 is "no device" */

/* ---- taking a fresh index without fetch atomics (Linux 5.12+): claims arbitrate ---- */

/*
 * Index claims: the first CPU to insert idx here owns it. A counter read
 * and bumped without atomics can hand one idx to two CPUs at once; the
 * NOEXIST insert cannot, so the loser moves on to the next index.
 */
#define NL_CLAIM_TRIES	4

static __always_inline __u32 nl_claim(void *claims, volatile __u32 *taken, __u32 max)
{
	__u32 one = 1;

	for (int i = 0; i < NL_CLAIM_TRIES; i++) {
		__u32 idx = *taken + i;

		if (idx >= max)
			break;
		if (bpf_map_update_elem(claims, &idx, &one, BPF_NOEXIST) == 0) {
			*taken = idx + 1;
			return idx;
		}
	}
	nl_session_inc(NL_BPF_EV_LOST);
	return (__u32)-1;
}

/* ---- device slots ---- */

/* (ifindex, netns) -> slot: looked up only when this CPU's cache misses. */
struct nl_dev_id {
	__u32 ifindex;
	__u32 netns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NL_BPF_MAX_DEVS);
	__type(key, struct nl_dev_id);
	__type(value, __u32);
} nl_dev_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NL_BPF_MAX_DEVS);
	__type(key, __u32);
	__type(value, __u32);
} nl_dev_claims SEC(".maps");

/* Slot -> what the device is called, for user space; written once when the slot is taken. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NL_BPF_MAX_DEVS);
	__type(key, __u32);
	__type(value, struct nl_bpf_dev);
} nl_devs SEC(".maps");

/*
 * A small direct-mapped cache per CPU, indexed by ifindex: a hit costs one
 * array lookup and two compares. The address check tells apart devices of
 * one ifindex in different namespaces (every namespace's lo is 1).
 */
#define NL_DEV_CACHE	64
struct nl_dev_cache_ent {
	__u64 dev;
	__u32 ifindex;
	__u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_DEV_CACHE);
	__type(key, __u32);
	__type(value, struct nl_dev_cache_ent);
} nl_dev_cache SEC(".maps");


/* Name dev (first sight only) and tell whether it passes --dev. */
static __always_inline bool nl_dev_take_name(const struct net_device *dev, struct nl_bpf_dev *d)
{
	bpf_core_read_str(d->name, NL_BPF_DEV_LEN, &dev->name);
	if (!nl_filter.dev[0])
		return true;
#pragma unroll
	for (int i = 0; i < NL_BPF_DEV_LEN; i++) {
		if (d->name[i] != nl_filter.dev[i])
			return false;
		if (!d->name[i])
			break;
	}
	return true;
}

/*
 * A device seen for the first time (on this CPU): its slot from the shared
 * table, or a new one. A device the filters leave out gets the slot
 * NL_DEV_NONE in the table too, so it is named and judged only once.
 */
static __noinline __u32 nl_dev_resolve(const struct net_device *dev, __u32 ifindex)
{
	/* probe reads: dev may be a typed pointer or a number (sockq finds devices by hand) */
	struct nl_dev_id id = { .ifindex = ifindex, .netns = BPF_CORE_READ(dev, nd_net.net, ns.inum) };
	struct nl_bpf_dev d = {};
	__u32 *known, slot;

	known = bpf_map_lookup_elem(&nl_dev_ids, &id);
	if (known)
		return *known;
	d.ifindex = ifindex;
	d.netns = id.netns;
	d.dev = nl_addr(dev);
	if (!nl_dev_take_name(dev, &d) || !nl_netns_ok(id.netns)) {
		slot = NL_DEV_NONE;
	} else {
		slot = nl_claim(&nl_dev_claims, &nl_devs_taken, nl_ndevs < NL_BPF_MAX_DEVS ? nl_ndevs : NL_BPF_MAX_DEVS);
		if (slot == (__u32)-1)
			return NL_DEV_NONE;	/* not remembered: counted lost each time */
	}
	if (slot != NL_DEV_NONE)
		bpf_map_update_elem(&nl_devs, &slot, &d, BPF_ANY);
	bpf_map_update_elem(&nl_dev_ids, &id, &slot, BPF_NOEXIST);
	known = bpf_map_lookup_elem(&nl_dev_ids, &id);
	return known ? *known : slot;	/* another CPU may have taken it first */
}

/*
 * dev's slot, or NL_DEV_NONE when --dev/--netns leave it out. No device
 * (the backlog) is slot 0, judged against the filters by user space before
 * load (nl_no_dev_slot).
 */
/* The slot of the device at address dev with this ifindex (resolve reads it by probe reads). */
static __always_inline __u32 nl_dev_slot_at(__u64 dev, __u32 ifindex)
{
	__u32 idx = ifindex & (NL_DEV_CACHE - 1), slot;
	struct nl_dev_cache_ent *c = bpf_map_lookup_elem(&nl_dev_cache, &idx);

	if (c && c->dev == dev && c->ifindex == ifindex)
		return c->slot;
	slot = nl_dev_resolve((const struct net_device *)dev, ifindex);
	if (c) {
		c->dev = dev;
		c->ifindex = ifindex;
		c->slot = slot;
	}
	return slot;
}

static __always_inline __u32 nl_dev_slot(const struct net_device *dev)
{
	if (!dev)
		return nl_no_dev_slot;
	return nl_dev_slot_at(nl_addr(dev), NL_RD(dev, ifindex));
}

/* ---- per-skb records: a 2-way set-associative table, and sampled admission ---- */

/*
 * A hash of an skb's data buffer address (a number, unlike the skb pointer
 * in tp_btf; unique while the skb lives), multiplicative, as slab
 * addresses share low and high bits.
 */
static __always_inline __u32 nl_head_hash(__u64 head)
{
	/*
	 * In tp_btf, skb->head is a typed pointer too (6.18: untrusted mem),
	 * on which arithmetic stays a pointer; a 32-bit move of a pointer
	 * gives root its low bits as a number, and those suffice for a hash.
	 */
	__u32 lo = (__u32)head;

#if NL_BTF
	asm volatile("%[lo] = %[lo]" : [lo] "+w"(lo));	/* the explicit mov32 clang would fold away */
#endif
	return lo * 0x9E3779B1U;
}

/*
 * The first stage's decision for an skb: followed stage by stage with
 * probability 2^-shift (a random draw, not a function of the address: a
 * handful of recycled slab addresses would otherwise be all in or all out).
 */
static __always_inline bool nl_admit(void)
{
	__u32 shift = nl_admit_shift;
	bool in = !shift || (bpf_get_prandom_u32() & ((1U << (shift & 15)) - 1)) == 0;

	nl_session_inc(NL_BPF_EV_OFFERED);
	if (in)
		nl_session_inc(NL_BPF_EV_ADMITTED);
	return in;
}

/*
 * The records of skbs in flight, in an array of buckets of two records,
 * bucket = hash of the skb's data buffer: finding a record is one array
 * lookup and two compares, starting one is a write in place (an LRU hash
 * costs hundreds of ns on every insert). A record is the skb's when both
 * its address and its data buffer match (a clone shares the buffer, a
 * reused address gets a new one). A third skb in a full bucket takes the
 * older record's place, which then yields no interval, as an LRU eviction
 * would. The record type starts with __u64 addr, head; head 0 is a free way.
 */
#define NL_SKB_WAYS	2
#define NL_SKB_TABLE(pfx, rectype, bits)					\
struct pfx##_bucket {								\
	rectype way[NL_SKB_WAYS];						\
};										\
struct {									\
	__uint(type, BPF_MAP_TYPE_ARRAY);					\
	__uint(max_entries, 1 << (bits));					\
	__type(key, __u32);							\
	__type(value, struct pfx##_bucket);					\
} pfx##_table SEC(".maps");							\
static __always_inline struct pfx##_bucket *pfx##_bucket_of(__u64 head)	\
{										\
	__u32 i = nl_head_hash(head) >> (32 - (bits));				\
										\
	return bpf_map_lookup_elem(&pfx##_table, &i);				\
}										\
/* The record of the skb at addr with data buffer head, or NULL. */		\
static __always_inline rectype *pfx##_get(__u64 addr, __u64 head)		\
{										\
	struct pfx##_bucket *b = pfx##_bucket_of(head);				\
										\
	if (!b || !head)							\
		return NULL;							\
	if (b->way[0].head == head && b->way[0].addr == addr)			\
		return &b->way[0];						\
	if (b->way[1].head == head && b->way[1].addr == addr)			\
		return &b->way[1];						\
	return NULL;								\
}										\
/* A fresh, zeroed record for the skb (its own, a free way, or the older one). */ \
static __always_inline rectype *pfx##_put(__u64 addr, __u64 head)		\
{										\
	struct pfx##_bucket *b = pfx##_bucket_of(head);				\
	rectype *r;								\
										\
	if (!b || !head)							\
		return NULL;							\
	r = &b->way[0];								\
	if (!(b->way[0].head == head && b->way[0].addr == addr) &&		\
	    ((b->way[1].head == head && b->way[1].addr == addr) ||		\
	     (b->way[0].head && (!b->way[1].head ||				\
				 b->way[1].t_first < b->way[0].t_first))))	\
		r = &b->way[1];							\
	__builtin_memset(r, 0, sizeof(*r));					\
	r->addr = addr;								\
	r->head = head;								\
	return r;								\
}

/* ---- keyed rows (flows, qdiscs, drop sites): key -> dense index, once per key ---- */

/*
 * A keyed row table: hash from the row's key to its index in the metric's
 * per-CPU array, and the key by index for user space. One hash lookup per
 * hit; the index is claimed the first time a key is seen.
 */
#define NL_KEYED_ROWS(pfx, keytype, max)					\
struct {									\
	__uint(type, BPF_MAP_TYPE_HASH);					\
	__uint(max_entries, max);						\
	__type(key, keytype);							\
	__type(value, __u32);							\
} pfx##_ids SEC(".maps");							\
struct {									\
	__uint(type, BPF_MAP_TYPE_HASH);					\
	__uint(max_entries, max);						\
	__type(key, __u32);							\
	__type(value, __u32);							\
} pfx##_claims SEC(".maps");							\
struct {									\
	__uint(type, BPF_MAP_TYPE_ARRAY);					\
	__uint(max_entries, max);						\
	__type(key, __u32);							\
	__type(value, keytype);							\
} pfx##_keys SEC(".maps");							\
volatile __u32 pfx##_taken = 0;								\
static __noinline __u32 pfx##_take(const keytype *key)			\
{										\
	__u32 idx = nl_claim(&pfx##_claims, &pfx##_taken, (max)), *got;	\
										\
	if (idx == (__u32)-1)							\
		return idx;							\
	bpf_map_update_elem(&pfx##_keys, &idx, key, BPF_ANY);			\
	bpf_map_update_elem(&pfx##_ids, key, &idx, BPF_NOEXIST);		\
	got = bpf_map_lookup_elem(&pfx##_ids, key);				\
	return got ? *got : (__u32)-1;						\
}										\
static __always_inline __u32 pfx##_index(const keytype *key)			\
{										\
	__u32 *idx = bpf_map_lookup_elem(&pfx##_ids, key);			\
										\
	return idx ? *idx : pfx##_take(key);					\
}

/* ---- a per-CPU cache in front of a keyed table: no key built, no hash, on a hit ---- */

/*
 * Building a flow's or a process's key (comm, addresses) and hashing it
 * costs more than the rest of a hit. The same socket or thread comes back
 * hit after hit: a small direct-mapped cache per CPU remembers its row
 * index, tagged with what identifies it cheaply (a socket's address and
 * ports, a thread id). A row's key is taken at first sight: a thread that
 * renames itself keeps its row under the old name.
 */
#define NL_ROW_CACHE	64

struct nl_row_cache_ent {
	__u64 a, b;		/* the tags: equal on both, the row is idx */
	__u32 c;
	__u32 idx;
};

struct nl_row_cache_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_ROW_CACHE);
	__type(key, __u32);
	__type(value, struct nl_row_cache_ent);
};

/* This CPU's cache entry for the tags (a, b, c), hashed by h; *hit when it holds them. */
static __always_inline struct nl_row_cache_ent *nl_row_cached(void *cache, __u32 h, __u64 a, __u64 b, __u32 c,
							     bool *hit)
{
	__u32 slot = (h * 0x9E3779B1U) >> (32 - 6);
	struct nl_row_cache_ent *e = bpf_map_lookup_elem(cache, &slot);

	*hit = e && e->a == a && e->b == b && e->c == c && e->idx != (__u32)-1;
	return e;
}

static __always_inline void nl_row_cache_fill(struct nl_row_cache_ent *e, __u64 a, __u64 b, __u32 c, __u32 idx)
{
	if (!e)
		return;
	e->a = a;
	e->b = b;
	e->c = c;
	e->idx = idx;
}

#endif
