// SPDX-License-Identifier: GPL-2.0
/*
 * A gnuplot SVG file inlined into the HTML page as an <svg> element: the XML
 * prolog, <title> and <desc> go, leading blanks go, and every id (and every
 * reference to one: href='#x', url(#x)) gets the prefix "cN-", because
 * gnuplot names the same things the same way in every chart (gpPt0,
 * gnuplot_canvas) and ids must be unique in one page. What only costs bytes
 * goes too: gnuplot's empty <g ...></g> pairs (one per tic, hundreds per
 * chart) and attributes that state SVG's defaults (linecap butt, linejoin
 * miter); that halves a histogram chart.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

static const char *const defaults[] = { " stroke-linecap=\"butt\"", " stroke-linejoin=\"miter\"" };

/* Copy one line, prefixing ids and references to ids, leaving default attributes out. */
static void put_line(FILE *out, const char *l, unsigned int chart)
{
	while (*l) {
		size_t d;

		for (d = 0; d < sizeof(defaults) / sizeof(defaults[0]); d++)
			if (!strncmp(l, defaults[d], strlen(defaults[d])))
				break;
		if (d < sizeof(defaults) / sizeof(defaults[0])) {
			l += strlen(defaults[d]);
			continue;
		}
		if ((!strncmp(l, "id='", 4) || !strncmp(l, "id=\"", 4))) {
			fprintf(out, "%.4sc%u-", l, chart);
			l += 4;
		} else if (!strncmp(l, "href='#", 7) || !strncmp(l, "href=\"#", 7)) {
			fprintf(out, "%.7sc%u-", l, chart);
			l += 7;
		} else if (!strncmp(l, "url(#", 5)) {
			fprintf(out, "url(#c%u-", chart);
			l += 5;
		} else {
			fputc(*l++, out);
		}
	}
}

/* "<g ...>" alone on its line: a group that may turn out empty. */
static bool group_open(const char *l)
{
	size_t n = strlen(l);

	return !strncmp(l, "<g ", 3) && n >= 2 && l[n - 2] == '>' && l[n - 1] == '\n' &&
	       !strchr(l + 1, '<');
}

int nl_html_svg(FILE *out, const char *path, unsigned int chart)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *held = NULL;
	size_t cap = 0;
	bool in_svg = false, skip = false;
	ssize_t n;

	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *l = line + strspn(line, " \t");

		if (!in_svg) {
			in_svg = !strncmp(l, "<svg", 4);
			if (!in_svg)
				continue;	/* the XML prolog and doctype */
		}
		if (!strncmp(l, "<title>", 7) || !strncmp(l, "<desc>", 6))
			skip = true;
		if (held && !strcmp(l, "</g>\n")) {
			/* "<g ...>" then "</g>": an empty group, both go */
			free(held);
			held = NULL;
			continue;
		}
		if (held) {
			put_line(out, held, chart);
			free(held);
			held = NULL;
		}
		if (!skip && group_open(l))
			held = strdup(l);
		else if (!skip && *l != '\n')
			put_line(out, l, chart);
		if (skip && (strstr(l, "</title>") || strstr(l, "</desc>")))
			skip = false;
	}
	if (held)
		put_line(out, held, chart);
	free(held);
	free(line);
	fclose(f);
	return in_svg ? 0 : -EINVAL;
}
