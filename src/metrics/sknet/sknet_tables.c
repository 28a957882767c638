// SPDX-License-Identifier: GPL-2.0
/* sknet's row table in the BPF object, and its row keys: "type=raw proto=icmp netns=N". */
#include <stdio.h>

#include "collector.h"
#include "sknet/sknet.h"

NLB_LAYOUT_OK(struct sknet_val, SKNET_VAL);

static const char *sock_type_name(unsigned int type)
{
	static const char *const names[] = { [1] = "stream", [2] = "dgram", [3] = "raw", [5] = "seqpacket" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

static const char *protocol_name(unsigned int protocol)
{
	switch (protocol) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 255: return "raw";
	default: return NULL;
	}
}

static void sknet_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct sknet_key *k = key;
	const char *type = sock_type_name(k->type), *proto = protocol_name(k->protocol);
	char tbuf[16], pbuf[16];

	(void)d;
	(void)idx;
	(void)cpu;
	if (!type) {
		snprintf(tbuf, sizeof(tbuf), "%u", k->type);
		type = tbuf;
	}
	if (!proto) {
		snprintf(pbuf, sizeof(pbuf), "%u", k->protocol);
		proto = pbuf;
	}
	snprintf(out, len, "type=%s proto=%s netns=%u", type, proto, k->netns);
}

static const char *const sknet_names[] = NL_ROW_NAMES(SKNET_VAL);
static const struct nlb_table sknet_t = NLB_KEYED_TABLE("sknet", "sknet_rows", "sknet_row", struct sknet_key,
						    struct sknet_val, SKNET_VAL, sknet_names, sknet_key);

const struct nlb_table *const nlb_tables_sknet[] = { &sknet_t, NULL };
