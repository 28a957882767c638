#!/bin/sh
# The vm tier: boot Debian's stock cloud kernel once under qemu with a busybox initramfs and run
# every live test inside (tests/vm/init runs tests/run-tier.sh vm). Prints the tests' lines as
# they arrive, then one "N passed, N failed, N skipped" line; results go to
# $NL_RESULTS_DIR/vm.tsv like any tier. Without qemu or the kernel, every test is reported
# skipped with the reason; a VM that dies or hangs fails every test it did not report.
# Usage: tests/vm/run-vm.sh BUILD_DIR
# Env: NL_VM_TIMEOUT (seconds for the whole boot, default 1800), NL_TEST_TIMEOUT and
#      NL_TEST_FILTER (passed into the VM), NL_TESTS_DIR, NL_VM_CACHE (default .cache/vm),
#      NL_VM_ACCEL=kvm to use KVM instead of software emulation, NL_VM_QEMU (the qemu binary).
set -u

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$src/$build ;; esac
tests_dir=${NL_TESTS_DIR:-$src/tests/live}
cache=${NL_VM_CACHE:-$src/.cache/vm}
resdir=${NL_RESULTS_DIR:-$src/tests/results}
results=$resdir/vm.tsv
vm_timeout=${NL_VM_TIMEOUT:-1800}
filter=${NL_TEST_FILTER:-*}
mkdir -p "$resdir" "$cache" || exit 2
: >"$results"
log=$cache/console.log

test_names() {
	for t in "$tests_dir"/*.sh; do
		[ -f "$t" ] || continue
		n=${t##*/}
		n=${n%.sh}
		# shellcheck disable=SC2254
		case $n in $filter) echo "$n" ;; esac
	done
}

summary() {
	awk -F '\t' '$1 == "PASS" { p++ } $1 == "FAIL" { f++ } $1 == "SKIP" { s++ }
		END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' "$results"
}

skip_all() {
	echo "NOTE vm tier cannot run: $1"
	for n in $(test_names); do
		echo "SKIP $n: vm tier: $1"
		printf 'SKIP\t%s\t0\tvm tier: %s\n' "$n" "$1" >>"$results"
	done
	summary
	exit $?
}

qemu=${NL_VM_QEMU:-$(command -v qemu-system-x86_64 || true)}
[ -n "$qemu" ] && [ -x "$qemu" ] || skip_all "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
for t in cpio gzip busybox ldd file; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
ktree=$(sh "$src/tests/vm/fetch-kernel.sh" "$cache") ||
	skip_all "cannot obtain the Debian cloud kernel (apt-get download linux-image-cloud-amd64's image failed)"
kernel=$(ls "$ktree"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$kernel" ] || skip_all "no vmlinuz in $ktree"

work=$(mktemp -d "${TMPDIR:-/tmp}/netlat-vm.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 130' INT TERM HUP
# Snapshot the tests: what goes into the VM is exactly what is expected back.
mkdir -p "$work/live"
[ -d "$tests_dir" ] && cp -R "$tests_dir/." "$work/live/"
tests_dir=$work/live
initrd=$work/initramfs.cpio.gz
NL_TESTS_DIR=$tests_dir sh "$src/tests/vm/build-initramfs.sh" "$build" "$ktree" "$initrd" 2>"$work/build.err" || {
	cat "$work/build.err"
	skip_all "building the initramfs failed"
}
sed 's/^build-initramfs: //' "$work/build.err"

# Software emulation by default: the KVM seen on these (nested) machines either aborts with
# -cpu host or stalls in early boot. NL_VM_ACCEL=kvm opts in where KVM is known to work.
# One host thread for both vCPUs (thread=single): with a thread per vCPU, a host that
# starves one of them leaves the other spinning in an IPI wait (text_poke when a
# tracepoint is switched), which the guest reports as a soft lockup.
accel="-accel tcg,thread=single"
[ "${NL_VM_ACCEL:-tcg}" = kvm ] && accel="-accel kvm -cpu host"
# softlockup_panic: a guest whose CPU locks up (seen, rarely, under software
# emulation in flood tests) stops at once instead of sitting out the timeout;
# the tests it did not reach run in a new boot (below).
base_append="console=ttyS0 quiet panic=-1 softlockup_panic=1"
[ -n "${NL_TEST_TIMEOUT:-}" ] && base_append="$base_append NL_TEST_TIMEOUT=$NL_TEST_TIMEOUT"
[ -n "${NL_TEST_FILTER:-}" ] && base_append="$base_append NL_TEST_FILTER=$NL_TEST_FILTER"

to=""
# --foreground keeps qemu in our process group, so killing the test run kills the VM too.
if timeout --foreground 5 true 2>/dev/null; then
	to="timeout --foreground -k 10"
elif command -v timeout >/dev/null 2>&1; then
	to="timeout -k 10"
fi
cr=$(printf '\r')
: >"$log"
: >"$work/res"
t0=$(date +%s)

# boot APPEND SECONDS: one VM run; its console goes to $log (appended) and $work/boot.log.
# Stream the console: print the lines between the markers, minus run-tier's own summary
# (recomputed below from the results so a dead VM still adds up). A shell read loop, not
# awk: mawk fills whole input buffers before it runs, which would hold every line back.
boot() {
	: >"$work/boot.log"
	# shellcheck disable=SC2086
	${to:+$to $2} "$qemu" $accel -m 2048 -smp 2 -nographic -no-reboot -nic none \
		-kernel "$kernel" -initrd "$initrd" -append "$1" </dev/null 2>&1 | {
		on=0
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%"$cr"}
			printf '%s\n' "$line" >>"$log"
			printf '%s\n' "$line" >>"$work/boot.log"
			case $line in
			*"NETLAT-VM: "*) echo "NOTE ${line#*NETLAT-VM: }" ;; # firmware escapes may precede it
			*"=== NETLAT-VM-BEGIN ==="*) on=1 ;;
			*"=== NETLAT-VM-END"*) on=0 ;;
			*" passed, "*" failed, "*" skipped") ;;
			*) [ $on = 0 ] || printf '%s\n' "$line" ;;
			esac
		done
	}
}

# Results of one boot: its machine-readable block, or, from a boot that died, the
# PASS/FAIL/SKIP lines it printed before it did.
boot_results() {
	if grep -q '^=== NETLAT-VM-RESULTS-END ===' "$work/boot.log"; then
		awk '/^=== NETLAT-VM-RESULTS-BEGIN ===/ { on = 1; next }
			/^=== NETLAT-VM-RESULTS-END ===/ { exit }
			on && NF' "$work/boot.log"
	else
		awk '/=== NETLAT-VM-BEGIN ===/ { on = 1; next } /=== NETLAT-VM-END/ { on = 0 }
			on && $1 ~ /^(PASS|FAIL|SKIP)$/ { n = $2; sub(/:$/, "", n); printf "%s\t%s\t0\tfrom the console\n", $1, n }' \
			"$work/boot.log"
	fi
}

echo "booting ${kernel##*/} (${accel:-software emulation}, timeout ${vm_timeout}s)"
done_list="" hung=""
for nboot in 1 2 3; do
	left=$((vm_timeout - ($(date +%s) - t0)))
	[ "$left" -gt 60 ] || break
	append=$base_append
	[ -n "$done_list" ] && append="$append NL_TEST_DONE=${done_list#,}"
	[ "$nboot" = 1 ] || echo "NOTE booting again (boot $nboot) for the tests the last boot did not reach"
	boot "$append" "$left"
	boot_results >>"$work/res"
	grep -q '^=== NETLAT-VM-RESULTS-END ===' "$work/boot.log" && break
	echo "NOTE the VM died before it finished (boot $nboot); console log ends:"
	grep -v '^\(PASS\|FAIL\|SKIP\|    |\)' "$work/boot.log" | tail -n 8 | sed 's/^/    | /'
	# the first test without a result is the one the guest died in: it gets one more boot
	done_list=$(awk -F '\t' '{ printf ",%s", $2 }' "$work/res")
	victim=""
	for n in $(test_names); do
		case ",$done_list," in *",$n,"*) continue ;; esac
		victim=$n
		break
	done
	[ -n "$victim" ] || break
	case " $hung " in
	*" $victim "*)
		echo "FAIL $victim: the VM died twice while it ran (see ${log#"$src"/})"
		printf 'FAIL\t%s\t0\tthe VM died twice while it ran\n' "$victim" >>"$work/res"
		done_list="$done_list,$victim" ;;
	*)
		echo "NOTE $victim was running when the VM died: it runs again first"
		hung="$hung $victim" ;;
	esac
done
secs=$(($(date +%s) - t0))
cp "$work/res" "$results"
for n in $(test_names); do
	awk -F '\t' -v n="$n" '$2 == n { found = 1 } END { exit !found }' "$work/res" && continue
	echo "FAIL $n: no result from the VM (see ${log#"$src"/})"
	printf 'FAIL\t%s\t0\tno result from the VM\n' "$n" >>"$results"
done
echo "vm finished in ${secs}s (console log: ${log#"$src"/})"
summary
