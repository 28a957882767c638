// SPDX-License-Identifier: GPL-2.0
/*
 * netlat probe: try every kernel feature netlat can use, then say which
 * backend each metric would get and why each better one was turned down.
 * Output as a checklist (default), JSON (schema netlat-probe/1) or
 * "key=value" lines for shell scripts (docs/probe.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/features.h"
#include "netlat/func.h"
#include "netlat/options.h"
#include "netlat/json.h"
#include "netlat/metric.h"
#include "netlat/privs.h"
#include "netlat/util.h"

enum probe_format { FMT_TEXT, FMT_JSON, FMT_KV };

static const char *const probe_usage[] = { "netlat probe [--json | --format text|json|kv]", NULL };

static const char probe_epilog[] =
"\n Tries what this kernel lets netlat use (tracefs events, BPF tp_btf/raw_tp/\n"
" tracepoint/fentry/kprobe programs, kprobe events, function tracers, hist\n"
" triggers, BTF, perf cpu-clock) and shows which backend each metric gets.\n"
" Everything it creates to try (a tracefs instance, a kprobe event, BPF\n"
" programs) is removed before it exits. Needs root.\n\n";

/* Checklist labels; the JSON/kv names come from nl_feature_name(). */
static const char *const feat_labels[NL_FEAT_COUNT] = {
	[NL_FEAT_TRACEPOINTS] = "tracepoints",
	[NL_FEAT_TP_BTF] = "bpf tp_btf",
	[NL_FEAT_RAW_TP] = "bpf raw_tp",
	[NL_FEAT_BPF_TRACEPOINT] = "bpf tracepoint",
	[NL_FEAT_FENTRY] = "fentry/fexit",
	[NL_FEAT_KPROBE_BPF] = "bpf kprobe",
	[NL_FEAT_KPROBE_EVENTS] = "kprobe_events",
	[NL_FEAT_FUNCTION_GRAPH] = "function_graph",
	[NL_FEAT_FUNCTION] = "function",
	[NL_FEAT_HIST_TRIGGERS] = "hist triggers",
	[NL_FEAT_BTF] = "btf",
	[NL_FEAT_PERF_CPU_CLOCK] = "perf cpu-clock",
};

/* The collectors `record --collector` can be forced to, each judged per metric. */
static const char *const collectors[2] = { "bpf", "tracefs" };

struct probe_ctx {
	struct nl_features f;
	char caller[128];
	char missing[256];
	bool can_record;
};

static void print_text(const struct probe_ctx *p)
{
	const struct nl_features *f = &p->f;
	const char *served;

	printf("netlat probe: kernel %s\n\n", f->kernel);
	printf("  %-16s %s\n", "privileges", p->caller);
	printf("  %-16s %s%s\n", "tracefs", f->tracefs[0] ? f->tracefs : "(none)",
	       f->tracefs_mounted_by_netlat ? " (mounted by netlat)" : "");
	printf("  %-16s %s\n", "tracers", f->tracers);
	printf("  %-16s perf_event_paranoid=%d kptr_restrict=%d\n", "sysctls",
	       f->perf_event_paranoid, f->kptr_restrict);
	printf("\nfeatures:\n");
	for (int i = 0; i < NL_FEAT_COUNT; i++)
		printf("  %-16s %-3s (%s)\n", feat_labels[i], f->feat[i].available ? "yes" : "no",
		       f->feat[i].reason);
	printf("\ntracepoints:\n");
	for (size_t i = 0; i < f->ntps; i++) {
		const struct nl_tp_info *t = &f->tps[i];

		printf("  %-32s %-3s", t->name, t->available ? "yes" : "no");
		for (size_t k = 0; k < t->nfields; k++)
			printf(" %s", t->fields[k]);
		printf("\n");
	}
	printf("\nbpf programs (one per tracepoint, serving every metric that uses it):\n");
	for (size_t i = 0; nl_bpf_program(i, &served); i++) {
		const char *tp = nl_bpf_program(i, &served);

		printf("  %-28s nl_tp_%-28s %s\n", tp, tp, served);
	}
	printf("\nmetrics:\n");
	for (size_t i = 0; i < nl_nmetrics; i++) {
		struct nl_backend_choice c;

		if (nl_func_metric(nl_metrics[i]->name))
			continue;	/* per function, below */
		nl_features_choose(f, nl_metrics[i], &c);
		printf("  %-10s %s (%s)\n", nl_metrics[i]->name, c.backend, c.detail);
		for (size_t r = 0; r < c.nrejected; r++)
			printf("  %-10s   not %s: %s\n", "", c.rejected[r].backend, c.rejected[r].reason);
		for (size_t k = 0; k < 2; k++) {
			char why[NL_REASON_MAX];
			bool ok = nl_features_collector(f, nl_metrics[i], collectors[k], why, sizeof(why));

			printf("  %-10s   --collector %s: %s (%s)\n", "", collectors[k], ok ? "yes" : "no", why);
		}
		for (const struct nl_backend_limit *l = nl_metrics[i]->limits; l && l->backend; l++)
			printf("  %-10s   with %s: %s\n", "", l->backend, l->limit);
	}
	nl_func_probe_print(stdout, 0);
}

static void kv_feature(const char *prefix, const char *name, const struct nl_feature *ft)
{
	printf("%s.%s=%s %s\n", prefix, name, ft->available ? "yes" : "no", ft->reason);
}

/* One fact per line, "name=value", for POSIX sh (grep '^feature.fentry='). */
static void print_kv(const struct probe_ctx *p)
{
	const struct nl_features *f = &p->f;

	printf("schema=netlat-probe/1\nkernel=%s\n", f->kernel);
	printf("privileges.caller=%s\nprivileges.can_record=%s\nprivileges.missing=%s\n",
	       p->caller, p->can_record ? "yes" : "no", p->missing);
	printf("tracefs.path=%s\ntracefs.mounted_by_netlat=%s\n", f->tracefs,
	       f->tracefs_mounted_by_netlat ? "yes" : "no");
	for (int i = 0; i < NL_FEAT_COUNT; i++)
		kv_feature("feature", nl_feature_name(i), &f->feat[i]);
	for (size_t i = 0; i < f->ntps; i++) {
		const struct nl_tp_info *t = &f->tps[i];

		printf("tracepoint.%s=%s", t->name, t->available ? "yes" : "no");
		for (size_t k = 0; k < t->nfields; k++)
			printf("%s%s", k ? "," : " ", t->fields[k]);
		printf("\n");
	}
	for (size_t i = 0; i < nl_nmetrics; i++) {
		struct nl_backend_choice c;

		if (nl_func_metric(nl_metrics[i]->name))
			continue;
		nl_features_choose(f, nl_metrics[i], &c);
		printf("metric.%s=%s %s\n", nl_metrics[i]->name, c.backend, c.detail);
		for (size_t r = 0; r < c.nrejected; r++)
			printf("metric.%s.rejected.%s=%s\n", nl_metrics[i]->name,
			       c.rejected[r].backend, c.rejected[r].reason);
		for (size_t k = 0; k < 2; k++) {
			char why[NL_REASON_MAX];
			bool ok = nl_features_collector(f, nl_metrics[i], collectors[k], why, sizeof(why));

			printf("metric.%s.collector.%s=%s %s\n", nl_metrics[i]->name, collectors[k],
			       ok ? "yes" : "no", why);
		}
		for (const struct nl_backend_limit *l = nl_metrics[i]->limits; l && l->backend; l++)
			printf("metric.%s.limit.%s=%s\n", nl_metrics[i]->name, l->backend, l->limit);
	}
	nl_func_probe_print(stdout, 1);
}

static void json_feature(struct nl_json *j, const struct nl_features *f, int i)
{
	nl_json_key(j, nl_feature_name(i));
	nl_json_obj_begin(j);
	nl_json_kv_bool(j, "available", f->feat[i].available);
	nl_json_kv_str(j, "reason", f->feat[i].reason);
	if (i == NL_FEAT_FUNCTION_GRAPH)
		nl_json_kv_bool(j, "toplevel_only", f->function_graph_toplevel_only);
	nl_json_obj_end(j);
}

static void json_tracepoints(struct nl_json *j, const struct nl_features *f)
{
	nl_json_key(j, "tracepoint_list");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < f->ntps; i++) {
		const struct nl_tp_info *t = &f->tps[i];

		nl_json_obj_begin(j);
		nl_json_kv_str(j, "name", t->name);
		nl_json_kv_bool(j, "available", t->available);
		nl_json_key(j, "fields");
		nl_json_arr_begin(j);
		for (size_t k = 0; k < t->nfields; k++)
			nl_json_str(j, t->fields[k]);
		nl_json_arr_end(j);
		nl_json_key(j, "bpf");
		nl_json_obj_begin(j);
		for (int p = 0; p < NL_TP_NPROG; p++) {
			nl_json_key(j, nl_tp_prog_name(p));
			nl_json_obj_begin(j);
			nl_json_kv_bool(j, "available", t->prog[p].available);
			nl_json_kv_str(j, "reason", t->prog[p].reason);
			nl_json_obj_end(j);
		}
		nl_json_obj_end(j);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
}

/* The BPF collector's programs: which tracepoint each runs on and which metrics it serves. */
static void json_bpf_programs(struct nl_json *j)
{
	const char *tp, *served;

	nl_json_key(j, "bpf_programs");
	nl_json_arr_begin(j);
	for (size_t i = 0; (tp = nl_bpf_program(i, &served)); i++) {
		char name[64], list[64], *save = NULL;

		snprintf(name, sizeof(name), "nl_tp_%s", tp);
		snprintf(list, sizeof(list), "%s", served);
		nl_json_obj_begin(j);
		nl_json_kv_str(j, "tracepoint", tp);
		nl_json_kv_str(j, "program", name);
		nl_json_key(j, "metrics");
		nl_json_arr_begin(j);
		for (char *m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save))
			nl_json_str(j, m);
		nl_json_arr_end(j);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
}

/* "collectors": what `record --collector bpf|tracefs` gets for one metric, and why. */
static void json_collectors(struct nl_json *j, const struct nl_features *f,
			    const struct nl_metric_desc *m)
{
	nl_json_key(j, "collectors");
	nl_json_obj_begin(j);
	for (size_t k = 0; k < 2; k++) {
		char why[NL_REASON_MAX];
		bool ok = nl_features_collector(f, m, collectors[k], why, sizeof(why));

		nl_json_key(j, collectors[k]);
		nl_json_obj_begin(j);
		nl_json_kv_bool(j, "available", ok);
		nl_json_kv_str(j, "reason", why);
		nl_json_obj_end(j);
	}
	nl_json_obj_end(j);
}

static void json_metrics(struct nl_json *j, const struct nl_features *f)
{
	nl_json_key(j, "metrics");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		struct nl_backend_choice c;

		if (nl_func_metric(nl_metrics[i]->name))
			continue;
		nl_features_choose(f, nl_metrics[i], &c);
		nl_json_obj_begin(j);
		nl_json_kv_str(j, "name", nl_metrics[i]->name);
		nl_json_kv_str(j, "backend", c.backend);
		nl_json_kv_str(j, "detail", c.detail);
		nl_json_key(j, "rejected");
		nl_json_arr_begin(j);
		for (size_t r = 0; r < c.nrejected; r++) {
			nl_json_obj_begin(j);
			nl_json_kv_str(j, "backend", c.rejected[r].backend);
			nl_json_kv_str(j, "reason", c.rejected[r].reason);
			nl_json_obj_end(j);
		}
		nl_json_arr_end(j);
		json_collectors(j, f, nl_metrics[i]);
		nl_json_key(j, "limits");
		nl_json_obj_begin(j);
		for (const struct nl_backend_limit *l = nl_metrics[i]->limits; l && l->backend; l++)
			nl_json_kv_str(j, l->backend, l->limit);
		nl_json_obj_end(j);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
}

static int print_json(const struct probe_ctx *p)
{
	const struct nl_features *f = &p->f;
	struct nl_json *j = nl_json_new(stdout, isatty(STDOUT_FILENO));

	if (!j)
		return -ENOMEM;
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "schema", "netlat-probe/1");
	nl_json_kv_str(j, "kernel", f->kernel);
	nl_json_key(j, "tracefs");
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "path", f->tracefs);
	nl_json_kv_bool(j, "mounted_by_netlat", f->tracefs_mounted_by_netlat);
	nl_json_kv_str(j, "available_tracers", f->tracers);
	nl_json_obj_end(j);
	nl_json_key(j, "privileges");
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "caller", p->caller);
	nl_json_kv_bool(j, "can_record", p->can_record);
	nl_json_kv_str(j, "missing", p->missing);
	nl_json_obj_end(j);
	nl_json_key(j, "sysctls");
	nl_json_obj_begin(j);
	nl_json_key(j, "perf_event_paranoid");
	nl_json_i64(j, f->perf_event_paranoid);
	nl_json_key(j, "kptr_restrict");
	nl_json_i64(j, f->kptr_restrict);
	nl_json_obj_end(j);
	nl_json_key(j, "features");
	nl_json_obj_begin(j);
	for (int i = 0; i < NL_FEAT_COUNT; i++)
		json_feature(j, f, i);
	nl_json_obj_end(j);
	json_tracepoints(j, f);
	json_bpf_programs(j);
	json_metrics(j, f);
	nl_func_probe_json(j);
	nl_json_obj_end(j);
	nl_json_free(j);
	fputc('\n', stdout);
	return 0;
}

static int json_opt(const struct nl_opt *opt, const char *arg)
{
	(void)arg;
	*(enum probe_format *)opt->value = FMT_JSON;
	return 0;
}

static int format_opt(const struct nl_opt *opt, const char *arg)
{
	enum probe_format *fmt = opt->value;

	if (!strcmp(arg, "text"))
		*fmt = FMT_TEXT;
	else if (!strcmp(arg, "json"))
		*fmt = FMT_JSON;
	else if (!strcmp(arg, "kv"))
		*fmt = FMT_KV;
	else
		return nl_err("invalid format '%s' (text, json or kv)", arg), -EINVAL;
	return 0;
}

/* 0 with *fmt set, 1 for --help, or -EINVAL after printing one line. */
static int parse_args(int argc, char **argv, enum probe_format *fmt)
{
	const struct nl_opt opts[] = {
		NL_OPT_CALLBACK_ROW(0, "json", fmt, NULL, "same as --format json", json_opt),
		NL_OPT_CALLBACK_ROW(0, "format", fmt, "<f>", "text (default), json, or kv (key=value lines)",
				    format_opt),
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "probe", probe_usage, opts, 0 };
	int next, err = nl_opt_parse(&cmd, argc, argv, &next);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fputs(probe_epilog, stdout);
	}
	if (err)
		return err;
	if (next < argc)
		return nl_err("unexpected argument '%s' (see 'netlat probe --help')", argv[next]), -EINVAL;
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	enum probe_format fmt = FMT_TEXT;
	struct probe_ctx p;
	int err;

	memset(&p, 0, sizeof(p));
	err = parse_args(argc, argv, &fmt);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_privs_check(p.missing, sizeof(p.missing)) < 0) {
		nl_err("probe needs root; missing %s", p.missing);
		return NL_EXIT_USAGE;
	}
	p.can_record = true;
	nl_privs_describe(p.caller, sizeof(p.caller));
	nl_signals_install();
	err = nl_features_probe(&p.f);
	if (!err)
		nl_func_probe_run();	/* the function tiers, tried before the cleanup below */
	/* Undo before printing: nothing of ours stays in the kernel while stdout blocks. */
	nl_cleanup_run_all();
	if (err) {
		nl_features_free(&p.f);
		if (err == -EINTR) {
			nl_err("interrupted; everything probe created was removed");
			return 128 + (int)nl_stop_signal;
		}
		nl_err("probe failed: %s", strerror(-err));
		return NL_EXIT_USAGE;
	}
	if (fmt == FMT_JSON)
		err = print_json(&p);
	else if (fmt == FMT_KV)
		print_kv(&p);
	else
		print_text(&p);
	nl_features_free(&p.f);
	if (err || fflush(stdout) || ferror(stdout)) {
		nl_err("cannot write the output");
		return NL_EXIT_USAGE;
	}
	return NL_EXIT_OK;
}
