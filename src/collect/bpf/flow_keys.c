// SPDX-License-Identifier: GPL-2.0
/* Keys of the tcp, drops and copy BPF maps as row strings, and what both collectors share for them. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "copy/copy.h"
#include "drops/drops.h"
#include "tcp/tcp.h"
#include "metrics/flows.h"
#include "netlat/ksyms.h"

void nl_flow_comm(char *out, size_t len, const char *comm)
{
	size_t n = 0;

	for (; comm[n] && n + 1 < len && n < NL_BPF_COMM_LEN; n++) {
		unsigned char c = (unsigned char)comm[n];

		out[n] = (c <= ' ' || c >= 0x7f || c == ',' || c == '=') ? '_' : (char)c;
	}
	if (!n && len > 1)
		out[n++] = '?';
	if (len)
		out[n < len ? n : len - 1] = '\0';
}

void nl_flow_end(char *out, size_t len, int family, const void *addr, unsigned int port)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (family == AF_INET6) {
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(out, len, "[%s]:%u", a, port);
		return;
	}
	inet_ntop(AF_INET, addr, a, sizeof(a));
	snprintf(out, len, "%s:%u", a, port);
}

/* Loaded on the first drop row and kept for the process: both tables are read-only once built. */
void nl_flow_drop_names(uint64_t location, unsigned int reason, char *loc, size_t loclen,
			char *rsn, size_t rsnlen)
{
	static struct nl_ksyms *ks;
	static struct nl_drop_reasons *dr;
	static bool loaded;

	if (!loaded) {
		ks = nl_ksyms_load();
		dr = nl_drop_reasons_load();
		loaded = true;
	}
	nl_ksyms_name(ks, location, loc, loclen);
	if (reason == DROPS_NO_REASON)
		snprintf(rsn, rsnlen, "unavailable");
	else
		nl_drop_reason_name(dr, reason, rsn, rsnlen);
}

void nlb_tcp_key(const void *key, int cpu, char *out, size_t len)
{
	const struct nl_tcp_key *k = key;
	char l[64], r[64], comm[NL_BPF_COMM_LEN + 1];

	(void)cpu;
	switch (k->kind) {
	case TCP_ROW_CLIENT:
	case TCP_ROW_SERVER:
		snprintf(out, len, "side=%s netns=%u", k->kind == TCP_ROW_CLIENT ? "client" : "server",
			 k->netns);
		return;
	case TCP_ROW_NETNS:
		snprintf(out, len, "netns=%u", k->netns);
		return;
	default:
		break;
	}
	nl_flow_end(l, sizeof(l), k->family == 10 ? AF_INET6 : AF_INET, k->laddr, k->lport);
	nl_flow_end(r, sizeof(r), k->family == 10 ? AF_INET6 : AF_INET, k->raddr, k->rport);
	nl_flow_comm(comm, sizeof(comm), k->comm);
	snprintf(out, len, "flow=%s>%s netns=%u comm=%s pid=%u", l, r, k->netns, comm, k->pid);
}

void nlb_drops_key(const void *key, int cpu, char *out, size_t len)
{
	const struct nl_drops_key *k = key;
	char loc[128], rsn[64];

	(void)cpu;
	nl_flow_drop_names(k->location, k->reason, loc, sizeof(loc), rsn, sizeof(rsn));
	if (k->netns)
		snprintf(out, len, "reason=%s location=%s netns=%u", rsn, loc, k->netns);
	else
		snprintf(out, len, "reason=%s location=%s", rsn, loc);
}

void nlb_copy_key(const void *key, int cpu, char *out, size_t len)
{
	const struct nl_copy_key *k = key;
	char comm[NL_BPF_COMM_LEN + 1];

	(void)cpu;
	nl_flow_comm(comm, sizeof(comm), k->comm);
	snprintf(out, len, "dir=%s comm=%s pid=%u", k->dir == COPY_TX ? "tx" : "rx", comm, k->pid);
}
