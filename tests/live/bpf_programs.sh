#!/bin/sh
# plain: yes
# bpf_programs: the BPF collector runs one program per tracepoint, whatever
# the number of metrics that want it, and the copy metric leaves the
# system-call tracepoints alone unless --syscall-time asks for them.
# The truth is the kernel's own list of the programs netlat holds (their ids
# from /proc/PID/fdinfo, named by bpftool), read by a command netlat runs
# while armed; it is checked against `netlat probe`'s table.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
command -v bpftool >/dev/null 2>&1 || fail "no bpftool (make deps installs it)"
nl_collector_usable bpf napi || skip "the bpf collector cannot record here (netlat probe)"

# progs OUT [record options]: the names of the BPF programs netlat holds while recording
progs() {
	_out=$1
	shift
	cat > "$NLTMP/list.sh" <<'EOS'
for f in /proc/$PPID/fdinfo/*; do sed -n 's/^prog_id:[[:space:]]*//p' "$f"; done | sort -u |
while read -r id; do bpftool prog show id "$id" | sed -n 's/^[0-9]*: [a-z_]*  *name \([^ ]*\) .*/\1/p'; done
EOS
	"$NETLAT" record -q --collector bpf "$@" -o "$NLTMP/p.data" -- /bin/sh "$NLTMP/list.sh" > "$_out" 2> "$NLTMP/p.err" ||
		{ cat "$NLTMP/p.err"; fail "netlat record $* failed"; }
	sort "$_out" -o "$_out"
}

M=napi,softirq,gro,gso,qdisc,rx,tx,tcp,drops,copy
progs "$NLTMP/default" -m "$M"
n=$(wc -l < "$NLTMP/default")
dups=$(uniq -d "$NLTMP/default" | tr '\n' ' ')
note "$n programs for $M: $(tr '\n' ' ' < "$NLTMP/default")"
[ "$n" -gt 0 ] || fail "no BPF program held while recording $M"
[ -z "$dups" ] || fail "programs loaded twice: $dups"
grep -v '^nl_tp_' "$NLTMP/default" | grep -q . && fail "programs not named nl_tp_<tracepoint>: $(grep -v '^nl_tp_' "$NLTMP/default" | tr '\n' ' ')"
# every program is one of the table's, one per tracepoint
"$NETLAT" probe > "$NLTMP/probe.txt" || fail "netlat probe failed"
awk '/^bpf programs/ { on = 1; next } on && NF == 0 { on = 0 } on { print $2 }' "$NLTMP/probe.txt" |
	sort -u > "$NLTMP/table"
[ -s "$NLTMP/table" ] || fail "netlat probe lists no bpf programs"
while read -r p; do
	grep -qx "$p" "$NLTMP/table" || fail "program $p is not in netlat probe's table"
done < "$NLTMP/default"
# the tracepoints several metrics share carry one program each
for tp in netif_receive_skb qdisc_dequeue kfree_skb tcp_probe skb_copy_datagram_iovec; do
	c=$(grep -cx "nl_tp_$tp" "$NLTMP/default")
	[ "$c" = 1 ] || fail "tracepoint $tp has $c programs, want 1"
done
grep -q 'sys_e' "$NLTMP/default" && fail "copy attached raw_syscalls without --syscall-time"
progs "$NLTMP/syscall" -m copy --syscall-time
grep -q '^nl_tp_sys_enter' "$NLTMP/syscall" && grep -q '^nl_tp_sys_exit' "$NLTMP/syscall" ||
	fail "copy --syscall-time did not attach sys_enter and sys_exit: $(tr '\n' ' ' < "$NLTMP/syscall")"
exit 0
