"""Managed (legacy) images: always Generalized, captured from a generalized VM or from the disk or
snapshot of a generalized OS. An image is its own copy: its sources can be deleted afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog, errors, naming
from .compute_disks import check_same_name_location, resolve_location
from .operations import Operation
from .resources import Disk, Image, ImageDisk, Snapshot, VirtualMachine

if TYPE_CHECKING:
    from .world import World


def generation_label(generation: str | None) -> str:
    return f"Gen{(generation or 'V1')[1:]}"


class Images:
    def __init__(self, world: "World"):
        self.world = world

    def create(self, group: str, name: str, *, source_id: str, location: str | None = None,
               hyper_v_generation: str = "V1", os_type: str | None = None,
               data_disk_source_ids: tuple[str, ...] = (), storage_sku: str | None = None,
               zone_resilient: bool = False, tags: dict[str, str] | None = None,
               os_disk_caching: str | None = None, data_disk_caching: str | None = None) -> Operation:
        """From a generalized VM (its disks' caching and SKUs carry over, as az sends only the VM's id), or
        from an OS disk or snapshot plus data disk sources (caching and ``storage_sku`` as given)."""
        world = self.world
        naming.check_image(name)
        world.require_group(group)
        location = resolve_location(world, location, group, Image.TYPE)
        check_same_name_location(world.find(Image, group, name), location)
        source = world.get(source_id)
        image = Image(id=world.resource_id(group, Image.TYPE, name), name=name, resource_group=group,
                      location=location, hyper_v_generation=hyper_v_generation, zone_resilient=zone_resilient,
                      tags=dict(tags or {}), provisioning_state="Creating")
        locks: list[str] = []
        if isinstance(source, VirtualMachine):
            vm = source
            if vm.location != location:
                raise errors.source_vm_not_in_location(vm.name)
            if not vm.generalized:
                raise errors.vm_not_generalized("Create Image", vm.name)
            if vm.security_type == "TrustedLaunch":
                raise errors.image_from_trusted_launch()
            if hyper_v_generation != vm.hyper_v_generation:
                raise errors.hyper_v_generation_mismatch(hyper_v_generation, generation_label(vm.hyper_v_generation),
                                                         "sourceVirtualMachine")
            os_disk = world.vms.os_disk(vm)
            if os_disk is None:
                raise errors.source_not_found(vm.os_disk_id.rsplit("/", 1)[-1])
            image.source_vm_id = vm.id
            image.os_disk = self._image_disk(os_disk, None, vm.os_type, vm.os_disk_caching)
            for data in vm.data_disks:
                disk = world.get(data.disk_id)
                if isinstance(disk, Disk):
                    image.data_disks.append(self._image_disk(disk, data.lun, None, data.caching))
            locks.append(vm.id)
        elif isinstance(source, (Disk, Snapshot)):
            if source.location != location:
                raise errors.source_not_found(source.name)
            if source.hyper_v_generation and source.hyper_v_generation != hyper_v_generation:
                kind = "managedDisk" if isinstance(source, Disk) else "snapshot"
                raise errors.hyper_v_generation_mismatch(hyper_v_generation,
                                                         generation_label(source.hyper_v_generation), kind)
            image.os_disk = self._image_disk(source, None, os_type or source.os_type or "Linux",
                                             os_disk_caching or "ReadWrite", storage_sku)
            for lun, data_id in enumerate(data_disk_source_ids):
                data = world.get(data_id)
                if not isinstance(data, (Disk, Snapshot)) or data.location != location:
                    raise errors.source_not_found(data_id.rsplit("/", 1)[-1])
                image.data_disks.append(self._image_disk(data, lun, None, data_disk_caching or "None", storage_sku))
        else:
            raise errors.source_not_found(source_id.rstrip("/").rsplit("/", 1)[-1])
        world.check_regional_limit(Image, location, "images_per_region", "managed images")
        op = world.begin("image.create", image, verb="create", kind="image", locks=locks)
        world.add(image)
        world.after(op, catalog.DURATIONS["image.create"], "resource.create.done")
        return op

    @staticmethod
    def _image_disk(source: Disk | Snapshot, lun: int | None, os_type: str | None, caching: str,
                    storage_sku: str | None = None) -> ImageDisk:
        return ImageDisk(
            lun=lun, os_type=os_type, os_state="Generalized" if lun is None else None, size_gb=source.size_gb,
            storage_account_type=storage_sku or source.sku, caching=caching,
            managed_disk_id=source.id if isinstance(source, Disk) else None,
            snapshot_id=source.id if isinstance(source, Snapshot) else None,
            content=source.content.frozen_copy(),
        )

    def delete(self, image: Image) -> Operation:
        world = self.world
        provisioning = [world.get(op.resource_id) for op in world.pending()
                        if op.name == "vm.create" and (op.params.get("image_id") or "").lower() == image.id.lower()]
        names = [vm.name for vm in provisioning if vm is not None]
        if names:
            raise errors.image_in_use_by_provisioning("DeleteImage", names, image.name)
        op = world.begin("image.delete", image, verb="delete", kind="image")
        world.set_state(image, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS["image.delete"], "resource.delete.done")
        return op

    def update(self, image: Image, tags: dict[str, str] | None = None) -> Operation:
        op = self.world.begin("image.update", image, verb="update", kind="image")
        if tags is not None:
            image.tags = dict(tags)
        self.world.after(op, 1.0, "resource.update.done")
        return op

    def source_os_disk(self, image: Image) -> Disk | Snapshot | None:
        """The disk or snapshot the image was captured from, if it still exists."""
        ref = image.os_disk.managed_disk_id or image.os_disk.snapshot_id
        found = self.world.get(ref) if ref else None
        return found if isinstance(found, (Disk, Snapshot)) else None

    def copy(self, image: Image, group: str, name: str, location: str) -> Operation:
        """What the image-copy extension achieves: the same image in another region (it re-reads the
        source OS disk, which must still exist: checked by the caller with ``source_os_disk``)."""
        world = self.world
        naming.check_image(name)
        world.require_group(group)
        check_same_name_location(world.find(Image, group, name), location)
        copy = Image(id=world.resource_id(group, Image.TYPE, name), name=name, resource_group=group,
                     location=location, hyper_v_generation=image.hyper_v_generation,
                     os_disk=ImageDisk(lun=None, os_type=image.os_disk.os_type, os_state="Generalized",
                                       size_gb=image.os_disk.size_gb, storage_account_type="Standard_LRS",
                                       caching=image.os_disk.caching,
                                       content=image.os_disk.content.frozen_copy()),
                     provisioning_state="Creating", tags=dict(image.tags))
        op = world.begin("image.copy", copy, verb="create", kind="image")
        world.add(copy)
        world.after(op, catalog.DURATIONS["image.create"] + catalog.DURATIONS["snapshot.copy_start"],
                    "resource.create.done")
        return op

