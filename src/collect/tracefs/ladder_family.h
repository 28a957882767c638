/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rx and tx tracefs families share: events queued and replayed in
 * time order, a record per skb in flight that begins with where and when
 * its life began, and one row per (device, stage) with a packet count and
 * a latency histogram. The family's state begins with a struct tfs_ladder,
 * so the ladder and the state are one pointer (the event's priv, the
 * replay's arg).
 */
#ifndef NETLAT_LADDER_FAMILY_H
#define NETLAT_LADDER_FAMILY_H

#include "collect/tracefs/skb_table.h"
#include "collect/tracefs/tracefs_int.h"

/* Every ladder record's first member. */
struct tfs_ladder_rec {
	uint64_t t_first;
	char dev[TFS_NAME_MAX];		/* "(no_device)" when the event named none */
};

typedef void (*tfs_replay_fn)(void *arg, const struct nl_evq_ev *ev);

struct tfs_ladder {
	struct nl_skbtab tab;
	struct nl_evq q;
	char only_dev[16];		/* --dev, or "" */
	struct tfs_rows rows;		/* name = device, aux = stage */
	uint64_t newest;		/* newest event replayed: records older than max age go */
	tfs_replay_fn replay;		/* the family's, called in time order */
	void (*stage_key)(char *key, size_t len, const char *dev, uint64_t stage);
};

/* The row layout of a ladder metric: every (stage, device) row has these two. */
#define TFS_LADDER_LAYOUT(m) {					\
	.metric = (m),						\
	.ctr = { "packets" }, .ctr_unit = { "pkts" },		\
	.hist = { "latency" }, .hist_unit = { "ns" },		\
}

/* 0, or -ENOMEM with why. */
int tfs_ladder_init(struct tfs_ladder *l, struct tfs_ctx *c, unsigned int tab_bits, uint64_t max_age_ns,
		    size_t queue_max, char *why, size_t whylen);
void tfs_ladder_free(struct tfs_ladder *l);
/* Queue an event of the skb in ev's field 0 (the event's priv is the ladder). */
struct nl_evq_ev *tfs_ladder_queue(struct tfs_event *ev, int cpu, uint64_t ts, uint16_t type,
				   const void *data);
/* Note ev as replayed (call first thing in the replay). */
void tfs_ladder_seen(struct tfs_ladder *l, const struct nl_evq_ev *ev);
/* A new life at ev's address, on ev's device: the zeroed record, or NULL (another device, table full). */
struct tfs_ladder_rec *tfs_ladder_begin(struct tfs_ladder *l, const struct nl_evq_ev *ev);
/* The record of skb, or NULL. */
struct tfs_ladder_rec *tfs_ladder_find(struct tfs_ladder *l, uint64_t skb);
/* The skb's life is over (freed, or its record no longer fits what was seen). */
void tfs_ladder_end(struct tfs_ladder *l, uint64_t skb);
/* One interval t0 -> t1 of a packet at stage (no interval when t0 is 0 or after t1). */
void tfs_ladder_put(struct tfs_ladder *l, unsigned int stage, const char *dev, uint64_t t0, uint64_t t1);
/* Replay what is queued, age out stale records, emit the rows to iv. */
void tfs_ladder_snapshot(struct tfs_ladder *l, const struct tfs_row_layout *lay, struct nl_interval *iv);

#endif
