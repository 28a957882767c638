// SPDX-License-Identifier: GPL-2.0
/*
 * `netlat report --html FILE`: one page that opens offline. Charts are
 * gnuplot SVGs inlined as data: images (each keeps its own ids, so two
 * charts never clash), tables are the text report itself, and a
 * Content-Security-Policy forbids the page from fetching anything at all.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/plot.h"
#include "netlat/report.h"
#include "netlat/util.h"

static void html_text(FILE *out, const char *s, size_t n)
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

static void html_str(FILE *out, const char *s)
{
	html_text(out, s ? s : "", SIZE_MAX);
}

static void base64(FILE *out, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned int v = (unsigned int)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned int)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		fputc(tab[(v >> 18) & 63], out);
		fputc(tab[(v >> 12) & 63], out);
		fputc(i + 1 < n ? tab[(v >> 6) & 63] : '=', out);
		fputc(i + 2 < n ? tab[v & 63] : '=', out);
	}
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0;
	FILE *m;
	char chunk[8192];
	size_t r;

	if (!f)
		return -errno;
	m = open_memstream(&p, &n);
	if (!m) {
		fclose(f);
		return -ENOMEM;
	}
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, r, m);
	fclose(f);
	if (fclose(m)) {
		free(p);
		return -ENOMEM;
	}
	*buf = (unsigned char *)p;
	*len = n;
	return 0;
}

static const char css[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;max-width:1400px;"
	"padding:1em 2em;color:#222;background:#fff}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;"
	"border-bottom:1px solid #ccc;padding-bottom:.2em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;"
	"padding:.2em .6em;text-align:left;vertical-align:top;font-size:.9em}th{background:#f3f3f3}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:1em}"
	"figure{margin:0;border:1px solid #e3e3e3;padding:.3em}figure img{width:100%;height:auto}"
	"figcaption{font-size:.85em;color:#555}pre{background:#f8f8f8;border:1px solid #e3e3e3;"
	"padding:.8em;overflow-x:auto;font-size:.8em}.ok{color:#1a7f37}.bad{color:#b42318}"
	".note{color:#555;font-style:italic}";

static void page_head(FILE *out, const struct nl_recording *rec)
{
	const char *host = nl_rec_meta(rec, "host");

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
	/* Nothing may be fetched: inline styles and data: images only. */
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "img-src data:; style-src 'unsafe-inline'\">\n", out);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
	fputs("<title>netlat report: ", out);
	html_str(out, host && *host ? host : "?");
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>netlat report: ", css);
	html_str(out, host && *host ? host : "?");
	fputs("</h1>\n", out);
}

static void meta_table(FILE *out, const struct nl_recording *rec)
{
	fputs("<h2 id=\"run\">The run</h2>\n<table>\n", out);
	for (size_t i = 0; i < rec->nmeta; i++) {
		fputs("<tr><th>", out);
		html_str(out, rec->meta[i].key);
		fputs("</th><td>", out);
		html_str(out, rec->meta[i].val);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static const char *state_name(uint8_t s)
{
	return s == NL_METRIC_OK ? "ok" : s == NL_METRIC_UNAVAILABLE ? "unavailable" : "off";
}

static void status_table(FILE *out, const struct nl_recording *rec)
{
	char reason[NL_REASON_MAX];

	fputs("<h2 id=\"metrics\">Metrics and the backend each one used</h2>\n<table>\n"
	      "<tr><th>metric</th><th>status</th><th>backend</th><th>how</th><th>why not a better one"
	      " / why not measured</th></tr>\n", out);
	for (size_t i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *s = &rec->metrics[i];

		nl_report_safe_key(s->reason, reason, sizeof(reason));
		fprintf(out, "<tr><td><a href=\"#m-%s\">", s->name);
		html_str(out, s->name);
		fprintf(out, "</a></td><td class=\"%s\">%s</td><td>",
			s->state == NL_METRIC_OK ? "ok" : "bad", state_name(s->state));
		html_str(out, s->backend);
		fputs("</td><td>", out);
		html_str(out, s->detail);
		fputs("</td><td>", out);
		html_str(out, reason);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static int chart_figure(FILE *out, const char *dir, const struct nl_plot_chart *c)
{
	char path[PATH_MAX];
	unsigned char *svg = NULL;
	size_t len = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%s.svg", dir, c->name);
	err = read_file(path, &svg, &len);
	if (err)
		return err;
	fputs("<figure><img alt=\"", out);
	html_str(out, c->caption);
	fputs("\" src=\"data:image/svg+xml;base64,", out);
	base64(out, svg, len);
	fputs("\"><figcaption>", out);
	html_str(out, c->caption);
	fputs(" (", out);
	html_str(out, c->name);
	fputs(")</figcaption></figure>\n", out);
	free(svg);
	return 0;
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
	fprintf(out, "<h2 id=\"m-%s\">", m->name);
	html_str(out, m->name);
	fputs(": ", out);
	html_str(out, m->title);
	fputs("</h2>\n<p>", out);
	if (p == NL_REPORT_UNAVAILABLE)
		fputs("<span class=\"bad\">not measured</span>", out);
	else if (st && *st->backend)
		fprintf(out, "measured by <b>%s</b> (%s)", st->backend, st->detail);
	else
		fputs("measured", out);
	fputs(". ", out);
	html_str(out, m->help);
	fputs(".</p>\n<div class=\"charts\">\n", out);
	for (size_t i = 0; set && i < set->n && !err; i++)
		if (!strcmp(set->c[i].metric, m->name)) {
			err = chart_figure(out, dir, &set->c[i]);
			any = true;
		}
	fputs("</div>\n", out);
	if (!any && p == NL_REPORT_OK && set)
		fputs("<p class=\"note\">No chart for this metric.</p>\n", out);
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

static int text_section(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	struct nl_report_opts to = *o;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int err;

	if (!m)
		return -ENOMEM;
	to.format = NL_REPORT_TEXT;
	err = nl_report_text(m, rec, &to);
	if (fclose(m) && !err)
		err = -ENOMEM;
	if (!err) {
		fputs("<h2 id=\"text\">Text report</h2>\n<pre>", out);
		html_text(out, text, len);
		fputs("</pre>\n", out);
	}
	free(text);
	return err;
}

static int make_charts(const struct nl_recording *rec, const struct nl_report_opts *o,
		       char *dir, size_t len, struct nl_plot_set *set)
{
	const char *tmp = getenv("TMPDIR");
	struct nl_plot_opts po = { .format = NL_PLOT_SVG, .metrics = o->metrics };

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
	if (!charts)
		fprintf(out, "<p class=\"note\">No charts: %s.</p>\n", NL_PLOT_NO_GNUPLOT);
	meta_table(out, rec);
	status_table(out, rec);
	for (size_t i = 0; i < nl_nmetrics && !err; i++)
		err = metric_section(out, rec, total, o, &nl_metrics[i], dir, charts ? &set : NULL);
	if (!err)
		err = text_section(out, rec, o);
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
