// SPDX-License-Identifier: GPL-2.0
/*
 * The text expositions: Prometheus 0.0.4 and OpenMetrics 1.0.0. They
 * differ in three places only: a counter family is named without _total
 * in OpenMetrics (its samples keep it), OpenMetrics says a family's unit
 * (# UNIT) and ends with "# EOF".
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/expo.h"
#include "netlat/hist.h"

struct text_out {
	FILE *f;
	bool om;
};

/* # HELP / # TYPE (/ # UNIT) of a family; name is the family name without _total. */
static void family(struct text_out *t, const char *name, const char *type, const char *unit,
		   const char *help)
{
	const char *total = !t->om && !strcmp(type, "counter") ? "_total" : "";

	fprintf(t->f, "# HELP %s%s ", name, total);
	/* help text: escape backslash and newline, as both formats ask */
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", t->f);
		else if (*p == '\n')
			fputs("\\n", t->f);
		else
			fputc(*p, t->f);
	}
	fprintf(t->f, "\n# TYPE %s%s %s\n", name, total, type);
	if (t->om && unit[0])
		fprintf(t->f, "# UNIT %s %s\n", name, unit);
}

static void sample(struct text_out *t, const char *name, const char *suffix, const char *labels,
		   const char *extra, double v)
{
	bool any = labels[0] || extra[0];

	fprintf(t->f, "%s%s%s%s%s%s%s %.17g\n", name, suffix, any ? "{" : "", labels,
		labels[0] && extra[0] ? "," : "", extra, any ? "}" : "", v);
}

/* Family unit for # UNIT: the base unit a name ends with, if any. */
static const char *name_unit(const char *name)
{
	static const char *const units[] = { "seconds", "bytes", "packets", "segments" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t k = strlen(units[i]);

		if (n > k && name[n - k - 1] == '_' && !strcmp(name + n - k, units[i]))
			return units[i];
	}
	return "";
}

static void hist_samples(struct text_out *t, const char *name, const char *labels,
			 const struct nl_value *v, double scale, const struct nl_expo_opts *o)
{
	uint64_t edges[NL_EXPO_EDGES_MAX];
	size_t n = nl_expo_edges(v->unit, o->per_octave, edges, NL_EXPO_EDGES_MAX);
	unsigned int idx = 0;
	uint64_t below = 0;
	char le[48];

	for (size_t k = 0; k < n; k++) {
		/* everything in the netlat buckets below edge k */
		for (unsigned int stop = nl_hist_index(edges[k]); idx < stop; idx++)
			below += v->hist->buckets[idx];
		snprintf(le, sizeof(le), "le=\"%.10g\"", nl_expo_le(v->unit, edges[k], scale));
		sample(t, name, "_bucket", labels, le, (double)below);
	}
	sample(t, name, "_bucket", labels, "le=\"+Inf\"", (double)v->hist->count);
	sample(t, name, "_sum", labels, "", (double)v->hist->sum * scale);
	sample(t, name, "_count", labels, "", (double)v->hist->count);
}

static void netlat_values(struct text_out *t, const struct nl_interval *iv, const struct nl_expo_opts *o)
{
	size_t n;
	const struct nl_value **vals = nl_expo_sorted(iv, &n);
	char name[NL_EXPO_NAME_MAX], prev[NL_EXPO_NAME_MAX] = "";
	char labels[NL_EXPO_LABELS_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_value *v = vals[i];
		bool hist = v->kind == NL_HIST;
		double scale;

		nl_expo_name(v, name, sizeof(name), &scale);
		if (strcmp(name, prev)) {
			family(t, name, hist ? "histogram" : "counter", name_unit(name), nl_expo_help(v));
			snprintf(prev, sizeof(prev), "%s", name);
		}
		nl_expo_labels(v->key, labels, sizeof(labels));
		if (hist)
			hist_samples(t, name, labels, v, scale, o);
		else
			sample(t, name, "_total", labels, "", (double)v->counter * scale);
	}
	free(vals);
}

/* netlat's own cost and health (exposition_self.c). */
static void self_values(struct text_out *t, const struct nl_expo_self *s)
{
	struct nl_expo_simple fams[8];
	size_t n = nl_expo_self_list(s, fams, 8);
	char labels[NL_EXPO_LABELS_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_expo_simple *f = &fams[i];

		family(t, f->name, f->counter ? "counter" : "gauge", f->unit, f->help);
		for (size_t k = 0; k < f->n; k++) {
			nl_expo_labels(f->s[k].key, labels, sizeof(labels));
			sample(t, f->name, f->counter ? "_total" : "", labels, "", f->s[k].value);
		}
	}
}

void nl_expo_text(FILE *f, const struct nl_interval *iv, const struct nl_expo_self *self,
		  const struct nl_expo_opts *o, bool openmetrics)
{
	struct text_out t = { .f = f, .om = openmetrics };

	if (iv)
		netlat_values(&t, iv, o);
	self_values(&t, self);
	if (openmetrics)
		fputs("# EOF\n", f);
}
