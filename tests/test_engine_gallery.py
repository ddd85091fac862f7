"""Azure Compute Gallery (§6.4, §3.5): target regions, replication on the clock, ``latest``,
nested deletion, and the OS state / generation checks of image versions."""

from __future__ import annotations

import attrs
import pytest

from engine_helpers import (
    D, SYSPREP, create_vm, deprovisioned_and_generalized, done, guest_run, image_of, linux_spec, linux_vm, raises_arm,
    windows_vm,
)
from labtui.engine.compute_vms import VmSource
from labtui.engine.events import StateChanged
from labtui.engine.galleries import RegionRequest
from labtui.engine.resources import Disk, GalleryImageDefinition, GalleryImageVersion

REPLICATE = D["sig.version.replicate_region"]


@pytest.fixture
def gallery(world):
    done(world, world.galleries.create("rg", "gal"))
    return "gal"


def definition(world, name="def", *, os_state="Generalized", generation="V2", os_type="Linux"):
    op = done(world, world.galleries.create_definition("rg", "gal", name, publisher="pub", offer="off", sku=name,
                                                       os_type=os_type, os_state=os_state,
                                                       hyper_v_generation=generation))
    found = world.get(op.resource_id)
    assert isinstance(found, GalleryImageDefinition)
    return found


@pytest.fixture
def source(world):
    return deprovisioned_and_generalized(world, linux_vm(world, "src"))


def version(world, name, source, *, definition_name="def", regions=None, wait=True, **kw):
    op = world.galleries.create_version("rg", "gal", definition_name, name, source_id=source.id,
                                        target_regions=[RegionRequest(r) for r in regions] if regions else None, **kw)
    if wait:
        done(world, op)
    found = world.get(op.resource_id)
    assert isinstance(found, GalleryImageVersion)
    return found, op


# --- target regions and replication -------------------------------------------------------------------

def test_target_regions_must_include_the_source_region(world, gallery, source):
    definition(world)
    with raises_arm(None, "Gallery image version publishing profile regions West US must contain the "
                    "location of image version East US"):
        world.galleries.create_version("rg", "gal", "def", "1.0.0", source_id=source.id,
                                       target_regions=[RegionRequest("westus")])
    assert world.galleries.versions(world.get(world.resource_id("rg", "Microsoft.Compute/galleries",
                                                                "gal/images/def"))) == []


def test_duplicate_target_regions_refused(world, gallery, source):
    definition(world)
    with raises_arm(None, "Duplicate regions are not allowed in target publishing regions"):
        world.galleries.create_version("rg", "gal", "def", "1.0.0", source_id=source.id,
                                       target_regions=[RegionRequest("eastus"), RegionRequest("East US")])


def test_replication_progresses_region_by_region(world, gallery, source):
    definition(world)
    announced = []
    world.subscribe(lambda e: announced.append((e.field, e.new)) if e.field.startswith("replicationStatus") else None,
                    StateChanged)
    ver, op = version(world, "1.0.0", source, regions=["eastus", "westus"], wait=False)
    states = lambda: {r.name: r.state(world.now) for r in ver.target_regions}   # noqa: E731
    assert states() == {"eastus": "Replicating", "westus": "Replicating"}
    assert ver.provisioning_state == "Creating" and world.galleries.replication_state(ver) == "InProgress"
    progress = []
    while not op.done:
        world.advance(REPLICATE / 10)
        progress.append(ver.region("westus").progress(world.now))
        if states()["eastus"] == "Completed" and states()["westus"] == "Replicating":
            seen_partial = True
    assert seen_partial                                         # the source region finishes first
    assert progress == sorted(progress) and progress[-1] == 100
    assert states() == {"eastus": "Completed", "westus": "Completed"}
    assert ver.provisioning_state == "Succeeded" and op.status == "Succeeded"
    assert world.galleries.replication_state(ver) == "Completed"
    assert sorted(announced) == [("replicationStatus.eastus", "Completed"), ("replicationStatus.westus", "Completed")]


def test_vm_refused_in_a_region_not_yet_replicated(world, gallery, source):
    definition(world)
    ver, op = version(world, "1.0.0", source, regions=["eastus", "westus"], wait=False)
    world.advance(REPLICATE * 0.75)
    assert ver.region("eastus").state(world.now) == "Completed"
    message = (f"The gallery image {ver.id} is not available in westus region. Please contact image owner to "
               "replicate to this region, or change your requested region.")
    with raises_arm(None, message):
        world.vms.create(linux_spec("west", group="rgw", source=VmSource("gallery", ver.id)))
    vm, create = create_vm(world, linux_spec("east", source=VmSource("gallery", ver.id)))
    assert create.status == "Succeeded"
    world.finish(op)
    vm, create = create_vm(world, linux_spec("west", group="rgw", source=VmSource("gallery", ver.id)))
    assert create.status == "Succeeded" and vm.location == "westus"


def test_a_disk_from_a_version_holds_its_os_disk_once_replicated_to_the_disks_region(world, gallery, source):
    definition(world)
    ver, op = version(world, "1.0.0", source, regions=["eastus", "westus"], wait=False)
    world.advance(REPLICATE * 0.75)         # eastus done, westus still replicating
    with raises_arm("GalleryImageNotAvailableInRegion", f"The gallery image {ver.id} is not available in westus "
                    "region. Please contact image owner to replicate to this region, or change your requested region."):
        world.disks.create("rgw", "west-disk", gallery_version_id=ver.id)
    disk = world.get(done(world, world.disks.create("rg", "east-disk", gallery_version_id=ver.id)).resource_id)
    assert (disk.create_option, disk.gallery_image_reference, disk.os_type, disk.hyper_v_generation) == (
        "FromImage", {"id": ver.id}, "Linux", "V2")
    assert disk.size_gb == ver.os_disk.size_gb and disk.content == ver.os_disk.content
    assert disk.content.guest.prepared == "deprovisioned"       # the image's generalized OS, not a fresh one
    assert disk.content.blocks is not ver.os_disk.content.blocks
    world.finish(op)
    assert world.get(done(world, world.disks.create("rgw", "west-disk", gallery_version_id=ver.id)).resource_id)


def test_a_disk_from_something_that_is_not_a_version_id_is_refused(world, gallery, source):
    definition(world)
    ver, _ = version(world, "1.0.0", source)
    with raises_arm("LinkedInvalidPropertyId", "Property id '1.0.0' at path "
                    "'properties.creationData.galleryImageReference.id' is invalid. Expect fully qualified resource "
                    "Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'."):
        world.disks.create("rg", "d", gallery_version_id="1.0.0")
    with raises_arm("ResourceNotFound", "The Resource 'Microsoft.Compute/galleries/gal/images/def/versions/9.9.9' under "
                    "resource group 'rg' was not found. For more details please go to "
                    "https://aka.ms/ARMResourceNotFoundFix"):
        world.disks.create("rg", "d", gallery_version_id=ver.id.replace("1.0.0", "9.9.9"))
    assert world.find(Disk, "rg", "d") is None


# --- latest --------------------------------------------------------------------------------------------

def test_latest_is_highest_version_not_newest(world, gallery, source):
    d = definition(world)
    version(world, "1.10.0", source)
    version(world, "1.9.0", source)
    assert world.galleries.latest_version(d, "eastus").name == "1.10.0"


def test_latest_skips_versions_excluded_from_latest(world, gallery, source):
    d = definition(world)
    version(world, "1.0.0", source)
    version(world, "2.0.0", source, exclude_from_latest=True)
    assert world.galleries.latest_version(d, "eastus").name == "1.0.0"


def test_latest_skips_versions_not_replicated_to_the_region(world, gallery, source):
    d = definition(world)
    source = image_of(world, "img", source)      # several versions replicate at once from one image
    version(world, "1.0.0", source, regions=["eastus", "westus"])
    _, op2 = version(world, "2.0.0", source, regions=["eastus", "westus"], wait=False)
    assert world.galleries.latest_version(d, "eastus").name == "1.0.0"       # 2.0.0 not replicated anywhere yet
    world.advance(REPLICATE * 0.75)
    assert world.galleries.latest_version(d, "eastus").name == "2.0.0"
    assert world.galleries.latest_version(d, "westus").name == "1.0.0"
    _, op3 = version(world, "3.0.0", source, wait=False)                      # East US only
    world.advance(REPLICATE * 0.6)
    assert op3.status == "Succeeded" and op2.status == "Succeeded"
    assert world.galleries.latest_version(d, "westus").name == "2.0.0"
    assert world.galleries.latest_version(d, "eastus").name == "3.0.0"


def test_latest_is_none_when_every_version_is_excluded(world, gallery, source):
    d = definition(world)
    version(world, "1.0.0", source, exclude_from_latest=True)
    assert world.galleries.latest_version(d, "eastus") is None


# --- nested deletion ----------------------------------------------------------------------------------

def test_nested_resources_must_be_deleted_first(world, gallery, source):
    d = definition(world)
    ver, _ = version(world, "1.0.0", source)
    gal = world.find(type(world.get(world.resource_id("rg", "Microsoft.Compute/galleries", "gal"))), "rg", "gal")
    with raises_arm("CannotDeleteResource", "Cannot delete resource while nested resources exist. Some existing "
                    f"nested resource IDs include: '{d.id}'. Please delete all nested resources before deleting this "
                    "resource.", 409):
        world.galleries.delete(gal)
    with raises_arm("CannotDeleteResource", "Cannot delete resource while nested resources exist. Some existing "
                    f"nested resource IDs include: '{ver.id}'. Please delete all nested resources before deleting "
                    "this resource.", 409):
        world.galleries.delete_definition(d)
    done(world, world.galleries.delete_version(ver))
    done(world, world.galleries.delete_definition(d))
    done(world, world.galleries.delete(gal))
    assert world.get(gal.id) is None


# --- OS state, generation, OS type --------------------------------------------------------------------

def test_generalized_vm_into_specialized_definition_refused(world, gallery, source):
    definition(world, "spec", os_state="Specialized")
    with raises_arm("BadRequest", f"The resource with id '{source.id}' has a different OS state ['Generalized'] than "
                    "the parent gallery image OS state ['Specialized']."):
        world.galleries.create_version("rg", "gal", "spec", "1.0.0", source_id=source.id)


def test_sysprepped_but_not_generalized_vm_into_generalized_definition_refused(world, gallery):
    vm = windows_vm(world, "win")
    guest_run(world, vm, SYSPREP)
    world.run_until_idle()
    definition(world, "windef", os_type="Windows")
    with raises_arm("BadRequest", f"The resource with id '{vm.id}' has a different OS state ['Specialized'] than the "
                    "parent gallery image OS state ['Generalized']."):
        world.galleries.create_version("rg", "gal", "windef", "1.0.0", source_id=vm.id)


def test_generation_mismatch_refused(world, gallery, source):
    definition(world, "gen1", generation="V1")
    with raises_arm("Conflict", f"The resource with id '{source.id}' has a different Hypervisor generation ['V2'] "
                    "than the parent gallery image Hypervisor generation ['V1'].", 409):
        world.galleries.create_version("rg", "gal", "gen1", "1.0.0", source_id=source.id)


def test_specialized_version_from_a_running_vm_keeps_its_identity(world, gallery):
    # GEN: generalizing is not needed for a gallery; VMs from a specialized version keep the identity.
    vm = linux_vm(world, "spec-src")
    definition(world, "spec", os_state="Specialized")
    ver, _ = version(world, "1.0.0", vm, definition_name="spec")
    spec = attrs.evolve(linux_spec("clone", source=VmSource("gallery", ver.id)), admin_username=None,
                        ssh_public_keys=(), authentication_type=None)
    new, op = create_vm(world, spec)
    assert op.status == "Succeeded"
    assert world.vms.guest_state(new).computer_name == "spec-src"


def test_vm_from_generalized_version_gets_a_new_identity(world, gallery, source):
    definition(world)
    ver, _ = version(world, "1.0.0", source)
    new, op = create_vm(world, linux_spec("fresh", source=VmSource("gallery", ver.id)))
    assert op.status == "Succeeded" and world.vms.guest_state(new).computer_name == "fresh"
    assert new.image_reference == {"id": ver.id, "exactVersion": "1.0.0"}


def test_replication_does_not_hold_the_source_vm(world) -> None:
    """The version copies the VM's disks when it is created; the VM is free while replicas spread."""
    from tests.engine_helpers import done, linux_vm

    vm = linux_vm(world, "specvm")
    world.finish(world.galleries.create("rg", "gal"))
    world.finish(world.galleries.create_definition("rg", "gal", "spec", publisher="p", offer="o", sku="s",
                                                   os_type="Linux", os_state="Specialized",
                                                   hyper_v_generation="V2",
                                                   features=[{"name": "SecurityType",
                                                              "value": "TrustedLaunchSupported"}]))
    version_op = world.galleries.create_version("rg", "gal", "spec", "1.0.0", source_id=vm.id)
    world.advance(60)
    assert not version_op.done                      # still replicating...
    done(world, world.vms.deallocate(vm))           # ...and the VM can be worked on meanwhile
    assert vm.power_state == "deallocated"


def test_regional_limit_refuses_one_more_and_creates_nothing(world, monkeypatch) -> None:
    from labtui.engine import catalog
    from labtui.engine.errors import ArmError
    from labtui.engine.resources import Gallery

    monkeypatch.setitem(catalog.LIMITS, "galleries_per_region", 2)
    world.finish(world.galleries.create("rg", "g1"))
    world.finish(world.galleries.create("rg", "g2"))
    world.finish(world.galleries.create("rgw", "g3"))          # another region has its own allowance
    with pytest.raises(ArmError) as refused:
        world.galleries.create("rg", "g4")
    assert refused.value.message == ("The limit of 2 galleries per subscription in region 'eastus' has been "
                                     "reached.")
    assert world.find(Gallery, "rg", "g4") is None


def test_version_from_a_vm_with_an_ultra_disk_is_refused(world) -> None:
    from labtui.engine.errors import ArmError
    from tests.engine_helpers import done, empty_disk, linux_vm

    vm = linux_vm(world, "ultravm", ultra_ssd_enabled=True)
    done(world, world.vms.attach_disk(vm, empty_disk(world, "fast", sku="UltraSSD_LRS")))
    world.finish(world.galleries.create("rg", "gal"))
    world.finish(world.galleries.create_definition("rg", "gal", "spec", publisher="p", offer="o", sku="s",
                                                   os_type="Linux", os_state="Specialized", hyper_v_generation="V2",
                                                   features=[{"name": "SecurityType",
                                                              "value": "TrustedLaunchSupported"}]))
    with pytest.raises(ArmError) as refused:
        world.galleries.create_version("rg", "gal", "spec", "1.0.0", source_id=vm.id)
    assert refused.value.message == (f"Source virtual machine {vm.id} cannot contain disk ['fast'] stored in an "
                                     "UltraSSD account type")


def test_no_region_reads_completed_before_its_replication_runs(world, gallery, source):
    definition(world)
    seen = []
    world.subscribe(lambda event: seen.append([r.state(world.now) for r in world.get(event.resource_id)
                                               .target_regions]) if getattr(event, "resource_type", "") ==
                    GalleryImageVersion.TYPE else None)
    created, op = version(world, "1.0.0", source, regions=["eastus", "westus2"], wait=False)
    assert seen and all(states == ["Replicating", "Replicating"] for states in seen)
    done(world, op)
    seen.clear()
    op = world.galleries.update_version(created, target_regions=[RegionRequest("eastus"), RegionRequest("westus2"),
                                                                 RegionRequest("northeurope")])
    assert seen and all(states[-1] == "Replicating" for states in seen)
    done(world, op)
    assert world.galleries.replication_state(created) == "Completed"


def test_a_refused_update_leaves_the_target_regions_alone(world, gallery, source):
    definition(world)
    created, _op = version(world, "1.0.0", source, wait=False)         # still replicating: busy
    with raises_arm("Conflict"):
        world.galleries.update_version(created, target_regions=[RegionRequest("eastus"), RegionRequest("westus2")])
    assert [r.name for r in created.target_regions] == ["eastus"]


def test_a_version_from_an_os_snapshot_takes_the_definition_os_state(world, gallery, source):
    from engine_helpers import os_disk, snapshot

    running = linux_vm(world, "app")
    snap = snapshot(world, "app-snap", os_disk(world, running))
    definition(world, "special", os_state="Specialized")
    made, _op = version(world, "1.0.0", snap, definition_name="special")
    assert made.source_kind == "snapshot" and made.provisioning_state == "Succeeded"
