#!/bin/sh
# triage_drops: UDP to a closed port makes the drops finding rank first, naming NO_SOCKET.
# Fault (KERNEL-NOTES ground truth): in a fresh namespace, every UDP datagram
# to a port nobody listens on, over ::1, is freed once with reason NO_SOCKET
# in __udp6_lib_rcv. 2000 of them in about a second is far above the rule's
# 1 drop/s threshold. The first finding must be drops, reason NO_SOCKET, at
# a udp receive function, in this test's namespace.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
nl_probe_need_metric drops
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns N drops
ip netns exec "$N" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6' 2>/dev/null
INO=$(ip netns exec "$N" stat -L -c %i /proc/self/ns/net) || fail "netns inode"
"$NETLAT" triage -q -o "$NLTMP/t.data" -- sh -c '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$1" udp-burst --connect -n 200 -s 100 -a ::1 -p 9 --netns "$2" || true
		sleep 0.1
	done' nltriage "$LOAD" "$N" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
nl_triage_checked "$NLTMP/t.txt" drops
first=$(awk '/^#1 /' "$NLTMP/t.txt")
where=$(awk '/^#1 / { on = 1; next } /^#/ { on = 0 } on && $1 == "where:"' "$NLTMP/t.txt")
case "$first" in *"] drops: "*) ;; *) fail "first finding is not drops: $first" ;; esac
case "$where" in *"reason=NO_SOCKET location=__udp"*) ;; *) fail "first finding names '$where', want reason=NO_SOCKET at __udp*" ;; esac
case "$where" in *"netns="*) case "$where" in *"netns=$INO"*) ;; *) fail "first finding is in another netns: $where (want $INO)" ;; esac ;; esac
exit 0
