#!/bin/sh
# triage_qdisc_tbf: a tbf shaper makes the qdisc-sojourn finding rank first, naming the device and qdisc.
# Fault: tbf 8 mbit (burst 1600 B) as root qdisc on a test veth, and a burst of
# 200 UDP datagrams of 1000 B: the last one waits about 200 x 1042 B x 8 / 8 Mbit
# = 208 ms in the qdisc, far beyond the rule's 1 ms p99 threshold. The first
# finding must be qdisc-sojourn, on the veth, with this test's qdisc handle.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
nl_probe_need_metric qdisc
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" 8mbit 1600 1mb
H=$(nl_topo_handle)

"$NETLAT" triage -q -o "$NLTMP/t.data" -- \
	"$LOAD" udp-burst -n 200 -s 1000 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
nl_triage_checked "$NLTMP/t.txt" qdisc-sojourn
first=$(awk '/^#1 /' "$NLTMP/t.txt")
where=$(awk '/^#1 / { on = 1; next } /^#/ { on = 0 } on && $1 == "where:"' "$NLTMP/t.txt")
case "$first" in *"] qdisc-sojourn: "*) ;; *) fail "first finding is not qdisc-sojourn: $first" ;; esac
case "$where" in *"dev=$NL_DEV_A qdisc handle=$H:"*) ;; *) fail "first finding names '$where', want dev=$NL_DEV_A handle $H:" ;; esac
exit 0
