// SPDX-License-Identifier: GPL-2.0
/*
 * drops metric from skb:kfree_skb: drops per reason and location. The raw
 * record holds the real location address (text output would print the
 * symbol); both are named from the running kernel, as the BPF side does.
 * The event carries no namespace, so rows have none.
 * Before Linux 5.17 kfree_skb has no reason field: the metric then counts drops per
 * location alone, with reason "unavailable" in the key, and says so in its detail
 * ("tracepoint, no kfree_skb reason").
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drops/drops.h"
#include "metrics/flows.h"
#include "netlat/util.h"
#include "collect/tracefs/tracefs_int.h"

enum { F_LOCATION, F_REASON };

struct drop_row {
	uint64_t location;
	unsigned int reason;
	uint64_t drops;
	char key[NL_KEY_MAX];
};

struct drops_state {
	struct drop_row *v;
	size_t n, cap, last;
	bool no_reason;		/* kfree_skb without a reason field (< 5.17) */
};

static struct drop_row *drop_row(struct drops_state *s, uint64_t loc, unsigned int reason)
{
	struct drop_row *r;
	char l[80], rs[40];

	if (s->last < s->n && s->v[s->last].location == loc && s->v[s->last].reason == reason)
		return &s->v[s->last];
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].location == loc && s->v[i].reason == reason) {
			s->last = i;
			return &s->v[i];
		}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct drop_row *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	r = &s->v[s->n];
	memset(r, 0, sizeof(*r));
	r->location = loc;
	r->reason = reason;
	nl_flow_drop_names(loc, reason, l, sizeof(l), rs, sizeof(rs));
	snprintf(r->key, sizeof(r->key), "reason=%.32s location=%.40s", rs, l);
	s->last = s->n++;
	return r;
}

/* trace_kfree_skb(skb, location, reason): every skb freed as a drop. */
static void on_kfree_skb(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct drops_state *s = ev->priv;
	struct drop_row *r;

	(void)cpu;
	(void)ts;
	(void)size;
	r = drop_row(s, tfs_num(ev->f[F_LOCATION], data),
		     s->no_reason ? DROPS_NO_REASON : (unsigned int)tfs_num(ev->f[F_REASON], data));
	if (r)
		r->drops++;
}

static void drops_free(void *state)
{
	struct drops_state *s = state;

	if (!s)
		return;
	free(s->v);
	free(s);
}

static int drops_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "location", "reason", NULL };
	static const char *const location_only[] = { "location", NULL };
	struct drops_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (!tfs_event_add(c, "skb", "kfree_skb", fields, on_kfree_skb, s, "", why, whylen)) {
		/* the older event (before 5.17): skbaddr, location, protocol */
		s->no_reason = true;
		if (!tfs_event_exists(c, "skb", "kfree_skb") ||
		    !tfs_event_add(c, "skb", "kfree_skb", location_only, on_kfree_skb, s, "", why,
				   whylen)) {
			free(s);
			return -ENOENT;
		}
	}
	*state = s;
	return 0;
}

static const char *drops_detail(void *state)
{
	const struct drops_state *s = state;

	/* the recording keeps 31 characters of detail */
	return s->no_reason ? "tracepoint, no kfree_skb reason" : NULL;
}

/* The statistics emitted here rather than through a row layout. */
static const char *const drops_direct[] = { "drops", NULL };

static void drops_snapshot(void *state, struct nl_interval *iv)
{
	struct drops_state *s = state;

	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].drops)
			continue;
		nl_iv_add_counter(iv, "drops", s->v[i].key, drops_direct[0], "pkts", s->v[i].drops);
		s->v[i].drops = 0;
	}
}

static const struct tfs_row_layout *const drops_layouts[] = { NULL };

const struct tfs_family tfs_drops = {
	.metric = "drops",
	.arm = drops_arm,
	.snapshot = drops_snapshot,
	.detail = drops_detail,
	.free = drops_free,
	.layouts = drops_layouts,
	.direct_stats = drops_direct,
};
