/* SPDX-License-Identifier: GPL-2.0 */
/* The one JSON writer: nesting, commas and escaping live here and nowhere else. */
#ifndef NETLAT_JSON_H
#define NETLAT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct nl_json;

struct nl_json *nl_json_new(FILE *out, bool pretty);
void nl_json_free(struct nl_json *j);	/* does not close out */

void nl_json_obj_begin(struct nl_json *j);
void nl_json_obj_end(struct nl_json *j);
void nl_json_arr_begin(struct nl_json *j);
void nl_json_arr_end(struct nl_json *j);
void nl_json_key(struct nl_json *j, const char *key);	/* inside an object, before a value */

void nl_json_str(struct nl_json *j, const char *s);
void nl_json_u64(struct nl_json *j, uint64_t v);
void nl_json_i64(struct nl_json *j, int64_t v);
void nl_json_double(struct nl_json *j, double v);	/* NaN/inf are written as null */
void nl_json_bool(struct nl_json *j, bool v);
void nl_json_null(struct nl_json *j);

/* key + value shorthands */
void nl_json_kv_str(struct nl_json *j, const char *k, const char *v);
void nl_json_kv_u64(struct nl_json *j, const char *k, uint64_t v);
void nl_json_kv_double(struct nl_json *j, const char *k, double v);
void nl_json_kv_bool(struct nl_json *j, const char *k, bool v);

#endif
