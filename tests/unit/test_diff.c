// SPDX-License-Identifier: GPL-2.0
/*
 * netlat diff on recordings built in memory: the rank test against values
 * tabulated for Mann-Whitney U (m = n = 3: P(U >= 9) = 1/20, P(U >= 8) =
 * 2/20), the KS shift and Poisson z against hand computations, threshold
 * parsing and precedence, verdict directions, keys present on one side,
 * unit clashes, nothing in common, and the JUnit/markdown counts.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/diff.h"
#include "netlat/keys.h"
#include "netlat/recording.h"
#include "netlat/stat.h"
#include "unit.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))
#define DEV "dev=nl1a handle=1a2b:"

static void test_mwu(void)
{
	double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 }, y8[] = { 2.5, 4, 5 };
	double z[] = { 0, 0, 0 }, t[] = { 1, 1, 2 }, same[] = { 7, 7, 7 };
	double a[30], b[30], c[30];

	CHECK(NEAR(nl_mwu_p_greater(x, 3, y, 3), 0.05, 1e-12));
	CHECK(NEAR(nl_mwu_p_greater(y, 3, x, 3), 1.0, 1e-12));
	CHECK(NEAR(nl_mwu_p_greater(x, 3, y8, 3), 0.10, 1e-12));
	CHECK(NEAR(nl_mwu_p_greater(z, 3, t, 3), 0.05, 1e-12));	/* ties, still exact */
	CHECK(NEAR(nl_mwu_p_greater(same, 3, same, 3), 1.0, 1e-12));
	CHECK(NEAR(nl_mwu_min_p(3, 3), 0.05, 1e-12));
	CHECK(nl_mwu_min_p(2, 2) > 0.05);
	for (int i = 0; i < 30; i++) {
		a[i] = i;
		b[i] = 100 + i;
		c[i] = i + 0.5;
	}
	CHECK(nl_mwu_p_greater(a, 30, b, 30) < 1e-6);		/* normal approximation */
	CHECK(nl_mwu_p_greater(a, 30, c, 30) > 0.2);
}

static void fill(struct nl_hist *h, uint64_t v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		nl_hist_add(h, v);
}

static void test_ks_poisson(void)
{
	struct nl_hist a, b;

	nl_hist_reset(&a);
	nl_hist_reset(&b);
	fill(&a, 1000, 100);
	fill(&b, 2000, 100);
	CHECK(NEAR(nl_ks_shift(&a, &b), 1.0, 1e-12));
	CHECK(NEAR(nl_ks_shift(&b, &a), 0.0, 1e-12));
	fill(&b, 1000, 100);	/* b: half at 1000, half at 2000 */
	CHECK(NEAR(nl_ks_shift(&a, &b), 0.5, 1e-12));
	/* sqrt(-ln 0.05 / 2) * sqrt(200 / 10000) */
	CHECK(NEAR(nl_ks_critical(100, 100), 1.2238734 * 0.1414214, 1e-4));
	CHECK(NEAR(nl_poisson_z(0, 1, 5, 1), sqrt(5.0), 1e-9));
	CHECK(NEAR(nl_poisson_z(100, 2, 100, 1), (100 - 50) / sqrt(100.0 / 4 + 100), 1e-9));
	CHECK(nl_poisson_z(0, 1, 0, 1) == 0);
}

static void test_threshold_parse(void)
{
	struct nl_threshold t;
	char err[256];

	CHECK(nl_threshold_parse("qdisc.sojourn.p99=+10%", "x", &t, err, sizeof(err)) == 0);
	CHECK(t.dir == 1 && t.pct && NEAR(t.limit, 10, 1e-12));
	CHECK(nl_threshold_parse("napi.budget_exhausted=+0", "x", &t, err, sizeof(err)) == 0);
	CHECK(t.dir == 1 && !t.pct && t.limit == 0);
	CHECK(nl_threshold_parse("gro.ratio=-5%", "x", &t, err, sizeof(err)) == 0);
	CHECK(t.dir == -1 && t.pct && NEAR(t.limit, 5, 1e-12));
	CHECK(nl_threshold_parse("qdisc.sojourn.p99.9=+30%", "x", &t, err, sizeof(err)) == 0);
	CHECK_STR(t.pattern, "qdisc.sojourn.p999");
	CHECK(nl_threshold_parse("*.*.p99=off", "x", &t, err, sizeof(err)) == 0 && t.dir == 0);
	CHECK(nl_threshold_parse("qdisc.sojourn.p99=10%", "x", &t, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "sign") != NULL);
	CHECK(nl_threshold_parse("qdisc=+10%", "x", &t, err, sizeof(err)) == -EINVAL);
	CHECK(nl_threshold_parse("qdisc.sojourn.p99", "x", &t, err, sizeof(err)) == -EINVAL);
	CHECK(nl_threshold_parse("qdisc.sojourn.p99=+x%", "x", &t, err, sizeof(err)) == -EINVAL);
	CHECK(nl_threshold_parse("qdisc.sojourn.p99=+-5%", "x", &t, err, sizeof(err)) == -EINVAL);
	CHECK(nl_threshold_parse("a.b.c.d=+5%", "x", &t, err, sizeof(err)) == -EINVAL);
}

static void test_threshold_match(void)
{
	struct nl_thresholds user = { 0 };
	struct nl_item p99 = { .metric = "qdisc", .key = DEV, .stat = "sojourn",
			       .statistic = "p99", .unit = "ns" };
	struct nl_item work = { .metric = "napi", .key = "dev=lo", .stat = "work",
				.statistic = "p99", .unit = "pkts" };
	struct nl_item gro = { .metric = "gro", .key = "dev=lo", .stat = "ratio",
			       .statistic = "ratio", .unit = "" };
	const struct nl_threshold *t;
	char err[128];

	t = nl_threshold_for(NULL, &p99);
	CHECK(t && !strcmp(t->origin, "default") && t->dir == 1 && NEAR(t->limit, 20, 1e-12));
	CHECK(nl_threshold_for(NULL, &work) == NULL);	/* packets per poll: no worse direction */
	t = nl_threshold_for(NULL, &gro);
	CHECK(t && t->dir == -1);
	CHECK(nl_thresholds_add(&user, "qdisc.sojourn=+50%", "--threshold", err, sizeof(err)) == 0);
	CHECK(nl_thresholds_add(&user, "*.*.p99=+15%", "--threshold", err, sizeof(err)) == 0);
	t = nl_threshold_for(&user, &p99);	/* the later user spec wins */
	CHECK(t && NEAR(t->limit, 15, 1e-12));
	CHECK(nl_thresholds_add(&user, "qdisc.sojourn.p99=off", "--threshold", err, sizeof(err)) == 0);
	CHECK(nl_threshold_for(&user, &p99) == NULL);
	nl_thresholds_free(&user);
}

/* A recording with `runs` runs; per run a sojourn histogram of n samples at sojourn_ns[run]. */
struct spec {
	uint32_t runs;
	const uint64_t *sojourn_ns;
	uint64_t xmits;			/* gso.xmits per run (neutral counter) */
	uint64_t gro_in, skbs_out;	/* gro.ratio */
	const char *unit;		/* sojourn unit */
	const char *key;
};

static struct nl_recording *make_rec(const struct spec *s)
{
	struct nl_recording *rec = nl_rec_new();

	nl_rec_set_meta(rec, "host", "h");
	for (uint32_t r = 0; r < s->runs; r++) {
		struct nl_interval *iv = nl_rec_add_interval(rec, r, 0, 1000000000ULL);
		struct nl_hist *h = nl_iv_hist(iv, "qdisc", s->key ? s->key : DEV, "sojourn",
					       s->unit ? s->unit : "ns");
		char name[32];

		fill(h, s->sojourn_ns[r], 200);
		fill(h, s->sojourn_ns[r] * 2, 4);	/* a small tail */
		nl_iv_add_counter(iv, "qdisc", s->key ? s->key : DEV, "packets", "pkts", 204);
		nl_iv_add_counter(iv, "gso", "dev=lo", "xmits", "", s->xmits + r);
		nl_iv_add_counter(iv, "gro", "dev=lo", "gro_in", "pkts", s->gro_in);
		nl_iv_add_counter(iv, "gro", "dev=lo", "direct_in", "pkts", 0);
		nl_iv_add_counter(iv, "gro", "dev=lo", "skbs_out", "pkts", s->skbs_out);
		snprintf(name, sizeof(name), "run.%u.duration_ns", r);
		nl_rec_set_meta(rec, name, "1000000000");
	}
	return rec;
}

static const struct nl_cmp *find_cmp(const struct nl_diff *d, const char *metric,
				     const char *stat, const char *statistic)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->c[i].b->metric, metric) && !strcmp(d->c[i].b->stat, stat) &&
		    !strcmp(d->c[i].b->statistic, statistic))
			return &d->c[i];
	return NULL;
}

static size_t count_lines(const char *buf, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);

	for (const char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += !strncmp(p, prefix, plen);
	return n;
}

static size_t count_str(const char *buf, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(buf, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void check_outputs(const struct nl_diff *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(nl_diff_render(f, d, NL_DIFF_JUNIT) == 0);
	fclose(f);
	CHECK_EQ_U64(count_str(buf, "<testcase "), d->n);
	CHECK_EQ_U64(count_str(buf, "<failure "), d->count[NL_VERDICT_REGRESSED]);
	CHECK(count_str(buf, "</testsuites>") == 1);
	free(buf);
	f = open_memstream(&buf, &len);
	CHECK(nl_diff_render(f, d, NL_DIFF_MARKDOWN) == 0);
	fclose(f);
	CHECK_EQ_U64(count_lines(buf, "| "), d->n + 1);	/* + the header row */
	CHECK_EQ_U64(count_lines(buf, "|---"), 1);
	free(buf);
}

static void test_repeats(void)
{
	/* five runs a side: the rank test reaches p = 1/252, which the FDR cut can let through */
	static const uint64_t base_ns[] = { 1000000, 1010000, 990000, 1003000, 996000 };
	static const uint64_t slow_ns[] = { 2000000, 2030000, 1980000, 2010000, 1990000 };
	static const uint64_t same_ns[] = { 1005000, 995000, 1002000, 998000, 1007000 };
	struct spec sb = { 5, base_ns, 1000, 4500, 100, NULL, NULL };
	struct spec sn = { 5, slow_ns, 1500, 3000, 100, NULL, NULL };
	struct spec ss = { 5, same_ns, 1000, 4500, 100, NULL, NULL };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn), *s = make_rec(&ss);
	const struct nl_cmp *c;
	struct nl_diff_opts o = { 0 };
	struct nl_diff d;
	char err[256];

	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	CHECK(d.rank);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && c->verdict == NL_VERDICT_REGRESSED && c->test == NL_TEST_RANK);
	CHECK(c && NEAR(c->score, 1.0 / 252.0, 1e-12));
	CHECK(d.fdr_family > 1 && d.fdr_cut > 0);
	c = find_cmp(&d, "gro", "ratio", "ratio");	/* 45 -> 30: down is worse */
	CHECK(c && c->verdict == NL_VERDICT_REGRESSED);
	c = find_cmp(&d, "gso", "xmits", "rate");	/* +50%, significant, no direction */
	CHECK(c && c->verdict == NL_VERDICT_CHANGED);
	c = find_cmp(&d, "qdisc", "packets", "count");	/* identical */
	CHECK(c && c->verdict == NL_VERDICT_NOISE);
	check_outputs(&d);
	nl_diff_free(&d);

	/* the reverse: improvements, nothing regressed */
	CHECK(nl_diff_compute(&d, "n", n, "b", b, &o, err, sizeof(err)) == 0);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && c->verdict == NL_VERDICT_IMPROVED);
	CHECK_EQ_U64(d.count[NL_VERDICT_REGRESSED], 0);
	check_outputs(&d);
	nl_diff_free(&d);

	/* same workload: within noise everywhere */
	CHECK(nl_diff_compute(&d, "b", b, "s", s, &o, err, sizeof(err)) == 0);
	CHECK_EQ_U64(d.count[NL_VERDICT_REGRESSED], 0);
	CHECK_EQ_U64(d.count[NL_VERDICT_IMPROVED], 0);
	nl_diff_free(&d);
	nl_rec_free(b);
	nl_rec_free(n);
	nl_rec_free(s);
}

static void test_single_and_errors(void)
{
	static const uint64_t b1[] = { 1000000 }, n1[] = { 2000000 };
	struct spec sb = { 1, b1, 1000, 100, 100, NULL, NULL };
	struct spec sn = { 1, n1, 1000, 100, 100, NULL, NULL };
	struct spec su = { 1, b1, 1000, 100, 100, "us", NULL };
	struct spec sk = { 1, b1, 1000, 100, 100, NULL, "dev=other handle=1:" };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn), *u = make_rec(&su);
	struct nl_recording *k = make_rec(&sk), *empty = nl_rec_new(), *other = nl_rec_new();
	const struct nl_cmp *c;
	struct nl_diff_opts o = { 0 };
	struct nl_diff d;
	char err[256];

	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	CHECK(!d.rank);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && c->test == NL_TEST_KS && c->verdict == NL_VERDICT_REGRESSED);
	c = find_cmp(&d, "gro", "ratio", "ratio");
	CHECK(c && c->test == NL_TEST_NONE && c->verdict == NL_VERDICT_NOISE);
	nl_diff_free(&d);

	err[0] = '\0';
	CHECK(nl_diff_compute(&d, "b", b, "u", u, &o, err, sizeof(err)) == -EDOM);
	CHECK(strstr(err, "units") != NULL);
	nl_diff_free(&d);

	CHECK(nl_diff_compute(&d, "b", b, "k", k, &o, err, sizeof(err)) == 0);
	CHECK(d.n_only_base > 0 && d.n_only_new > 0);	/* the qdisc rows of either side */
	CHECK(d.n_only_base == d.n_only_new);
	nl_diff_free(&d);

	nl_iv_add_counter(nl_rec_add_interval(other, 0, 0, 1000), "softirq", "cpu=0 vec=NET_RX",
			  "entries", "", 5);
	CHECK(nl_diff_compute(&d, "b", b, "o", other, &o, err, sizeof(err)) == -ENODATA);
	CHECK(strstr(err, "no metric in common") != NULL);
	nl_diff_free(&d);
	CHECK(nl_diff_compute(&d, "b", b, "e", empty, &o, err, sizeof(err)) == -ENODATA);
	nl_diff_free(&d);
	nl_rec_free(b);
	nl_rec_free(n);
	nl_rec_free(u);
	nl_rec_free(k);
	nl_rec_free(empty);
	nl_rec_free(other);
}

/* Another host is compared with a warning naming it; -m narrows; rows in one run only are not ranked. */
static void test_meta_filter_fewruns(void)
{
	static const uint64_t base_ns[] = { 1000000, 1010000, 990000, 1003000, 996000 };
	static const uint64_t slow_ns[] = { 2000000, 2030000, 1980000, 2010000, 1990000 };
	struct spec sb = { 5, base_ns, 1000, 4500, 100, NULL, NULL };
	struct spec sn = { 5, slow_ns, 1000, 4500, 100, NULL, NULL };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn);
	struct nl_diff_opts o = { .metrics = "gso,gro" };
	const struct nl_cmp *c;
	struct nl_diff d;
	char err[256];
	bool named = false;

	nl_rec_set_meta(n, "host", "elsewhere");
	nl_rec_set_meta(n, "netlat_version", "9.9");
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	for (size_t i = 0; i < d.nwarn; i++)
		named |= strstr(d.warn[i], "host") && strstr(d.warn[i], "elsewhere");
	CHECK(named);
	CHECK(d.nwarn == 2);
	CHECK(find_cmp(&d, "qdisc", "sojourn", "p50") == NULL);	/* not selected */
	CHECK(find_cmp(&d, "gso", "xmits", "count") != NULL);
	nl_diff_free(&d);

	/* a histogram with samples in one run of each side only */
	nl_hist_add(nl_iv_hist(b->iv[0], "softirq", "cpu=9 vec=NET_RX", "duration", "ns"), 100);
	nl_hist_add(nl_iv_hist(n->iv[1], "softirq", "cpu=9 vec=NET_RX", "duration", "ns"), 100000);
	o.metrics = NULL;
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	c = find_cmp(&d, "softirq", "duration", "p50");
	CHECK(c && c->test == NL_TEST_FEW_RUNS && c->verdict == NL_VERDICT_NOISE);
	c = find_cmp(&d, "qdisc", "sojourn", "p99");
	CHECK(c && c->verdict == NL_VERDICT_REGRESSED);
	nl_diff_free(&d);
	nl_rec_free(b);
	nl_rec_free(n);
}

/* nl_stat_add_run + nl_spread_of against values computed by hand. */
static void test_stat_runs(void)
{
	static const uint64_t counts[] = { 10, 30, 20, 40, 50 };
	struct nl_recording *dst = nl_rec_new();
	struct nl_sampleset s;
	const struct nl_item *it;
	struct nl_spread sp;

	for (uint32_t r = 0; r < 5; r++) {
		struct nl_recording *one = nl_rec_new();
		struct nl_interval *iv = nl_rec_add_interval(one, r, 0, 2000000000ULL);

		nl_iv_add_counter(iv, "gso", "dev=lo", "xmits", "", counts[r]);
		nl_rec_set_meta(one, "duration_ns", "2000000000");
		nl_rec_set_meta(one, "command_exit", r == 3 ? "4" : "0");
		nl_rec_set_meta(one, "host", "h");
		nl_stat_add_run(dst, one, r);
		nl_rec_free(one);
	}
	nl_stat_finish(dst, 5);
	CHECK_STR(nl_rec_meta(dst, "runs"), "5");
	CHECK_STR(nl_rec_meta(dst, "duration_ns"), "10000000000");
	CHECK_STR(nl_rec_meta(dst, "command_exit"), "4");
	CHECK_STR(nl_rec_meta(dst, "run.3.command_exit"), "4");
	CHECK(nl_samples_build(dst, &s) == 0);
	CHECK_EQ_U64(s.nruns, 5);
	it = nl_samples_find(&s, "gso", "dev=lo", "xmits", "count");
	CHECK(it != NULL);
	if (it) {
		nl_spread_of(it->v, s.nruns, &sp);
		CHECK(NEAR(sp.median, 30, 1e-12) && NEAR(sp.min, 10, 1e-12) && NEAR(sp.max, 50, 1e-12));
		/* mean 30, sample sd sqrt(1000/4) = 15.811 -> 52.70% */
		CHECK(NEAR(sp.rsd_pct, sqrt(250.0) / 30 * 100, 1e-9));
	}
	it = nl_samples_find(&s, "gso", "dev=lo", "xmits", "rate");
	CHECK(it && NEAR(it->v[0], 5, 1e-12) && NEAR(it->total, 150.0 / 10, 1e-12));
	nl_samples_free(&s);
	CHECK(nl_stat_keep_run(dst, 7) == -ENOENT);
	CHECK(nl_stat_keep_run(dst, 3) == 0);
	CHECK_EQ_U64(dst->niv, 1);
	CHECK_EQ_U64(dst->iv[0]->run, 3);
	CHECK_STR(nl_rec_meta(dst, "duration_ns"), "2000000000");
	nl_rec_free(dst);
}

/* Three runs a side: p never goes below 0.05, so over several gated statistics nothing passes the FDR. */
static void test_fdr_three_runs(void)
{
	static const uint64_t base_ns[] = { 1000000, 1010000, 990000 };
	static const uint64_t slow_ns[] = { 2000000, 2030000, 1980000 };
	struct spec sb = { 3, base_ns, 1000, 4500, 100, NULL, NULL };
	struct spec sn = { 3, slow_ns, 1000, 4500, 100, NULL, NULL };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn);
	struct nl_diff_opts o = { 0 };
	struct nl_diff d;
	char err[256];

	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	CHECK(d.fdr_family > 1);
	/* sojourn p50 and p99 both at p = 0.05 out of more gated ones: above 2/m * 0.05 */
	CHECK_EQ_U64(d.count[NL_VERDICT_REGRESSED], 0);
	nl_diff_free(&d);
	nl_rec_free(b);
	nl_rec_free(n);
}

/* Rows from two namespaces match by name, qdisc kind and parent; --match strict does not. */
static void test_portable_keys(void)
{
	static const uint64_t ns1[] = { 1000000, 1010000, 990000, 1003000, 996000 };
	static const uint64_t ns2[] = { 2000000, 2030000, 1980000, 2010000, 1990000 };
	struct spec sb = { 5, ns1, 1000, 4500, 100, NULL, "dev=veth0 handle=8001: netns=4026532100" };
	struct spec sn = { 5, ns2, 1000, 4500, 100, NULL, "dev=veth0 handle=8003: netns=4026532200" };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn);
	struct nl_diff_opts o = { 0 };
	const struct nl_cmp *c;
	struct nl_diff d;
	char err[256];
	struct nl_keymap *km;
	char key[NL_KEY_MAX];

	nl_rec_set_meta(b, "qdisc.4026532100.veth0.8001:", "tbf root");
	nl_rec_set_meta(n, "qdisc.4026532200.veth0.8003:", "tbf root");
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && !strcmp(c->b->key, "dev=veth0 qdisc=tbf parent=root netns=ns1"));
	CHECK(c && !strcmp(c->b->attrs, "dev=veth0 handle=8001: netns=4026532100"));
	CHECK(c && c->verdict == NL_VERDICT_REGRESSED);
	nl_diff_free(&d);
	o.strict = true;
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	CHECK(find_cmp(&d, "qdisc", "sojourn", "p50") == NULL);
	nl_diff_free(&d);

	/* a named namespace, a pid left out, the client's ephemeral port dropped */
	nl_rec_set_meta(b, "netns.4026531833", "init");
	km = nl_keymap_new(b);
	nl_keymap_key(km, "tcp", "flow=127.0.0.1:5299>127.0.0.1:39730 netns=4026531833 comm=srv pid=77",
		      key, sizeof(key));
	CHECK(!strcmp(key, "flow=127.0.0.1:5299>127.0.0.1:* netns=init comm=srv"));
	nl_keymap_key(km, "tcp", "flow=[::1]:41000>[::1]:80 netns=4026532100", key, sizeof(key));
	CHECK(!strcmp(key, "flow=[::1]:*>[::1]:80 netns=ns1"));
	nl_keymap_free(km);
	nl_rec_free(b);
	nl_rec_free(n);
}

/* --calibrate writes a floor per statistic; --noise with a floor above the change makes it noise. */
static void test_noise_floor(void)
{
	static const uint64_t base_ns[] = { 1000000, 1010000, 990000, 1003000, 996000 };
	static const uint64_t slow_ns[] = { 2000000, 2030000, 1980000, 2010000, 1990000 };
	struct spec sb = { 5, base_ns, 1000, 4500, 100, NULL, NULL };
	struct spec sn = { 5, slow_ns, 1000, 4500, 100, NULL, NULL };
	struct nl_recording *b = make_rec(&sb), *n = make_rec(&sn);
	char path[] = "/tmp/netlat-noise.XXXXXX", err[256];
	struct nl_diff_opts o = { 0 };
	struct nl_noise noise;
	const struct nl_cmp *c;
	struct nl_diff d;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return;
	/* calibrate on the pair itself: every floor covers its own change */
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && c->verdict == NL_VERDICT_REGRESSED);
	CHECK(nl_noise_write(f, &d) == 0);
	fclose(f);
	nl_diff_free(&d);
	CHECK(nl_noise_load(&noise, path, err, sizeof(err)) == 0);
	CHECK(noise.n > 10);
	o.noise = &noise;
	CHECK(nl_diff_compute(&d, "b", b, "n", n, &o, err, sizeof(err)) == 0);
	c = find_cmp(&d, "qdisc", "sojourn", "p50");
	CHECK(c && c->floor_pct >= 99.0 && c->verdict == NL_VERDICT_NOISE);
	CHECK_EQ_U64(d.count[NL_VERDICT_REGRESSED], 0);
	nl_diff_free(&d);
	nl_noise_free(&noise);
	/* a malformed file is refused with its line */
	f = fopen(path, "w");
	if (f) {
		fputs("qdisc sojourn.p50 lots dev=lo\n", f);
		fclose(f);
	}
	CHECK(nl_noise_load(&noise, path, err, sizeof(err)) == -EINVAL && strstr(err, ":1:"));
	unlink(path);
	nl_rec_free(b);
	nl_rec_free(n);
}

int main(void)
{
	test_noise_floor();
	test_fdr_three_runs();
	test_portable_keys();
	test_mwu();
	test_ks_poisson();
	test_threshold_parse();
	test_threshold_match();
	test_repeats();
	test_single_and_errors();
	test_meta_filter_fewruns();
	test_stat_runs();
	UNIT_DONE();
}
