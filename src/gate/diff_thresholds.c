// SPDX-License-Identifier: GPL-2.0
/* Threshold specs ("qdisc.sojourn.p99=+10%"), threshold files, and which one applies to an item. */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/util.h"

/* "+10%", "-5%", "+0", "+2.5", "off" into t. */
static int parse_value(const char *v, struct nl_threshold *t, char *err, size_t errlen)
{
	char *end;
	size_t n = strlen(v);

	if (!strcmp(v, "off") || !strcmp(v, "none")) {
		t->dir = 0;
		return 0;
	}
	if ((v[0] != '+' && v[0] != '-') || n < 2) {
		snprintf(err, errlen, "threshold value '%s' needs a sign saying which way is worse"
			 " (+10%%: an increase is worse, -5%%: a decrease), or 'off'", v);
		return -EINVAL;
	}
	t->dir = v[0] == '+' ? +1 : -1;
	t->pct = v[n - 1] == '%';
	errno = 0;
	t->limit = strtod(v + 1, &end);
	if (errno || end == v + 1 || *end != (t->pct ? '%' : '\0') || (t->pct && end[1]) ||
	    !isfinite(t->limit) || t->limit < 0 || v[1] == '-' || v[1] == '+') {
		snprintf(err, errlen, "threshold value '%s' is not like +10%%, -5%%, +0 or off", v);
		return -EINVAL;
	}
	return 0;
}

/* "metric.stat[.statistic]": two or three non-empty parts; "p99.9" is accepted for p999. */
static int check_pattern(char *p, char *err, size_t errlen)
{
	char *dot1 = strchr(p, '.'), *dot2, *alias;

	if (!dot1 || dot1 == p || !dot1[1] || dot1[1] == '.') {
		snprintf(err, errlen, "threshold '%s' is not METRIC.STAT[.STATISTIC]", p);
		return -EINVAL;
	}
	alias = strstr(p, ".p99.9");
	if (alias && !alias[6])
		memmove(alias + 4, alias + 5, 2);	/* ".p99.9" -> ".p999" */
	dot2 = strchr(dot1 + 1, '.');
	if (dot2 && (!dot2[1] || strchr(dot2 + 1, '.'))) {
		snprintf(err, errlen, "threshold '%s' is not METRIC.STAT[.STATISTIC]", p);
		return -EINVAL;
	}
	return 0;
}

int nl_threshold_parse(const char *spec, const char *origin, struct nl_threshold *out,
		       char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	size_t plen = eq ? (size_t)(eq - spec) : 0;

	memset(out, 0, sizeof(*out));
	if (!eq || !plen || plen >= sizeof(out->pattern) || strlen(eq + 1) >= sizeof(out->spec)) {
		snprintf(err, errlen, "threshold '%s' is not METRIC.STAT[.STATISTIC]=VALUE"
			 " (e.g. qdisc.sojourn.p99=+10%%)", spec);
		return -EINVAL;
	}
	memcpy(out->pattern, spec, plen);
	out->pattern[plen] = '\0';
	snprintf(out->spec, sizeof(out->spec), "%s", eq + 1);
	snprintf(out->origin, sizeof(out->origin), "%s", origin);
	if (check_pattern(out->pattern, err, errlen))
		return -EINVAL;
	return parse_value(out->spec, out, err, errlen);
}

int nl_thresholds_add(struct nl_thresholds *ts, const char *spec, const char *origin,
		      char *err, size_t errlen)
{
	struct nl_threshold t, *p;
	int e = nl_threshold_parse(spec, origin, &t, err, errlen);

	if (e)
		return e;
	p = realloc(ts->t, (ts->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	ts->t = p;
	ts->t[ts->n++] = t;
	return 0;
}

/* Strip a comment and surrounding blanks in place; returns the start. */
static char *trim_line(char *s)
{
	char *e;

	s[strcspn(s, "#\n")] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int nl_thresholds_load(struct nl_thresholds *ts, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512], origin[64], why[192];
	unsigned int lineno = 0;
	int e = 0;

	if (!f) {
		e = -errno;
		snprintf(err, errlen, "cannot read thresholds file '%s': %s", path, strerror(errno));
		return e;
	}
	while (!e && fgets(line, sizeof(line), f)) {
		char *s = trim_line(line);

		lineno++;
		if (!*s)
			continue;
		snprintf(origin, sizeof(origin), "%.50s:%u", path, lineno);
		e = nl_thresholds_add(ts, s, origin, why, sizeof(why));
		if (e)
			snprintf(err, errlen, "%s: %s", origin, why);
	}
	fclose(f);
	return e;
}

void nl_thresholds_free(struct nl_thresholds *ts)
{
	free(ts->t);
	ts->t = NULL;
	ts->n = 0;
}

/* Part i (0-based, '.'-separated) of pattern into out; "" when absent. */
static void pattern_part(const char *pattern, int i, char *out, size_t len)
{
	const char *p = pattern;

	for (; i > 0 && p; i--) {
		p = strchr(p, '.');
		if (p)
			p++;
	}
	if (!p) {
		out[0] = '\0';
		return;
	}
	snprintf(out, len, "%.*s", (int)strcspn(p, "."), p);
}

bool nl_threshold_matches(const struct nl_threshold *t, const struct nl_item *it)
{
	char m[NL_NAME_MAX + 8], s[NL_NAME_MAX + 8], st[NL_NAME_MAX + 8];

	if (t->unit[0] && strcmp(t->unit, it->unit))
		return false;
	pattern_part(t->pattern, 0, m, sizeof(m));
	pattern_part(t->pattern, 1, s, sizeof(s));
	pattern_part(t->pattern, 2, st, sizeof(st));
	if (fnmatch(m, it->metric, 0) || fnmatch(s, it->stat, 0))
		return false;
	return !st[0] || !fnmatch(st, it->statistic, 0);
}

const struct nl_threshold *nl_threshold_for(const struct nl_thresholds *user, const struct nl_item *it)
{
	const struct nl_threshold *def;
	size_t ndef;

	/* later user thresholds override earlier ones, like later command-line options */
	for (size_t i = user ? user->n : 0; i > 0; i--)
		if (nl_threshold_matches(&user->t[i - 1], it))
			return user->t[i - 1].dir ? &user->t[i - 1] : NULL;
	def = nl_default_thresholds(&ndef);
	for (size_t i = 0; i < ndef; i++)
		if (nl_threshold_matches(&def[i], it))
			return &def[i];
	return NULL;
}
