#!/bin/sh
# serve_sigterm: `netlat serve` under SIGTERM disarms everything it armed, as `record`
# does. Ground truth: the kernel's own lists. While serve runs (bpf collector) its BPF
# links are read from its /proc/PID/fdinfo (link_id lines); after SIGTERM, `bpftool link
# show id` must find none of them. With --collector tracefs its private instance
# netlat-<pid> exists while it runs and is gone after. Both exit 0 and print nothing
# alarming.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/prom.sh"
need_root
command -v bpftool >/dev/null 2>&1 || fail "no bpftool: run make deps"
T=/sys/kernel/tracing

SP=$(nl_free_port 20000)
nl_serve_start "$SP" -q --collector bpf -m softirq,napi,qdisc
PID=$NL_SERVE_PID
LINKS=$(grep -h '^link_id:' /proc/"$PID"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -n | tr '\n' ' ')
[ -n "$LINKS" ] || fail "serve holds no BPF link: the test would test nothing"
for l in $LINKS; do
	bpftool link show id "$l" > /dev/null 2>&1 || fail "link $l not listed by bpftool while serve runs"
done
note "bpf: serve $PID holds links $LINKS"
nl_serve_stop || fail "serve (bpf) exited non-zero after SIGTERM"
for l in $LINKS; do
	bpftool link show id "$l" > /dev/null 2>&1 && fail "BPF link $l still attached after SIGTERM"
done
note "bpf: every link gone after SIGTERM"

[ -d "$T/instances" ] || mount -t tracefs nodev "$T" 2>/dev/null
[ -d "$T/instances" ] || skip "no tracefs instances"
nl_serve_start "$SP" -q --collector tracefs -m softirq,napi
PID=$NL_SERVE_PID
[ -d "$T/instances/netlat-$PID" ] || fail "no tracefs instance netlat-$PID while serve runs"
nl_serve_stop || fail "serve (tracefs) exited non-zero after SIGTERM"
[ -d "$T/instances/netlat-$PID" ] && fail "tracefs instance netlat-$PID left after SIGTERM"
note "tracefs: instance netlat-$PID removed after SIGTERM"
exit 0
