// SPDX-License-Identifier: GPL-2.0
/* JSON report ("netlat-report/1", fields in docs/json.md), through the one JSON writer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/json.h"
#include "netlat/report.h"
#include "netlat/util.h"

#define JSON_SCHEMA_ID "netlat-report/1"
#define MAX_ROW_VALUES 64

/* {"dev": "veth0", "handle": "1:"} from "dev=veth0 handle=1:" */
static void json_key(struct nl_json *j, const char *key)
{
	char safe[NL_KEY_MAX];
	const char *p = safe;

	nl_report_safe_key(key, safe, sizeof(safe));
	nl_json_obj_begin(j);
	while (*p) {
		size_t tok = strcspn(p, " ");
		size_t name = strcspn(p, "=");
		char field[NL_KEY_MAX], val[NL_KEY_MAX];

		if (name > tok)
			name = tok;	/* a bare word: a field with an empty value */
		snprintf(field, sizeof(field), "%.*s", (int)name, p);
		snprintf(val, sizeof(val), "%.*s", (int)(tok > name ? tok - name - 1 : 0),
			 p + name + (name < tok));
		if (*field)
			nl_json_kv_str(j, field, val);
		p += tok;
		while (*p == ' ')
			p++;
	}
	nl_json_obj_end(j);
}

static void json_hist(struct nl_json *j, const char *unit, const struct nl_hist *h)
{
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "unit", unit);
	nl_json_kv_u64(j, "count", h->count);
	nl_json_kv_u64(j, "min", h->count ? h->min : 0);
	nl_json_kv_u64(j, "max", h->max);
	nl_json_kv_double(j, "mean", nl_hist_mean(h));
	nl_json_kv_u64(j, "p50", nl_hist_percentile(h, 0.50));
	nl_json_kv_u64(j, "p90", nl_hist_percentile(h, 0.90));
	nl_json_kv_u64(j, "p99", nl_hist_percentile(h, 0.99));
	nl_json_kv_u64(j, "p999", nl_hist_percentile(h, 0.999));
	nl_json_key(j, "buckets");
	nl_json_arr_begin(j);
	for (unsigned int b = 0; b < NL_HIST_BUCKETS; b++) {
		if (!h->buckets[b])
			continue;
		nl_json_arr_begin(j);
		nl_json_u64(j, nl_hist_bucket_lo(b));
		nl_json_u64(j, nl_hist_bucket_hi(b));
		nl_json_u64(j, h->buckets[b]);
		nl_json_arr_end(j);
	}
	nl_json_arr_end(j);
	nl_json_obj_end(j);
}

static void json_row(struct nl_json *j, const struct nl_interval *iv,
		     const struct nl_metric_desc *m, const char *key)
{
	const struct nl_value *vals[MAX_ROW_VALUES];
	size_t n = nl_report_row_values(iv, m, key, vals, MAX_ROW_VALUES);

	nl_json_obj_begin(j);
	nl_json_key(j, "key");
	json_key(j, key);
	for (size_t i = 0; i < n; i++) {
		if (vals[i]->kind == NL_COUNTER) {
			nl_json_kv_u64(j, vals[i]->stat, vals[i]->counter);
		} else if (vals[i]->kind == NL_HIST && vals[i]->hist) {
			nl_json_key(j, vals[i]->stat);
			json_hist(j, vals[i]->unit, vals[i]->hist);
		}
	}
	for (const struct nl_derived *d = m->derived; d && d->name; d++) {
		double r;

		if (nl_report_ratio(iv, m->name, key, d, &r))
			nl_json_kv_double(j, d->name, r);
	}
	nl_json_obj_end(j);
}

static int json_rows(struct nl_json *j, const struct nl_interval *iv, const struct nl_metric_desc *m)
{
	struct nl_report_rows rows;
	int err = nl_report_rows(iv, m->name, m->key_fields, &rows);

	if (err)
		return err;
	nl_json_key(j, "rows");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < rows.n; i++)
		json_row(j, iv, m, rows.keys[i]);
	nl_json_arr_end(j);
	nl_report_rows_free(&rows);
	return 0;
}

static int json_metric(struct nl_json *j, const struct nl_interval *total,
		       const struct nl_metric_desc *m, enum nl_report_presence p,
		       const struct nl_metric_status *st)
{
	char reason[NL_REASON_MAX];

	nl_report_safe_key(st ? st->reason : "", reason, sizeof(reason));
	if (p == NL_REPORT_UNAVAILABLE && !*reason)
		snprintf(reason, sizeof(reason), "no reason recorded");	/* never an unexplained gap */
	nl_json_key(j, m->name);
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "status", p == NL_REPORT_OK ? "ok" : "unavailable");
	nl_json_kv_str(j, "backend", st ? st->backend : "");
	nl_json_kv_str(j, "detail", st ? st->detail : "");
	nl_json_kv_str(j, "reason", reason);
	if (p == NL_REPORT_OK) {
		int err = json_rows(j, total, m);

		if (err)
			return err;
	} else {
		nl_json_key(j, "rows");
		nl_json_arr_begin(j);
		nl_json_arr_end(j);
	}
	nl_json_obj_end(j);
	return 0;
}

static int json_metrics(struct nl_json *j, const struct nl_recording *rec,
			const struct nl_interval *total, const struct nl_report_opts *o)
{
	nl_json_key(j, "metrics");
	nl_json_obj_begin(j);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_status *st;
		enum nl_report_presence p = nl_report_presence(rec, total, nl_metrics[i], o, &st);
		int err;

		if (p != NL_REPORT_OK && p != NL_REPORT_UNAVAILABLE)
			continue;
		err = json_metric(j, total, nl_metrics[i], p, st);
		if (err)
			return err;
	}
	nl_json_obj_end(j);
	return 0;
}

static int json_one_interval(struct nl_json *j, const struct nl_recording *rec, size_t i,
			     const struct nl_interval *total, const struct nl_report_opts *o)
{
	const struct nl_interval *iv = rec->iv[i];

	nl_json_obj_begin(j);
	nl_json_kv_u64(j, "run", iv->run);
	nl_json_kv_u64(j, "index", nl_report_iv_index(rec, i));
	nl_json_kv_double(j, "start_s", (double)iv->start_ns / 1e9);
	nl_json_kv_double(j, "end_s", (double)iv->end_ns / 1e9);
	nl_json_key(j, "metrics");
	nl_json_obj_begin(j);
	for (size_t k = 0; k < nl_nmetrics; k++) {
		const struct nl_metric_status *st;
		int err;

		if (nl_report_presence(rec, total, nl_metrics[k], o, &st) != NL_REPORT_OK)
			continue;
		nl_json_key(j, nl_metrics[k]->name);
		nl_json_obj_begin(j);
		err = json_rows(j, iv, nl_metrics[k]);
		if (err)
			return err;
		nl_json_obj_end(j);
	}
	nl_json_obj_end(j);
	nl_json_obj_end(j);
	return 0;
}

static int json_intervals(struct nl_json *j, const struct nl_recording *rec,
			  const struct nl_interval *total, const struct nl_report_opts *o)
{
	nl_json_key(j, "intervals");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < rec->niv; i++) {
		int err = json_one_interval(j, rec, i, total, o);

		if (err)
			return err;
	}
	nl_json_arr_end(j);
	return 0;
}

/* Meta values are strings in the file; numbers go out as numbers when they parse. */
static void json_meta_u64(struct nl_json *j, const struct nl_recording *rec,
			  const char *meta, const char *key)
{
	const char *s = nl_rec_meta(rec, meta);
	char *end;
	unsigned long long v;

	nl_json_key(j, key);
	if (!s || !*s) {
		nl_json_null(j);
		return;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || *s == '-')
		nl_json_null(j);
	else
		nl_json_u64(j, v);
}

static void json_header(struct nl_json *j, const struct nl_recording *rec,
			const struct nl_interval *total)
{
	const char *cmd = nl_rec_meta(rec, "command");
	const char *cexit = nl_rec_meta(rec, "command_exit");
	const char *ival = nl_rec_meta(rec, "interval_ns");

	nl_json_kv_str(j, "schema", JSON_SCHEMA_ID);
	nl_json_kv_str(j, "netlat_version", nl_rec_meta(rec, "netlat_version") ?: "");
	nl_json_kv_str(j, "host", nl_rec_meta(rec, "host") ?: "");
	nl_json_kv_str(j, "kernel", nl_rec_meta(rec, "kernel") ?: "");
	json_meta_u64(j, rec, "ncpus", "ncpus");
	nl_json_kv_double(j, "duration_s", nl_report_duration_s(rec));
	nl_json_key(j, "interval_s");
	if (ival && *ival)
		nl_json_double(j, strtod(ival, NULL) / 1e9);
	else
		nl_json_null(j);
	nl_json_kv_u64(j, "nintervals", rec->niv);
	nl_json_kv_u64(j, "runs", nl_rec_nruns(rec));
	nl_json_kv_str(j, "collector", nl_rec_meta(rec, "collector") ?: "");
	nl_json_kv_u64(j, "lost_events", nl_report_lost_events(total));
	nl_report_overhead_json(j, rec, total);
	if (cmd && *cmd)
		nl_json_kv_str(j, "command", cmd);
	if (cexit && *cexit) {
		char *end;
		long long v = strtoll(cexit, &end, 10);

		nl_json_key(j, "command_exit");
		if (*end)
			nl_json_null(j);
		else
			nl_json_i64(j, v);
	}
	/* every metadata entry as recorded, for tools that need more than the fields above */
	nl_json_key(j, "meta");
	nl_json_obj_begin(j);
	for (size_t i = 0; i < rec->nmeta; i++)
		nl_json_kv_str(j, rec->meta[i].key, rec->meta[i].val);
	nl_json_obj_end(j);
}

int nl_report_json(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	struct nl_json *j;
	int err = -ENOMEM;

	if (!total)
		return -ENOMEM;
	/* One line: buckets would take five lines each pretty-printed; jq reads either. */
	j = nl_json_new(out, false);
	if (!j)
		goto out_total;
	nl_report_warn_absent(rec, total, o);
	nl_json_obj_begin(j);
	json_header(j, rec, total);
	err = json_metrics(j, rec, total, o);
	if (!err && o->intervals)
		err = json_intervals(j, rec, total, o);
	nl_json_obj_end(j);	/* the writer ends the top-level value with a newline */
	nl_json_free(j);
out_total:
	nl_iv_free(total);
	return err;
}
