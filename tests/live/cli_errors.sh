#!/bin/sh
# vm: yes
# The command line fails the perf way: a usage error exits 2 with exactly one
# line on stderr (and arms nothing); --help exits 0 with the usage on stdout.
. "$NLROOT/tests/lib/common.sh"

# A broken parser must not turn into a recording that never ends.
TO=""
command -v timeout >/dev/null 2>&1 && TO="timeout 20"

# run ARGS...: sets rc, fills $NLTMP/out and $NLTMP/err
run() {
	$TO "$NETLAT" "$@" > "$NLTMP/out" 2> "$NLTMP/err" < /dev/null
	rc=$?
}

# usage_error WHAT ARGS...: exit 2, one line on stderr starting "netlat:"
usage_error() {
	what=$1; shift
	run "$@"
	[ $rc = 2 ] || fail "$what ('netlat $*'): exit $rc, expected 2; stderr: $(cat "$NLTMP/err")"
	n=$(wc -l < "$NLTMP/err")
	[ "$n" -eq 1 ] || fail "$what ('netlat $*'): $n lines on stderr, expected 1: $(cat "$NLTMP/err")"
	grep -q '^netlat: ' "$NLTMP/err" || fail "$what ('netlat $*'): stderr does not start with 'netlat: ': $(cat "$NLTMP/err")"
	note "$what: $(cat "$NLTMP/err")"
}

# help_ok ARGS...: exit 0, usage on stdout, nothing on stderr
help_ok() {
	run "$@"
	[ $rc = 0 ] || fail "'netlat $*': exit $rc, expected 0; stderr: $(cat "$NLTMP/err")"
	grep -qi 'usage' "$NLTMP/out" || fail "'netlat $*': no usage text on stdout"
	[ -s "$NLTMP/err" ] && fail "'netlat $*': wrote to stderr: $(cat "$NLTMP/err")"
	note "netlat $*: ok"
}

cd "$NLTMP" || fail "cd $NLTMP"

usage_error "unknown option" record --no-such-option
usage_error "unknown short option" record -Z
usage_error "bad duration" record -d abc
usage_error "negative duration" record -d -1s
usage_error "unknown metric" record -m nosuchmetric
usage_error "unknown metric in a list" record -m napi,nosuchmetric
usage_error "unknown command" nosuchcmd
usage_error "unknown probe option" probe --no-such-option
usage_error "unknown report option" report --no-such-option
# None of the failed records may have written a recording.
[ -e "$NLTMP/netlat.data" ] && fail "a failed 'netlat record' wrote netlat.data"

help_ok --help
help_ok record --help
help_ok report --help
help_ok probe --help
exit 0
