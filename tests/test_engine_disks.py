"""Disk rules: no VM straight from a snapshot (§6.3), attach only in the VM's region and zone,
attached disks cannot be deleted (§3.2), OS-disk swap needs a stopped or deallocated VM, what VM deletion and
group deletion leave behind (§4.2, §3.4)."""

from __future__ import annotations

import pytest

from engine_helpers import (
    attach_spec, create_vm, disk_from, done, empty_disk, image_of, linux_spec, linux_vm, net, os_disk, raises_arm,
    snapshot,
)
from labtui.engine import catalog
from labtui.engine.compute_vms import VmSource, VmSpec
from labtui.engine.errors import ArmError
from labtui.engine.resources import Disk, NetworkInterface, PublicIp, VirtualMachine


# --- no VM directly from a snapshot -------------------------------------------------------------

def test_vm_source_has_no_snapshot_kind(world):
    snap = snapshot(world, "snap", os_disk(world, linux_vm(world)))
    with pytest.raises(ValueError):
        world.vms.create(linux_spec("direct", source=VmSource("snapshot", snap.id)))
    assert world.find(VirtualMachine, "rg", "direct") is None


def test_snapshot_id_cannot_be_attached_as_an_os_disk(world):
    snap = snapshot(world, "snap", os_disk(world, linux_vm(world)))
    with pytest.raises(ArmError):
        world.vms.create(VmSpec(group="rg", name="direct", source=VmSource("attach", snap.id, os_type="Linux"),
                                network=net("direct")))
    assert world.find(VirtualMachine, "rg", "direct") is None


def test_snapshot_to_disk_to_vm_by_attach(world):
    source = linux_vm(world, "src")
    disk = disk_from(world, "osdisk", snapshot(world, "snap", os_disk(world, source)))
    vm, op = create_vm(world, attach_spec("restored", disk))
    assert op.status == "Succeeded" and vm.power_state == "running"
    assert vm.os_disk_id == disk.id and vm.os_disk_create_option == "Attach"
    assert vm.image_reference is None and vm.has_os_profile is False
    assert (disk.managed_by, disk.disk_state) == (vm.id, "Attached")


def test_attach_os_disk_refuses_credentials(world):
    disk = disk_from(world, "osdisk", snapshot(world, "snap", os_disk(world, linux_vm(world, "src"))))
    with raises_arm(None) as info:
        world.vms.create(linux_spec("restored", source=VmSource("attach", disk.id, os_type="Linux")))
    assert info.value.message.startswith("Parameter 'osProfile' is not allowed")


@pytest.mark.parametrize("busy", ["being created", "being deleted"])
def test_vm_on_a_disk_with_an_operation_in_flight_is_refused_without_side_effects(world, busy):
    # A refused request changes nothing (ARM validates before it creates anything).
    if busy == "being created":
        op = world.disks.create("rg", "osdisk", source_id=snapshot(world, "snap", os_disk(world, linux_vm(world))).id)
        disk = world.get(op.resource_id)
    else:
        disk = disk_from(world, "osdisk", snapshot(world, "snap", os_disk(world, linux_vm(world))))
        op = world.disks.delete(disk)
    before, cost = set(world.resources), world.hourly_cost
    with pytest.raises(ArmError):
        world.vms.create(attach_spec("clone", disk))
    assert set(world.resources) == before
    assert disk.managed_by is None
    assert world.hourly_cost == pytest.approx(cost)
    world.finish(op)


# --- attach: same region, same zone, one owner --------------------------------------------------

def test_attach_refuses_a_disk_in_another_region(world):
    vm = linux_vm(world)
    west = empty_disk(world, "west", group="rgw")
    with pytest.raises(ArmError) as info:
        world.vms.attach_disk(vm, west)
    assert info.value.code in ("NotFound", "BadRequest", "InvalidParameter")    # exact text unknown (§7)
    assert west.managed_by is None and vm.data_disks == []


def test_attach_refuses_a_disk_in_another_zone(world):
    vm = linux_vm(world, zone="1")
    disk = empty_disk(world, "z2", zone="2")
    with raises_arm("BadRequest", f"Disk {disk.id} cannot be attached to the VM because it is not in the same zone as "
                    "the VM. VM zone: '1'. Disk zone: '2'."):
        world.vms.attach_disk(vm, disk)
    assert disk.managed_by is None and vm.data_disks == []


def test_attach_accepts_a_disk_in_the_same_region_and_zone(world):
    vm = linux_vm(world, zone="1")
    disk = empty_disk(world, "z1", zone="1")
    done(world, world.vms.attach_disk(vm, disk))
    assert [d.disk_id for d in vm.data_disks] == [disk.id]
    assert (disk.managed_by, disk.disk_state) == (vm.id, "Attached")


def test_attach_refuses_a_disk_owned_by_another_vm(world):
    a, b = linux_vm(world, "a"), linux_vm(world, "b")
    disk = empty_disk(world, "data")
    done(world, world.vms.attach_disk(a, disk))
    with raises_arm("ConflictingUserInput", "Disk 'data' cannot be attached as the disk is already owned by VM 'a'."):
        world.vms.attach_disk(b, disk)
    assert disk.managed_by == a.id and b.data_disks == []


def test_detach_frees_the_disk(world):
    vm = linux_vm(world)
    disk = empty_disk(world, "data")
    done(world, world.vms.attach_disk(vm, disk))
    done(world, world.vms.detach_disk(vm, disk.id))
    assert vm.data_disks == [] and (disk.managed_by, disk.disk_state) == (None, "Unattached")
    done(world, world.disks.delete(disk))
    assert world.get(disk.id) is None


# --- attached disks cannot be deleted ----------------------------------------------------------------

@pytest.mark.parametrize("power", [None, "stop", "deallocate"])
def test_attached_os_disk_cannot_be_deleted_in_any_power_state(world, power):
    vm = linux_vm(world)
    if power:
        done(world, getattr(world.vms, power)(vm))
    disk = os_disk(world, vm)
    with raises_arm("OperationNotAllowed", f"Disk {disk.name} is attached to VM {vm.id}.", 409):
        world.disks.delete(disk)
    assert world.get(disk.id) is disk and disk.provisioning_state == "Succeeded"


def test_attached_data_disk_cannot_be_deleted(world):
    vm = linux_vm(world)
    disk = empty_disk(world, "data")
    done(world, world.vms.attach_disk(vm, disk))
    with raises_arm("OperationNotAllowed", f"Disk data is attached to VM {vm.id}.", 409):
        world.disks.delete(disk)


def test_disk_state_follows_the_owner_vm(world):
    vm = linux_vm(world)
    disk = os_disk(world, vm)
    assert disk.disk_state == "Attached"
    done(world, world.vms.deallocate(vm))
    assert disk.disk_state == "Reserved"
    done(world, world.vms.start(vm))
    assert disk.disk_state == "Attached"


# --- OS disk swap -------------------------------------------------------------------------------------

def test_os_disk_swap_refused_while_running(world):
    vm = linux_vm(world)
    old = os_disk(world, vm)
    new = disk_from(world, "restored", snapshot(world, "snap", old))
    with pytest.raises(ArmError) as info:
        world.vms.swap_os_disk(vm, new)
    assert info.value.code == "OperationNotAllowed" and "'vm1'" in info.value.message
    assert vm.os_disk_id == old.id and new.managed_by is None


@pytest.mark.parametrize("power", ["deallocate", "stop"])
def test_os_disk_swap_when_stopped_or_deallocated(world, power):
    vm = linux_vm(world)
    old = os_disk(world, vm)
    new = disk_from(world, "restored", snapshot(world, "snap", old))
    done(world, getattr(world.vms, power)(vm))
    done(world, world.vms.swap_os_disk(vm, new))
    assert vm.os_disk_id == new.id
    assert (new.managed_by, new.disk_state) == (vm.id, "Reserved" if power == "deallocate" else "Attached")
    assert (old.managed_by, old.disk_state) == (None, "Unattached")
    done(world, world.disks.delete(old))                       # the old OS disk is free now
    done(world, world.vms.start(vm))
    assert new.disk_state == "Attached"


# --- what deletions leave behind ---------------------------------------------------------------------

def test_vm_delete_leaves_disks_nic_and_public_ip(world):
    vm = linux_vm(world)
    data = empty_disk(world, "data")
    done(world, world.vms.attach_disk(vm, data))
    osd = os_disk(world, vm)
    nic = world.get(vm.nic_ids[0])
    pip = world.get(nic.public_ip_id)
    done(world, world.vms.delete(vm))
    assert world.get(vm.id) is None
    for disk in (osd, data):
        assert world.get(disk.id) is disk and (disk.managed_by, disk.disk_state) == (None, "Unattached")
    assert isinstance(world.get(nic.id), NetworkInterface) and nic.vm_id is None
    assert isinstance(world.get(pip.id), PublicIp)
    assert world.rate_of(pip) == pytest.approx(catalog.PUBLIC_IP_PRICE_HOUR["Standard"])
    assert world.rate_of(osd) > 0
    done(world, world.disks.delete(osd))                       # no longer attached


def test_delete_options_set_after_creation_decide_what_goes_with_the_vm(world):
    vm = linux_vm(world)
    kept, dropped = empty_disk(world, "kept"), empty_disk(world, "dropped")
    done(world, world.vms.attach_disk(vm, kept))
    done(world, world.vms.attach_disk(vm, dropped))
    osd, nic = os_disk(world, vm), world.get(vm.nic_ids[0])
    pip = world.get(nic.public_ip_id)
    luns = {d.disk_id: d.lun for d in vm.data_disks}
    with raises_arm("InvalidParameter"):
        world.vms.update(vm, os_disk_delete_option="Sometimes")
    done(world, world.vms.update(vm, os_disk_delete_option="Delete", nic_delete_option="Delete",
                                 data_disk_delete_options={luns[dropped.id]: "Delete"}))
    assert world.to_arm(vm)["properties"]["networkProfile"]["networkInterfaces"][0]["deleteOption"] == "Delete"
    done(world, world.vms.delete(vm))
    assert [world.get(r.id) for r in (osd, dropped, nic)] == [None, None, None]
    assert world.get(kept.id) is kept and kept.disk_state == "Unattached"
    # The public IP has a delete option of its own (Detach): it stays, no longer attached to anything.
    assert world.get(pip.id) is pip and pip.nic_id is None
    # Nothing is left pointing at the deleted NIC: the NSG and the VNet delete as unused ones do.
    done(world, world.network.delete(world.get(nic.nsg_id)))
    done(world, world.network.delete(world.get(nic.subnet_id.split("/subnets/")[0])))


def test_vm_delete_shows_deleting_and_refuses_other_operations(world):
    vm = linux_vm(world)
    op = world.vms.delete(vm)
    assert vm.provisioning_state == "Deleting"
    with raises_arm("OperationNotAllowed", "Operation 'start' is not allowed on VM 'vm1' since the VM is marked for "
                    "deletion. You can only retry the Delete operation (or wait for an ongoing one to complete)."):
        world.vms.start(vm)
    world.finish(op)
    assert op.status == "Succeeded"


def test_group_delete_removes_everything_in_it(world):
    vm = linux_vm(world)
    data = empty_disk(world, "data")
    done(world, world.vms.attach_disk(vm, data))
    snapshot(world, "snap", os_disk(world, vm))
    snapshot(world, "inc", data, incremental=True)
    other = linux_vm(world, "gen")
    done(world, world.vms.deallocate(other))
    done(world, world.vms.generalize(other))
    image_of(world, "img", other)
    done(world, world.galleries.create("rg", "gal"))
    done(world, world.galleries.create_definition("rg", "gal", "def", publisher="p", offer="o", sku="s",
                                                  os_type="Linux", hyper_v_generation="V2"))
    done(world, world.galleries.create_version("rg", "gal", "def", "1.0.0", source_id=other.id))
    world.vms.start(vm)                                         # work in flight is dropped with the group
    assert len(world.in_group("rg")) > 10
    op = world.groups.delete("rg")
    assert world.group("rg").provisioning_state == "Deleting"
    world.finish(op)
    assert op.status == "Succeeded"
    assert world.group("rg") is None and world.in_group("rg") == []
    assert world.pending() == []
    assert world.hourly_cost == pytest.approx(0.0)
    assert world.group("rgw") is not None


BEING_DELETED = "The resource group 'rgw' is in deprovisioning state and cannot perform this operation."


def test_disk_create_in_a_group_being_deleted_is_refused_and_creates_nothing(world):
    op = world.groups.delete("rgw")
    before = set(world.resources)
    with raises_arm("ResourceGroupBeingDeleted", BEING_DELETED, 409):
        world.disks.create("rgw", "late", size_gb=4)
    assert set(world.resources) == before
    world.finish(op)


def test_vm_create_in_a_group_being_deleted_is_refused_and_creates_nothing(world):
    op = world.groups.delete("rgw")
    before, cost = set(world.resources), world.hourly_cost
    with raises_arm("ResourceGroupBeingDeleted", BEING_DELETED, 409):
        world.vms.create(linux_spec("late", group="rgw"))
    assert set(world.resources) == before
    assert world.hourly_cost == pytest.approx(cost)
    world.finish(op)


def test_group_delete_leaves_no_vm_elsewhere_pointing_at_a_deleted_disk(world):
    # A disk in rgw attached to a VM in rg: Azure never deletes a disk that is attached (§3.2), so
    # the VM in rg cannot end up referencing a disk that no longer exists.
    vm = linux_vm(world)
    west_rg_disk = empty_disk(world, "shared", group="rgw", location="eastus")
    done(world, world.vms.attach_disk(vm, west_rg_disk))
    world.finish(world.groups.delete("rgw"))
    for entry in vm.data_disks:
        assert isinstance(world.get(entry.disk_id), Disk), f"{vm.name} still lists deleted disk {entry.name}"


def test_image_create_from_a_snapshot_or_disk(world):
    vm = linux_vm(world, "src")
    snap = snapshot(world, "snap", os_disk(world, vm))
    op = done(world, world.images.create("rg", "img", source_id=snap.id, hyper_v_generation="V2", os_type="Linux"))
    image = world.get(op.resource_id)
    assert image.os_disk.snapshot_id == snap.id and image.os_disk.os_state == "Generalized"
    assert image.os_disk.content.blocks == snap.content.blocks


def test_a_sas_grant_carries_its_access_level_and_expiry(world) -> None:
    from tests.engine_helpers import done, empty_disk

    disk = empty_disk(world, "export")
    url = done(world, world.disks.grant_access(disk, 3600, "Write")).result["accessSAS"]
    assert "&sp=rw&" in url
    assert "&se=2026-11-02T10:00:" in url        # one simulated hour after the grant, near the epoch
    assert disk.disk_state == "ActiveSAS"
