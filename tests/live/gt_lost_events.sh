#!/bin/sh
# plain: yes
# gt_lost_events: the tracefs collector reports the events its ring buffer lost.
# Ground truth: a 4 KB per-CPU buffer (the smallest --buffer-kb) cannot hold a
# second of a loopback UDP flood's napi/softirq/gro/gso events between two
# reads 100 ms apart, so the kernel overwrites or drops some and netlat must
# say so (session lost_events > 0). The same collector with its default
# buffer on a few datagrams loses nothing and must report 0.
# The size of the loss: with the softirq metric alone (softirq_raise, _entry
# and _exit of vectors 2 and 3, filtered in the kernel), an independent
# tracefs reader with a buffer large enough to lose nothing counts the same
# events over netlat's window; netlat's recorded events plus its lost events
# must equal that count within 1%, and the loss must be a real share of it.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

M=napi,softirq,gro,gso
for m in napi softirq gro gso; do
	nl_collector_usable tracefs "$m" || skip "tracefs collector cannot record $m here: $NL_COLLECTOR_WHY"
done
nl_topo_netns N lost

lost_sum() { # CSV: sum of session lost_events over CPUs, "none" without any row
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["interval"] == "total" && $col["metric"] == "session" && $col["stat"] == "lost_events" {
		n += $col["value"]; any = 1 }
	END { if (any) print n + 0; else print "none" }' "$1"
}

"$NETLAT" record -q --collector tracefs --buffer-kb 4 -m "$M" -o "$NLTMP/flood.data" -- \
	"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/flood.load" 2> "$NLTMP/flood.err" || { cat "$NLTMP/flood.err"; fail "record (flood) failed"; }
"$NETLAT" report -i "$NLTMP/flood.data" --format csv > "$NLTMP/flood.csv" || fail "report (flood) failed"
flood=$(lost_sum "$NLTMP/flood.csv")
note "flood, --buffer-kb 4: $(cat "$NLTMP/flood.load"); lost_events=$flood"
[ "$flood" != none ] || fail "no session lost_events rows from the tracefs collector"
[ "$flood" -gt 0 ] || fail "a 4 KB buffer under a UDP flood reported no lost events"

"$NETLAT" record -q --collector tracefs -m "$M" -o "$NLTMP/light.data" -- \
	"$LOAD" udp-burst -n 20 -s 100 -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/light.load" 2> "$NLTMP/light.err" || { cat "$NLTMP/light.err"; fail "record (light) failed"; }
"$NETLAT" report -i "$NLTMP/light.data" --format csv > "$NLTMP/light.csv" || fail "report (light) failed"
light=$(lost_sum "$NLTMP/light.csv")
note "light, default buffer: $(cat "$NLTMP/light.load"); lost_events=$light"
[ "$light" = 0 ] || [ "$light" = none ] || fail "light traffic with the default buffer lost $light events"
# the size of the loss, against a reader of the same events over netlat's window
nl_truth_open 32768
for e in softirq_entry softirq_raise softirq_exit; do
	nl_truth_event "irq/$e" "vec == 2 || vec == 3"
done
nl_gt_record tracefs "$NLTMP/size.data" "$NLTMP/size.load" --buffer-kb 4 -m softirq -- \
	"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" ||
	fail "record (size) failed"
nl_truth_dump "$NLTMP/size.trace"
nl_truth_close
nl_truth_netlat_window "$NLTMP/size.trace" "$NLTMP/size.data" "$NLTMP/size.same"
total=$(grep -c ': softirq_' "$NLTMP/size.same")
nl_report "$NLTMP/size.data" "$NLTMP/size.csv"
rec=$(nl_csv "$NLTMP/size.csv" session "" events value)
lost=$(nl_gt_lost "$NLTMP/size.csv")
note "size, --buffer-kb 4, softirq only: $(cat "$NLTMP/size.load"); netlat recorded ${rec:-none} + lost $lost; reader $total over netlat's window"
[ "$total" -ge 10000 ] || fail "the flood made only $total softirq events"
[ "$lost" -ge $((total / 10)) ] || fail "a 4 KB buffer lost only $lost of $total events: not the flood this test needs"
nl_within $((${rec:-0} + lost)) "$total" 1 ||
	fail "recorded ${rec:-none} + lost $lost = $((${rec:-0} + lost)), the reader counted $total (not within 1%)"

# the JSON report must carry lost_events too
if "$NETLAT" report -i "$NLTMP/flood.data" --format json > "$NLTMP/flood.json" 2>/dev/null; then
	grep -q lost_events "$NLTMP/flood.json" || fail "JSON report has no lost_events"
fi
exit 0
