// SPDX-License-Identifier: GPL-2.0
/*
 * Triage output. The text form is stable for scripts: one block per
 * finding starting "#<rank> [<score>] <rule>: <what>", then indented
 * "numbers:", "where:", "next:" lines; after the findings, one "checked:"
 * line and one "not checked: <rule>: <why>" line per rule that could not run.
 */
#include <inttypes.h>
#include <string.h>

#include "netlat/json.h"
#include "netlat/triage.h"
#include "netlat/util.h"

static void print_header(FILE *out, const struct nl_triage_in *in, const struct nl_triage *t)
{
	const char *host = nl_rec_meta(in->rec, "host");
	const char *coll = nl_rec_meta(in->rec, "collector");

	fprintf(out, "# netlat triage: %.2fs recorded on %s, collector %s", in->seconds,
		host ? host : "?", coll ? coll : "?");
	if (in->dev && in->dev[0])
		fprintf(out, ", dev %s", in->dev);
	if (in->netns)
		fprintf(out, ", netns %" PRIu64, in->netns);
	fprintf(out, "\n");
	if (!t->nf)
		fprintf(out, "\nno findings\n");
	else
		fprintf(out, "\n%zu finding%s, most severe first\n", t->nf, t->nf == 1 ? "" : "s");
}

void nl_triage_print_text(FILE *out, const struct nl_triage_in *in, const struct nl_triage *t)
{
	print_header(out, in, t);
	for (size_t i = 0; i < t->nf; i++) {
		const struct nl_finding *f = &t->f[i];

		fprintf(out, "\n#%zu [%.0f] %s: %s%s%s%s\n", i + 1, f->score, f->rule, f->what,
			f->caused_by[0] ? " (" : "", f->caused_by, f->caused_by[0] ? ")" : "");
		fprintf(out, "    numbers: %s\n", f->evidence);
		fprintf(out, "    where:   %s\n", f->where);
		fprintf(out, "    next:    %s\n", f->next);
		if (f->qualified)
			fprintf(out, "    note:    the recording lost events, so these numbers may be low\n");
	}
	fprintf(out, "\nchecked:");
	for (size_t i = 0; i < t->nchecked; i++)
		fprintf(out, "%s%s", i ? ", " : " ", t->checked[i]);
	fprintf(out, "%s\n", t->nchecked ? "" : " nothing");
	for (size_t i = 0; i < t->nskipped; i++)
		fprintf(out, "not checked: %s: %s\n", t->skipped[i].rule, t->skipped[i].why);
}

void nl_triage_print_json(FILE *out, const struct nl_triage_in *in, const struct nl_triage *t)
{
	struct nl_json *j = nl_json_new(out, true);

	nl_json_obj_begin(j);
	nl_json_kv_double(j, "seconds", in->seconds);
	nl_json_kv_str(j, "dev", in->dev ? in->dev : "");
	nl_json_kv_u64(j, "netns", in->netns);
	nl_json_key(j, "findings");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < t->nf; i++) {
		const struct nl_finding *f = &t->f[i];

		nl_json_obj_begin(j);
		nl_json_kv_u64(j, "rank", i + 1);
		nl_json_kv_str(j, "rule", f->rule);
		nl_json_kv_double(j, "score", f->score);
		nl_json_kv_str(j, "what", f->what);
		nl_json_kv_str(j, "numbers", f->evidence);
		nl_json_kv_str(j, "where", f->where);
		nl_json_kv_str(j, "next", f->next);
		nl_json_kv_bool(j, "qualified", f->qualified);
		nl_json_kv_str(j, "caused_by", f->caused_by);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
	nl_json_key(j, "checked");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < t->nchecked; i++)
		nl_json_str(j, t->checked[i]);
	nl_json_arr_end(j);
	nl_json_key(j, "not_checked");
	nl_json_arr_begin(j);
	for (size_t i = 0; i < t->nskipped; i++) {
		nl_json_obj_begin(j);
		nl_json_kv_str(j, "rule", t->skipped[i].rule);
		nl_json_kv_str(j, "why", t->skipped[i].why);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
	nl_json_obj_end(j);
	nl_json_free(j);
	fputc('\n', out);
}
