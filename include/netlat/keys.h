/* SPDX-License-Identifier: GPL-2.0 */
/* Portable row keys for diff and stat (src/gate/portable_keys.c; docs/diff.md "Matching rows"). */
#ifndef NETLAT_KEYS_H
#define NETLAT_KEYS_H

#include <stddef.h>

#include "recording.h"

struct nl_keymap;

/* A key map for rec's namespaces and qdiscs (rec must outlive it). */
struct nl_keymap *nl_keymap_new(const struct nl_recording *rec);
void nl_keymap_free(struct nl_keymap *km);
/* The portable form of one recorded key. */
void nl_keymap_key(struct nl_keymap *km, const char *metric, const char *key, char *out, size_t len);
/* A copy of iv with portable keys; values whose keys become equal are summed/merged. */
struct nl_interval *nl_keymap_iv(struct nl_keymap *km, const struct nl_interval *iv);
/* The first recorded key seen for a portable one by nl_keymap_iv, or NULL. */
const char *nl_keymap_recorded(const struct nl_keymap *km, const char *portable);

#endif
