#!/bin/sh
# vm: core
# The tracefs collector leaves tracefs exactly as it found it: after a
# SIGKILLed recording (the next run removes its stale netlat-<pid> instance)
# and after SIGINT, SIGTERM and SIGHUP (the run undoes its own state; SIGINT
# still writes the recording). Ground truth: a snapshot of the tracing
# settings taken before, compared line for line after.
. "$NLROOT/tests/lib/common.sh"
need_root

T=/sys/kernel/tracing
MOUNTED_BY_TEST=0
if [ ! -d "$T/instances" ]; then
	# netlat mounts tracefs itself when missing and unmounts it at exit: check that first.
	"$NETLAT" record --collector tracefs -m napi -d 200ms -q -o "$NLTMP/m.data" ||
		fail "record without tracefs mounted failed"
	[ -d "$T/instances" ] && fail "netlat left tracefs mounted at $T"
	mount -t tracefs nodev "$T" || skip "cannot mount tracefs"
	MOUNTED_BY_TEST=1
fi
[ -d "$T/instances" ] || skip "no tracefs instances at $T"

# Everything a run could touch at top level, plus the list of instances.
snapshot() {
	echo "instances:"; ls "$T/instances"
	echo "current_tracer: $(cat "$T/current_tracer")"
	echo "tracing_on: $(cat "$T/tracing_on")"
	echo "set_event:"; cat "$T/set_event"
	if [ -r "$T/kprobe_events" ]; then echo "kprobe_events:"; cat "$T/kprobe_events"; fi
	echo "enabled events:"; grep -l '^1' "$T"/events/*/*/enable 2>/dev/null
	echo "buffer_size_kb: $(cat "$T/buffer_size_kb")"
	echo "trace_clock: $(cat "$T/trace_clock")"
}

# Name of a netlat-* instance not in the before-snapshot; waits up to 10 s.
wait_new_instance() {
	_i=0
	while [ $_i -lt 100 ]; do
		for _n in $(ls "$T/instances"); do
			case "$_n" in
			netlat-*) grep -qx "$_n" "$NLTMP/before" || { echo "$_n"; return 0; } ;;
			esac
		done
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

compare() {
	snapshot > "$NLTMP/after" 2>&1
	if ! cmp -s "$NLTMP/before" "$NLTMP/after"; then
		diff "$NLTMP/before" "$NLTMP/after"
		fail "tracefs differs after $1"
	fi
	note "$1: tracefs as found"
}

finish() {
	[ "$MOUNTED_BY_TEST" = 1 ] && umount "$T"
}

snapshot > "$NLTMP/before" 2>&1

# 1. SIGKILL: nothing can undo, so the next run must.
"$NETLAT" record --collector tracefs -d 30s -q -o "$NLTMP/x.data" &
REC=$!
INST=$(wait_new_instance) || { kill -9 $REC; finish; fail "no netlat instance appeared"; }
PID=${INST#netlat-}
kill -9 "$PID"
wait $REC 2>/dev/null
[ -d "$T/instances/$INST" ] || { finish; fail "instance $INST vanished without a cleanup run: test is not testing"; }
"$NETLAT" record --collector tracefs -d 1s -q -o "$NLTMP/y.data" || { finish; fail "second record failed"; }
[ -d "$T/instances/$INST" ] && { finish; fail "stale instance $INST not removed"; }
"$NETLAT" report -i "$NLTMP/y.data" --format csv > /dev/null || { finish; fail "y.data unreadable"; }
compare "SIGKILL + next run"

# 2. SIGINT, SIGTERM, SIGHUP of a running recording: the run undoes its own state.
for SIG in INT TERM HUP; do
	rm -f "$NLTMP/s.data"
	"$NETLAT" record --collector tracefs -d 30s -q -o "$NLTMP/s.data" &
	REC=$!
	INST=$(wait_new_instance) || { kill -9 $REC; finish; fail "no netlat instance appeared ($SIG)"; }
	sleep 0.3
	kill -s "$SIG" "${INST#netlat-}"
	wait $REC
	RC=$?
	if [ -d "$T/instances/$INST" ]; then
		kill -9 "${INST#netlat-}" 2>/dev/null
		finish
		fail "SIG$SIG left instance $INST"
	fi
	if [ "$SIG" = INT ]; then
		[ "$RC" = 0 ] || { finish; fail "record exited $RC on SIGINT"; }
		"$NETLAT" report -i "$NLTMP/s.data" --format csv > "$NLTMP/s.csv" ||
			{ finish; fail "no readable recording after SIGINT"; }
		grep -q '^0,total,session,,events,' "$NLTMP/s.csv" || { finish; fail "recording after SIGINT has no session row"; }
	fi
	compare "SIG$SIG"
done

finish
exit 0
