#!/bin/sh
# vm: core
# plain: yes
# netlat probe: the features it reports match what this kernel offers, judged
# from the kernel's own files (not from netlat), and it leaves tracefs as found.
#   - no kprobe_events (the 6.18 host): kprobe_events, fentry, function_graph
#     unavailable; tracepoints, tp_btf, raw_tp available.
#   - kprobe_events and function_graph present (the 6.1 VM): kprobe_events,
#     function_graph, fentry and tracepoints available.
# Also: non-root gets exit 2 and one line naming the missing privilege.
. "$NLROOT/tests/lib/common.sh"
need_root

T=""
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -r "$d/available_tracers" ] && { T=$d; break; }
done
TEST_MOUNTED=""
if [ -z "$T" ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || skip "no tracefs and cannot mount it"
	T=/sys/kernel/tracing
	TEST_MOUNTED=1
fi
trap 'nl_cleanup; [ -n "$TEST_MOUNTED" ] && umount "$T" 2>/dev/null' EXIT

# Top-level state netlat must not change.
state() {
	echo "tracer=$(cat "$T/current_tracer")"
	[ -e "$T/kprobe_events" ] && sed 's/^/kprobe=/' "$T/kprobe_events"
	sed 's/^/dyn=/' "$T/dynamic_events" 2>/dev/null
	return 0
}
ls "$T/instances" > "$NLTMP/inst.before"
state > "$NLTMP/state.before"

"$NETLAT" probe --json > "$NLTMP/probe.json" 2> "$NLTMP/probe.err" &
PID=$!
wait $PID
rc=$?
[ $rc = 0 ] || fail "probe --json exited $rc: $(cat "$NLTMP/probe.err")"
"$NETLAT" probe --format=kv > "$NLTMP/probe.kv" 2>> "$NLTMP/probe.err" || fail "probe --format=kv failed"

# --- leaves tracefs as found ---------------------------------------------
state > "$NLTMP/state.after"
cmp -s "$NLTMP/state.before" "$NLTMP/state.after" ||
	fail "top-level tracefs changed: $(diff "$NLTMP/state.before" "$NLTMP/state.after" | tr '\n' ' ')"
ls "$T/instances" > "$NLTMP/inst.after"
# Other tests may run at the same time: a new instance is only acceptable if a live process other than probe owns it.
for i in $(cat "$NLTMP/inst.after"); do
	grep -qx "$i" "$NLTMP/inst.before" && continue
	owner=${i##*-}
	[ "$owner" != "$PID" ] && [ -d "/proc/$owner" ] && continue
	fail "tracefs instance $i left behind"
done
[ -d "$T/instances/netlat-$PID" ] && fail "probe's instance netlat-$PID left behind"

# --- parse ---------------------------------------------------------------
FLAT=$(tr -d '\n\t' < "$NLTMP/probe.json" | sed 's/": */":/g; s/{ */{/g')
case "$FLAT" in
'{"schema":"netlat-probe/1"'*) ;;
*) fail "probe --json does not start with the netlat-probe/1 schema" ;;
esac
# json_feat NAME -> true|false, from the "features" object
json_feat() {
	printf '%s' "$FLAT" | sed 's/.*"features":{//' | grep -o "\"$1\":{\"available\":[a-z]*" |
		head -n 1 | sed 's/.*://'
}
# kv_feat NAME -> yes|no ; kv_reason NAME -> the reason text
kv_feat() { sed -n "s/^feature\.$1=\([a-z]*\).*/\1/p" "$NLTMP/probe.kv"; }
kv_reason() { sed -n "s/^feature\.$1=[a-z]* //p" "$NLTMP/probe.kv"; }

FEATURES="tracepoints tp_btf raw_tp bpf_tracepoint fentry kprobe_bpf kprobe_events function_graph function hist_triggers btf perf_cpu_clock"
for f in $FEATURES; do
	j=$(json_feat "$f")
	k=$(kv_feat "$f")
	case "$j/$k" in
	true/yes|false/no) ;;
	*) fail "feature $f: json says '$j', kv says '$k'" ;;
	esac
	[ -n "$(kv_reason "$f")" ] || fail "feature $f has no reason"
done

expect() {	# expect FEATURE yes|no WHY
	got=$(kv_feat "$1")
	[ "$got" = "$2" ] || fail "$1: expected $2 ($3), probe says $got: $(kv_reason "$1")"
	note "$1 = $got ($(kv_reason "$1"))"
}

# --- checks that hold everywhere, from the kernel's files -----------------
if [ -r /sys/kernel/btf/vmlinux ]; then expect btf yes "/sys/kernel/btf/vmlinux exists"
else expect btf no "/sys/kernel/btf/vmlinux absent"; fi
grep -qw function_graph "$T/available_tracers" || expect function_graph no "not in available_tracers"
grep -qw function "$T/available_tracers" || expect function no "not in available_tracers"
[ -e "$T/kprobe_events" ] || expect kprobe_events no "no $T/kprobe_events"
[ -e /sys/bus/event_source/devices/kprobe/type ] || expect kprobe_bpf no "no kprobe PMU"

# Every tracepoint netlat lists: present iff its format file exists, with the format file's fields.
grep '^tracepoint\.' "$NLTMP/probe.kv" > "$NLTMP/tps"
[ -s "$NLTMP/tps" ] || fail "probe listed no tracepoints"
while IFS= read -r line; do
	name=${line#tracepoint.}; name=${name%%=*}
	val=${line#*=}; avail=${val%% *}
	fmt="$T/events/$(echo "$name" | tr ':' '/')/format"
	if [ -r "$fmt" ]; then
		[ "$avail" = yes ] || fail "$name has $fmt but probe says $avail"
		want=$(sed -n 's/^[[:space:]]*field:[^;]*[[:space:]]\([A-Za-z0-9_]*\)\(\[[^]]*\]\)\{0,1\};.*/\1/p' "$fmt" |
			grep -v '^common_' | tr '\n' ',' | sed 's/,$//')
		got=${val#yes }
		[ "$got" = "$want" ] || fail "$name fields: probe '$got', format file '$want'"
	else
		[ "$avail" = no ] || fail "$name has no format file but probe says $avail"
	fi
done < "$NLTMP/tps"
note "$(wc -l < "$NLTMP/tps") tracepoints checked against their format files"

# Every metric gets a backend, and a missing tracepoint makes it unavailable.
grep -q '^metric\.napi=' "$NLTMP/probe.kv" || fail "no metric lines"
for m in $(sed -n 's/^metric\.\([a-z_]*\)=.*/\1/p' "$NLTMP/probe.kv"); do
	b=$(sed -n "s/^metric\.$m=\([a-z]*\).*/\1/p" "$NLTMP/probe.kv")
	case "$b" in bpf|tracefs|unavailable) ;; *) fail "metric $m: backend '$b'" ;; esac
	printf '%s' "$FLAT" | grep -q "{\"name\":\"$m\",\"backend\":\"$b\"" ||
		fail "metric $m: json and kv disagree"
done
[ -r "$T/events/napi/napi_poll/format" ] && [ "$(kv_feat tracepoints)" = yes ] &&
	! grep -Eq '^metric\.napi=(bpf|tracefs) ' "$NLTMP/probe.kv" &&
	fail "napi:napi_poll exists and tracefs works, but metric napi is $(grep '^metric\.napi=' "$NLTMP/probe.kv")"

# --- the two known machines ----------------------------------------------
if [ ! -e "$T/kprobe_events" ]; then
	note "tier: no kprobe_events (the 6.18 host shape)"
	expect kprobe_events no "no kprobe_events file"
	expect fentry no "fentry is refused where kprobes are compiled out"
	kv_reason fentry | grep -q 'fentry tcp_v4_rcv: .*E[A-Z]*' ||
		fail "fentry reason does not name the kernel's answer: $(kv_reason fentry)"
	expect function_graph no "not a usable tracer here"
	expect tracepoints yes "tracefs events work"
	expect tp_btf yes "BTF and tracepoints exist"
	expect raw_tp yes "raw tracepoints exist"
elif grep -qw function_graph "$T/available_tracers"; then
	note "tier: kprobe_events and function_graph (the 6.1 VM shape)"
	expect kprobe_events yes "kprobe_events exists"
	expect function_graph yes "listed in available_tracers"
	# netlat's fentry programs call bpf_get_func_arg_cnt, a helper since Linux 5.17
	kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
	if [ "${kv% *}" -gt 5 ] || { [ "${kv% *}" -eq 5 ] && [ "${kv#* }" -ge 17 ]; }; then
		expect fentry yes "$(uname -r) with BTF attaches fentry to tcp_v4_rcv"
	else
		expect fentry no "$(uname -r) has no bpf_get_func_arg_cnt (Linux 5.17), which netlat's fentry programs call"
	fi
	expect tracepoints yes "tracefs events work"
else
	note "unknown kernel shape: only the generic checks ran"
fi

# --- without privileges --------------------------------------------------
# util-linux setpriv; busybox has a setpriv applet without --reuid.
if setpriv --help 2>&1 | grep -q -- --reuid; then
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
elif command -v su >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	RUNAS="su_nobody"
else
	RUNAS=""
fi
su_nobody() { su nobody -s /bin/sh -c "$*"; }
if [ -z "$RUNAS" ]; then
	note "SKIP non-root check: neither setpriv nor su with a nobody user"
else
	$RUNAS "$NETLAT" probe > "$NLTMP/np.out" 2> "$NLTMP/np.err"
	rc=$?
	if [ $rc = 126 ] || [ $rc = 127 ]; then
		note "SKIP non-root check: nobody cannot execute $NETLAT (exit $rc)"
	else
		[ $rc = 2 ] || fail "non-root probe exited $rc, expected 2"
		[ "$(wc -l < "$NLTMP/np.err")" = 1 ] || fail "non-root probe: not one line on stderr: $(cat "$NLTMP/np.err")"
		grep -q 'CAP_[A-Z]\|root' "$NLTMP/np.err" || fail "non-root message names no privilege: $(cat "$NLTMP/np.err")"
		[ -s "$NLTMP/np.out" ] && fail "non-root probe printed on stdout"
		note "non-root: $(cat "$NLTMP/np.err")"
	fi
fi
exit 0
