#!/bin/sh
# gt_flow_bytes: per-flow bytes in and out (tcp metric flow rows), both collectors.
# Ground truth: netlat-load's own byte counts. A TCP bulk transfer of N
# writes of S bytes from namespace A to namespace B over a veth pair (this
# test's port): the client's flow row (A:ephemeral > B:PORT) has bytes_out =
# the bytes sent and bytes_in 0; the server's (B:PORT > A:ephemeral) has
# bytes_in = the bytes received and bytes_out 0. Exact: every byte passes
# through the socket calls netlat counts (sock_send_length/sock_recv_length).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

N=500 S=3000
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

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m tcp --port "$PORT" -o "$t.data" -- \
		"$LOAD" tcp-bulk -n "$N" -s "$S" -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		> "$t.load" 2> "$t.err" || { cat "$t.err"; fail "$c: netlat record failed"; }
	nl_sanitizer_check "$t.err" "$c: netlat record"
	note "$c: $(cat "$t.load")"
	sb=$(sed -n 's/.*sent_bytes=\([0-9]*\).*/\1/p' "$t.load")
	rb=$(sed -n 's/.*recv_bytes=\([0-9]*\).*/\1/p' "$t.load")
	[ "$sb" = $((N * S)) ] && [ "$rb" = "$sb" ] || fail "$c: the workload sent $sb and received $rb bytes, want $((N * S))"
	nl_report "$t.data" "$t.csv"
	co=$(flow "$t.csv" ">$NL_TOPO_V4_B:$PORT" bytes_out)
	ci=$(flow "$t.csv" ">$NL_TOPO_V4_B:$PORT" bytes_in)
	si=$(flow "$t.csv" "$NL_TOPO_V4_B:$PORT>" bytes_in)
	so=$(flow "$t.csv" "$NL_TOPO_V4_B:$PORT>" bytes_out)
	note "$c: client flow out=${co:-none} in=${ci:-none}; server flow in=${si:-none} out=${so:-none}; lost=$(nl_gt_lost "$t.csv")"
	[ "$co" = "$sb" ] && [ "$ci" = 0 ] || fail "$c: client flow bytes out '$co' in '$ci', want $sb and 0"
	[ "$si" = "$rb" ] && [ "$so" = 0 ] || fail "$c: server flow bytes in '$si' out '$so', want $rb and 0"
done
exit 0
