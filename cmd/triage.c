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
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/privs.h"
#include "netlat/report.h"
#include "netlat/session.h"
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
"    -v, --verbose           say which backend each metric got, and why\n"
"\n Rules and their thresholds: docs/triage.md. Rules:\n";

static void print_usage(FILE *f)
{
	fputs(triage_usage, f);
	for (size_t i = 0; i < nl_nrules; i++)
		fprintf(f, "   %-14s %s\n", nl_rules[i]->name, nl_rules[i]->help);
	fputc('\n', f);
}

enum { OPT_NETNS = 256, OPT_DEV, OPT_FORMAT, OPT_COLLECTOR, OPT_BUFFER_KB };

static const struct option triage_options[] = {
	{ "duration", required_argument, NULL, 'd' },
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "pid", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "collector", required_argument, NULL, OPT_COLLECTOR },
	{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct triage_args {
	struct nl_session_cfg cfg;
	const char *input, *output;
	bool json;
};

static int parse_u64_arg(const char *arg, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!arg[0] || arg[0] == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_one(struct triage_args *a, int c, const char *arg)
{
	struct nl_record_opts *o = &a->cfg.opts;
	uint64_t v;

	switch (c) {
	case 'd':
		if (nl_parse_duration_ns(arg, &o->duration_ns) || !o->duration_ns) {
			nl_err("invalid duration '%s' (examples: 10s, 500ms, 2m)", arg);
			return -EINVAL;
		}
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_NETNS:
		if (parse_u64_arg(arg, UINT64_MAX, &o->netns)) {
			nl_err("invalid netns '%s' (its inode number: ls -Li /proc/PID/ns/net)", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_DEV:
		if (!arg[0] || strlen(arg) >= sizeof(o->dev) || strpbrk(arg, " ,/=")) {
			nl_err("invalid device name '%s'", arg);
			return -EINVAL;
		}
		snprintf(o->dev, sizeof(o->dev), "%s", arg);
		return 0;
	case 'p':
		if (parse_u64_arg(arg, 4194304, &v)) {
			nl_err("invalid pid '%s'", arg);
			return -EINVAL;
		}
		o->pid = (int)v;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json")) {
			nl_err("unknown format '%s' (known: text, json)", arg);
			return -EINVAL;
		}
		a->json = !strcmp(arg, "json");
		return 0;
	case OPT_COLLECTOR:
		if (strcmp(arg, "auto") && strcmp(arg, "bpf") && strcmp(arg, "tracefs")) {
			nl_err("invalid collector '%s' (auto, bpf or tracefs)", arg);
			return -EINVAL;
		}
		a->cfg.collector = arg;
		return 0;
	case OPT_BUFFER_KB:
		if (parse_u64_arg(arg, 4U << 20, &v)) {
			nl_err("invalid buffer size '%s' (KiB, 1 to 4194304)", arg);
			return -EINVAL;
		}
		o->buffer_kb = (unsigned int)v;
		return 0;
	case 'q':
		nl_quiet = 1;
		return 0;
	case 'v':
		nl_verbose++;
		return 0;
	default:
		return -EINVAL;
	}
}

static int parse_args(struct triage_args *a, int argc, char **argv)
{
	int c, err;

	a->cfg.collector = "auto";
	a->cfg.opts.interval_ns = 1000000000ULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:i:o:p:qvh", triage_options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				nl_err("unknown or incomplete option '-%c' (see 'netlat triage --help')", optopt);
			else
				nl_err("unknown or incomplete option '%s' (see 'netlat triage --help')",
				       argv[optind - 1]);
			return -EINVAL;
		}
		err = parse_one(a, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		a->cfg.command = argv + optind;
	if (a->input && (a->cfg.command || a->output)) {
		nl_err("-i triages a recording: it takes no command and no -o");
		return -EINVAL;
	}
	if (!a->cfg.command && !a->cfg.opts.duration_ns)
		a->cfg.opts.duration_ns = DEFAULT_DURATION_NS;
	return 0;
}

/* memcpy bandwidth: from the recording (measured where it was made), else here and now. */
static double memcpy_bw(const struct nl_recording *rec)
{
	const char *m = nl_rec_meta(rec, "memcpy_bytes_per_s");

	if (m && *m) {
		char *end;
		double v = strtod(m, &end);

		if (!*end && v > 0)
			return v;
	}
	return nl_memcpy_bandwidth();
}

static int triage_print(const struct triage_args *a, const struct nl_recording *rec)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	struct nl_triage_in in = {
		.rec = rec,
		.iv = total,
		.seconds = nl_report_duration_s(rec),
		.memcpy_bytes_per_s = memcpy_bw(rec),
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

static int save(const struct nl_recording *rec, const char *path)
{
	int err = nl_rec_backup_old(path);

	if (!err)
		err = nl_rec_write(rec, path);
	if (err)
		nl_err("cannot write '%s': %s", path, strerror(-err));
	return err;
}

static int triage_live(struct triage_args *a)
{
	struct nl_recording *rec;
	char missing[256];
	int run_err, cmd_exit, ret;

	if (nl_privs_check(missing, sizeof(missing))) {
		nl_err("recording needs privileges this process lacks: %s "
		       "(or triage a recording: netlat triage -i FILE)", missing);
		return NL_EXIT_USAGE;
	}
	a->cfg.status_line = !nl_quiet && isatty(STDERR_FILENO);
	nl_signals_install();
	rec = nl_rec_new();
	/* measured before the probes are armed, so the copy does not disturb them */
	nl_rec_set_metaf(rec, "memcpy_bytes_per_s", "%.0f", nl_memcpy_bandwidth());
	if (a->cfg.opts.netns)
		nl_rec_set_metaf(rec, "filter_netns", "%llu", (unsigned long long)a->cfg.opts.netns);
	run_err = nl_session_record(&a->cfg, rec, &cmd_exit);
	nl_cleanup_run_all();
	if (run_err && !rec->niv) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	if (a->output && save(rec, a->output)) {
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
