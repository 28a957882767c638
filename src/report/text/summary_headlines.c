// SPDX-License-Identifier: GPL-2.0
/*
 * The summary report's metric lines: one line per metric with the numbers a
 * person would put in a ticket (the metric's struct nl_headline, in the metric
 * table), rows ranked by --sort and
 * cut to --top. The full tables are `netlat report --full`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/keys.h"
#include "netlat/report.h"
#include "netlat/util.h"
#include "summary_report.h"

uint64_t nl_sum_counter(const struct nl_interval *iv, const char *metric, const char *field,
			const char *stat)
{
	size_t flen = strlen(field);
	uint64_t s = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];

		if (v->kind == NL_COUNTER && !strcmp(v->metric, metric) && !strcmp(v->stat, stat) &&
		    !strncmp(v->key, field, flen) && v->key[flen] == '=')
			s += v->counter;
	}
	return s;
}

void nl_sum_hists(const struct nl_interval *iv, const char *metric, const char *field,
		  const char *stat, struct nl_hist *h)
{
	size_t flen = strlen(field);

	nl_hist_reset(h);
	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];

		if (v->kind == NL_HIST && v->hist && !strcmp(v->metric, metric) &&
		    !strcmp(v->stat, stat) && !strncmp(v->key, field, flen) && v->key[flen] == '=')
			nl_hist_merge(h, v->hist);
	}
}

struct row {
	const char *key;
	double p50, p99, ratio, count, time_ns;
	bool has_hist, has_ratio, has_counter, has_time;
	bool ratio_unmeasured;	/* the ratio's denominator is there, its numerator was not measured */
};

static const char *sort_by = "p99";
static struct nl_keymap *keymap;	/* namespaces by name in the labels */

static double row_rank(const struct row *r)
{
	if (!strcmp(sort_by, "count"))
		return r->count;
	if (r->has_hist)
		return !strcmp(sort_by, "p50") ? r->p50 : r->p99;
	return r->has_ratio ? r->ratio : r->count;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	double x, y;

	if (!strcmp(sort_by, "name"))
		return nl_report_natcmp(a->key, b->key);
	x = row_rank(a);
	y = row_rank(b);
	if (x != y)
		return x < y ? 1 : -1;
	return nl_report_natcmp(a->key, b->key);
}

int nl_report_sort_check(const char *s)
{
	static const char *const ok[] = { "p99", "p50", "count", "name" };

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (!strcmp(s, ok[i]))
			return 0;
	return -EINVAL;
}

/*
 * "dev=lo netns=4026531833" -> "lo", "cpu=1 vec=NET_RX" -> "cpu1 NET_RX": the values, with the
 * namespace by name (portable key) only when it is not the initial one: "veth0@ns1".
 */
static void row_label(const char *key, char *out, size_t len)
{
	char ns[NL_KEY_MAX] = "";
	size_t n;

	const char *p = key;
	size_t o = 0;

	out[0] = '\0';
	while (*p && o + 1 < len) {
		const char *eq = strchr(p, '='), *end = strchr(p, ' ');

		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			break;
		if (strncmp(p, "netns=", 6) && strncmp(p, "pid=", 4) && strncmp(p, "stage=", 6))
			o += (size_t)snprintf(out + o, len - o, "%s%s%.*s", o ? " " : "",
					      !strncmp(p, "cpu=", 4) ? "cpu" : "",
					      (int)(end - eq - 1), eq + 1);
		p = *end ? end + 1 : end;
	}
	n = strlen(out);
	if (nl_key_get(key, "netns", ns, sizeof(ns)) && strcmp(ns, "init") && n < len)
		snprintf(out + n, len - n, "@%s", ns);
}

static bool row_of(const struct nl_headline *h, const char *key)
{
	size_t flen = strlen(h->row_field);

	if (h->row_prefix)
		return !strncmp(key, h->row_prefix, strlen(h->row_prefix));
	return !strncmp(key, h->row_field, flen) && key[flen] == '=';
}

static size_t collect_rows(const struct nl_metric_desc *m, const struct nl_interval *iv, struct row **out)
{
	const struct nl_headline *h = m->headline;
	struct nl_report_rows rows;
	struct row *r;
	size_t n = 0;

	*out = NULL;
	if (nl_report_rows(iv, m->name, m ? m->key_fields : "", &rows))
		return 0;
	r = nl_xcalloc(rows.n ? rows.n : 1, sizeof(*r));
	for (size_t i = 0; i < rows.n; i++) {
		const char *key = rows.keys[i];
		const struct nl_value *v;
		struct row x = { .key = key };

		if (!row_of(h, key))
			continue;
		v = h->hist ? nl_iv_find(iv, m->name, key, h->hist) : NULL;
		if (v && v->kind == NL_HIST && v->hist && v->hist->count) {
			x.has_hist = true;
			x.p50 = (double)nl_hist_percentile(v->hist, 0.50);
			x.p99 = (double)nl_hist_percentile(v->hist, 0.99);
			x.count = (double)v->hist->count;
		}
		for (size_t d = 0; m && m->derived && h->ratio && m->derived[d].name; d++) {
			if (strcmp(m->derived[d].name, h->ratio))
				continue;
			x.has_ratio = nl_report_ratio(iv, m->name, key, &m->derived[d], &x.ratio);
			v = nl_iv_find(iv, m->name, key, m->derived[d].den);
			x.ratio_unmeasured = !x.has_ratio && v && v->kind == NL_COUNTER && v->counter;
		}
		v = h->time_hist ? nl_iv_find(iv, m->name, key, h->time_hist) : NULL;
		if (v && v->kind == NL_HIST && v->hist) {
			x.has_time = true;
			x.time_ns = (double)v->hist->sum;
		}
		v = h->counter ? nl_iv_find(iv, m->name, key, h->counter) : NULL;
		if (v && v->kind == NL_COUNTER) {
			x.has_counter = true;
			x.count = (double)v->counter;
		}
		if (x.has_hist || x.has_ratio || x.ratio_unmeasured || x.has_counter)
			r[n++] = x;
	}
	nl_report_rows_free(&rows);
	qsort(r, n, sizeof(*r), row_cmp);
	*out = r;
	return n;
}

static void row_text(struct nl_sum_line *l, const struct nl_metric_desc *m, const struct row *r, bool say_why)
{
	const struct nl_headline *h = m->headline;
	char label[NL_KEY_MAX], p50[16], p99[16], safe[NL_KEY_MAX], portable[NL_KEY_MAX];
	char buf[160];
	size_t o;

	nl_keymap_key(keymap, m->name, r->key, portable, sizeof(portable));
	nl_report_safe_key(portable, safe, sizeof(safe));
	row_label(safe, label, sizeof(label));
	o = (size_t)snprintf(buf, sizeof(buf), "%s", *label ? label : "-");
	if (r->has_time) {
		nl_fmt_ns(p50, sizeof(p50), r->time_ns);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s", p50);
	}
	if (r->has_hist) {
		nl_fmt_ns(p50, sizeof(p50), r->p50);
		nl_fmt_ns(p99, sizeof(p99), r->p99);
		if (!strcmp(h->hist, "raise_delay"))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, " raise p99 %s", p99);
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s|%s", p50, p99);
	}
	if (r->has_ratio && o < sizeof(buf)) {
		const char *lab = h->ratio_label ? h->ratio_label : h->ratio;
		size_t ll = strlen(lab);

		/* a label ending in '%' is a share: shown in percent */
		if (ll && lab[ll - 1] == '%')
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %.*s %.1f%%", (int)(ll - 2), lab,
					      r->ratio * 100.0);
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s %.*f", lab,
					      r->ratio >= 100 ? 0 : r->ratio >= 1 ? 2 : 3, r->ratio);
	}
	if (r->ratio_unmeasured && o < sizeof(buf))
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s -%s%s%s", h->ratio_label ? h->ratio_label : h->ratio,
				      say_why && h->ratio_why ? " (" : "", say_why && h->ratio_why ? h->ratio_why : "",
				      say_why && h->ratio_why ? ")" : "");
	if (r->has_counter && o < sizeof(buf))
		snprintf(buf + o, sizeof(buf) - o, " %.0f", r->count);
	nl_sum_add(l, "%s", buf);
}

void nl_report_headline(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			const struct nl_metric_desc *m, const struct nl_report_opts *o)
{
	const struct nl_headline *h = m->headline;
	struct nl_sum_line l;
	struct row *r = NULL;
	size_t n = 0, top = o->top ? o->top : h && h->top ? h->top : NL_SUM_TOP;

	nl_sum_begin(&l, m->name);
	sort_by = o->sort ? o->sort : "p99";
	keymap = nl_keymap_new(rec);
	if (h && h->totals)
		h->totals(&l, iv);
	if (h)
		n = collect_rows(m, iv, &r);
	bool why_said = false;

	for (size_t i = 0; i < n && i < top; i++) {
		/* the first "-" says why, the others are alike */
		row_text(&l, m, &r[i], r[i].ratio_unmeasured && !why_said);
		why_said |= r[i].ratio_unmeasured;
	}
	if (n > top)
		nl_sum_add(&l, "+%zu more", n - top);
	if (!n && !(h && h->totals))
		nl_sum_add(&l, "no events");
	nl_sum_end(&l, out);
	free(r);
	nl_keymap_free(keymap);
	keymap = NULL;
}
