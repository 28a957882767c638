// SPDX-License-Identifier: GPL-2.0
/* `netlat stat` output: median across runs and the spread, perf stat -r style. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/stat.h"
#include "netlat/util.h"

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* Non-NaN values of v into a new sorted array; *n gets their number. */
static double *sorted_present(const double *v, size_t nv, size_t *n)
{
	double *s = nl_xcalloc(nv ? nv : 1, sizeof(double));

	*n = 0;
	for (size_t i = 0; i < nv; i++)
		if (!isnan(v[i]))
			s[(*n)++] = v[i];
	qsort(s, *n, sizeof(double), cmp_double);
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	if (!n)
		return NAN;
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double nl_median(const double *v, size_t nv)
{
	size_t n;
	double *s = sorted_present(v, nv, &n);
	double m = median_sorted(s, n);

	free(s);
	return m;
}

void nl_spread_of(const double *v, size_t nv, struct nl_spread *out)
{
	size_t n;
	double *s = sorted_present(v, nv, &n);
	double sum = 0, sq = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->median = out->min = out->max = out->mean = NAN;
	if (n) {
		out->median = median_sorted(s, n);
		out->min = s[0];
		out->max = s[n - 1];
		for (size_t i = 0; i < n; i++)
			sum += s[i];
		out->mean = sum / (double)n;
		for (size_t i = 0; i < n; i++)
			sq += (s[i] - out->mean) * (s[i] - out->mean);
		if (n > 1 && out->mean != 0)
			out->rsd_pct = sqrt(sq / (double)(n - 1)) / fabs(out->mean) * 100.0;
	}
	free(s);
}

void nl_fmt_value(char *buf, size_t len, double v, const char *unit)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (!strcmp(unit, "ns")) {
		nl_fmt_ns(buf, len, v);	/* as report, triage and top print durations */
		return;
	}
	/* integers and anything >= 1000 whole; ratios and small rates with decimals */
	if ((v == floor(v) || fabs(v) >= 1000) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f%s%s", v, *unit ? " " : "", unit);
	else if (fabs(v) >= 1)
		snprintf(buf, len, "%.2f%s%s", v, *unit ? " " : "", unit);
	else
		snprintf(buf, len, "%.4g%s%s", v, *unit ? " " : "", unit);
}

static void print_text_header(FILE *out, const struct nl_recording *rec, const struct nl_sampleset *s)
{
	const char *cmd = nl_rec_meta(rec, "command");

	fprintf(out, "\n netlat stat for '%s' (%u run%s):\n\n", cmd ? cmd : "system-wide",
		s->nruns, s->nruns == 1 ? "" : "s");
	for (uint32_t k = 0; k < s->nruns; k++) {
		char name[48];
		const char *e;

		snprintf(name, sizeof(name), "run.%u.command_exit", k);
		e = nl_rec_meta(rec, name);
		fprintf(out, "   run %u: %.3f s%s%s\n", k, s->dur_s[k], e ? ", exit " : "", e ? e : "");
	}
	fprintf(out, "\n %-8s %-24s %-28s %16s %34s %10s\n", "metric", "key", "stat.statistic",
		"median", "min .. max", "spread");
}

static void print_text_item(FILE *out, const struct nl_item *it, const struct nl_spread *sp)
{
	char med[32], lo[32], hi[32], range[72], name[48], key[NL_KEY_MAX];

	nl_fmt_value(med, sizeof(med), sp->median, it->unit);
	nl_fmt_value(lo, sizeof(lo), sp->min, it->unit);
	nl_fmt_value(hi, sizeof(hi), sp->max, it->unit);
	snprintf(range, sizeof(range), "%s .. %s", lo, hi);
	snprintf(name, sizeof(name), "%s.%s", it->stat, it->statistic);
	nl_report_safe_key(it->key, key, sizeof(key));
	fprintf(out, " %-8s %-24s %-28s %16s %34s   +- %5.2f%%\n", it->metric,
		*key ? key : "-", name, med, range, sp->rsd_pct);
}

static void print_csv_item(FILE *out, const struct nl_item *it, const struct nl_spread *sp)
{
	char key[NL_KEY_MAX];

	nl_report_safe_key(it->key, key, sizeof(key));	/* as `netlat report` shows keys */
	fprintf(out, "%s,%s,%s,%s,%s,%zu,%.15g,%.15g,%.15g,%.15g,%.4f\n", it->metric, key,
		it->stat, it->statistic, it->unit, sp->n, sp->median, sp->min, sp->max, sp->mean,
		sp->rsd_pct);
}

int nl_stat_print(FILE *out, const struct nl_recording *rec, const struct nl_sampleset *s,
		  enum nl_stat_format fmt)
{
	if (fmt == NL_STAT_CSV)
		fprintf(out, "metric,key,stat,statistic,unit,runs,median,min,max,mean,rsd_pct\n");
	else
		print_text_header(out, rec, s);
	for (size_t i = 0; i < s->n; i++) {
		struct nl_spread sp;

		nl_spread_of(s->it[i].v, s->nruns, &sp);
		if (!sp.n)
			continue;	/* e.g. a percentile of a histogram empty in every run */
		if (fmt == NL_STAT_CSV)
			print_csv_item(out, &s->it[i], &sp);
		else
			print_text_item(out, &s->it[i], &sp);
	}
	if (fmt != NL_STAT_CSV)
		fputc('\n', out);
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
