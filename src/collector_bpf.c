// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF collector: one skeleton per metric, aggregated in per-CPU maps in
 * the kernel and read once per snapshot. Each metric is loaded as tp_btf
 * when the kernel has BTF for its tracepoints, else (or when that fails) as
 * raw_tp from the same program text, so each metric falls back on its own.
 * A metric that fails leaves nothing loaded and says what the kernel said.
 *
 * Links and maps are file descriptors: the kernel detaches and frees them
 * when the process exits, whatever the path, so nothing goes on the cleanup
 * list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_collector.h"
#include "flows.h"
#include "netlat/collector.h"
#include "netlat/features.h"
#include "netlat/util.h"

#define NLB_MAX_ARMED	17	/* every family, rx's companion sockq included */
#define NLB_MAX_LINKS	16	/* rx follows 12 tracepoints */

enum nlb_mode { NLB_TP_BTF, NLB_RAW_TP };
static const char *const mode_names[] = { "tp_btf", "raw_tp" };

struct nlb_armed {
	const struct nlb_family *fam;
	const struct nl_metric_desc *m;
	struct nlb_skel s;
	struct bpf_link *links[NLB_MAX_LINKS];
	int nlinks;
	struct nlb_reader *reader;
	int session_fd;
	uint64_t *session_prev;		/* ncpu * NL_BPF_EV_NR, cumulative */
	uint64_t recursion_prev;	/* sum of the programs' recursion_misses */
	bool witness;			/* armed only to detect unseen runs: no rows */
};

struct nlb_ctx {
	struct nl_record_opts opts;
	struct btf *vmlinux;		/* NULL: no BTF, raw_tp only */
	int ncpu;
	struct nlb_armed armed[NLB_MAX_ARMED];
	int narmed;
	uint64_t *session_cur;		/* scratch for one per-CPU lookup */
	struct nlb_unseen *unseen;	/* softirq armed: runs no program saw */
};

/* libbpf's own messages only with -v: the reasons we print already carry the errno. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!nl_verbose || (level == LIBBPF_DEBUG && nl_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int bpf_open(void **ctxp, const struct nl_record_opts *o, char *why, size_t whylen)
{
	struct nlb_ctx *ctx;
	int ncpu;

	*ctxp = NULL;
	libbpf_set_print(libbpf_print);
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0) {
		snprintf(why, whylen, "possible CPUs unknown: %s", nl_errname(ncpu ? ncpu : -EINVAL));
		return ncpu ? ncpu : -EINVAL;
	}
	ctx = nl_xcalloc(1, sizeof(*ctx));
	ctx->opts = *o;
	ctx->ncpu = ncpu;
	ctx->session_cur = nl_xcalloc((size_t)ncpu, sizeof(uint64_t) * NL_BPF_EV_NR);
	/* No BTF is not fatal here: raw_tp needs none of the tracepoint's BTF (CO-RE may still want it). */
	ctx->vmlinux = btf__load_vmlinux_btf();
	if (!ctx->vmlinux)
		nl_info("bpf: no vmlinux BTF (%s): raw_tp only", nl_errname(-errno));
	*ctxp = ctx;
	return 0;
}

/* "tp_btf/napi_poll" -> "napi_poll" */
static const char *prog_tracepoint(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p), *slash = strchr(sec, '/');

	return slash ? slash + 1 : sec;
}

/* Is tp ("napi_poll") one of m's optional tracepoints ("net:napi_gro_frags_entry")? */
static bool tp_optional(const struct nl_metric_desc *m, const char *tp)
{
	for (const char *const *o = m->optional_tracepoints; o && *o; o++) {
		const char *colon = strchr(*o, ':');

		if (!strcmp(colon ? colon + 1 : *o, tp))
			return true;
	}
	return false;
}

static bool btf_has_tracepoint(const struct btf *btf, const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

static void disarm(struct nlb_armed *a)
{
	for (int i = a->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(a->links[i]);
	a->nlinks = 0;
	if (a->s.skel)
		a->fam->destroy(&a->s);
	nlb_reader_free(a->reader);
	a->reader = NULL;
	free(a->session_prev);
	a->session_prev = NULL;
}

/*
 * Before load: the filters, and each program's type. The programs are
 * written as SEC("raw_tp/...") and promoted to tp_btf here rather than the
 * other way round: libbpf 1.1 keeps the tp_btf section's BTF lookup after
 * bpf_program__set_type(), so a tp_btf section cannot load as raw_tp. One
 * text serves both: BPF_PROG reads arguments from the u64 array both types
 * get, and every dereference goes through BPF_CORE_READ (probe reads),
 * which raw_tp needs and tp_btf allows.
 */
static int prepare(struct nlb_ctx *ctx, struct nlb_armed *a, enum nlb_mode mode, char *why, size_t len)
{
	struct nl_bpf_filter *f = a->s.filter;
	struct bpf_program *p;
	int err;

	memcpy(f->cpumask, ctx->opts.cpumask, sizeof(f->cpumask));
	f->cpus_set = ctx->opts.cpus_set;
	memcpy(f->dev, ctx->opts.dev, sizeof(f->dev));
	f->dev[sizeof(f->dev) - 1] = '\0';
	f->netns = (unsigned int)ctx->opts.netns;
	f->pid = (unsigned int)ctx->opts.pid;
	f->port = ctx->opts.port;
	memcpy(f->comm, ctx->opts.comm, sizeof(f->comm));
	f->comm[sizeof(f->comm) - 1] = '\0';
	bpf_object__for_each_program(p, a->s.obj) {
		const char *tp = prog_tracepoint(p);

		if (mode == NLB_RAW_TP)
			continue;
		if (!btf_has_tracepoint(ctx->vmlinux, tp)) {
			/* Not on this kernel: leave an optional one out, fail on a required one. */
			if (!tp_optional(a->m, tp)) {
				snprintf(why, len, "no BTF for tracepoint %s: ENOENT", tp);
				return -ENOENT;
			}
			bpf_program__set_autoload(p, false);
			continue;
		}
		bpf_program__set_type(p, BPF_PROG_TYPE_TRACING);
		bpf_program__set_expected_attach_type(p, BPF_TRACE_RAW_TP);
		err = bpf_program__set_attach_target(p, 0, tp);
		if (err) {
			snprintf(why, len, "BTF of tracepoint %s: %s", tp, nl_errname(err));
			return err;
		}
	}
	return 0;
}

static int attach_all(struct nlb_armed *a, enum nlb_mode mode, char *why, size_t len)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, a->s.obj) {
		const char *tp = prog_tracepoint(p);
		struct bpf_link *l;
		int err;

		if (!bpf_program__autoload(p))
			continue;
		if (mode == NLB_TP_BTF)
			l = bpf_program__attach_trace(p);
		else
			l = bpf_program__attach_raw_tracepoint(p, tp);
		err = l ? 0 : -errno;
		if (err == -ENOENT && tp_optional(a->m, tp))
			continue;	/* raw_tp learns only here that the kernel lacks it */
		if (err) {
			snprintf(why, len, "attach %s: %s", tp, nl_errname(err));
			return err;
		}
		if (a->nlinks == NLB_MAX_LINKS) {
			bpf_link__destroy(l);
			snprintf(why, len, "attach %s: too many programs", tp);
			return -E2BIG;
		}
		a->links[a->nlinks++] = l;
	}
	return 0;
}

/* Load and attach a's family one way; on failure nothing of it stays loaded. */
static int arm_mode(struct nlb_ctx *ctx, struct nlb_armed *a, enum nlb_mode mode, char *why, size_t len)
{
	const struct nlb_family *f = a->fam;
	struct bpf_map *map;
	int err;

	err = f->open(&a->s);
	if (err) {
		snprintf(why, len, "open failed: %s", nl_errname(err));
		return err;
	}
	err = prepare(ctx, a, mode, why, len);
	if (err)
		goto out_disarm;
	err = f->load(&a->s);
	if (err) {
		snprintf(why, len, "load failed: %s", nl_errname(err));
		goto out_disarm;
	}
	err = attach_all(a, mode, why, len);
	if (err)
		goto out_disarm;
	map = bpf_object__find_map_by_name(a->s.obj, f->stats_map);
	a->session_fd = bpf_object__find_map_fd_by_name(a->s.obj, "nl_session");
	if (!map || a->session_fd < 0) {
		snprintf(why, len, "maps missing from the object: ENOENT");
		err = -ENOENT;
		goto out_disarm;
	}
	a->reader = nlb_reader_new(f, a->m, bpf_map__fd(map), ctx->ncpu);
	a->session_prev = nl_xcalloc((size_t)ctx->ncpu, sizeof(uint64_t) * NL_BPF_EV_NR);
	return 0;

out_disarm:
	disarm(a);
	return err;
}

/* Testing aid: NETLAT_BPF_RAW_TP=1 skips tp_btf, so the fallback is exercised on kernels that have it. */
static bool force_raw_tp(void)
{
	const char *e = getenv("NETLAT_BPF_RAW_TP");

	return e && *e && strcmp(e, "0");
}

/*
 * rx's companion: TCP's socket queue by bytes (sockq.bpf.c) is its own
 * object, tp_btf only (socket storage wants BTF pointers), writing rx rows.
 * Armed before rx, which then pairs skbs for UDP only. Failing to is not
 * fatal: rx then pairs TCP's skbs too, and its flow rows say method=skb.
 */
static struct nlb_armed *arm_sockq(struct nlb_ctx *ctx, const struct nl_metric_desc *m)
{
	const struct nlb_family *f = nlb_family_find("sockq");
	struct nlb_armed *a = &ctx->armed[ctx->narmed];
	char why[NL_REASON_MAX] = "";

	if (!f || ctx->narmed + 1 >= NLB_MAX_ARMED)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->fam = f;
	a->m = m;
	if (arm_mode(ctx, a, NLB_TP_BTF, why, sizeof(why))) {
		nl_info("rx: TCP socket queue by skb pairing, not by bytes: %s", why);
		return NULL;
	}
	ctx->narmed++;
	return a;
}

static int bpf_arm(void *vctx, const struct nl_metric_desc *m, char *detail, size_t dlen,
		   char *why, size_t whylen)
{
	struct nlb_ctx *ctx = vctx;
	const struct nlb_family *f = nlb_family_find(m->name);
	enum nlb_mode mode = ctx->vmlinux && !force_raw_tp() ? NLB_TP_BTF : NLB_RAW_TP;
	char reason[2][NL_REASON_MAX];
	struct nlb_armed *a, *companion = NULL;
	int err = -EOPNOTSUPP, ntried = 0;

	if (!f) {
		snprintf(why, whylen, "no BPF program for this metric");
		return -EOPNOTSUPP;
	}
	err = nl_filters_check("bpf", m->name, &ctx->opts, why, whylen);
	if (err)
		return err;
	for (int i = 0; i < ctx->narmed; i++)
		if (ctx->armed[i].fam == f) {
			snprintf(detail, dlen, "%s", "already armed");
			return 0;
		}
	if (ctx->narmed == NLB_MAX_ARMED) {
		snprintf(why, whylen, "too many metrics");
		return -E2BIG;
	}
	if (!strcmp(m->name, "rx") && mode == NLB_TP_BTF)
		companion = arm_sockq(ctx, m);
	a = &ctx->armed[ctx->narmed];
	for (; mode <= NLB_RAW_TP; mode++) {
		memset(a, 0, sizeof(*a));
		a->fam = f;
		a->m = m;
		reason[ntried][0] = '\0';
		err = arm_mode(ctx, a, mode, reason[ntried], sizeof(reason[ntried]));
		if (!err) {
			ctx->narmed++;
			snprintf(detail, dlen, "%s", mode_names[mode]);
			if (ntried)
				nl_info("%s: tp_btf rejected (%s), using raw_tp", m->name, reason[0]);
			return 0;
		}
		ntried++;
	}
	if (companion) {
		disarm(companion);
		ctx->narmed--;
	}
	/* Both ways with the same answer: say it once. */
	if (ntried == 2 && strcmp(reason[0], reason[1]))
		snprintf(why, whylen, "tp_btf: %s; raw_tp: %s", reason[0], reason[1]);
	else
		snprintf(why, whylen, "%s", reason[ntried - 1]);
	return err;
}

/*
 * Without the softirq metric nothing would notice runs the kernel kept
 * from every BPF program (bpf_unseen.c): arm its program anyway, as a
 * witness whose rows are not reported. Failing to is not fatal.
 */
static void arm_witness(struct nlb_ctx *ctx)
{
	const struct nl_metric_desc *m = nl_metric_find("softirq");
	char detail[32], why[NL_REASON_MAX];

	if (!m || !ctx->narmed)
		return;
	for (int i = 0; i < ctx->narmed; i++)
		if (ctx->armed[i].m == m)
			return;
	if (bpf_arm(ctx, m, detail, sizeof(detail), why, sizeof(why)) == 0)
		ctx->armed[ctx->narmed - 1].witness = true;
	else
		nl_info("no softirq witness, unseen BPF events cannot be detected: %s", why);
}

/* Open the gate: the programs have been attached since arm, counting nothing. */
static int bpf_start(void *vctx)
{
	struct nlb_ctx *ctx = vctx;

	arm_witness(ctx);

	for (int i = 0; i < ctx->narmed; i++)
		*ctx->armed[i].s.enabled = 1;
	/* After the gate: a run before it is not one the program should have seen. */
	for (int i = 0; i < ctx->narmed; i++)
		if (!strcmp(ctx->armed[i].fam->metric, "softirq"))
			ctx->unseen = nlb_unseen_start(
				bpf_object__find_map_fd_by_name(ctx->armed[i].s.obj, ctx->armed[i].fam->stats_map),
				ctx->ncpu, &ctx->opts);
	return 0;
}

/* Nothing to drain: the kernel aggregates, snapshot reads. */
static int bpf_poll(void *vctx)
{
	(void)vctx;
	return 0;
}

/* Events handled and hits lost to a full stats map, per CPU, since the previous snapshot. */
static int session_snapshot(struct nlb_ctx *ctx, struct nlb_armed *a, uint64_t *events,
			    uint64_t *lost_per_cpu)
{
	for (uint32_t slot = 0; slot < NL_BPF_EV_NR; slot++) {
		if (bpf_map_lookup_elem(a->session_fd, &slot, ctx->session_cur))
			return -errno;
		for (int cpu = 0; cpu < ctx->ncpu; cpu++) {
			uint64_t *prev = &a->session_prev[(size_t)cpu * NL_BPF_EV_NR + slot];
			uint64_t cur = ctx->session_cur[cpu], d = cur >= *prev ? cur - *prev : 0;

			*prev = cur;
			if (slot == NL_BPF_EV_EVENTS)
				*events += d;
			else
				lost_per_cpu[cpu] += d;
		}
	}
	return 0;
}

/*
 * Hits the kernel skipped without running a program: a tracing program
 * does not run again on a CPU where it is already running (it was
 * interrupted and the interrupt hit the same tracepoint), and the kernel
 * counts each such skip in recursion_misses (Linux 5.12+). Those events
 * are lost to the measurement, so they are reported as lost, per program.
 */
static void recursion_snapshot(struct nlb_armed *a, struct nl_interval *iv)
{
	struct bpf_program *prog;
	uint64_t sum = 0;

	bpf_object__for_each_program(prog, a->s.obj) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bpf_program__fd(prog);

		memset(&info, 0, sizeof(info));
		if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			sum += info.recursion_misses;
	}
	if (sum > a->recursion_prev) {
		char key[NL_KEY_MAX];

		snprintf(key, sizeof(key), "bpf=%s", a->m->name);
		nl_iv_add_counter(iv, "session", key, "lost_events", "", sum - a->recursion_prev);
	}
	a->recursion_prev = sum;
}

static int bpf_snapshot(void *vctx, struct nl_interval *iv)
{
	struct nlb_ctx *ctx = vctx;
	uint64_t events = 0, *lost = nl_xcalloc((size_t)ctx->ncpu, sizeof(uint64_t));
	int err = 0;

	for (int i = 0; i < ctx->narmed && !err; i++) {
		if (ctx->armed[i].witness)
			continue;	/* read only by nlb_unseen_snapshot */
		err = nlb_reader_snapshot(ctx->armed[i].reader, iv);
		if (!err)
			err = session_snapshot(ctx, &ctx->armed[i], &events, lost);
		if (!err)
			recursion_snapshot(&ctx->armed[i], iv);
	}
	if (!err)
		err = nlb_unseen_snapshot(ctx->unseen, lost);
	if (!err) {
		nl_iv_add_counter(iv, "session", "", "events", "", events);
		/*
		 * Aggregation loses nothing; a full stats map does, and so do
		 * softirq runs the kernel ran no program for. Only then is there a row.
		 */
		for (int cpu = 0; cpu < ctx->ncpu; cpu++) {
			char key[32];

			if (!lost[cpu])
				continue;
			snprintf(key, sizeof(key), "cpu=%d", cpu);
			nl_iv_add_counter(iv, "session", key, "lost_events", "", lost[cpu]);
		}
	}
	free(lost);
	return err;
}

static void bpf_close(void *vctx)
{
	struct nlb_ctx *ctx = vctx;

	if (!ctx)
		return;
	nlb_unseen_free(ctx->unseen);
	for (int i = ctx->narmed - 1; i >= 0; i--)
		disarm(&ctx->armed[i]);
	btf__free(ctx->vmlinux);
	free(ctx->session_cur);
	free(ctx);
}

const struct nl_collector_ops nl_collector_bpf = {
	.name = "bpf",
	.open = bpf_open,
	.arm = bpf_arm,
	.start = bpf_start,
	.poll = bpf_poll,
	.snapshot = bpf_snapshot,
	.close = bpf_close,
};
