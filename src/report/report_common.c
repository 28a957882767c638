// SPDX-License-Identifier: GPL-2.0
/* What the text, JSON and CSV renderers agree on: rows, their order, ratios, health. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netlat/report.h"
#include "netlat/util.h"

int nl_report_format_parse(const char *s, enum nl_report_format *out)
{
	if (!strcmp(s, "text"))
		*out = NL_REPORT_TEXT;
	else if (!strcmp(s, "json"))
		*out = NL_REPORT_JSON;
	else if (!strcmp(s, "csv"))
		*out = NL_REPORT_CSV;
	else
		return -EINVAL;
	return 0;
}

int nl_report_render(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	int err;

	switch (o->format) {
	case NL_REPORT_JSON:
		err = nl_report_json(out, rec, o);
		break;
	case NL_REPORT_CSV:
		err = nl_report_csv(out, rec, o);
		break;
	default:
		/* --intervals is per-interval detail: it implies the full form */
		err = o->full || o->intervals ? nl_report_text(out, rec, o)
					       : nl_report_summary(out, rec, o);
		break;
	}
	if (err)
		return err;
	/* A full disk or a closed pipe must not look like a clean report. */
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}

/* An explicit -m list (not absent, not "all") makes absent metrics worth a line. */
static bool list_explicit(const struct nl_report_opts *o)
{
	return o->metrics && *o->metrics && strcmp(o->metrics, "all");
}

static bool iv_has_metric(const struct nl_interval *iv, const char *metric)
{
	for (size_t i = 0; iv && i < iv->n; i++)
		if (!strcmp(iv->v[i].metric, metric))
			return true;
	return false;
}

enum nl_report_presence nl_report_presence(const struct nl_recording *rec,
					   const struct nl_interval *total,
					   const struct nl_metric_desc *m,
					   const struct nl_report_opts *o,
					   const struct nl_metric_status **st)
{
	const struct nl_metric_status *s = nl_rec_metric_const(rec, m->name);

	*st = s;
	if (list_explicit(o) && !nl_metric_selected(o->metrics, m->name))
		return NL_REPORT_SKIP;
	if (s && s->state == NL_METRIC_OK)
		return NL_REPORT_OK;
	if (s && s->state == NL_METRIC_UNAVAILABLE)
		return NL_REPORT_UNAVAILABLE;
	/* A file may carry values without a status entry: show them, they were measured. */
	if (iv_has_metric(total, m->name))
		return NL_REPORT_OK;
	return list_explicit(o) ? NL_REPORT_ABSENT : NL_REPORT_SKIP;
}

void nl_report_warn_absent(const struct nl_recording *rec, const struct nl_interval *total,
			   const struct nl_report_opts *o)
{
	const struct nl_metric_status *st;

	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nl_report_presence(rec, total, nl_metrics[i], o, &st) == NL_REPORT_ABSENT)
			nl_warn("metric '%s' is not in this recording", nl_metrics[i]->name);
}

/* Length of a digit run after its leading zeros, and where those zeros end. */
static size_t digit_run(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == '0' && isdigit((unsigned char)s[1]))
		s++;
	*p = s;
	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

int nl_report_natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			size_t na = digit_run(&a), nb = digit_run(&b);
			int c;

			if (na != nb)
				return na < nb ? -1 : 1;
			c = strncmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += na;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

void nl_report_key_shape(const char *key, char *out, size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	out[0] = '\0';
	while (*key) {
		size_t tok = strcspn(key, " ");
		size_t name = strcspn(key, "= ");

		if (name > tok)
			name = tok;
		if (name && o + name + 2 <= len) {
			if (o)
				out[o++] = ' ';
			memcpy(out + o, key, name);
			o += name;
			out[o] = '\0';
		}
		key += tok;
		while (*key == ' ')
			key++;
	}
}

/* Position of shape among the "|"-separated alternatives of key_fields; unknown shapes sort last. */
static int shape_rank(const char *key, const char *key_fields)
{
	char shape[NL_KEY_MAX];
	const char *p = key_fields ? key_fields : "";
	int rank = 0;

	nl_report_key_shape(key, shape, sizeof(shape));
	for (;;) {
		size_t n = strcspn(p, "|");

		if (n == strlen(shape) && !strncmp(p, shape, n))
			return rank;
		if (!p[n])
			return rank + 1;
		p += n + 1;
		rank++;
	}
}

struct ranked_key {
	const char *key;
	int rank;
};

static int ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked_key *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return nl_report_natcmp(a->key, b->key);
}

int nl_report_rows(const struct nl_interval *iv, const char *metric, const char *key_fields,
		   struct nl_report_rows *rows)
{
	struct ranked_key *rk;
	size_t n = 0;

	rows->keys = NULL;
	rows->n = 0;
	if (!iv || !iv->n)
		return 0;
	rk = calloc(iv->n, sizeof(*rk));
	if (!rk)
		return -ENOMEM;
	for (size_t i = 0; i < iv->n; i++) {
		if (strcmp(iv->v[i].metric, metric))
			continue;
		rk[n].key = iv->v[i].key;
		rk[n].rank = shape_rank(iv->v[i].key, key_fields);
		n++;
	}
	qsort(rk, n, sizeof(*rk), ranked_cmp);
	rows->keys = calloc(n ? n : 1, sizeof(*rows->keys));
	if (!rows->keys) {
		free(rk);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (!rows->n || strcmp(rows->keys[rows->n - 1], rk[i].key))
			rows->keys[rows->n++] = rk[i].key;
	free(rk);
	return 0;
}

void nl_report_rows_free(struct nl_report_rows *rows)
{
	free(rows->keys);
	rows->keys = NULL;
	rows->n = 0;
}

size_t nl_report_row_values(const struct nl_interval *iv, const struct nl_metric_desc *m,
			    const char *key, const struct nl_value **out, size_t max)
{
	size_t n = 0;

	for (const struct nl_stat_desc *s = m->stats; s && s->name && n < max; s++) {
		const struct nl_value *v = nl_iv_find(iv, m->name, key, s->name);

		if (v)
			out[n++] = v;
	}
	for (size_t i = 0; i < iv->n && n < max; i++) {
		const struct nl_value *v = &iv->v[i];

		if (!strcmp(v->metric, m->name) && !strcmp(v->key, key) &&
		    !nl_metric_stat(m, v->stat))
			out[n++] = v;
	}
	return n;
}

bool nl_report_ratio(const struct nl_interval *iv, const char *metric, const char *key,
		     const struct nl_derived *d, double *out)
{
	const struct nl_value *den = nl_iv_find(iv, metric, key, d->den);
	const char *p = d->num;
	uint64_t num = 0;
	bool measured = false;

	if (!den || den->kind != NL_COUNTER || !den->counter)
		return false;
	while (*p) {
		char stat[NL_NAME_MAX];
		size_t n = strcspn(p, "+");
		const struct nl_value *v;

		snprintf(stat, sizeof(stat), "%.*s", (int)n, p);
		v = nl_iv_find(iv, metric, key, stat);
		if (v && v->kind == NL_COUNTER) {
			num += v->counter;
			measured = true;
		}
		p += n;
		if (*p == '+')
			p++;
	}
	/* no numerator in the row: not measured (copy without --syscall-time), not a ratio of 0 */
	if (!measured)
		return false;
	*out = (double)num / (double)den->counter * (d->scale ? d->scale : 1.0);
	return true;
}

static size_t hex_run(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* Kernel pointers: "0x" + 12 or more hex digits, or a bare "ffff..." of 16. */
static size_t addr_len(const char *s, bool at_token_start)
{
	size_t n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		n = hex_run(s + 2);
		return n >= 12 ? n + 2 : 0;
	}
	if (at_token_start && !strncasecmp(s, "ffff", 4)) {
		n = hex_run(s);
		return n >= 16 ? n : 0;
	}
	return 0;
}

void nl_report_safe_key(const char *key, char *out, size_t len)
{
	size_t o = 0;
	bool tok_start = true;

	if (!len)
		return;
	while (*key && o + 1 < len) {
		size_t n = addr_len(key, tok_start);

		if (n) {
			int w = snprintf(out + o, len - o, "(addr)");

			o += (size_t)w < len - o ? (size_t)w : len - o - 1;
			key += n;
			tok_start = false;
			continue;
		}
		tok_start = (*key == '=' || *key == ' ');
		out[o++] = *key++;
	}
	out[o] = '\0';
}

uint64_t nl_report_lost_events(const struct nl_interval *iv)
{
	uint64_t sum = 0;

	for (size_t i = 0; iv && i < iv->n; i++)
		if (!strcmp(iv->v[i].metric, "session") && !strcmp(iv->v[i].stat, "lost_events") &&
		    iv->v[i].kind == NL_COUNTER)
			sum += iv->v[i].counter;
	return sum;
}

double nl_report_duration_s(const struct nl_recording *rec)
{
	const char *d = nl_rec_meta(rec, "duration_ns");
	uint64_t lo = UINT64_MAX, hi = 0;

	if (d && *d) {
		char *end;
		unsigned long long ns = strtoull(d, &end, 10);

		if (!*end)
			return (double)ns / 1e9;
	}
	for (size_t i = 0; i < rec->niv; i++) {
		if (rec->iv[i]->start_ns < lo)
			lo = rec->iv[i]->start_ns;
		if (rec->iv[i]->end_ns > hi)
			hi = rec->iv[i]->end_ns;
	}
	return hi > lo ? (double)(hi - lo) / 1e9 : 0.0;
}

size_t nl_report_iv_index(const struct nl_recording *rec, size_t i)
{
	size_t idx = 0;

	for (size_t j = 0; j < i; j++)
		if (rec->iv[j]->run == rec->iv[i]->run)
			idx++;
	return idx;
}
