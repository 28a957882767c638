/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One option table per command: it parses argv, checks each value, and
 * prints the command's --help. A row says the option's names, the name of
 * its value, its help text, what kind it is and where the value goes; a
 * callback row checks the value itself (one line on stderr when it is bad).
 * Options several commands take are rows defined once (record_opts.h), so
 * they are checked the same way everywhere.
 */
#ifndef NETLAT_OPTIONS_H
#define NETLAT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

enum nl_opt_type {
	NL_OPT_END = 0,
	NL_OPT_FLAG,		/* bool *value = true */
	NL_OPT_COUNT,		/* int *value += 1 (-v -v) */
	NL_OPT_STRING,		/* const char **value = the argument, unchecked */
	NL_OPT_CALLBACK,	/* cb(opt, arg) checks the argument and stores it in value */
};

/* Row flags */
enum {
	/* the value is optional: "--raw=FILE", or "--raw FILE" when the next word is no option */
	NL_OPTF_OPTARG = 1u << 0,
};

struct nl_opt {
	enum nl_opt_type type;
	int short_name;		/* 'o', or 0 for a long-only option */
	const char *long_name;	/* "output" */
	void *value;		/* where the value goes (see the types) */
	const char *argh;	/* "<file>", NULL when it takes no value */
	const char *help;	/* '\n' starts a continuation line */
	/* NL_OPT_CALLBACK: 0, or -EINVAL after one line on stderr; arg is NULL for a flag */
	int (*cb)(const struct nl_opt *opt, const char *arg);
	unsigned int flags;	/* NL_OPTF_* */
	const void *data;	/* anything more cb needs (a limit, a hint) */
};

#define NL_OPT_FLAG_ROW(s, l, v, h) \
	{ .type = NL_OPT_FLAG, .short_name = (s), .long_name = (l), .value = (v), .help = (h) }
#define NL_OPT_COUNT_ROW(s, l, v, h) \
	{ .type = NL_OPT_COUNT, .short_name = (s), .long_name = (l), .value = (v), .help = (h) }
#define NL_OPT_STRING_ROW(s, l, v, a, h) \
	{ .type = NL_OPT_STRING, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h) }
#define NL_OPT_CALLBACK_ROW(s, l, v, a, h, f) \
	{ .type = NL_OPT_CALLBACK, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), \
	  .help = (h), .cb = (f) }
#define NL_OPT_END_ROW { .type = NL_OPT_END }

/* How a command's words after the options are read. */
enum {
	/* stop at the first word that is no option: "-- CMD ARGS" stays the command's */
	NL_OPT_STOP_AT_ARG = 1u << 0,
};

struct nl_opt_cmd {
	const char *name;		/* "record" */
	const char *const *usage;	/* "netlat record [<options>]", ..., NULL */
	const struct nl_opt *opts;	/* ended by NL_OPT_END_ROW; -h, --help is added */
	unsigned int flags;		/* NL_OPT_STOP_AT_ARG */
};

#define NL_OPT_HELP	1	/* nl_opt_parse: --help was asked */

/*
 * Parse argv[1..] against cmd's table. Returns NL_OPT_HELP for -h/--help
 * (nothing else is parsed), -EINVAL after one line on stderr (an unknown
 * option, a missing value, or a value its row refused), or 0 with *next set
 * to the index of the first word that is no option.
 */
int nl_opt_parse(const struct nl_opt_cmd *cmd, int argc, char **argv, int *next);

/* The usage lines, then one line per row (and -h, --help), perf's layout. */
void nl_opt_usage(FILE *f, const struct nl_opt_cmd *cmd);

#endif
