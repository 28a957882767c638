// SPDX-License-Identifier: GPL-2.0
/*
 * Charts from recordings built in memory: the ladder (stages in declared
 * order, undeclared ones after, rows of one stage merged, p50/p99 checked
 * against percentiles computed here from the raw values), empty charts that
 * say "no events", a one-interval recording, and an HTML page without
 * charts that links nothing. gnuplot itself runs only when installed.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/plot.h"
#include "netlat/recording.h"
#include "netlat/report.h"
#include "unit.h"

static char tmpdir[] = "/tmp/netlat-test-plot.XXXXXX";

static void add_values(struct nl_interval *iv, const char *metric, const char *key,
		       const char *stat, uint64_t v, int n)
{
	struct nl_hist *h = nl_iv_hist(iv, metric, key, stat, "ns");

	for (int i = 0; i < n; i++)
		nl_hist_add(h, v);
}

static struct nl_recording *base_rec(void)
{
	struct nl_recording *rec = nl_rec_new();

	nl_rec_set_meta(rec, "host", "testhost");
	nl_rec_set_meta(rec, "kernel", "6.1.0-test #1 SMP");
	nl_rec_set_meta(rec, "start_realtime_ns", "1700000000000000000");
	nl_rec_set_meta(rec, "duration_ns", "3000000000");
	nl_rec_set_meta(rec, "interval_ns", "1000000000");
	return rec;
}

/*
 * rx rows as the rx metric writes them: "stage=S" (and "stage=S dev=D"),
 * stored out of path order, plus an undeclared stage and a non-stage row.
 */
static struct nl_recording *ladder_rec(void)
{
	struct nl_recording *rec = base_rec();

	nl_rec_metric(rec, "rx", true)->state = NL_METRIC_OK;
	for (int i = 0; i < 2; i++) {
		struct nl_interval *iv = nl_rec_add_interval(rec, 0, i * 1000000000ULL,
							     (i + 1) * 1000000000ULL);

		add_values(iv, "rx", "stage=zz_custom", "latency", 500000, 10);
		add_values(iv, "rx", "stage=socket_queue", "latency", 20000, 50);
		add_values(iv, "rx", "stage=socket_queue", "latency", 2000000, 1);
		add_values(iv, "rx", "stage=backlog dev=lo", "latency", 1000, 30);
		add_values(iv, "rx", "stage=backlog dev=veth0", "latency", 3000, 20);
		add_values(iv, "rx", "stage=stack", "latency", 4000, 40);
		add_values(iv, "rx", "point=tcp_start", "age", 7000, 5);
	}
	return rec;
}

static char *slurp(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

struct ladder_line {
	char stage[64];
	double p50, p99;
	unsigned long long count;
};

static int parse_ladder(const char *dat, struct ladder_line *out, int max)
{
	int n = 0;

	for (const char *p = dat; p && *p && n < max; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		unsigned int idx;

		if (*p == '#' || *p == '\n')
			continue;
		if (sscanf(p, "%u \"%63[^\"]\" %lf %lf %llu", &idx, out[n].stage, &out[n].p50,
			   &out[n].p99, &out[n].count) == 5 && idx == (unsigned int)n)
			n++;
	}
	return n;
}

/* Within the histogram's resolution (1/16 of the value) of the truth. */
static bool close_to(double got_s, double truth_ns)
{
	double d = got_s * 1e9 - truth_ns;

	return (d < 0 ? -d : d) <= truth_ns / 16.0 + 1.0;
}

static void test_ladder(void)
{
	struct nl_recording *rec = ladder_rec();
	struct nl_plot_opts o = { .dir = tmpdir, .no_gnuplot = true };
	struct nl_plot_ctx *ctx = nl_plot_ctx_new(rec, &o);
	const struct nl_path_ladder *rx = nl_path_ladder_of("rx");
	struct ladder_line l[8];
	char *dat, *gp;
	int n;

	CHECK(rx != NULL);
	CHECK(ctx != NULL);
	if (!rx || !ctx)
		return;
	CHECK(nl_plot_ladder_chart(ctx, rx) == 0);
	CHECK(nl_plot_ctx_charts(ctx)->n == 1);
	CHECK_STR(nl_plot_ctx_charts(ctx)->c[0].name, "rx_latency.ladder");
	dat = slurp("rx_latency.ladder.dat");
	gp = slurp("rx_latency.ladder.gp");
	CHECK(dat && gp);
	n = parse_ladder(dat, l, 8);
	CHECK(n == 4);
	if (n == 4) {
		/* Path order from the metric (backlog, stack, socket_queue), then the unknown stage. */
		CHECK_STR(l[0].stage, "backlog");
		CHECK_STR(l[1].stage, "stack");
		CHECK_STR(l[2].stage, "socket_queue");
		CHECK_STR(l[3].stage, "zz_custom");
		/* backlog: both devices merged, 60 x 1us + 40 x 3us: p50 1us, p99 3us. */
		CHECK_EQ_U64(l[0].count, 100);
		CHECK(close_to(l[0].p50, 1000));
		CHECK(close_to(l[0].p99, 3000));
		/* socket_queue: 100 x 20us + 2 x 2ms: p99 is the 101st of 102 values, 2 ms. */
		CHECK_EQ_U64(l[2].count, 102);
		CHECK(close_to(l[2].p50, 20000));
		CHECK(close_to(l[2].p99, 2000000));
	}
	/* The script: netlat's variables, then the templates, runnable by hand. */
	CHECK(gp && strstr(gp, "datafile = name . \".dat\""));
	CHECK(gp && strstr(gp, "nstages = 4"));
	CHECK(gp && strstr(gp, "set logscale y"));
	CHECK(gp && strstr(gp, "testhost") && strstr(gp, "6.1.0-test"));
	CHECK(gp && strstr(gp, "2023-11-14 22:13:20"));
	free(dat);
	free(gp);

	/* Generic: any stage field and order, e.g. a made-up path over the same rows. */
	{
		static const char *const order[] = { "zz_custom", "stack" };
		struct nl_path_ladder mine = { "rx", "Mine", order, 2, NULL, 0, NULL };

		CHECK(nl_plot_ladder_chart(ctx, &mine) == 0);
		CHECK(nl_plot_ctx_charts(ctx)->n == 2);
		dat = slurp("rx_latency-2.ladder.dat");
		n = parse_ladder(dat, l, 8);
		CHECK(n == 4);
		if (n == 4) {
			CHECK_STR(l[0].stage, "zz_custom");
			CHECK_STR(l[1].stage, "stack");
			CHECK_STR(l[2].stage, "socket_queue");	/* storage order after the declared ones */
			CHECK_STR(l[3].stage, "backlog");
		}
		free(dat);
	}
	/* tx is not in this recording: its ladder is an empty chart saying so. */
	CHECK(nl_path_ladder_of("tx") && nl_plot_ladder_chart(ctx, nl_path_ladder_of("tx")) == 0);
	gp = slurp("tx_latency.ladder.gp");
	CHECK(gp && strstr(gp, "\"no events\""));
	free(gp);
	nl_plot_ctx_free(ctx);
	nl_rec_free(rec);
}

/* One interval, a metric with values and one that saw nothing: every chart is still written. */
static void test_one_interval_and_empty(bool gnuplot)
{
	struct nl_recording *rec = base_rec();
	struct nl_interval *iv = nl_rec_add_interval(rec, 0, 0, 1000000000ULL);
	struct nl_plot_opts o = { .dir = tmpdir, .no_gnuplot = !gnuplot };
	struct nl_plot_set set = { 0 };
	bool saw_empty_qdisc = false, saw_softirq_heat = false;

	nl_rec_metric(rec, "softirq", true)->state = NL_METRIC_OK;
	nl_rec_metric(rec, "qdisc", true)->state = NL_METRIC_OK;
	nl_rec_metric(rec, "gro", true)->state = NL_METRIC_OK;
	add_values(iv, "softirq", "cpu=0 vec=NET_RX", "duration", 5000, 100);
	add_values(iv, "softirq", "cpu=0 vec=NET_RX", "raise_delay", 300, 100);
	nl_iv_add_counter(iv, "softirq", "cpu=0 vec=NET_RX", "entries", "", 100);
	CHECK(nl_plot_write(rec, &o, &set) == 0);
	for (size_t i = 0; i < set.n; i++) {
		char img[256];

		if (!strcmp(set.c[i].name, "qdisc_sojourn.dist") && set.c[i].empty)
			saw_empty_qdisc = true;
		if (!strcmp(set.c[i].name, "softirq_duration_cpu0_vecNET_RX.heat") && !set.c[i].empty)
			saw_softirq_heat = true;
		snprintf(img, sizeof(img), "%s/%s.png", tmpdir, set.c[i].name);
		if (gnuplot && access(img, R_OK)) {
			fprintf(stderr, "no image %s\n", img);
			unit_failures++;
		}
	}
	CHECK(saw_empty_qdisc);
	CHECK(saw_softirq_heat);
	/* softirq per CPU, 3 x 2 latency charts, gro ratio, 3 qdisc charts */
	CHECK_EQ_U64(set.n, 1 + 6 + 1 + 3);
	nl_plot_set_free(&set);
	nl_rec_free(rec);
}

static void test_html_offline(void)
{
	struct nl_recording *rec = ladder_rec();
	struct nl_report_opts ro = { 0 };
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);

	CHECK(nl_html_write(f, rec, &ro, false) == 0);
	fclose(f);
	CHECK(page && strstr(page, "<!DOCTYPE html>"));
	CHECK(page && strstr(page, "testhost"));
	CHECK(page && strstr(page, "Content-Security-Policy"));
	/* The answer first: findings, then the ladders, then the summary; metadata last. */
	CHECK(page && strstr(page, "<h2 id=\"findings\">"));
	CHECK(page && strstr(page, "<table id=\"ladder-rx\">"));
	CHECK(page && strstr(page, "<h2 id=\"findings\">") < strstr(page, "<table id=\"ladder-rx\">"));
	CHECK(page && strstr(page, "<table id=\"ladder-rx\">") < strstr(page, "<h2 id=\"summary\">"));
	CHECK(page && strstr(page, "<h2 id=\"summary\">") < strstr(page, "<h2 id=\"run\">"));
	/* Each metric collapsed, its full text in it, escaped ("127.0.0.1:1>..." keys open no tag). */
	CHECK(page && strstr(page, "<details id=\"m-rx\">"));
	CHECK(page && strstr(page, "<pre># rx"));
	CHECK(page && !strstr(page, "src=\"http") && !strstr(page, "href=\"http"));
	free(page);
	nl_rec_free(rec);
}

static void rm_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

int main(void)
{
	char gnuplot[4096];
	enum nl_plot_format f;

	CHECK(nl_plot_format_parse("png", &f) == 0 && f == NL_PLOT_PNG);
	CHECK(nl_plot_format_parse("svg", &f) == 0 && f == NL_PLOT_SVG);
	CHECK(nl_plot_format_parse("gif", &f) < 0);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_ladder();
	test_one_interval_and_empty(nl_plot_find_gnuplot(gnuplot, sizeof(gnuplot)) == 0);
	test_html_offline();
	rm_tmpdir();
	UNIT_DONE();
}
