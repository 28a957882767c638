// SPDX-License-Identifier: GPL-2.0
/*
 * ehash's counters beside its functions' rows, once per recording (the
 * descriptor's func_counters): the established hash's size and how many
 * sockets are in it, for avg_chain (sockets per bucket).
 */
#include <stdio.h>
#include <stdlib.h>

#include "netlat/recording.h"
#include "netlat/util.h"

/* Established TCP sockets (st 01) in /proc/net/tcp and tcp6 of netlat's namespace. */
static uint64_t established_sockets(void)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	uint64_t count = 0;

	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		FILE *fp = fopen(tables[i], "re");
		char line[512];
		unsigned int st;

		if (!fp)
			continue;
		while (fgets(line, sizeof(line), fp))
			if (sscanf(line, "%*s %*s %*s %x", &st) == 1 && st == 1)
				count++;
		fclose(fp);
	}
	return count;
}

void ehash_counters(struct nl_interval *iv)
{
	FILE *fp = fopen("/proc/sys/net/ipv4/tcp_ehash_entries", "re");
	char line[64];

	/* 6.1+: per-netns tables; a negative value means this netns uses the global one */
	if (fp && fgets(line, sizeof(line), fp))
		nl_iv_add_counter(iv, "ehash", "", "table_size", "", (uint64_t)llabs(atoll(line)));
	if (fp)
		fclose(fp);
	nl_iv_add_counter(iv, "ehash", "", "established", "", established_sockets());
}
