// SPDX-License-Identifier: GPL-2.0
/*
 * The one JSON writer (bpftool's json_writer is the model): it tracks
 * nesting and commas, so callers only say begin/key/value/end, and all
 * escaping happens in write_string().
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "netlat/json.h"
#include "netlat/util.h"

struct nl_json {
	FILE *out;
	bool pretty;
	bool after_key;		/* a key was written; its value comes next */
	int depth;
	int cap;		/* entries in has_items */
	bool *has_items;	/* per level: something written already */
};

struct nl_json *nl_json_new(FILE *out, bool pretty)
{
	struct nl_json *j = nl_xcalloc(1, sizeof(*j));

	j->out = out;
	j->pretty = pretty;
	j->cap = 16;
	j->has_items = nl_xcalloc((size_t)j->cap, sizeof(*j->has_items));
	return j;
}

void nl_json_free(struct nl_json *j)
{
	if (!j)
		return;
	free(j->has_items);
	free(j);
}

static void indent(struct nl_json *j)
{
	int i;

	fputc('\n', j->out);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Comma and line break before a new item (key or value) at the current level. */
static void item_sep(struct nl_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->has_items[j->depth])
		fputc(',', j->out);
	if (j->pretty)
		indent(j);
	j->has_items[j->depth] = true;
}

/* A top-level value is complete: end the line so the output is a text file. */
static void value_done(struct nl_json *j)
{
	if (j->depth == 0)
		fputc('\n', j->out);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s starts an invalid one. */
static int utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;	/* continuation byte, overlong 0xc0/0xc1, or > U+10FFFF */
	/* Second-byte limits exclude overlongs, surrogates and code points past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		int n = utf8_len(s);

		if (*s == '"' || *s == '\\') {
			fputc('\\', out);
			fputc(*s, out);
		} else if (*s == '\n') {
			fputs("\\n", out);
		} else if (*s == '\t') {
			fputs("\\t", out);
		} else if (*s == '\r') {
			fputs("\\r", out);
		} else if (*s < 0x20 || *s == 0x7f || n == 0) {
			/* Control characters, and bytes that are not UTF-8 (a device name is just bytes). */
			fprintf(out, "\\u%04x", *s);
		} else {
			fwrite(s, 1, (size_t)n, out);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', out);
}

static void open_container(struct nl_json *j, char c)
{
	item_sep(j);
	fputc(c, j->out);
	if (j->depth + 1 >= j->cap) {
		bool *n = realloc(j->has_items, (size_t)j->cap * 2 * sizeof(*n));

		if (!n) {
			nl_err("out of memory");
			abort();
		}
		j->has_items = n;
		j->cap *= 2;
	}
	j->depth++;
	j->has_items[j->depth] = false;
}

static void close_container(struct nl_json *j, char c)
{
	bool had = j->has_items[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && had)
		indent(j);
	fputc(c, j->out);
	j->after_key = false;
	value_done(j);
}

void nl_json_obj_begin(struct nl_json *j)
{
	open_container(j, '{');
}

void nl_json_obj_end(struct nl_json *j)
{
	close_container(j, '}');
}

void nl_json_arr_begin(struct nl_json *j)
{
	open_container(j, '[');
}

void nl_json_arr_end(struct nl_json *j)
{
	close_container(j, ']');
}

void nl_json_key(struct nl_json *j, const char *key)
{
	item_sep(j);
	write_string(j->out, key ? key : "");
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void nl_json_str(struct nl_json *j, const char *s)
{
	if (!s) {
		nl_json_null(j);
		return;
	}
	item_sep(j);
	write_string(j->out, s);
	value_done(j);
}

void nl_json_u64(struct nl_json *j, uint64_t v)
{
	item_sep(j);
	fprintf(j->out, "%" PRIu64, v);
	value_done(j);
}

void nl_json_i64(struct nl_json *j, int64_t v)
{
	item_sep(j);
	fprintf(j->out, "%" PRId64, v);
	value_done(j);
}

void nl_json_double(struct nl_json *j, double v)
{
	if (!isfinite(v)) {
		nl_json_null(j);
		return;
	}
	item_sep(j);
	/* %.15g round-trips what a report shows and never prints "inf" or "nan". */
	fprintf(j->out, "%.15g", v);
	value_done(j);
}

void nl_json_bool(struct nl_json *j, bool v)
{
	item_sep(j);
	fputs(v ? "true" : "false", j->out);
	value_done(j);
}

void nl_json_null(struct nl_json *j)
{
	item_sep(j);
	fputs("null", j->out);
	value_done(j);
}

void nl_json_kv_str(struct nl_json *j, const char *k, const char *v)
{
	nl_json_key(j, k);
	nl_json_str(j, v);
}

void nl_json_kv_u64(struct nl_json *j, const char *k, uint64_t v)
{
	nl_json_key(j, k);
	nl_json_u64(j, v);
}

void nl_json_kv_double(struct nl_json *j, const char *k, double v)
{
	nl_json_key(j, k);
	nl_json_double(j, v);
}

void nl_json_kv_bool(struct nl_json *j, const char *k, bool v)
{
	nl_json_key(j, k);
	nl_json_bool(j, v);
}
