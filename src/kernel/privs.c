// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege checks. Capabilities are read with capget(2) rather than
 * trusting the uid: root inside a user namespace, or a root shell with a
 * reduced bounding set, may lack what the kernel will ask for.
 *
 * What each backend needs from the kernel:
 *  - BPF tracing programs: CAP_SYS_ADMIN, or since 5.8 CAP_BPF for the
 *    program/map and CAP_PERFMON for tracing attach points (tp_btf, raw_tp,
 *    perf_event_open of a tracepoint).
 *  - tracefs: write access to the tracefs directory (instances, enable
 *    files), and CAP_SYS_ADMIN if it has to be mounted first.
 * The caller can record when either backend is usable.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netlat/privs.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif
#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC	0x74726163
#endif

/* Effective capability set as a 64-bit mask; 0 if capget fails. */
static uint64_t caps_effective(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[0].effective | ((uint64_t)data[1].effective << 32);
}

static bool has_cap(uint64_t eff, int cap)
{
	return (eff >> cap) & 1;
}

/* The tracefs path a privilege check should look at, without mounting anything. */
static const char *tracefs_guess(bool *mounted)
{
	static const char *const paths[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct statfs st;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (statfs(paths[i], &st) == 0 && st.f_type == TRACEFS_MAGIC) {
			*mounted = true;
			return paths[i];
		}
	}
	*mounted = false;
	return paths[0];
}

static bool bpf_ok(uint64_t eff)
{
	return has_cap(eff, CAP_SYS_ADMIN) ||
	       (has_cap(eff, CAP_BPF) && has_cap(eff, CAP_PERFMON));
}

/* tracefs is usable when mounted and writable, or mountable by us. */
static bool tracefs_ok(uint64_t eff, const char **path)
{
	bool mounted;

	*path = tracefs_guess(&mounted);
	if (mounted)
		return access(*path, W_OK) == 0;
	return has_cap(eff, CAP_SYS_ADMIN);
}

/* Names of the BPF capabilities the caller lacks, ", "-separated. */
static void bpf_missing(uint64_t eff, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s",
		 has_cap(eff, CAP_BPF) ? "" : "CAP_BPF",
		 !has_cap(eff, CAP_BPF) && !has_cap(eff, CAP_PERFMON) ? ", " : "",
		 has_cap(eff, CAP_PERFMON) ? "" : "CAP_PERFMON");
}

int nl_privs_check(char *missing, size_t len)
{
	uint64_t eff = caps_effective();
	const char *tpath;
	char bpfmiss[64];
	bool mounted;

	if (bpf_ok(eff) || tracefs_ok(eff, &tpath)) {
		if (len)
			missing[0] = '\0';
		return 0;
	}
	bpf_missing(eff, bpfmiss, sizeof(bpfmiss));
	tracefs_guess(&mounted);
	snprintf(missing, len,
		 "%s (or CAP_SYS_ADMIN) for BPF, and %s for tracefs (run as root or grant them)",
		 bpfmiss, mounted ? "write access to the tracefs directory" :
		 "CAP_SYS_ADMIN to mount tracefs");
	if (mounted) {
		/* Name the directory: it is the thing to chmod or chown. */
		size_t n = strlen(missing);

		snprintf(missing + n, len > n ? len - n : 0, "; %s is not writable", tpath);
	}
	return -EPERM;
}

void nl_privs_describe(char *out, size_t len)
{
	static const struct { int cap; const char *name; } names[] = {
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" }, { CAP_BPF, "CAP_BPF" },
		{ CAP_PERFMON, "CAP_PERFMON" }, { CAP_NET_ADMIN, "CAP_NET_ADMIN" },
		{ CAP_SYSLOG, "CAP_SYSLOG" },
	};
	uint64_t eff = caps_effective();
	size_t n;

	if (geteuid() == 0 && has_cap(eff, CAP_SYS_ADMIN) && has_cap(eff, CAP_BPF)) {
		snprintf(out, len, "root");
		return;
	}
	n = (size_t)snprintf(out, len, "uid %u", (unsigned int)geteuid());
	const char *sep = " with ";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++) {
		if (!has_cap(eff, names[i].cap))
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s", sep, names[i].name);
		sep = ",";
	}
	if (n < len && !strcmp(sep, " with "))
		snprintf(out + n, len - n, " without capabilities");
}
