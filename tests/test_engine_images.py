"""Managed (legacy) images: what capture refuses (§3.1), and that an image is its own copy that
outlives its source VM and disks (§1 i, §6.2)."""

from __future__ import annotations

import re

import attrs
import pytest

from engine_helpers import (
    UBUNTU_GEN1, create_vm, deprovisioned_and_generalized, done, image_of, linux_spec, linux_vm, os_disk, raises_arm,
)
from labtui.engine.compute_vms import VmSource
from labtui.engine.errors import ArmError
from labtui.engine.resources import Image


def generalized_vm(world, name="src", **kw):
    return deprovisioned_and_generalized(world, linux_vm(world, name, **kw))


def test_image_refuses_trusted_launch_vm(world):
    vm = generalized_vm(world, security_type="TrustedLaunch")
    with raises_arm("OperationNotAllowed", "Creation of managed images are not supported for virtual machine with "
                    "TrustedLaunch security type.", 409):
        world.images.create("rg", "img", source_id=vm.id, hyper_v_generation="V2")
    assert world.find(Image, "rg", "img") is None


def test_image_refuses_generation_mismatch(world):
    vm = generalized_vm(world)                      # Gen2; az image create defaults to V1
    with raises_arm("InvalidParameter", "The Input HyperVGeneration property: 'V1' does not match with the "
                    "HyperVGeneration property: 'Gen2' belonging to source: 'sourceVirtualMachine'."):
        world.images.create("rg", "img", source_id=vm.id)
    assert world.find(Image, "rg", "img") is None


def test_image_refuses_v2_for_a_gen1_vm(world):
    vm = generalized_vm(world, urn=UBUNTU_GEN1)
    with raises_arm("InvalidParameter", "The Input HyperVGeneration property: 'V2' does not match with the "
                    "HyperVGeneration property: 'Gen1' belonging to source: 'sourceVirtualMachine'."):
        world.images.create("rg", "img", source_id=vm.id, hyper_v_generation="V2")


@pytest.mark.parametrize("power", [None, "stop", "deallocate"])
def test_image_refuses_a_vm_not_marked_generalized(world, power):
    vm = linux_vm(world, "src")
    if power:
        done(world, getattr(world.vms, power)(vm))
    with raises_arm("OperationNotAllowed", "The operation 'Create Image' requires the Virtual Machine 'src' to be "
                    "Generalized.", 409):
        world.images.create("rg", "img", source_id=vm.id, hyper_v_generation="V2")
    assert world.find(Image, "rg", "img") is None


def test_image_refuses_a_vm_in_another_region(world):
    vm = generalized_vm(world)
    # az defaults the image location to the RG's: rgw is in West US, the VM in East US.
    with raises_arm("NotFound", "Source Virtual Machine 'src' specified in the request does not exist in this Azure "
                    "location.", 404):
        world.images.create("rgw", "img", source_id=vm.id, hyper_v_generation="V2")
    assert world.find(Image, "rgw", "img") is None


def test_image_in_another_group_of_the_same_region_is_fine(world):
    world.groups.create("rg2", "eastus")
    vm = generalized_vm(world)
    image = image_of(world, "img", vm, group="rg2")
    assert image.location == "eastus" and image.source_vm_id == vm.id


def test_image_is_generalized_and_copies_the_os_disk(world):
    vm = generalized_vm(world)
    image = image_of(world, "img", vm)
    assert image.os_disk.os_state == "Generalized" and image.os_disk.os_type == "Linux"
    assert image.os_disk.content.blocks == os_disk(world, vm).content.blocks
    assert image.os_disk.managed_disk_id == vm.os_disk_id
    assert world.rate_of(image) > 0                                   # billed as its own storage


def test_image_survives_deletion_of_its_source_vm_and_disks(world):
    vm = generalized_vm(world)
    image = image_of(world, "img", vm)
    disk = os_disk(world, vm)
    blocks = dict(image.os_disk.content.blocks)
    done(world, world.vms.delete(vm))
    done(world, world.disks.delete(disk))
    assert world.get(vm.id) is None and world.get(disk.id) is None
    assert world.get(image.id) is image and image.provisioning_state == "Succeeded"
    assert image.os_disk.content.blocks == blocks
    assert image.source_vm_id == vm.id                              # a dangling reference, as in Azure
    assert world.images.source_os_disk(image) is None
    new, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)))
    assert op.status == "Succeeded" and new.power_state == "running"
    assert os_disk(world, new).content.blocks == blocks
    assert world.vms.guest_state(new).computer_name == "new"


def test_image_serves_several_vms_and_stays_untouched(world):
    image = image_of(world, "img", generalized_vm(world))
    blocks = dict(image.os_disk.content.blocks)
    a, _ = create_vm(world, linux_spec("a", source=VmSource("image", image.id)))
    b, _ = create_vm(world, linux_spec("b", source=VmSource("image", image.id)))
    assert a.os_disk_id != b.os_disk_id
    world.guest(a.id).run("echo x >> /tmp/f")
    assert image.os_disk.content.blocks == blocks
    assert os_disk(world, b).content.blocks == blocks


def test_vm_from_image_in_another_region_is_refused(world):
    image = image_of(world, "img", generalized_vm(world))
    with raises_arm("NotFound", f"The Image '{image.id}' cannot be found in 'westus' region.", 404):
        world.vms.create(linux_spec("west", group="rgw", source=VmSource("image", image.id)))


def test_vm_from_a_generalized_image_needs_credentials(world):
    image = image_of(world, "img", generalized_vm(world))
    spec = attrs.evolve(linux_spec("new", source=VmSource("image", image.id)), admin_username=None, ssh_public_keys=())
    with raises_arm(None) as info:
        world.vms.create(spec)
    assert info.value.message.startswith("Required parameter 'osProfile' is missing (null)")


def test_image_delete_refused_while_vms_are_being_provisioned_from_it(world):
    image = image_of(world, "img", generalized_vm(world))
    _, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)), wait=False)
    with raises_arm(None) as info:
        world.images.delete(image)
    assert info.value.code in ("OperationNotAllowed", "OperationNotAllowedOnVMImageAsVMsBeingProvisioned")
    assert re.fullmatch(r"Operation '[^']+' is not allowed since the Virtual Machines 'new' are being provisioned "
                        r"using the Image 'img'\.", info.value.message)
    world.finish(op)
    done(world, world.images.delete(image))
    assert world.get(image.id) is None


def test_a_refused_image_create_leaves_no_image_behind(world):
    vm = generalized_vm(world)
    first = world.images.create("rg", "img1", source_id=vm.id, hyper_v_generation="V2")
    try:
        second = world.images.create("rg", "img2", source_id=vm.id, hyper_v_generation="V2")
    except ArmError:
        assert world.find(Image, "rg", "img2") is None          # refused: nothing may be left behind
    else:
        world.finish(second)
        assert second.status == "Succeeded"
    world.finish(first)
    assert first.status == "Succeeded"
