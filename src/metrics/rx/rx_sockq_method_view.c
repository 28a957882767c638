// SPDX-License-Identifier: GPL-2.0
/*
 * rx's notes under its ladder (report --full): how the socket_queue stage
 * and the flow rows' sockq_wait were measured, from the flow rows' method=
 * field (docs/ladders.md).
 */
#include <string.h>

#include "metric_views.h"
#include "netlat/recording.h"

void rx_sockq_method_notes(FILE *out, const struct nl_interval *iv)
{
	size_t bytes = 0, skb = 0;
	char m[16];

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];

		if (strcmp(v->metric, "rx") || strncmp(v->key, "flow=", 5) ||
		    !nl_key_get(v->key, "method", m, sizeof(m)) || strcmp(v->stat, "sockq_wait"))
			continue;
		bytes += !strcmp(m, "bytes");
		skb += !strcmp(m, "skb");
	}
	if (bytes)
		fprintf(out, "  socket_queue, TCP: by bytes (%zu flows): each read's wait is that of the oldest"
			" byte it took, from when it became readable in order; UDP: by skb\n", bytes);
	if (skb)
		fprintf(out, "  socket_queue, TCP: by skb pairing (%zu flows): a sample, blind to segments TCP"
			" coalesced and to reads shorter than an skb; by bytes needs the bpf collector with"
			" tp_btf (no tracepoint carries a received segment's sequence or copied_seq)\n", skb);
}
