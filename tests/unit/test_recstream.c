// SPDX-License-Identifier: GPL-2.0
/* Streaming writer: intervals written as they are cut read back like a whole-file write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlat/recording.h"
#include "unit.h"

static struct nl_interval *interval(uint64_t i)
{
	struct nl_interval *iv = nl_iv_new(0, i * 1000, (i + 1) * 1000);

	nl_iv_add_counter(iv, "gso", "dev=lo", "xmits", "", 10 + i);
	nl_hist_add(nl_iv_hist(iv, "qdisc", "dev=lo handle=1:", "sojourn", "ns"), 100 * (i + 1));
	return iv;
}

int main(void)
{
	char dir[] = "/tmp/netlat-recstream-XXXXXX", path[256], tmp[300], old[300];
	struct nl_recording *rec, *back = NULL;
	struct nl_rec_stream *s;
	struct nl_interval *total;
	const struct nl_value *v;
	struct stat st;
	char err[256];

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.data", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	snprintf(old, sizeof(old), "%s.old", path);

	/* an earlier recording is kept as .old */
	rec = nl_rec_new();
	nl_rec_set_meta(rec, "host", "earlier");
	CHECK(nl_rec_write(rec, path) == 0);
	nl_rec_free(rec);

	rec = nl_rec_new();
	CHECK(nl_rec_stream_open(&s, path) == 0);
	CHECK(stat(tmp, &st) == 0 && (st.st_mode & 0777) == 0600);
	for (uint64_t i = 0; i < 3; i++) {
		struct nl_interval *iv = interval(i);

		CHECK(nl_rec_stream_add(s, iv) == 0);
		nl_iv_free(iv);
	}
	CHECK_EQ_U64(nl_rec_stream_nintervals(s), 3);
	nl_rec_set_meta(rec, "host", "streamed");
	nl_rec_metric(rec, "gso", true)->state = NL_METRIC_OK;
	total = nl_rec_add_interval(rec, 0, 3000, 4000);	/* one left in memory at the end */
	nl_iv_add_counter(total, "gso", "dev=lo", "xmits", "", 13);
	CHECK(nl_rec_stream_finish(s, rec, path) == 0);
	nl_rec_free(rec);
	CHECK(access(tmp, F_OK) != 0);

	CHECK(nl_rec_read(path, &back, err, sizeof(err)) == 0);
	CHECK(back != NULL);
	if (back) {
		CHECK_STR(nl_rec_meta(back, "host"), "streamed");
		CHECK_EQ_U64(back->niv, 4);
		total = nl_rec_total(back, -1);
		v = nl_iv_find(total, "gso", "dev=lo", "xmits");
		CHECK(v && v->counter == 10 + 11 + 12 + 13);
		v = nl_iv_find(total, "qdisc", "dev=lo handle=1:", "sojourn");
		CHECK(v && v->hist->count == 3 && v->hist->max == 300);
		nl_iv_free(total);
		nl_rec_free(back);
	}
	back = NULL;
	CHECK(nl_rec_read(old, &back, err, sizeof(err)) == 0);
	if (back) {
		CHECK_STR(nl_rec_meta(back, "host"), "earlier");
		nl_rec_free(back);
	}

	/* abort leaves neither a temporary file nor a change to path */
	CHECK(nl_rec_stream_open(&s, path) == 0);
	CHECK(access(tmp, F_OK) == 0);
	nl_rec_stream_abort(s);
	CHECK(access(tmp, F_OK) != 0);
	back = NULL;
	CHECK(nl_rec_read(path, &back, err, sizeof(err)) == 0);
	if (back) {
		CHECK_STR(nl_rec_meta(back, "host"), "streamed");
		nl_rec_free(back);
	}

	/* a directory that cannot be written: an error, not a crash */
	CHECK(nl_rec_stream_open(&s, "/nonexistent-dir/r.data") == -ENOENT);

	unlink(path);
	unlink(old);
	rmdir(dir);
	UNIT_DONE();
}
