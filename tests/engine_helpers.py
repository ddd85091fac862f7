"""Small builders shared by the engine tests (tests/test_engine_*.py).

Everything goes through the engine's services, as the az layer would: no resource is built by hand.
"""

from __future__ import annotations

import contextlib
import zlib
from typing import Iterator

import msgpack
import pytest

from labtui.engine import catalog
from labtui.engine.compute_vms import VmSpec, VmSource
from labtui.engine.errors import ArmError
from labtui.engine.network import NetworkPlan
from labtui.engine.operations import Operation
from labtui.engine.resources import Disk, Image, Snapshot, VirtualMachine
from labtui.engine.world import World

UBUNTU_GEN2 = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
UBUNTU_GEN1 = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"
WIN2022_GEN2 = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"
PASSWORD = "Passw0rd!Passw0rd"
SSH_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 student@lab"
D = catalog.DURATIONS

SYSPREP = r"C:\Windows\System32\Sysprep\sysprep.exe /generalize /oobe /shutdown"
DEPROVISION = "sudo waagent -deprovision+user -force"


def make_world(seed: int = 1) -> World:
    """A world with ``rg`` in East US and ``rgw`` in West US."""
    world = World(seed=seed)
    world.groups.create("rg", "eastus")
    world.groups.create("rgw", "westus")
    return world


def net(name: str) -> NetworkPlan:
    """What az vm create derives from a VM name (shared VNet/NSG, own NIC and public IP)."""
    return NetworkPlan(vnet="vnet", subnet="default", nsg="nsg", public_ip=f"{name}PublicIP", nic=f"{name}VMNic",
                       nsg_rule="SSH")


def linux_spec(name: str, *, group: str = "rg", urn: str = UBUNTU_GEN2, source: VmSource | None = None,
               **kw) -> VmSpec:
    return VmSpec(group=group, name=name, source=source or VmSource("marketplace", urn),
                  admin_username="azureuser", ssh_public_keys=(SSH_KEY,), authentication_type="ssh",
                  network=net(name), **kw)


def windows_spec(name: str, *, group: str = "rg", source: VmSource | None = None, **kw) -> VmSpec:
    return VmSpec(group=group, name=name, source=source or VmSource("marketplace", WIN2022_GEN2),
                  admin_username="azureuser", admin_password=PASSWORD, authentication_type="password",
                  network=net(name), **kw)


def attach_spec(name: str, disk: Disk, os_type: str = "Linux", *, group: str = "rg") -> VmSpec:
    """A specialized VM on an existing OS disk: no osProfile at all."""
    return VmSpec(group=group, name=name, source=VmSource("attach", disk.id, os_type=os_type), network=net(name))


def create_vm(world: World, spec: VmSpec, *, wait: bool = True) -> tuple[VirtualMachine, Operation]:
    op = world.vms.create(spec)
    if wait:
        world.finish(op)
    vm = world.get(op.resource_id)
    assert isinstance(vm, VirtualMachine)
    return vm, op


def linux_vm(world: World, name: str = "vm1", **kw) -> VirtualMachine:
    vm, op = create_vm(world, linux_spec(name, **kw))
    assert op.status == "Succeeded", op.error
    return vm


def windows_vm(world: World, name: str = "win1", **kw) -> VirtualMachine:
    vm, op = create_vm(world, windows_spec(name, **kw))
    assert op.status == "Succeeded", op.error
    return vm


def done(world: World, op: Operation) -> Operation:
    world.finish(op)
    assert op.status == "Succeeded", op.error
    return op


def os_disk(world: World, vm: VirtualMachine) -> Disk:
    disk = world.vms.os_disk(vm)
    assert disk is not None
    return disk


def snapshot(world: World, name: str, source, *, incremental: bool = False, group: str = "rg",
             **kw) -> Snapshot:
    op = done(world, world.snapshots.create(group, name, source_id=source.id, incremental=incremental, **kw))
    snap = world.get(op.resource_id)
    assert isinstance(snap, Snapshot)
    return snap


def disk_from(world: World, name: str, source, *, group: str = "rg", **kw) -> Disk:
    op = done(world, world.disks.create(group, name, source_id=source.id, **kw))
    disk = world.get(op.resource_id)
    assert isinstance(disk, Disk)
    return disk


def empty_disk(world: World, name: str, *, group: str = "rg", size_gb: int = 8, **kw) -> Disk:
    op = done(world, world.disks.create(group, name, size_gb=size_gb, **kw))
    disk = world.get(op.resource_id)
    assert isinstance(disk, Disk)
    return disk


def image_of(world: World, name: str, vm: VirtualMachine, *, group: str = "rg", **kw) -> Image:
    kw.setdefault("hyper_v_generation", vm.hyper_v_generation)
    op = done(world, world.images.create(group, name, source_id=vm.id, **kw))
    image = world.get(op.resource_id)
    assert isinstance(image, Image)
    return image


def guest_run(world: World, vm: VirtualMachine, line: str):
    return world.guest(vm.id).run(line)


def deprovisioned_and_generalized(world: World, vm: VirtualMachine) -> VirtualMachine:
    """The documented Linux capture flow (§6.1): waagent, deallocate, generalize."""
    result = guest_run(world, vm, DEPROVISION)
    assert result.exit_status == 0, result.output
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.generalize(vm))
    return vm


def sysprepped_and_generalized(world: World, vm: VirtualMachine) -> VirtualMachine:
    """The documented Windows capture flow (§6.1): sysprep /shutdown, generalize, deallocate."""
    guest_run(world, vm, SYSPREP)
    world.run_until_idle()
    assert vm.power_state == "stopped"
    done(world, world.vms.generalize(vm))
    done(world, world.vms.deallocate(vm))
    return vm


@contextlib.contextmanager
def raises_arm(code: str | None, message: str | None = None, status: int | None = None,
               ) -> Iterator[pytest.ExceptionInfo]:
    """Expect Azure's refusal: the ARM error code and the exact message, each when Azure's is known
    (``None``: the reference does not record it)."""
    with pytest.raises(ArmError) as info:
        yield info
    if code is not None:
        assert info.value.code == code, f"({info.value.code}) {info.value.message}"
    if message is not None:
        assert info.value.message == message
    if status is not None:
        assert info.value.status == status


def vm_power_trace(world: World, vm: VirtualMachine, op: Operation, step: float = 1.0) -> list[str]:
    """Power states seen while ``op`` runs, sampled every ``step`` virtual seconds (deduplicated)."""
    seen = [vm.power_state]
    while not op.done:
        world.advance(step)
        if vm.power_state != seen[-1]:
            seen.append(vm.power_state)
    return seen


def scenario(world: World) -> dict[str, object]:
    """A lab-like run touching every generator of ids, SIDs, IPs and keys; returns what it produced."""
    lin = linux_vm(world, "lin")
    win = windows_vm(world, "win")
    guest_run(world, lin, "echo hello >> /tmp/notes.txt")
    snap = snapshot(world, "snap", os_disk(world, lin), incremental=True)
    copy = disk_from(world, "copy", snap)
    win_sid = world.vms.guest_state(win).sid
    sysprepped_and_generalized(world, win)
    image = image_of(world, "winimg", win)
    new, _ = create_vm(world, windows_spec("fromimg", source=VmSource("image", image.id)))
    deprovisioned_and_generalized(world, lin)
    done(world, world.galleries.create("rg", "gal"))
    done(world, world.galleries.create_definition("rg", "gal", "def", publisher="p", offer="o", sku="s",
                                                  os_type="Linux", hyper_v_generation="V2"))
    done(world, world.galleries.create_version("rg", "gal", "def", "1.0.0", source_id=lin.id))
    world.vms.stop(new)              # left in flight
    world.advance(5)
    nics = [world.get(nic_id) for vm in (lin, win, new) for nic_id in vm.nic_ids]
    return {
        "ids": sorted(world.resources),
        "vm_ids": [vm.vm_id for vm in (lin, win, new)],
        "unique_ids": [os_disk(world, lin).unique_id, snap.unique_id, copy.unique_id, snap.family_id],
        "sids": [win_sid, world.vms.guest_state(new).sid],
        "ssh_keys": world.vms.guest_state(lin).ssh_host_keys,
        "private_ips": [nic.private_ip for nic in nics],
        "macs": [nic.mac_address for nic in nics],
        "public_ips": [world.get(nic.public_ip_id).ip_address for nic in nics],
        "operations": sorted(world.operations),
    }


def decode_save(data: bytes) -> tuple[dict, bool]:
    """The msgpack body of persist.dumps bytes, and whether it was zlib-compressed."""
    try:
        data, compressed = zlib.decompress(data), True
    except zlib.error:
        compressed = False
    return msgpack.unpackb(data, raw=False, strict_map_key=False), compressed


def saved_fields(raw: dict, class_name: str, record: list) -> dict:
    """A record of a decoded format-3 save (a list of values) as a dict by field name, from the
    save's schema; nested records stay lists."""
    return dict(zip(raw["schema"][class_name], record))


def encode_save(raw: dict, compressed: bool) -> bytes:
    packed = msgpack.packb(raw, use_bin_type=True)
    return zlib.compress(packed) if compressed else packed


def without_saved_at(data: bytes) -> bytes:
    """persist.dumps bytes with the wall-clock ``saved_at`` zeroed, for byte-for-byte comparison."""
    raw, _ = decode_save(data)
    assert isinstance(raw["saved_at"], float)
    raw["saved_at"] = 0.0
    return msgpack.packb(raw, use_bin_type=True)
