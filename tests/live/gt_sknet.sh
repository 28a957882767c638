#!/bin/sh
# gt_sknet: socket receive-queue overflows (sock:sock_rcvqueue_full) of one
# ICMP ping socket in a namespace, against the kernel's own per-socket drop
# counter. Namespace B holds a ping socket (SOCK_DGRAM, IPPROTO_ICMP; allowed
# by B's own net.ipv4.ping_group_range, which dies with B) with SO_RCVBUF 1
# (the kernel's minimum, 2304 bytes) that never reads; namespace A sends it N
# ICMP echo replies (type 0, its ident, so ping_rcv queues them and nothing
# answers) over a veth. __sock_queue_rcv_skb queues until sk_rmem_alloc >=
# sk_rcvbuf, then drops each with sk_drops++ and the tracepoint.
# Truth: the socket's "drops" column of /proc/net/icmp read inside B
# (sk_drops), which the independent tracefs reader's sock_rcvqueue_full lines
# must equal (checked on every run, else the truth itself is broken).
# Checked by hand on 6.18: N=100 -> 3 queued (rmem_alloc 2496 = 3 x truesize
# 832), drops 97, 97 sock_rcvqueue_full lines (rmem_alloc=2496 truesize=832
# sk_rcvbuf=2304); N=150 -> drops 147, 147 lines; netlat 147 on both
# collectors. A raw ICMP socket is no truth here: on 6.18 it showed 97 drops
# and no sock_rcvqueue_full line (raw_v4_input tests the queue before cloning).
# Asserted: bpf's row "type=dgram proto=icmp netns=<B>" and tracefs's one
# total row (the event carries no socket) count overflows == drops exactly,
# and bytes == the truesize the reader summed.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
command -v python3 >/dev/null 2>&1 || skip "no python3"

N=150
PY="$NLTMP/sknet_ping.py"
cat > "$PY" <<'PYEOF'
import socket, struct, sys, time
if sys.argv[1] == 'hold':
    # a ping socket with the smallest receive buffer, never read
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    s.bind(('0.0.0.0', 0))
    print(s.getsockname()[1], flush=True)
    time.sleep(60)
else:
    # N echo replies (type 0) to ident: queued to that ping socket, never answered
    dst, n, ident = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for seq in range(n):
        m = struct.pack('!BBHHH', 0, 0, 0, ident, seq) + b'netlat' * 8
        c = sum(struct.unpack('!%dH' % (len(m) // 2), m))
        c = (c >> 16) + (c & 0xffff)
        c = ~(c + (c >> 16)) & 0xffff
        s.sendto(m[:2] + struct.pack('!H', c) + m[4:], (dst, 0))
        time.sleep(0.002)
    print('sent_msgs=%d' % n)
PYEOF

nl_gt_collectors sknet
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
ip netns exec "$B" sysctl -q -w net.ipv4.ping_group_range="0 0" || skip "no ping sockets in $B"
INO=$(ip netns exec "$B" stat -L -c %i /proc/self/ns/net) || fail "no inode for $B"

# sknet_drops IDENT: the drops column of the ping socket bound to IDENT, in B
sknet_drops() {
	ip netns exec "$B" cat /proc/net/icmp |
		awk -v p="$(printf '%04X' "$1")" 'NR > 1 { split($2, a, ":"); if (a[2] == p) print $NF }'
}

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	ip netns exec "$B" python3 "$PY" hold > "$t.hold" &
	hold=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$t.hold" ] && break; sleep 0.2; done
	ident=$(cat "$t.hold")
	[ -n "$ident" ] || { kill "$hold"; fail "$c: the ping socket did not open"; }
	nl_truth_open 4096
	nl_truth_event sock/sock_rcvqueue_full
	nl_gt_record "$c" "$t.data" "$t.load" -m sknet -- \
		ip netns exec "$A" python3 "$PY" send "$NL_TOPO_V4_B" "$N" "$ident" ||
		{ kill "$hold"; fail "$c: netlat record failed"; }
	drops=$(sknet_drops "$ident")
	kill "$hold"
	wait "$hold" 2>/dev/null
	nl_truth_dump "$t.trace"
	nl_truth_close
	nl_truth_window "$t.trace" "$t.win"
	set -- $(awk "$NL_TRUTH_AWK_PRE"'
		{ if (parse() && ev == "sock_rcvqueue_full:") { n++; b += val("truesize") } }
		END { print n + 0, b + 0 }' "$t.win")
	t_n=$1 t_b=$2
	grep -q "sent_msgs=$N" "$t.load" || fail "$c: sender: $(cat "$t.load")"
	# the truth holds: every drop of the socket is one tracepoint hit, and something was dropped
	[ -n "$drops" ] && [ "$drops" -gt 0 ] && [ "$drops" -lt "$N" ] ||
		fail "$c: truth: socket drops '$drops' for $N sent"
	[ "$t_n" = "$drops" ] || fail "$c: truth disagrees: sk_drops $drops, sock_rcvqueue_full lines $t_n"
	nl_report "$t.data" "$t.csv"
	if [ "$c" = bpf ]; then
		key="type=dgram proto=icmp netns=$INO"
	else
		key=""
	fi
	got=$(nl_csv "$t.csv" sknet "$key" overflows value)
	bytes=$(nl_csv "$t.csv" sknet "$key" bytes value)
	note "$c: sent=$N drops=$drops truth_lines=$t_n truth_bytes=$t_b netlat overflows=$got bytes=$bytes"
	[ "$got" = "$drops" ] || fail "$c: sknet overflows $got, the socket dropped $drops"
	[ "$bytes" = "$t_b" ] || fail "$c: sknet bytes $bytes, truth truesize $t_b"
done
exit 0
