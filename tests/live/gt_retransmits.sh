#!/bin/sh
# vm: yes
# gt_retransmits: netem dropping 10% of one veth's egress makes TCP
# retransmit (tcp retransmits > 0, at least ten times the count without it);
# without the loss there are none unless the kernel itself retransmitted,
# and netlat's count equals an independent tracefs reader's count of
# tcp_retransmit_skb for the connection either way. --port keeps the count to
# this test's connection. Needs sch_netem:
# always in the VM tier; skipped with the reason where the host lacks it.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
PORT=$(( 20000 + $$ % 20000 ))
nl_gt_collectors tcp
nl_topo_netns A rtc
nl_topo_netns B rts
nl_topo_veth "$A" "$B"
INO_A=$(ip netns exec "$A" stat -L -c %i /proc/self/ns/net) || fail "no inode for $A"
if ! tc -n "$A" qdisc add dev "$NL_DEV_A" root netem loss 0% 2> "$NLTMP/netem.err"; then
	[ "$NL_TIER" = vm ] && fail "netem unavailable in the VM tier: $(cat "$NLTMP/netem.err")"
	skip "sch_netem unavailable here: $(head -n 1 "$NLTMP/netem.err")"
fi
for loss in 0 10; do
	tc -n "$A" qdisc change dev "$NL_DEV_A" root netem loss "$loss%" || fail "netem loss $loss%"
	for c in $NL_COLLECTORS; do
		t="$NLTMP/$c-$loss"
		# the independent count: tcp_retransmit_skb lines of this test's connection
		nl_truth_open 4096
		nl_truth_event tcp/tcp_retransmit_skb "sport == $PORT || dport == $PORT"
		nl_gt_record "$c" "$t.data" "$t.load" -m tcp --port "$PORT" -- \
			"$LOAD" tcp-bulk -n 2000 -s 1000 -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
			fail "$c: netlat record failed"
		nl_truth_dump "$t.trace"
		nl_truth_close
		truth=$(grep -c 'tcp_retransmit_skb:' "$t.trace")
		nl_report "$t.data" "$t.csv"
		lost=$(nl_gt_lost "$t.csv")
		k=""
		[ "$c" = bpf ] && k="netns=$INO_A"
		r=$(nl_csv "$t.csv" tcp "$k" retransmits value)
		r=${r:-0}
		note "$c: netem loss $loss%: retransmits=$r truth=$truth lost=$lost ($(cat "$t.load"))"
		# netlat counts what the kernel did (events it reports lost aside)
		[ "$r" -le "$truth" ] && [ $((r + lost)) -ge "$truth" ] ||
			fail "$c: $r retransmits (+$lost lost), the reader saw $truth"
		if [ "$loss" = 0 ]; then
			# Without loss there are none, unless the kernel itself retransmitted
			# (a spurious timeout or loss probe, as software emulation can cause):
			# then netlat must have counted those, checked above.
			[ "$truth" = 0 ] || note "$c: the kernel retransmitted $truth times without loss (spurious timeouts)"
			eval "r0_$c=$r"
		else
			eval "r0=\$r0_$c"
			[ "$r" -ge $(( 10 * (r0 + 1) )) ] ||
				fail "$c: $r retransmits with $loss% loss, $r0 without"
		fi
	done
done
exit 0
