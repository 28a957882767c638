// SPDX-License-Identifier: GPL-2.0
/*
 * `netlat diff --calibrate A1 A2`: two recordings of the same build and
 * workload show what this machine's noise does to every statistic. The
 * floor of a statistic is the larger of the change between the two medians
 * and half the run-to-run range on either side, in percent of the median;
 * `netlat diff --noise FILE` then counts a change only beyond its floor (on
 * top of the threshold and the significance test).
 *
 * File: one line per statistic, "METRIC STAT.STATISTIC PCT KEY" (KEY last:
 * it is the portable key and may be empty), '#' comments.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/util.h"

static double half_range_pct(const struct nl_spread *s)
{
	if (s->n < 2 || s->median == 0)
		return 0;
	return (s->max - s->min) / fabs(s->median) * 50.0;
}

int nl_noise_write(FILE *out, const struct nl_diff *d)
{
	fprintf(out, "# netlat noise floors: %s vs %s, the same build and workload twice\n"
		"# METRIC STAT.STATISTIC FLOOR_PCT KEY\n", d->base.path, d->new.path);
	for (size_t i = 0; i < d->n; i++) {
		const struct nl_cmp *c = &d->c[i];
		double f = isnan(c->change_pct) ? 100.0 : fabs(c->change_pct);

		if (half_range_pct(&c->sb) > f)
			f = half_range_pct(&c->sb);
		if (half_range_pct(&c->sn) > f)
			f = half_range_pct(&c->sn);
		fprintf(out, "%s %s.%s %.1f %s\n", c->b->metric, c->b->stat, c->b->statistic, f, c->b->key);
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}

static int parse_line(char *s, struct nl_noise_floor *f)
{
	char *metric = strtok(s, " \t"), *name = strtok(NULL, " \t"), *pct = strtok(NULL, " \t");
	char *key = strtok(NULL, "\n"), *end;

	if (!metric || !name || !pct || !strchr(name, '.'))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->pct = strtod(pct, &end);
	if (*end || !isfinite(f->pct) || f->pct < 0)
		return -EINVAL;
	snprintf(f->metric, sizeof(f->metric), "%s", metric);
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->key, sizeof(f->key), "%s", key ? key : "");
	return 0;
}

int nl_noise_load(struct nl_noise *n, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned int lineno = 0;

	memset(n, 0, sizeof(*n));
	if (!f) {
		snprintf(err, errlen, "cannot read noise file '%s': %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		struct nl_noise_floor fl, *p;

		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (parse_line(line, &fl)) {
			snprintf(err, errlen, "%.200s:%u: not 'METRIC STAT.STATISTIC FLOOR_PCT KEY'"
				 " (write one with netlat diff --calibrate)", path, lineno);
			fclose(f);
			nl_noise_free(n);
			return -EINVAL;
		}
		p = realloc(n->f, (n->n + 1) * sizeof(*p));
		if (!p) {
			fclose(f);
			nl_noise_free(n);
			return -ENOMEM;
		}
		n->f = p;
		n->f[n->n++] = fl;
	}
	fclose(f);
	return 0;
}

void nl_noise_free(struct nl_noise *n)
{
	free(n->f);
	memset(n, 0, sizeof(*n));
}

double nl_noise_floor_of(const struct nl_noise *n, const struct nl_item *it)
{
	char name[2 * NL_NAME_MAX];

	snprintf(name, sizeof(name), "%s.%s", it->stat, it->statistic);
	for (size_t i = 0; n && i < n->n; i++)
		if (!strcmp(n->f[i].metric, it->metric) && !strcmp(n->f[i].name, name) &&
		    !strcmp(n->f[i].key, it->key))
			return n->f[i].pct;
	return 0;
}
