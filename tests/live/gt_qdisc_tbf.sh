#!/bin/sh
# vm: core
# gt_qdisc_tbf: qdisc sojourn against a rate computed from tbf's parameters.
# Ground truth: a tbf root qdisc (RATE, BURST) on a veth between two test
# namespaces, and a burst of N UDP datagrams of SIZE bytes sent at once. tbf
# lets packet k (0-based) go when the bucket holds its bytes again:
#   t_k = ((k+1) * WIRE - BURST) * 8 / RATE,  WIRE = SIZE + 8 UDP + 20 IPv4 + 14 Ethernet
# so the median waits about (N/2 * WIRE - BURST) * 8 / RATE when the sender
# queues them all at once (on the host: its few microseconds per packet shift
# this by well under 1%). In the emulated VM the sender can take 2 ms a
# packet, as long as tbf at 4 mbit takes to send one, and the median fell 3%
# short (198985 us against 205200 on 6.12, 1600 B bucket): so the computed value is the same
# tbf arithmetic applied to the real arrivals, the enqueue times an
# independent tracefs reader saw (nl_tbf_median; it gives the closed formula
# when all arrive at once). The reader also pairs qdisc_enqueue/qdisc_dequeue
# on the same root qdisc as a check. The bucket holds one packet and a half
# (1600 B), so tbf never releases two at once: a bulk dequeue names only its
# first skb in qdisc_dequeue, and the reader would miss the others. A bigger
# bucket was tried to ride out late dequeue timers with two VM guests at once
# and brought bulk dequeues (194 of 200 named); the VM tier runs one guest
# at a time, where the timers hold the arithmetic.
# Asserts per collector: packets == N; the reader's median and netlat's sojourn
# p50 within 3% of the computed value (measured spread of the reader's median,
# 7 runs on the loaded 2-CPU host: -1.3%..+1.6%; the histogram bucket around
# 205 ms is 8.4 ms wide, so netlat's p50 is the bucket middle, 205.5 ms); and
# netlat's p50 is the middle of the bucket holding the reader's median (both
# read the same 200 pairs: the 100th value is the same, but for microseconds).
# A recording in which netlat reports lost events is recorded again (up to 5
# times): its percentiles would be over another set of packets.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

N=200 SIZE=1000 RATE=4000000 BURST=1600
WIRE=$((SIZE + 8 + 20 + 14))
EXP_US=$(( (N / 2 * WIRE - BURST) * 8 * 1000000 / RATE ))

nl_gt_collectors qdisc
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "${RATE}bit" "$BURST" 1mb
H=$(nl_topo_handle)
IFI=$(nl_topo_ifindex "$A" "$NL_DEV_A")
note "tbf $H: on $NL_DEV_A (ifindex $IFI), $N x $SIZE B (wire $WIRE B), median ${EXP_US} us if sent at once"

# one_run COLLECTOR: record the burst with the reader on; sets lost, pk and p50.
one_run() {
	nl_truth_open 8192
	nl_truth_event qdisc/qdisc_enqueue "ifindex == $IFI"
	nl_truth_event qdisc/qdisc_dequeue "ifindex == $IFI"
	nl_gt_record "$1" "$NLTMP/$1.data" "$NLTMP/$1.load" -m qdisc -- \
		"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
		fail "$1: netlat record failed"
	nl_truth_dump "$NLTMP/$1.trace"
	nl_truth_close
	note "$1: $(cat "$NLTMP/$1.load")"
	grep -q "recv_msgs=$N " "$NLTMP/$1.load" || fail "$1: the receiver did not get all $N datagrams"
	# netlat: the row of this test's qdisc handle (the device lives in another namespace)
	nl_report "$NLTMP/$1.data" "$NLTMP/$1.csv"
	pk=$(nl_csv_sum "$NLTMP/$1.csv" qdisc "handle=$H:( |\$)" packets value)
	p50=$(nl_csv_sum "$NLTMP/$1.csv" qdisc "handle=$H:( |\$)" sojourn p50)
	lost=$(nl_gt_lost "$NLTMP/$1.csv")
	note "$1: netlat packets=$pk sojourn p50=${p50} ns lost_events=$lost"
}

for c in $NL_COLLECTORS; do
	try=1
	while one_run "$c"; [ "$lost" != 0 ]; do
		[ "$try" -lt 5 ] || fail "$c: events lost in $try recordings in a row"
		try=$((try + 1))
		note "$c: $lost events lost: recording again"
	done

	# the truth reader: every datagram paired, median near the computed value
	note "$c: reader lines on ifindex $IFI: $(grep -c "qdisc_enqueue:.*ifindex=$IFI " "$NLTMP/$c.trace") enqueues," \
		"$(grep "qdisc_dequeue:.*ifindex=$IFI " "$NLTMP/$c.trace" | grep -vc "packets=0") dequeues," \
		"$(grep "qdisc_dequeue:.*ifindex=$IFI " "$NLTMP/$c.trace" | grep -Evc "packets=(0|1) ") of more than one packet"
	nl_truth_qdisc "$NLTMP/$c.trace" "$IFI" "$H" > "$NLTMP/$c.soj"
	t_sum=$(tail -n 1 "$NLTMP/$c.soj")
	t_med=$(nl_truth_median "$NLTMP/$c.soj")
	nl_truth_qdisc_enq "$NLTMP/$c.trace" "$IFI" "$H" > "$NLTMP/$c.enq"
	[ "$(wc -l < "$NLTMP/$c.enq")" = "$N" ] || fail "$c: the reader saw $(wc -l < "$NLTMP/$c.enq") enqueues, want $N"
	EXP_US=$(nl_tbf_median "$NLTMP/$c.enq" "$WIRE" "$BURST" "$RATE")
	note "$c: truth $t_sum median ${t_med} us; tbf arithmetic on the reader's arrivals: ${EXP_US} us"
	case $t_sum in "# packets=$N unpaired=0"*) ;; *) fail "$c: truth reader saw '$t_sum', want $N paired" ;; esac
	nl_within "$t_med" "$EXP_US" 3 ||
		fail "$c: truth median $t_med us is not within 3% of the computed $EXP_US us (formula wrong here?)"
	[ "$pk" = "$N" ] || fail "$c: netlat qdisc packets '$pk' for handle $H:, want $N (no events lost)"
	nl_hist_near "$p50" "$EXP_US" 3 ||
		fail "$c: netlat sojourn p50 ${p50} ns is not the bucket of a value within 3% of computed ${EXP_US} us"
	nl_same_bucket "$p50" "$t_med" ||
		fail "$c: netlat sojourn p50 ${p50} ns is not the bucket of the reader's median $t_med us ($(nl_hist_mid $((t_med * 1000))) ns)"
done
exit 0
