#!/bin/sh
# vm: yes
# copyfn: the bytes netlat attributes to the copy functions equal the bytes
# the test moved. Ground truth: netlat-load's own byte counts of exactly N
# writes of S bytes; --comm netlat-load keeps other processes' copies out.
# RX: skb_copy_datagram_iter (its length argument); TX: _copy_from_iter and
# _copy_from_iter_nocache (their return values), or where those cannot be
# probed (6.1) tcp_sendmsg_locked, which they are inlined into (its return value).
# netlat's own exit status counts: a failed or crashed record (a sanitizer
# report included) is a failure, unless `netlat probe` says no tier can
# measure copyfn here; the sample tier (no byte counts) is a skip only where
# probe says that is the tier, and the recording must then say so too.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
need_root

N=2000
S=1000
pt=$(nl_probe_function skb_copy_datagram_iter)
[ -n "$pt" ] || fail "netlat probe --json has no tier for skb_copy_datagram_iter"
tier=${pt%% *}
"$NETLAT" record -q -m copyfn --comm netlat-load -o "$NLTMP/c.data" -- "$NLBIN/netlat-load" tcp-bulk \
	-n $N -s $S -p 5330 >"$NLTMP/load" 2>"$NLTMP/err"
rc=$?
nl_sanitizer_check "$NLTMP/err" "netlat record -m copyfn"
if [ $rc != 0 ]; then
	[ "$tier" = unavailable ] && skip "copyfn cannot be measured here (netlat probe: ${pt#* })"
	sed 's/^/  /' "$NLTMP/err" | head -n 5
	fail "netlat record -m copyfn exited $rc where probe gives skb_copy_datagram_iter the $tier tier"
fi
[ "$tier" = unavailable ] && fail "record -m copyfn worked where probe says no tier can: ${pt#* }"
hdr=$("$NETLAT" report -i "$NLTMP/c.data" -m copyfn 2>"$NLTMP/rep.err" | grep -m1 '^# copyfn')
nl_sanitizer_check "$NLTMP/rep.err" "netlat report -m copyfn"
case $tier:$hdr in
"sample:# copyfn (func, sample"*) skip "copyfn gets the sample tier here (no byte counts), as netlat probe says: ${pt#* }" ;;
sample:*) fail "probe says sample, the recording says: $hdr" ;;
*":# copyfn (func, sample"*) fail "probe gives skb_copy_datagram_iter the $tier tier, the recording sampled: $hdr" ;;
*":# copyfn (func,"*) ;;
*) fail "no copyfn section in the report: '$hdr'" ;;
esac
sent=$(sed -n 's/.*sent_bytes=\([0-9]*\).*/\1/p' "$NLTMP/load")
recv=$(sed -n 's/.*recv_bytes=\([0-9]*\).*/\1/p' "$NLTMP/load")
[ "$sent" = $((N * S)) ] || fail "netlat-load sent $sent bytes, expected $((N * S))"
csv=$("$NETLAT" report -i "$NLTMP/c.data" --format csv -m copyfn)
rx=$(echo "$csv" | awk -F, '$2 == "total" && $4 == "func=skb_copy_datagram_iter" && $5 == "bytes" { print $8 }')
tx=$(echo "$csv" | awk -F, '$2 == "total" && $4 ~ /^func=(_copy_from_iter|tcp_sendmsg_locked)/ && $5 == "bytes" { s += $8 } END { print s + 0 }')
note "$hdr"
note "rx: copied $rx, received $recv; tx: copied $tx, sent $sent"
[ "$rx" = "$recv" ] || fail "skb_copy_datagram_iter bytes $rx != bytes received $recv"
[ "$tx" = "$sent" ] || fail "send-copy bytes $tx != bytes sent $sent"
echo "$csv" | grep -q 'bench=memcpy,ns_per_kib' || fail "no memcpy ns_per_kib row"
