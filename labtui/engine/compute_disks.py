"""Managed disks and snapshots: create (empty, copy, from image, cross-region CopyStart), update,
delete, SAS access. Content is copy-on-write (see storage.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog, errors, naming
from .clock import date_of
from .operations import Operation, phase
from .resources import (
    Disk, GalleryImageDefinition, GalleryImageVersion, Resource, Snapshot, VirtualMachine,
)
from .storage import Content, differing_bytes

if TYPE_CHECKING:
    from .world import World

INCREMENTAL_WINDOW = 5 * 60.0
# A disk made from a platform image is its nominal size plus 1 MiB (Azure shows 32213303296 bytes for 30 GiB).
PLATFORM_IMAGE_EXTRA_BYTES = 1024 * 1024


def resolve_location(world: "World", text: str | None, group: str, type_path: str) -> str:
    """A request's location, defaulting to the group's as az does, validated against the catalog."""
    if text is None:
        return world.require_group(group).location
    found = catalog.find_location(text)
    if found is None:
        raise errors.location_not_available_for_type(text, type_path, sorted(catalog.LOCATIONS))
    return found.name


def check_same_name_location(existing: Resource | None, location: str) -> None:
    if existing is not None and existing.location != location:
        raise errors.invalid_resource_location(existing.name, existing.location, existing.resource_group, location)


def sas_url(world: "World", duration_seconds: int, access: str) -> str:
    expiry = date_of(world.now + duration_seconds).strftime("%Y-%m-%dT%H:%M:%SZ")
    permissions = "rw" if access == "Write" else "r"
    return (f"https://md-{world.seeded.hex('sas-host', 12)}.z{world.seeded.pick('sas-zone', 50) + 1}"
            f".blob.storage.azure.net/{world.seeded.hex('sas-container', 12)}/abcd?sv=2018-03-28&sr=b"
            f"&sp={permissions}&se={expiry}&sig={world.seeded.hex('sas-sig', 40)}")


class Disks:
    def __init__(self, world: "World"):
        self.world = world

    def create(self, group: str, name: str, *, location: str | None = None, size_gb: int | None = None,
               sku: str = "Premium_LRS", source_id: str | None = None, image: catalog.MarketplaceImage | None = None,
               os_type: str | None = None, hyper_v_generation: str | None = None, zone: str | None = None,
               tags: dict[str, str] | None = None, gallery_version_id: str | None = None) -> Operation:
        """A disk: empty (``size_gb``), a copy of a disk or snapshot (``source_id``), or the OS disk of a
        marketplace ``image`` or of a gallery image version (``gallery_version_id``, which must be
        replicated to the disk's region)."""
        world = self.world
        naming.check_disk(name)
        world.require_group(group)
        location = resolve_location(world, location, group, Disk.TYPE)
        existing = world.find(Disk, group, name)
        check_same_name_location(existing, location)
        if existing is not None:
            if source_id and (existing.source_resource_id or "").lower() != source_id.lower():
                raise errors.property_change_not_allowed("creationData.sourceResourceId")
            return self.update(existing, size_gb=size_gb, tags=tags)
        region = catalog.LOCATIONS[location]
        if zone is not None and zone not in region.zones:
            raise errors.ArmError("InvalidParameter", f"The availability zone '{zone}' is not supported in "
                                  f"location '{location}'.")
        if sku.endswith("_ZRS") and not region.zones:
            raise errors.zrs_not_in_region(sku, location)
        disk = Disk(id=world.resource_id(group, Disk.TYPE, name), name=name, resource_group=group,
                    location=location, sku=sku, tags=dict(tags or {}), zones=[zone] if zone else [],
                    unique_id=world.seeded.guid("disk"), os_type=os_type, hyper_v_generation=hyper_v_generation,
                    provisioning_state="Updating")
        if source_id:
            source = self._copy_source(source_id, location)
            disk.create_option = "Copy"
            disk.source_resource_id = source.id
            disk.source_unique_id = source.unique_id
            disk.content = source.content.frozen_copy()
            disk.size_gb = max(size_gb or 0, source.size_gb)
            disk.extra_bytes = source.extra_bytes if disk.size_gb == source.size_gb else 0
            disk.os_type = os_type or source.os_type
            disk.hyper_v_generation = hyper_v_generation or source.hyper_v_generation
            duration = catalog.DURATIONS["disk.create.copy"]
        elif image is not None:
            from .compute_vms import generalized_guest

            disk.create_option = "FromImage"
            disk.image_reference = {"id": catalog.platform_image_id(world.subscription_id, location, image)}
            disk.content = Content(world.store.base_blocks(image.urn, image.used_gib), generalized_guest(image))
            disk.size_gb = max(size_gb or 0, image.os_disk_size_gb)
            disk.extra_bytes = PLATFORM_IMAGE_EXTRA_BYTES if disk.size_gb == image.os_disk_size_gb else 0
            disk.os_type = image.os_type
            disk.hyper_v_generation = image.hyper_v_generation
            duration = catalog.DURATIONS["disk.create.copy"]
        elif gallery_version_id is not None:
            version, definition = self._gallery_version(gallery_version_id, location)
            disk.create_option = "FromImage"
            disk.gallery_image_reference = {"id": version.id}
            disk.content = version.os_disk.content.frozen_copy()
            disk.size_gb = max(size_gb or 0, version.os_disk.size_gb)
            disk.os_type = definition.os_type
            disk.hyper_v_generation = definition.hyper_v_generation
            duration = catalog.DURATIONS["disk.create.copy"]
        else:
            if not size_gb:
                raise errors.ArmError("InvalidParameter", "Required parameter 'diskSizeGB' is missing (null).")
            disk.size_gb = size_gb
            duration = catalog.DURATIONS["disk.create"]
        self._check_size(disk.sku, disk.size_gb, os_disk=disk.os_type is not None)
        world.check_regional_limit(Disk, location, "disks_per_type_per_region", f"{sku} managed disks",
                                   lambda other: other.sku == sku)
        op = world.begin("disk.create", disk, verb="create", kind="disk")
        world.add(disk)
        world.after(op, duration, "resource.create.done")
        return op

    def _copy_source(self, source_id: str, location: str) -> Disk | Snapshot:
        source = self.world.get(source_id)
        name = source_id.rstrip("/").rsplit("/", 1)[-1]
        # CRP looks the source up in the target's region: elsewhere it simply is not found.
        if not isinstance(source, (Disk, Snapshot)) or source.location != location:
            raise errors.source_not_found(name)
        if isinstance(source, Snapshot) and source.copy_due is not None and source.copy_due > self.world.now:
            raise errors.copy_in_progress(source.name)
        return source

    def _gallery_version(self, version_id: str,
                         location: str) -> tuple[GalleryImageVersion, GalleryImageDefinition]:
        parts = version_id.strip("/").split("/")
        if not version_id.lower().startswith("/subscriptions/") or len(parts) < 4:
            raise errors.invalid_property_id(version_id, "properties.creationData.galleryImageReference.id")
        version = self.world.get(version_id)
        if not isinstance(version, GalleryImageVersion):
            raise errors.resource_not_found_at(version_id)
        definition = self.world.get(version.id.rsplit("/versions/", 1)[0])
        assert isinstance(definition, GalleryImageDefinition)
        region = version.region(location)
        if region is None or region.state(self.world.now) != "Completed":
            raise errors.gallery_image_not_in_region(version.id, location)
        return version, definition

    @staticmethod
    def _check_size(sku: str, size_gb: int, os_disk: bool) -> None:
        if os_disk and sku in ("UltraSSD_LRS", "PremiumV2_LRS"):
            raise errors.os_disk_sku_not_allowed(sku)
        limit = catalog.LIMITS["max_ultra_disk_gb"] if sku in ("UltraSSD_LRS", "PremiumV2_LRS") else \
            catalog.LIMITS["max_data_disk_gb"]
        if os_disk:
            limit = catalog.LIMITS["max_os_disk_gb"]
        if not 1 <= size_gb <= limit:
            raise errors.ArmError("InvalidParameter", f"The specified disk size {size_gb} GB is invalid. "
                                  f"Disk size must be between 1 and {limit} GB.")

    def update(self, disk: Disk, *, size_gb: int | None = None, sku: str | None = None,
               tags: dict[str, str] | None = None, network_access_policy: str | None = None) -> Operation:
        world = self.world
        vm = world.get(disk.managed_by) if disk.managed_by else None
        vm_allocated = isinstance(vm, VirtualMachine) and vm.allocated
        if size_gb is not None and size_gb != disk.size_gb:
            if size_gb < disk.size_gb:
                raise errors.disk_shrink_not_allowed(disk.name, disk.size_gb, size_gb)
            if vm_allocated:
                raise errors.disk_resize_not_allowed()
            self._check_size(sku or disk.sku, size_gb, os_disk=disk.os_type is not None)
        if sku is not None and sku != disk.sku:
            if vm_allocated:
                raise errors.ArmError("OperationNotAllowed", "Disk SKU can be changed only when the disk is "
                                      "unattached or the VM it is attached to is deallocated.", 409)
            self._check_size(sku, size_gb or disk.size_gb, os_disk=disk.os_type is not None)
        op = world.begin("disk.update", disk, verb="update", kind="disk")
        if size_gb is not None:
            world.set_state(disk, "size_gb", size_gb, "diskSizeGB")
            disk.extra_bytes = 0
        if sku is not None:
            world.set_state(disk, "sku", sku, "sku")
        if tags is not None:
            disk.tags = dict(tags)
        if network_access_policy is not None:
            disk.network_access_policy = network_access_policy
        world.after(op, catalog.DURATIONS["disk.update"], "resource.update.done")
        return op

    def delete(self, disk: Disk) -> Operation:
        world = self.world
        if disk.managed_by:
            raise errors.disk_attached(disk.name, disk.managed_by)
        if disk.sas_active:
            raise errors.sas_active(disk.name)
        op = world.begin("disk.delete", disk, verb="delete", kind="disk")
        world.set_state(disk, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS["disk.delete"], "resource.delete.done")
        return op

    def grant_access(self, resource: Disk | Snapshot, duration_seconds: int, access: str = "Read") -> Operation:
        world = self.world
        if isinstance(resource, Disk) and resource.managed_by:
            vm = world.get(resource.managed_by)
            if isinstance(vm, VirtualMachine) and vm.allocated:
                raise errors.ArmError(
                    "OperationNotAllowed",
                    f"Disk {resource.name} is attached to a VM that is not deallocated. To export it, deallocate "
                    f"VM {vm.name} or detach the disk.", 409)
        kind = "disk" if isinstance(resource, Disk) else "snapshot"
        op = world.begin(f"{kind}.grant_access", resource, verb="beginGetAccess", kind=kind,
                         params={"url": sas_url(world, duration_seconds, access)})
        world.after(op, catalog.DURATIONS["access.grant"], "access.grant.done")
        return op

    def revoke_access(self, resource: Disk | Snapshot) -> Operation:
        kind = "disk" if isinstance(resource, Disk) else "snapshot"
        op = self.world.begin(f"{kind}.revoke_access", resource, verb="endGetAccess", kind=kind)
        self.world.after(op, catalog.DURATIONS["access.revoke"], "access.revoke.done")
        return op

    def refresh_state(self, disk: Disk) -> None:
        """diskState follows the owner VM's allocation and any SAS grant (SPEC x-ms-enum meanings)."""
        world = self.world
        if disk.sas_active:
            state = "ActiveSAS"
        elif not disk.managed_by:
            state = "Unattached"
        else:
            vm = world.get(disk.managed_by)
            state = "Attached" if isinstance(vm, VirtualMachine) and vm.allocated else "Reserved"
        world.set_state(disk, "disk_state", state, "diskState")


class Snapshots:
    def __init__(self, world: "World"):
        self.world = world

    def create(self, group: str, name: str, *, source_id: str | None, location: str | None = None,
               sku: str = "Standard_LRS", incremental: bool = False, copy_start: bool | None = None,
               size_gb: int | None = None, hyper_v_generation: str | None = None,
               tags: dict[str, str] | None = None) -> Operation:
        world = self.world
        naming.check_snapshot(name)
        world.require_group(group)
        location = resolve_location(world, location, group, Snapshot.TYPE)
        existing = world.find(Snapshot, group, name)
        check_same_name_location(existing, location)
        if existing is not None:
            # ARM's PUT updates a snapshot in place; its source cannot change.
            if (existing.source_resource_id or "").lower() != (source_id or "").lower():
                raise errors.property_change_not_allowed("creationData.sourceResourceId")
            if existing.incremental != incremental:     # a full snapshot never becomes incremental, nor back
                raise errors.property_change_not_allowed("incremental")
            return self.update(existing, sku=sku if sku != existing.sku else None, tags=tags)
        if incremental and sku == "Premium_LRS":
            raise errors.incremental_snapshot_premium()
        if sku == "Standard_ZRS" and not catalog.LOCATIONS[location].zones:
            raise errors.zrs_not_in_region(sku, location)
        snap = Snapshot(id=world.resource_id(group, Snapshot.TYPE, name), name=name, resource_group=group,
                        location=location, sku=sku, incremental=incremental, tags=dict(tags or {}),
                        unique_id=world.seeded.guid("snapshot"), provisioning_state="Updating",
                        hyper_v_generation=hyper_v_generation)
        copying = False
        if source_id is None:
            if not size_gb:
                raise errors.ArmError("InvalidParameter", "Required parameter 'diskSizeGB' is missing (null).")
            snap.create_option, snap.size_gb = "Empty", size_gb
        else:
            source = world.get(source_id)
            source_name = source_id.rstrip("/").rsplit("/", 1)[-1]
            if not isinstance(source, (Disk, Snapshot)):
                raise errors.source_not_found(source_name)
            cross_region = source.location != location
            if copy_start or cross_region:
                # Only an incremental snapshot can be copied with CopyStart (reference §1 iv, XREG).
                if isinstance(source, Disk):
                    raise errors.source_not_found(source_name)
                if not source.incremental or not incremental:
                    raise errors.full_snapshot_cross_region()
                copying = True
                snap.create_option = "CopyStart"
            if isinstance(source, Snapshot) and source.copy_due is not None and source.copy_due > world.now:
                raise errors.copy_in_progress(source.name)
            snap.source_resource_id = source.id
            snap.source_unique_id = source.unique_id
            snap.size_gb = source.size_gb
            snap.extra_bytes = source.extra_bytes
            snap.os_type = source.os_type
            snap.hyper_v_generation = hyper_v_generation or source.hyper_v_generation
            snap.content = source.content.frozen_copy()
            if isinstance(source, Disk) and incremental:
                self._check_incremental_limits(source)
                previous = self.latest_in_family(source)
                snap.family_id = previous.family_id if previous else world.seeded.guid("family")
                snap.billed_bytes = differing_bytes(snap.content.blocks, previous.content.blocks if previous else None)
            elif isinstance(source, Snapshot) and incremental:
                snap.family_id = world.seeded.guid("family")
                snap.billed_bytes = snap.content.used_bytes
            else:
                snap.billed_bytes = snap.content.used_bytes
        world.check_regional_limit(Snapshot, location, "snapshots_per_sku_per_region", f"{sku} snapshots",
                                   lambda other: other.sku == sku)
        op = world.begin("snapshot.create", snap, verb="create", kind="snapshot",
                         params={"copy": copying, "source_id": snap.source_resource_id})
        if copying:
            # completionPercent starts at 0 the moment the copy is accepted and reaches 100 when the data is in.
            copy_time = catalog.DURATIONS["snapshot.copy_start"] * max(1.0, snap.size_gb / 128)
            snap.copy_started = world.now
            snap.copy_due = world.now + catalog.DURATIONS["snapshot.create"] + copy_time
        world.add(snap)
        world.after(op, catalog.DURATIONS["snapshot.create"], "snapshot.create.done")
        return op

    def family(self, disk: Disk) -> list[Snapshot]:
        """The incremental snapshots of ``disk`` (same source unique id), oldest first."""
        # World.list keeps creation order, which is what "previous snapshot" means (times may tie).
        return [s for s in self.world.list(Snapshot)
                if s.incremental and s.source_unique_id == disk.unique_id and s.create_option != "CopyStart"]

    def latest_in_family(self, disk: Disk) -> Snapshot | None:
        family = self.family(disk)
        return family[-1] if family else None

    def _check_incremental_limits(self, disk: Disk) -> None:
        family = self.family(disk)
        if len(family) >= catalog.LIMITS["incremental_snapshots_per_disk"]:
            raise errors.incremental_limit(disk.name, catalog.LIMITS["incremental_snapshots_per_disk"])
        recent = [s for s in family if s.time_created > self.world.now - INCREMENTAL_WINDOW]
        if len(recent) >= catalog.LIMITS["incremental_snapshots_per_disk_per_5min"]:
            raise errors.incremental_rate_limit(disk.name)

    def completion_percent(self, snap: Snapshot) -> float:
        if snap.copy_error:
            return snap.copy_error.get("percent", 0.0)
        if snap.copy_due is None or snap.copy_started is None:
            return 100.0
        now = self.world.now
        if now >= snap.copy_due:
            return 100.0
        return round(100.0 * (now - snap.copy_started) / (snap.copy_due - snap.copy_started), 1)

    def update(self, snap: Snapshot, *, sku: str | None = None, tags: dict[str, str] | None = None,
               network_access_policy: str | None = None) -> Operation:
        world = self.world
        if sku is not None and snap.incremental and sku == "Premium_LRS":
            raise errors.incremental_snapshot_premium()
        op = world.begin("snapshot.update", snap, verb="update", kind="snapshot")
        if sku is not None:
            world.set_state(snap, "sku", sku, "sku")
        if tags is not None:
            snap.tags = dict(tags)
        if network_access_policy is not None:
            snap.network_access_policy = network_access_policy
        world.after(op, catalog.DURATIONS["disk.update"], "resource.update.done")
        return op

    def delete(self, snap: Snapshot) -> Operation:
        world = self.world
        if snap.sas_active:
            raise errors.sas_active(snap.name)
        op = world.begin("snapshot.delete", snap, verb="delete", kind="snapshot")
        world.set_state(snap, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS["snapshot.delete"], "snapshot.delete.done")
        # A cross-region copy reading from this snapshot can no longer finish (XREG warns about this).
        for copy in world.list(Snapshot):
            if copy.source_resource_id and copy.source_resource_id.lower() == snap.id.lower() \
                    and copy.copy_due is not None and copy.copy_due > world.now:
                copy.copy_error = {"errorCode": "CopySourceNotFound",
                                   "errorMessage": f"The source snapshot {snap.id} was deleted before the copy "
                                                   "completed.", "percent": self.completion_percent(copy)}
                copy.copy_due = None
                world.set_state(copy, "provisioning_state", "Failed", "provisioningState")
        return op


# --- phases -----------------------------------------------------------------------------------

@phase("snapshot.delete.done")
def _snapshot_deleted(world: "World", op: Operation) -> None:
    """An incremental snapshot leaves its family: the next one now holds, and bills, every block that
    differs from the snapshot before the deleted one (Azure keeps the data later snapshots need)."""
    snap = world.get(op.resource_id)
    if isinstance(snap, Snapshot) and snap.incremental and snap.create_option != "CopyStart":
        family = [s for s in world.list(Snapshot) if s.incremental and s.create_option != "CopyStart"
                  and s.source_unique_id == snap.source_unique_id]
        index = next(i for i, s in enumerate(family) if s is snap)
        if index + 1 < len(family):
            following = family[index + 1]
            previous = family[index - 1] if index > 0 else None
            following.billed_bytes = differing_bytes(following.content.blocks,
                                                     previous.content.blocks if previous else None)
            world.reprice(following)
    if snap is not None:
        world.remove(snap)
    world.succeed(op)


@phase("snapshot.create.done")
def _snapshot_created(world: "World", op: Operation) -> None:
    snap = world.get(op.resource_id)
    if not isinstance(snap, Snapshot):
        world.succeed(op)
        return
    world.set_state(snap, "provisioning_state", "Succeeded", "provisioningState")
    world.succeed(op, op.resource_id)
    if op.params.get("copy") and snap.copy_due is not None:
        # The resource exists now; its data keeps copying in the background (completionPercent).
        copy = world.begin("snapshot.copy", snap, verb="copy", kind="snapshot",
                           params={"source_id": op.params.get("source_id")})
        world.after(copy, snap.copy_due - world.now, "snapshot.copy.done")


@phase("snapshot.copy.done")
def _snapshot_copied(world: "World", op: Operation) -> None:
    snap = world.get(op.resource_id)
    if isinstance(snap, Snapshot) and snap.copy_error:
        world.fail(op, errors.ArmError(snap.copy_error["errorCode"], snap.copy_error["errorMessage"]))
        return
    if isinstance(snap, Snapshot):
        world.announce(snap, "completionPercent", world.snapshots.completion_percent(snap), 100.0)
    world.succeed(op, op.resource_id)


def _refresh_access_state(world: "World", resource: Disk | Snapshot, old: str, new: str) -> None:
    """A disk's diskState also depends on its VM; a snapshot's only on the SAS grant."""
    if isinstance(resource, Disk):
        world.disks.refresh_state(resource)
    else:
        world.announce(resource, "diskState", old, new)


@phase("access.grant.done")
def _granted(world: "World", op: Operation) -> None:
    resource = world.get(op.resource_id)
    if isinstance(resource, (Disk, Snapshot)):
        resource.sas_active = True
        _refresh_access_state(world, resource, "Unattached", "ActiveSAS")
    world.succeed(op, {"accessSAS": op.params["url"]})


@phase("access.revoke.done")
def _revoked(world: "World", op: Operation) -> None:
    resource = world.get(op.resource_id)
    if isinstance(resource, (Disk, Snapshot)):
        resource.sas_active = False
        _refresh_access_state(world, resource, "ActiveSAS", "Unattached")
    world.succeed(op)
