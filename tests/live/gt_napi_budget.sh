#!/bin/sh
# gt_napi_budget: NAPI budget exhaustion of the backlog, against an independent tracefs reader.
# Ground truth (KERNEL-NOTES): with net.core.dev_weight 4, RPS on a test
# namespace's lo steering to CPU 1 and the sender pinned to CPU 0, a UDP
# flood makes the backlog NAPI ("(no_device)") on CPU 1 hit its budget on a
# large share of its polls. The truth reader counts napi_poll lines with
# work >= budget on (no_device) in two windows: the outer one (its instance
# on, enclosing netlat's whole recording) and the inner one (markers around
# the workload, inside netlat's window). Same kernel events, nested windows:
#   inner <= netlat <= outer   (equal when nothing else polls the backlog)
# with what the events netlat reports lost can hide allowed on the low side,
# and netlat's count must equal the reader's count over netlat's own window
# (its recorded start and duration), but for the edges (nl_same_window).
# A lost event is one event (a ring-buffer overrun, a BPF recursion miss: at
# most one poll) or, for the bpf collector's "cpu=N" keys, possibly a whole
# softirq run no program saw, which can poll the backlog many times (seen:
# 571 polls missing behind 570 unseen runs). So the slack for L lost on a CPU
# is what the L runs of that CPU holding the most polls held, counted by the
# reader from softirq_entry/exit vec=3 (nl_truth_napi_runs_top), plus one
# poll per lost event of any other key.
# The work histogram: the reader's per-poll work values on (no_device) over
# netlat's window (0..4 here, exact buckets) have the same count, sum (within
# the edges' slack) and percentiles as netlat's work histogram.
# softnet_stat: per CPU, netlat's processed and time_squeeze are deltas of
# /proc/net/softnet_stat over its window, so they lie between the deltas the
# test reads around the workload (inner) and around the recording (outer).
# CPU 1's processed must move (at least 1000); time_squeeze is compared the
# same way but this flood rarely squeezes (netdev_budget 8 gave one squeeze
# in a second), so it is checked only as far as the kernel moves it.
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
	# A recording in which netlat reports lost events is recorded again (up to 5 times), so
	# that the work percentiles can be compared over the same polls; the last one is held
	# to the counts with the slack its losses allow.
	try=1
	while :; do
	nl_truth_open 16384
	nl_truth_event napi/napi_poll
	nl_truth_event irq/softirq_entry "vec == 3"
	nl_truth_event irq/softirq_exit "vec == 3"
	cat /proc/net/softnet_stat > "$NLTMP/$c.sn0"
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m napi -- sh -c '
		cat /proc/net/softnet_stat > "$1.sn1"
		"$2" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$3" --peer-netns "$3" --cpu 0; rc=$?
		cat /proc/net/softnet_stat > "$1.sn2"
		exit $rc' nlsn "$NLTMP/$c" "$LOAD" "$N" ||
		fail "$c: netlat record failed"
	cat /proc/net/softnet_stat > "$NLTMP/$c.sn3"
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
	{ [ "$lost" = 0 ] || [ "$try" -ge 5 ]; } && break
	note "$c: $lost events lost: recording again"
	try=$((try + 1))
	done
	# what the lost events can hide: polls (lp) and work (lw), see the header
	lp=0 lw=0 other=$lost cpu=0
	while [ "$cpu" -lt "$(nl_topo_ncpus)" ]; do
		l=$(nl_csv "$NLTMP/$c.csv" session "cpu=$cpu" lost_events value)
		if [ -n "$l" ] && [ "$l" -gt 0 ]; then
			set -- $(nl_truth_napi_runs_top "$NLTMP/$c.trace" "$DEV" "$cpu" "$l")
			lp=$((lp + $1)) lw=$((lw + $2)) other=$((other - l))
			note "$c: cpu $cpu: $l lost; its $l fullest softirq runs held $1 polls, work $2"
		fi
		cpu=$((cpu + 1))
	done
	lp=$((lp + other)) lw=$((lw + other * 4))
	note "$c: budget_exhausted truth inner=$i_ex netlat-window=$w_ex outer=$o_ex netlat=$n_ex;" \
		"polls inner=$i_polls netlat-window=$w_polls outer=$o_polls netlat=$n_polls; netlat lost_events=$lost"
	[ "$i_ex" -ge 100 ] || skip "the flood exhausted the backlog budget only $i_ex times here"
	[ -n "$n_ex" ] || fail "$c: no napi budget_exhausted row for dev=$DEV"
	for pair in "$i_ex $n_ex $o_ex budget_exhausted $w_ex" "$i_polls $n_polls $o_polls polls $w_polls"; do
		set -- $pair
		# every event of the inner window is counted or reported lost
		[ $(($2 + lp)) -ge "$1" ] && [ "$2" -le "$3" ] ||
			fail "$c: $4 $2 (+$lp behind $lost lost) outside the truth windows [$1, $3]"
		# and netlat's count is the reader's count over netlat's own window
		nl_same_window "$2" "$5" "$lp" ||
			fail "$c: $4 $2 (+$lp behind $lost lost) is not the reader's $5 over netlat's window"
	done

	# the work histogram against the reader's per-poll work values over netlat's window
	set -- $(nl_truth_napi_work "$NLTMP/$c.same" "$DEV")
	wr_n=$1 wr_sum=$2 wr_p50=$3 wr_p90=$4 wr_max=$5
	wn=$(awk -F, -v k="dev=$DEV" '$2 == "total" && $3 == "napi" && $4 == k && $5 == "work" {
		printf "%d %.0f %s %s %s\n", $9, $9 * $12, $13, $14, $11; exit }' "$NLTMP/$c.csv")
	set -- $wn
	note "$c: work per poll: reader count=$wr_n sum=$wr_sum p50=$wr_p50 p90=$wr_p90 max=$wr_max; netlat count=$1 sum=$2 p50=$3 p90=$4 max=$5"
	nl_same_window "$1" "$wr_n" "$lp" || fail "$c: work histogram count $1, the reader's polls $wr_n"
	nl_same_window "$2" "$wr_sum" "$lw" || fail "$c: work histogram sum $2, the reader's $wr_sum"
	# percentiles only over the same set of polls: a lossy recording's ranks shift
	if [ "$lost" = 0 ]; then
		[ "$3 $4 $5" = "$wr_p50 $wr_p90 $wr_max" ] ||
			fail "$c: work p50/p90/max $3/$4/$5, the reader's $wr_p50/$wr_p90/$wr_max"
	else
		note "$c: $lost events lost: work percentiles not compared"
	fi

	# processed and time_squeeze per CPU against softnet_stat deltas around it
	for cpu in 0 1; do
		for st in processed time_squeeze; do
			col=1
			[ $st = time_squeeze ] && col=3
			i=$(nl_softnet_delta "$NLTMP/$c.sn1" "$NLTMP/$c.sn2" "$cpu" $col)
			o=$(nl_softnet_delta "$NLTMP/$c.sn0" "$NLTMP/$c.sn3" "$cpu" $col)
			n=$(nl_csv "$NLTMP/$c.csv" napi "cpu=$cpu" "$st" value)
			note "$c: cpu $cpu $st softnet_stat inner=$i outer=$o netlat=${n:-none}"
			[ -n "$n" ] && [ "$n" -ge "$i" ] && [ "$n" -le "$o" ] ||
				fail "$c: cpu $cpu $st '${n}' outside the softnet_stat deltas [$i, $o]"
			[ "$cpu" = 1 ] && [ $st = processed ] && [ "$i" -lt 1000 ] &&
				fail "$c: cpu 1 processed moved only $i in the workload"
		done
	done
done
exit 0
