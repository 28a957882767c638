// SPDX-License-Identifier: GPL-2.0
/*
 * The option table (src/util/options.c) on hand-made argv: each row type stores
 * where its row says, a callback's refusal stops the parse, -h/--help wins,
 * long names must be spelled out (no getopt prefixes), an optional value is
 * taken from "--raw=F" or a next word that is no option, "+" mode leaves the
 * command's words alone, and the usage lists every row, -h last.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/options.h"
#include "unit.h"

static int calls;

/* a callback that takes only "ok" */
static int only_ok(const struct nl_opt *o, const char *arg)
{
	calls++;
	if (strcmp(arg, "ok"))
		return -EINVAL;
	*(const char **)o->value = arg;
	return 0;
}

struct vals {
	bool flag;
	int count;
	const char *str, *cb, *opt;
};

static const char *const usage[] = { "netlat t [<options>]", NULL };

/* parse the words (NULL ended) against the test table; *next as nl_opt_parse */
static int parse(struct vals *v, unsigned int flags, int *next, ...)
{
	const struct nl_opt opts[] = {
		NL_OPT_FLAG_ROW('f', "flag", &v->flag, "a flag"),
		NL_OPT_COUNT_ROW('c', "count", &v->count, "counted"),
		NL_OPT_STRING_ROW('s', "str", &v->str, "<s>", "a string"),
		NL_OPT_CALLBACK_ROW(0, "check", &v->cb, "<w>", "only 'ok'", only_ok),
		NL_OPT_STRING_ROW(0, "checks", &v->str, "<s>", "the same prefix as --check"),
		{ .type = NL_OPT_STRING, .long_name = "opt", .value = &v->opt, .argh = "<f>",
		  .flags = NL_OPTF_OPTARG, .help = "optional value" },
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "t", usage, opts, flags };
	char *argv[16] = { "t" };
	int argc = 1;
	va_list ap;

	va_start(ap, next);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	memset(v, 0, sizeof(*v));
	*next = -1;
	return nl_opt_parse(&cmd, argc, argv, next);
}

static void test_rows(void)
{
	struct vals v;
	int next;

	CHECK(parse(&v, 0, &next, "-f", "-cc", "--count", "-s", "a", "--check", "ok", NULL) == 0);
	CHECK(v.flag);
	CHECK(v.count == 3);
	CHECK_STR(v.str, "a");
	CHECK_STR(v.cb, "ok");
	CHECK(next == 8);
	CHECK(parse(&v, 0, &next, "--str=b", "--checks", "c", NULL) == 0);
	CHECK_STR(v.str, "c");			/* the later word wins */
}

static void test_refusals(void)
{
	struct vals v;
	int next;

	calls = 0;
	CHECK(parse(&v, 0, &next, "--check", "bad", "-f", NULL) == -EINVAL);
	CHECK(calls == 1 && !v.flag);		/* stopped at the refusal */
	CHECK(parse(&v, 0, &next, "--nope", NULL) == -EINVAL);
	CHECK(parse(&v, 0, &next, "-Z", NULL) == -EINVAL);
	CHECK(parse(&v, 0, &next, "-s", NULL) == -EINVAL);		/* missing value */
	CHECK(parse(&v, 0, &next, "--fla", NULL) == -EINVAL);		/* a prefix is no name */
	CHECK(parse(&v, 0, &next, "--coun=1", NULL) == -EINVAL);
	CHECK(parse(&v, 0, &next, "--che", "ok", NULL) == -EINVAL);	/* ambiguous too */
	CHECK(next == -1);
}

/* The one line names the word that was wrong, as typed. */
static void test_messages(void)
{
	struct vals v;
	int next;
	char buf[4096] = "";
	FILE *saved = stderr;

	stderr = fmemopen(buf, sizeof(buf), "w");
	if (!stderr) {
		stderr = saved;
		CHECK(!"fmemopen");
		return;
	}
	parse(&v, 0, &next, "--flag", "-Zf", NULL);
	parse(&v, 0, &next, "--coun=1", NULL);
	parse(&v, 0, &next, "-f", "--str", NULL);
	parse(&v, 0, &next, "--count", "--nope=3", NULL);
	fclose(stderr);
	stderr = saved;
	CHECK_STR(buf,
		  "netlat: unknown or incomplete option '-Z' (see 'netlat t --help')\n"
		  "netlat: unknown or incomplete option '--coun=1' (see 'netlat t --help')\n"
		  "netlat: unknown or incomplete option '--str' (see 'netlat t --help')\n"
		  "netlat: unknown or incomplete option '--nope=3' (see 'netlat t --help')\n");
}

static void test_help(void)
{
	struct vals v;
	int next;

	CHECK(parse(&v, 0, &next, "-f", "--help", "--nope", NULL) == NL_OPT_HELP);
	CHECK(parse(&v, 0, &next, "-h", NULL) == NL_OPT_HELP);
}

static void test_optional_and_words(void)
{
	struct vals v;
	int next;

	CHECK(parse(&v, 0, &next, "--opt=x", NULL) == 0);
	CHECK_STR(v.opt, "x");
	CHECK(parse(&v, NL_OPT_STOP_AT_ARG, &next, "--opt", "y", "-f", NULL) == 0);
	CHECK_STR(v.opt, "y");
	CHECK(v.flag);
	CHECK(parse(&v, NL_OPT_STOP_AT_ARG, &next, "--opt", "-f", NULL) == 0);
	CHECK(v.opt == NULL && v.flag);		/* the callback-less row stores NULL: no value */
	/* "+" mode: the first word that is no option ends the options */
	CHECK(parse(&v, NL_OPT_STOP_AT_ARG, &next, "-f", "cmd", "-c", NULL) == 0);
	CHECK(next == 2 && v.count == 0);
	/* otherwise words may sit between options */
	CHECK(parse(&v, 0, &next, "a", "-f", "b", NULL) == 0);
	CHECK(v.flag && next == 2);
}

static void test_usage(void)
{
	const struct nl_opt opts[] = {
		NL_OPT_FLAG_ROW('f', "flag", NULL, "a flag\nsecond line"),
		NL_OPT_STRING_ROW(0, "a-rather-long-option", NULL, "<value>", "help below"),
		{ .type = NL_OPT_STRING, .long_name = "raw", .argh = "<file>", .flags = NL_OPTF_OPTARG,
		  .help = "optional" },
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "t", usage, opts, 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	nl_opt_usage(f, &cmd);
	fclose(f);
	CHECK_STR(text,
		  "\n usage: netlat t [<options>]\n\n"
		  "    -f, --flag              a flag\n"
		  "                            second line\n"
		  "        --a-rather-long-option <value>\n"
		  "                            help below\n"
		  "        --raw[=<file>]      optional\n"
		  "    -h, --help              show this help\n");
	free(text);
}

int main(void)
{
	test_rows();
	test_refusals();
	test_help();
	test_messages();
	test_optional_and_words();
	test_usage();
	UNIT_DONE();
}
