// SPDX-License-Identifier: GPL-2.0
/* `netlat diff` text output, and the choice of renderer. */
#include <errno.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/report.h"
#include "netlat/util.h"

int nl_diff_format_parse(const char *s, enum nl_diff_format *out)
{
	static const struct { const char *name; enum nl_diff_format f; } fmts[] = {
		{ "text", NL_DIFF_TEXT }, { "json", NL_DIFF_JSON },
		{ "junit", NL_DIFF_JUNIT }, { "markdown", NL_DIFF_MARKDOWN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++)
		if (!strcmp(s, fmts[i].name)) {
			*out = fmts[i].f;
			return 0;
		}
	return -EINVAL;
}

int nl_diff_render(FILE *out, const struct nl_diff *d, enum nl_diff_format f)
{
	int err;

	switch (f) {
	case NL_DIFF_JSON:
		err = nl_diff_json(out, d);
		break;
	case NL_DIFF_JUNIT:
		err = nl_diff_junit(out, d);
		break;
	case NL_DIFF_MARKDOWN:
		err = nl_diff_markdown(out, d);
		break;
	default:
		err = nl_diff_text(out, d);
		break;
	}
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}

static void text_method(FILE *out, const struct nl_diff *d)
{
	fprintf(out, "# BASE: %s (%u run%s)\n# NEW:  %s (%u run%s)\n", d->base.path,
		d->base.s.nruns, d->base.s.nruns == 1 ? "" : "s", d->new.path, d->new.s.nruns,
		d->new.s.nruns == 1 ? "" : "s");
	if (d->rank)
		fprintf(out, "# test: Mann-Whitney U across runs (one-sided, alpha %.2f), medians compared,"
			" and the threshold as minimum effect\n", NL_DIFF_ALPHA);
	else
		fprintf(out, "# test: NO SPREAD AVAILABLE (single recordings): histograms compared whole"
			" (KS distance >= %.2f), counts by a Poisson bound, ratios by threshold alone\n",
			NL_DIFF_KS_MIN);
	fprintf(out, "# false discovery rate: Benjamini-Hochberg at q=%.2f over %zu gated statistics;"
		" p-value cut %.4f%s\n", NL_DIFF_FDR_Q, d->fdr_family, d->fdr_cut,
		d->fdr_cut > 0 ? "" : " (nothing passed)");
	fprintf(out, "# rows matched by %s\n", d->strict ? "recorded keys (--match strict)" :
		"portable keys (netns by name, qdisc by dev+kind+parent, no pid, no client port;"
		" --match strict for recorded keys)");
	for (size_t i = 0; i < d->nwarn; i++)
		fprintf(out, "# warning: %s\n", d->warn[i]);
}

static void text_row(FILE *out, const struct nl_cmp *c)
{
	char vb[32], vn[32], chg[24], test[40], name[48], key[NL_KEY_MAX];

	nl_fmt_value(vb, sizeof(vb), c->vb, c->b->unit);
	nl_fmt_value(vn, sizeof(vn), c->vn, c->n->unit);
	nl_diff_fmt_change(chg, sizeof(chg), c);
	nl_diff_fmt_test(test, sizeof(test), c);
	nl_report_safe_key(c->b->key, key, sizeof(key));
	snprintf(name, sizeof(name), "%s.%s", c->b->stat, c->b->statistic);
	fprintf(out, "%-12s %-8s %-26s %-26s %12s %12s %9s %7s  %s\n", nl_verdict_name(c->verdict),
		c->b->metric, *key ? key : "-", name, vb, vn, chg, c->th ? c->th->spec : "-", test);
}

static void text_only(FILE *out, const char *side, const struct nl_item *const *it, size_t n)
{
	char key[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		nl_report_safe_key(it[i]->key, key, sizeof(key));
		fprintf(out, "only in %s: %s %s %s.%s\n", side, it[i]->metric, *key ? key : "-",
			it[i]->stat, it[i]->statistic);
	}
}

int nl_diff_text(FILE *out, const struct nl_diff *d)
{
	text_method(out, d);
	fprintf(out, "\n%-12s %-8s %-26s %-26s %12s %12s %9s %7s  %s\n", "verdict", "metric", "key",
		"statistic", "base", "new", "change", "thresh", "test");
	for (size_t i = 0; i < d->n; i++)
		text_row(out, &d->c[i]);
	if (d->n_only_base || d->n_only_new)
		fputc('\n', out);
	text_only(out, "BASE", d->only_base, d->n_only_base);
	text_only(out, "NEW", d->only_new, d->n_only_new);
	fputc('\n', out);
	for (size_t i = 0; i < d->n; i++) {
		const struct nl_cmp *c = &d->c[i];
		char chg[24], key[NL_KEY_MAX];

		if (c->verdict != NL_VERDICT_REGRESSED)
			continue;
		nl_diff_fmt_change(chg, sizeof(chg), c);
		nl_report_safe_key(c->b->key, key, sizeof(key));
		fprintf(out, "REGRESSION: %s %s %s.%s %s (threshold %s, %s)", c->b->metric,
			*key ? key : "-", c->b->stat, c->b->statistic, chg, c->th->spec, c->th->origin);
		if (c->b->attrs[0]) {
			nl_report_safe_key(c->b->attrs, key, sizeof(key));
			fprintf(out, " [BASE recorded as %s]", key);
		}
		fputc('\n', out);
	}
	fprintf(out, "summary: %zu compared: %zu regressed, %zu improved, %zu changed, %zu within noise;"
		" %zu only in BASE, %zu only in NEW; %zu worse beyond a report-only threshold\n", d->n,
		d->count[NL_VERDICT_REGRESSED], d->count[NL_VERDICT_IMPROVED], d->count[NL_VERDICT_CHANGED],
		d->count[NL_VERDICT_NOISE], d->n_only_base, d->n_only_new, d->count[NL_VERDICT_WORSE]);
	return 0;
}
