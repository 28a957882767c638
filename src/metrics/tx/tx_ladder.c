// SPDX-License-Identifier: GPL-2.0
/*
 * tx as a ladder (the descriptor's ladder: report's ladder view and summary,
 * plot's ladder chart, the HTML page, top): its stages in path order, as
 * tx.h spells them, and why each can have no rows, per collector.
 */
#include "metric_views.h"
#include "tx.h"

_Static_assert(TX_NSTAGES <= NL_PATH_MAX_STAGES, "NL_PATH_MAX_STAGES: tx has more stages");

static const char *const tx_stages[TX_NSTAGES] = TX_STAGE_NAMES;

static const struct nl_ladder_gap tx_gaps[] = {
	{ "tracefs", "send_to_dev", "not measurable with tracefs: TCP sends a clone, pairing needs the TCP "
	  "sequence from the segment's header, which net_dev_queue does not carry" },
	{ "bpf", "send_to_dev", "TCP only: no send paired with its segment (needs tcp:tcp_sendmsg_locked, "
	  "Linux 6.3+)" },
	{ "*", "qdisc", "no qdisc on this device (noqueue, e.g. veth and lo by default)" },
	{ "*", "driver", "no skb reached the driver" },
	{ "*", "completion", "no transmitted skb seen freed: veth and lo hand the skb to the peer's stack, "
	  "whose frees mostly have no tracepoint" },
	{ "*", "total", "ends at completion" },
	{ NULL, NULL, NULL },
};

const struct nl_path_ladder tx_ladder = {
	"tx", "TX path", tx_stages, TX_NSTAGES, NULL, 0, tx_gaps,
};
