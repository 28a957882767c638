/* SPDX-License-Identifier: GPL-2.0 */
/* Privilege checks: what netlat needs to arm probes, named when missing. */
#ifndef NETLAT_PRIVS_H
#define NETLAT_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * 0 when the caller can record (root, or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN
 * as needed); otherwise -EPERM and a list of what is missing in missing
 * ("CAP_BPF, CAP_PERFMON (run as root or grant them)").
 */
int nl_privs_check(char *missing, size_t len);
/* One line describing the caller: "root", "uid 1000 with CAP_BPF,CAP_PERFMON". */
void nl_privs_describe(char *out, size_t len);

#endif
