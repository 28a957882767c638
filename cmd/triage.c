// SPDX-License-Identifier: GPL-2.0
/*
 * netlat triage: record every metric this kernel supports (or read a
 * recording with -i), run the rules of src/triage.c over it and print the
 * findings, most severe first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/record_opts.h"
#include "netlat/report.h"
#include "netlat/session.h"
#include "netlat/memcpy_bw.h"
#include "netlat/netns.h"
#include "netlat/triage.h"
#include "netlat/util.h"

#define DEFAULT_DURATION_NS	(10ULL * 1000000000ULL)

static const char *const triage_usage[] = {
	"netlat triage [<options>] [-- <command> [<args>]]",
	"netlat triage -i <file> [<options>]",
	NULL,
};

struct triage_args {
	struct nl_session_cfg cfg;
	const char *input, *output;
	bool json;
};

static int format_opt(const struct nl_opt *opt, const char *arg)
{
	if (strcmp(arg, "text") && strcmp(arg, "json")) {
		nl_err("unknown format '%s' (known: text, json)", arg);
		return -EINVAL;
	}
	*(bool *)opt->value = !strcmp(arg, "json");
	return 0;
}

static void print_rules(FILE *f)
{
	size_t n;
	const struct nl_rule *const *rules = nl_rule_list(&n);

	fputs("\n Rules and their thresholds: docs/triage.md. Rules:\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "   %-14s %s\n", rules[i]->name, rules[i]->help);
	fputc('\n', f);
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct triage_args *a, int argc, char **argv)
{
	struct nl_session_cfg *cfg = &a->cfg;
	const struct nl_opt opts[] = {
		NL_ROW_DURATION(cfg, "record this long (default 10s; Ctrl-C ends early)"),
		NL_OPT_STRING_ROW('i', "input", &a->input, "<file>",
				  "triage a recording instead (no privileges needed)"),
		NL_OPT_STRING_ROW('o', "output", &a->output, "<file>",
				  "also save the recording made, for triage -i later"),
		NL_ROWS_FILTERS(cfg),
		NL_OPT_CALLBACK_ROW(0, "format", &a->json, "<fmt>", "text (default) or json", format_opt),
		NL_ROW_COLLECTOR(cfg),
		NL_ROW_BUFFER_KB(cfg),
		NL_ROW_QUIET("no status line"),
		NL_ROW_OVERHEAD_BUDGET(cfg),
		NL_ROW_VERBOSE,
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "triage", triage_usage, opts, NL_OPT_STOP_AT_ARG };
	int err = nl_record_parse(&cmd, cfg, argc, argv);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		print_rules(stdout);
	}
	if (err)
		return err;
	if (a->input && (cfg->command || a->output)) {
		nl_err("-i triages a recording: it takes no command and no -o");
		return -EINVAL;
	}
	if (!cfg->command && !cfg->opts.duration_ns)
		cfg->opts.duration_ns = DEFAULT_DURATION_NS;
	return 0;
}

static int triage_print(const struct triage_args *a, const struct nl_recording *rec)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	struct nl_triage_in in = {
		.rec = rec,
		.iv = total,
		.seconds = nl_report_duration_s(rec),
		/* the machine that recorded it, never this one: a copy metric stores it (memcpy_bw.h) */
		.memcpy_bytes_per_s = nl_memcpy_bw_of(rec),
		.dev = a->cfg.opts.dev[0] ? a->cfg.opts.dev : NULL,
		.netns = a->cfg.opts.netns,
	};
	struct nl_triage t;
	int err = nl_triage_run(&in, &t);

	if (!err) {
		if (a->json)
			nl_triage_print_json(stdout, &in, &t);
		else
			nl_triage_print_text(stdout, &in, &t);
		if (fflush(stdout) || ferror(stdout))
			err = -EIO;
	}
	nl_triage_free(&t);
	nl_iv_free(total);
	if (err)
		nl_err("cannot print the findings: %s", strerror(-err));
	return err ? NL_EXIT_USAGE : NL_EXIT_OK;
}

static int triage_file(const struct triage_args *a)
{
	struct nl_recording *rec;
	char err[256] = "";
	int ret = nl_rec_read(a->input, &rec, err, sizeof(err));

	if (ret) {
		nl_err("cannot read '%s': %s", a->input, *err ? err : strerror(-ret));
		return NL_EXIT_USAGE;
	}
	ret = triage_print(a, rec);
	nl_rec_free(rec);
	return ret;
}

static int triage_live(struct triage_args *a)
{
	struct nl_recording *rec;
	int run_err, cmd_exit, ret;

	if (nl_record_start(&a->cfg, NULL, " (or triage a recording: netlat triage -i FILE)") ||
	    nl_notes_begin(&a->cfg))
		return NL_EXIT_USAGE;
	rec = nl_rec_new();
	if (a->cfg.opts.netns)
		nl_rec_set_metaf(rec, "filter_netns", "%llu", (unsigned long long)a->cfg.opts.netns);
	run_err = nl_session_record(&a->cfg, rec, &cmd_exit);
	nl_notes_end(&a->cfg, rec);
	nl_cleanup_run_all();
	if (run_err && !rec->niv) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	if (a->output && nl_record_save(rec, a->output)) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	ret = triage_print(a, rec);
	nl_rec_free(rec);
	return run_err ? NL_EXIT_USAGE : ret;
}

int cmd_triage(int argc, char **argv)
{
	struct triage_args a = { 0 };
	int err = parse_args(&a, argc, argv);

	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	return a.input ? triage_file(&a) : triage_live(&a);
}
