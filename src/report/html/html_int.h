/* SPDX-License-Identifier: GPL-2.0 */
/* Private to the HTML page (html_page.c, first_screen.c, svg_inline.c). */
#ifndef NETLAT_HTML_INT_H
#define NETLAT_HTML_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "netlat/report.h"

/* Text with &, <, >, ", ' escaped; n bytes at most (or up to the NUL). */
void nl_html_text(FILE *out, const char *s, size_t n);
void nl_html_str(FILE *out, const char *s);
/* A gnuplot SVG file as an inline <svg>, its ids prefixed "c<chart>-": 0 or a negative errno. */
int nl_html_svg(FILE *out, const char *path, unsigned int chart);

/* The first screen (first_screen.c): findings, ladders, a line per metric. */
void nl_html_findings(FILE *out, const struct nl_recording *rec, const struct nl_interval *total);
void nl_html_ladders(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
		     const struct nl_report_opts *o);
int nl_html_summary(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
		    const struct nl_report_opts *o);
/* The recording's metadata in human units (bottom of the page). */
void nl_html_meta(FILE *out, const struct nl_recording *rec);

#endif
