// SPDX-License-Identifier: GPL-2.0
/* Running totals of `netlat serve` and their published snapshots (include/netlat/serve.h). */
#include <stdlib.h>
#include <string.h>

#include "netlat/serve.h"
#include "netlat/util.h"

void nl_serve_state_init(struct nl_serve_state *s, bool flow_labels)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->totals = nl_iv_new(0, 0, 0);
	s->flow_labels = flow_labels;
}

/* totals += iv, each key projected to its exported form (rows may fold together). */
static void fold_values(struct nl_interval *totals, const struct nl_interval *iv, bool flow_labels)
{
	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];
		char key[NL_KEY_MAX];

		nl_expo_key(v->key, flow_labels, key, sizeof(key));
		if (v->kind == NL_HIST)
			nl_hist_merge(nl_iv_hist(totals, v->metric, key, v->stat, v->unit), v->hist);
		else
			nl_iv_add_counter(totals, v->metric, key, v->stat, v->unit, v->counter);
	}
}

static void snap_states(struct nl_serve_snap *snap, const struct nl_recording *rec)
{
	size_t k = 0;

	snap->metrics = nl_xcalloc(rec->nmetrics ? rec->nmetrics : 1, sizeof(*snap->metrics));
	for (size_t i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *st = &rec->metrics[i];
		struct nl_expo_metric_state *m = &snap->metrics[k];

		if (st->state == NL_METRIC_OFF)
			continue;
		snprintf(m->name, sizeof(m->name), "%s", st->name);
		snprintf(m->backend, sizeof(m->backend), "%s", st->state == NL_METRIC_OK ? st->backend : "");
		m->up = st->state == NL_METRIC_OK;
		k++;
	}
	snap->nmetrics = k;
}

void nl_serve_state_fold(struct nl_serve_state *s, const struct nl_recording *rec,
			 const struct nl_interval *iv)
{
	struct nl_serve_snap *snap = nl_xcalloc(1, sizeof(*snap)), *old;
	const char *start = nl_rec_meta(rec, "start_realtime_ns");

	fold_values(s->totals, iv, s->flow_labels);
	s->intervals++;
	/* the copy the HTTP thread may read while the next interval is folded */
	snap->totals = nl_iv_new(0, 0, iv->end_ns);
	nl_iv_merge(snap->totals, s->totals);
	snap_states(snap, rec);
	snap->intervals = s->intervals;
	snap->cut_ns = nl_now_ns();
	snap->start_time_s = start ? strtoull(start, NULL, 10) / 1e9 : 0;
	snap->refs = 1;

	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = snap;
	pthread_mutex_unlock(&s->lock);
	nl_serve_snap_put(old);
}

struct nl_serve_snap *nl_serve_snap_get(struct nl_serve_state *s)
{
	struct nl_serve_snap *snap;

	pthread_mutex_lock(&s->lock);
	snap = s->cur;
	if (snap)
		__atomic_add_fetch(&snap->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&s->lock);
	return snap;
}

void nl_serve_snap_put(struct nl_serve_snap *snap)
{
	if (!snap || __atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL))
		return;
	nl_iv_free(snap->totals);
	free(snap->metrics);
	free(snap);
}

void nl_serve_state_free(struct nl_serve_state *s)
{
	nl_serve_snap_put(s->cur);
	s->cur = NULL;
	nl_iv_free(s->totals);
	s->totals = NULL;
	pthread_mutex_destroy(&s->lock);
}
