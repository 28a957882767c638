#!/bin/sh
# filter_warnings: a filter value that matches nothing is said once, by name; a missing pid is an error.
# Situation: short recordings with --dev, --netns, --comm and --port values that exist
# nowhere on this host (checked here first, independently of netlat), and with -p of a
# process that has exited.
# Asserts: each gets exactly one warning line naming the value (--dev also lists the
# devices that do exist, lo among them), the recording still completes (exit 0) and its
# report says the filter matched nothing; a --dev that appears during the recording (a
# veth made in a test namespace 300 ms in) is warned about at the start but not
# reported as unmatched; an existing device gets no warning; -p of a gone process exits 2.
. "$NLROOT/tests/lib/common.sh"
need_root
command -v ip >/dev/null 2>&1 || skip "no ip (iproute2) here"

nodev=nlnodev$$
nocomm=nlnocomm$$
# independent checks that the values really match nothing here
for ns in "" $(ip netns list | awk '{ print $1 }'); do
	if [ -z "$ns" ]; then ip link show "$nodev" >/dev/null 2>&1; else ip -n "$ns" link show "$nodev" >/dev/null 2>&1; fi &&
		fail "a device $nodev exists (in '${ns:-init}')"
done
grep -qx "$nocomm" /proc/[0-9]*/comm 2>/dev/null && fail "a process named $nocomm exists"
port=1
grep -qi ":$(printf '%04X' $port) " /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 &&
	skip "port $port is in use here"

rec() { # NAME ARGS...: record 300 ms into NAME.data, stderr in NAME.err
	_n=$1
	shift
	"$NETLAT" record -o "$NLTMP/$_n.data" -d 300ms "$@" >/dev/null 2>"$NLTMP/$_n.err"
}
once() { # NAME PATTERN WHAT
	_c=$(grep -c "$2" "$NLTMP/$1.err")
	[ "$_c" = 1 ] || { cat "$NLTMP/$1.err"; fail "$3: $_c warning lines matching '$2' (want 1)"; }
}
unmatched() { # NAME TEXT
	"$NETLAT" report -i "$NLTMP/$1.data" >"$NLTMP/$1.txt" || fail "$1: report failed"
	grep -q "^# FILTER MATCHED NOTHING: .*$2" "$NLTMP/$1.txt" ||
		{ head -6 "$NLTMP/$1.txt"; fail "$1: the report does not say '$2' matched nothing"; }
}

rec dev -m napi,gro --dev "$nodev" || { cat "$NLTMP/dev.err"; fail "--dev $nodev: record failed"; }
once dev "^netlat: warning: no device '$nodev' in any namespace (devices: .*\blo\b" "--dev"
unmatched dev "--dev $nodev"

rec netns -m gro --netns 12345 --collector bpf || { cat "$NLTMP/netns.err"; fail "--netns: record failed"; }
once netns "^netlat: warning: no network namespace with inode 12345 (namespaces: " "--netns"
unmatched netns "--netns 12345"

rec comm -m copy --comm "$nocomm" || { cat "$NLTMP/comm.err"; fail "--comm: record failed"; }
once comm "^netlat: warning: no running process is named '$nocomm'" "--comm"
unmatched comm "--comm $nocomm"

rec port -m copy --port $port || { cat "$NLTMP/port.err"; fail "--port: record failed"; }
once port "^netlat: warning: no socket uses port $port in any namespace" "--port"
unmatched port "--port $port"

# an existing device: no warning
rec lo -m gro --dev lo || fail "--dev lo: record failed"
! grep -q "warning: no device" "$NLTMP/lo.err" || fail "--dev lo warned although lo exists"

# a device that appears while recording: warned at the start, not unmatched at the end
nl_netns_add late >/dev/null
late="${NL_NS_PREFIX}late"
(sleep 0.3; ip -n "$late" link add "$nodev" type veth peer name "${nodev}p") &
"$NETLAT" record -o "$NLTMP/late.data" -d 1s -m gro --dev "$nodev" >/dev/null 2>"$NLTMP/late.err" ||
	fail "late device: record failed"
wait
ip -n "$late" link show "$nodev" >/dev/null 2>&1 || fail "the veth was not made"
once late "warning: no device '$nodev'" "late device"
"$NETLAT" report -i "$NLTMP/late.data" | grep -q "FILTER MATCHED NOTHING" &&
	fail "a device that appeared during the recording is reported as matching nothing"

# a pid that does not exist: exit 2 with one line
sleep 0 &
gone=$!
wait $gone
[ -d "/proc/$gone" ] && skip "pid $gone was reused already"
"$NETLAT" record -o "$NLTMP/pid.data" -d 300ms -m copy -p "$gone" >/dev/null 2>"$NLTMP/pid.err"
rc=$?
[ $rc = 2 ] || fail "-p $gone (no such process): exit $rc, want 2"
grep -q "no process with pid $gone" "$NLTMP/pid.err" || { cat "$NLTMP/pid.err"; fail "-p: no message naming the pid"; }
[ -e "$NLTMP/pid.data" ] && fail "-p of a gone process still wrote a recording"
exit 0
