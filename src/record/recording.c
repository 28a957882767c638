// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory recording: metadata, metric status and intervals of
 * (metric, key, stat) values. File I/O lives in src/record/recording_file.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/recording.h"
#include "netlat/util.h"

/* Names as stored: truncated to the field sizes, so lookups compare like with like. */
struct vname {
	char metric[NL_NAME_MAX];
	char key[NL_KEY_MAX];
	char stat[NL_NAME_MAX];
};

static void vname_set(struct vname *n, const char *metric, const char *key, const char *stat)
{
	snprintf(n->metric, sizeof(n->metric), "%s", metric ? metric : "");
	snprintf(n->key, sizeof(n->key), "%s", key ? key : "");
	snprintf(n->stat, sizeof(n->stat), "%s", stat ? stat : "");
}

/* FNV-1a over the three names, with a separator so ("ab","c") != ("a","bc"). */
static uint32_t vname_hash(const struct vname *n)
{
	const char *parts[3] = { n->metric, n->key, n->stat };
	uint32_t h = 2166136261u;
	const unsigned char *p;
	int i;

	for (i = 0; i < 3; i++) {
		for (p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return h;
}

static bool vname_eq(const struct vname *n, const struct nl_value *v)
{
	return !strcmp(n->metric, v->metric) && !strcmp(n->key, v->key) &&
	       !strcmp(n->stat, v->stat);
}

struct nl_interval *nl_iv_new(uint32_t run, uint64_t start_ns, uint64_t end_ns)
{
	struct nl_interval *iv = nl_xcalloc(1, sizeof(*iv));

	iv->run = run;
	iv->start_ns = start_ns;
	iv->end_ns = end_ns;
	return iv;
}

void nl_iv_free(struct nl_interval *iv)
{
	size_t i;

	if (!iv)
		return;
	for (i = 0; i < iv->n; i++)
		free(iv->v[i].hist);
	free(iv->v);
	free(iv->hidx);
	free(iv);
}

/*
 * Open-addressing index: hidx[slot] holds value index + 1, 0 for empty.
 * Kept at most half full so probes stay short.
 */
static void index_insert(uint32_t *hidx, size_t hcap, uint32_t h, uint32_t vi)
{
	size_t slot = h & (hcap - 1);

	while (hidx[slot])
		slot = (slot + 1) & (hcap - 1);
	hidx[slot] = vi + 1;
}

static void index_rebuild(struct nl_interval *iv, size_t hcap)
{
	struct vname n;
	size_t i;

	free(iv->hidx);
	iv->hidx = nl_xcalloc(hcap, sizeof(*iv->hidx));
	iv->hcap = hcap;
	for (i = 0; i < iv->n; i++) {
		vname_set(&n, iv->v[i].metric, iv->v[i].key, iv->v[i].stat);
		index_insert(iv->hidx, hcap, vname_hash(&n), (uint32_t)i);
	}
}

static struct nl_value *lookup(const struct nl_interval *iv, const struct vname *n)
{
	size_t slot;

	if (!iv->hcap)
		return NULL;
	for (slot = vname_hash(n) & (iv->hcap - 1); iv->hidx[slot];
	     slot = (slot + 1) & (iv->hcap - 1)) {
		struct nl_value *v = &iv->v[iv->hidx[slot] - 1];

		if (vname_eq(n, v))
			return v;
	}
	return NULL;
}

static struct nl_value *append(struct nl_interval *iv, const struct vname *n,
			       const char *unit, uint8_t kind)
{
	struct nl_value *v;

	if (iv->n == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 16;
		struct nl_value *nv = realloc(iv->v, cap * sizeof(*nv));

		if (!nv) {
			nl_err("out of memory");
			abort();
		}
		iv->v = nv;
		iv->cap = cap;
	}
	if ((iv->n + 1) * 2 > iv->hcap)
		index_rebuild(iv, iv->hcap ? iv->hcap * 2 : 32);
	v = &iv->v[iv->n];
	memset(v, 0, sizeof(*v));
	memcpy(v->metric, n->metric, sizeof(v->metric));
	memcpy(v->key, n->key, sizeof(v->key));
	memcpy(v->stat, n->stat, sizeof(v->stat));
	snprintf(v->unit, sizeof(v->unit), "%s", unit ? unit : "");
	v->kind = kind;
	if (kind == NL_HIST)
		v->hist = nl_xcalloc(1, sizeof(*v->hist));
	index_insert(iv->hidx, iv->hcap, vname_hash(n), (uint32_t)iv->n);
	iv->n++;
	return v;
}

/* A (metric, key, stat) used as both a counter and a histogram is a netlat bug, not bad input. */
static void kind_mismatch(const struct nl_value *v)
{
	nl_err("internal error: %s/%s/%s used as both counter and histogram",
	       v->metric, v->key, v->stat);
	abort();
}

static struct nl_value *get_or_create(struct nl_interval *iv, const char *metric,
				      const char *key, const char *stat,
				      const char *unit, uint8_t kind)
{
	struct nl_value *v;
	struct vname n;

	vname_set(&n, metric, key, stat);
	v = lookup(iv, &n);
	if (!v)
		v = append(iv, &n, unit, kind);
	if (v->kind != kind)
		kind_mismatch(v);
	return v;
}

void nl_iv_add_counter(struct nl_interval *iv, const char *metric, const char *key,
		       const char *stat, const char *unit, uint64_t delta)
{
	get_or_create(iv, metric, key, stat, unit, NL_COUNTER)->counter += delta;
}

struct nl_hist *nl_iv_hist(struct nl_interval *iv, const char *metric, const char *key,
			   const char *stat, const char *unit)
{
	return get_or_create(iv, metric, key, stat, unit, NL_HIST)->hist;
}

const struct nl_value *nl_iv_find(const struct nl_interval *iv, const char *metric,
				  const char *key, const char *stat)
{
	struct vname n;

	vname_set(&n, metric, key, stat);
	return lookup(iv, &n);
}

void nl_iv_merge(struct nl_interval *dst, const struct nl_interval *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		const struct nl_value *s = &src->v[i];

		if (s->kind == NL_COUNTER)
			nl_iv_add_counter(dst, s->metric, s->key, s->stat, s->unit, s->counter);
		else if (s->kind == NL_HIST)
			nl_hist_merge(nl_iv_hist(dst, s->metric, s->key, s->stat, s->unit), s->hist);
	}
}

struct nl_recording *nl_rec_new(void)
{
	return nl_xcalloc(1, sizeof(struct nl_recording));
}

void nl_rec_free(struct nl_recording *rec)
{
	size_t i;

	if (!rec)
		return;
	for (i = 0; i < rec->nmeta; i++) {
		free(rec->meta[i].key);
		free(rec->meta[i].val);
	}
	free(rec->meta);
	free(rec->metrics);
	for (i = 0; i < rec->niv; i++)
		nl_iv_free(rec->iv[i]);
	free(rec->iv);
	free(rec);
}

/* Grow an array by one element, zeroed; aborts on OOM like nl_xcalloc. */
static void *grow1(void *arr, size_t n, size_t elem)
{
	char *p = realloc(arr, (n + 1) * elem);

	if (!p) {
		nl_err("out of memory");
		abort();
	}
	memset(p + n * elem, 0, elem);
	return p;
}

void nl_rec_set_meta(struct nl_recording *rec, const char *key, const char *val)
{
	size_t i;

	for (i = 0; i < rec->nmeta; i++) {
		if (!strcmp(rec->meta[i].key, key)) {
			free(rec->meta[i].val);
			rec->meta[i].val = nl_xstrdup(val);
			return;
		}
	}
	rec->meta = grow1(rec->meta, rec->nmeta, sizeof(*rec->meta));
	rec->meta[rec->nmeta].key = nl_xstrdup(key);
	rec->meta[rec->nmeta].val = nl_xstrdup(val);
	rec->nmeta++;
}

void nl_rec_set_metaf(struct nl_recording *rec, const char *key, const char *fmt, ...)
{
	char *val;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		nl_err("out of memory");
		abort();
	}
	nl_rec_set_meta(rec, key, val);
	free(val);
}

const char *nl_rec_meta(const struct nl_recording *rec, const char *key)
{
	size_t i;

	for (i = 0; i < rec->nmeta; i++)
		if (!strcmp(rec->meta[i].key, key))
			return rec->meta[i].val;
	return NULL;
}

const struct nl_metric_status *nl_rec_metric_const(const struct nl_recording *rec, const char *name)
{
	char n[NL_NAME_MAX];
	size_t i;

	snprintf(n, sizeof(n), "%s", name);
	for (i = 0; i < rec->nmetrics; i++)
		if (!strcmp(rec->metrics[i].name, n))
			return &rec->metrics[i];
	return NULL;
}

struct nl_metric_status *nl_rec_metric(struct nl_recording *rec, const char *name, bool create)
{
	struct nl_metric_status *m = (struct nl_metric_status *)nl_rec_metric_const(rec, name);

	if (m || !create)
		return m;
	rec->metrics = grow1(rec->metrics, rec->nmetrics, sizeof(*rec->metrics));
	m = &rec->metrics[rec->nmetrics++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->state = NL_METRIC_OFF;
	return m;
}

struct nl_interval *nl_rec_add_interval(struct nl_recording *rec, uint32_t run,
					uint64_t start_ns, uint64_t end_ns)
{
	struct nl_interval *iv = nl_iv_new(run, start_ns, end_ns);

	rec->iv = grow1(rec->iv, rec->niv, sizeof(*rec->iv));
	rec->iv[rec->niv++] = iv;
	return iv;
}

struct nl_interval *nl_rec_total(const struct nl_recording *rec, int run)
{
	struct nl_interval *tot = nl_iv_new(run < 0 ? 0 : (uint32_t)run, 0, 0);
	bool first = true;
	size_t i;

	for (i = 0; i < rec->niv; i++) {
		const struct nl_interval *iv = rec->iv[i];

		if (run >= 0 && iv->run != (uint32_t)run)
			continue;
		if (first || iv->start_ns < tot->start_ns)
			tot->start_ns = iv->start_ns;
		if (first || iv->end_ns > tot->end_ns)
			tot->end_ns = iv->end_ns;
		first = false;
		nl_iv_merge(tot, iv);
	}
	return tot;
}

uint32_t nl_rec_nruns(const struct nl_recording *rec)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < rec->niv; i++)
		if (rec->iv[i]->run >= n)
			n = rec->iv[i]->run + 1;
	return n;
}

bool nl_key_get(const char *key, const char *field, char *out, size_t outlen)
{
	size_t flen;

	if (!key || !field)
		return false;
	flen = strlen(field);
	while (*key) {
		size_t len = strcspn(key, " ");

		if (len > flen && key[flen] == '=' && !strncmp(key, field, flen)) {
			size_t vlen = len - flen - 1;

			if (out && outlen) {
				if (vlen >= outlen)
					vlen = outlen - 1;
				memcpy(out, key + flen + 1, vlen);
				out[vlen] = '\0';
			}
			return true;
		}
		key += len;
		while (*key == ' ')
			key++;
	}
	return false;
}
