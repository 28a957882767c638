#!/bin/sh
# vm: yes
# gt_napi_budget: NAPI budget exhaustion of the backlog, against an independent tracefs reader.
# Ground truth (KERNEL-NOTES): with net.core.dev_weight 4, RPS on a test
# namespace's lo steering to CPU 1 and the sender pinned to CPU 0, a UDP
# flood makes the backlog NAPI ("(no_device)") on CPU 1 hit its budget on a
# large share of its polls. The truth reader counts napi_poll lines with
# work >= budget on (no_device) in two windows: the outer one (its instance
# on, enclosing netlat's whole recording) and the inner one (markers around
# the workload, inside netlat's window). Same kernel events, nested windows:
#   inner <= netlat <= outer   (equal when nothing else polls the backlog)
# with the events netlat reports lost (session lost_events: ring-buffer
# overruns, BPF recursion misses, unseen softirq runs) allowed on the low side;
# and netlat's count must equal the reader's count over netlat's own window
# (its recorded start and duration), but for the edges (nl_same_window).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
[ "$(nl_topo_ncpus)" -ge 2 ] || skip "needs 2 CPUs (RPS to the other CPU)"
[ -w /proc/sys/net/core/dev_weight ] || skip "net.core.dev_weight not writable"

DEV="(no_device)"
nl_gt_collectors napi
nl_topo_netns N napi
nl_topo_rps "$N" lo 2
nl_sysctl_set net/core/dev_weight 4

for c in $NL_COLLECTORS; do
	nl_truth_open 16384
	nl_truth_event napi/napi_poll
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m napi -- \
		"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" --cpu 0 ||
		fail "$c: netlat record failed"
	nl_truth_dump "$NLTMP/$c.trace"
	nl_truth_close
	note "$c: $(cat "$NLTMP/$c.load")"
	nl_truth_window "$NLTMP/$c.trace" "$NLTMP/$c.inner"
	set -- $(nl_truth_napi "$NLTMP/$c.trace" "$DEV")
	o_polls=$1 o_ex=$2
	set -- $(nl_truth_napi "$NLTMP/$c.inner" "$DEV")
	i_polls=$1 i_ex=$2
	nl_truth_netlat_window "$NLTMP/$c.trace" "$NLTMP/$c.data" "$NLTMP/$c.same"
	set -- $(nl_truth_napi "$NLTMP/$c.same" "$DEV")
	w_polls=$1 w_ex=$2

	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	n_polls=$(nl_csv "$NLTMP/$c.csv" napi "dev=$DEV" polls value)
	n_ex=$(nl_csv "$NLTMP/$c.csv" napi "dev=$DEV" budget_exhausted value)
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	note "$c: budget_exhausted truth inner=$i_ex netlat-window=$w_ex outer=$o_ex netlat=$n_ex;" \
		"polls inner=$i_polls netlat-window=$w_polls outer=$o_polls netlat=$n_polls; netlat lost_events=$lost"
	[ "$i_ex" -ge 100 ] || skip "the flood exhausted the backlog budget only $i_ex times here"
	[ -n "$n_ex" ] || fail "$c: no napi budget_exhausted row for dev=$DEV"
	for pair in "$i_ex $n_ex $o_ex budget_exhausted $w_ex" "$i_polls $n_polls $o_polls polls $w_polls"; do
		set -- $pair
		# every event of the inner window is counted or reported lost
		[ $(($2 + lost)) -ge "$1" ] && [ "$2" -le "$3" ] ||
			fail "$c: $4 $2 (+$lost lost) outside the truth windows [$1, $3]"
		# and netlat's count is the reader's count over netlat's own window
		nl_same_window "$2" "$5" "$lost" ||
			fail "$c: $4 $2 (+$lost lost) is not the reader's $5 over netlat's window"
	done
done
exit 0
