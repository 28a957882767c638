// SPDX-License-Identifier: GPL-2.0
/*
 * sknet metric from sock:sock_rcvqueue_full. The event's fields are the
 * socket's rmem_alloc, sk_rcvbuf and the skb's truesize: no socket, so no
 * netns, type or protocol. The tracefs rows are one total (an empty key).
 */
#include <errno.h>
#include <stdlib.h>

#include "collect/tracefs/tracefs_int.h"
#include "sknet/sknet.h"

enum { F_TRUESIZE };
enum { C_OVERFLOWS, C_BYTES };

static const struct tfs_row_layout sknet_layout = {
	.metric = "sknet",
	.ctr = NL_ROW_COUNTER_NAMES(SKNET_VAL),
	.ctr_unit = { "pkts", "bytes" },
};

static void total_key(char *key, size_t len, const char *name, uint64_t aux)
{
	(void)name;
	(void)aux;
	if (len)
		key[0] = '\0';
}

static void on_rcvqueue_full(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct tfs_table_state *s = ev->priv;
	struct tfs_row *row = tfs_row_get(&s->rows, "", 0, total_key);

	(void)cpu;
	(void)ts;
	(void)size;
	row->active = true;
	row->c[C_OVERFLOWS]++;
	row->c[C_BYTES] += tfs_num(ev->f[F_TRUESIZE], data);
}

static int sknet_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "truesize", NULL };
	struct tfs_table_state *s = tfs_table_state_new(&sknet_layout);

	if (!s)
		return -ENOMEM;
	if (!tfs_event_add(c, "sock", "sock_rcvqueue_full", fields, on_rcvqueue_full, s, "", why, whylen)) {
		free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

static const struct tfs_row_layout *const sknet_layouts[] = { &sknet_layout, NULL };

const struct tfs_family tfs_sknet = {
	.metric = "sknet",
	.arm = sknet_arm,
	.snapshot = tfs_table_state_snapshot,
	.free = tfs_table_state_free,
	.layouts = sknet_layouts,
};
