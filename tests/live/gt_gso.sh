#!/bin/sh
# gt_gso: segments per transmit on a veth, against an independent tracefs reader.
# Ground truth (KERNEL-NOTES): TCP bulk over a veth with TSO/GSO on hands the
# driver large skbs (net_dev_start_xmit gso_segs up to ~45); with both off,
# every transmit is one segment (gso_segs 0 or 1). The reader counts
# net_dev_start_xmit on the sending device only (its name is unique to this
# test), gso_segs 0 counted as one segment.
# On: segs_per_xmit > 1, xmits and segments within 1% of the reader's.
# Off: the same, and segs_per_xmit exactly 1.000000.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_topo_have_ethtool || skip "no ethtool"

nl_gt_collectors gso
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"

for tso in on off; do
	nl_topo_offload "$A" "$NL_DEV_A" tso "$tso" gso "$tso"
	for c in $NL_COLLECTORS; do
		t="$NLTMP/$c-tso-$tso"
		nl_truth_open 16384
		nl_truth_event net/net_dev_start_xmit "name == \"$NL_DEV_A\""
		nl_gt_record "$c" "$t.data" "$t.load" -m gso --dev "$NL_DEV_A" -- \
			"$LOAD" tcp-bulk -n 500 -s 65536 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
			fail "$c: netlat record failed"
		nl_truth_dump "$t.trace"
		nl_truth_close
		set -- $(nl_truth_gso "$t.trace" "$NL_DEV_A")
		t_x=$1 t_s=$2
		nl_report "$t.data" "$t.csv"
		lost=$(nl_gt_lost "$t.csv")
		# the row of this device whatever its netns field (bpf adds " netns=N")
		k=$(awk -F, -v d="dev=$NL_DEV_A" '$3 == "gso" && ($4 == d || index($4, d " netns=") == 1) { print $4; exit }' "$t.csv")
		n_x=$(nl_csv "$t.csv" gso "$k" xmits value)
		n_s=$(nl_csv "$t.csv" gso "$k" segments value)
		n_r=$(nl_csv "$t.csv" gso "$k" segs_per_xmit value)
		note "$c tso/gso $tso: truth xmits=$t_x segments=$t_s; netlat xmits=$n_x segments=$n_s segs_per_xmit=$n_r lost_events=$lost"
		[ -n "$n_r" ] || fail "$c: no gso segs_per_xmit row for $k"
		nl_within "$n_x" "$t_x" 1 || fail "$c tso $tso: xmits $n_x vs truth $t_x"
		nl_within "$n_s" "$t_s" 1 || fail "$c tso $tso: segments $n_s vs truth $t_s"
		if [ "$tso" = on ]; then
			awk -v r="$n_r" 'BEGIN { exit !(r > 1.5) }' || fail "$c: TSO on but segs_per_xmit $n_r"
		else
			[ "$t_x" = "$t_s" ] || fail "$c: truth reader: TSO off but xmits=$t_x segments=$t_s"
			[ "$n_r" = "1.000000" ] || fail "$c: TSO/GSO off, segs_per_xmit $n_r, want 1.000000"
		fi
	done
done
exit 0
