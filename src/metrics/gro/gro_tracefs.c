// SPDX-License-Identifier: GPL-2.0
/*
 * gro metric: packets into the receive path per device, through GRO
 * (net:napi_gro_receive_entry, napi_gro_frags_entry) or around it
 * (net:netif_rx, netif_receive_skb_entry, netif_receive_skb_list_entry),
 * against skbs delivered up (net:netif_receive_skb, __netif_receive_skb_core).
 */
#include <errno.h>
#include <stdlib.h>

#include "collect/tracefs/tracefs_int.h"
#include "gro/gro.h"

enum { C_GRO_IN, C_DIRECT_IN, C_SKBS_OUT };

struct gro_state {
	struct tfs_rows rows;
};

static const struct tfs_row_layout gro_layout = {
	.metric = "gro",
	.ctr = NL_ROW_COUNTER_NAMES(GRO_VAL),
	.ctr_unit = { "pkts", "pkts", "pkts" },
};

/* Every gro event has the device in "name"; which counter it bumps rides in the event. */
static void gro_count(struct tfs_event *ev, const void *data, int size, int ctr)
{
	struct gro_state *s = ev->priv;
	char dev[TFS_NAME_MAX];
	struct tfs_row *row;

	tfs_str(ev->f[0], data, size, dev, sizeof(dev));
	row = tfs_row_get(&s->rows, dev, 0, tfs_key_dev);
	row->active = true;
	row->c[ctr]++;
}

static void on_gro_in(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	gro_count(ev, data, size, C_GRO_IN);
}

static void on_direct_in(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	gro_count(ev, data, size, C_DIRECT_IN);
}

static void on_skb_out(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	gro_count(ev, data, size, C_SKBS_OUT);
}

static const struct {
	const char *name;
	tfs_handler fn;
	int required;
} gro_events[] = {
	{ "napi_gro_receive_entry", on_gro_in, 1 },
	{ "netif_rx", on_direct_in, 1 },
	{ "netif_receive_skb", on_skb_out, 1 },
	{ "napi_gro_frags_entry", on_gro_in, 0 },
	{ "netif_receive_skb_entry", on_direct_in, 0 },
	{ "netif_receive_skb_list_entry", on_direct_in, 0 },
};

static int gro_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "name", NULL };
	struct gro_state *s = calloc(1, sizeof(*s));
	char filter[96];

	if (!s)
		return -ENOMEM;
	tfs_dev_filter(c, "name", filter, sizeof(filter));
	for (size_t i = 0; i < sizeof(gro_events) / sizeof(gro_events[0]); i++) {
		if (!gro_events[i].required && !tfs_event_exists(c, "net", gro_events[i].name))
			continue;
		if (!tfs_event_add(c, "net", gro_events[i].name, fields, gro_events[i].fn, s,
				   filter, why, whylen)) {
			free(s);
			return -ENOENT;
		}
	}
	*state = s;
	return 0;
}

static void gro_snapshot(void *state, struct nl_interval *iv)
{
	struct gro_state *s = state;

	tfs_rows_emit(&s->rows, &gro_layout, iv);
}

static void gro_free(void *state)
{
	struct gro_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->rows);
	free(s);
}

static const struct tfs_row_layout *const gro_layouts[] = { &gro_layout, NULL };

const struct tfs_family tfs_gro = {
	.metric = "gro",
	.arm = gro_arm,
	.snapshot = gro_snapshot,
	.free = gro_free,
	.layouts = gro_layouts,
};
