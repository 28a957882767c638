#!/bin/sh
# Run the test tiers and print one combined "N passed, N failed, N skipped" as the last line.
# Usage: tests/run-all.sh [TIER...]   (default: unit unit-san live-plain live-san vm)
# Expects the builds to exist (make test builds them first): $BUILD (default build, static)
# and $SAN_BUILD (default build-san, ASan+UBSan). Each tier's lines are prefixed "TIER: ".
# Every live test runs once on the host, under the sanitizers (live-san): the same tests
# on the plain build as well (the live tier) would cost seven minutes of a 30-minute budget
# for what only the build itself can change (static linking, no sanitizer runtime, speed):
# the plain build runs the unit tests, the tests marked "# plain: yes" (live-plain:
# netlat's own cost and speed, the install, a probe and smoke test of the static binary)
# and the whole vm tier. `make test-live` still runs every live test on the plain build.
# Exit status: non-zero when any test failed (or a tier could not run at all).

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
build=${BUILD:-build}
san_build=${SAN_BUILD:-build-san}
resdir=${NL_RESULTS_DIR:-$root/tests/results}
export NL_RESULTS_DIR=$resdir
mkdir -p "$resdir" || exit 2
rm -f "$resdir/summary.txt"
tiers=${*:-unit unit-san live-plain live-san vm}

# Sanitizer settings for the -san tiers. LeakSanitizer stops the process with ptrace; where
# that is not allowed (some containers, yama ptrace_scope 3) it cannot work, so find out.
san_env() {
	_d=$(mktemp -d "${TMPDIR:-/tmp}/netlat-lsan.XXXXXX") || return
	printf '#include <stdlib.h>\nint main(void) { volatile void *p = malloc(33); p = 0; (void)p; return 0; }\n' >"$_d/leak.c"
	leaks=0
	why=""
	if ! ${CC:-cc} -fsanitize=address -g -o "$_d/leak" "$_d/leak.c" 2>"$_d/cc.err"; then
		why="cannot build an ASan probe: $(head -n 1 "$_d/cc.err")"
	elif ASAN_OPTIONS=detect_leaks=1 "$_d/leak" >"$_d/out" 2>&1; then
		why="LeakSanitizer did not report a deliberate leak"
	elif grep -q 'detected memory leaks' "$_d/out"; then
		leaks=1
	else
		why="LeakSanitizer cannot run here: $(grep -m 1 -i 'leaksanitizer\|ptrace' "$_d/out" || head -n 1 "$_d/out")"
	fi
	rm -rf "$_d"
	[ $leaks = 1 ] || echo "NOTE leak detection off: $why"
	export ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=1:print_summary=1"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
	[ $leaks = 0 ] || echo "NOTE ASAN_OPTIONS=$ASAN_OPTIONS"
}

# Prefix every line (a read loop, so lines appear as they come, unlike buffered sed).
prefix() {
	while IFS= read -r _l || [ -n "$_l" ]; do printf '%s: %s\n' "$1" "$_l"; done
}

tp=0
tf=0
ts=0
for tier in $tiers; do
	rm -f "$resdir/$tier.tsv"
	rc_file=$resdir/.$tier.rc
	case $tier in
	unit | live | live-plain) set -- sh tests/run-tier.sh "$tier" "$build" ;;
	unit-san | live-san) set -- sh tests/run-tier.sh "$tier" "$san_build" ;;
	vm) set -- sh tests/vm/run-vm.sh "$build" ;;
	*) echo "run-all: unknown tier '$tier' (unit live live-plain unit-san live-san vm)" >&2; exit 2 ;;
	esac
	t0=$(date +%s)
	{
		case $tier in *-san) san_env ;; esac
		"$@" 2>&1
		echo $? >"$rc_file"
	} 2>&1 | prefix "$tier"
	rc=$(cat "$rc_file" 2>/dev/null || echo 1)
	rm -f "$rc_file"
	counts=$(awk -F '\t' '$1 == "PASS" { p++ } $1 == "FAIL" { f++ } $1 == "SKIP" { s++ }
		END { printf "%d %d %d\n", p, f, s }' "$resdir/$tier.tsv" 2>/dev/null || echo "0 0 0")
	set -- $counts
	p=$1 f=$2 s=$3
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		# The runner itself failed (missing build, crash): that is a failure, not silence.
		echo "$tier: FAIL $tier-tier: the runner exited $rc without a failed test"
		f=1
	fi
	echo "$tier: took $(($(date +%s) - t0))s"
	tp=$((tp + p))
	tf=$((tf + f))
	ts=$((ts + s))
done
echo "$tp passed, $tf failed, $ts skipped" | tee "$resdir/summary.txt"
[ $tf = 0 ]
