// SPDX-License-Identifier: GPL-2.0
/* qdisc's row table in the BPF object: a row per qdisc, "dev=eth0 handle=1: netns=N". */
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "qdisc/qdisc.h"

NLB_LAYOUT_OK(struct qdisc_val, QDISC_VAL);

/* tc prints "major:" when the minor is 0, else "major:minor", in hex. */
static void qdisc_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct qdisc_key *k = key;
	unsigned int major = k->handle >> 16, minor = k->handle & 0xffff;
	size_t n;

	(void)idx;
	(void)cpu;
	nlb_put_dev(out, len, d, k->dev_slot);
	n = strlen(out);
	if (minor)
		snprintf(out + n, len - n, " handle=%x:%x", major, minor);
	else
		snprintf(out + n, len - n, " handle=%x:", major);
	nlb_put_netns(out, len, d, k->dev_slot);
}

static const char *const qdisc_names[] = NL_ROW_NAMES(QDISC_VAL);
static const struct nlb_table qdisc_t = NLB_KEYED_TABLE("qdisc", "qdisc_rows", "qdisc_row", struct qdisc_key,
						    struct qdisc_val, QDISC_VAL, qdisc_names, qdisc_key);

const struct nlb_table *const nlb_tables_qdisc[] = { &qdisc_t, NULL };
