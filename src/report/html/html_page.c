// SPDX-License-Identifier: GPL-2.0
/*
 * `netlat report --html FILE`: one page that opens offline and leads with
 * the answer: the triage findings, the RX/TX ladders and a line per metric
 * on the first screen; then per metric (collapsed, <details>) its charts and
 * its full tables; the recording's metadata, in human units, at the bottom.
 * Charts are gnuplot SVGs inlined as <svg> elements (sharp at any zoom,
 * small), their ids prefixed per chart so that two charts never clash. A
 * Content-Security-Policy forbids the page from fetching or running anything.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/plot.h"
#include "netlat/report.h"
#include "netlat/triage.h"
#include "netlat/util.h"
#include "html_int.h"

void nl_html_text(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(s[i], out);
		}
	}
}

void nl_html_str(FILE *out, const char *s)
{
	nl_html_text(out, s ? s : "", SIZE_MAX);
}

static const char css[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;max-width:1400px;"
	"padding:1em 2em;color:#222;background:#fff}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;"
	"border-bottom:1px solid #ccc;padding-bottom:.2em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;"
	"padding:.2em .6em;text-align:left;vertical-align:top;font-size:.9em}th{background:#f3f3f3}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:1em}"
	"figure{margin:0;border:1px solid #e3e3e3;padding:.3em}figure svg{width:100%;height:auto}"
	"details{margin:.6em 0;border:1px solid #e3e3e3;padding:.3em .8em}"
	"summary{cursor:pointer;font-weight:bold}.slow{background:#fde7e7;font-weight:bold}"
	".finding{border-left:4px solid #b42318;padding:.2em .8em;margin:.5em 0;background:#fdf3f2}"
	".finding p{margin:.2em 0}code{background:#f3f3f3;padding:0 .2em}"
	"figcaption{font-size:.85em;color:#555}pre{background:#f8f8f8;border:1px solid #e3e3e3;"
	"padding:.8em;overflow-x:auto;font-size:.8em}.ok{color:#1a7f37}.bad{color:#b42318}"
	".note{color:#555;font-style:italic}";

static void page_head(FILE *out, const struct nl_recording *rec)
{
	const char *host = nl_rec_meta(rec, "host");

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
	/* Nothing may be fetched: inline styles and data: images only. */
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n", out);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
	fputs("<title>netlat report: ", out);
	nl_html_str(out, host && *host ? host : "?");
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>netlat report: ", css);
	nl_html_str(out, host && *host ? host : "?");
	fputs("</h1>\n", out);
}

static const char *state_name(uint8_t s)
{
	return s == NL_METRIC_OK ? "ok" : s == NL_METRIC_UNAVAILABLE ? "unavailable" : "off";
}

static void status_table(FILE *out, const struct nl_recording *rec)
{
	char reason[NL_REASON_MAX];

	fputs("<h2 id=\"backends\">Metrics and the backend each one used</h2>\n<table>\n"
	      "<tr><th>metric</th><th>status</th><th>backend</th><th>how</th><th>why not a better one"
	      " / why not measured</th></tr>\n", out);
	for (size_t i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *s = &rec->metrics[i];

		nl_report_safe_key(s->reason, reason, sizeof(reason));
		fprintf(out, "<tr><td><a href=\"#m-%s\">", s->name);
		nl_html_str(out, s->name);
		fprintf(out, "</a></td><td class=\"%s\">%s</td><td>",
			s->state == NL_METRIC_OK ? "ok" : "bad", state_name(s->state));
		nl_html_str(out, s->backend);
		fputs("</td><td>", out);
		nl_html_str(out, s->detail);
		fputs("</td><td>", out);
		nl_html_str(out, reason);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static unsigned int chart_no;

static int chart_figure(FILE *out, const char *dir, const struct nl_plot_chart *c)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/%s.svg", dir, c->name);
	fputs("<figure>\n", out);
	err = nl_html_svg(out, path, ++chart_no);
	if (err)
		return err;
	fputs("<figcaption>", out);
	nl_html_str(out, c->caption);
	fputs(" (", out);
	nl_html_str(out, c->name);
	fputs(")</figcaption></figure>\n", out);
	return 0;
}

/* The metric's full text tables and histograms (report --full -m NAME). */
static int metric_text(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o,
		       const char *metric)
{
	struct nl_report_opts to = *o;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int err;
	const char *body;

	if (!m)
		return -ENOMEM;
	to.format = NL_REPORT_TEXT;
	to.full = true;
	to.metrics = metric;
	to.intervals = false;
	err = nl_report_text(m, rec, &to);
	if (fclose(m) && !err)
		err = -ENOMEM;
	/* the run header is at the top and the bottom of the page already: from the metric on */
	body = text ? strstr(text, "\n\n# ") : NULL;
	if (!err && body) {
		fputs("<pre>", out);
		nl_html_text(out, body + 2, SIZE_MAX);
		fputs("</pre>\n", out);
	}
	free(text);
	return err;
}

static int metric_section(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
			  const struct nl_report_opts *o, const struct nl_metric_desc *m,
			  const char *dir, const struct nl_plot_set *set)
{
	const struct nl_metric_status *st;
	enum nl_report_presence p = nl_report_presence(rec, total, m, o, &st);
	bool any = false;
	int err = 0;

	if (p == NL_REPORT_SKIP || p == NL_REPORT_ABSENT)
		return 0;
	fprintf(out, "<details id=\"m-%s\"><summary>", m->name);
	nl_html_str(out, m->name);
	fputs(": ", out);
	nl_html_str(out, m->title);
	if (p == NL_REPORT_UNAVAILABLE)
		fputs(" <span class=\"bad\">(not measured)</span>", out);
	else if (st && *st->backend)
		fprintf(out, " (%s, %s)", st->backend, st->detail);
	fputs("</summary>\n<p>", out);
	nl_html_str(out, m->help);
	fputs(".</p>\n<div class=\"charts\">\n", out);
	for (size_t i = 0; set && i < set->n && !err; i++)
		if (!strcmp(set->c[i].metric, m->name)) {
			err = chart_figure(out, dir, &set->c[i]);
			any = true;
		}
	fputs("</div>\n", out);
	if (!any && p == NL_REPORT_OK && set)
		fputs("<p class=\"note\">No chart for this metric.</p>\n", out);
	if (!err)
		err = metric_text(out, rec, o, m->name);
	fputs("</details>\n", out);
	return err;
}

/* The temporary chart directory is ours alone (mkdtemp): remove all of it. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int make_charts(const struct nl_recording *rec, const struct nl_report_opts *o,
		       char *dir, size_t len, struct nl_plot_set *set)
{
	const char *tmp = getenv("TMPDIR");
	struct nl_plot_opts po = { .format = NL_PLOT_SVG, .metrics = o->metrics, .compact = true };

	snprintf(dir, len, "%s/netlat-html.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		nl_err("cannot create a temporary directory for the charts: %s", strerror(errno));
		return -errno;
	}
	po.dir = dir;
	return nl_plot_write(rec, &po, set);
}

int nl_html_write(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o,
		  bool charts)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	struct nl_plot_set set = { 0 };
	char dir[PATH_MAX] = "";
	int err = 0;

	if (!total)
		return -ENOMEM;
	if (charts)
		err = make_charts(rec, o, dir, sizeof(dir), &set);
	if (err)
		goto out;
	page_head(out, rec);
	nl_html_findings(out, rec, total);
	nl_html_ladders(out, rec, total, o);
	err = nl_html_summary(out, rec, total, o);
	if (!charts)
		fprintf(out, "<p class=\"note\">No charts: %s.</p>\n", NL_PLOT_NO_GNUPLOT);
	fputs("<h2 id=\"metrics\">Metrics: charts and tables (click to open)</h2>\n", out);
	chart_no = 0;
	for (size_t i = 0; i < nl_nmetrics && !err; i++)
		err = metric_section(out, rec, total, o, nl_metrics[i], dir, charts ? &set : NULL);
	if (!err) {
		nl_html_meta(out, rec);
		status_table(out, rec);
	}
	fputs("</body>\n</html>\n", out);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
out:
	if (*dir)
		remove_dir(dir);
	nl_plot_set_free(&set);
	nl_iv_free(total);
	return err;
}
