// SPDX-License-Identifier: GPL-2.0
/* qdisc in netlat top: each qdisc's sojourn as a transmit stage, where the tx ladder showed none. */
#include <stdlib.h>

#include "metric_views.h"
#include "netlat/top.h"
#include "netlat/util.h"

size_t qdisc_top_stage_rows(FILE *out, const struct nl_triage_in *in)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "qdisc", "dev", &keys), shown = 0;
	char stage[NL_KEY_MAX + 8], dev[NL_KEY_MAX], handle[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, "qdisc", keys[i], "sojourn");

		if (!h)
			continue;
		nl_key_get(keys[i], "dev", dev, sizeof(dev));
		nl_key_get(keys[i], "handle", handle, sizeof(handle));
		snprintf(stage, sizeof(stage), "qdisc %s", handle);
		nl_top_stage_row(out, "tx", stage, dev, h, in->seconds);
		shown++;
	}
	free(keys);
	return shown;
}
