#!/bin/sh
# gt_sockq_bytes: the byte-accurate socket-queue wait of TCP against the load generator's own log.
# Ground truth: `netlat-load paced-reader --log` writes the time of every write
# with the byte range it sent, and the time and size of every read; a byte's
# wait is its read time minus its send time (the stack's microseconds between
# are measured by netlat's other stages). That holds while nothing waits in
# the sender and the kernel never prunes: the receive buffer is 4 MiB, set
# before listen, and the test checks that the namespace's TcpExtPruneCalled,
# TcpExtTCPRcvCollapsed and TcpExtTCPRcvQDrop did not move and that the
# sender never blocked (nl_sender_free: no earlier write left unsent after a
# write, no write stalled 100 ms). TCP over loopback in a test namespace,
# TCP_NODELAY.
#   1. sender 200 B every 20 ms, reader 50 B every 30 ms, 6 s: the queue
#      grows (TCP coalesces, reads are shorter than segments). netlat's flow
#      row: sockq_wait count = reads, p50 and p99 within 10% of the truth's
#      per-read oldest-byte waits; sockq_wait_bytes count = bytes read, p50
#      within 10% of the byte-weighted truth.
#   2. the same sender, a reader that drains everything every 50 ms (reads
#      longer than segments): the same checks.
#   3. the slow-reader of gt_rx_socket_queue (poll, sleep 20 ms, read; one
#      64 B message every 50 ms): p50 20 ms +-10% (KERNEL-NOTES hand check).
# The tracefs collector cannot measure by bytes: its report and `netlat probe`
# must say so, and it must not label anything method=bytes.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

PORT=$((20000 + $$ % 20000))
nl_gt_collectors rx
nl_topo_netns N sqb

# run TAG COLLECTOR LOAD-ARGS...: record -m rx around netlat-load in the namespace
run() {
	_tag=$1 _c=$2
	shift 2
	for _f in PruneCalled TCPRcvCollapsed TCPRcvQDrop; do
		eval "before_$_f=\$(nl_netstat \"\$N\" $_f)"
	done
	nl_truth_open 64
	nl_gt_record "$_c" "$NLTMP/$_tag.data" "$NLTMP/$_tag.load" -m rx -- \
		"$LOAD" "$@" -a 127.0.0.1 -p "$PORT" --netns "$N" --peer-netns "$N" ||
		fail "$_tag: netlat record failed"
	nl_truth_close
	note "$_tag: $(cat "$NLTMP/$_tag.load")"
	for _f in PruneCalled TCPRcvCollapsed TCPRcvQDrop; do
		eval "_d=\$((\$(nl_netstat \"\$N\" $_f) - before_$_f))"
		[ "$_d" = 0 ] || fail "$_tag: TcpExt$_f moved by $_d: the kernel touched the queue, the log is no truth"
	done
	nl_report "$NLTMP/$_tag.data" "$NLTMP/$_tag.csv"
	"$NETLAT" report --full -i "$NLTMP/$_tag.data" -m rx > "$NLTMP/$_tag.txt" || fail "$_tag: text report failed"
	FLOW="^flow=127\\.0\\.0\\.1:$PORT>127\\.0\\.0\\.1:[0-9]* method=bytes\$"
}

# paced TAG READ-PERIOD READ-SIZE DURATION: workloads 1 and 2 on bpf, checked against the log
paced() {
	_tag=$1
	run "$_tag" bpf paced-reader -s 200 --period 20ms --read-period "$2" --read-size "$3" -d "$4" \
		--rcvbuf 4194304 --log "$NLTMP/$_tag.log"
	nl_sender_free "$NLTMP/$_tag.log.send" || fail "$_tag: the sender blocked: the log is no truth: $NL_WHY"
	nl_truth_sockq "$NLTMP/$_tag.log" "$NLTMP/$_tag.truth"
	reads=$(grep -vc '^#' "$NLTMP/$_tag.log.read")
	bytes=$(awk '!/^#/ { s += $2 } END { print s + 0 }' "$NLTMP/$_tag.log.read")
	t50=$(nl_pct "$NLTMP/$_tag.truth" 50)
	t99=$(nl_pct "$NLTMP/$_tag.truth" 99)
	tb50=$(nl_wpct "$NLTMP/$_tag.truth.bytes" 50)
	note "$_tag truth: $reads reads, $bytes bytes; oldest byte p50 $t50 p99 $t99 ns; byte-weighted p50 $tb50 ns"

	n=$(nl_csv_sum "$NLTMP/$_tag.csv" rx "$FLOW" sockq_wait count)
	p50=$(nl_csv_sum "$NLTMP/$_tag.csv" rx "$FLOW" sockq_wait p50)
	p99=$(nl_csv_sum "$NLTMP/$_tag.csv" rx "$FLOW" sockq_wait p99)
	nb=$(nl_csv_sum "$NLTMP/$_tag.csv" rx "$FLOW" sockq_wait_bytes count)
	b50=$(nl_csv_sum "$NLTMP/$_tag.csv" rx "$FLOW" sockq_wait_bytes p50)
	note "$_tag netlat: $n reads, $nb bytes; p50 $p50 p99 $p99 ns; byte-weighted p50 $b50 ns"
	[ "$n" = "$reads" ] || fail "$_tag: the flow row counts '$n' reads, the reader made $reads"
	[ "$nb" = "$bytes" ] || fail "$_tag: the flow row counts '$nb' bytes, the reader read $bytes"
	nl_within "$p50" "$t50" 10 || fail "$_tag: p50 $p50 ns not within 10% of the truth $t50 ns"
	nl_within "$p99" "$t99" 10 || fail "$_tag: p99 $p99 ns not within 10% of the truth $t99 ns"
	nl_within "$b50" "$tb50" 10 || fail "$_tag: byte-weighted p50 $b50 ns not within 10% of $tb50 ns"
	grep -q '^  socket_queue, TCP: by bytes' "$NLTMP/$_tag.txt" ||
		fail "$_tag: the ladder does not say the socket queue was measured by bytes"
}

case " $NL_COLLECTORS " in
*" bpf "*)
	paced slow 30ms 50 6s
	paced drain 50ms 0 4s
	run sleep20 bpf slow-reader -n 30 --delay 20ms --period 50ms
	grep -q "recv_msgs=30 " "$NLTMP/sleep20.load" || fail "sleep20: the reader did not get all 30 messages"
	p50=$(nl_csv_sum "$NLTMP/sleep20.csv" rx "$FLOW" sockq_wait p50)
	n=$(nl_csv_sum "$NLTMP/sleep20.csv" rx "$FLOW" sockq_wait count)
	note "sleep20 netlat: $n reads, p50 $p50 ns"
	nl_within "$p50" 20000000 10 || fail "sleep20: p50 '$p50' ns not within 10% of 20 ms"
	;;
*) note "bpf cannot record rx here: the byte method is not checked" ;;
esac

case " $NL_COLLECTORS " in
*" tracefs "*)
	run tracefs tracefs paced-reader -s 200 --period 20ms --read-period 30ms --read-size 50 -d 2s \
		--rcvbuf 4194304
	grep -q 'method=bytes' "$NLTMP/tracefs.csv" && fail "tracefs: a row claims method=bytes"
	if grep -q ',sockq_wait,' "$NLTMP/tracefs.csv"; then
		grep -q '^  socket_queue, TCP: by skb pairing .*needs the bpf collector' "$NLTMP/tracefs.txt" ||
			fail "tracefs: the report does not say its socket-queue wait is by skb pairing"
	fi
	"$NETLAT" probe --format kv > "$NLTMP/probe.kv" 2>&1 || fail "netlat probe failed"
	grep -q '^metric\.rx\.limit\.tracefs=.*skb pairing only.*sequence' "$NLTMP/probe.kv" ||
		fail "netlat probe does not say what tracefs cannot measure of the socket queue"
	;;
esac
exit 0
