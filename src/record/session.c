// SPDX-License-Identifier: GPL-2.0
/* The record loop shared by `netlat record` (and later stat/triage/top). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/memcpy_bw.h"
#include "netlat/overhead_budget.h"
#include "netlat/self_cost.h"
#include "netlat/session.h"
#include "netlat/softnet.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"

/* bpf, tracefs, func, and the tracefs instance of --raw */
#define NL_MAX_BACKENDS	4

/* How often collectors drain their buffers between interval cuts. */
#define NL_POLL_NS	(100ULL * 1000 * 1000)
/* Most BPF programs all collectors together run (the default set runs about 30). */
#define NL_MAX_PROGS	256

struct nl_backend {
	const struct nl_collector_ops *ops;
	const struct nl_record_opts *opts;	/* what it is opened with */
	bool raw_only;		/* --raw beside another collector: drained, its counts dropped */
	void *ctx;
	int opened;		/* 1 open, 0 not tried, <0 failed */
	int used;		/* some metric armed on it */
	char open_why[NL_REASON_MAX];
};

struct nl_child {
	pid_t pid;
	int go_fd;		/* write end: one byte lets the child exec */
	int status;
	bool exited;
};

static void append_reason(char *buf, size_t len, const char *backend, const char *why)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s: %s", used ? "; " : "", backend, why);
}

/* Open b once; b->opened says how it went (1, or the negative errno). */
static void open_backend(struct nl_backend *b, const struct nl_session_cfg *cfg)
{
	if (b->opened == 0) {
		int err = b->ops->open(&b->ctx, b->opts ? b->opts : &cfg->opts, b->open_why,
				       sizeof(b->open_why));

		b->opened = err ? err : 1;
	}
}

/* Try one backend for metric m; 0 when armed. */
static int try_backend(struct nl_backend *b, const struct nl_session_cfg *cfg,
		       const struct nl_metric_desc *m, struct nl_metric_status *st)
{
	char detail[32] = "", why[NL_REASON_MAX] = "";
	int err;

	open_backend(b, cfg);
	if (b->opened < 0) {
		append_reason(st->reason, sizeof(st->reason), b->ops->name, b->open_why);
		return b->opened;
	}
	err = b->ops->arm(b->ctx, m, detail, sizeof(detail), why, sizeof(why));
	if (err) {
		append_reason(st->reason, sizeof(st->reason), b->ops->name, why[0] ? why : strerror(-err));
		return err;
	}
	st->state = NL_METRIC_OK;
	snprintf(st->backend, sizeof(st->backend), "%s", b->ops->name);
	snprintf(st->detail, sizeof(st->detail), "%s", detail);
	/* the function collector says which tier each function got and why (func.h) */
	if (b->ops == &nl_collector_func)
		snprintf(st->reason, sizeof(st->reason), "%s", why);
	b->used = 1;
	return 0;
}

/* Is m one of the metrics this session arms? */
static bool metric_wanted(const struct nl_session_cfg *cfg, const struct nl_metric_desc *m)
{
	if (!nl_metric_selected(cfg->metrics, m->name))
		return false;
	/* an opt-in metric only when -m names it */
	if (m->opt_in && (!cfg->metrics || !strcmp(cfg->metrics, "all")))
		return false;
	/* "all" means every metric that needs nothing from the user: one made of -F patterns needs them */
	return !m->func_patterns || nl_func_npatterns() || (cfg->metrics && strcmp(cfg->metrics, "all"));
}

/* Tell each collector that can load at once (prepare) every metric it may be asked for. */
static void prepare_backends(const struct nl_session_cfg *cfg, struct nl_backend *be, int nbe)
{
	const struct nl_metric_desc *ms[64];
	bool funcs = false;
	int n = 0;

	for (size_t i = 0; i < nl_nmetrics && n < 64; i++) {
		if (!metric_wanted(cfg, nl_metrics[i]))
			continue;
		if (nl_func_metric(nl_metrics[i]->name))
			funcs = true;
		else
			ms[n++] = nl_metrics[i];
	}
	/*
	 * The func collector's open starts reading kallsyms in a thread: open
	 * it first, so that read overlaps the BPF load below instead of
	 * following it (record's time to armed).
	 */
	for (int k = 0; k < nbe && funcs; k++)
		if (be[k].ops == &nl_collector_func)
			open_backend(&be[k], cfg);
	for (int k = 0; k < nbe; k++) {
		struct nl_backend *b = &be[k];

		if (!b->ops->prepare || !n)
			continue;
		open_backend(b, cfg);
		if (b->opened > 0)
			b->ops->prepare(b->ctx, ms, n);
	}
}

/* Arm every selected metric on the best backend that takes it. Returns how many armed. */
static int arm_metrics(const struct nl_session_cfg *cfg, struct nl_backend *be, int nbe,
		       struct nl_recording *rec)
{
	int armed = 0;

	prepare_backends(cfg, be, nbe);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];
		struct nl_metric_status *st;

		if (!metric_wanted(cfg, m))
			continue;
		st = nl_rec_metric(rec, m->name, true);
		for (int k = 0; k < nbe; k++)
			if (nl_func_metric(m->name) == (be[k].ops == &nl_collector_func) &&
			    try_backend(&be[k], cfg, m, st) == 0)
				break;
		if (st->state == NL_METRIC_OK) {
			armed++;
			nl_info("%s: %s (%s)%s%s", m->name, st->backend, st->detail,
				st->reason[0] ? ", rejected: " : "", st->reason);
		} else {
			st->state = NL_METRIC_UNAVAILABLE;
			nl_warn("%s cannot be measured here: %s", m->name, st->reason);
		}
	}
	return armed;
}

/*
 * record --raw: a tracefs collector of its own arms every armed metric the
 * --raw-events list selects, whichever collector measures it, and writes
 * what its instance reads to the raw file. Its counts are dropped (the
 * owner's are the recording's), so bpf keeps its low cost for the numbers
 * and the raw file still holds every record of those tracepoints.
 */
static void arm_raw(const struct nl_session_cfg *cfg, struct nl_backend *be, int *nbe,
		    struct nl_recording *rec)
{
	struct nl_backend *raw = &be[*nbe];
	int armed = 0;

	memset(raw, 0, sizeof(*raw));
	raw->ops = &nl_collector_tracefs;
	raw->opts = &cfg->opts;
	raw->raw_only = true;
	for (size_t i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *st = &rec->metrics[i];
		const struct nl_metric_desc *m = nl_metric_find(st->name);
		struct nl_metric_status scratch = { 0 };

		if (st->state != NL_METRIC_OK || !m || nl_func_metric(m->name) ||
		    !nl_metric_selected(cfg->raw_metrics, m->name))
			continue;
		if (try_backend(raw, cfg, m, &scratch) == 0)
			armed++;
		else
			nl_warn("%s: no raw events: %s", m->name, scratch.reason);
	}
	if (armed)
		(*nbe)++;
	else if (raw->opened > 0)
		raw->ops->close(raw->ctx);
	if (!armed)
		nl_warn("--raw: no metric could be traced raw; no raw file written");
}

static int child_start(struct nl_child *c, char **argv)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	c->pid = fork();
	if (c->pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (c->pid == 0) {
		char go;

		/* wait until the probes are armed, so the command's first packet is seen */
		close(fds[1]);
		if (read(fds[0], &go, 1) != 1)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "netlat: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	c->go_fd = fds[1];
	return 0;
}

static void child_go(struct nl_child *c)
{
	if (c->pid > 0 && c->go_fd >= 0) {
		if (write(c->go_fd, "g", 1) != 1)
			nl_warn("could not start the command: %s", strerror(errno));
		close(c->go_fd);
		c->go_fd = -1;
	}
}

static void child_reap(struct nl_child *c, int flags)
{
	int status;

	if (c->pid <= 0 || c->exited)
		return;
	if (waitpid(c->pid, &status, flags) == c->pid) {
		c->exited = true;
		c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}

/* Stop a command that outlived the recording, then wait for it. */
static void child_stop(struct nl_child *c)
{
	if (c->pid <= 0)
		return;
	if (c->go_fd >= 0) {
		close(c->go_fd);	/* it never started: EOF makes it exit */
		c->go_fd = -1;
	}
	child_reap(c, WNOHANG);
	if (!c->exited) {
		kill(c->pid, SIGTERM);
		child_reap(c, 0);
	}
}

static void status_line(const struct nl_session_cfg *cfg, uint64_t elapsed_ns,
			uint64_t events, uint64_t lost, bool final)
{
	if (!cfg->status_line)
		return;
	fprintf(stderr, "\r[ netlat record: %.1fs elapsed, %llu events, %llu lost ]%s",
		elapsed_ns / 1e9, (unsigned long long)events, (unsigned long long)lost,
		final ? "\n" : "");
	fflush(stderr);
}

static uint64_t iv_sum(const struct nl_interval *iv, const char *stat)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < iv->n; i++)
		if (!strcmp(iv->v[i].metric, "session") && !strcmp(iv->v[i].stat, stat))
			sum += iv->v[i].counter;
	return sum;
}

struct nl_loop {
	const struct nl_session_cfg *cfg;
	struct nl_recording *rec;
	struct nl_backend *be;
	int nbe;
	const char *softnet;		/* the metric whose softnet_stat rows are read, or NULL */
	struct nl_softnet *sn_prev, *sn_cur;
	uint64_t t0, iv_start;
	uint64_t events, lost;
	struct nl_self_cost *cost;
	int cpus;			/* CPUs recorded: the overhead shares are of these */
	struct nl_budget budget;
	bool budget_noted;		/* said once that nothing could follow the budget */
};

/*
 * Apply the budget after an interval that cost cost_pct of the recorded
 * CPUs: every collector that samples its pairing gets the new rate, and
 * the change is written down with its time and reason.
 */
static void govern(struct nl_loop *l, uint64_t now, double cost_pct)
{
	char why[64] = "";
	const char *prev;
	unsigned int next = nl_budget_decide(&l->budget, cost_pct, why, sizeof(why));
	int in_force = -1;

	if (next == l->budget.one_in)
		return;
	for (int k = 0; k < l->nbe; k++) {
		int r;

		if (!l->be[k].used || !l->be[k].ops->set_admission)
			continue;
		r = l->be[k].ops->set_admission(l->be[k].ctx, next);
		if (r > 0)
			in_force = r;
	}
	if (in_force < 0) {
		if (!l->budget_noted)
			nl_rec_set_metaf(l->rec, "admission_note", "%llu %s, and no collector can sample its pairing",
					 (unsigned long long)(now - l->t0), why);
		l->budget_noted = true;
		return;
	}
	if ((unsigned int)in_force == l->budget.one_in)
		return;
	l->budget.one_in = (unsigned int)in_force;
	nl_info("pairing now admits 1 skb in %d: %s", in_force, why);
	/* "T_NS 1/N REASON; ..." (docs/file-format.md) */
	prev = nl_rec_meta(l->rec, "admission_changes");
	nl_rec_set_metaf(l->rec, "admission_changes", "%s%s%llu 1/%d %s", prev ? prev : "",
			 prev ? "; " : "", (unsigned long long)(now - l->t0), in_force, why);
}

/* Close the current interval at time now: every collector adds what it counted. */
static int cut_interval(struct nl_loop *l, uint64_t now)
{
	struct nl_interval *iv;
	uint64_t bpf_ns = 0;
	bool measured;
	int err;

	iv = nl_rec_add_interval(l->rec, l->cfg->run, l->iv_start - l->t0, now - l->t0);
	for (int k = 0; k < l->nbe; k++) {
		if (!l->be[k].used)
			continue;
		if (l->be[k].raw_only) {
			/* the raw file's collector counts what another one already counted */
			struct nl_interval *scratch = nl_iv_new(0, 0, 0);

			err = l->be[k].ops->snapshot(l->be[k].ctx, scratch);
			/* but what the raw file holds is this collector's to say */
			for (size_t i = 0; i < scratch->n; i++)
				if (scratch->v[i].kind == NL_HIST && !strcmp(scratch->v[i].stat, "raw_records"))
					nl_hist_merge(nl_iv_hist(iv, "session", scratch->v[i].key, "raw_records", "ns"),
						      scratch->v[i].hist);
			nl_iv_free(scratch);
		} else {
			err = l->be[k].ops->snapshot(l->be[k].ctx, iv);
		}
		if (err) {
			nl_err("%s collector: reading its data failed: %s", l->be[k].ops->name, strerror(-err));
			return err;
		}
	}
	if (l->softnet && nl_softnet_read(l->sn_cur, NULL) == 0) {
		struct nl_softnet *t;

		nl_softnet_delta(iv, l->softnet, l->sn_cur, l->sn_prev, &l->cfg->opts);
		t = l->sn_prev;
		l->sn_prev = l->sn_cur;
		l->sn_cur = t;
	}
	measured = nl_self_cost_cut(l->cost, iv, l->iv_start, now, &bpf_ns);
	l->events += iv_sum(iv, "events");
	l->lost += iv_sum(iv, "lost_events");
	/* an unmeasured interval is no evidence of room: the governor waits for the next */
	if (measured && now > l->iv_start && l->cpus > 0)
		govern(l, now, 100.0 * (double)bpf_ns / ((double)(now - l->iv_start) * l->cpus));
	l->iv_start = now;
	if (l->cfg->on_interval)
		l->cfg->on_interval(l->rec, iv, l->cfg->on_interval_arg);
	return 0;
}

static int drain(struct nl_loop *l)
{
	for (int k = 0; k < l->nbe; k++) {
		int err;

		if (!l->be[k].used)
			continue;
		err = l->be[k].ops->poll(l->be[k].ctx);
		if (err < 0) {
			nl_err("%s collector failed: %s", l->be[k].ops->name, strerror(-err));
			return err;
		}
	}
	return 0;
}

static void sleep_until(uint64_t deadline)
{
	uint64_t now = nl_now_ns();

	if (deadline > now) {
		struct timespec ts = {
			.tv_sec = (deadline - now) / 1000000000ULL,
			.tv_nsec = (deadline - now) % 1000000000ULL,
		};

		nanosleep(&ts, NULL);	/* EINTR from a stop signal ends it early: fine */
	}
}

static int run_loop(struct nl_loop *l, struct nl_child *child)
{
	const struct nl_session_cfg *cfg = l->cfg;
	uint64_t end = cfg->opts.duration_ns ? l->t0 + cfg->opts.duration_ns : UINT64_MAX;
	uint64_t next_cut = l->t0 + cfg->opts.interval_ns;
	int err = 0;

	for (;;) {
		uint64_t now, wake;

		child_reap(child, WNOHANG);
		if (nl_stop_requested || child->exited)
			break;
		now = nl_now_ns();
		if (now >= end)
			break;
		err = drain(l);
		if (err)
			break;
		now = nl_now_ns();
		nl_self_cost_tick(l->cost, now);
		if (now >= next_cut) {
			err = cut_interval(l, now);
			if (err)
				break;
			next_cut += cfg->opts.interval_ns;
			if (next_cut <= now)	/* we fell behind: do not cut a burst of empty intervals */
				next_cut = now + cfg->opts.interval_ns;
			status_line(cfg, now - l->t0, l->events, l->lost, false);
		}
		wake = now + NL_POLL_NS;
		if (wake > next_cut)
			wake = next_cut;
		if (wake > end)
			wake = end;
		sleep_until(wake);
	}
	if (!err) {
		/* the last, usually partial, interval */
		err = drain(l);
		if (!err)
			err = cut_interval(l, nl_now_ns());
	}
	status_line(cfg, nl_now_ns() - l->t0, l->events, l->lost, true);
	return err;
}

/* CPUs the recording covers: -C's, else every online one. */
static int cpus_recorded(const struct nl_record_opts *o)
{
	int n = 0;

	if (!o->cpus_set) {
		long on = sysconf(_SC_NPROCESSORS_ONLN);

		return on > 0 ? (int)on : nl_ncpus();
	}
	for (int w = 0; w < NL_MAX_CPUS / 64; w++)
		n += __builtin_popcountll(o->cpumask[w]);
	return n;
}

/*
 * After the collectors started: the programs they run, for netlat's own
 * cost, said with -v (which program runs on which tracepoint).
 */
static void self_cost_start(struct nl_loop *l)
{
	struct nl_prog_ref refs[NL_MAX_PROGS];
	char how[128];
	int n = 0;

	for (int k = 0; k < l->nbe; k++) {
		int got;

		if (!l->be[k].used || !l->be[k].ops->progs)
			continue;
		got = l->be[k].ops->progs(l->be[k].ctx, refs + n, NL_MAX_PROGS - n);
		for (int i = n; got > 0 && i < n + got; i++)
			nl_info("%s: program %s on %s", l->be[k].ops->name, refs[i].name, refs[i].attach);
		if (got > 0)
			n += got;
	}
	l->cost = nl_self_cost_new(refs, n, NL_SELF_COST_SLICE_NS, l->cfg->opts.interval_ns);
	l->cpus = cpus_recorded(&l->cfg->opts);
	nl_self_cost_describe(l->cost, how, sizeof(how));
	nl_info("own cost: %d BPF programs, %s", n, how);
	nl_rec_set_meta(l->rec, "overhead_bpf_stats", how);
	nl_rec_set_metaf(l->rec, "overhead_cpus", "%d", l->cpus);
	nl_rec_set_metaf(l->rec, "overhead_budget_pct", "%g", l->budget.budget_pct);
}

static void set_run_meta(struct nl_recording *rec, const struct nl_session_cfg *cfg)
{
	struct utsname u;
	char cmd[1024] = "";

	if (uname(&u) == 0) {
		nl_rec_set_meta(rec, "host", u.nodename);
		nl_rec_set_metaf(rec, "kernel", "%s %s", u.release, u.version);
		nl_rec_set_meta(rec, "arch", u.machine);
	}
	nl_rec_set_meta(rec, "netlat_version", NETLAT_VERSION);
	nl_rec_set_metaf(rec, "ncpus", "%d", nl_ncpus());
	nl_rec_set_metaf(rec, "interval_ns", "%llu", (unsigned long long)cfg->opts.interval_ns);
	nl_rec_set_meta(rec, "collector_requested", cfg->collector);
	nl_rec_set_meta(rec, "metrics_requested", cfg->metrics ? cfg->metrics : "all");
	if (cfg->opts.dev[0])
		nl_rec_set_meta(rec, "filter_dev", cfg->opts.dev);
	for (char **a = cfg->command; a && *a; a++) {
		size_t used = strlen(cmd);

		snprintf(cmd + used, sizeof(cmd) - used, "%s%s", used ? " " : "", *a);
	}
	if (cmd[0])
		nl_rec_set_meta(rec, "command", cmd);
}

static void set_collector_meta(struct nl_recording *rec, const struct nl_backend *be, int nbe)
{
	char used[64] = "";

	for (int k = 0; k < nbe; k++) {
		size_t n = strlen(used);

		if (be[k].used)
			snprintf(used + n, sizeof(used) - n, "%s%s", n ? "+" : "", be[k].ops->name);
	}
	nl_rec_set_meta(rec, "collector", used[0] ? used : "none");
}

/* The first metric that reads src (enum nl_metric_source) and is selected (armed: and armed), or NULL. */
static const char *metric_reading(const struct nl_session_cfg *cfg, const struct nl_recording *rec,
				  unsigned int src, bool armed)
{
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];
		const struct nl_metric_status *st;

		if (!(m->sources & src) || !nl_metric_selected(cfg->metrics, m->name))
			continue;
		st = armed ? nl_rec_metric_const(rec, m->name) : NULL;
		if (!armed || (st && st->state == NL_METRIC_OK))
			return m->name;
	}
	return NULL;
}

static int pick_backends(const char *collector, struct nl_backend *be)
{
	int n = 0;

	memset(be, 0, NL_MAX_BACKENDS * sizeof(*be));
	if (strcmp(collector, "tracefs"))
		be[n++].ops = &nl_collector_bpf;	/* auto: in-kernel aggregation first */
	if (strcmp(collector, "bpf"))
		be[n++].ops = &nl_collector_tracefs;
	be[n++].ops = &nl_collector_func;	/* the function metrics, and only they (func.h) */
	return n;
}

int nl_session_record(const struct nl_session_cfg *cfg, struct nl_recording *rec, int *cmd_exit)
{
	struct nl_backend be[NL_MAX_BACKENDS];
	struct nl_record_opts plain;
	struct nl_child child = { .pid = -1, .go_fd = -1 };
	struct nl_loop l = { .cfg = cfg, .rec = rec, .be = be,
			     .budget = { .budget_pct = cfg->overhead_budget_pct,
					 /* --pair-sample: the rate the collector starts at */
					 .one_in = cfg->opts.pair_one_in ? cfg->opts.pair_one_in : 1 } };
	int err = 0;

	*cmd_exit = -1;
	l.nbe = pick_backends(cfg->collector, be);
	/* only the --raw instance writes the raw file */
	plain = cfg->opts;
	plain.raw_path = NULL;
	for (int k = 0; k < l.nbe; k++)
		be[k].opts = &plain;
	set_run_meta(rec, cfg);
	nl_tracefs_cleanup_stale();	/* repair what a SIGKILLed run left behind */
	/*
	 * A copy metric's memcpy reference (once per boot, memcpy_bw.h) before
	 * arming: its buffer is freed before the collectors allocate theirs, so
	 * the two never add up in the peak RSS. Stored below only if one armed.
	 */
	if (metric_reading(cfg, rec, NL_SRC_MEMCPY_REF, false))
		nl_memcpy_ref(NULL);

	if (arm_metrics(cfg, be, l.nbe, rec) == 0) {
		nl_err("no metric could be armed on this kernel (see the warnings above, or run 'netlat probe')");
		err = -ENOTSUP;
		goto out_close;
	}
	if (cfg->opts.raw_path)
		arm_raw(cfg, be, &l.nbe, rec);
	set_collector_meta(rec, be, l.nbe);
	if (metric_reading(cfg, rec, NL_SRC_MEMCPY_REF, true))
		nl_memcpy_ref_meta(rec);

	l.softnet = metric_reading(cfg, rec, NL_SRC_SOFTNET, true);
	if (l.softnet) {
		l.sn_prev = nl_xcalloc(1, sizeof(*l.sn_prev));
		l.sn_cur = nl_xcalloc(1, sizeof(*l.sn_cur));
		if (nl_softnet_read(l.sn_prev, NULL) != 0) {
			nl_warn("/proc/net/softnet_stat unreadable: no time_squeeze rows");
			l.softnet = NULL;
		}
	}

	if (cfg->command) {
		err = child_start(&child, cfg->command);
		if (err) {
			nl_err("cannot start '%s': %s", cfg->command[0], strerror(-err));
			goto out_close;
		}
	}
	for (int k = 0; k < l.nbe; k++) {
		if (!be[k].used)
			continue;
		err = be[k].ops->start(be[k].ctx);
		if (err) {
			nl_err("%s collector: cannot start: %s", be[k].ops->name, strerror(-err));
			goto out_child;
		}
	}
	self_cost_start(&l);
	l.t0 = l.iv_start = nl_now_ns();
	nl_self_cost_begin(l.cost, l.t0);
	nl_rec_set_metaf(rec, "start_realtime_ns", "%llu", (unsigned long long)nl_realtime_ns());
	/* CLOCK_MONOTONIC when every collector was started: bench/ measures launch -> armed with it */
	nl_rec_set_metaf(rec, "armed_monotonic_ns", "%llu", (unsigned long long)l.t0);
	nl_info("collectors started at monotonic %llu ns", (unsigned long long)l.t0);
	nl_rec_set_metaf(rec, "armed_after_ns", "%llu", (unsigned long long)(l.t0 - nl_self_start_ns()));
	nl_info("armed %.0f ms after netlat started", (l.t0 - nl_self_start_ns()) / 1e6);
	child_go(&child);

	err = run_loop(&l, &child);
	nl_rec_set_metaf(rec, "duration_ns", "%llu", (unsigned long long)(nl_now_ns() - l.t0));
	if (nl_stop_requested)
		nl_rec_set_metaf(rec, "stopped_by_signal", "%d", (int)nl_stop_signal);

out_child:
	child_stop(&child);
	if (child.pid > 0 && child.exited) {
		*cmd_exit = child.status;
		nl_rec_set_metaf(rec, "command_exit", "%d", child.status);
	}
out_close:
	for (int k = 0; k < l.nbe; k++)
		if (be[k].opened > 0)
			be[k].ops->close(be[k].ctx);
	nl_self_cost_free(l.cost);
	free(l.sn_prev);
	free(l.sn_cur);
	return err;
}
