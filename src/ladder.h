/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rx and tx latency ladders' private pieces: the BPF families' glue
 * (bpf_ladder.c, listed in bpf_families.c) and the skb table both tracefs
 * families pair stages with (tfs_skbtab.c). Stage and point names come
 * from src/bpf/rx.h and src/bpf/tx.h, the one place they are spelt.
 */
#ifndef NETLAT_LADDER_H
#define NETLAT_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf_collector.h"
#include "bpf/rx.h"
#include "bpf/sockq.h"
#include "bpf/tx.h"

/* ---- BPF families ---- */

/* Also sets the clock offsets and holds an SO_TIMESTAMPNS socket until destroy. */
int nlb_rx_open(struct nlb_skel *s);
int nlb_rx_load(struct nlb_skel *s);
void nlb_rx_destroy(struct nlb_skel *s);
void nlb_rx_key(const void *key, int cpu, char *out, size_t len);
bool nlb_rx_row_has(const void *key, unsigned int i);
extern const char *const nlb_rx_stats[];

/* sockq (bpf_sockq.c): TCP's socket queue by bytes, rows under rx; armed by the collector before rx. */
int nlb_sockq_open(struct nlb_skel *s);
int nlb_sockq_load(struct nlb_skel *s);
void nlb_sockq_destroy(struct nlb_skel *s);
bool nlb_sockq_row_has(const void *key, unsigned int i);
bool nlb_sockq_loaded(void);	/* rx then leaves TCP's socket queue to it */
extern const char *const nlb_sockq_stats[];
#define NLB_SOCKQ_FAMILY							\
	{ "sockq", nlb_sockq_open, nlb_sockq_load, nlb_sockq_destroy, "sockq_stats",	\
	  sizeof(struct rx_key), sizeof(struct sockq_val), 3, 3, nlb_sockq_stats,	\
	  false, nlb_rx_key, nlb_sockq_row_has }

int nlb_tx_open(struct nlb_skel *s);
int nlb_tx_load(struct nlb_skel *s);
void nlb_tx_destroy(struct nlb_skel *s);
void nlb_tx_key(const void *key, int cpu, char *out, size_t len);
extern const char *const nlb_tx_stats[];

#define NLB_RX_FAMILY								\
	{ "rx", nlb_rx_open, nlb_rx_load, nlb_rx_destroy, "rx_stats",		\
	  sizeof(struct rx_key), sizeof(struct rx_val), 1, 3, nlb_rx_stats,	\
	  false, nlb_rx_key, nlb_rx_row_has }
#define NLB_TX_FAMILY								\
	{ "tx", nlb_tx_open, nlb_tx_load, nlb_tx_destroy, "tx_stats",		\
	  sizeof(struct tx_key), sizeof(struct tx_val), 1, 1, nlb_tx_stats,	\
	  false, nlb_tx_key, NULL }

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
