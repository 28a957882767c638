// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel feature survey: run every try of features_bpf.c and
 * features_tracefs.c once, and pick each metric's backend from the answers.
 * The order of tries matters only for cleanup: the private instance is
 * destroyed before anything else is tried, so at most one artifact exists
 * at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#include <tracefs.h>

#include "netlat/cleanup.h"
#include "netlat/features.h"
#include "netlat/tracefs_session.h"
#include "collector.h"	/* src/collect/bpf: which metrics BPF serves */
#include "collect/tracefs/tracefs_int.h"

#define TRACEFS_MAGIC_NR	0x74726163
/* Common functions every kernel has, for the per-function tries of the survey. */
#define FENTRY_FUNC		"tcp_v4_rcv"
#define KPROBE_FUNC		"tcp_sendmsg"

static const char *const feat_names[NL_FEAT_COUNT] = {
	[NL_FEAT_TRACEPOINTS] = "tracepoints",
	[NL_FEAT_TP_BTF] = "tp_btf",
	[NL_FEAT_RAW_TP] = "raw_tp",
	[NL_FEAT_BPF_TRACEPOINT] = "bpf_tracepoint",
	[NL_FEAT_FENTRY] = "fentry",
	[NL_FEAT_KPROBE_BPF] = "kprobe_bpf",
	[NL_FEAT_KPROBE_EVENTS] = "kprobe_events",
	[NL_FEAT_FUNCTION_GRAPH] = "function_graph",
	[NL_FEAT_FUNCTION] = "function",
	[NL_FEAT_HIST_TRIGGERS] = "hist_triggers",
	[NL_FEAT_BTF] = "btf",
	[NL_FEAT_PERF_CPU_CLOCK] = "perf_cpu_clock",
};

static const char *const prog_names[NL_TP_NPROG] = {
	[NL_TP_BTF] = "tp_btf", [NL_TP_RAW] = "raw_tp",
};

const char *nl_feature_name(enum nl_feat_id id)
{
	return (unsigned int)id < NL_FEAT_COUNT ? feat_names[id] : "?";
}

const char *nl_tp_prog_name(enum nl_tp_prog p)
{
	return (unsigned int)p < NL_TP_NPROG ? prog_names[p] : "?";
}

const char *nl_errname(int err)
{
	static __thread char buf[24];
	const char *n;

	if (err < 0)
		err = -err;
	/* Kernel-internal codes that leak to user space and libc does not name. */
	if (err == 524)
		return "ENOTSUPP";
	n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* Record one try's answer in a feature slot. */
static void set_feat(struct nl_feature *ft, int err)
{
	ft->available = err == 0;
}

static int read_int(const char *path, int def)
{
	FILE *fp = fopen(path, "re");
	int v = def;

	if (fp) {
		if (fscanf(fp, "%d", &v) != 1)
			v = def;
		fclose(fp);
	}
	return v;
}

static bool tracefs_mounted(void)
{
	static const char *const paths[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct statfs st;

	for (size_t i = 0; i < 2; i++)
		if (statfs(paths[i], &st) == 0 && (unsigned long)st.f_type == TRACEFS_MAGIC_NR)
			return true;
	return false;
}

/* Add tp to f->tps unless it is there. */
static int tp_add(struct nl_features *f, const char *tp)
{
	struct nl_tp_info *n;

	if (nl_features_tp(f, tp))
		return 0;
	n = realloc(f->tps, (f->ntps + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	f->tps = n;
	memset(&n[f->ntps], 0, sizeof(*n));
	snprintf(n[f->ntps].name, sizeof(n[f->ntps].name), "%s", tp);
	f->ntps++;
	return 0;
}

static int tps_collect(struct nl_features *f)
{
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];

		for (const char *const *t = m->tracepoints; t && *t; t++)
			if (tp_add(f, *t))
				return -ENOMEM;
		for (const char *const *t = m->optional_tracepoints; t && *t; t++)
			if (tp_add(f, *t))
				return -ENOMEM;
	}
	return 0;
}

/* Does the tracepoint exist (format readable), its fields, and which BPF programs attach to it. */
static int tp_survey(struct nl_features *f, struct nl_tp_info *t)
{
	struct nl_feature *p = t->prog;
	int err = -ENOENT;

	if (f->tracefs[0])
		err = nl_tracepoint_fields(f->tracefs, t->name, &t->fields, &t->nfields);
	if (err == -ENOMEM)
		return err;
	t->available = err == 0;
	if (!t->available) {
		for (int i = 0; i < NL_TP_NPROG; i++)
			snprintf(p[i].reason, sizeof(p[i].reason), "%s: no such tracepoint", t->name);
		return 0;
	}
	set_feat(&p[NL_TP_BTF], nl_feature_tp_btf(t->name, p[NL_TP_BTF].reason, sizeof(p->reason)));
	set_feat(&p[NL_TP_RAW], nl_feature_raw_tp(t->name, p[NL_TP_RAW].reason, sizeof(p->reason)));
	return 0;
}

/* First tracepoint of the table that exists: the sample for the general tries. */
static const struct nl_tp_info *first_tp(const struct nl_features *f)
{
	for (size_t i = 0; i < f->ntps; i++)
		if (f->tps[i].available)
			return &f->tps[i];
	return NULL;
}

static void feat_unavailable(struct nl_features *f, enum nl_feat_id id, const char *why)
{
	f->feat[id].available = false;
	snprintf(f->feat[id].reason, sizeof(f->feat[id].reason), "%s", why);
}

/* The BPF program-type features, answered by the sample tracepoint's tries. */
static void bpf_tp_features(struct nl_features *f)
{
	static const struct { enum nl_feat_id id; enum nl_tp_prog p; } map[] = {
		{ NL_FEAT_TP_BTF, NL_TP_BTF }, { NL_FEAT_RAW_TP, NL_TP_RAW },
	};
	const struct nl_tp_info *t = first_tp(f);
	struct nl_feature *perf = &f->feat[NL_FEAT_BPF_TRACEPOINT];

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (t)
			f->feat[map[i].id] = t->prog[map[i].p];
		else
			feat_unavailable(f, map[i].id, "no tracepoint of the metric table exists");
	}
	if (t)
		set_feat(perf, nl_feature_bpf_tracepoint(f->tracefs, t->name, perf->reason,
							 sizeof(perf->reason)));
	else
		feat_unavailable(f, NL_FEAT_BPF_TRACEPOINT, "no tracepoint of the metric table exists");
}

/* Tries that need a private instance: event enable, tracers, hist triggers. */
static void instance_features(struct nl_features *f)
{
	static const enum nl_feat_id deps[] = {
		NL_FEAT_TRACEPOINTS, NL_FEAT_FUNCTION, NL_FEAT_FUNCTION_GRAPH, NL_FEAT_HIST_TRIGGERS,
	};
	const struct nl_tp_info *t = first_tp(f);
	struct nl_feature *ft = f->feat;
	struct tracefs_instance *inst;
	char why[NL_REASON_MAX], *dir;
	bool top;

	inst = f->tracefs[0] ? nl_tracefs_instance_create(why, sizeof(why)) : NULL;
	dir = inst ? tracefs_instance_get_dir(inst) : NULL;
	if (!dir) {
		if (!f->tracefs[0])
			snprintf(why, sizeof(why), "no tracefs");
		else if (inst)
			snprintf(why, sizeof(why), "no directory for the private instance");
		for (size_t i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
			feat_unavailable(f, deps[i], why);
		goto out;
	}
	if (t) {
		set_feat(&ft[NL_FEAT_TRACEPOINTS], nl_feature_tracepoint_enable(dir, t->name,
			 ft[NL_FEAT_TRACEPOINTS].reason, NL_REASON_MAX));
		set_feat(&ft[NL_FEAT_HIST_TRIGGERS], nl_feature_hist_trigger(dir, t->name,
			 ft[NL_FEAT_HIST_TRIGGERS].reason, NL_REASON_MAX));
	} else {
		feat_unavailable(f, NL_FEAT_TRACEPOINTS, "no tracepoint of the metric table exists");
		feat_unavailable(f, NL_FEAT_HIST_TRIGGERS, "no tracepoint of the metric table exists");
	}
	set_feat(&ft[NL_FEAT_FUNCTION], nl_feature_tracer(f->tracefs, dir, "function", &top,
		 ft[NL_FEAT_FUNCTION].reason, NL_REASON_MAX));
	set_feat(&ft[NL_FEAT_FUNCTION_GRAPH], nl_feature_tracer(f->tracefs, dir, "function_graph",
		 &f->function_graph_toplevel_only, ft[NL_FEAT_FUNCTION_GRAPH].reason, NL_REASON_MAX));
out:
	if (dir)
		tracefs_put_tracing_file(dir);
	nl_tracefs_instance_destroy(inst);
}

static void host_facts(struct nl_features *f)
{
	struct utsname u;
	char path[300];
	FILE *fp;

	if (uname(&u) == 0)
		snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	f->perf_event_paranoid = read_int("/proc/sys/kernel/perf_event_paranoid", -99);
	f->kptr_restrict = read_int("/proc/sys/kernel/kptr_restrict", -99);
	if (!f->tracefs[0])
		return;
	snprintf(path, sizeof(path), "%s/available_tracers", f->tracefs);
	fp = fopen(path, "re");
	if (fp) {
		if (fgets(f->tracers, sizeof(f->tracers), fp))
			f->tracers[strcspn(f->tracers, "\n")] = '\0';
		fclose(fp);
	}
}

/* The tries that need neither tracefs nor a tracepoint. */
static void standalone_features(struct nl_features *f)
{
	struct nl_feature *ft = f->feat;

	set_feat(&ft[NL_FEAT_FENTRY], nl_feature_fentry(FENTRY_FUNC, ft[NL_FEAT_FENTRY].reason,
							NL_REASON_MAX));
	set_feat(&ft[NL_FEAT_KPROBE_BPF], nl_feature_kprobe(KPROBE_FUNC,
		 ft[NL_FEAT_KPROBE_BPF].reason, NL_REASON_MAX));
	set_feat(&ft[NL_FEAT_BTF], nl_feature_btf(ft[NL_FEAT_BTF].reason, NL_REASON_MAX));
	set_feat(&ft[NL_FEAT_PERF_CPU_CLOCK], nl_feature_perf_cpu_clock(
		 ft[NL_FEAT_PERF_CPU_CLOCK].reason, NL_REASON_MAX));
}

int nl_features_probe(struct nl_features *f)
{
	bool was_mounted = tracefs_mounted();
	char why[NL_REASON_MAX];
	const char *dir;
	int err;

	memset(f, 0, sizeof(*f));
	dir = nl_tracefs_dir(why, sizeof(why));
	if (dir) {
		snprintf(f->tracefs, sizeof(f->tracefs), "%s", dir);
		f->tracefs_mounted_by_netlat = !was_mounted;
	}
	host_facts(f);
	err = tps_collect(f);
	for (size_t i = 0; !err && i < f->ntps && !nl_stop_requested; i++)
		err = tp_survey(f, &f->tps[i]);
	if (err)
		return err;
	bpf_tp_features(f);
	if (nl_stop_requested)
		return -EINTR;
	instance_features(f);
	if (nl_stop_requested)
		return -EINTR;
	if (f->tracefs[0])
		set_feat(&f->feat[NL_FEAT_KPROBE_EVENTS], nl_feature_kprobe_events(f->tracefs,
			 KPROBE_FUNC, f->feat[NL_FEAT_KPROBE_EVENTS].reason, NL_REASON_MAX));
	else
		feat_unavailable(f, NL_FEAT_KPROBE_EVENTS, why);
	if (nl_stop_requested)
		return -EINTR;
	standalone_features(f);
	return nl_stop_requested ? -EINTR : 0;
}

void nl_features_free(struct nl_features *f)
{
	for (size_t i = 0; i < f->ntps; i++) {
		for (size_t k = 0; k < f->tps[i].nfields; k++)
			free(f->tps[i].fields[k]);
		free(f->tps[i].fields);
	}
	free(f->tps);
	f->tps = NULL;
	f->ntps = 0;
}

const struct nl_tp_info *nl_features_tp(const struct nl_features *f, const char *name)
{
	for (size_t i = 0; i < f->ntps; i++)
		if (!strcmp(f->tps[i].name, name))
			return &f->tps[i];
	return NULL;
}

static void reject(struct nl_backend_choice *c, const char *backend, const char *reason)
{
	if (c->nrejected >= NL_CHOICE_MAX_REJECTED)
		return;
	snprintf(c->rejected[c->nrejected].backend, sizeof(c->rejected[0].backend), "%s", backend);
	snprintf(c->rejected[c->nrejected].reason, sizeof(c->rejected[0].reason), "%s", reason);
	c->nrejected++;
}

/* Required tracepoints the kernel lacks, ", "-joined into out; how many. */
static int missing_tps(const struct nl_features *f, const struct nl_metric_desc *m,
		       char *out, size_t len)
{
	size_t n = 0;
	int miss = 0;

	out[0] = '\0';
	for (const char *const *t = m->tracepoints; t && *t; t++) {
		const struct nl_tp_info *ti = nl_features_tp(f, *t);

		if (ti && ti->available)
			continue;
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", miss ? ", " : "", *t);
		miss++;
	}
	return miss;
}

/* The first required tracepoint on which program type p did not attach, or NULL. */
static const struct nl_tp_info *prog_fails(const struct nl_features *f,
					   const struct nl_metric_desc *m, enum nl_tp_prog p)
{
	for (const char *const *t = m->tracepoints; t && *t; t++) {
		const struct nl_tp_info *ti = nl_features_tp(f, *t);

		if (!ti || !ti->prog[p].available)
			return ti;
	}
	return NULL;
}

void nl_features_choose(const struct nl_features *f, const struct nl_metric_desc *m,
			struct nl_backend_choice *c)
{
	char missing[NL_REASON_MAX - 32];

	memset(c, 0, sizeof(*c));
	if (missing_tps(f, m, missing, sizeof(missing))) {
		snprintf(c->backend, sizeof(c->backend), "unavailable");
		snprintf(c->detail, sizeof(c->detail), "missing tracepoints: %s", missing);
		return;
	}
	for (int p = 0; p < NL_TP_NPROG; p++) {
		const struct nl_tp_info *bad = prog_fails(f, m, p);
		char name[16];

		if (!bad) {
			snprintf(c->backend, sizeof(c->backend), "bpf");
			snprintf(c->detail, sizeof(c->detail), "%s", prog_names[p]);
			return;
		}
		snprintf(name, sizeof(name), "bpf/%s", prog_names[p]);
		reject(c, name, bad->prog[p].reason);
	}
	if (f->feat[NL_FEAT_TRACEPOINTS].available) {
		snprintf(c->backend, sizeof(c->backend), "tracefs");
		snprintf(c->detail, sizeof(c->detail), "tracepoint");
		return;
	}
	reject(c, "tracefs", f->feat[NL_FEAT_TRACEPOINTS].reason);
	snprintf(c->backend, sizeof(c->backend), "unavailable");
	snprintf(c->detail, sizeof(c->detail), "no backend could attach");
}

/*
 * The BPF collector loads a metric's family as tp_btf when the kernel has
 * BTF, else (or when tp_btf fails) as raw_tp; it never uses perf
 * tracepoint programs, so their answer does not count here.
 */
static bool bpf_collector_can(const struct nl_features *f, const struct nl_metric_desc *m,
			      char *why, size_t len)
{
	const struct nl_tp_info *btf_bad = NULL, *raw_bad;

	if (!nlb_metric_known(m->name)) {
		snprintf(why, len, "no BPF program for this metric");
		return false;
	}
	if (f->feat[NL_FEAT_BTF].available) {
		btf_bad = prog_fails(f, m, NL_TP_BTF);
		if (!btf_bad) {
			snprintf(why, len, "tp_btf");
			return true;
		}
	}
	raw_bad = prog_fails(f, m, NL_TP_RAW);
	if (!raw_bad) {
		if (btf_bad)
			snprintf(why, len, "raw_tp (tp_btf: %s)", btf_bad->prog[NL_TP_BTF].reason);
		else
			snprintf(why, len, "raw_tp (no BTF: %s)", f->feat[NL_FEAT_BTF].reason);
		return true;
	}
	if (btf_bad)
		snprintf(why, len, "tp_btf: %s; raw_tp: %s", btf_bad->prog[NL_TP_BTF].reason,
			 raw_bad->prog[NL_TP_RAW].reason);
	else
		snprintf(why, len, "no BTF (%s); raw_tp: %s", f->feat[NL_FEAT_BTF].reason,
			 raw_bad->prog[NL_TP_RAW].reason);
	return false;
}

bool nl_features_collector(const struct nl_features *f, const struct nl_metric_desc *m,
			   const char *collector, char *why, size_t len)
{
	char missing[NL_REASON_MAX - 32];

	if (strcmp(collector, "bpf") && strcmp(collector, "tracefs")) {
		snprintf(why, len, "no collector named %s", collector);
		return false;
	}
	if (missing_tps(f, m, missing, sizeof(missing))) {
		snprintf(why, len, "missing tracepoints: %s", missing);
		return false;
	}
	if (!strcmp(collector, "bpf"))
		return bpf_collector_can(f, m, why, len);
	if (!tfs_has_family(m->name)) {
		snprintf(why, len, "not implemented by the tracefs collector");
		return false;
	}
	if (!f->feat[NL_FEAT_TRACEPOINTS].available) {
		snprintf(why, len, "tracefs events: %s", f->feat[NL_FEAT_TRACEPOINTS].reason);
		return false;
	}
	snprintf(why, len, "tracepoint");
	return true;
}
