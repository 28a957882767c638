// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: exact output in compact and pretty mode, escaping, deep nesting. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/json.h"
#include "unit.h"

/* Run fn on a writer over a memory stream and return what it wrote (caller frees). */
static char *render(void (*fn)(struct nl_json *), bool pretty)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct nl_json *j = nl_json_new(f, pretty);

	fn(j);
	nl_json_free(j);
	fclose(f);
	return out;
}

static void doc(struct nl_json *j)
{
	nl_json_obj_begin(j);
	nl_json_kv_str(j, "name", "napi");
	nl_json_kv_u64(j, "big", UINT64_MAX);
	nl_json_key(j, "neg");
	nl_json_i64(j, INT64_MIN);
	nl_json_kv_double(j, "ratio", 0.25);
	nl_json_kv_double(j, "nan", NAN);
	nl_json_kv_double(j, "inf", -INFINITY);
	nl_json_kv_bool(j, "ok", true);
	nl_json_kv_bool(j, "bad", false);
	nl_json_key(j, "none");
	nl_json_null(j);
	nl_json_kv_str(j, "nullstr", NULL);
	nl_json_key(j, "list");
	nl_json_arr_begin(j);
	nl_json_u64(j, 1);
	nl_json_str(j, "two");
	nl_json_obj_begin(j);
	nl_json_obj_end(j);
	nl_json_arr_begin(j);
	nl_json_arr_end(j);
	nl_json_obj_begin(j);
	nl_json_kv_u64(j, "x", 3);
	nl_json_obj_end(j);
	nl_json_arr_end(j);
	nl_json_key(j, "empty");
	nl_json_obj_begin(j);
	nl_json_obj_end(j);
	nl_json_obj_end(j);
}

static void test_compact(void)
{
	char *s = render(doc, false);

	CHECK_STR(s, "{\"name\":\"napi\",\"big\":18446744073709551615,"
		  "\"neg\":-9223372036854775808,\"ratio\":0.25,\"nan\":null,\"inf\":null,"
		  "\"ok\":true,\"bad\":false,\"none\":null,\"nullstr\":null,"
		  "\"list\":[1,\"two\",{},[],{\"x\":3}],\"empty\":{}}\n");
	free(s);
}

static void test_pretty(void)
{
	char *s = render(doc, true);

	CHECK_STR(s,
		  "{\n"
		  "  \"name\": \"napi\",\n"
		  "  \"big\": 18446744073709551615,\n"
		  "  \"neg\": -9223372036854775808,\n"
		  "  \"ratio\": 0.25,\n"
		  "  \"nan\": null,\n"
		  "  \"inf\": null,\n"
		  "  \"ok\": true,\n"
		  "  \"bad\": false,\n"
		  "  \"none\": null,\n"
		  "  \"nullstr\": null,\n"
		  "  \"list\": [\n"
		  "    1,\n"
		  "    \"two\",\n"
		  "    {},\n"
		  "    [],\n"
		  "    {\n"
		  "      \"x\": 3\n"
		  "    }\n"
		  "  ],\n"
		  "  \"empty\": {}\n"
		  "}\n");
	free(s);
}

static const char *esc_in;

static void one_string(struct nl_json *j)
{
	nl_json_str(j, esc_in);
}

static void check_escape(const char *in, const char *want)
{
	char *s;

	esc_in = in;
	s = render(one_string, false);
	CHECK_STR(s, want);
	free(s);
}

static void test_escaping(void)
{
	check_escape("plain", "\"plain\"\n");
	check_escape("", "\"\"\n");
	check_escape("q\"b\\s/", "\"q\\\"b\\\\s/\"\n");
	check_escape("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"\n");
	check_escape("\x01\x08\x0c\x1f\x7f", "\"\\u0001\\u0008\\u000c\\u001f\\u007f\"\n");
	/* valid UTF-8 passes through: é, €, U+1F600 */
	check_escape("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n");
	/* bytes that are not UTF-8 become \u00XX, one per byte */
	check_escape("\xff\xfe", "\"\\u00ff\\u00fe\"\n");
	check_escape("\xc0\x80", "\"\\u00c0\\u0080\"\n");			/* overlong NUL */
	check_escape("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"\n");		/* surrogate */
	check_escape("\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"\n");		/* overlong '/' */
	check_escape("\xf0\x8f\xbf\xbf", "\"\\u00f0\\u008f\\u00bf\\u00bf\"\n");	/* overlong U+FFFF */
	check_escape("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"\n");			/* U+10FFFF is valid */
	check_escape("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"\n");	/* > U+10FFFF */
	check_escape("x\xe2\x82", "\"x\\u00e2\\u0082\"\n");			/* cut short at the end */
	check_escape("\xe2\x82z", "\"\\u00e2\\u0082z\"\n");
	check_escape("\x80", "\"\\u0080\"\n");					/* lone continuation */
}

static void keys_escaped(struct nl_json *j)
{
	nl_json_obj_begin(j);
	nl_json_kv_u64(j, "dev=\"x\"\n", 1);
	nl_json_obj_end(j);
}

static void test_key_escape(void)
{
	char *s = render(keys_escaped, false);

	CHECK_STR(s, "{\"dev=\\\"x\\\"\\n\":1}\n");
	free(s);
}

/* Deeper than the writer's initial level stack: must stay balanced. */
static void deep(struct nl_json *j)
{
	int i;

	for (i = 0; i < 200; i++) {
		nl_json_arr_begin(j);
		nl_json_u64(j, (uint64_t)i);
	}
	for (i = 0; i < 200; i++)
		nl_json_arr_end(j);
}

static void test_deep(void)
{
	char *s = render(deep, false);
	int depth = 0, min_depth = 0, commas = 0;
	const char *p;

	for (p = s; *p; p++) {
		depth += *p == '[';
		depth -= *p == ']';
		commas += *p == ',';
		if (depth < min_depth)
			min_depth = depth;
	}
	CHECK_EQ_U64(depth, 0);
	CHECK_EQ_U64(min_depth, 0);
	CHECK_EQ_U64(commas, 199);		/* "[0,[1,[2,...[199]]]" */
	CHECK(!strncmp(s, "[0,[1,[2,", 9));
	CHECK(strstr(s, "[199]]]") != NULL);
	free(s);
}

static void doubles(struct nl_json *j)
{
	nl_json_arr_begin(j);
	nl_json_double(j, 1.0);
	nl_json_double(j, -0.5);
	nl_json_double(j, 1e300);
	nl_json_double(j, 0.1);
	nl_json_double(j, NAN);
	nl_json_arr_end(j);
}

static void test_doubles(void)
{
	char *s = render(doubles, false);

	CHECK_STR(s, "[1,-0.5,1e+300,0.1,null]\n");
	free(s);
}

static void top_scalars(struct nl_json *j)
{
	nl_json_u64(j, 5);
	nl_json_bool(j, false);
}

static void test_top_level(void)
{
	char *s = render(top_scalars, true);

	CHECK_STR(s, "5\nfalse\n");
	free(s);
}

int main(void)
{
	test_compact();
	test_pretty();
	test_escaping();
	test_key_escape();
	test_deep();
	test_doubles();
	test_top_level();
	UNIT_DONE();
}
