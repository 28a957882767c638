#!/bin/sh
# vm: yes
# ehash: established-hash lookups counted by netlat (metric ehash, any tier
# with call counts) >= TCP segments received on established sockets by the
# test's flow. Ground truth: tcp:tcp_probe (one line per segment into
# tcp_rcv_established) with the flow's port, counted by an nltruth instance.
# netlat's own exit status counts: a failed or crashed record (a sanitizer
# report included) is a failure unless `netlat probe` says no tier can
# measure ehash here; the sample tier (no call counts) is a skip only where
# probe says so, and the recording must then say so too.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root

PORT=5320
pt=$(nl_probe_function __inet_lookup_established)
[ -n "$pt" ] || fail "netlat probe --json has no tier for __inet_lookup_established"
tier=${pt%% *}
"$NETLAT" record -q -m ehash -o "$NLTMP/e.data" -d 1s >/dev/null 2>"$NLTMP/e.err"
rc=$?
nl_sanitizer_check "$NLTMP/e.err" "netlat record -m ehash"
if [ $rc != 0 ]; then
	[ "$tier" = unavailable ] && skip "ehash cannot be measured here (netlat probe: ${pt#* })"
	sed 's/^/  /' "$NLTMP/e.err" | head -n 5
	fail "netlat record -m ehash exited $rc where probe gives __inet_lookup_established the $tier tier"
fi
[ "$tier" = unavailable ] && fail "record -m ehash worked where probe says no tier can: ${pt#* }"
rtier=$("$NETLAT" report --full -i "$NLTMP/e.data" -m ehash 2>"$NLTMP/rep.err" | sed -n 's/^# ehash (func, \([^)]*\)).*/\1/p')
nl_sanitizer_check "$NLTMP/rep.err" "netlat report -m ehash"
case $tier:$rtier in
sample:sample*) skip "ehash gets the sample tier here (no call counts), as netlat probe says: ${pt#* }" ;;
*:sample*|sample:*) fail "probe gives __inet_lookup_established the $tier tier, the recording says '$rtier'" ;;
*:) fail "no ehash section in the report" ;;
esac

nl_truth_open
nl_truth_event tcp/tcp_probe "sport == $PORT || dport == $PORT"
nl_truth_on
# a ping-pong: every message is a segment of its own (a bulk transfer of 2000 x 1000 B came
# to 96 segments in the VM, loopback's 64 KiB segments coalescing the writes)
"$NETLAT" record -q -m ehash -o "$NLTMP/e.data" -- "$NLBIN/netlat-load" tcp-rr -d 1s -s 64 -p $PORT \
	>"$NLTMP/load" 2>&1 || fail "record failed: $(cat "$NLTMP/load")"
nl_sanitizer_check "$NLTMP/load" "netlat record -m ehash"
nl_truth_off
nl_truth_dump "$NLTMP/truth"
nl_truth_close
segs=$(grep -c 'tcp_probe:' "$NLTMP/truth")
lookups=$("$NETLAT" report -i "$NLTMP/e.data" --format csv -m ehash |
	awk -F, '$2 == "total" && $4 ~ /^func=__inet_lookup_established/ && $5 == "calls" { s += $8 } END { print s + 0 }')
note "tier $rtier (probe: $tier): lookups=$lookups, flow segments received (tcp_probe, port $PORT)=$segs"
[ "$segs" -gt 100 ] || fail "ground truth saw only $segs segments"
[ "$lookups" -ge "$segs" ] || fail "$lookups lookups < $segs segments received on the flow"
"$NETLAT" report --full -i "$NLTMP/e.data" -m ehash | grep -q 'table_size' || fail "no table_size row"
