#!/bin/sh
# vm: core
# gt_drops_noport: UDP datagrams to a closed port on ::1 in a fresh namespace
# are dropped once each with reason NO_SOCKET (KERNEL-NOTES: exactly one per
# datagram; the ICMPv6 errors are not dropped). Truth: the datagrams the
# sender's send() accepted (netlat-load's sent_msgs). The reason's name is
# the kernel's, read from the kfree_skb format; bpf rows carry the netns.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_truth_tracefs
grep -q '"NO_SOCKET"' "$NL_TRACEFS/events/skb/kfree_skb/format" 2>/dev/null ||
	skip "this kernel's kfree_skb has no NO_SOCKET reason"

N=200
nl_gt_collectors drops
nl_topo_netns A drop
INO=$(ip netns exec "$A" stat -L -c %i /proc/self/ns/net) || fail "no inode for $A"
for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m drops -o "$t.data" -- \
		"$LOAD" udp-burst --connect -n "$N" -s 100 -a ::1 -p 9 --netns "$A" \
		> "$t.load" 2> "$t.err" || { cat "$t.err"; fail "$c: netlat record failed"; }
	sent=$(sed -n 's/.*sent_msgs=\([0-9]*\).*/\1/p' "$t.load")
	[ "$sent" = "$N" ] || fail "$c: sender got $sent of $N datagrams out: $(cat "$t.load")"
	nl_report "$t.data" "$t.csv"
	if [ "$c" = bpf ]; then
		got=$(nl_csv_sum "$t.csv" drops "^reason=NO_SOCKET location=[^ ]+ netns=$INO\$" drops value)
	else
		got=$(nl_csv_sum "$t.csv" drops "^reason=NO_SOCKET location=[^ ]+\$" drops value)
	fi
	where=$(awk -F, '$2 == "total" && $3 == "drops" && $4 ~ /^reason=NO_SOCKET / { print $4 }' "$t.csv" | head -n 3)
	note "$c: sent=$sent NO_SOCKET drops=$got rows: $where"
	# one drop per datagram, or netlat says it lost events (docs/testing.md), never more
	lost=$(nl_gt_lost "$t.csv")
	[ -n "$got" ] && [ "$got" -le "$sent" ] && [ $((got + lost)) -ge "$sent" ] ||
		fail "$c: NO_SOCKET drops $got (+$lost lost), want $sent"
	grep -q 'location=0x\|location=unknown' "$t.csv" && fail "$c: a location was not symbolized"
done
exit 0
