// SPDX-License-Identifier: GPL-2.0
/* netlat: dispatch to the subcommand named by argv[1], git/perf style. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "netlat/util.h"

struct nl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct nl_cmd commands[] = {
	{ "record", cmd_record, "Record network-stack latency into a file" },
	{ "report", cmd_report, "Read a recording and print text, JSON or CSV" },
	{ "probe", cmd_probe, "Show what this kernel lets netlat measure, and how" },
	{ "stat", cmd_stat, "Run a command N times, record each run, show the spread" },
	{ "diff", cmd_diff, "Compare two recordings: regressions beyond noise and thresholds" },
	{ "triage", cmd_triage, "Record, then say what is wrong on this host, most severe first" },
	{ "top", cmd_top, "Live view: per-stage latency, per-CPU softirq, top flows, findings" },
	{ "serve", cmd_serve, "Measure continuously and serve the totals to Prometheus over HTTP" },
};

static void usage(FILE *f)
{
	fprintf(f, "\n usage: netlat [--version] [--help] COMMAND [ARGS]\n\n"
		   " The most commonly used netlat commands are:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n See 'netlat COMMAND --help' for more information on a specific command.\n\n");
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		usage(stderr);
		return NL_EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			char *hargv[] = { argv[2], "--help", NULL };

			for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
				if (!strcmp(commands[i].name, argv[2]))
					return commands[i].fn(2, hargv);
		}
		usage(stdout);
		return NL_EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("netlat version %s\n", NETLAT_VERSION);
		return NL_EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	nl_err("'%s' is not a netlat command. See 'netlat --help'.", name);
	return NL_EXIT_USAGE;
}
