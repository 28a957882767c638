#!/bin/sh
# gate_bad_inputs: `netlat diff` exits 2 with one clear line for every input it cannot judge.
# Situation: a real recording, then (a) the same file cut in half, (b) a text
# file, (c) a recording of other metrics than the first (no metric in common),
# (d) a file that does not exist, (e) a malformed threshold. Each must exit 2
# with exactly one line on stderr, starting "netlat:" and naming the problem;
# the good file against itself must exit 0 (so the 2s are not the default).
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

rec() { # FILE METRICS
	"$NETLAT" record -q -m "$2" -o "$1" -- "$LOAD" udp-burst -n 200 -a 127.0.0.1 >/dev/null 2>&1 ||
		fail "netlat record -m $2 failed"
}
rec "$NLTMP/gso.data" gso
rec "$NLTMP/softirq.data" softirq
size=$(wc -c < "$NLTMP/gso.data")
head -c $((size / 2)) "$NLTMP/gso.data" > "$NLTMP/half.data"
printf 'this is not a recording\n' > "$NLTMP/text.data"

"$NETLAT" diff "$NLTMP/gso.data" "$NLTMP/gso.data" >/dev/null 2>&1
rc=$?
[ $rc = 0 ] || fail "a recording against itself exited $rc, want 0"

expect2() { # WHAT PATTERN ARGS...
	_what=$1 _pat=$2
	shift 2
	"$NETLAT" diff "$@" >"$NLTMP/out" 2>"$NLTMP/err"
	_rc=$?
	_n=$(wc -l < "$NLTMP/err")
	note "$_what: exit $_rc: $(cat "$NLTMP/err")"
	[ $_rc = 2 ] || fail "$_what: exit $_rc, want 2"
	[ "$_n" = 1 ] || fail "$_what: $_n lines on stderr, want one"
	grep -q "^netlat: .*$_pat" "$NLTMP/err" || fail "$_what: the line does not say '$_pat'"
}
expect2 "truncated file" "truncated" "$NLTMP/gso.data" "$NLTMP/half.data"
expect2 "truncated BASE" "truncated" "$NLTMP/half.data" "$NLTMP/gso.data"
expect2 "not a recording" "not a netlat recording" "$NLTMP/gso.data" "$NLTMP/text.data"
expect2 "no metric in common" "no metric in common" "$NLTMP/gso.data" "$NLTMP/softirq.data"
expect2 "missing file" "No such file" "$NLTMP/gso.data" "$NLTMP/nonexistent.data"
expect2 "threshold without a sign" "sign" -t gso.xmits.rate=10% "$NLTMP/gso.data" "$NLTMP/gso.data"
expect2 "one file only" "two recordings" "$NLTMP/gso.data"
exit 0
