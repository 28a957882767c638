#!/bin/sh
# triage_lost_events: a recording with a tiny buffer makes lost-events rank first and qualify the rest.
# Fault (as in gt_lost_events): the tracefs collector with a 4 KB per-CPU
# ring buffer under a one-second loopback UDP flood cannot keep up, so the
# kernel drops or overwrites most events. Their share is far above the 10%
# at which lost-events outranks every other rule. The first finding must be
# lost-events, and every other finding must carry the "lost events" note.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
pc=$(nl_probe_collector tracefs napi)
[ -n "$pc" ] || fail "netlat probe --json says nothing of --collector tracefs for napi"
[ "${pc%% *}" = yes ] || skip "tracefs collector cannot record napi here (netlat probe: ${pc#* })"

nl_topo_netns N lost
"$NETLAT" triage -q --collector tracefs --buffer-kb 4 -o "$NLTMP/t.data" -- \
	"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
first=$(awk '/^#1 /' "$NLTMP/t.txt")
case "$first" in *"] lost-events: "*) ;; *) fail "first finding is not lost-events: $first" ;; esac
# every other finding is qualified
n=$(grep -c '^#[0-9]' "$NLTMP/t.txt")
q=$(grep -c '^    note:    the recording lost events' "$NLTMP/t.txt")
note "$n findings, $q qualified"
[ "$q" = $((n - 1)) ] || fail "$((n - 1)) findings besides lost-events, but $q carry the lost-events note"
exit 0
