// SPDX-License-Identifier: GPL-2.0
/*
 * netlat triage: record every metric this kernel supports (or read a
 * recording with -i), run the rules of src/triage.c over it and print the
 * findings, most severe first.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/record_opts.h"
#include "netlat/report.h"
#include "netlat/session.h"
#include "netlat/memcpy_bw.h"
#include "netlat/triage.h"
#include "netlat/util.h"

#define DEFAULT_DURATION_NS	(10ULL * 1000000000ULL)

static const char triage_usage[] =
"\n usage: netlat triage [<options>] [-- <command> [<args>]]\n"
"        netlat triage -i <file> [<options>]\n\n"
"    -d, --duration <time>   record this long (default 10s; Ctrl-C ends early)\n"
"    -i, --input <file>      triage a recording instead (no privileges needed)\n"
"    -o, --output <file>     also save the recording made, for triage -i later\n"
"        --netns <inode>     only this network namespace (ls -Li /proc/PID/ns/net)\n"
"        --dev <iface>       only this device\n"
"    -p, --pid <pid>         only this process, where a metric can tell\n"
"        --format <fmt>      text (default) or json\n"
"        --collector <c>     auto (default), bpf or tracefs\n"
"        --buffer-kb <n>     tracefs per-CPU ring buffer size\n"
"    -q, --quiet             no status line\n"
"        --overhead-budget <pct>\n"
"                            netlat's BPF programs may take this % of the\n"
"                            recorded CPUs (default 1); over it, per-skb pairing\n"
"                            is sampled 1 in N (0 = no limit)\n"
"    -v, --verbose           say which backend each metric got, and why\n"
"\n Rules and their thresholds: docs/triage.md. Rules:\n";

static void print_usage(FILE *f)
{
	fputs(triage_usage, f);
	for (size_t i = 0; i < nl_nrules; i++)
		fprintf(f, "   %-14s %s\n", nl_rules[i]->name, nl_rules[i]->help);
	fputc('\n', f);
}

enum { OPT_FORMAT = NL_OPT_OWN };

static const struct option triage_own_options[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ NULL, 0, NULL, 0 },
};

struct triage_args {
	struct nl_session_cfg cfg;
	const char *input, *output;
	bool json;
};

static int parse_own(void *ctx, int c, const char *arg)
{
	struct triage_args *a = ctx;

	switch (c) {
	case 'i':
		a->input = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json")) {
			nl_err("unknown format '%s' (known: text, json)", arg);
			return -EINVAL;
		}
		a->json = !strcmp(arg, "json");
		return 0;
	}
	return -EINVAL;
}

static const struct nl_record_cmd triage_cmd = {
	.name = "triage",
	.opts = NL_RO_DURATION | NL_RO_NETNS | NL_RO_DEV | NL_RO_PID | NL_RO_COLLECTOR |
		NL_RO_BUFFER_KB | NL_RO_QUIET | NL_RO_VERBOSE | NL_RO_COMMAND | NL_RO_OVERHEAD_BUDGET,
	.style = NL_RS_LIVE_VIEW,
	.own_short = "i:o:",
	.own_long = triage_own_options,
	.own = parse_own,
};

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct triage_args *a, int argc, char **argv)
{
	int err = nl_record_parse(&triage_cmd, &a->cfg, a, argc, argv);

	if (err)
		return err;
	if (a->input && (a->cfg.command || a->output)) {
		nl_err("-i triages a recording: it takes no command and no -o");
		return -EINVAL;
	}
	if (!a->cfg.command && !a->cfg.opts.duration_ns)
		a->cfg.opts.duration_ns = DEFAULT_DURATION_NS;
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

	if (nl_record_start(&a->cfg, NULL, " (or triage a recording: netlat triage -i FILE)"))
		return NL_EXIT_USAGE;
	rec = nl_rec_new();
	if (a->cfg.opts.netns)
		nl_rec_set_metaf(rec, "filter_netns", "%llu", (unsigned long long)a->cfg.opts.netns);
	run_err = nl_session_record(&a->cfg, rec, &cmd_exit);
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

	if (err > 0)
		print_usage(stdout);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	return a.input ? triage_file(&a) : triage_live(&a);
}
