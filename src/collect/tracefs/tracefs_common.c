// SPDX-License-Identifier: GPL-2.0
/* Helpers the tracefs metric families share: raw field readers and per-row aggregation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "netlat/hist.h"
#include "netlat/util.h"
#include "tracefs_int.h"

uint64_t tfs_num(const struct tep_format_field *f, const void *data)
{
	unsigned long long v = 0;

	tep_read_number_field((struct tep_format_field *)f, data, &v);
	return v;
}

const char *tfs_str(const struct tep_format_field *f, const void *data, int size,
		    char *out, size_t outlen)
{
	unsigned int off = (unsigned int)f->offset, len = (unsigned int)f->size;
	size_t n;

	out[0] = '\0';
	/* __data_loc: a u32 holding (length << 16 | offset); __rel_loc counts from after itself. */
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		uint32_t loc = (uint32_t)tfs_num(f, data);

		off = loc & 0xffff;
		len = loc >> 16;
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += (unsigned int)(f->offset + f->size);
	}
	if (off >= (unsigned int)size)
		return out;
	if (len > (unsigned int)size - off)
		len = (unsigned int)size - off;
	n = strnlen((const char *)data + off, len);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, (const char *)data + off, n);
	out[n] = '\0';
	return out;
}

void tfs_key_dev(char *key, size_t len, const char *name, uint64_t aux)
{
	(void)aux;
	snprintf(key, len, "dev=%s", name);
}

static bool row_is(const struct tfs_row *row, const char *name, uint64_t aux)
{
	return row->aux == aux && !strcmp(row->name, name);
}

struct tfs_row *tfs_row_get(struct tfs_rows *r, const char *name, uint64_t aux,
			    void (*fmt_key)(char *key, size_t len, const char *name, uint64_t aux))
{
	struct tfs_row *row;

	if (r->last < r->n && row_is(r->v[r->last], name, aux))
		return r->v[r->last];
	for (size_t i = 0; i < r->n; i++) {
		if (row_is(r->v[i], name, aux)) {
			r->last = i;
			return r->v[i];
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct tfs_row **v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			nl_err("out of memory");
			abort();
		}
		r->v = v;
		r->cap = cap;
	}
	row = nl_xcalloc(1, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "%s", name);
	row->aux = aux;
	fmt_key(row->key, sizeof(row->key), name, aux);
	r->last = r->n;
	r->v[r->n++] = row;
	return row;
}

void tfs_row_hist_add(struct tfs_row *row, int idx, uint64_t v)
{
	if (!row->h[idx]) {
		row->h[idx] = nl_xcalloc(1, sizeof(*row->h[idx]));
		nl_hist_reset(row->h[idx]);
	}
	nl_hist_add(row->h[idx], v);
}

void tfs_stage_put(struct tfs_rows *r, unsigned int stage, const char *dev, uint64_t t0, uint64_t t1,
		   void (*fmt_key)(char *key, size_t len, const char *name, uint64_t aux))
{
	struct tfs_row *row;

	if (!t0 || t1 < t0)
		return;
	row = tfs_row_get(r, dev, stage, fmt_key);
	row->active = true;
	row->c[0]++;
	tfs_row_hist_add(row, 0, t1 - t0);
}

static void row_emit(struct tfs_row *row, const struct tfs_row_layout *lay, struct nl_interval *iv)
{
	for (int i = 0; i < TFS_ROW_CTRS; i++) {
		if (lay->ctr[i])
			nl_iv_add_counter(iv, lay->metric, row->key, lay->ctr[i], lay->ctr_unit[i], row->c[i]);
		row->c[i] = 0;
	}
	for (int i = 0; i < TFS_ROW_HISTS; i++) {
		struct nl_hist *h = row->h[i];

		if (!lay->hist[i] || !h || !h->count)
			continue;
		nl_hist_merge(nl_iv_hist(iv, lay->metric, row->key, lay->hist[i], lay->hist_unit[i]), h);
		nl_hist_reset(h);
	}
	row->active = false;
}

void tfs_rows_emit(struct tfs_rows *r, const struct tfs_row_layout *lay, struct nl_interval *iv)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->active)
			row_emit(r->v[i], lay, iv);
}

void tfs_rows_free(struct tfs_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (int k = 0; k < TFS_ROW_HISTS; k++)
			free(r->v[i]->h[k]);
		free(r->v[i]);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct tfs_table_state *tfs_table_state_new(const struct tfs_row_layout *layout)
{
	struct tfs_table_state *s = calloc(1, sizeof(*s));

	if (s)
		s->layout = layout;
	return s;
}

void tfs_table_state_snapshot(void *state, struct nl_interval *iv)
{
	struct tfs_table_state *s = state;

	tfs_rows_emit(&s->rows, s->layout, iv);
}

void tfs_table_state_free(void *state)
{
	struct tfs_table_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->rows);
	free(s);
}
