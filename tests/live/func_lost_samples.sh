#!/bin/sh
# plain: yes
# The func collector reports its lost events like every other collector
# (session lost_events, key func=<tier>), so the lost-events triage rule can
# qualify function findings. Ground truth without netlat: the sample tier's
# perf ring is 16 pages (64 KiB) per CPU and is read every 100 ms
# (NL_POLL_NS); a record is at least 96 bytes (header, tid, callchain
# length, the kernel-context marker and the 8+ frames below a timer
# interrupt), so the ring holds at most ~680 samples. At 50000 Hz a CPU
# takes 5000 in 100 ms: even at a third of that (a busy host's hrtimer
# misses periods) the ring overflows, the kernel drops samples and counts
# them in PERF_RECORD_LOST, and the recording must say so. Delivered plus
# reported lost can be no more than rate x seconds x CPUs (15%, as in
# func_sample_rate). At the always-on rate nothing is lost, and the row still
# says so (0), as the other collectors' rows do.
. "$NLROOT/tests/lib/common.sh"
need_root

# col FILE KEY STAT: the whole run's counter of the row whose key is KEY (any metric)
col() {
	"$NETLAT" report -i "$1" --format csv |
		awk -F, -v k="$2" -v s="$3" '$2 == "total" && $4 == k && $5 == s { print $8; exit }'
}
json_num() { "$NETLAT" report -i "$1" --format json | grep -o "\"$2\":[0-9][0-9.e+-]*" | head -n 1 | cut -d: -f2; }

# 1. Always-on rate: the row is there, and nothing was lost.
"$NETLAT" record -q -m ehash --probe sample -d 1s -o "$NLTMP/slow.data" 2>"$NLTMP/slow.err" ||
	fail "record --probe sample failed: $(cat "$NLTMP/slow.err")"
lost=$(col "$NLTMP/slow.data" func=sample lost_events)
[ -n "$lost" ] || fail "no session lost_events row for the sample tier"
[ "$lost" = 0 ] || fail "$lost samples reported lost at the always-on rate"

# 2. 50000 Hz: samples are lost, and the recording says how many.
hz=50000
"$NETLAT" record -q -m ehash --probe sample --sample-freq $hz -d 1s -o "$NLTMP/fast.data" 2>"$NLTMP/fast.err" ||
	fail "record --sample-freq $hz failed: $(cat "$NLTMP/fast.err")"
lost=$(col "$NLTMP/fast.data" func=sample lost_events)
got=$("$NETLAT" report -i "$NLTMP/fast.data" --format csv -m ehash |
	awk -F, '$2 == "total" && $5 == "cpu_samples" { print $8; exit }')
d=$(json_num "$NLTMP/fast.data" duration_s)
c=$(json_num "$NLTMP/fast.data" ncpus)
[ -n "$lost" ] && [ -n "$got" ] && [ -n "$d" ] && [ -n "$c" ] || fail "no lost_events/cpu_samples/duration/ncpus in the report"
note "$got samples delivered, $lost reported lost, in ${d}s on $c CPUs at $hz Hz"
[ "$lost" -gt 0 ] || fail "the ring overflowed but no sample was reported lost"
awk -v n="$got" -v l="$lost" -v d="$d" -v c="$c" -v hz=$hz 'BEGIN { exit !(n + l <= 1.15 * hz * d * c) }' ||
	fail "$got delivered + $lost lost is more than $hz Hz x ${d}s x $c CPUs"

# 3. triage reads it: lost-events ranks first and names the sample tier.
"$NETLAT" triage -i "$NLTMP/fast.data" >"$NLTMP/t.txt" 2>&1 || fail "triage -i failed: $(cat "$NLTMP/t.txt")"
first=$(awk '/^#1 /' "$NLTMP/t.txt")
case "$first" in *"] lost-events: "*) ;; *) fail "first finding is not lost-events: $(cat "$NLTMP/t.txt")" ;; esac
grep -q 'where: .*func=sample' "$NLTMP/t.txt" || fail "lost-events does not name func=sample: $(cat "$NLTMP/t.txt")"
exit 0
