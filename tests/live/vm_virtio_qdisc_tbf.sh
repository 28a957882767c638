#!/bin/sh
# vm: only
# vm_virtio_qdisc_tbf: gt_qdisc_tbf's ground truth (qdisc sojourn of a UDP burst against tbf's
# arithmetic, every datagram paired by the independent reader) with the tbf on a real NIC:
# the sending virtio-net NIC of the VM's pair (NL_TOPO_LINK=virtio, see tests/lib/topo.sh)
# instead of a veth. virtio_net's queue stops and wakes on its TX ring, which veth never does.
NL_TOPO_LINK=virtio exec sh "$NLROOT/tests/live/gt_qdisc_tbf.sh"
