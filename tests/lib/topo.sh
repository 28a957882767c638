# Topology helpers for live tests (POSIX sh; source after common.sh).
#
# Everything lives inside namespaces the test creates (netlat-t-<pid>-<tag>),
# so nl_cleanup's `ip netns del` removes the veths, qdiscs and RPS settings
# with them; nothing here touches the root namespace. Addresses are
# TEST-NET-1 (192.0.2.0/24) and ULA fd00:6e6c::/64, only inside the namespaces.
#
# Device names carry the test's pid so that system-wide tracepoints
# (napi_poll, net_dev_start_xmit, ...) can be told apart by name:
#   nl_topo_veth A B  ->  NL_DEV_A=nl<pid>a in A, NL_DEV_B=nl<pid>b in B
# (a second pair between two other namespaces: nl_topo_veth C D x -> nl<pid>xa, nl<pid>xb).

NL_TOPO_V4_A=192.0.2.1
NL_TOPO_V4_B=192.0.2.2
NL_TOPO_V6_A=fd00:6e6c::1
NL_TOPO_V6_B=fd00:6e6c::2

# nl_topo_netns VAR TAG: create a namespace (removed by nl_cleanup), store its name in VAR.
# Called directly rather than as `VAR=$(nl_netns_add TAG)` so that a failure
# ends the test, not just the $(...) subshell.
nl_topo_netns() {
	nl_netns_add "$2" >/dev/null
	eval "$1=\${NL_NS_PREFIX:-netlat-t-$$-}$2"
}

# nl_topo_veth NS_A NS_B [TAG]: veth pair A<->B (nl<pid>[TAG]a, nl<pid>[TAG]b)
# with IPv4 addresses and permanent neighbour entries, both ends up. IPv6 stays disabled on the pair unless
# NL_TOPO_V6=1: link-local autoconf (DAD, MLD reports, router solicitations)
# would put packets nobody asked for into the qdisc and GRO counts.
# Permanent neighbours: the first datagrams of a burst would otherwise wait
# in (and overflow) the ARP queue instead of reaching the qdisc.
nl_topo_veth() {
	NL_DEV_A="nl$$${3}a"
	NL_DEV_B="nl$$${3}b"
	# NL_TOPO_LINK=virtio (the vm_virtio_* tests): the same pair on a real NIC driver.
	if [ "${NL_TOPO_LINK:-veth}" = virtio ]; then
		[ -z "$3" ] || fail "only one virtio-net pair exists (nl_topo_veth $*)"
		nl_topo_virtio "$1" "$2"
		return
	fi
	_v6=1
	[ "${NL_TOPO_V6:-0}" = 1 ] && _v6=0
	for _n in "$1" "$2"; do
		ip netns exec "$_n" sh -c "echo $_v6 > /proc/sys/net/ipv6/conf/default/disable_ipv6" \
			2>/dev/null
	done
	# NL_TOPO_TXQ=N: N transmit and receive queues a side (a multiqueue device)
	_q=${NL_TOPO_TXQ:+numtxqueues $NL_TOPO_TXQ numrxqueues $NL_TOPO_TXQ}
	# shellcheck disable=SC2086 # _q: empty, or options split on purpose
	ip link add "$NL_DEV_A" netns "$1" $_q type veth peer name "$NL_DEV_B" netns "$2" $_q ||
		fail "ip link add veth $NL_DEV_A/$NL_DEV_B"
	ip -n "$1" addr add "$NL_TOPO_V4_A/24" dev "$NL_DEV_A" || fail "addr $NL_DEV_A"
	ip -n "$2" addr add "$NL_TOPO_V4_B/24" dev "$NL_DEV_B" || fail "addr $NL_DEV_B"
	_mac_a=$(nl_topo_mac "$1" "$NL_DEV_A")
	_mac_b=$(nl_topo_mac "$2" "$NL_DEV_B")
	ip -n "$1" neigh replace "$NL_TOPO_V4_B" lladdr "$_mac_b" dev "$NL_DEV_A" nud permanent
	ip -n "$2" neigh replace "$NL_TOPO_V4_A" lladdr "$_mac_a" dev "$NL_DEV_B" nud permanent
	if [ "$_v6" = 0 ]; then
		ip -n "$1" -6 addr add "$NL_TOPO_V6_A/64" dev "$NL_DEV_A" nodad
		ip -n "$2" -6 addr add "$NL_TOPO_V6_B/64" dev "$NL_DEV_B" nodad
		ip -n "$1" -6 neigh replace "$NL_TOPO_V6_B" lladdr "$_mac_b" dev "$NL_DEV_A" nud permanent
		ip -n "$2" -6 neigh replace "$NL_TOPO_V6_A" lladdr "$_mac_a" dev "$NL_DEV_B" nud permanent
	fi
	ip -n "$1" link set "$NL_DEV_A" up || fail "link up $NL_DEV_A"
	ip -n "$2" link set "$NL_DEV_B" up || fail "link up $NL_DEV_B"
}

# nl_topo_virtio_nics: the virtio-net NICs of the root namespace, in MAC order. The VM tier
# (tests/vm/run-vm.sh) gives the guest two, alone on one QEMU hub. A namespace deleted by
# an earlier test hands its NIC back asynchronously (netns cleanup runs from a workqueue):
# wait up to 10 s for both.
nl_topo_virtio_nics() {
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		_nics=$(for _d in /sys/class/net/*; do
			case $(readlink "$_d/device/driver" 2>/dev/null) in
			*/virtio_net) echo "$(cat "$_d/address") ${_d##*/}" ;;
			esac
		done | sort | awk '{ print $2 }')
		[ "$(echo "$_nics" | grep -c .)" -ge 2 ] && break
		sleep 0.5
	done
	echo "$_nics"
}

# nl_topo_virtio NS_A NS_B: the two virtio-net NICs moved into A and B, renamed NL_DEV_A and
# NL_DEV_B, addressed like the veth pair. Deleting the namespaces (nl_cleanup) gives a
# physical NIC back to the root namespace; its addresses go with the move.
nl_topo_virtio() {
	set -- "$1" "$2" $(nl_topo_virtio_nics)
	[ $# -ge 4 ] || fail "needs two virtio-net NICs (the vm tier's QEMU hub), found: ${3:-none}"
	for _n in "$1" "$2"; do
		ip netns exec "$_n" sh -c "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6" 2>/dev/null
	done
	ip link set "$3" down
	ip link set "$4" down
	ip link set "$3" netns "$1" || fail "move $3 to $1"
	ip link set "$4" netns "$2" || fail "move $4 to $2"
	ip -n "$1" link set "$3" name "$NL_DEV_A" || fail "rename $3"
	ip -n "$2" link set "$4" name "$NL_DEV_B" || fail "rename $4"
	# A NIC keeps its offload settings through namespaces: put back what an earlier test
	# turned off (ethtool refuses, harmlessly, what the device does not offer).
	for _f in sg tx tso gso gro; do
		ip netns exec "$1" ethtool -K "$NL_DEV_A" "$_f" on >/dev/null 2>&1
		ip netns exec "$2" ethtool -K "$NL_DEV_B" "$_f" on >/dev/null 2>&1
	done
	ip -n "$1" addr add "$NL_TOPO_V4_A/24" dev "$NL_DEV_A" || fail "addr $NL_DEV_A"
	ip -n "$2" addr add "$NL_TOPO_V4_B/24" dev "$NL_DEV_B" || fail "addr $NL_DEV_B"
	_mac_a=$(nl_topo_mac "$1" "$NL_DEV_A")
	_mac_b=$(nl_topo_mac "$2" "$NL_DEV_B")
	ip -n "$1" neigh replace "$NL_TOPO_V4_B" lladdr "$_mac_b" dev "$NL_DEV_A" nud permanent
	ip -n "$2" neigh replace "$NL_TOPO_V4_A" lladdr "$_mac_a" dev "$NL_DEV_B" nud permanent
	ip -n "$1" link set "$NL_DEV_A" up || fail "link up $NL_DEV_A"
	ip -n "$2" link set "$NL_DEV_B" up || fail "link up $NL_DEV_B"
	note "virtio-net: $3 -> $NL_DEV_A in $1, $4 -> $NL_DEV_B in $2"
}

# nl_topo_mac NS DEV: DEV's MAC address.
nl_topo_mac() {
	ip -n "$1" -o link show dev "$2" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") { print $(i + 1); exit } }'
}

# nl_topo_ifindex NS DEV: print DEV's ifindex inside NS (qdisc tracepoints carry only that).
nl_topo_ifindex() {
	ip -n "$1" -o link show dev "$2" | awk -F: '{ print $1; exit }'
}

# A qdisc handle major unique to this test (hex, no colon), so the qdisc
# tracepoints of concurrent tests (which report only ifindex and handle) differ.
nl_topo_handle() {
	printf '%x' $(( ($$ % 60000) + 0x1000 ))
}

# nl_topo_tbf NS DEV RATE BURST LIMIT: tbf as the root qdisc (e.g. 8mbit 1600 4mb).
# Prints nothing; the handle is "$(nl_topo_handle):".
nl_topo_tbf() {
	tc -n "$1" qdisc replace dev "$2" root handle "$(nl_topo_handle):" \
		tbf rate "$3" burst "$4" limit "$5" || fail "tc tbf on $2"
}

# nl_topo_htb NS DEV RATE: htb root with one default class at RATE.
nl_topo_htb() {
	_h=$(nl_topo_handle)
	tc -n "$1" qdisc replace dev "$2" root handle "$_h:" htb default 1 || fail "tc htb on $2"
	tc -n "$1" class add dev "$2" parent "$_h:" classid "$_h:1" htb rate "$3" ||
		fail "tc htb class on $2"
}

# nl_topo_have_ethtool: 0 when ethtool is usable.
nl_topo_have_ethtool() { command -v ethtool >/dev/null 2>&1; }

# nl_topo_offload NS DEV FEATURE on|off [FEATURE on|off ...]: ethtool -K inside NS.
nl_topo_offload() {
	_ns=$1 _dev=$2
	shift 2
	ip netns exec "$_ns" ethtool -K "$_dev" "$@" >/dev/null 2>&1 ||
		fail "ethtool -K $_dev $*"
}

# nl_topo_feature NS DEV NAME: print on|off as ethtool -k reports it (e.g. generic-receive-offload).
nl_topo_feature() {
	ip netns exec "$1" ethtool -k "$2" 2>/dev/null |
		awk -v f="$3:" '$1 == f { print $2; exit }'
}

# nl_topo_rps NS DEV MASK: steer DEV's rx-0 queue to the CPUs in hex MASK (inside NS; gone with NS).
nl_topo_rps() {
	ip netns exec "$1" sh -c "echo $3 > /sys/class/net/$2/queues/rx-0/rps_cpus" ||
		fail "rps_cpus on $2 in $1"
}

# nl_topo_ncpus: online CPUs.
nl_topo_ncpus() {
	_n=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
	echo "${_n:-1}"
}
