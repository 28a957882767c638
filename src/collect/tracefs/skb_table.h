/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rx and tx latency ladders' tracefs pieces: the skb table both tracefs
 * families pair stages with (skb_table.c) and the event queue that puts
 * their per-CPU events back in time order. Stage and point names come from
 * src/metrics/rx/rx.h and src/metrics/tx/tx.h, the one place they are spelt.
 */
#ifndef NETLAT_LADDER_H
#define NETLAT_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rx/rx.h"
#include "rx/sockq.h"
#include "tx/tx.h"

/* ---- tracefs: per-skb records, open addressing keyed by skb address ---- */

/*
 * A record per skb in flight. Lives until the skb is freed, its address
 * starts a new life, or it is older than the table's max age (an skb GRO
 * merged away, or one freed outside the events). data is the family's.
 */
struct nl_skbtab_ent {
	uint64_t skb;			/* 0: free slot */
	uint64_t born;			/* first event, for aging */
	unsigned char data[128];
};

struct nl_skbtab {
	struct nl_skbtab_ent *slot;
	size_t nslots, live;
	uint64_t max_age_ns;
};

int nl_skbtab_init(struct nl_skbtab *t, unsigned int bits, uint64_t max_age_ns);
void nl_skbtab_free(struct nl_skbtab *t);
struct nl_skbtab_ent *nl_skbtab_find(struct nl_skbtab *t, uint64_t skb);
/* Find or make skb's record (data zeroed when new); NULL when full even after aging out at now. */
struct nl_skbtab_ent *nl_skbtab_get(struct nl_skbtab *t, uint64_t skb, uint64_t now, bool *fresh);
void nl_skbtab_del(struct nl_skbtab *t, struct nl_skbtab_ent *e);
/* Drop every record born before now - max age. */
void nl_skbtab_age(struct nl_skbtab *t, uint64_t now);

/*
 * tracefs events arrive per CPU, one CPU's buffer after the other, so two
 * stages of one skb on different CPUs can come in either order. The ladder
 * families queue their events and replay them in time order.
 */
struct nl_evq_ev {
	uint64_t ts;
	uint64_t skb;
	uint32_t seq;			/* arrival order: ties keep it */
	uint16_t type;
	int16_t cpu;
	uint64_t aux;			/* per event: data_len, rc, packets */
	char dev[16];
	unsigned char flow[40];		/* tcp_probe: struct rx_flow */
};

struct nl_evq {
	struct nl_evq_ev *v;
	size_t n, cap, max;
	uint32_t seq;
	uint64_t *cpu_last;		/* newest ts seen per CPU */
	int ncpus;
};

int nl_evq_init(struct nl_evq *q, int ncpus, size_t max);
void nl_evq_free(struct nl_evq *q);
/* A slot for the next event (ts, cpu, type set); replays first through fn when the queue is full. */
struct nl_evq_ev *nl_evq_push(struct nl_evq *q, uint64_t ts, int cpu, uint16_t type,
			      void (*fn)(void *arg, const struct nl_evq_ev *ev), void *arg);
/* Sort and hand events to fn in time order: all of them, or (partial) those every CPU has passed. */
void nl_evq_replay(struct nl_evq *q, bool partial, void (*fn)(void *arg, const struct nl_evq_ev *ev),
		   void *arg);

#endif
