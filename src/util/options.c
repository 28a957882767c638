// SPDX-License-Identifier: GPL-2.0
/*
 * The option table behind every command (include/netlat/options.h):
 * getopt_long does the scanning, the table does the rest, so a command's
 * parser, its checks and its --help can never disagree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/options.h"
#include "netlat/util.h"

/* getopt value of a long-only row: past every char */
#define LONG_ONLY_BASE	256
#define HELP_COL	28

static const struct nl_opt help_row =
	NL_OPT_FLAG_ROW('h', "help", NULL, "show this help");

static size_t nrows(const struct nl_opt *opts)
{
	size_t n = 0;

	while (opts[n].type != NL_OPT_END)
		n++;
	return n;
}

static int has_arg(const struct nl_opt *o)
{
	if (!o->argh)
		return no_argument;
	return o->flags & NL_OPTF_OPTARG ? optional_argument : required_argument;
}

/* getopt's two tables for opts plus -h; NULL when out of memory. */
static struct option *build(const struct nl_opt *opts, size_t n, unsigned int flags, char **shorts)
{
	struct option *lo = calloc(n + 2, sizeof(*lo));
	char *s = malloc(3 * n + 8);
	size_t k = 0;

	if (!lo || !s) {
		free(lo);
		free(s);
		return NULL;
	}
	/* '+': stop at the command; ':': tell a missing value from an unknown option */
	if (flags & NL_OPT_STOP_AT_ARG)
		s[k++] = '+';
	s[k++] = ':';
	for (size_t i = 0; i < n; i++) {
		const struct nl_opt *o = &opts[i];
		int val = o->short_name ? o->short_name : LONG_ONLY_BASE + (int)i;

		lo[i] = (struct option){ o->long_name, has_arg(o), NULL, val };
		if (!o->short_name)
			continue;
		s[k++] = (char)o->short_name;
		if (o->argh)
			s[k++] = ':';
	}
	lo[n] = (struct option){ help_row.long_name, no_argument, NULL, 'h' };
	memcpy(s + k, "h", 2);
	*shorts = s;
	return lo;
}

static const struct nl_opt *row_of(const struct nl_opt *opts, size_t n, int c)
{
	if (c >= LONG_ONLY_BASE && (size_t)(c - LONG_ONLY_BASE) < n)
		return &opts[c - LONG_ONLY_BASE];
	for (size_t i = 0; i < n; i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

static int apply(const struct nl_opt *o, const char *arg)
{
	switch (o->type) {
	case NL_OPT_FLAG:
		*(bool *)o->value = true;
		return 0;
	case NL_OPT_COUNT:
		(*(int *)o->value)++;
		return 0;
	case NL_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case NL_OPT_CALLBACK:
		return o->cb(o, arg);
	case NL_OPT_END:
		break;
	}
	return -EINVAL;
}

/*
 * Was getopt's complaint about the long option in word w? optopt is 0 for an
 * unknown long option and the row's value for one missing or refusing a
 * value; a short option refused inside a cluster (-Zq) leaves optind on the
 * cluster, so w can then be an earlier, valid, long option.
 */
static bool long_error(const char *w, const struct option *lo)
{
	size_t len;

	if (strncmp(w, "--", 2))
		return false;
	if (!optopt)
		return true;
	w += 2;
	len = strcspn(w, "=");
	for (; lo->name; lo++)
		if (lo->val == optopt && !strncmp(lo->name, w, len))
			return true;
	return false;
}

/* One line for a word getopt refused: an unknown option, or one missing its value. */
static void bad_option(const struct nl_opt_cmd *cmd, char **argv, const struct option *lo)
{
	const char *w = argv[optind - 1];

	if (!long_error(w, lo) && optopt && optopt < LONG_ONLY_BASE)
		nl_err("unknown or incomplete option '-%c' (see 'netlat %s --help')", optopt, cmd->name);
	else
		nl_err("unknown or incomplete option '%s' (see 'netlat %s --help')", w, cmd->name);
}

/*
 * getopt_long takes any unambiguous prefix of a long name: report's
 * --interval would be --intervals. A table is the whole truth, so a long
 * option must be spelled out. The word just parsed is argv[optind - 1], or
 * the one before it when the value was the next word.
 */
static bool abbreviated(char **argv, const char *optarg, const char *name)
{
	const char *w = argv[optind - (optarg && optarg == argv[optind - 1] ? 2 : 1)];
	size_t len;

	if (strncmp(w, "--", 2))
		return false;
	w += 2;
	len = strcspn(w, "=");
	return len != strlen(name);
}

int nl_opt_parse(const struct nl_opt_cmd *cmd, int argc, char **argv, int *next)
{
	size_t n = nrows(cmd->opts);
	struct option *lo;
	char *shorts;
	int c, idx = -1, err = 0;

	lo = build(cmd->opts, n, cmd->flags, &shorts);
	if (!lo) {
		nl_err("out of memory");
		return -EINVAL;
	}
	/* 0, not 1: glibc then re-reads the "+" of shorts (the unit test parses many times) */
	optind = 0;
	opterr = 0;
	while (!err && (c = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		const struct nl_opt *o = row_of(cmd->opts, n, c);
		const char *arg = optarg;

		if (idx >= 0 && abbreviated(argv, optarg, lo[idx].name)) {
			nl_err("unknown or incomplete option '%s' (see 'netlat %s --help')",
			       argv[optind - (optarg && optarg == argv[optind - 1] ? 2 : 1)], cmd->name);
			err = -EINVAL;
			break;
		}
		idx = -1;

		if (c == 'h' && !o) {
			err = NL_OPT_HELP;
			break;
		}
		if (c == '?' || c == ':' || !o) {
			bad_option(cmd, argv, lo);
			err = -EINVAL;
			break;
		}
		/* "--raw FILE" as well as "--raw=FILE": a next word that is no option is the value */
		if ((o->flags & NL_OPTF_OPTARG) && !arg && optind < argc && argv[optind][0] != '-')
			arg = argv[optind++];
		err = apply(o, arg);
	}
	free(lo);
	free(shorts);
	if (!err)
		*next = optind;
	return err;
}

static void print_row(FILE *f, const struct nl_opt *o)
{
	char left[96];
	const char *h = o->help ? o->help : "";
	int w;

	w = snprintf(left, sizeof(left), "    %c%c%s%s%s%s%s%s",
		     o->short_name ? '-' : ' ', o->short_name ? o->short_name : ' ',
		     o->short_name && o->long_name ? ", " : "  ",
		     o->long_name ? "--" : "", o->long_name ? o->long_name : "",
		     o->argh ? (o->flags & NL_OPTF_OPTARG ? "[=" : " ") : "",
		     o->argh ? o->argh : "", o->argh && (o->flags & NL_OPTF_OPTARG) ? "]" : "");
	if (w >= HELP_COL - 1)
		fprintf(f, "%s\n%*s", left, HELP_COL, "");
	else
		fprintf(f, "%-*s", HELP_COL, left);
	/* continuation lines line up under the first */
	for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
		fprintf(f, "%.*s\n%*s", (int)(nl - h), h, HELP_COL, "");
	fprintf(f, "%s\n", h);
}

void nl_opt_usage(FILE *f, const struct nl_opt_cmd *cmd)
{
	fputc('\n', f);
	for (size_t i = 0; cmd->usage[i]; i++)
		fprintf(f, " %s %s\n", i ? "      " : "usage:", cmd->usage[i]);
	fputc('\n', f);
	for (const struct nl_opt *o = cmd->opts; o->type != NL_OPT_END; o++)
		print_row(f, o);
	print_row(f, &help_row);
}
