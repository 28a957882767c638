# Shared helpers for live tests (POSIX sh: these run under busybox in the VM tier too).
# A test sources this file, then calls pass/fail/skip or just exits:
#   exit 0 = pass, exit 77 = skip (reason printed first with `skip`), anything else = fail.
# Environment set by the runner (tests/run-tier.sh):
#   NETLAT  the netlat binary        NLBIN   directory holding netlat-load and test tools
#   NLTMP   a scratch directory, removed by the runner   NL_TIER  live | live-san | vm
#   NLROOT  the source tree (tests/lib, ...); read-only in the VM

: "${NETLAT:?NETLAT not set: run through tests/run-tier.sh}"
: "${NLTMP:=$(mktemp -d)}"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "  $*"; }

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

# Namespaces made by a test are named netlat-t-<test>-<pid>-<n> and removed by nl_cleanup (trap).
NL_NETNS=""
NL_SYSCTLS=""
nl_netns_add() {
	_ns="netlat-t-$$-$1"
	ip netns add "$_ns" || fail "ip netns add $_ns"
	NL_NETNS="$NL_NETNS $_ns"
	ip -n "$_ns" link set lo up
	echo "$_ns"
}
# Set a sysctl (path under /proc/sys) and restore it at exit.
nl_sysctl_set() {
	_p="/proc/sys/$1"
	_old=$(cat "$_p") || fail "read $_p"
	NL_SYSCTLS="$_p=$_old
$NL_SYSCTLS"
	echo "$2" > "$_p" || fail "write $_p"
}
nl_cleanup() {
	for _ns in $NL_NETNS; do ip netns del "$_ns" 2>/dev/null; done
	NL_NETNS=""
	printf '%s\n' "$NL_SYSCTLS" | while IFS='=' read -r _p _v; do
		[ -n "$_p" ] && echo "$_v" > "$_p"
	done
	NL_SYSCTLS=""
}
trap nl_cleanup EXIT
trap 'nl_cleanup; exit 1' INT TERM HUP
