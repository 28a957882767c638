// SPDX-License-Identifier: GPL-2.0
/*
 * Tiers 1 and 2: BPF fentry/fexit, then BPF kprobe/kretprobe, one
 * funclat.bpf.c object per function (a tracing program is bound to its
 * target at load). The per-CPU stats map is cumulative; collect() turns it
 * into deltas. Links and maps are file descriptors the kernel releases at
 * exit on every path, so nothing goes on the cleanup list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common.h"
#include "funclat.h"
#include "funclat.skel.h"
#include "func_int.h"
#include "percpu.h"
#include "netlat/features.h"
#include "netlat/util.h"

#define NLFB_MAX	NLF_MAX_TARGETS

/* Cumulative totals of one netns row at the previous collect. */
struct nlfb_prev {
	uint32_t netns;
	uint64_t calls, bytes;
	struct nl_hist dur;
};

struct nlfb_one {
	struct nlf_target *t;
	struct funclat_bpf *skel;
	struct bpf_link *entry, *exit;
	bool loaded;			/* the verifier took it (a later failure is the attach's) */
	struct nlfb_prev prev[NLF_MAX_ROWS];
	size_t nprev;
	uint64_t lost_prev;		/* NL_BPF_EV_LOST summed over CPUs, at the last read */
};

struct nlfb_ctx {
	bool kprobe;			/* tier 2, else tier 1 */
	int ncpu;
	struct nlfb_one one[NLFB_MAX];
	int n;
	void *vals;			/* scratch for one per-CPU lookup */
	size_t stride;
	struct nl_hist cur, delta;
	/*
	 * A load refused with EPERM (lockdown, missing CAP_BPF/CAP_PERFMON) is
	 * refused for every function alike: said once, not retried. Each try
	 * costs a skeleton open, libbpf's feature probes and a vmlinux BTF
	 * parse (60 ms here), seven times over for ehash and copyfn.
	 */
	char refused[NL_REASON_MAX];
};

/* libbpf's own lines only with -v -v: our one-line reasons carry the errno. */
static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (nl_verbose < 2 || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void one_destroy(struct nlfb_one *o)
{
	bpf_link__destroy(o->exit);
	bpf_link__destroy(o->entry);
	funclat_bpf__destroy(o->skel);
	o->entry = o->exit = NULL;
	o->skel = NULL;
}

static void set_filter(struct funclat_bpf *k, const struct nl_record_opts *o,
		       const struct nlf_target *t)
{
	struct nl_bpf_filter *f = (struct nl_bpf_filter *)&k->rodata->nl_filter;
	struct nl_funclat_cfg *c = (struct nl_funclat_cfg *)&k->rodata->fl_cfg;

	memcpy(f->cpumask, o->cpumask, sizeof(f->cpumask));
	f->cpus_set = o->cpus_set;
	f->pid = (unsigned int)o->pid;
	memcpy(f->comm, o->comm, sizeof(f->comm));
	f->comm[sizeof(f->comm) - 1] = '\0';
	f->netns = t->netns_arg ? (unsigned int)o->netns : 0;
	c->bytes_arg = t->bytes_arg;
	c->bytes_ret = t->bytes_ret;
	c->netns_arg = t->netns_arg;
	c->net_inum_off = t->inum_off;
}

/* Load and attach one function as fentry/fexit or kprobe/kretprobe. */
static int one_arm(struct nlfb_one *o, bool kprobe, const struct nl_record_opts *opts,
		   char *why, size_t len)
{
	struct nlf_target *t = o->t;
	const char *what = kprobe ? "kprobe" : "fentry";
	struct bpf_program *pe, *px;
	int err;

	/*
	 * A three-instruction fentry program loaded on the function takes a
	 * millisecond; funclat's object first costs libbpf its own parse of
	 * vmlinux BTF (tens of ms) and then hears the same "no", which
	 * arm_common keeps for every later function when it is EPERM. A name
	 * BTF lacks (a clone) is left to set_attach_target below to explain.
	 */
	if (!kprobe && !strcmp(t->sym, t->want)) {
		char fwhy[NL_REASON_MAX];

		err = nl_feature_fentry_load(t->sym, fwhy, sizeof(fwhy));
		if (err && err != -ENOENT)
			return snprintf(why, len, "fentry: load failed: %s", nl_errname(err)), err;
	}
	libbpf_set_print(libbpf_quiet);
	o->skel = funclat_bpf__open();
	if (!o->skel) {
		err = errno ? -errno : -EINVAL;
		return snprintf(why, len, "%s: open failed: %s", what, nl_errname(err)), err;
	}
	set_filter(o->skel, opts, t);
	pe = kprobe ? o->skel->progs.fl_kprobe : o->skel->progs.fl_fentry;
	px = kprobe ? o->skel->progs.fl_kretprobe : o->skel->progs.fl_fexit;
	bpf_program__set_autoload(kprobe ? o->skel->progs.fl_fentry : o->skel->progs.fl_kprobe, false);
	bpf_program__set_autoload(kprobe ? o->skel->progs.fl_fexit : o->skel->progs.fl_kretprobe, false);
	if (!kprobe) {
		err = bpf_program__set_attach_target(pe, 0, t->sym);
		if (!err)
			err = bpf_program__set_attach_target(px, 0, t->sym);
		if (err)
			return snprintf(why, len, "fentry: no BTF target %s: %s", t->sym, nl_errname(err)), err;
	}
	err = funclat_bpf__load(o->skel);
	if (err)
		return snprintf(why, len, "%s: load failed: %s", what, nl_errname(err)), err;
	o->loaded = true;
	o->entry = kprobe ? bpf_program__attach_kprobe(pe, false, t->sym) : bpf_program__attach_trace(pe);
	if (!o->entry) {
		err = -errno;
		return snprintf(why, len, "%s: attach failed: %s", what, nl_errname(err)), err;
	}
	o->exit = kprobe ? bpf_program__attach_kprobe(px, true, t->sym) : bpf_program__attach_trace(px);
	if (!o->exit) {
		err = -errno;
		return snprintf(why, len, "%s: %s attach failed: %s", what, kprobe ? "kretprobe" : "fexit",
				nl_errname(err)), err;
	}
	return 0;
}

static int arm_common(void **ctxp, bool kprobe, const struct nl_record_opts *o,
		      struct nlf_target *t, char *why, size_t len)
{
	struct nlfb_ctx *c = *ctxp;
	struct nlfb_one *one;
	int err;

	if (!kprobe && !t->in_btf) {
		if (strcmp(t->sym, t->want))
			snprintf(why, len, "fentry: %s is a compiler clone of %s; BTF describes only the original",
				 t->sym, t->want);
		else
			snprintf(why, len, "fentry: %s is not in vmlinux BTF", t->sym);
		return -ENOENT;
	}
	if (!c) {
		c = nl_xcalloc(1, sizeof(*c));
		c->kprobe = kprobe;
		c->ncpu = libbpf_num_possible_cpus();
		if (c->ncpu <= 0) {
			free(c);
			return snprintf(why, len, "possible CPUs unknown"), -EINVAL;
		}
		c->stride = (sizeof(struct nl_funclat_val) + 7) & ~(size_t)7;
		c->vals = nl_xcalloc((size_t)c->ncpu, c->stride);
		*ctxp = c;
	}
	if (c->refused[0])
		return snprintf(why, len, "%s", c->refused), -EPERM;
	if (c->n == NLFB_MAX)
		return snprintf(why, len, "too many functions"), -E2BIG;
	one = &c->one[c->n];
	memset(one, 0, sizeof(*one));
	one->t = t;
	err = one_arm(one, kprobe, o, why, len);
	if (err) {
		one_destroy(one);
		if (err == -EPERM && !one->loaded)
			snprintf(c->refused, sizeof(c->refused), "%s", why);
		return err;
	}
	t->netns_rows = t->netns_arg != 0;
	c->n++;
	return 0;
}

static int fentry_arm(void **ctx, const struct nl_record_opts *o, struct nlf_target *t,
		      char *why, size_t len)
{
	return arm_common(ctx, false, o, t, why, len);
}

static int kprobe_arm(void **ctx, const struct nl_record_opts *o, struct nlf_target *t,
		      char *why, size_t len)
{
	return arm_common(ctx, true, o, t, why, len);
}

static int bpf_start(void *ctx)
{
	struct nlfb_ctx *c = ctx;

	for (int i = 0; c && i < c->n; i++)
		c->one[i].skel->bss->nl_enabled = 1;
	return 0;
}

static int bpf_poll(void *ctx)
{
	(void)ctx;
	return 0;
}

static struct nlfb_prev *prev_of(struct nlfb_one *o, uint32_t netns)
{
	for (size_t i = 0; i < o->nprev; i++)
		if (o->prev[i].netns == netns)
			return &o->prev[i];
	if (o->nprev == NLF_MAX_ROWS)
		return NULL;
	memset(&o->prev[o->nprev], 0, sizeof(o->prev[0]));
	o->prev[o->nprev].netns = netns;
	return &o->prev[o->nprev++];
}

_Static_assert(offsetof(struct nl_funclat_val, duration) == 2 * sizeof(uint64_t),
	       "nl_percpu_sum reads two counters, then the histogram");

/* One netns row of one function: this read's totals minus the previous ones. */
static void collect_key(struct nlfb_ctx *c, struct nlfb_one *o, uint32_t netns)
{
	struct nlfb_prev *p = prev_of(o, netns);
	struct nlf_row *r = nlf_row(o->t, netns);
	uint64_t sum[2], calls, bytes;	/* struct nl_funclat_val: calls, bytes, then the histogram */

	if (!p || !r)
		return;
	nl_percpu_sum(c->vals, c->ncpu, c->stride, 2, sum, 1, &c->cur);
	calls = sum[0];
	bytes = sum[1];
	if (calls == p->calls)
		return;
	nl_hist_delta(&c->delta, &c->cur, &p->dur);
	r->calls += calls - p->calls;
	r->bytes += bytes >= p->bytes ? bytes - p->bytes : 0;
	r->ns += c->delta.sum;
	nl_hist_merge(&r->dur, &c->delta);
	r->active = true;
	p->calls = calls;
	p->bytes = bytes;
	p->dur = c->cur;
}

static int bpf_collect(void *ctx)
{
	struct nlfb_ctx *c = ctx;

	for (int i = 0; c && i < c->n; i++) {
		struct nlfb_one *o = &c->one[i];
		int fd = bpf_map__fd(o->skel->maps.fl_stats);
		uint32_t key, *prev = NULL;

		while (bpf_map_get_next_key(fd, prev, &key) == 0) {
			uint32_t k = key;

			prev = &key;
			if (bpf_map_lookup_elem(fd, &k, c->vals) == 0)
				collect_key(c, o, k);
		}
	}
	return 0;
}

/* Calls funclat.bpf.c could not count (its row table full): NL_BPF_EV_LOST of each function's program. */
static uint64_t bpf_lost(void *ctx)
{
	struct nlfb_ctx *c = ctx;
	uint32_t slot = NL_BPF_EV_LOST;
	uint64_t lost = 0;

	for (int i = 0; c && i < c->n; i++) {
		struct nlfb_one *o = &c->one[i];
		int fd = bpf_map__fd(o->skel->maps.nl_session);
		uint64_t sum[1];

		if (fd < 0 || bpf_map_lookup_elem(fd, &slot, c->vals))
			continue;
		/* the per-CPU u64s are 8 bytes apart: reuse the summing reader with that stride */
		nl_percpu_sum(c->vals, c->ncpu, sizeof(uint64_t), 1, sum, 0, NULL);
		lost += sum[0] >= o->lost_prev ? sum[0] - o->lost_prev : 0;
		o->lost_prev = sum[0];
	}
	return lost;
}

static void bpf_close(void *ctx)
{
	struct nlfb_ctx *c = ctx;

	if (!c)
		return;
	for (int i = 0; i < c->n; i++)
		one_destroy(&c->one[i]);
	free(c->vals);
	free(c);
}

const struct nlf_tier nlf_tier_fentry = {
	.id = NL_FTIER_FENTRY, .arm = fentry_arm, .start = bpf_start, .poll = bpf_poll,
	.collect = bpf_collect, .close = bpf_close, .lost = bpf_lost,
};

const struct nlf_tier nlf_tier_kprobe = {
	.id = NL_FTIER_KPROBE, .arm = kprobe_arm, .start = bpf_start, .poll = bpf_poll,
	.collect = bpf_collect, .close = bpf_close, .lost = bpf_lost,
};
