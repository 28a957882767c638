/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This machine's memcpy bandwidth: the memory limit a kernel copy to or
 * from user space is compared with (copyfn's bench=memcpy row, triage's
 * copy-cost rule). Measured on a buffer sized from the last-level cache,
 * once per boot: the result is kept in /run/netlat/memcpy-bw with the
 * boot id, and stored in every recording that has a copy metric, so a
 * recording is always judged against the machine that made it.
 */
#ifndef NETLAT_MEMCPY_BW_H
#define NETLAT_MEMCPY_BW_H

#include <stdbool.h>
#include <stdint.h>

#include "recording.h"

#define NL_MEMCPY_CACHE_DIR	"/run/netlat"
#define NL_MEMCPY_CACHE		NL_MEMCPY_CACHE_DIR "/memcpy-bw"
#define NL_LLC_SYSFS		"/sys/devices/system/cpu/cpu0/cache"
/* What is assumed when sysfs does not say (some VMs have no cache/ directory). */
#define NL_LLC_ASSUMED_BYTES	(8ULL << 20)

struct nl_memcpy_ref {
	uint64_t llc_bytes;		/* from sysfs; 0 when it does not say */
	uint64_t copy_bytes;		/* bytes each timed run copied */
	uint64_t ns;			/* the best run's time */
	double bytes_per_s;		/* copy_bytes / ns; 0 when unmeasured */
	bool cached;			/* read from NL_MEMCPY_CACHE, not measured by this process */
};

/*
 * Size of the last-level cache described under cache_dir (indexN: level,
 * type, size as sysfs spells them: "32768K"); instruction caches ignored.
 * 0 when there is no such description.
 */
uint64_t nl_llc_bytes(const char *cache_dir);

/* Bytes one timed run copies for an LLC of llc bytes (0 = unknown). */
uint64_t nl_memcpy_copy_bytes(uint64_t llc);

/*
 * The reference, from the per-boot cache when its boot id is this boot's,
 * else measured now and written there (best effort). Once per process.
 * 0, or a negative errno when the buffer cannot be had.
 */
int nl_memcpy_ref(struct nl_memcpy_ref *r);

/* Store the reference in rec's meta (memcpy_bytes_per_s and how it was made). */
void nl_memcpy_ref_meta(struct nl_recording *rec);

/* The reference a recording holds (meta memcpy_bytes_per_s); 0 when none. */
double nl_memcpy_bw_of(const struct nl_recording *rec);

/* Bytes per second (0 when unmeasurable); *bytes and *ns (may be NULL) get the best run's size and time. */
double nl_memcpy_bw(uint64_t *bytes, uint64_t *ns);

#endif
