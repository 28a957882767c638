#!/bin/sh
# Run one test tier and print one line per test, then "N passed, N failed, N skipped".
# Usage: tests/run-tier.sh TIER BUILD_DIR
#   TIER unit|unit-san    every BUILD_DIR/tests/unit/test_* binary
#   TIER live|live-san|vm every tests/live/*.sh, with NETLAT=BUILD_DIR/netlat NLBIN=BUILD_DIR/tools
#   TIER live-plain       the live tests marked "# plain: yes" (make test runs every live test
#                         once, under the ASan/UBSan build, and these on the plain build too:
#                         the ones whose truth involves netlat's own speed or its shipped build)
# Exit 0 = pass (77 = skip, only with a "SKIP: reason" line), anything else = fail; a test that
# runs longer than NL_TEST_TIMEOUT seconds (default 300) is killed with its whole process group.
# Machine-readable results (tab separated: status name seconds reason) go to
# $NL_RESULTS_DIR/TIER.tsv (default tests/results/, git-ignored).
# Overrides for trying the runner itself: NL_TESTS_DIR (where the live scripts are),
# NL_TEST_FILTER (a shell pattern on test names), NL_TEST_NOTES=1 (print a passing
# test's notes too).
# POSIX sh only: this also runs inside the busybox VM of the vm tier.

usage() { echo "usage: $0 unit|unit-san|live|live-plain|live-san|vm BUILD_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
tier=$1
build=$2
case $tier in unit|unit-san|live|live-plain|live-san|vm) ;; *) usage ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/vmlist.sh"
case $build in /*) ;; *) build=$(cd "$build" 2>/dev/null && pwd || echo "$PWD/$build") ;; esac
limit=${NL_TEST_TIMEOUT:-300}
filter=${NL_TEST_FILTER:-*}
resdir=${NL_RESULTS_DIR:-$root/tests/results}
mkdir -p "$resdir" || exit 2
results=$resdir/$tier.tsv
: >"$results" || exit 2

npass=0
nfail=0
nskip=0
work=$(mktemp -d "${TMPDIR:-/tmp}/netlat-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 130' INT TERM HUP

have_setsid=0
command -v setsid >/dev/null 2>&1 && have_setsid=1

# run_one LOG CMD...: run CMD with a watchdog; sets rc and timed_out.
# The test gets its own session (setsid) so the watchdog, and the sweep afterwards, can kill
# everything it started: a stray netlat or load generator must not disturb the next test.
run_one() {
	_log=$1
	shift
	rm -f "$work/timeout"
	if [ $have_setsid = 1 ]; then
		# Background jobs of a non-interactive shell are never group leaders, so setsid
		# does not fork and $! is the new session (and process group) id.
		setsid "$@" >"$_log" 2>&1 </dev/null &
	else
		"$@" >"$_log" 2>&1 </dev/null &
	fi
	_pid=$!
	_grp=$_pid
	[ $have_setsid = 1 ] && _grp=-$_pid
	if [ $have_setsid = 1 ]; then
		setsid sh -c 'sleep "$1"; : >"$2"; kill -TERM "$3"; sleep 5; kill -KILL "$3"' \
			watchdog "$limit" "$work/timeout" "$_grp" >/dev/null 2>&1 </dev/null &
		_wd=$!
		_wdgrp=-$!
	else
		sh -c 'sleep "$1"; : >"$2"; kill -TERM "$3"; sleep 5; kill -KILL "$3"' \
			watchdog "$limit" "$work/timeout" "$_grp" >/dev/null 2>&1 </dev/null &
		_wd=$!
		_wdgrp=$!
	fi
	wait "$_pid" 2>/dev/null
	rc=$?
	# The watchdog may not have become a group leader yet (a test that ends at
	# once races its setsid): kill the group and the process itself, or wait
	# would sit out the whole limit and report a timeout.
	kill -KILL "$_wdgrp" 2>/dev/null
	kill -KILL "$_wd" 2>/dev/null
	wait "$_wd" 2>/dev/null
	[ $have_setsid = 1 ] && kill -KILL "$_grp" 2>/dev/null
	timed_out=0
	[ -e "$work/timeout" ] && timed_out=1
	return 0
}

record() { # status name seconds reason
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"
}

show_tail() {
	tail -n 30 "$1" | sed 's/^/    | /'
}

# judge NAME LOG SECONDS: turn rc/timed_out into a PASS/FAIL/SKIP line.
judge() {
	_name=$1
	_log=$2
	_secs=$3
	if [ $timed_out = 1 ]; then
		echo "FAIL $_name: timed out after ${limit}s"
		show_tail "$_log"
		record FAIL "$_name" "$_secs" "timed out after ${limit}s"
		nfail=$((nfail + 1))
	elif [ $rc = 0 ]; then
		echo "PASS $_name"
		# NL_TEST_NOTES=1: a passing test's notes too (the numbers behind a PASS)
		[ "${NL_TEST_NOTES:-0}" = 1 ] && show_tail "$_log"
		record PASS "$_name" "$_secs" ""
		npass=$((npass + 1))
	elif [ $rc = 77 ]; then
		_why=$(sed -n 's/^SKIP: *//p' "$_log" | tail -n 1)
		if [ -n "$_why" ]; then
			echo "SKIP $_name: $_why"
			record SKIP "$_name" "$_secs" "$_why"
			nskip=$((nskip + 1))
		else
			# Nothing skips silently: a skip must say why.
			echo "FAIL $_name: exit 77 (skip) without a 'SKIP: reason' line"
			show_tail "$_log"
			record FAIL "$_name" "$_secs" "skip without a reason"
			nfail=$((nfail + 1))
		fi
	else
		echo "FAIL $_name: exit $rc"
		show_tail "$_log"
		record FAIL "$_name" "$_secs" "exit $rc"
		nfail=$((nfail + 1))
	fi
}

found=0
if [ "$tier" = unit ] || [ "$tier" = unit-san ]; then
	for t in "$build"/tests/unit/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=${t##*/}
		# shellcheck disable=SC2254
		case $name in $filter) ;; *) continue ;; esac
		found=1
		t0=$(date +%s)
		run_one "$work/log" "$t"
		judge "$name" "$work/log" $(($(date +%s) - t0))
	done
else
	tdir=${NL_TESTS_DIR:-$root/tests/live}
	for t in "$tdir"/*.sh; do
		[ -f "$t" ] || continue
		name=${t##*/}
		name=${name%.sh}
		# shellcheck disable=SC2254
		case $name in $filter) ;; *) continue ;; esac
		# NL_TEST_DONE: tests an earlier boot of the VM already reported
		case ",${NL_TEST_DONE:-}," in *",$name,"*) continue ;; esac
		# The vm tier lists only the tests marked for this kernel's list (NL_VM_LIST);
		# the others are not VM tests, so they are not reported at all (no standing skips).
		[ "$tier" = vm ] && ! vm_marked "$t" "${NL_VM_LIST:-full}" && continue
		# and the VM-only tests (they need the VM's virtio NICs) are not tests of the other tiers
		[ "$tier" != vm ] && vm_only "$t" && continue
		[ "$tier" = live-plain ] && ! grep -q '^# plain: yes$' "$t" && continue
		found=1
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/netlat-t.XXXXXX") || { echo "FAIL $name: mktemp"; nfail=$((nfail + 1)); continue; }
		t0=$(date +%s)
		run_one "$work/log" env NETLAT="$build/netlat" NLBIN="$build/tools" NLROOT="$root" \
			NLTMP="$tmp" NL_TIER="$tier" sh "$t"
		judge "$name" "$work/log" $(($(date +%s) - t0))
		rm -rf "$tmp"
	done
fi
if [ $found = 0 ] && [ -z "${NL_TEST_DONE:-}" ]; then
	# A tier that finds nothing to run has lost its tests: that is a failure, never silence.
	echo "FAIL $tier-tier: no $tier tests found (filter '$filter')"
	record FAIL "$tier-tier" 0 "no tests found"
	nfail=$((nfail + 1))
fi
echo "$npass passed, $nfail failed, $nskip skipped"
[ $nfail = 0 ]
