// SPDX-License-Identifier: GPL-2.0
/* napi metric from napi:napi_poll: polls, work per poll and budget exhaustion per device. */
#include <errno.h>
#include <stdlib.h>

#include "collect/tracefs/tracefs_int.h"
#include "napi/napi.h"

enum { F_DEV, F_WORK, F_BUDGET };
enum { C_POLLS, C_EXHAUSTED };
enum { H_WORK };

static const struct tfs_row_layout napi_layout = {
	.metric = "napi",
	.ctr = NL_ROW_COUNTER_NAMES(NAPI_VAL),
	.ctr_unit = { "", "" },
	.hist = NL_ROW_HIST_NAMES(NAPI_VAL),
	.hist_unit = { "pkts" },
};

/*
 * napi_poll fires after each poll (net_rx_action -> napi_poll, and busy
 * polling); work >= budget means the driver wanted more. The backlog of
 * loopback/RPS prints its device as "(no_device)".
 */
static void on_napi_poll(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct tfs_table_state *s = ev->priv;
	char dev[TFS_NAME_MAX];
	struct tfs_row *row;
	int64_t work = (int32_t)tfs_num(ev->f[F_WORK], data);
	int64_t budget = (int32_t)tfs_num(ev->f[F_BUDGET], data);

	(void)cpu;
	(void)ts;
	tfs_str(ev->f[F_DEV], data, size, dev, sizeof(dev));
	row = tfs_row_get(&s->rows, dev, 0, tfs_key_dev);
	row->active = true;
	row->c[C_POLLS]++;
	if (work >= budget)
		row->c[C_EXHAUSTED]++;
	tfs_row_hist_add(row, H_WORK, work < 0 ? 0 : (uint64_t)work);
}

static int napi_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "dev_name", "work", "budget", NULL };
	struct tfs_table_state *s = tfs_table_state_new(&napi_layout);
	char filter[96];

	if (!s)
		return -ENOMEM;
	tfs_dev_filter(c, "dev_name", filter, sizeof(filter));
	if (!tfs_event_add(c, "napi", "napi_poll", fields, on_napi_poll, s, filter, why, whylen)) {
		free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

static const struct tfs_row_layout *const napi_layouts[] = { &napi_layout, NULL };

const struct tfs_family tfs_napi = {
	.metric = "napi",
	.arm = napi_arm,
	.snapshot = tfs_table_state_snapshot,
	.free = tfs_table_state_free,
	.layouts = napi_layouts,
};
