#!/bin/sh
# vm: only
# vm_virtio_gro: gt_gro's ground truth on a real NIC receive path. The same test (GRO ratio
# equal to the independent reader's within 1%, > 1.5 with GRO on, exactly 1 with it off) with
# nl_topo_veth's pair replaced by the VM's two virtio-net NICs (NL_TOPO_LINK=virtio, see
# tests/lib/topo.sh): virtio_net's NAPI poll hands each received frame to napi_gro_receive.
# The sender's "tso off gso off" is a no-op there: virtio offers no TSO on a QEMU hub (see
# vm_virtio_gso), so the frames arrive MSS-sized whatever the sender says.
# 100 messages of 64 KiB (6.5 MB, thousands of segments) instead of 500: no checksum offload.
NL_GT_BULK_N=100 NL_TOPO_LINK=virtio exec sh "$NLROOT/tests/live/gt_gro.sh"
