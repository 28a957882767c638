#!/bin/sh
# vm: core
# gt_qdisc_tbf: qdisc sojourn against a rate computed from tbf's parameters.
# Ground truth: a tbf root qdisc (RATE, BURST) on a veth between two test
# namespaces, and a burst of N UDP datagrams of SIZE bytes sent at once. tbf
# lets packet k (0-based) go when the bucket holds its bytes again:
#   t_k = ((k+1) * WIRE - BURST) * 8 / RATE,  WIRE = SIZE + 8 UDP + 20 IPv4 + 14 Ethernet
# so the median waits about (N/2 * WIRE - BURST) * 8 / RATE (the sender's few
# microseconds per packet shift this by well under 1%; 4 mbit keeps that true
# even in the emulated VM, where sending is ten times slower). An independent tracefs
# reader pairs qdisc_enqueue/qdisc_dequeue on the same root qdisc as a check.
# Asserts per collector: packets == N, sojourn p50 within 20% of the computed value.
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
note "tbf $H: on $NL_DEV_A (ifindex $IFI), $N x $SIZE B (wire $WIRE B), expected median ${EXP_US} us"

for c in $NL_COLLECTORS; do
	nl_truth_open 8192
	nl_truth_event qdisc/qdisc_enqueue "ifindex == $IFI"
	nl_truth_event qdisc/qdisc_dequeue "ifindex == $IFI"
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m qdisc -- \
		"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
		fail "$c: netlat record failed"
	nl_truth_dump "$NLTMP/$c.trace"
	nl_truth_close
	note "$c: $(cat "$NLTMP/$c.load")"
	grep -q "recv_msgs=$N " "$NLTMP/$c.load" || fail "$c: the receiver did not get all $N datagrams"

	# the truth reader: every datagram paired, median near the computed value
	nl_truth_qdisc "$NLTMP/$c.trace" "$IFI" "$H" > "$NLTMP/$c.soj"
	t_sum=$(tail -n 1 "$NLTMP/$c.soj")
	t_med=$(nl_truth_median "$NLTMP/$c.soj")
	note "$c: truth $t_sum median ${t_med} us"
	case $t_sum in "# packets=$N unpaired=0"*) ;; *) fail "$c: truth reader saw '$t_sum', want $N paired" ;; esac
	nl_within "$t_med" "$EXP_US" 10 ||
		fail "$c: truth median $t_med us is not within 10% of the computed $EXP_US us (formula wrong here?)"

	# netlat: the row of this test's qdisc handle (the device lives in another namespace)
	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	pk=$(nl_csv_sum "$NLTMP/$c.csv" qdisc "handle=$H:( |\$)" packets value)
	p50=$(nl_csv_sum "$NLTMP/$c.csv" qdisc "handle=$H:( |\$)" sojourn p50)
	note "$c: netlat packets=$pk sojourn p50=${p50} ns"
	# every datagram is paired, or netlat says it lost events (docs/testing.md: BPF
	# runs the test host's kernel never delivers), never more than were sent
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	[ -n "$pk" ] && [ "$pk" -le "$N" ] && [ $((pk + lost)) -ge "$N" ] ||
		fail "$c: netlat qdisc packets '$pk' (+$lost lost) for handle $H:, want $N"
	nl_within "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')" "$EXP_US" 20 ||
		fail "$c: netlat sojourn p50 ${p50} ns not within 20% of computed ${EXP_US} us"
done
exit 0
