// SPDX-License-Identifier: GPL-2.0
/*
 * `netlat diff --format junit`: one testcase per compared statistic, a
 * <failure> for each regression, one testsuite per metric. The subset of
 * JUnit XML that Jenkins, GitLab and GitHub test reporters all read.
 */
#include <string.h>

#include "netlat/diff.h"
#include "netlat/report.h"

/* XML text and attribute escaping, the one place it happens. */
static void xml_esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* control characters are not allowed in XML 1.0 */
			fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? '?' : *s, out);
		}
	}
}

static void junit_case(FILE *out, const struct nl_cmp *c)
{
	char vb[32], vn[32], chg[24], test[40], key[NL_KEY_MAX];

	nl_fmt_value(vb, sizeof(vb), c->vb, c->b->unit);
	nl_fmt_value(vn, sizeof(vn), c->vn, c->n->unit);
	nl_diff_fmt_change(chg, sizeof(chg), c);
	nl_diff_fmt_test(test, sizeof(test), c);
	nl_report_safe_key(c->b->key, key, sizeof(key));
	fputs("    <testcase classname=\"netlat.", out);
	xml_esc(out, c->b->metric);
	fputs("\" name=\"", out);
	xml_esc(out, *key ? key : "-");
	fputc(' ', out);
	xml_esc(out, c->b->stat);
	fputc('.', out);
	xml_esc(out, c->b->statistic);
	fputs("\" time=\"0\">\n", out);
	if (c->verdict == NL_VERDICT_REGRESSED) {
		fputs("      <failure type=\"regression\" message=\"", out);
		fprintf(out, "regressed %s (threshold ", chg);
		xml_esc(out, c->th->spec);
		fputs(")\">", out);
		fprintf(out, "base %s, new %s, change %s, threshold ", vb, vn, chg);
		xml_esc(out, c->th->spec);
		fputs(" from ", out);
		xml_esc(out, c->th->origin);
		fprintf(out, ", %s</failure>\n", test);
	}
	fprintf(out, "      <system-out>%s: base %s, new %s, change %s, %s</system-out>\n",
		nl_verdict_name(c->verdict), vb, vn, chg, test);
	fputs("    </testcase>\n", out);
}

/* Compared statistics of the metric starting at c[i] (items come grouped by metric). */
static size_t metric_run(const struct nl_diff *d, size_t i, size_t *failures)
{
	size_t k = i;

	*failures = 0;
	while (k < d->n && !strcmp(d->c[k].b->metric, d->c[i].b->metric)) {
		*failures += d->c[k].verdict == NL_VERDICT_REGRESSED;
		k++;
	}
	return k - i;
}

int nl_diff_junit(FILE *out, const struct nl_diff *d)
{
	size_t i = 0, nfail;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"netlat diff\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		d->n, d->count[NL_VERDICT_REGRESSED]);
	while (i < d->n) {
		size_t n = metric_run(d, i, &nfail);

		fputs("  <testsuite name=\"netlat.", out);
		xml_esc(out, d->c[i].b->metric);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", n, nfail);
		for (size_t k = i; k < i + n; k++)
			junit_case(out, &d->c[k]);
		fputs("  </testsuite>\n", out);
		i += n;
	}
	fputs("</testsuites>\n", out);
	return 0;
}
