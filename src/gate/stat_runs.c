// SPDX-License-Identifier: GPL-2.0
/* Runs of a `netlat stat` file: add one, finish the file, keep one for `report --run`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/stat.h"
#include "netlat/util.h"

/* Metadata the record loop sets once per call: kept per run as run.K.<key>. */
static const char *const per_run_meta[] = {
	"duration_ns", "command_exit", "start_realtime_ns", "collector", "stopped_by_signal",
};

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	*out = strtoull(s, &end, 10);
	return !*end;
}

static const char *run_meta(const struct nl_recording *rec, uint32_t run, const char *key)
{
	char name[64];

	snprintf(name, sizeof(name), "run.%u.%s", run, key);
	return nl_rec_meta(rec, name);
}

double nl_stat_run_duration_s(const struct nl_recording *rec, uint32_t run)
{
	uint64_t ns, lo = UINT64_MAX, hi = 0;

	if (parse_u64(run_meta(rec, run, "duration_ns"), &ns))
		return (double)ns / 1e9;
	if (nl_rec_nruns(rec) == 1 && parse_u64(nl_rec_meta(rec, "duration_ns"), &ns))
		return (double)ns / 1e9;
	for (size_t i = 0; i < rec->niv; i++) {
		if (rec->iv[i]->run != run)
			continue;
		if (rec->iv[i]->start_ns < lo)
			lo = rec->iv[i]->start_ns;
		if (rec->iv[i]->end_ns > hi)
			hi = rec->iv[i]->end_ns;
	}
	return hi > lo ? (double)(hi - lo) / 1e9 : 0.0;
}

/* Metric status: the first run's is the file's; a later run on another backend is worth a line. */
static void merge_status(struct nl_recording *dst, const struct nl_recording *one, uint32_t run)
{
	for (size_t i = 0; i < one->nmetrics; i++) {
		const struct nl_metric_status *s = &one->metrics[i];
		struct nl_metric_status *d = nl_rec_metric(dst, s->name, false);

		if (!d) {
			d = nl_rec_metric(dst, s->name, true);
			*d = *s;
			continue;
		}
		if (d->state != s->state || strcmp(d->backend, s->backend))
			nl_warn("run %u: metric %s measured by '%s', run 0 by '%s': runs may differ",
				run, s->name, s->state == NL_METRIC_OK ? s->backend : "nothing",
				d->state == NL_METRIC_OK ? d->backend : "nothing");
		if (d->state != NL_METRIC_OK && s->state == NL_METRIC_OK)
			*d = *s;
	}
}

void nl_stat_add_run(struct nl_recording *dst, const struct nl_recording *one, uint32_t run)
{
	char name[64];

	for (size_t i = 0; i < one->nmeta; i++) {
		const char *k = one->meta[i].key;

		/* namespace names and qdisc kinds of every run: a run may create its own */
		if (run == 0 || ((!strncmp(k, "netns.", 6) || !strncmp(k, "qdisc.", 6)) &&
				 !nl_rec_meta(dst, k)))
			nl_rec_set_meta(dst, k, one->meta[i].val);
	}
	for (size_t i = 0; i < ARRAY_SIZE(per_run_meta); i++) {
		const char *v = nl_rec_meta(one, per_run_meta[i]);

		if (!v)
			continue;
		snprintf(name, sizeof(name), "run.%u.%s", run, per_run_meta[i]);
		nl_rec_set_meta(dst, name, v);
	}
	merge_status(dst, one, run);
	for (size_t i = 0; i < one->niv; i++) {
		const struct nl_interval *src = one->iv[i];
		struct nl_interval *d = nl_rec_add_interval(dst, run, src->start_ns, src->end_ns);

		nl_iv_merge(d, src);
	}
}

void nl_stat_finish(struct nl_recording *dst, uint32_t nruns)
{
	uint64_t sum = 0, ns;
	const char *bad_exit = NULL, *any_exit = NULL;

	for (uint32_t k = 0; k < nruns; k++) {
		const char *e = run_meta(dst, k, "command_exit");

		if (parse_u64(run_meta(dst, k, "duration_ns"), &ns))
			sum += ns;
		if (e && !any_exit)
			any_exit = e;
		if (e && strcmp(e, "0") && !bad_exit)
			bad_exit = e;
	}
	nl_rec_set_metaf(dst, "runs", "%u", nruns);
	/* all runs merged: counts are sums, so rates need the summed duration */
	nl_rec_set_metaf(dst, "duration_ns", "%llu", (unsigned long long)sum);
	if (bad_exit || any_exit)
		nl_rec_set_meta(dst, "command_exit", bad_exit ? bad_exit : any_exit);
}

int nl_stat_keep_run(struct nl_recording *rec, uint32_t run)
{
	const char *v;
	size_t kept = 0;

	if (run >= nl_rec_nruns(rec))
		return -ENOENT;
	for (size_t i = 0; i < rec->niv; i++) {
		if (rec->iv[i]->run == run)
			rec->iv[kept++] = rec->iv[i];
		else
			nl_iv_free(rec->iv[i]);
	}
	rec->niv = kept;
	for (size_t i = 0; i < ARRAY_SIZE(per_run_meta); i++) {
		v = run_meta(rec, run, per_run_meta[i]);
		if (v)
			nl_rec_set_meta(rec, per_run_meta[i], v);
	}
	return 0;
}
