#!/bin/sh
# gt_gro: GRO coalescing ratio on a veth, against an independent tracefs reader.
# Ground truth (KERNEL-NOTES): `ethtool -K <receiving veth> gro on` gives that
# veth a NAPI with GRO; with the sender's TSO/GSO off, a TCP bulk transfer
# arrives as MSS-sized packets that GRO merges. The reader counts, on the
# receiving device only (its name is unique to this test), the packets going
# in (napi_gro_receive_entry + netif_rx + netif_receive_skb_entry +
# netif_receive_skb_list_entry) and the skbs coming out (netif_receive_skb).
# GRO on: netlat's ratio > 1 and within 1% of the reader's; GRO off: exactly 1.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_topo_have_ethtool || skip "no ethtool"

nl_gt_collectors gro
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_offload "$A" "$NL_DEV_A" tso off gso off
# NL_GT_BULK_N: messages of 64 KiB (vm_virtio_gro sends fewer: without checksum offload the
# emulated guest checksums every byte in software); the VM tier's veth run sends 150, which
# still gives GRO thousands of segments to merge and keeps the emulated run under a minute
bulk_default=500
[ "${NL_TIER:-}" = vm ] && bulk_default=150
BULK_N=${NL_GT_BULK_N:-$bulk_default}
IN_EVENTS="napi_gro_receive_entry netif_rx netif_receive_skb_entry netif_receive_skb_list_entry"

# truth_ratio TRACE: "in out ratio" on the receiving device
truth_ratio() {
	_in=0
	for _e in $IN_EVENTS; do
		_in=$((_in + $(nl_truth_count "$1" "$_e" "$NL_DEV_B")))
	done
	_out=$(nl_truth_count "$1" netif_receive_skb "$NL_DEV_B")
	echo "$_in $_out $(awk -v a="$_in" -v b="$_out" 'BEGIN { if (b > 0) printf "%.6f", a / b }')"
}

for gro in on off; do
	nl_topo_offload "$B" "$NL_DEV_B" gro "$gro"
	for c in $NL_COLLECTORS; do
		t="$NLTMP/$c-gro-$gro"
		nl_truth_open 16384
		for e in $IN_EVENTS netif_receive_skb; do
			[ -d "$NL_TRUTH/events/net/$e" ] && nl_truth_event "net/$e" "name == \"$NL_DEV_B\""
		done
		nl_gt_record "$c" "$t.data" "$t.load" -m gro --dev "$NL_DEV_B" -- \
			"$LOAD" tcp-bulk -n "$BULK_N" -s 65536 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
			fail "$c: netlat record failed"
		nl_truth_dump "$t.trace"
		nl_truth_close
		set -- $(truth_ratio "$t.trace")
		t_in=$1 t_out=$2 t_ratio=$3
		nl_report "$t.data" "$t.csv"
		lost=$(nl_gt_lost "$t.csv")
		# the row of this device whatever its netns field (bpf adds " netns=N")
		k=$(awk -F, -v d="dev=$NL_DEV_B" '$3 == "gro" && ($4 == d || index($4, d " netns=") == 1) { print $4; exit }' "$t.csv")
		n_ratio=$(nl_csv "$t.csv" gro "$k" ratio value)
		n_in=$(( $(nl_csv "$t.csv" gro "$k" gro_in value) + $(nl_csv "$t.csv" gro "$k" direct_in value) ))
		n_out=$(nl_csv "$t.csv" gro "$k" skbs_out value)
		note "$c gro $gro: truth in=$t_in out=$t_out ratio=$t_ratio; netlat in=$n_in out=$n_out ratio=$n_ratio lost_events=$lost"
		[ -n "$n_ratio" ] || fail "$c gro $gro: no gro ratio row for $k"
		nl_within "$n_in" "$t_in" 1 || fail "$c gro $gro: packets in $n_in vs truth $t_in"
		nl_within "$n_out" "$t_out" 1 || fail "$c gro $gro: skbs out $n_out vs truth $t_out"
		nl_within "$n_ratio" "$t_ratio" 1 || fail "$c gro $gro: ratio $n_ratio vs truth $t_ratio"
		if [ "$gro" = on ]; then
			awk -v r="$n_ratio" 'BEGIN { exit !(r > 1.5) }' ||
				fail "$c: GRO on but ratio $n_ratio (truth $t_ratio)"
		else
			[ "$t_in" = "$t_out" ] || fail "$c: truth reader: GRO off but in=$t_in out=$t_out"
			[ "$n_ratio" = "1.000000" ] || fail "$c: GRO off, ratio $n_ratio, want 1.000000"
		fi
	done
done
exit 0
