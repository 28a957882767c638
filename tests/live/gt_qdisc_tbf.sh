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

# truth_of COLLECTOR: the reader's pairs and the tbf arithmetic on its arrivals; sets t_sum,
# t_med and EXP_US, and fails when the reader did not see every datagram once.
truth_of() {
	note "$1: reader lines on ifindex $IFI: $(grep -c "qdisc_enqueue:.*ifindex=$IFI " "$NLTMP/$1.trace") enqueues," \
		"$(grep "qdisc_dequeue:.*ifindex=$IFI " "$NLTMP/$1.trace" | grep -vc "packets=0") dequeues," \
		"$(grep "qdisc_dequeue:.*ifindex=$IFI " "$NLTMP/$1.trace" | grep -Evc "packets=(0|1) ") of more than one packet"
	nl_truth_qdisc "$NLTMP/$1.trace" "$IFI" "$H" > "$NLTMP/$1.soj"
	t_sum=$(tail -n 1 "$NLTMP/$1.soj")
	t_med=$(nl_truth_median "$NLTMP/$1.soj")
	nl_truth_qdisc_enq "$NLTMP/$1.trace" "$IFI" "$H" > "$NLTMP/$1.enq"
	[ "$(wc -l < "$NLTMP/$1.enq")" = "$N" ] || fail "$1: the reader saw $(wc -l < "$NLTMP/$1.enq") enqueues, want $N"
	EXP_US=$(nl_tbf_median "$NLTMP/$1.enq" "$WIRE" "$BURST" "$RATE")
	note "$1: truth $t_sum median ${t_med} us; tbf arithmetic on the reader's arrivals: ${EXP_US} us"
	case $t_sum in "# packets=$N unpaired=0"*) ;; *) fail "$1: truth reader saw '$t_sum', want $N paired" ;; esac
}

# A run is judged only when its truth holds: no events lost by netlat (its percentiles would
# be over another set of packets), and the reader's median within 3% of the tbf arithmetic.
# The second fails when the guest's timers run late (a host busy with other work delays the
# emulation thread, and tbf's watchdog with it: 217018 us against 201779 once): that run is
# recorded again too, up to 5 times; a formula that is wrong fails all five.
for c in $NL_COLLECTORS; do
	try=1
	while :; do
		one_run "$c"
		if [ "$lost" != 0 ]; then
			why="$lost events lost"
		else
			truth_of "$c"
			nl_within "$t_med" "$EXP_US" 3 && break
			why="truth median $t_med us is not within 3% of the computed $EXP_US us"
		fi
		[ "$try" -lt 5 ] || fail "$c: $why, in $try recordings in a row (formula wrong here?)"
		try=$((try + 1))
		note "$c: $why: recording again"
	done
	[ "$pk" = "$N" ] || fail "$c: netlat qdisc packets '$pk' for handle $H:, want $N (no events lost)"
	nl_hist_near "$p50" "$EXP_US" 3 ||
		fail "$c: netlat sojourn p50 ${p50} ns is not the bucket of a value within 3% of computed ${EXP_US} us"
	nl_same_bucket "$p50" "$t_med" ||
		fail "$c: netlat sojourn p50 ${p50} ns is not the bucket of the reader's median $t_med us ($(nl_hist_mid $((t_med * 1000))) ns)"
done
exit 0
