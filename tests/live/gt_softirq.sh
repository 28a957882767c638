#!/bin/sh
# vm: core
# gt_softirq: NET_RX softirq entries per CPU, against an independent tracefs reader.
# Ground truth: the reader counts irq:softirq_entry vec=3 lines per CPU in two
# windows, the outer (its instance on, enclosing netlat's recording) and the
# inner (markers around the workload, inside netlat's window). Softirqs are
# system-wide, so inner <= netlat <= outer per CPU; a loopback UDP flood with
# RPS to the other CPU (tens of thousands of NET_RX runs a second) dominates
# whatever else runs. Per CPU, netlat's count must also equal the reader's
# count over netlat's own window (its recorded start and duration), but for
# the microseconds at the edges (nl_same_window).
# Events netlat reports lost (session lost_events) are allowed on the low side.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_gt_collectors softirq
nl_topo_netns N sirq
[ "$(nl_topo_ncpus)" -ge 2 ] && nl_topo_rps "$N" lo 2

for c in $NL_COLLECTORS; do
	nl_truth_open 16384
	nl_truth_event irq/softirq_entry "vec == 3"
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m softirq -- \
		"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" --cpu 0 ||
		fail "$c: netlat record failed"
	nl_truth_dump "$NLTMP/$c.trace"
	nl_truth_close
	note "$c: $(cat "$NLTMP/$c.load")"
	nl_truth_window "$NLTMP/$c.trace" "$NLTMP/$c.inner"
	nl_truth_softirq "$NLTMP/$c.trace" 3 > "$NLTMP/$c.outer.cpu"
	nl_truth_softirq "$NLTMP/$c.inner" 3 > "$NLTMP/$c.inner.cpu"
	nl_truth_netlat_window "$NLTMP/$c.trace" "$NLTMP/$c.data" "$NLTMP/$c.same"
	nl_truth_softirq "$NLTMP/$c.same" 3 > "$NLTMP/$c.same.cpu"
	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	[ "$lost" = 0 ] || note "$c: netlat reports $lost lost events (allowed on the low side)"
	i_tot=0 n_tot=0
	while read -r cpu inner; do
		outer=$(awk -v c="$cpu" '$1 == c { print $2 }' "$NLTMP/$c.outer.cpu")
		same=$(awk -v c="$cpu" '$1 == c { print $2 }' "$NLTMP/$c.same.cpu")
		n=$(nl_csv "$NLTMP/$c.csv" softirq "cpu=$cpu vec=NET_RX" entries value)
		note "$c: cpu $cpu NET_RX entries truth inner=$inner netlat-window=$same outer=$outer netlat=${n:-none}"
		[ -n "$n" ] || fail "$c: no softirq entries row for cpu=$cpu vec=NET_RX"
		# every event of the inner window is counted or reported lost
		[ "$inner" -le $((n + lost)) ] && [ "$n" -le "$outer" ] ||
			fail "$c: cpu $cpu: $n (+$lost lost) outside the truth windows [$inner, $outer]"
		nl_same_window "$n" "${same:-0}" "$lost" ||
			fail "$c: cpu $cpu: $n (+$lost lost) is not the reader's ${same:-0} over netlat's window"
		i_tot=$((i_tot + inner))
		n_tot=$((n_tot + n))
	done < "$NLTMP/$c.inner.cpu"
	[ "$i_tot" -ge 1000 ] || fail "$c: the flood caused only $i_tot NET_RX softirqs"
done
exit 0
