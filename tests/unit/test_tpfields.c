// SPDX-License-Identifier: GPL-2.0
/* Tracepoint field names from a format file, including 5.10's array sizes with spaces. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlat/features.h"
#include "unit.h"

/* tcp:tcp_probe as Linux 5.10 declares it (saddr/daddr sized by an expression). */
static const char tcp_probe_510[] =
	"name: tcp_probe\nID: 1234\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:__u8 saddr[sizeof(struct sockaddr_in6)];\toffset:8;\tsize:28;\tsigned:0;\n"
	"\tfield:__u8 daddr[sizeof(struct sockaddr_in6)];\toffset:36;\tsize:28;\tsigned:0;\n"
	"\tfield:__u16 sport;\toffset:64;\tsize:2;\tsigned:0;\n"
	"\tfield:__data_loc char[] dev_name;\toffset:68;\tsize:4;\tsigned:1;\n"
	"\tfield:char name[16];\toffset:72;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 m[2][3];\toffset:88;\tsize:6;\tsigned:0;\n"
	"\nprint fmt: \"src=%pISpc\"\n";

int main(void)
{
	char dir[] = "/tmp/netlat-tpfields-XXXXXX", path[256];
	static const char *want[] = { "saddr", "daddr", "sport", "dev_name", "name", "m" };
	char **fields;
	size_t n;
	FILE *f;

	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	snprintf(path, sizeof(path), "%s/events", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/tcp", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/tcp/tcp_probe", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/tcp/tcp_probe/format", dir);
	f = fopen(path, "w");
	if (!f)
		return perror(path), 1;
	fputs(tcp_probe_510, f);
	fclose(f);

	CHECK(nl_tracepoint_fields(dir, "tcp:tcp_probe", &fields, &n) == 0);
	CHECK_EQ_U64(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(fields[i], want[i]);
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);

	unlink(path);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	UNIT_DONE();
}
