#!/bin/sh
# vm: yes
# ehash: established-hash lookups counted by netlat (metric ehash, any tier
# with call counts) >= TCP segments received on established sockets by the
# test's flow. Ground truth: tcp:tcp_probe (one line per segment into
# tcp_rcv_established) with the flow's port, counted by an nltruth instance.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root

PORT=5320
"$NETLAT" record -q -m ehash -o "$NLTMP/e.data" -d 1s >/dev/null 2>&1 || true
tier=$("$NETLAT" report --full -i "$NLTMP/e.data" -m ehash 2>/dev/null | sed -n 's/^# ehash (func, \([^)]*\)).*/\1/p')
case $tier in
"") skip "ehash cannot be measured here: $("$NETLAT" report --full -i "$NLTMP/e.data" -m ehash 2>&1 | grep -m1 'not measured')" ;;
sample) skip "ehash gets the sample tier here (no call counts): $("$NETLAT" report --full -i "$NLTMP/e.data" -m ehash | grep -m1 fallback | cut -c1-200)" ;;
esac

nl_truth_open
nl_truth_event tcp/tcp_probe "sport == $PORT || dport == $PORT"
nl_truth_on
"$NETLAT" record -q -m ehash -o "$NLTMP/e.data" -- "$NLBIN/netlat-load" tcp-bulk -n 2000 -s 1000 -p $PORT \
	>"$NLTMP/load" 2>&1 || fail "record failed: $(cat "$NLTMP/load")"
nl_truth_off
nl_truth_dump "$NLTMP/truth"
nl_truth_close
segs=$(grep -c 'tcp_probe:' "$NLTMP/truth")
lookups=$("$NETLAT" report -i "$NLTMP/e.data" --format csv -m ehash |
	awk -F, '$2 == "total" && $4 ~ /^func=__inet_lookup_established/ && $5 == "calls" { s += $8 } END { print s + 0 }')
note "tier $tier: lookups=$lookups, flow segments received (tcp_probe, port $PORT)=$segs"
[ "$segs" -gt 100 ] || fail "ground truth saw only $segs segments"
[ "$lookups" -ge "$segs" ] || fail "$lookups lookups < $segs segments received on the flow"
"$NETLAT" report --full -i "$NLTMP/e.data" -m ehash | grep -q 'table_size' || fail "no table_size row"
