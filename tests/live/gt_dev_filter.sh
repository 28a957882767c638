#!/bin/sh
# vm: yes
# gt_dev_filter: `record --dev IFACE` keeps only that device's rows.
# Workload, at once: 300 UDP datagrams over a veth pair between two test
# namespaces (devices nl<pid>a -> nl<pid>b), and 300 over the sender
# namespace's lo. Recorded with --dev nl<pid>a (gso, gro, tx, rx).
# Ground truth: an independent tracefs reader counting net_dev_start_xmit
# lines per device (gso_segs 0 = one segment).
# Asserts per collector: every row that names a device names nl<pid>a,
# though the reader saw lo and nl<pid>b busy in the same window; the gso
# xmits on nl<pid>a equal the reader's count there (300: IPv6 is off on the
# test veths, the neighbour entries are permanent).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

M=300
nl_gt_collectors gso
nl_topo_netns A devs
nl_topo_netns B devr
nl_topo_veth "$A" "$B"

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	nl_truth_open 8192
	nl_truth_event net/net_dev_start_xmit
	nl_gt_record "$c" "$t.data" "$t.load" -m gso,gro,tx,rx --dev "$NL_DEV_A" -- sh -c '
		"$1" udp-burst -n "$2" -s 200 -a 127.0.0.1 -p 5401 --netns "$3" --peer-netns "$3" > "$5.lo" &
		"$1" udp-burst -n "$2" -s 200 -a "$4" -p 5402 --netns "$3" --peer-netns "$6"
		wait' nldev "$LOAD" "$M" "$A" "$NL_TOPO_V4_B" "$t" "$B" ||
		fail "$c: netlat record failed"
	nl_truth_dump "$t.trace"
	nl_truth_close
	note "$c: $(cat "$t.load") / lo: $(cat "$t.lo")"
	grep -q "recv_msgs=$M " "$t.load" && grep -q "recv_msgs=$M " "$t.lo" || fail "$c: a receiver missed datagrams"
	ta=$(nl_truth_gso "$t.trace" "$NL_DEV_A")
	tl=$(nl_truth_gso "$t.trace" lo)
	nl_report "$t.data" "$t.csv"
	devs=$(awk -F, 'NR > 1 && $2 == "total" { if (match($4, /dev=[^ ]+/)) print substr($4, RSTART + 4, RLENGTH - 4) }' "$t.csv" |
		sort -u | tr '\n' ' ')
	xa=$(nl_csv_sum "$t.csv" gso "^dev=$NL_DEV_A( |\$)" xmits value)
	note "$c: devices in netlat's rows: ${devs:-none}; reader xmits/segments on $NL_DEV_A: $ta, on lo: $tl; netlat xmits on $NL_DEV_A: ${xa:-none}"
	[ "${tl%% *}" -ge "$M" ] || fail "$c: the reader saw only ${tl%% *} transmits on lo"
	[ "$devs" = "$NL_DEV_A " ] || fail "$c: rows of devices '$devs' with --dev $NL_DEV_A"
	[ "${ta%% *}" = "$M" ] || fail "$c: the reader saw ${ta%% *} transmits on $NL_DEV_A, want $M"
	lost=$(nl_gt_lost "$t.csv")
	[ -n "$xa" ] && [ "$xa" -le "$M" ] && [ $((xa + lost)) -ge "$M" ] ||
		fail "$c: gso xmits on $NL_DEV_A '$xa' (+$lost lost), the reader saw $M"
done
exit 0
