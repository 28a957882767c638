#!/bin/sh
# vm: yes
# copyfn: the bytes netlat attributes to the copy functions equal the bytes
# the test moved. Ground truth: netlat-load's own byte counts of exactly N
# writes of S bytes; --comm netlat-load keeps other processes' copies out.
# RX: skb_copy_datagram_iter (its length argument); TX: _copy_from_iter and
# _copy_from_iter_nocache (their return values), or where those cannot be
# probed (6.1) tcp_sendmsg_locked, which they are inlined into (its return value).
. "$NLROOT/tests/lib/common.sh"
need_root

N=2000
S=1000
"$NETLAT" record -q -m copyfn --comm netlat-load -o "$NLTMP/c.data" -- "$NLBIN/netlat-load" tcp-bulk \
	-n $N -s $S -p 5330 >"$NLTMP/load" 2>"$NLTMP/err" || true
hdr=$("$NETLAT" report --full -i "$NLTMP/c.data" -m copyfn 2>/dev/null | grep -m1 '^# copyfn')
case $hdr in
"# copyfn (func, sample)"*) skip "copyfn gets the sample tier here (no byte counts): $("$NETLAT" report --full -i "$NLTMP/c.data" -m copyfn | grep -m1 fallback | cut -c1-200)" ;;
"# copyfn (func,"*) ;;
*) skip "copyfn cannot be measured here: $(cat "$NLTMP/err" | head -n 2)" ;;
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
