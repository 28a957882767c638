// SPDX-License-Identifier: GPL-2.0
/* `netlat diff --format json`: everything the comparison knows, schema netlat-diff/1. */
#include <math.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/json.h"
#include "netlat/report.h"

static void json_side(struct nl_json *j, const char *name, const struct nl_diff_side *s)
{
	static const char *const meta[] = { "host", "kernel", "netlat_version", "collector", "command" };

	nl_json_key(j, name);
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "path", s->path);
	nl_json_kv_u64(j, "runs", s->s.nruns);
	nl_json_kv_double(j, "duration_s", s->s.total_dur_s);
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		const char *v = nl_rec_meta(s->rec, meta[i]);

		nl_json_kv_str(j, meta[i], v ? v : "");
	}
	nl_json_obj_end(j);
}

static void json_ident(struct nl_json *j, const struct nl_item *it)
{
	char key[NL_KEY_MAX];

	nl_report_safe_key(it->key, key, sizeof(key));
	nl_json_kv_str(j, "metric", it->metric);
	nl_json_kv_str(j, "key", key);
	nl_json_kv_str(j, "stat", it->stat);
	nl_json_kv_str(j, "statistic", it->statistic);
	nl_json_kv_str(j, "unit", it->unit);
}

static void json_spread(struct nl_json *j, const char *name, const struct nl_spread *s,
			const struct nl_item *it, uint32_t nruns)
{
	nl_json_key(j, name);
	nl_json_obj_begin(j);
	nl_json_kv_u64(j, "runs", s->n);
	nl_json_kv_double(j, "median", s->median);
	nl_json_kv_double(j, "min", s->min);
	nl_json_kv_double(j, "max", s->max);
	nl_json_kv_double(j, "rsd_pct", s->rsd_pct);
	nl_json_key(j, "values");
	nl_json_arr_begin(j);
	for (uint32_t k = 0; k < nruns; k++)
		nl_json_double(j, it->v[k]);	/* NaN (no value in that run) becomes null */
	nl_json_arr_end(j);
	nl_json_obj_end(j);
}

static void json_cmp(struct nl_json *j, const struct nl_diff *d, const struct nl_cmp *c)
{
	nl_json_obj_begin(j);
	json_ident(j, c->b);
	nl_json_kv_double(j, "base", c->vb);
	nl_json_kv_double(j, "new", c->vn);
	nl_json_kv_double(j, "change_pct", isnan(c->change_pct) ?
			  (c->vn > 0 ? INFINITY : -INFINITY) : c->change_pct);
	nl_json_kv_str(j, "verdict", nl_verdict_name(c->verdict));
	nl_json_kv_str(j, "key_recorded", c->b->attrs[0] ? c->b->attrs : c->b->key);
	nl_json_kv_bool(j, "gated", c->gated);
	nl_json_key(j, "threshold");
	if (c->th) {
		nl_json_obj_begin(j);
		nl_json_kv_str(j, "pattern", c->th->pattern);
		nl_json_kv_str(j, "value", c->th->spec);
		nl_json_kv_str(j, "origin", c->th->origin);
		nl_json_obj_end(j);
	} else {
		nl_json_null(j);
	}
	nl_json_key(j, "test");
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "method", nl_diff_test_name(c->test));
	nl_json_kv_double(j, "score", c->test >= NL_TEST_NONE ? NAN : c->score);
	nl_json_kv_double(j, "bound", c->test >= NL_TEST_NONE ? NAN : c->bound);
	nl_json_kv_bool(j, "significant", c->significant);
	nl_json_obj_end(j);
	json_spread(j, "base_runs", &c->sb, c->b, d->base.s.nruns);
	json_spread(j, "new_runs", &c->sn, c->n, d->new.s.nruns);
	nl_json_obj_end(j);
}

static void json_only(struct nl_json *j, const char *name, const struct nl_item *const *it, size_t n)
{
	nl_json_key(j, name);
	nl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		nl_json_obj_begin(j);
		json_ident(j, it[i]);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
}

int nl_diff_json(FILE *out, const struct nl_diff *d)
{
	struct nl_json *j = nl_json_new(out, false);

	if (!j)
		return -1;
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "schema", "netlat-diff/1");
	json_side(j, "base", &d->base);
	json_side(j, "new", &d->new);
	nl_json_kv_str(j, "method", d->rank ? "rank" : "single");
	nl_json_kv_bool(j, "spread_available", d->rank);
	nl_json_kv_double(j, "alpha", NL_DIFF_ALPHA);
	nl_json_key(j, "warnings");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < d->nwarn; i++)
		nl_json_str(j, d->warn[i]);
	nl_json_arr_end(j);
	nl_json_key(j, "comparisons");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < d->n; i++)
		json_cmp(j, d, &d->c[i]);
	nl_json_arr_end(j);
	json_only(j, "only_in_base", d->only_base, d->n_only_base);
	json_only(j, "only_in_new", d->only_new, d->n_only_new);
	nl_json_key(j, "summary");
	nl_json_obj_begin(j);
	nl_json_kv_u64(j, "compared", d->n);
	nl_json_kv_u64(j, "regressed", d->count[NL_VERDICT_REGRESSED]);
	nl_json_kv_u64(j, "improved", d->count[NL_VERDICT_IMPROVED]);
	nl_json_kv_u64(j, "changed", d->count[NL_VERDICT_CHANGED]);
	nl_json_kv_u64(j, "within_noise", d->count[NL_VERDICT_NOISE]);
	nl_json_kv_u64(j, "worse_report_only", d->count[NL_VERDICT_WORSE]);
	nl_json_kv_u64(j, "fdr_family", d->fdr_family);
	nl_json_kv_double(j, "fdr_q", NL_DIFF_FDR_Q);
	nl_json_kv_double(j, "fdr_p_cut", d->fdr_cut);
	nl_json_obj_end(j);
	nl_json_kv_u64(j, "exit", d->count[NL_VERDICT_REGRESSED] ? 1 : 0);
	nl_json_obj_end(j);
	nl_json_free(j);
	return 0;
}
