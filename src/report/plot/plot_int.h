/* SPDX-License-Identifier: GPL-2.0 */
/* Private to src/report/plot/: the plotting context and the chart writer. */
#ifndef NETLAT_PLOT_INT_H
#define NETLAT_PLOT_INT_H

#include <limits.h>
#include <stdio.h>

#include "netlat/metric.h"
#include "netlat/plot.h"
#include "netlat/recording.h"

#define PLOT_MAX_ROWS	12	/* rows of one stat drawn as their own charts; the busiest win */
#define PLOT_PAGE_ROWS	1	/* the same on the HTML page (nl_plot_opts.compact) */

struct nl_plot_ctx {
	const struct nl_recording *rec;
	struct nl_plot_opts o;
	struct nl_interval *total;		/* every interval merged */
	const struct nl_interval **iv;		/* the intervals of run 0, in time order */
	size_t niv;
	double t_end;				/* end of the last interval, seconds since start */
	char subtitle[256];			/* host, kernel, time window */
	char gnuplot[PATH_MAX];
	struct nl_plot_set set;
	int err;				/* first error, sticky */
};

/* One chart being written: NAME.dat is open, gnuplot variables collect in vars. */
struct plot_chart {
	struct nl_plot_ctx *ctx;
	struct nl_plot_chart info;
	char title[256];
	FILE *dat;
	char *vars;
	size_t vars_len;
	FILE *vf;
};

/*
 * Start a chart named metric_stat[_key].kind; caption is one line for the
 * HTML page and the .gp header. Returns 0 or a negative errno.
 */
int plot_begin(struct nl_plot_ctx *ctx, struct plot_chart *c, const char *metric,
	       const char *stat, const char *key, const char *kind, const char *caption);
/* Gnuplot variables written before the templates. */
void plot_var_num(struct plot_chart *c, const char *name, double v);
void plot_var_str(struct plot_chart *c, const char *name, const char *v);
/*
 * Finish: write NAME.gp (variables, reports/common.gp, then the template
 * named tmpl, or reports/empty.gp with why when empty) and run gnuplot.
 */
int plot_end(struct plot_chart *c, const char *tmpl, bool empty, const char *why);

/* A number for a .dat file: "%.6g", or NaN (gnuplot's missing value here). */
void plot_dat_num(FILE *f, double v, bool valid);
/* Round lo down and hi up to whole decades, for log axes that always show a labelled tick. */
void plot_decades(double *lo, double *hi);
/* Seconds since the run started for an interval edge. */
double plot_t(const struct nl_plot_ctx *ctx, uint64_t ns);

/* The text of an embedded template (reports/NAME.gp), or NULL. */
const char *plot_template(const char *name);
/* Run gnuplot on dir/NAME.gp; 0, or -EIO with the reason reported. */
int plot_run_gnuplot(struct nl_plot_ctx *ctx, const char *name);

/*
 * A chart of a metric's rows by CPU (or by device) as bars, drawn by the
 * metric's own template (per_cpu_bars.c). fill writes the .dat rows of
 * iv's rows and sets the template's variables; it returns false when there
 * was nothing to draw (the chart then says empty_why).
 */
struct nl_report_rows;
struct plot_cpu_bars {
	const char *caption;
	const char *tmpl;		/* reports/TMPL.gp */
	const char *empty_why;
	bool (*fill)(struct plot_chart *c, const struct nl_interval *iv, const struct nl_report_rows *rows);
};
int plot_cpu_bars(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m, const struct plot_cpu_bars *b);
/* The cpu= field of a row key, -1 when it has none. */
long plot_key_cpu(const char *key);
/* A counter of iv (0 when absent), a histogram with counts (NULL when absent or empty). */
uint64_t plot_counter(const struct nl_interval *iv, const char *metric, const char *key, const char *stat);
const struct nl_hist *plot_hist(const struct nl_interval *iv, const char *metric, const char *key,
				const char *stat);

/* The chart families. Each returns 0 or a negative errno. */
int plot_latency_charts(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m);
int plot_ratio_charts(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m);

#endif
