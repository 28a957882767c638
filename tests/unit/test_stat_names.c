// SPDX-License-Identifier: GPL-2.0
/*
 * Every statistic a collector can emit is one its metric's descriptor
 * declares, with the same kind (and, where the collector spells the unit
 * itself, the same unit); and every statistic a descriptor declares for a
 * metric the BPF or tracefs collector measures is emitted by one of them
 * (or by the softnet_stat reader). A name that drifts from the table shows
 * up here, not as a silently missing column in a report.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "collect/tracefs/tracefs_int.h"
#include "netlat/metric.h"
#include "netlat/collector.h"
#include "netlat/recording.h"
#include "netlat/softnet.h"
#include "unit.h"

#define MAX_STATS	512

/* (metric, stat) pairs some collector emits */
static struct { char metric[NL_NAME_MAX], stat[NL_NAME_MAX]; } seen[MAX_STATS];
static size_t nseen;

static void emitted(const char *who, const char *metric, const char *stat, int kind, const char *unit)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);
	const struct nl_stat_desc *s = m ? nl_metric_stat(m, stat) : NULL;

	if (!m || !s) {
		fprintf(stderr, "%s emits %s/%s, which the metric table does not declare\n", who, metric, stat);
		unit_failures++;
		return;
	}
	if (s->kind != kind) {
		fprintf(stderr, "%s emits %s/%s as a %s, the table says %s\n", who, metric, stat,
			kind == NL_HIST ? "histogram" : "counter", s->kind == NL_HIST ? "histogram" : "counter");
		unit_failures++;
	}
	if (unit && strcmp(unit, s->unit)) {
		fprintf(stderr, "%s emits %s/%s in \"%s\", the table says \"%s\"\n", who, metric, stat, unit, s->unit);
		unit_failures++;
	}
	if (nseen < MAX_STATS) {
		snprintf(seen[nseen].metric, NL_NAME_MAX, "%s", metric);
		snprintf(seen[nseen].stat, NL_NAME_MAX, "%s", stat);
		nseen++;
	}
}

static bool was_emitted(const char *metric, const char *stat)
{
	for (size_t i = 0; i < nseen; i++)
		if (!strcmp(seen[i].metric, metric) && !strcmp(seen[i].stat, stat))
			return true;
	return false;
}

static void bpf_tables(const struct nl_metric_desc *m)
{
	const struct nlb_table *const *t = nlb_tables_of(m->name);

	for (; t && *t; t++) {
		const struct nlb_table *tab = *t;

		CHECK_STR(tab->metric, m->name);
		for (unsigned int i = 0; i < tab->ncounters + tab->nhists; i++)
			emitted("bpf", m->name, tab->stats[i], i < tab->ncounters ? NL_COUNTER : NL_HIST, NULL);
	}
}

static void tracefs_families(void)
{
	size_t n;
	const struct tfs_family *const *fam = tfs_family_list(&n);

	for (size_t i = 0; i < n; i++) {
		const struct tfs_family *f = fam[i];

		CHECK(f->layouts != NULL);
		for (const struct tfs_row_layout *const *l = f->layouts; l && *l; l++) {
			CHECK_STR((*l)->metric, f->metric);
			for (int c = 0; c < TFS_ROW_CTRS; c++)
				if ((*l)->ctr[c])
					emitted("tracefs", f->metric, (*l)->ctr[c], NL_COUNTER, (*l)->ctr_unit[c]);
			for (int h = 0; h < TFS_ROW_HISTS; h++)
				if ((*l)->hist[h])
					emitted("tracefs", f->metric, (*l)->hist[h], NL_HIST, (*l)->hist_unit[h]);
		}
		/* emitted by the family itself: the kind and unit are checked by use in live tests */
		for (const char *const *d = f->direct_stats; d && *d; d++) {
			const struct nl_metric_desc *m = nl_metric_find(f->metric);
			const struct nl_stat_desc *s = m ? nl_metric_stat(m, *d) : NULL;

			emitted("tracefs", f->metric, *d, s ? s->kind : NL_COUNTER, NULL);
		}
	}
}

/* The softnet_stat reader's rows for a metric that reads it, from what it really adds to an interval. */
static void softnet_rows(const struct nl_metric_desc *m)
{
	static struct nl_softnet cur, prev;
	struct nl_record_opts o = {};
	struct nl_interval *iv = nl_iv_new(0, 0, 1);

	cur.cpu[0].seen = prev.cpu[0].seen = 1;
	cur.cpu[0].processed = 10;
	nl_softnet_delta(iv, m->name, &cur, &prev, &o);
	CHECK(iv->n > 0);
	for (size_t i = 0; i < iv->n; i++)
		emitted("softnet_stat", iv->v[i].metric, iv->v[i].stat, iv->v[i].kind, iv->v[i].unit);
	nl_iv_free(iv);
}

int main(void)
{
	for (size_t i = 0; i < nl_nmetrics; i++) {
		bpf_tables(nl_metrics[i]);
		if (nl_metrics[i]->sources & NL_SRC_SOFTNET)
			softnet_rows(nl_metrics[i]);
	}
	tracefs_families();

	/* the other way round: a declared statistic that nothing emits is a name that drifted */
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];

		if (!nlb_tables_of(m->name) && !tfs_has_family(m->name))
			continue;	/* a function metric: its names come from the table itself */
		for (const struct nl_stat_desc *s = m->stats; s->name; s++)
			if (!was_emitted(m->name, s->name)) {
				fprintf(stderr, "%s/%s is declared but no collector emits it\n", m->name, s->name);
				unit_failures++;
			}
	}
	printf("%zu statistics checked against the metric table\n", nseen);
	return unit_failures ? 1 : 0;
}
