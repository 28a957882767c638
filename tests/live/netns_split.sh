#!/bin/sh
# netns_split: two namespaces run the same port. The bpf collector splits the
# rows by namespace (tcp handshakes, drops, per-device rows), --netns keeps
# one, and the tracefs collector refuses --netns with one line and exit 2.
# Truth: 10 connections and 30 closed-port datagrams in A, 20 and 40 in B.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_collector_usable bpf tcp || skip "bpf collector unusable: $NL_COLLECTOR_WHY"
PORT=80
nl_topo_netns A nsa
nl_topo_netns B nsb
INO_A=$(ip netns exec "$A" stat -L -c %i /proc/self/ns/net) || fail "no inode for $A"
INO_B=$(ip netns exec "$B" stat -L -c %i /proc/self/ns/net) || fail "no inode for $B"
for run in all onlyA; do
	set --
	[ $run = onlyA ] && set -- --netns "$INO_A"
	LOAD="$LOAD" A="$A" B="$B" PORT=$PORT "$NETLAT" record -q --collector bpf -m tcp,drops,gso "$@" \
		-o "$NLTMP/$run.data" -- sh -c '
		"$LOAD" tcp-connect -n 10 -p $PORT --netns "$A" --peer-netns "$A" &&
		"$LOAD" tcp-connect -n 20 -p $PORT --netns "$B" --peer-netns "$B" &&
		"$LOAD" udp-burst --connect -n 30 -s 100 -a ::1 -p 9 --netns "$A" &&
		"$LOAD" udp-burst --connect -n 40 -s 100 -a ::1 -p 9 --netns "$B"' \
		> "$NLTMP/$run.load" 2> "$NLTMP/$run.err" || { cat "$NLTMP/$run.err" "$NLTMP/$run.load"; fail "$run: record failed"; }
	nl_report "$NLTMP/$run.data" "$NLTMP/$run.csv"
	f="$NLTMP/$run.csv"
	ca=$(nl_csv "$f" tcp "side=client netns=$INO_A" handshakes value)
	cb=$(nl_csv "$f" tcp "side=client netns=$INO_B" handshakes value)
	sa=$(nl_csv "$f" tcp "side=server netns=$INO_A" handshakes value)
	da=$(nl_csv_sum "$f" drops "^reason=NO_SOCKET .* netns=$INO_A\$" drops value)
	db=$(nl_csv_sum "$f" drops "^reason=NO_SOCKET .* netns=$INO_B\$" drops value)
	ga=$(nl_csv "$f" gso "dev=lo netns=$INO_A" xmits value)
	nb=$(awk -F, -v n="netns=$INO_B" '$2 == "total" && index($4, n) { c++ } END { print c + 0 }' "$f")
	note "$run: client handshakes A=$ca B=$cb server A=$sa; NO_SOCKET drops A=$da B=$db; gso lo xmits in A=$ga; rows of B=$nb"
	# a BPF program is not re-entered on its CPU: a miss is rare and reported as a lost event
	lost=$(nl_gt_lost "$f")
	for v in "$ca" "$sa"; do
		[ -n "$v" ] && [ "$v" -le 10 ] && [ "$v" -ge $(( 10 - lost )) ] ||
			fail "$run: handshakes in A $ca/$sa, want 10 (lost events $lost)"
	done
	[ "$da" = 30 ] || fail "$run: drops in A $da, want 30"
	[ -n "$ga" ] || fail "$run: no gso row for lo in A"
	if [ $run = all ]; then
		[ -n "$cb" ] && [ "$cb" -le 20 ] && [ "$cb" -ge $(( 20 - lost )) ] ||
			fail "$run: client handshakes in B $cb, want 20 (lost events $lost)"
		[ "$db" = 40 ] || fail "$run: drops in B $db, want 40"
	else
		[ "$nb" = 0 ] || fail "--netns $INO_A kept $nb rows of $INO_B"
	fi
done
"$NETLAT" record -q --collector tracefs --netns "$INO_A" -m tcp -d 100ms -o "$NLTMP/t.data" \
	> "$NLTMP/t.out" 2> "$NLTMP/t.err"
rc=$?
note "tracefs --netns: exit $rc: $(cat "$NLTMP/t.err")"
[ $rc = 2 ] || fail "tracefs --netns exited $rc, want 2"
[ "$(wc -l < "$NLTMP/t.err")" = 1 ] || fail "tracefs --netns: want one line, got: $(cat "$NLTMP/t.err")"
grep -q '^netlat: .*netns' "$NLTMP/t.err" || fail "tracefs --netns: unclear message"
[ ! -e "$NLTMP/t.data" ] || fail "tracefs --netns wrote a recording"
exit 0
