// SPDX-License-Identifier: GPL-2.0
/* Helpers every triage rule uses: findings, scores, scope, value lookup, formatting. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlat/memcpy_bw.h"
#include "netlat/metric.h"
#include "netlat/report.h"
#include "netlat/triage.h"
#include "netlat/util.h"

struct nl_finding *nl_triage_add(struct nl_triage *out, const char *rule, double score)
{
	struct nl_finding *f;
	void *p = realloc(out->f, (out->nf + 1) * sizeof(*out->f));

	if (!p) {
		nl_err("out of memory");
		abort();
	}
	out->f = p;
	f = &out->f[out->nf++];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->score = score;
	return f;
}

double nl_triage_score(double value, double threshold)
{
	double s;

	if (threshold <= 0 || value <= 0)
		return 1;
	s = 40.0 + 10.0 * log2(value / threshold);
	if (s < 1)
		s = 1;
	if (s > 95)
		s = 95;
	return s;
}

bool nl_triage_in_scope(const struct nl_triage_in *in, const char *key)
{
	char v[NL_KEY_MAX];

	/* a row that does not say where it belongs cannot be attributed to the scope */
	if (in->dev && in->dev[0] && (!nl_key_get(key, "dev", v, sizeof(v)) || strcmp(v, in->dev)))
		return false;
	if (in->netns && (!nl_key_get(key, "netns", v, sizeof(v)) ||
			  strtoull(v, NULL, 10) != in->netns))
		return false;
	return true;
}

uint64_t nl_triage_counter(const struct nl_interval *iv, const char *metric, const char *key,
			   const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_COUNTER ? v->counter : 0;
}

bool nl_triage_derived(const struct nl_interval *iv, const char *metric, const char *key,
		       const char *name, double *out)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);

	*out = 0;
	for (const struct nl_derived *d = m ? m->derived : NULL; d && d->name; d++)
		if (!strcmp(d->name, name))
			return nl_report_ratio(iv, metric, key, d, out);
	return false;
}

const struct nl_hist *nl_triage_hist(const struct nl_interval *iv, const char *metric,
				     const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

void nl_triage_fmt_num(char *buf, size_t len, double v)
{
	static const char *const units[] = { "", "k", "M", "G" };
	unsigned int u = 0;

	while (v >= 999.5 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1000.0;
		u++;
	}
	if (u == 0 && v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
}

size_t nl_triage_keys(const struct nl_triage_in *in, const char *metric, const char *field,
		      const char ***keys)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);
	struct nl_report_rows rows;
	size_t n = 0, flen = field ? strlen(field) : 0;

	*keys = NULL;
	if (nl_report_rows(in->iv, metric, m ? m->key_fields : NULL, &rows) || !rows.n) {
		nl_report_rows_free(&rows);
		return 0;
	}
	*keys = nl_xcalloc(rows.n, sizeof(**keys));
	for (size_t i = 0; i < rows.n; i++) {
		const char *k = rows.keys[i];

		if (field && (strncmp(k, field, flen) || k[flen] != '='))
			continue;
		if (!nl_triage_in_scope(in, k))
			continue;
		(*keys)[n++] = k;
	}
	nl_report_rows_free(&rows);
	return n;
}
