// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF collector: one object for every metric it serves, one program per
 * tracepoint, aggregated in per-CPU arrays in the kernel and read once per
 * snapshot. prepare() loads the object once for all the metrics the session
 * will ask for (switches in .rodata), as tp_btf where the kernel has BTF
 * for its tracepoints, else as raw_tp from the same text built with probe
 * reads; arm() then answers per metric. When the whole set does not load,
 * each metric is tried alone, so one that this kernel refuses falls to the
 * next collector with the kernel's answer and takes no other down.
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
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_hooks.h"
#include "collector.h"
#include "metrics/flows.h"
#include "netlat_btf.skel.h"
#include "netlat_raw.skel.h"
#include "netlat/collector.h"
#include "netlat/features.h"
#include "netlat/util.h"
#include "netlat/vmlinux_btf.h"

/* The two builds of one text share every global's layout: the collector reads both through one type. */
_Static_assert(sizeof(struct netlat_btf_bpf__rodata) == sizeof(struct netlat_raw_bpf__rodata), "rodata");
_Static_assert(sizeof(struct netlat_btf_bpf__bss) == sizeof(struct netlat_raw_bpf__bss), "bss");
_Static_assert(sizeof(struct netlat_btf_bpf__data) == sizeof(struct netlat_raw_bpf__data), "data");

enum nlb_mode { NLB_TP_BTF, NLB_RAW_TP };
static const char *const mode_names[] = { "tp_btf", "raw_tp" };

#define NLB_MAX_METRICS	16
#define NLB_MAX_LINKS	40

/*
 * Which metrics each program serves is in their descriptors (bpf_programs):
 * the programs netlat.bpf.c keeps for a tracepoint several metrics share
 * and a metric's own in its .bpf.h alike, so a metric on a new tracepoint
 * edits nothing here.
 */
static const struct nl_bpf_use *bpf_use(const struct nl_metric_desc *m, const char *tp)
{
	for (const struct nl_bpf_use *u = m->bpf_programs; u && u->tracepoint; u++)
		if (!strcmp(u->tracepoint, tp))
			return u;
	return NULL;
}

/* Is tp used by a metric before nl_metrics[i] (listed already)? */
static bool bpf_listed_before(size_t i, const char *tp)
{
	for (size_t k = 0; k < i; k++)
		if (bpf_use(nl_metrics[k], tp))
			return true;
	return false;
}

/* "gro,rx": the metrics that use program tp, "copy --syscall-time" for one that needs the option */
static void bpf_served(const char *tp, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t k = 0; k < nl_nmetrics; k++) {
		const struct nl_bpf_use *u = bpf_use(nl_metrics[k], tp);

		if (u && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s%s", o ? "," : "", nl_metrics[k]->name,
					      u->syscall_time ? " --syscall-time" : "");
	}
}

const char *nl_bpf_program(size_t i, const char **metrics)
{
	static char served[128];

	for (size_t m = 0; m < nl_nmetrics; m++)
		for (const struct nl_bpf_use *u = nl_metrics[m]->bpf_programs; u && u->tracepoint; u++) {
			if (bpf_listed_before(m, u->tracepoint) || bpf_use(nl_metrics[m], u->tracepoint) != u)
				continue;
			if (i--)
				continue;
			bpf_served(u->tracepoint, served, sizeof(served));
			*metrics = served;
			return u->tracepoint;
		}
	return NULL;
}

/* One metric the session asked for: its result and, once armed, its readers. */
struct nlb_metric {
	const struct nl_metric_desc *m;
	bool witness;			/* loaded only as a witness (bpf_hooks' witness_map): no rows */
	int err;			/* 0: armed */
	char why[NL_REASON_MAX];
	struct nlb_reader *readers[5];
};

struct nlb_ctx {
	struct nl_record_opts opts;
	struct btf *vmlinux;		/* nl_vmlinux_btf()'s, not ours; NULL: no BTF, raw_tp only */
	int ncpu;
	enum nlb_mode mode;
	bool prepared;
	struct netlat_btf_bpf *skel_btf;
	struct netlat_raw_bpf *skel_raw;
	struct bpf_object *obj;
	struct netlat_btf_bpf__bss *bss;	/* of whichever skeleton is loaded */
	struct netlat_btf_bpf__data *data;
	struct bpf_link *links[NLB_MAX_LINKS];
	struct bpf_program *link_progs[NLB_MAX_LINKS];
	int nlinks;
	struct nlb_metric metrics[NLB_MAX_METRICS];
	int nmetrics;
	int session_fd;
	uint64_t *session_prev;		/* ncpu * NL_BPF_EV_NR, cumulative */
	uint64_t *session_cur;		/* scratch for one per-CPU lookup */
	uint64_t *recursion_prev;	/* per program, cumulative */
	struct nlb_unseen *unseen;	/* a witness map loaded: runs no program saw */
	const char *witness_map;	/* of a metric (asked for or witness) in the loaded object */
	struct nlb_devs devs;
};

/* libbpf's own messages only with -v: the reasons we print already carry the errno. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!nl_verbose || (level == LIBBPF_DEBUG && nl_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Testing aid: NETLAT_BPF_RAW_TP=1 skips tp_btf, so the fallback is exercised on kernels that have it. */
static bool force_raw_tp(void)
{
	const char *e = getenv("NETLAT_BPF_RAW_TP");

	return e && *e && strcmp(e, "0");
}

static int bpf_open(void **ctxp, const struct nl_record_opts *o, char *why, size_t whylen)
{
	struct nlb_ctx *ctx;
	int ncpu, err;

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
	ctx->session_fd = -1;
	ctx->session_cur = nl_xcalloc((size_t)ncpu, sizeof(uint64_t));
	/* No BTF is not fatal here: raw_tp needs none of the tracepoint's BTF (CO-RE may still want it). */
	ctx->vmlinux = nl_vmlinux_btf(&err);
	if (!ctx->vmlinux)
		nl_info("bpf: no vmlinux BTF (%s): raw_tp only", nl_errname(err));
	ctx->mode = ctx->vmlinux && !force_raw_tp() ? NLB_TP_BTF : NLB_RAW_TP;
	*ctxp = ctx;
	return 0;
}

/* "tp_btf/napi_poll" -> "napi_poll" */
static const char *prog_tracepoint(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p), *slash = strchr(sec, '/');

	return slash ? slash + 1 : sec;
}

/* Is tp ("napi_poll") in list ("net:napi_poll", ...)? */
static bool tp_listed(const char *const *list, const char *tp)
{
	for (const char *const *o = list; o && *o; o++) {
		const char *colon = strchr(*o, ':');

		if (!strcmp(colon ? colon + 1 : *o, tp))
			return true;
	}
	return false;
}

/* What the hooks of the metrics may ask: this kernel's BTF, how the object loads, the record options. */
static struct nlb_kernel kernel_of(const struct nlb_ctx *ctx)
{
	return (struct nlb_kernel){ ctx->vmlinux, ctx->mode == NLB_RAW_TP, &ctx->opts };
}

/* The set of metrics one load tries, as switches. */
struct nlb_set {
	bool on[NLB_MAX_METRICS];
};

static bool set_has(const struct nlb_ctx *ctx, const struct nlb_set *s, const char *name)
{
	for (int i = 0; i < ctx->nmetrics; i++)
		if (s->on[i] && !strcmp(ctx->metrics[i].m->name, name))
			return true;
	return false;
}

/* Does a metric of s use program tp, and does one of them require it? */
static void prog_wanted(const struct nlb_ctx *ctx, const struct nlb_set *s, const char *tp, bool *wanted,
			const struct nl_metric_desc **requirer)
{
	*wanted = false;
	*requirer = NULL;
	for (int i = 0; i < ctx->nmetrics; i++) {
		const struct nl_metric_desc *m = ctx->metrics[i].m;
		const struct nl_bpf_use *u = bpf_use(m, tp);

		if (!s->on[i] || !u || (u->syscall_time && !ctx->opts.syscall_time))
			continue;
		*wanted = true;
		if (tp_listed(m->tracepoints, tp))
			*requirer = m;
	}
}

static void unload(struct nlb_ctx *ctx)
{
	for (int i = ctx->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(ctx->links[i]);
	ctx->nlinks = 0;
	netlat_btf_bpf__destroy(ctx->skel_btf);
	netlat_raw_bpf__destroy(ctx->skel_raw);
	ctx->skel_btf = NULL;
	ctx->skel_raw = NULL;
	ctx->obj = NULL;
	ctx->bss = NULL;
	ctx->data = NULL;
}

/* .rodata before load: filters, switches, clocks. */
static void set_rodata(struct nlb_ctx *ctx, struct netlat_btf_bpf__rodata *ro, const struct nlb_set *s)
{
	struct nl_bpf_filter *f = (struct nl_bpf_filter *)&ro->nl_filter;
	struct nl_bpf_switches *on = (struct nl_bpf_switches *)&ro->nl_on;
	const char *nodev = NL_BPF_NO_DEVICE;
	struct nlb_kernel k = kernel_of(ctx);

	memcpy(f->cpumask, ctx->opts.cpumask, sizeof(f->cpumask));
	f->cpus_set = ctx->opts.cpus_set;
	memcpy(f->dev, ctx->opts.dev, sizeof(f->dev));
	f->dev[sizeof(f->dev) - 1] = '\0';
	f->netns = (unsigned int)ctx->opts.netns;
	f->pid = (unsigned int)ctx->opts.pid;
	f->port = ctx->opts.port;
	memcpy(f->comm, ctx->opts.comm, sizeof(f->comm));
	f->comm[sizeof(f->comm) - 1] = '\0';
#define NL_METRIC(name, bpf, tracefs) NL_SET_##bpf(name)
#define NL_SET_BPF(name) on->name = set_has(ctx, s, #name);
#define NL_SET_NO_BPF(name)
#include "metrics.def"
#undef NL_SET_NO_BPF
#undef NL_SET_BPF
#undef NL_METRIC
	/* each metric's own switches, on or off: what its handlers may use on this kernel */
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nl_metrics[i]->bpf_hooks && nl_metrics[i]->bpf_hooks->setup)
			nl_metrics[i]->bpf_hooks->setup(&k, on);
	/* The backlog has no device: under --dev it passes only by its napi_poll name, never with --netns. */
	ro->nl_no_dev_slot = (f->dev[0] && strcmp(f->dev, nodev)) || f->netns ? UINT32_MAX : 0;
	ro->rx_tai_minus_real = nlb_tai_minus_real();
	ro->rx_real_minus_mono = nlb_real_minus_mono();
}

/* The metric whose map this is (bpf_hooks.h's nlb_map_of), NULL when none. */
static const struct nl_metric_desc *map_owner(const char *map)
{
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nlb_metric_known(nl_metrics[i]->name) && nlb_map_of(nl_metrics[i], map))
			return nl_metrics[i];
	return NULL;
}

/*
 * Before load: the maps of metrics that are off shrink to one entry, so
 * they cost neither memory nor the time to preallocate it (the pairing
 * tables hold 64 Ki entries); so do a metric's --syscall-time maps without
 * the option. "nl_" maps are everyone's.
 */
static void size_maps(struct nlb_ctx *ctx, const struct nlb_set *s)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, ctx->obj) {
		const char *name = bpf_map__name(map);
		const struct nl_metric_desc *m;

		/* socket storage wants 0 entries, whatever its metric */
		if (bpf_map__is_internal(map) || !strncmp(name, "nl_", 3) ||
		    bpf_map__type(map) == BPF_MAP_TYPE_SK_STORAGE)
			continue;
		m = map_owner(name);
		if (!m || !set_has(ctx, s, m->name) || (nlb_map_syscall_time_only(m, name) && !ctx->opts.syscall_time))
			bpf_map__set_max_entries(map, 1);
	}
}

/* Before load: which programs load, as what. Fails when a metric's required tracepoint is missing. */
static int set_programs(struct nlb_ctx *ctx, const struct nlb_set *s, char *why, size_t len)
{
	struct nlb_kernel k = kernel_of(ctx);
	struct bpf_program *p;

	bpf_object__for_each_program(p, ctx->obj) {
		const char *tp = prog_tracepoint(p);
		const struct nl_metric_desc *req;
		bool wanted;
		int err;

		prog_wanted(ctx, s, tp, &wanted, &req);
		if (wanted && ctx->mode == NLB_TP_BTF && !nlb_btf_has_tracepoint(&k, tp)) {
			if (req) {
				snprintf(why, len, "%s: no BTF for tracepoint %s: ENOENT", req->name, tp);
				return -ENOENT;
			}
			wanted = false;		/* optional and not on this kernel */
		}
		bpf_program__set_autoload(p, wanted);
		if (!wanted || ctx->mode == NLB_RAW_TP)
			continue;
		err = bpf_program__set_attach_target(p, 0, tp);
		if (err) {
			snprintf(why, len, "BTF of tracepoint %s: %s", tp, nl_errname(err));
			return err;
		}
	}
	return 0;
}

static int attach_all(struct nlb_ctx *ctx, const struct nlb_set *s, char *why, size_t len)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, ctx->obj) {
		const char *tp = prog_tracepoint(p);
		const struct nl_metric_desc *req;
		struct bpf_link *l;
		bool wanted;
		int err;

		if (!bpf_program__autoload(p))
			continue;
		if (ctx->mode == NLB_TP_BTF)
			l = bpf_program__attach_trace(p);
		else
			l = bpf_program__attach_raw_tracepoint(p, tp);
		err = l ? 0 : -errno;
		prog_wanted(ctx, s, tp, &wanted, &req);
		if (err == -ENOENT && !req)
			continue;	/* raw_tp learns only here that the kernel lacks an optional one */
		if (err) {
			snprintf(why, len, "attach %s: %s", tp, nl_errname(err));
			return err;
		}
		if (ctx->nlinks == NLB_MAX_LINKS) {
			bpf_link__destroy(l);
			snprintf(why, len, "attach %s: too many programs", tp);
			return -E2BIG;
		}
		ctx->link_progs[ctx->nlinks] = p;
		ctx->links[ctx->nlinks++] = l;
	}
	return 0;
}

/* Load and attach the object for set s in ctx->mode; on failure nothing stays loaded. */
static int load_set(struct nlb_ctx *ctx, const struct nlb_set *s, char *why, size_t len)
{
	struct netlat_btf_bpf__rodata *ro;
	int err;

	if (ctx->mode == NLB_TP_BTF) {
		ctx->skel_btf = netlat_btf_bpf__open();
		ctx->obj = ctx->skel_btf ? ctx->skel_btf->obj : NULL;
		ro = ctx->skel_btf ? ctx->skel_btf->rodata : NULL;
	} else {
		ctx->skel_raw = netlat_raw_bpf__open();
		ctx->obj = ctx->skel_raw ? ctx->skel_raw->obj : NULL;
		ro = ctx->skel_raw ? (struct netlat_btf_bpf__rodata *)ctx->skel_raw->rodata : NULL;
	}
	if (!ctx->obj) {
		err = errno ? -errno : -EINVAL;
		snprintf(why, len, "open failed: %s", nl_errname(err));
		return err;
	}
	set_rodata(ctx, ro, s);
	size_maps(ctx, s);
	err = set_programs(ctx, s, why, len);
	if (err)
		goto out_unload;
	err = ctx->mode == NLB_TP_BTF ? netlat_btf_bpf__load(ctx->skel_btf) : netlat_raw_bpf__load(ctx->skel_raw);
	if (err) {
		snprintf(why, len, "load failed: %s", nl_errname(err));
		goto out_unload;
	}
	err = attach_all(ctx, s, why, len);
	if (err)
		goto out_unload;
	if (ctx->mode == NLB_TP_BTF) {
		ctx->bss = ctx->skel_btf->bss;
		ctx->data = ctx->skel_btf->data;
	} else {
		ctx->bss = (struct netlat_btf_bpf__bss *)ctx->skel_raw->bss;
		ctx->data = (struct netlat_btf_bpf__data *)ctx->skel_raw->data;
	}
	return 0;

out_unload:
	unload(ctx);
	return err;
}

/*
 * Load for every metric of the session at once; if the kernel refuses the
 * whole, find who: each metric alone, then the ones that loaded alone
 * together. tp_btf first, raw_tp when tp_btf takes none of them.
 */
static void load_best(struct nlb_ctx *ctx, struct nlb_set *all)
{
	char why[NL_REASON_MAX];
	struct nlb_set ok = { 0 };
	int nok = 0;

	for (;;) {
		if (load_set(ctx, all, why, sizeof(why)) == 0) {
			/* tp_btf's refusals (each metric alone) do not stand once raw_tp took them all */
			for (int i = 0; i < ctx->nmetrics; i++)
				if (all->on[i]) {
					ctx->metrics[i].err = 0;
					ctx->metrics[i].why[0] = '\0';
				}
			return;
		}
		nl_info("bpf (%s): %s; trying each metric alone", mode_names[ctx->mode], why);
		for (int i = 0; i < ctx->nmetrics; i++) {
			struct nlb_set one = { 0 };

			if (!all->on[i])
				continue;
			one.on[i] = true;
			ctx->metrics[i].err = load_set(ctx, &one, ctx->metrics[i].why, sizeof(ctx->metrics[i].why));
			unload(ctx);
			if (!ctx->metrics[i].err) {
				ok.on[i] = true;
				nok++;
			}
		}
		if (nok || ctx->mode == NLB_RAW_TP)
			break;
		ctx->mode = NLB_RAW_TP;
	}
	for (int i = 0; i < ctx->nmetrics; i++)
		if (all->on[i] && !ok.on[i] && !ctx->metrics[i].err)
			ctx->metrics[i].err = -EINVAL;
	/* Loading alone is not loading together: grow the set one metric at a time. */
	memset(all, 0, sizeof(*all));
	for (int i = 0; i < ctx->nmetrics; i++) {
		if (!ok.on[i])
			continue;
		all->on[i] = true;
		if (load_set(ctx, all, ctx->metrics[i].why, sizeof(ctx->metrics[i].why)) == 0) {
			unload(ctx);
			continue;
		}
		all->on[i] = false;
		ctx->metrics[i].err = -E2BIG;
		nl_info("bpf: %s does not load beside the others: %s", ctx->metrics[i].m->name,
			ctx->metrics[i].why);
	}
	if (load_set(ctx, all, why, sizeof(why)) != 0)
		for (int i = 0; i < ctx->nmetrics; i++)
			if (all->on[i]) {
				ctx->metrics[i].err = -EINVAL;
				snprintf(ctx->metrics[i].why, sizeof(ctx->metrics[i].why), "%s", why);
				all->on[i] = false;
			}
}

static struct nlb_metric *metric_slot(struct nlb_ctx *ctx, const struct nl_metric_desc *m)
{
	for (int i = 0; i < ctx->nmetrics; i++)
		if (ctx->metrics[i].m == m)
			return &ctx->metrics[i];
	return NULL;
}

static void make_readers(struct nlb_ctx *ctx, struct nlb_metric *nm)
{
	const struct nlb_table *const *t = nlb_tables_of(nm->m->name);

	for (int k = 0; t && k < 4 && t[k]; k++) {
		nm->readers[k] = nlb_reader_new(t[k], nm->m, ctx->obj, ctx->ncpu, &ctx->opts);
		if (!nm->readers[k]) {
			nm->err = -ENOENT;
			snprintf(nm->why, sizeof(nm->why), "map %s missing from the object: ENOENT", t[k]->rows_map);
			return;
		}
	}
}

/* Is m among the session's metrics, and not refused by the filters? */
static bool asked_for(const struct nlb_ctx *ctx, const struct nl_metric_desc *m)
{
	for (int i = 0; i < ctx->nmetrics; i++)
		if (ctx->metrics[i].m == m && !ctx->metrics[i].err)
			return true;
	return false;
}

/*
 * A metric whose hooks name a witness map loads even when the session
 * does not ask for it, as a witness whose rows are not reported: without
 * it nothing would notice the runs the kernel kept from every BPF program
 * (unseen.c).
 */
static void add_witnesses(struct nlb_ctx *ctx, struct nlb_set *all)
{
	for (size_t k = 0; k < nl_nmetrics && ctx->nmetrics < NLB_MAX_METRICS; k++) {
		const struct nl_metric_desc *m = nl_metrics[k];
		struct nlb_metric *nm = &ctx->metrics[ctx->nmetrics];

		if (!m->bpf_hooks || !m->bpf_hooks->witness_map || !nlb_metric_known(m->name) || asked_for(ctx, m))
			continue;
		memset(nm, 0, sizeof(*nm));
		nm->m = m;
		nm->witness = true;
		all->on[ctx->nmetrics++] = true;
	}
}

/* Once loaded: the witness map to read, and what the metrics loaded hold for the recording. */
static void loaded_hooks(struct nlb_ctx *ctx, const struct nlb_set *all)
{
	for (int i = 0; i < ctx->nmetrics; i++) {
		const struct nl_bpf_hooks *h = ctx->metrics[i].m->bpf_hooks;

		if (all->on[i] && h && h->witness_map && !ctx->witness_map)
			ctx->witness_map = h->witness_map;
	}
	for (int i = 0; i < ctx->nmetrics; i++) {
		const struct nl_bpf_hooks *h = ctx->metrics[i].m->bpf_hooks;

		if (all->on[i] && h && h->hold)
			h->hold();
	}
}

/* The session's metrics, before any arm(): load once for all of them, and the witnesses. */
static int bpf_prepare(void *vctx, const struct nl_metric_desc *const *ms, int n)
{
	struct nlb_ctx *ctx = vctx;
	struct nlb_set all = { 0 };

	/* one slot kept for a witness */
	for (int i = 0; i < n && ctx->nmetrics < NLB_MAX_METRICS - 1; i++) {
		struct nlb_metric *nm = &ctx->metrics[ctx->nmetrics];

		if (!nlb_metric_known(ms[i]->name))
			continue;
		memset(nm, 0, sizeof(*nm));
		nm->m = ms[i];
		nm->err = nl_filters_check("bpf", ms[i]->name, &ctx->opts, nm->why, sizeof(nm->why));
		all.on[ctx->nmetrics] = !nm->err;
		ctx->nmetrics++;
	}
	if (ctx->nmetrics)
		add_witnesses(ctx, &all);
	ctx->prepared = true;
	load_best(ctx, &all);
	if (!ctx->obj)
		return 0;
	for (int i = 0; i < ctx->nmetrics; i++)
		if (all.on[i])
			make_readers(ctx, &ctx->metrics[i]);
	ctx->session_fd = bpf_object__find_map_fd_by_name(ctx->obj, "nl_session");
	ctx->session_prev = nl_xcalloc((size_t)ctx->ncpu, sizeof(uint64_t) * NL_BPF_EV_NR);
	ctx->recursion_prev = nl_xcalloc(NLB_MAX_LINKS, sizeof(uint64_t));
	loaded_hooks(ctx, &all);
	return 0;
}

static int bpf_arm(void *vctx, const struct nl_metric_desc *m, char *detail, size_t dlen,
		   char *why, size_t whylen)
{
	struct nlb_ctx *ctx = vctx;
	struct nlb_kernel k = kernel_of(ctx);
	struct nlb_metric *nm;

	if (!nlb_metric_known(m->name)) {
		snprintf(why, whylen, "no BPF program for this metric");
		return -EOPNOTSUPP;
	}
	if (!ctx->prepared)
		bpf_prepare(ctx, &m, 1);
	nm = metric_slot(ctx, m);
	if (!nm) {
		snprintf(why, whylen, "not among the metrics the object was loaded for");
		return -EINVAL;
	}
	if (nm->err) {
		snprintf(why, whylen, "%s", nm->why[0] ? nm->why : nl_errname(nm->err));
		return nm->err;
	}
	nm->witness = false;
	/* what the metric lacks on this kernel goes beside the backend: the report prints both */
	snprintf(detail, dlen, "%s%s", mode_names[ctx->mode],
		 m->bpf_hooks && m->bpf_hooks->note ? m->bpf_hooks->note(&k) : "");
	return 0;
}

static int bpf_set_admission(void *vctx, unsigned int one_in);

/* Open the gate: the programs have been attached since prepare, counting nothing. */
static int bpf_start(void *vctx)
{
	struct nlb_ctx *ctx = vctx;

	if (!ctx->bss)
		return 0;
	if (ctx->opts.pair_one_in > 1)
		bpf_set_admission(ctx, ctx->opts.pair_one_in);
	ctx->bss->nl_enabled = 1;
	/* After the gate: a run before it is not one the program should have seen. */
	if (ctx->witness_map)
		ctx->unseen = nlb_unseen_start(bpf_object__find_map_fd_by_name(ctx->obj, ctx->witness_map),
					       ctx->ncpu, &ctx->opts);
	return 0;
}

/* Nothing to drain: the kernel aggregates, snapshot reads. */
static int bpf_poll(void *vctx)
{
	(void)vctx;
	return 0;
}

/* Per CPU, since the previous snapshot: events handled, hits lost (lost_per_cpu), pairing admission. */
static int session_snapshot(struct nlb_ctx *ctx, uint64_t *sums, uint64_t *lost_per_cpu)
{
	for (uint32_t slot = 0; slot < NL_BPF_EV_NR; slot++) {
		if (bpf_map_lookup_elem(ctx->session_fd, &slot, ctx->session_cur))
			return -errno;
		for (int cpu = 0; cpu < ctx->ncpu; cpu++) {
			uint64_t *prev = &ctx->session_prev[(size_t)cpu * NL_BPF_EV_NR + slot];
			uint64_t cur = ctx->session_cur[cpu], d = cur >= *prev ? cur - *prev : 0;

			*prev = cur;
			if (slot == NL_BPF_EV_LOST)
				lost_per_cpu[cpu] += d;
			else
				sums[slot] += d;
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
static void recursion_snapshot(struct nlb_ctx *ctx, struct nl_interval *iv)
{
	for (int i = 0; i < ctx->nlinks; i++) {
		struct bpf_program *prog = ctx->link_progs[i];
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = prog ? bpf_program__fd(prog) : -1;
		char key[NL_KEY_MAX];

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) || info.recursion_misses <= ctx->recursion_prev[i])
			continue;
		snprintf(key, sizeof(key), "bpf=%s", bpf_program__name(prog));
		nl_iv_add_counter(iv, "session", key, "lost_events", "", info.recursion_misses - ctx->recursion_prev[i]);
		ctx->recursion_prev[i] = info.recursion_misses;
	}
}

/*
 * The device slots named so far. A program takes a slot (nl_devs_taken) a
 * moment before it writes the slot's name, and an emulated CPU can stop for
 * 100 ms in between: a slot read unnamed (ifindex 0) is read again at the
 * next snapshot, and its rows wait for it (nlb_dev_named).
 */
static int devs_snapshot(struct nlb_ctx *ctx)
{
	int fd = bpf_object__find_map_fd_by_name(ctx->obj, "nl_devs");
	uint32_t n = ctx->data->nl_devs_taken;

	if (fd < 0)
		return -ENOENT;
	if (n > NL_BPF_MAX_DEVS)
		n = NL_BPF_MAX_DEVS;
	n = nlb_taken(bpf_object__find_map_fd_by_name(ctx->obj, "nl_dev_claims"), n, NL_BPF_MAX_DEVS);
	for (uint32_t i = 1; i < n; i++)
		if ((i >= ctx->devs.n || !nlb_dev_named(&ctx->devs, i)) &&
		    bpf_map_lookup_elem(fd, &i, &ctx->devs.dev[i]))
			return -errno;
	snprintf(ctx->devs.dev[0].name, sizeof(ctx->devs.dev[0].name), "%s", NL_BPF_NO_DEVICE);
	ctx->devs.dev[0].netns = 0;
	if (n > ctx->devs.n)
		ctx->devs.n = n;
	return 0;
}

static int bpf_snapshot(void *vctx, struct nl_interval *iv)
{
	struct nlb_ctx *ctx = vctx;
	uint64_t sums[NL_BPF_EV_NR] = { 0 }, *lost;
	int err;

	if (!ctx->obj)
		return 0;
	lost = nl_xcalloc((size_t)ctx->ncpu, sizeof(uint64_t));
	err = devs_snapshot(ctx);
	for (int i = 0; i < ctx->nmetrics && !err; i++) {
		struct nlb_metric *nm = &ctx->metrics[i];

		if (nm->err || nm->witness)
			continue;	/* the witness is read only by nlb_unseen_snapshot */
		for (int k = 0; k < 5 && nm->readers[k] && !err; k++)
			err = nlb_reader_snapshot(nm->readers[k], &ctx->devs, iv);
	}
	if (!err)
		err = session_snapshot(ctx, sums, lost);
	if (!err)
		recursion_snapshot(ctx, iv);
	if (!err)
		err = nlb_unseen_snapshot(ctx->unseen, lost);
	if (!err) {
		nl_iv_add_counter(iv, "session", "", "events", "", sums[NL_BPF_EV_EVENTS]);
		if (sums[NL_BPF_EV_OFFERED]) {
			nl_iv_add_counter(iv, "session", "", "pairing_offered", "", sums[NL_BPF_EV_OFFERED]);
			nl_iv_add_counter(iv, "session", "", "pairing_admitted", "", sums[NL_BPF_EV_ADMITTED]);
		}
		/*
		 * Aggregation loses nothing; a full row table does, and so do
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

static int bpf_progs(void *vctx, struct nl_prog_ref *out, int max)
{
	struct nlb_ctx *ctx = vctx;
	int n = 0;

	for (int i = 0; i < ctx->nlinks && n < max; i++) {
		struct bpf_program *p = ctx->link_progs[i];

		if (!p)
			continue;
		out[n].fd = bpf_program__fd(p);
		snprintf(out[n].name, sizeof(out[n].name), "%s", bpf_program__name(p));
		snprintf(out[n].attach, sizeof(out[n].attach), "%s/%s", mode_names[ctx->mode], prog_tracepoint(p));
		n++;
	}
	return n;
}

/* Admit one skb in one_in to the rx/tx pairing: a power of two, at most 2^15. */
static int bpf_set_admission(void *vctx, unsigned int one_in)
{
	struct nlb_ctx *ctx = vctx;
	unsigned int shift = 0;

	if (!ctx->bss)
		return -ENODEV;
	while (shift < 15 && (1u << (shift + 1)) <= one_in)
		shift++;
	ctx->bss->nl_admit_shift = shift;
	return 1 << shift;
}

static void bpf_close(void *vctx)
{
	struct nlb_ctx *ctx = vctx;

	if (!ctx)
		return;
	nlb_unseen_free(ctx->unseen);
	for (int i = 0; i < ctx->nmetrics; i++)
		for (int k = 0; k < 4; k++)
			nlb_reader_free(ctx->metrics[i].readers[k]);
	unload(ctx);
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nl_metrics[i]->bpf_hooks && nl_metrics[i]->bpf_hooks->release)
			nl_metrics[i]->bpf_hooks->release();
	free(ctx->session_prev);
	free(ctx->session_cur);
	free(ctx->recursion_prev);
	free(ctx);
}

const struct nl_collector_ops nl_collector_bpf = {
	.name = "bpf",
	.open = bpf_open,
	.prepare = bpf_prepare,
	.arm = bpf_arm,
	.start = bpf_start,
	.poll = bpf_poll,
	.snapshot = bpf_snapshot,
	.close = bpf_close,
	.progs = bpf_progs,
	.set_admission = bpf_set_admission,
};
