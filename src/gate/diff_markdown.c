// SPDX-License-Identifier: GPL-2.0
/* `netlat diff --format markdown`: a table for a CI job summary or a pull-request comment. */
#include <string.h>

#include "netlat/diff.h"
#include "netlat/report.h"

/* A table cell: '|' would end it, a newline would end the table. */
static void md_cell(FILE *out, const char *s)
{
	fputs("| ", out);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else
			fputc(*s == '\n' ? ' ' : *s, out);
	}
	fputc(' ', out);
}

static void md_row(FILE *out, const struct nl_cmp *c)
{
	static const char *const icon[] = {
		[NL_VERDICT_NOISE] = "", [NL_VERDICT_REGRESSED] = ":x: ",
		[NL_VERDICT_IMPROVED] = ":white_check_mark: ", [NL_VERDICT_CHANGED] = ":information_source: ",
		[NL_VERDICT_WORSE] = ":warning: ",
	};
	char verdict[64], vb[32], vn[32], chg[24], test[40], name[48], key[NL_KEY_MAX];

	snprintf(verdict, sizeof(verdict), "%s%s", icon[c->verdict], nl_verdict_name(c->verdict));
	nl_fmt_value(vb, sizeof(vb), c->vb, c->b->unit);
	nl_fmt_value(vn, sizeof(vn), c->vn, c->n->unit);
	nl_diff_fmt_change(chg, sizeof(chg), c);
	nl_diff_fmt_test(test, sizeof(test), c);
	nl_report_safe_key(c->b->key, key, sizeof(key));
	snprintf(name, sizeof(name), "%s.%s", c->b->stat, c->b->statistic);
	md_cell(out, verdict);
	md_cell(out, c->b->metric);
	md_cell(out, *key ? key : "-");
	md_cell(out, name);
	md_cell(out, vb);
	md_cell(out, vn);
	md_cell(out, chg);
	md_cell(out, c->th ? c->th->spec : "-");
	md_cell(out, test);
	fputs("|\n", out);
}

static void md_only(FILE *out, const char *side, const struct nl_item *const *it, size_t n)
{
	char key[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		nl_report_safe_key(it[i]->key, key, sizeof(key));
		fprintf(out, "- only in %s: `%s %s %s.%s`\n", side, it[i]->metric, *key ? key : "-",
			it[i]->stat, it[i]->statistic);
	}
}

int nl_diff_markdown(FILE *out, const struct nl_diff *d)
{
	fprintf(out, "### netlat diff: %zu regressed, %zu improved, %zu changed, %zu within noise\n\n",
		d->count[NL_VERDICT_REGRESSED], d->count[NL_VERDICT_IMPROVED],
		d->count[NL_VERDICT_CHANGED], d->count[NL_VERDICT_NOISE]);
	fprintf(out, "BASE `%s` (%u runs), NEW `%s` (%u runs). ", d->base.path, d->base.s.nruns,
		d->new.path, d->new.s.nruns);
	if (d->rank)
		fprintf(out, "Test: Mann-Whitney U across runs (one-sided, alpha %.2f) plus thresholds.\n\n",
			NL_DIFF_ALPHA);
	else
		fprintf(out, "**No spread available** (single recordings): histograms compared whole"
			" (KS), counts by a Poisson bound, ratios by threshold alone.\n\n");
	for (size_t i = 0; i < d->nwarn; i++)
		fprintf(out, "> warning: %s\n\n", d->warn[i]);
	fputs("| verdict | metric | key | statistic | base | new | change | threshold | test |\n", out);
	fputs("|---|---|---|---|---:|---:|---:|---:|---|\n", out);
	for (size_t i = 0; i < d->n; i++)
		md_row(out, &d->c[i]);
	if (d->n_only_base || d->n_only_new)
		fputc('\n', out);
	md_only(out, "BASE", d->only_base, d->n_only_base);
	md_only(out, "NEW", d->only_new, d->n_only_new);
	return 0;
}
