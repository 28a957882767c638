#!/bin/sh
# triage_replay: `triage -i` on the saved recording gives the same findings as the live run did,
# and needs no privileges. Fault: UDP to a closed port (as in triage_drops),
# recorded with `netlat triage -o`. The live output and the output of
# `netlat triage -i` on the file (as root, then as nobody on a readable copy)
# must be identical line for line, and hold at least one finding.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns N replay
ip netns exec "$N" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6' 2>/dev/null
"$NETLAT" triage -q -o "$NLTMP/t.data" -- sh -c '
	for i in 1 2 3 4 5; do
		"$1" udp-burst --connect -n 200 -s 100 -a ::1 -p 9 --netns "$2" >/dev/null || true
		sleep 0.1
	done' nltriage "$LOAD" "$N" > "$NLTMP/live.txt" 2> "$NLTMP/t.err" ||
	{ cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/live.txt"
grep -q '^#1 ' "$NLTMP/live.txt" || fail "the live run found nothing to compare"
"$NETLAT" triage -i "$NLTMP/t.data" > "$NLTMP/replay.txt" 2>&1 || fail "netlat triage -i failed"
diff "$NLTMP/live.txt" "$NLTMP/replay.txt" || fail "triage -i differs from the live run"
"$NETLAT" triage -i "$NLTMP/t.data" --format json > "$NLTMP/live.json" || fail "triage -i --format json"
grep -q '"rank": 1' "$NLTMP/live.json" || fail "JSON has no ranked finding"

# unprivileged: nobody reading a world-readable copy
if setpriv --help 2>&1 | grep -q -- --reuid; then	# busybox has a setpriv applet without --reuid
	cp "$NLTMP/t.data" "$NLTMP/pub.data" && chmod 0644 "$NLTMP/pub.data" && chmod 0755 "$NLTMP"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$NETLAT" triage -i "$NLTMP/pub.data" > "$NLTMP/nobody.txt" 2>&1 ||
		{ cat "$NLTMP/nobody.txt"; fail "triage -i as nobody failed"; }
	diff "$NLTMP/live.txt" "$NLTMP/nobody.txt" || fail "triage -i as nobody differs from the live run"
else
	note "no setpriv: the unprivileged replay is not checked"
fi
exit 0
