// SPDX-License-Identifier: GPL-2.0
/*
 * Names, labels and order of the exposed metrics (include/netlat/expo.h,
 * docs/metrics.md): one place maps netlat's (metric, key, stat, unit) to
 * what Prometheus sees, for every rendering.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/expo.h"
#include "netlat/metric.h"
#include "netlat/util.h"

/*
 * Without --flow-labels a flow row keeps its other fields and says
 * flow="all": rows of many flows fold into one series per netns, and the
 * label set still differs from the metric's other row shapes, so a flow
 * total never lands in (and doubles) a per-device or per-netns series.
 * A flow's comm and pid name the flow's owner; pid alone (copy rows)
 * is dropped and those rows fold by comm.
 */
void nl_expo_key(const char *key, bool flow_labels, char *out, size_t outlen)
{
	bool flow_row = !strncmp(key, "flow=", 5) || strstr(key, " flow=");
	const char *p = key;
	size_t used = 0;

	out[0] = '\0';
	if (flow_labels) {
		snprintf(out, outlen, "%s", key);
		return;
	}
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char field[NL_KEY_MAX];
		const char *eq = memchr(p, '=', len);
		size_t flen = eq ? (size_t)(eq - p) : len;

		snprintf(field, sizeof(field), "%.*s", (int)flen, p);
		if (!strcmp(field, "flow"))
			used += snprintf(out + used, outlen - used, "%sflow=all", used ? " " : "");
		else if (strcmp(field, "pid") && !(flow_row && !strcmp(field, "comm")))
			used += snprintf(out + used, outlen - used, "%s%.*s", used ? " " : "", (int)len, p);
		if (used >= outlen)
			used = outlen - 1;
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* Stored unit -> (suffix, factor to the base unit). */
static bool base_unit(const char *unit, const char **suffix, double *scale)
{
	static const struct { const char *unit, *suffix; double scale; } units[] = {
		{ "ns", "seconds", 1e-9 },
		{ "bytes", "bytes", 1 },
		{ "pkts", "packets", 1 },
		{ "segs", "segments", 1 },
		{ "", "", 1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(unit, units[i].unit)) {
			*suffix = units[i].suffix;
			*scale = units[i].scale;
			return true;
		}
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* Metric names allow [a-zA-Z0-9_:]; anything else in a stat name becomes '_'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			*s = '_';
}

bool nl_expo_name(const struct nl_value *v, char *name, size_t len, double *scale)
{
	char stat[NL_NAME_MAX];
	const char *suffix;
	size_t n;

	if (!base_unit(v->unit, &suffix, scale))
		return false;
	/* a stat named for its unit ("ns", "busy_ns") drops it: the base unit replaces it */
	snprintf(stat, sizeof(stat), "%s", v->stat);
	n = strlen(stat);
	if (!strcmp(v->unit, "ns") && (!strcmp(stat, "ns") || ends_with(stat, "_ns")))
		stat[n > 2 ? n - 3 : 0] = '\0';
	/* "bytes" counted in bytes is netlat_gso_bytes_total, not netlat_gso_bytes_bytes_total */
	if (!stat[0])
		snprintf(name, len, "netlat_%s_%s", v->metric, suffix);
	else if (suffix[0] && !ends_with(stat, suffix))
		snprintf(name, len, "netlat_%s_%s_%s", v->metric, stat, suffix);
	else
		snprintf(name, len, "netlat_%s_%s", v->metric, stat);
	sanitize(name);
	return true;
}

static size_t put_escaped(char *out, size_t outlen, size_t used, const char *s, size_t n)
{
	for (size_t i = 0; i < n && used + 3 < outlen; i++) {
		char c = s[i];

		if (c == '\\' || c == '"')
			out[used++] = '\\';
		if (c == '\n') {
			out[used++] = '\\';
			c = 'n';
		}
		out[used++] = c;
	}
	out[used] = '\0';
	return used;
}

bool nl_expo_next_label(const char **key, char *name, size_t nlen, char *value, size_t vlen)
{
	const char *p = *key;

	while (*p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);

		*key = p + len;
		while (**key == ' ')
			(*key)++;
		if (eq) {
			snprintf(name, nlen, "%.*s", (int)(eq - p), p);
			sanitize(name);
			snprintf(value, vlen, "%.*s", (int)(len - (size_t)(eq + 1 - p)), eq + 1);
			return true;
		}
		p = *key;
	}
	return false;
}

void nl_expo_labels(const char *key, char *out, size_t outlen)
{
	char name[NL_KEY_MAX], value[NL_KEY_MAX];
	size_t used = 0;

	out[0] = '\0';
	while (used + 8 < outlen && nl_expo_next_label(&key, name, sizeof(name), value, sizeof(value))) {
		used += snprintf(out + used, outlen - used, "%s%s=\"", used ? "," : "", name);
		if (used + 3 < outlen)
			used = put_escaped(out, outlen, used, value, strlen(value));
		if (used + 2 < outlen) {
			out[used++] = '"';
			out[used] = '\0';
		}
	}
}

static int cmp_value(const void *a, const void *b)
{
	const struct nl_value *x = *(const struct nl_value *const *)a;
	const struct nl_value *y = *(const struct nl_value *const *)b;
	int c = strcmp(x->metric, y->metric);

	if (!c)
		c = strcmp(x->stat, y->stat);
	if (!c)
		c = strcmp(x->key, y->key);
	return c;
}

const struct nl_value **nl_expo_sorted(const struct nl_interval *iv, size_t *n)
{
	const struct nl_value **out = nl_xcalloc(iv->n ? iv->n : 1, sizeof(*out));
	size_t k = 0;

	for (size_t i = 0; i < iv->n; i++) {
		char name[NL_EXPO_NAME_MAX];
		double scale;

		if (nl_expo_name(&iv->v[i], name, sizeof(name), &scale))
			out[k++] = &iv->v[i];
	}
	qsort(out, k, sizeof(*out), cmp_value);
	*n = k;
	return out;
}

const char *nl_expo_help(const struct nl_value *v)
{
	const struct nl_metric_desc *m = nl_metric_find(v->metric);
	const struct nl_stat_desc *s = m ? nl_metric_stat(m, v->stat) : NULL;

	if (s && s->help)
		return s->help;
	if (!strcmp(v->metric, "session") && !strcmp(v->stat, "lost_events"))
		return "events the kernel dropped before netlat read them (ring buffer overruns, BPF recursion misses)";
	if (!strcmp(v->metric, "session") && !strcmp(v->stat, "events"))
		return "tracepoint hits netlat handled";
	return "netlat value";
}
