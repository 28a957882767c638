// SPDX-License-Identifier: GPL-2.0
/* What both collectors share to spell flow and drop rows: a comm, a flow end, a drop site and reason. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "drops/drops.h"
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
