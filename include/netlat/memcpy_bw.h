/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This machine's memcpy bandwidth, measured once per process: the memory
 * limit a kernel copy to or from user space can be compared with.
 */
#ifndef NETLAT_MEMCPY_BW_H
#define NETLAT_MEMCPY_BW_H

#include <stdint.h>

/*
 * Bytes per second of memcpy on a 64 MiB buffer, best of 3 (first call
 * measures, later calls return the same value). 0 when the buffer cannot
 * be allocated. *bytes and *ns (either may be NULL) get the best run's
 * size and time.
 */
double nl_memcpy_bw(uint64_t *bytes, uint64_t *ns);

#endif
