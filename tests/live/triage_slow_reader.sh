#!/bin/sh
# triage_slow_reader: a reader that sleeps before each read makes sockq-wait rank first, naming it.
# Fault (KERNEL-NOTES ground truth): over loopback in a test namespace, the
# sender writes every 30 ms and the reader polls, sleeps 20 ms, then reads,
# so each message waits ~20 ms in the socket queue while every other rx
# stage takes microseconds. The first finding must be sockq-wait, and it must
# name the reading process (netlat-load).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
nl_probe_need_metric rx
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns N slow
"$NETLAT" triage -q -o "$NLTMP/t.data" -- \
	"$LOAD" slow-reader -n 60 --delay 20ms --period 30ms -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
nl_triage_checked "$NLTMP/t.txt" sockq-wait
first=$(awk '/^#1 /' "$NLTMP/t.txt")
case "$first" in *"] sockq-wait: "*) ;; *) fail "first finding is not sockq-wait: $first" ;; esac
case "$first" in *netlat-load*) ;; *) fail "first finding does not name the reader netlat-load: $first" ;; esac
# the numbers: p50 near the reader's 20 ms sleep
p50=$(awk '/^#1 / { on = 1; next } on && $1 == "numbers:" { print; exit }' "$NLTMP/t.txt" |
	sed -n 's/.*wait p50 \([0-9.]*\)ms.*/\1/p')
note "socket-queue wait p50 ${p50} ms (reader sleeps 20 ms)"
nl_within_pct() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= b * p / 100) }'; }
nl_within_pct "$p50" 20 25 || fail "sockq-wait p50 '${p50}' ms is not within 25% of the reader's 20 ms"
exit 0
