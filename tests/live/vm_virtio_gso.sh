#!/bin/sh
# vm: only
# vm_virtio_gso: segments per transmit on a real NIC driver, and why the virtio offloads
# cannot be seen. QEMU's virtio-net offers checksum offload and TSO only when its peer takes a
# virtio-net header (a tap backend); the VM tier's NICs sit on a QEMU hub (no host network),
# which takes none, so the guest's virtio_net has neither: seen in the VM, ethtool reports
# scatter-gather, tx-checksumming and TSO off, and GSO "off [requested on]" (GSO needs SG).
# nl_topo_virtio asks for all of them on; the test checks that TSO stays off (the stated
# reason), then the counts gt_gso checks with TSO off: a TCP bulk transfer from A to B is one
# segment per transmit for the independent reader (net_dev_start_xmit gso_segs 0 or 1 on A:
# the stack segments in validate_xmit_skb, before the tracepoint), and netlat's xmits and
# segments are the reader's within 1%, segs_per_xmit exactly 1.000000.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_topo_have_ethtool || fail "no ethtool in the VM (tests/vm/build-initramfs.sh copies it)"

nl_gt_collectors gso
nl_topo_netns A tx
nl_topo_netns B rx
NL_TOPO_LINK=virtio nl_topo_veth "$A" "$B"

tso=$(ip netns exec "$A" ethtool -k "$NL_DEV_A" | grep '^tcp-segmentation-offload:')
note "$NL_DEV_A: $tso"
case $tso in
"tcp-segmentation-offload: off"*) ;;
*) fail "virtio-net on a QEMU hub should offer no TSO, ethtool says '$tso' (then TSO segments can be seen: test them)" ;;
esac

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	nl_truth_open 16384
	nl_truth_event net/net_dev_start_xmit "name == \"$NL_DEV_A\""
	nl_gt_record "$c" "$t.data" "$t.load" -m gso --dev "$NL_DEV_A" -- \
		"$LOAD" tcp-bulk -n 100 -s 65536 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
		fail "$c: netlat record failed"
	nl_truth_dump "$t.trace"
	nl_truth_close
	set -- $(nl_truth_gso "$t.trace" "$NL_DEV_A")
	t_x=$1 t_s=$2
	nl_report "$t.data" "$t.csv"
	lost=$(nl_gt_lost "$t.csv")
	k=$(awk -F, -v d="dev=$NL_DEV_A" '$3 == "gso" && ($4 == d || index($4, d " netns=") == 1) { print $4; exit }' "$t.csv")
	n_x=$(nl_csv "$t.csv" gso "$k" xmits value)
	n_s=$(nl_csv "$t.csv" gso "$k" segments value)
	n_r=$(nl_csv "$t.csv" gso "$k" segs_per_xmit value)
	note "$c: truth xmits=$t_x segments=$t_s; netlat xmits=$n_x segments=$n_s segs_per_xmit=$n_r lost_events=$lost"
	[ "$t_x" -ge 1000 ] || fail "$c: the reader saw only $t_x transmits on $NL_DEV_A"
	[ "$t_x" = "$t_s" ] || fail "$c: reader: no TSO, yet xmits=$t_x segments=$t_s"
	[ -n "$n_r" ] || fail "$c: no gso segs_per_xmit row for $k"
	nl_within "$n_x" "$t_x" 1 || fail "$c: xmits $n_x vs truth $t_x"
	nl_within "$n_s" "$t_s" 1 || fail "$c: segments $n_s vs truth $t_s"
	[ "$n_r" = "1.000000" ] || fail "$c: no TSO, segs_per_xmit $n_r, want 1.000000"
done
exit 0
