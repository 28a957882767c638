#!/bin/sh
# gt_tx_qdisc: the tx ladder's qdisc stage against a delay computed from tbf's parameters.
# Ground truth (as gt_qdisc_tbf): a tbf root qdisc (RATE, BURST) on a veth
# between two test namespaces and a burst of N UDP datagrams of SIZE bytes
# sent at once (1 mbit/s: 8 ms per packet, slow enough that the per-packet
# cost of the path, large under software emulation, does not pace it).
# tbf lets packet k (0-based) go when the bucket holds its
# bytes again, t_k = ((k+1) * WIRE - BURST) * 8 / RATE with WIRE = SIZE + 8
# UDP + 20 IPv4 + 14 Ethernet, so the median waits about
# (N/2 * WIRE - BURST) * 8 / RATE in the qdisc. Every other stage of the
# transmit path (the driver, the completion of a veth skb handed to a reader
# that is waiting for it) takes microseconds.
# Asserts per collector: qdisc packets == N on the tbf device, qdisc p50
# within 20% of the computed value, and the qdisc p50 the largest of the
# stages on that device (total, which spans them all, aside). An independent
# tracefs reader pairs qdisc_enqueue/qdisc_dequeue too, to check the formula.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

N=40 SIZE=1000 RATE=1000000 BURST=1600
WIRE=$((SIZE + 8 + 20 + 14))
EXP_US=$(( (N / 2 * WIRE - BURST) * 8 * 1000000 / RATE ))

nl_gt_collectors tx
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "${RATE}bit" "$BURST" 1mb
note "tbf on $NL_DEV_A: $N x $SIZE B (wire $WIRE B) at $RATE bit/s, expected qdisc median ${EXP_US} us"

H=$(nl_topo_handle)
IFI=$(nl_topo_ifindex "$A" "$NL_DEV_A")
for c in $NL_COLLECTORS; do
	nl_truth_open 8192
	nl_truth_event qdisc/qdisc_enqueue "ifindex == $IFI"
	nl_truth_event qdisc/qdisc_dequeue "ifindex == $IFI"
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m tx -- \
		"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
		fail "$c: netlat record failed"
	nl_truth_dump "$NLTMP/$c.trace"
	nl_truth_close
	note "$c: $(cat "$NLTMP/$c.load")"
	grep -q "recv_msgs=$N " "$NLTMP/$c.load" || fail "$c: the receiver did not get all $N datagrams"

	# an independent reader pairs the same enqueues and dequeues: where it pairs them
	# all, the formula must hold (its text parsing does not pair on every kernel)
	nl_truth_qdisc "$NLTMP/$c.trace" "$IFI" "$H" > "$NLTMP/$c.soj"
	t_sum=$(tail -n 1 "$NLTMP/$c.soj")
	t_med=$(nl_truth_median "$NLTMP/$c.soj")
	note "$c: truth $t_sum median ${t_med} us"
	if case $t_sum in "# packets=$N unpaired=0"*) true ;; *) false ;; esac; then
		nl_within "$t_med" "$EXP_US" 10 ||
			fail "$c: truth median $t_med us is not within 10% of the computed $EXP_US us (formula wrong here?)"
	else
		note "$c: the truth reader could not pair this kernel's trace; the formula alone is the truth"
	fi

	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	k="^stage=qdisc dev=$NL_DEV_A\$"
	pk=$(nl_csv_sum "$NLTMP/$c.csv" tx "$k" packets value)
	p50=$(nl_csv_sum "$NLTMP/$c.csv" tx "$k" latency p50)
	note "$c: netlat qdisc packets=$pk p50=${p50} ns"
	# every datagram, or netlat says it lost events (docs/testing.md), never more
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	[ -n "$pk" ] && [ "$pk" -le "$N" ] && [ $((pk + lost)) -ge "$N" ] ||
		fail "$c: tx qdisc packets '$pk' (+$lost lost) on $NL_DEV_A, want $N"
	nl_within "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')" "$EXP_US" 20 ||
		fail "$c: tx qdisc p50 ${p50} ns not within 20% of computed ${EXP_US} us"
	for s in send_to_dev driver completion; do
		sp=$(nl_csv_sum "$NLTMP/$c.csv" tx "^stage=$s dev=$NL_DEV_A\$" latency p50)
		note "$c: $s p50=${sp:-absent} ns"
		[ -z "$sp" ] && continue
		awk -v a="$sp" -v q="$p50" 'BEGIN { exit !(a + 0 < q + 0) }' ||
			fail "$c: $s p50 $sp ns is not below the qdisc p50 $p50 ns"
	done
	"$NETLAT" report --full -i "$NLTMP/$c.data" -m tx > "$NLTMP/$c.txt" || fail "$c: text report failed"
	awk -v d="dev=$NL_DEV_A" '$1 == d { on = 1; next } /^  dev=/ { on = 0 } on' "$NLTMP/$c.txt" |
		grep -q '^    qdisc .*<- slowest' || fail "$c: the text ladder does not mark qdisc as the slowest rung"
done
exit 0
