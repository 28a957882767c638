#!/bin/sh
# vm: core
# gt_drops_noport: UDP datagrams to a closed port on ::1 in a fresh namespace
# are dropped once each with reason NO_SOCKET (KERNEL-NOTES: exactly one per
# datagram; the ICMPv6 errors are not dropped). Truth: the datagrams the
# sender's send() accepted (netlat-load's sent_msgs). The reason's name is
# the kernel's, read from the kfree_skb format; bpf rows carry the netns.
# A kernel whose kfree_skb has no reason field (before 5.17: 5.10 in the VM tier) gets the
# older path: the same count at the UDPv6 receive location with reason "unavailable", and
# the report's drops header must say why.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_truth_tracefs
# Before Linux 5.17 kfree_skb has no reason field (5.10 in the VM tier): netlat must then
# count the same drops per location with reason "unavailable", and say so in the report.
FMT="$NL_TRACEFS/events/skb/kfree_skb/format"
if grep -q '"NO_SOCKET"' "$FMT"; then
	REASON=NO_SOCKET
elif ! grep -q 'field:.*[ \t]reason;' "$FMT"; then
	REASON=unavailable
	note "kfree_skb has no reason field here: drops per location, reason 'unavailable'"
else
	skip "this kernel's kfree_skb has reasons but no NO_SOCKET"
fi
# the location of a UDP datagram to a closed port on ::1
LOC='__udp6_lib_rcv'

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
	# with reasons, NO_SOCKET anywhere in the namespace; without, the UDPv6 receive location
	where_re="[^ ]+"
	[ "$REASON" = unavailable ] && where_re="$LOC[+][^ ]+"
	if [ "$c" = bpf ]; then
		got=$(nl_csv_sum "$t.csv" drops "^reason=$REASON location=$where_re netns=$INO\$" drops value)
	else
		got=$(nl_csv_sum "$t.csv" drops "^reason=$REASON location=$where_re\$" drops value)
	fi
	where=$(awk -F, -v r="reason=$REASON " '$2 == "total" && $3 == "drops" && index($4, r) == 1 { print $4 }' "$t.csv" | head -n 3)
	note "$c: sent=$sent $REASON drops=$got rows: $where"
	if [ "$REASON" = unavailable ]; then
		"$NETLAT" report --full -i "$t.data" >"$t.txt" 2>&1 || fail "$c: netlat report failed"
		grep -q '^# drops (.*no kfree_skb reason)' "$t.txt" ||
			fail "$c: the report does not say why drops have no reasons: $(grep '^# drops' "$t.txt")"
	fi
	# one drop per datagram, or netlat says it lost events (docs/testing.md), never more
	lost=$(nl_gt_lost "$t.csv")
	[ -n "$got" ] && [ "$got" -le "$sent" ] && [ $((got + lost)) -ge "$sent" ] ||
		fail "$c: $REASON drops $got (+$lost lost), want $sent"
	grep -q 'location=0x\|location=unknown' "$t.csv" && fail "$c: a location was not symbolized"
done
exit 0
