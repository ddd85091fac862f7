"""The benchmark world builder stays correct: a small world built the same way has the right resources."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    import benchmarks.world  # noqa: F401
except ImportError:  # plain `pytest` from elsewhere: the project root is not on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.world import WorldShape, build_world, count_by_type, pick_vms
from labtui.engine import persist
from labtui.engine.resources import (
    Disk, Image, NetworkInterface, NetworkSecurityGroup, PublicIp, ResourceGroup, Snapshot, VirtualMachine,
    VirtualNetwork,
)

TINY = WorldShape(vms=20, groups=2, snapshots=8, images=4)


@pytest.fixture(scope="module")
def tiny():
    return build_world(TINY)


def test_default_shape_is_ten_thousand_resources():
    assert WorldShape().total == 10_000
    assert WorldShape().expected_counts()[VirtualMachine] == 2000


def test_tiny_world_has_every_resource_expected(tiny):
    assert count_by_type(tiny) == {
        ResourceGroup: 2, VirtualNetwork: 2, NetworkSecurityGroup: 4,    # a Linux and a Windows NSG per group
        VirtualMachine: 20, Disk: 20, NetworkInterface: 20, PublicIp: 20,
        Snapshot: 8, Image: 4,
    }
    assert len(tiny.resources) == TINY.total == 100
    assert count_by_type(tiny) == TINY.expected_counts()


def test_tiny_world_is_settled(tiny):
    assert tiny.pending() == []
    vms = tiny.list(VirtualMachine)
    assert {vm.power_state for vm in vms} == {"running"}
    assert {vm.os_type for vm in vms} == {"Linux", "Windows"}
    assert sum(vm.os_type == "Windows" for vm in vms) == 4
    for vm in vms:
        disk = tiny.vms.os_disk(vm)
        assert disk is not None and disk.disk_state == "Attached"
        nic = tiny.get(vm.nic_ids[0])
        assert isinstance(nic, NetworkInterface) and nic.public_ip_id and nic.vm_id == vm.id
    for cls in (Disk, Snapshot, Image, VirtualMachine):
        assert {r.provisioning_state for r in tiny.list(cls)} == {"Succeeded"}
    assert {g.location for g in tiny.list(ResourceGroup)} == {"eastus", "westeurope"}


def test_builder_is_deterministic(tiny):
    again = build_world(TINY)
    assert sorted(again.resources) == sorted(tiny.resources)
    assert sorted(vm.vm_id for vm in again.list(VirtualMachine)) == sorted(vm.vm_id for vm in tiny.list(VirtualMachine))


def test_tiny_world_survives_a_save(tiny):
    loaded, _ = persist.loads(persist.dumps(tiny))
    assert count_by_type(loaded) == count_by_type(tiny)


def test_pick_vms_gives_different_vms(tiny):
    picked = pick_vms(tiny, 10)
    assert len(picked) == len(set(picked)) == 10
