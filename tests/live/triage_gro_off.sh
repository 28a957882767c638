#!/bin/sh
# triage_gro_off: a device receiving a high packet rate without GRO makes gro-ratio rank first.
# Fault: a veth pair between two test namespaces, TSO and GSO off on the
# sender (so every packet is one MTU-sized segment) and GRO off on the
# receiving end (veth then hands each packet up through netif_rx alone):
# TCP bulk gives well over 50k packets/s at 1.0 packet per skb, against the
# rule's 20k/s and 1.1 thresholds. (A tun device with IFF_NAPI would do as
# well; veth needs no extra tool.) The first finding must be gro-ratio on
# the receiving veth.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
nl_probe_need_metric gro
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_topo_have_ethtool || skip "no ethtool"

nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_offload "$A" "$NL_DEV_A" tso off gso off
nl_topo_offload "$B" "$NL_DEV_B" gro off
"$NETLAT" triage -q -o "$NLTMP/t.data" -- \
	"$LOAD" tcp-bulk -d 2s -s 65536 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
nl_triage_checked "$NLTMP/t.txt" gro-ratio
first=$(awk '/^#1 /' "$NLTMP/t.txt")
where=$(awk '/^#1 / { on = 1; next } /^#/ { on = 0 } on && $1 == "where:"' "$NLTMP/t.txt")
case "$first" in *"] gro-ratio: "*) ;; *) fail "first finding is not gro-ratio: $first" ;; esac
[ "$(echo $where)" = "where: dev=$NL_DEV_B" ] || fail "first finding names '$where', want dev=$NL_DEV_B"
exit 0
