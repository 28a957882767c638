#!/bin/sh
# vm: yes
# gt_retransmits: netem dropping 10% of one veth's egress makes TCP
# retransmit (tcp retransmits > 0); the same transfer without the loss has
# none (a tail loss probe or two at most). --port keeps the count to this test's connection. Needs sch_netem:
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
		"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m tcp --port "$PORT" -o "$t.data" -- \
			"$LOAD" tcp-bulk -n 2000 -s 1000 -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
			> "$t.load" 2> "$t.err" || { cat "$t.err"; fail "$c: netlat record failed"; }
		nl_report "$t.data" "$t.csv"
		k=""
		[ "$c" = bpf ] && k="netns=$INO_A"
		r=$(nl_csv "$t.csv" tcp "$k" retransmits value)
		note "$c: netem loss $loss%: retransmits=${r:-none} ($(cat "$t.load"))"
		# Without loss a tail loss probe (tcp_send_loss_probe retransmits the last
		# segment when its ACK is late, as under software emulation) may still
		# show: allow 2. With 10% of ~1400 segments lost, expect ~140.
		if [ "$loss" = 0 ]; then
			[ "${r:-0}" -le 2 ] || fail "$c: $r retransmits without loss"
			eval "r0_$c=${r:-0}"
		else
			eval "r0=\$r0_$c"
			[ "${r:-0}" -ge $(( 10 * (r0 + 1) )) ] ||
				fail "$c: $r retransmits with $loss% loss, $r0 without"
		fi
	done
done
exit 0
