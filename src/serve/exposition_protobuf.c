// SPDX-License-Identifier: GPL-2.0
/*
 * The protobuf exposition (io.prometheus.client.MetricFamily, each message
 * preceded by its length as a varint: "encoding=delimited"), the only one
 * that carries native histograms. Encoded with protobuf-c (Debian's
 * libprotobuf-c) from src/serve/proto/metrics.proto; netlat only builds the
 * messages. Histograms carry the same classic buckets as the text
 * exposition and a native histogram at schema 4 (docs/metrics.md: how each
 * netlat bucket maps to a native one, and the error that bounds).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.pb-c.h"
#include "netlat/expo.h"
#include "netlat/hist.h"
#include "netlat/util.h"

typedef Io__Prometheus__Client__MetricFamily pb_family;
typedef Io__Prometheus__Client__Metric pb_metric;
typedef Io__Prometheus__Client__LabelPair pb_label;
typedef Io__Prometheus__Client__Histogram pb_hist;
typedef Io__Prometheus__Client__Bucket pb_bucket;
typedef Io__Prometheus__Client__BucketSpan pb_span;

#define MAX_LABELS	8

/* Everything one metric points to, freed together. */
struct pb_row {
	pb_metric m;
	pb_label lp[MAX_LABELS], *lpp[MAX_LABELS];
	char names[MAX_LABELS][NL_KEY_MAX], values[MAX_LABELS][NL_KEY_MAX];
	Io__Prometheus__Client__Counter counter;
	Io__Prometheus__Client__Gauge gauge;
	pb_hist h;
	pb_bucket *b, **bp;
	pb_span *sp, **spp;
	int64_t *delta;
};

static void row_init(struct pb_row *r, const char *key)
{
	size_t n = 0;

	io__prometheus__client__metric__init(&r->m);
	while (n < MAX_LABELS &&
	       nl_expo_next_label(&key, r->names[n], NL_KEY_MAX, r->values[n], NL_KEY_MAX)) {
		io__prometheus__client__label_pair__init(&r->lp[n]);
		r->lp[n].name = r->names[n];
		r->lp[n].value = r->values[n];
		r->lpp[n] = &r->lp[n];
		n++;
	}
	r->m.n_label = n;
	r->m.label = r->lpp;
}

static void row_free(struct pb_row *r)
{
	free(r->b);
	free(r->bp);
	free(r->sp);
	free(r->spp);
	free(r->delta);
}

static void classic_buckets(struct pb_row *r, const struct nl_value *v, double scale,
			    const struct nl_expo_opts *o)
{
	uint64_t edges[NL_EXPO_EDGES_MAX];
	size_t n = nl_expo_edges(v->unit, o->per_octave, edges, NL_EXPO_EDGES_MAX);
	unsigned int idx = 0;
	uint64_t below = 0;

	r->b = nl_xcalloc(n ? n : 1, sizeof(*r->b));
	r->bp = nl_xcalloc(n ? n : 1, sizeof(*r->bp));
	for (size_t k = 0; k < n; k++) {
		for (unsigned int stop = nl_hist_index(edges[k]); idx < stop; idx++)
			below += v->hist->buckets[idx];
		io__prometheus__client__bucket__init(&r->b[k]);
		r->b[k].has_cumulative_count = r->b[k].has_upper_bound = 1;
		r->b[k].cumulative_count = below;
		r->b[k].upper_bound = nl_expo_le(v->unit, edges[k], scale);
		r->bp[k] = &r->b[k];
	}
	r->h.n_bucket = n;
	r->h.bucket = r->bp;
}

/*
 * The native buckets: every non-empty netlat bucket's count goes to the
 * native bucket of its middle value. Middles rise with the netlat index,
 * so native indexes come out sorted and equal ones are adjacent; runs of
 * consecutive indexes make the spans.
 */
static void native_buckets(struct pb_row *r, const struct nl_hist *h, double scale)
{
	int prev_idx = 0;
	int64_t prev_count = 0, run = 0;
	size_t nb = 0, ns = 0;
	uint64_t zero = 0;

	r->sp = nl_xcalloc(NL_HIST_BUCKETS, sizeof(*r->sp));
	r->spp = nl_xcalloc(NL_HIST_BUCKETS, sizeof(*r->spp));
	r->delta = nl_xcalloc(NL_HIST_BUCKETS, sizeof(*r->delta));
	for (unsigned int i = 0; i < NL_HIST_BUCKETS; i++) {
		double x;
		int ni;

		if (!h->buckets[i])
			continue;
		x = nl_expo_native_value(i, scale);
		if (x <= NL_EXPO_NATIVE_ZERO_THRESHOLD) {
			zero += h->buckets[i];
			continue;
		}
		ni = nl_expo_native_index(x);
		if (nb && ni == prev_idx) {	/* same native bucket as the previous netlat one */
			run += (int64_t)h->buckets[i];
			continue;
		}
		if (nb) {			/* close the previous native bucket */
			r->delta[nb - 1] = run - prev_count;
			prev_count = run;
		}
		if (!nb || ni != prev_idx + 1) {	/* a gap: new span */
			io__prometheus__client__bucket_span__init(&r->sp[ns]);
			r->sp[ns].has_offset = r->sp[ns].has_length = 1;
			r->sp[ns].offset = nb ? ni - prev_idx - 1 : ni;
			r->spp[ns] = &r->sp[ns];
			ns++;
		}
		r->sp[ns - 1].length++;
		run = (int64_t)h->buckets[i];
		prev_idx = ni;
		nb++;
	}
	if (nb)
		r->delta[nb - 1] = run - prev_count;
	r->h.has_schema = r->h.has_zero_threshold = r->h.has_zero_count = 1;
	r->h.schema = NL_EXPO_NATIVE_SCHEMA;
	r->h.zero_threshold = NL_EXPO_NATIVE_ZERO_THRESHOLD;
	r->h.zero_count = zero;
	r->h.n_positive_span = ns;
	r->h.positive_span = r->spp;
	r->h.n_positive_delta = nb;
	r->h.positive_delta = r->delta;
}

static void hist_row(struct pb_row *r, const struct nl_value *v, double scale, const struct nl_expo_opts *o)
{
	io__prometheus__client__histogram__init(&r->h);
	r->h.has_sample_count = r->h.has_sample_sum = 1;
	r->h.sample_count = v->hist->count;
	r->h.sample_sum = (double)v->hist->sum * scale;
	classic_buckets(r, v, scale, o);
	native_buckets(r, v->hist, scale);
	r->m.histogram = &r->h;
}

static void number_row(struct pb_row *r, bool counter, double value)
{
	if (counter) {
		io__prometheus__client__counter__init(&r->counter);
		r->counter.has_value = 1;
		r->counter.value = value;
		r->m.counter = &r->counter;
	} else {
		io__prometheus__client__gauge__init(&r->gauge);
		r->gauge.has_value = 1;
		r->gauge.value = value;
		r->m.gauge = &r->gauge;
	}
}

/* Write one family, length-delimited. */
static int put_family(FILE *f, const char *name, const char *help, Io__Prometheus__Client__MetricType type,
		      struct pb_row *rows, size_t n)
{
	pb_family fam;
	pb_metric **mp = nl_xcalloc(n ? n : 1, sizeof(*mp));
	uint8_t len[10], *buf;
	size_t size, k = 0;
	int err = 0;

	io__prometheus__client__metric_family__init(&fam);
	fam.name = (char *)name;
	fam.help = (char *)help;
	fam.has_type = 1;
	fam.type = type;
	for (size_t i = 0; i < n; i++)
		mp[i] = &rows[i].m;
	fam.n_metric = n;
	fam.metric = mp;
	size = io__prometheus__client__metric_family__get_packed_size(&fam);
	for (size_t s = size; ; s >>= 7) {
		len[k++] = (uint8_t)((s & 0x7f) | (s >= 0x80 ? 0x80 : 0));
		if (s < 0x80)
			break;
	}
	buf = malloc(size ? size : 1);
	if (!buf) {
		free(mp);
		return -ENOMEM;
	}
	io__prometheus__client__metric_family__pack(&fam, buf);
	if (fwrite(len, 1, k, f) != k || fwrite(buf, 1, size, f) != size)
		err = -EIO;
	free(buf);
	free(mp);
	return err;
}

/* One family of netlat values: vals[0 .. n) share a name. */
static int netlat_family(FILE *f, const struct nl_value **vals, size_t n, const struct nl_expo_opts *o)
{
	struct pb_row *rows = nl_xcalloc(n, sizeof(*rows));
	bool hist = vals[0]->kind == NL_HIST;
	char name[NL_EXPO_NAME_MAX + 8];
	double scale;
	int err;

	nl_expo_name(vals[0], name, NL_EXPO_NAME_MAX, &scale);
	if (!hist)
		strcat(name, "_total");
	for (size_t i = 0; i < n; i++) {
		row_init(&rows[i], vals[i]->key);
		if (hist)
			hist_row(&rows[i], vals[i], scale, o);
		else
			number_row(&rows[i], true, (double)vals[i]->counter * scale);
	}
	err = put_family(f, name, nl_expo_help(vals[0]),
			 hist ? IO__PROMETHEUS__CLIENT__METRIC_TYPE__HISTOGRAM :
				IO__PROMETHEUS__CLIENT__METRIC_TYPE__COUNTER, rows, n);
	for (size_t i = 0; i < n; i++)
		row_free(&rows[i]);
	free(rows);
	return err;
}

static int self_families(FILE *f, const struct nl_expo_self *s)
{
	struct nl_expo_simple fams[8];
	size_t n = nl_expo_self_list(s, fams, 8);
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		const struct nl_expo_simple *fs = &fams[i];
		struct pb_row *rows = nl_xcalloc(fs->n ? fs->n : 1, sizeof(*rows));
		char name[NL_EXPO_NAME_MAX];

		snprintf(name, sizeof(name), "%s%s", fs->name, fs->counter ? "_total" : "");
		for (size_t k = 0; k < fs->n; k++) {
			row_init(&rows[k], fs->s[k].key);
			number_row(&rows[k], fs->counter, fs->s[k].value);
		}
		err = put_family(f, name, fs->help, fs->counter ? IO__PROMETHEUS__CLIENT__METRIC_TYPE__COUNTER :
				 IO__PROMETHEUS__CLIENT__METRIC_TYPE__GAUGE, rows, fs->n);
		free(rows);
	}
	return err;
}

int nl_expo_protobuf(FILE *f, const struct nl_interval *iv, const struct nl_expo_self *self,
		     const struct nl_expo_opts *o)
{
	const struct nl_value **vals = NULL;
	size_t n = 0, start = 0;
	int err = 0;

	if (iv)
		vals = nl_expo_sorted(iv, &n);
	for (size_t i = 1; i <= n && !err; i++) {
		char a[NL_EXPO_NAME_MAX], b[NL_EXPO_NAME_MAX];
		double scale;

		if (i < n) {
			nl_expo_name(vals[start], a, sizeof(a), &scale);
			nl_expo_name(vals[i], b, sizeof(b), &scale);
			if (!strcmp(a, b))
				continue;
		}
		err = netlat_family(f, vals + start, i - start, o);
		start = i;
	}
	free(vals);
	return err ? err : self_families(f, self);
}
