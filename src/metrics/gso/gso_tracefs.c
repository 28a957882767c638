// SPDX-License-Identifier: GPL-2.0
/*
 * gso metric from net:net_dev_start_xmit (the skb as handed to the driver):
 * transmits, wire segments and bytes per device. gso_segs is 0 for a
 * non-GSO skb, which is one segment on the wire.
 */
#include <errno.h>
#include <stdlib.h>

#include "collect/tracefs/tracefs_int.h"
#include "gso/gso.h"

enum { F_NAME, F_LEN, F_GSO_SEGS };
enum { C_XMITS, C_SEGMENTS, C_BYTES };
enum { H_SEGS };

static const struct tfs_row_layout gso_layout = {
	.metric = "gso",
	.ctr = NL_ROW_COUNTER_NAMES(GSO_VAL),
	.ctr_unit = { "", "segs", "bytes" },
	.hist = NL_ROW_HIST_NAMES(GSO_VAL),
	.hist_unit = { "segs" },
};

static void on_start_xmit(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct tfs_table_state *s = ev->priv;
	char dev[TFS_NAME_MAX];
	struct tfs_row *row;
	uint64_t segs = tfs_num(ev->f[F_GSO_SEGS], data);

	(void)cpu;
	(void)ts;
	if (segs == 0)
		segs = 1;
	tfs_str(ev->f[F_NAME], data, size, dev, sizeof(dev));
	row = tfs_row_get(&s->rows, dev, 0, tfs_key_dev);
	row->active = true;
	row->c[C_XMITS]++;
	row->c[C_SEGMENTS] += segs;
	row->c[C_BYTES] += tfs_num(ev->f[F_LEN], data);
	tfs_row_hist_add(row, H_SEGS, segs);
}

static int gso_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "name", "len", "gso_segs", NULL };
	struct tfs_table_state *s = tfs_table_state_new(&gso_layout);
	char filter[96];

	if (!s)
		return -ENOMEM;
	tfs_dev_filter(c, "name", filter, sizeof(filter));
	if (!tfs_event_add(c, "net", "net_dev_start_xmit", fields, on_start_xmit, s, filter, why, whylen)) {
		free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

static const struct tfs_row_layout *const gso_layouts[] = { &gso_layout, NULL };

const struct tfs_family tfs_gso = {
	.metric = "gso",
	.arm = gso_arm,
	.snapshot = tfs_table_state_snapshot,
	.free = tfs_table_state_free,
	.layouts = gso_layouts,
};
