#!/bin/sh
# gt_copy_bytes: the copy metric's bytes equal what the test's own receiver
# read and its sender wrote (netlat-load's recv_bytes / sent_bytes), with
# --comm keeping every other process out: the load runs under a name unique
# to this test. --syscall-time arms the system-call timing (off by default:
# it runs on every system call), which ns_per_kib needs.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
[ -x "$NLBIN/netlat-load" ] || fail "no $NLBIN/netlat-load"
NAME="nlcp$$"
NAME=$(printf '%.15s' "$NAME")
LOAD="$NLTMP/$NAME"
cp "$NLBIN/netlat-load" "$LOAD" || fail "copy netlat-load"
PORT=$(( 20000 + $$ % 20000 ))
nl_truth_tracefs
HAVE_LEN=0
[ -d "$NL_TRACEFS/events/sock/sock_send_length" ] && [ -d "$NL_TRACEFS/events/sock/sock_recv_length" ] && HAVE_LEN=1
[ "$HAVE_LEN" = 1 ] || note "no sock_send_length/sock_recv_length here: rx bytes only"
nl_gt_collectors copy
for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	# A recording that lost events (docs/testing.md: BPF runs the test host's
	# kernel never delivers) is no base for an exact count: record again.
	try=1
	while :; do
	"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m copy --syscall-time --comm "$NAME" -o "$t.data" -- \
		"$LOAD" tcp-bulk -n 3000 -s 4000 -p "$PORT" > "$t.load" 2> "$t.err" ||
		{ cat "$t.err"; fail "$c: netlat record failed"; }
	rb=$(sed -n 's/.*recv_bytes=\([0-9]*\).*/\1/p' "$t.load")
	sb=$(sed -n 's/.*sent_bytes=\([0-9]*\).*/\1/p' "$t.load")
	[ "$rb" = 12000000 ] || fail "$c: the receiver got $rb bytes, not 12000000: $(cat "$t.load")"
	nl_report "$t.data" "$t.csv"
	lost=$(nl_gt_lost "$t.csv")
	rx=$(nl_csv_sum "$t.csv" copy "^dir=rx comm=$NAME " bytes value)
	tx=$(nl_csv_sum "$t.csv" copy "^dir=tx comm=$NAME " bytes value)
	other=$(awk -F, -v n="comm=$NAME " '$2 == "total" && $3 == "copy" && index($4, n) == 0 { print $4 }' "$t.csv" | head -n 1)
	npk=$(nl_csv_sum "$t.csv" copy "^dir=rx comm=$NAME " ns_per_kib value)
	note "$c: receiver $rb bytes, sender $sb; netlat rx=$rx tx=$tx ns_per_kib(rx)=$npk lost=$lost"
	[ "$lost" = 0 ] && break
	[ "$try" -lt 5 ] || fail "$c: events lost in $try recordings in a row"
	try=$((try + 1))
	note "$c: $lost events lost: recording again"
	done
	[ -z "$other" ] || fail "$c: --comm $NAME let in row '$other'"
	[ "$rx" = "$rb" ] || fail "$c: copy rx bytes $rx, receiver got $rb"
	# tx bytes and system call times come from sock_send_length/sock_recv_length (not in 6.1)
	if [ "$HAVE_LEN" = 1 ]; then
		[ "$tx" = "$sb" ] || fail "$c: copy tx bytes $tx, sender wrote $sb"
		[ -n "$npk" ] && [ "$npk" != 0 ] || fail "$c: no ns_per_kib ratio"
	fi
done
exit 0
