# Which live tests the vm tier runs (POSIX sh, sourced by tests/run-tier.sh in the guest and by
# tests/vm/run-vm.sh on the host, so both agree on the list the guest must report back).
# A test opts in with a header line:
#   "# vm: core"  on every kernel of tests/vm/kernels (probe, smoke tests, the ground truths
#                 that decide whether netlat can be trusted on that kernel)
#   "# vm: yes"   only on the kernel that runs the full list
#   "# vm: only"  on the kernel that runs the nic list, and never in the live tiers: it needs
#                 the VM's hardware (the two virtio-net NICs of tests/vm/run-vm.sh)
# Lists (tests/vm/kernels): full = yes + core, nic = only + core, core = core. The virtio
# tests sit on a core kernel rather than the full one, which spreads the tier's time
# (and lets NL_VM_LANES=2 in tests/vm/run-vm.sh run two lanes of about equal length).
# The VM is software-emulated and slow: "yes" is for what the host cannot run (kprobes,
# function_graph, fentry, netem). The truths that pass on the host (gro, gso, napi budget,
# lost events, pair sampling, collectors agree, bpf_programs) left the full list when
# make test had to fit in 30 minutes: they cost 290 s of 6.1's 650, and the core list still
# runs the truths that decide trust on every kernel.

# vm_marked FILE LIST: true when FILE runs on a kernel of list LIST (full, nic or core).
vm_marked() {
	case $2 in
	core) grep -q '^# vm: core$' "$1" ;;
	nic) grep -qE '^# vm: (core|only)$' "$1" ;;
	*) grep -qE '^# vm: (yes|core)$' "$1" ;;
	esac
}

# vm_only FILE: true when FILE runs in the vm tier only.
vm_only() { grep -q '^# vm: only$' "$1"; }
