/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat report --plot DIR` and `--html FILE`: charts drawn by gnuplot.
 *
 * Every chart is a pair NAME.dat (the numbers, with a comment header) and
 * NAME.gp (a plain gnuplot script: variables written by netlat, then the
 * templates in reports/, embedded into the binary at build time).
 * netlat runs gnuplot on each script; a user can restyle a script and
 * re-run it by hand (`gnuplot NAME.gp`, or `gnuplot -e 'fmt="svg"' NAME.gp`).
 * Times in the data files are in seconds, so gnuplot's own "%s%c" formats
 * put the unit on every axis tick (ns, us, ms).
 */
#ifndef NETLAT_PLOT_H
#define NETLAT_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "path_ladder.h"
#include "recording.h"
#include "report.h"

enum nl_plot_format {
	NL_PLOT_PNG = 0,
	NL_PLOT_SVG,
};

struct nl_plot_opts {
	const char *dir;		/* where the .dat/.gp/images go; created if missing */
	enum nl_plot_format format;
	const char *metrics;		/* -m list, NULL = every metric in the recording */
	bool no_gnuplot;		/* write .dat/.gp only (unit tests) */
	/*
	 * The HTML page's set: per latency stat only the distribution of its
	 * busiest rows (PLOT_PAGE_ROWS), no heatmap or percentile series: the
	 * page stays small, and --plot DIR has every chart.
	 */
	bool compact;
};

/* One chart written. */
struct nl_plot_chart {
	char name[160];			/* file stem inside dir: NAME.gp, NAME.dat, NAME.png */
	char metric[NL_NAME_MAX];
	char caption[192];		/* one line: what the chart shows */
	bool empty;			/* drawn as "no events" */
};

struct nl_plot_set {
	struct nl_plot_chart *c;
	size_t n, cap;
};

/* "png", "svg" -> format; -EINVAL otherwise. */
int nl_plot_format_parse(const char *s, enum nl_plot_format *out);

/*
 * The gnuplot to run: $NETLAT_GNUPLOT if set, else "gnuplot" found on PATH.
 * Copies its path to out and returns 0, or -ENOENT when there is none.
 */
int nl_plot_find_gnuplot(char *out, size_t len);
/* The one line to print when gnuplot is missing. */
#define NL_PLOT_NO_GNUPLOT "charts need gnuplot, which is not installed (Debian: apt-get install gnuplot-nox)"

/*
 * Write every chart of rec into o->dir and run gnuplot on each script.
 * set (may be NULL) receives the list of charts. 0 or a negative errno;
 * errors are reported on stderr with the chart that failed.
 */
int nl_plot_write(const struct nl_recording *rec, const struct nl_plot_opts *o,
		  struct nl_plot_set *set);
void nl_plot_set_free(struct nl_plot_set *set);


/*
 * The ladder chart of a path metric (used by nl_plot_write; public for tests):
 * one bar pair (p50, p99 of "latency") per "stage=" value, rows of one stage
 * merged over devices, the declared stages first in their order, stages not
 * declared after them in the order the recording stores them.
 */
struct nl_plot_ctx;
int nl_plot_ladder_chart(struct nl_plot_ctx *ctx, const struct nl_path_ladder *l);

/*
 * A context for writing charts by hand (tests): begin writes nothing,
 * end runs nothing; chart files appear as the chart functions are called.
 */
struct nl_plot_ctx *nl_plot_ctx_new(const struct nl_recording *rec, const struct nl_plot_opts *o);
void nl_plot_ctx_free(struct nl_plot_ctx *ctx);
const struct nl_plot_set *nl_plot_ctx_charts(const struct nl_plot_ctx *ctx);

/*
 * One self-contained HTML page: the run's metadata, each metric's backend,
 * SVG charts (gnuplot run into a temporary directory) and the text report,
 * with nothing fetched from anywhere. charts=false (or no gnuplot) leaves
 * the charts out with a note saying why.
 */
int nl_html_write(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o,
		  bool charts);

#endif
