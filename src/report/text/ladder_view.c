// SPDX-License-Identifier: GPL-2.0
/*
 * The ladder view of a path metric (rx, tx): per device, the stages in the
 * order a packet meets them, one line each with p50 and p99 side by side
 * and a bar proportional to p50, so the slow rung stands out. A stage a
 * collector cannot measure is shown as such, with the reason. The stages,
 * points and reasons are the metric descriptor's ladder
 * (src/metrics/<name>/<name>_ladder.c), notes under them its views' ladder_notes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/path_ladder.h"
#include "netlat/report.h"
#include "netlat/util.h"

#define LADDER_BAR	40
#define LADDER_DEVS	32

/*
 * The BPF collector follows 1 skb in N through the stages when sampling
 * (--pair-sample, the overhead budget): packet counts are of the followed
 * skbs, and the heading says so, with the rate the recording had.
 */
static void sampled_note(FILE *out, const struct nl_interval *iv)
{
	const struct nl_value *off = nl_iv_find(iv, "session", "", "pairing_offered");
	const struct nl_value *adm = nl_iv_find(iv, "session", "", "pairing_admitted");

	if (!off || !adm || !off->counter || adm->counter >= off->counter)
		return;
	fprintf(out, "  (sampled: %llu of %llu skbs followed stage by stage, 1 in %.1f; packet counts are"
		" of those, latencies unbiased)\n", (unsigned long long)adm->counter,
		(unsigned long long)off->counter, (double)off->counter / (double)(adm->counter ? adm->counter : 1));
}

/* The devices of the metric's stage rows, in first-seen order. */
static size_t ladder_devs(const struct nl_interval *iv, const char *metric, char devs[][NL_KEY_MAX])
{
	size_t n = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];
		char dev[NL_KEY_MAX];
		bool seen = false;

		if (strcmp(v->metric, metric) || strncmp(v->key, "stage=", 6) ||
		    !nl_key_get(v->key, "dev", dev, sizeof(dev)))
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(devs[k], dev);
		if (!seen && n < LADDER_DEVS)
			snprintf(devs[n++], NL_KEY_MAX, "%s", dev);
	}
	return n;
}

static const struct nl_hist *ladder_hist(const struct nl_interval *iv, const char *metric,
					 const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

/* One rung: name, p50, p99, count, bar scaled to scale_ns. */
static void rung(FILE *out, const char *name, const struct nl_hist *h, double scale_ns, bool slowest)
{
	char p50[32], p99[32], bar[LADDER_BAR + 1];
	double v50;
	int w;

	nl_fmt_ns(p50, sizeof(p50), v50 = (double)nl_hist_percentile(h, 0.50));
	nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	w = scale_ns > 0 ? (int)(v50 / scale_ns * LADDER_BAR + 0.5) : 0;
	if (w < 1 && v50 > 0)
		w = 1;
	if (w > LADDER_BAR)
		w = LADDER_BAR;
	memset(bar, '#', (size_t)w);
	bar[w] = '\0';
	fprintf(out, "    %-16s %9s %9s %9llu  %s%s\n", name, p50, p99, (unsigned long long)h->count, bar,
		slowest ? " <- slowest" : "");
}

static void ladder_dev(FILE *out, const struct nl_interval *iv, const struct nl_path_ladder *l,
		       const char *backend, const char *dev)
{
	const struct nl_hist *h[NL_PATH_MAX_STAGES] = { NULL };
	double scale = 0;
	size_t slow;

	for (size_t s = 0; s < l->nstages; s++) {
		char key[NL_KEY_MAX];
		double p;

		snprintf(key, sizeof(key), "stage=%s dev=%s", l->stages[s], dev);
		h[s] = ladder_hist(iv, l->metric, key, "latency");
		if (!h[s])
			continue;
		p = (double)nl_hist_percentile(h[s], 0.50);
		if (p > scale)
			scale = p;
	}
	slow = nl_ladder_slowest(l, h);
	fprintf(out, "  dev=%s\n    %-16s %9s %9s %9s  %s\n", dev, "stage", "p50", "p99", "packets",
		"p50 bar");
	for (size_t s = 0; s < l->nstages; s++) {
		if (h[s])
			rung(out, l->stages[s], h[s], scale, s == slow);
		else
			fprintf(out, "    %-16s %9s %9s %9s  (%s)\n", l->stages[s], "-", "-", "-",
				nl_ladder_gap_why(l, backend, l->stages[s]));
	}
}

/* A ladder's arrival-age points (rx's), which need no pairing and no device. */
static void ladder_ages(FILE *out, const struct nl_interval *iv, const struct nl_path_ladder *l,
			const char *backend)
{
	const struct nl_hist *h[NL_PATH_MAX_POINTS] = { NULL };
	double scale = 0;
	bool any = false;

	if (!l->npoints)
		return;
	for (size_t p = 0; p < l->npoints; p++) {
		char key[NL_KEY_MAX];

		snprintf(key, sizeof(key), "point=%s", l->points[p]);
		h[p] = ladder_hist(iv, l->metric, key, "age");
		if (h[p] && (double)nl_hist_percentile(h[p], 0.50) > scale)
			scale = (double)nl_hist_percentile(h[p], 0.50);
		any |= h[p] != NULL;
	}
	if (!any) {
		fprintf(out, "  arrival age (skb->tstamp): %s\n", nl_ladder_gap_why(l, backend, "ages"));
		return;
	}
	fprintf(out, "  arrival age (now - skb->tstamp; netlat held an SO_TIMESTAMPNS socket while"
		" recording so the kernel stamped every received skb, and released it at the end)\n");
	fprintf(out, "    %-16s %9s %9s %9s  %s\n", "point", "p50", "p99", "skbs", "p50 bar");
	for (size_t p = 0; p < l->npoints; p++) {
		if (h[p])
			rung(out, l->points[p], h[p], scale, false);
		else
			fprintf(out, "    %-16s %9s %9s %9s  (%s)\n", l->points[p], "-", "-", "-",
				nl_ladder_gap_why(l, backend, l->points[p]));
	}
}

int nl_report_ladder(FILE *out, const struct nl_interval *iv, const struct nl_metric_desc *m,
		     const struct nl_metric_status *st)
{
	const struct nl_path_ladder *l = m->ladder;
	const char *backend = st && *st->backend ? st->backend : "?";
	char (*devs)[NL_KEY_MAX];
	size_t n;

	if (!l)
		return 0;
	devs = calloc(LADDER_DEVS, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	n = ladder_devs(iv, m->name, devs);
	fprintf(out, "# %s ladder: stages in the order a packet meets them (p50 | p99, bar ~ p50)\n",
		m->name);
	sampled_note(out, iv);
	if (!n)
		fprintf(out, "  (no stage completed)\n");
	for (size_t i = 0; i < n; i++)
		ladder_dev(out, iv, l, backend, devs[i]);
	if (m->views && m->views->ladder_notes)
		m->views->ladder_notes(out, iv);
	ladder_ages(out, iv, l, backend);
	free(devs);
	return ferror(out) ? -EIO : 0;
}
