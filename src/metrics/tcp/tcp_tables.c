// SPDX-License-Identifier: GPL-2.0
/*
 * tcp's row tables in the BPF object: per netns ("side=client netns=N",
 * "netns=N") and per flow ("flow=L>R netns=N comm=C pid=P").
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "collector.h"
#include "tcp/tcp.h"
#include "metrics/flows.h"

NLB_LAYOUT_OK(struct nl_tcp_val, TCP_VAL);
NLB_LAYOUT_OK(struct nl_tcp_flow_val, TCP_FLOW_VAL);

static void tcp_ns_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct nl_tcp_ns_key *k = key;

	(void)d;
	(void)idx;
	(void)cpu;
	if (k->kind == TCP_ROW_CLIENT || k->kind == TCP_ROW_SERVER)
		snprintf(out, len, "side=%s netns=%u", k->kind == TCP_ROW_CLIENT ? "client" : "server", k->netns);
	else
		snprintf(out, len, "netns=%u", k->netns);
}

/*
 * One value type, two kinds of row: a side's row (client, server) holds its
 * handshakes; a namespace's row holds the retransmits, resets and srtt.
 * bytes_in and bytes_out are the flow rows' (tcp_flow_t).
 */
static bool tcp_ns_row_has(const void *key, const char *stat, const struct nl_record_opts *o)
{
	static const char *const side[] = { "handshakes", "handshake", NULL };
	static const char *const ns[] = { "retransmits", "resets_sent", "resets_received", "srtt", NULL };
	const struct nl_tcp_ns_key *k = key;
	const char *const *names = k->kind == TCP_ROW_CLIENT || k->kind == TCP_ROW_SERVER ? side : ns;

	(void)o;
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], stat))
			return true;
	return false;
}

static void tcp_flow_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct nl_tcp_key *k = key;
	char l[64], r[64], comm[NL_BPF_COMM_LEN + 1];

	(void)d;
	(void)idx;
	(void)cpu;
	nl_flow_end(l, sizeof(l), k->family == 10 ? AF_INET6 : AF_INET, k->laddr, k->lport);
	nl_flow_end(r, sizeof(r), k->family == 10 ? AF_INET6 : AF_INET, k->raddr, k->rport);
	nl_flow_comm(comm, sizeof(comm), k->comm);
	snprintf(out, len, "flow=%s>%s netns=%u comm=%s pid=%u", l, r, k->netns, comm, k->pid);
}

static const char *const tcp_names[] = NL_ROW_NAMES(TCP_VAL);
static const char *const tcp_flow_names[] = NL_ROW_NAMES(TCP_FLOW_VAL);

static const struct nlb_table tcp_ns_t = {
	.metric = "tcp", .rows_map = "tcp_ns_rows", .index = NLB_BY_KEY, .keys_map = "tcp_ns_row_keys",
	.taken_var = "tcp_ns_row_taken", .key_size = sizeof(struct nl_tcp_ns_key),
	.val_size = sizeof(struct nl_tcp_val), NLB_ROW_COUNTS(TCP_VAL), .stats = tcp_names,
	.fmt_key = tcp_ns_key, .row_has = tcp_ns_row_has,
};
static const struct nlb_table tcp_flow_t = NLB_KEYED_TABLE("tcp", "tcp_flow_rows", "tcp_flow_row", struct nl_tcp_key,
						       struct nl_tcp_flow_val, TCP_FLOW_VAL, tcp_flow_names, tcp_flow_key);

const struct nlb_table *const nlb_tables_tcp[] = { &tcp_ns_t, &tcp_flow_t, NULL };
