#!/bin/sh
# gt_flow_bytes: per-flow bytes in and out (tcp metric flow rows), both collectors.
# Ground truth: netlat-load's own byte counts. A TCP bulk transfer of N
# writes of S bytes from namespace A to namespace B over a veth pair (this
# test's port): the client's flow row (A:ephemeral > B:PORT) has bytes_out =
# the bytes sent and bytes_in 0; the server's (B:PORT > A:ephemeral) has
# bytes_in = the bytes received and bytes_out 0. Exact: every byte passes
# through the socket calls netlat counts (sock_send_length/sock_recv_length).
#
# Two workloads: the bulk transfer (over in ~10 ms, usually one read of the
# trace buffers) and a paced one (-s bytes every ms for 350 ms), which spans
# several of record's 100 ms reads. The sender runs on CPU 1, the receiver
# on CPU 0, so a socket's flow is learnt on one CPU and its bytes counted on
# the other: the server's ESTABLISHED (the client's ACK, handled on CPU 1)
# against its reads on CPU 0, the client's CLOSE (the server's FIN, on CPU 0)
# against its last sends on CPU 1. tracefs reads CPU 0's buffer before CPU
# 1's: a reader that handles events in buffer order, not time order, loses
# the server's first reads and the client's last sends.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

N=500 S=3000
CPUS=""
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] && CPUS="--cpu 1 --peer-cpu 0"
PORT=$(( 20000 + $$ % 20000 ))
nl_gt_collectors tcp
nl_topo_netns A fbc
nl_topo_netns B fbs
nl_topo_veth "$A" "$B"

# flow CSV DIRECTION STAT: the sum of STAT over flow rows whose flow ends (">B:PORT")
# or starts ("B:PORT>") at the server
flow() {
	awk -F, -v pat="$2" -v s="$3" '$2 == "total" && $3 == "tcp" && $5 == s && index($4, "flow=") == 1 {
		split(substr($4, 6), f, " "); if (index(f[1], pat)) { n += $8; any = 1 } }
		END { if (any) print n + 0 }' "$1"
}

# run COLLECTOR NAME WANT LOAD_ARGS...: record tcp on the workload; both flows must hold
# exactly the bytes it moved (WANT: the bytes it must have moved, or "" when set by -d).
run() {
	_c=$1 _n=$2 _want=$3
	shift 3
	t="$NLTMP/$_c-$_n"
	"$NETLAT" record -q --collector "$_c" $(nl_gt_collector_args "$_c") -m tcp --port "$PORT" -o "$t.data" -- \
		"$LOAD" "$@" -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		$CPUS > "$t.load" 2> "$t.err" || { cat "$t.err"; fail "$_c $_n: netlat record failed"; }
	nl_sanitizer_check "$t.err" "$_c $_n: netlat record"
	note "$_c $_n: $(cat "$t.load")"
	sb=$(sed -n 's/.*sent_bytes=\([0-9]*\).*/\1/p' "$t.load")
	rb=$(sed -n 's/.*recv_bytes=\([0-9]*\).*/\1/p' "$t.load")
	[ -n "$sb" ] && [ "$sb" -gt 0 ] && [ "$rb" = "$sb" ] && [ "${_want:-$sb}" = "$sb" ] ||
		fail "$_c $_n: the workload sent '$sb' and received '$rb' bytes${_want:+, want $_want}"
	nl_report "$t.data" "$t.csv"
	co=$(flow "$t.csv" ">$NL_TOPO_V4_B:$PORT" bytes_out)
	ci=$(flow "$t.csv" ">$NL_TOPO_V4_B:$PORT" bytes_in)
	si=$(flow "$t.csv" "$NL_TOPO_V4_B:$PORT>" bytes_in)
	so=$(flow "$t.csv" "$NL_TOPO_V4_B:$PORT>" bytes_out)
	note "$_c $_n: client flow out=${co:-none} in=${ci:-none}; server flow in=${si:-none} out=${so:-none}; lost=$(nl_gt_lost "$t.csv")"
	[ "$co" = "$sb" ] && [ "$ci" = 0 ] || fail "$_c $_n: client flow bytes out '$co' in '$ci', want $sb and 0"
	[ "$si" = "$rb" ] && [ "$so" = 0 ] || fail "$_c $_n: server flow bytes in '$si' out '$so', want $rb and 0"
}

for c in $NL_COLLECTORS; do
	run "$c" bulk $((N * S)) tcp-bulk -n "$N" -s "$S"
	run "$c" paced "" paced-reader -s "$S" --period 1ms --read-period 1ms -d 350ms
done
exit 0
