// SPDX-License-Identifier: GPL-2.0
/* `netlat report --plot`: which charts a recording gets, metric by metric. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"


int nl_plot_format_parse(const char *s, enum nl_plot_format *out)
{
	if (!strcmp(s, "png"))
		*out = NL_PLOT_PNG;
	else if (!strcmp(s, "svg"))
		*out = NL_PLOT_SVG;
	else
		return -EINVAL;
	return 0;
}

void nl_plot_set_free(struct nl_plot_set *set)
{
	free(set->c);
	set->c = NULL;
	set->n = set->cap = 0;
}

/* "vm | kernel 6.18.44 | 2025-06-01 10:00:00 - 10:00:02 UTC (2.10 s)" */
static void make_subtitle(struct nl_plot_ctx *ctx)
{
	const struct nl_recording *rec = ctx->rec;
	const char *host = nl_rec_meta(rec, "host"), *kernel = nl_rec_meta(rec, "kernel");
	const char *start = nl_rec_meta(rec, "start_realtime_ns");
	double dur = nl_report_duration_s(rec);
	char when[96] = "", krel[64];

	/* The kernel meta is "release version": the release alone fits a title. */
	snprintf(krel, sizeof(krel), "%.*s", (int)strcspn(kernel ? kernel : "?", " "),
		 kernel ? kernel : "?");
	if (start && *start) {
		time_t t0 = (time_t)(strtoull(start, NULL, 10) / 1000000000ULL);
		time_t t1 = t0 + (time_t)(dur + 0.5);
		struct tm a, b;
		char sa[32], sb[16];

		if (gmtime_r(&t0, &a) && gmtime_r(&t1, &b)) {
			strftime(sa, sizeof(sa), "%Y-%m-%d %H:%M:%S", &a);
			strftime(sb, sizeof(sb), "%H:%M:%S", &b);
			snprintf(when, sizeof(when), "%s - %s UTC, ", sa, sb);
		}
	}
	snprintf(ctx->subtitle, sizeof(ctx->subtitle), "host %s  |  kernel %s  |  %s%.2f s",
		 host && *host ? host : "?", krel, when, dur);
}

static int iv_cmp(const void *pa, const void *pb)
{
	const struct nl_interval *a = *(const struct nl_interval *const *)pa;
	const struct nl_interval *b = *(const struct nl_interval *const *)pb;

	return a->start_ns < b->start_ns ? -1 : a->start_ns > b->start_ns;
}

/* Time series use run 0: a `netlat stat` file's later runs repeat the same clock. */
static int collect_intervals(struct nl_plot_ctx *ctx)
{
	const struct nl_recording *rec = ctx->rec;

	ctx->iv = calloc(rec->niv ? rec->niv : 1, sizeof(*ctx->iv));
	if (!ctx->iv)
		return -ENOMEM;
	for (size_t i = 0; i < rec->niv; i++)
		if (rec->iv[i]->run == 0)
			ctx->iv[ctx->niv++] = rec->iv[i];
	qsort(ctx->iv, ctx->niv, sizeof(*ctx->iv), iv_cmp);
	for (size_t i = 0; i < ctx->niv; i++)
		if (plot_t(ctx, ctx->iv[i]->end_ns) > ctx->t_end)
			ctx->t_end = plot_t(ctx, ctx->iv[i]->end_ns);
	if (!(ctx->t_end > 0))
		ctx->t_end = 1.0;
	return 0;
}

struct nl_plot_ctx *nl_plot_ctx_new(const struct nl_recording *rec, const struct nl_plot_opts *o)
{
	struct nl_plot_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->rec = rec;
	ctx->o = *o;
	ctx->total = nl_rec_total(rec, -1);
	if (!ctx->total || collect_intervals(ctx)) {
		nl_plot_ctx_free(ctx);
		return NULL;
	}
	make_subtitle(ctx);
	if (o->no_gnuplot || nl_plot_find_gnuplot(ctx->gnuplot, sizeof(ctx->gnuplot)))
		ctx->gnuplot[0] = '\0';
	return ctx;
}

void nl_plot_ctx_free(struct nl_plot_ctx *ctx)
{
	if (!ctx)
		return;
	nl_iv_free(ctx->total);
	free(ctx->iv);
	nl_plot_set_free(&ctx->set);
	free(ctx);
}

const struct nl_plot_set *nl_plot_ctx_charts(const struct nl_plot_ctx *ctx)
{
	return &ctx->set;
}

static int plot_metric(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	const struct nl_path_ladder *l = m->ladder;
	int err = 0;

	if (l)
		err = nl_plot_ladder_chart(ctx, l);
	if (!err && m->views && m->views->chart)
		err = m->views->chart(ctx, m);
	if (!err)
		err = plot_ratio_charts(ctx, m);
	if (!err)
		err = plot_latency_charts(ctx, m);
	return err;
}

static int make_dir(const char *dir)
{
	struct stat st;

	if (!mkdir(dir, 0755) || (errno == EEXIST && !stat(dir, &st) && S_ISDIR(st.st_mode)))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	nl_err("cannot create directory '%s': %s", dir, strerror(errno));
	return -errno;
}

int nl_plot_write(const struct nl_recording *rec, const struct nl_plot_opts *o,
		  struct nl_plot_set *set)
{
	struct nl_report_opts ro = { .metrics = o->metrics };
	struct nl_plot_ctx *ctx;
	int err;

	err = make_dir(o->dir);
	if (err)
		return err;
	ctx = nl_plot_ctx_new(rec, o);
	if (!ctx)
		return -ENOMEM;
	if (!o->no_gnuplot && !ctx->gnuplot[0]) {
		nl_err("%s", NL_PLOT_NO_GNUPLOT);
		err = -ENOENT;
		goto out;
	}
	for (size_t i = 0; i < nl_nmetrics && !err; i++) {
		const struct nl_metric_status *st;

		if (nl_report_presence(rec, ctx->total, nl_metrics[i], &ro, &st) == NL_REPORT_OK)
			err = plot_metric(ctx, nl_metrics[i]);
	}
	if (!err && set) {
		*set = ctx->set;
		ctx->set = (struct nl_plot_set){ 0 };
	}
out:
	nl_plot_ctx_free(ctx);
	return err;
}
