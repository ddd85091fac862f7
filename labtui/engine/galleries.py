"""Azure Compute Gallery: galleries, image definitions and image versions replicated to regions.

A version's replication to each target region progresses on the virtual clock; a VM can use a
version only in a region whose replica has completed. ``latest`` is the highest version that is
not excluded from latest and is replicated to the region (ACG "Image versions").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from . import catalog, errors, naming
from .clock import date_of, seconds_of
from .compute_disks import check_same_name_location, resolve_location
from .operations import Operation, phase
from .resources import (
    Gallery, GalleryImageDefinition, GalleryImageVersion, Image, ImageDisk, Snapshot, TargetRegion, VirtualMachine,
)

if TYPE_CHECKING:
    from .world import World

TRUSTED_LAUNCH_FEATURES = {"trustedlaunch", "trustedlaunchsupported", "trustedlaunchandconfidentialvmsupported"}


@attrs.frozen
class RegionRequest:
    name: str
    replica_count: int | None = None
    storage_account_type: str | None = None
    exclude_from_latest: bool | None = None     # None: unchanged (a new region: not excluded)


def check_end_of_life(world: "World", date: str | None) -> None:
    if date is None:
        return
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError as exc:
        raise errors.ArmError("InvalidParameter", f"The value '{date}' of parameter 'endOfLifeDate' is not a valid "
                              "date.") from exc
    if seconds_of(moment) <= world.now:
        raise errors.end_of_life_in_past()


class Galleries:
    def __init__(self, world: "World"):
        self.world = world

    # --- galleries ---------------------------------------------------------------------------
    def create(self, group: str, name: str, *, location: str | None = None, description: str | None = None,
               tags: dict[str, str] | None = None) -> Operation:
        world = self.world
        naming.check_gallery(name)
        world.require_group(group)
        location = resolve_location(world, location, group, Gallery.TYPE)
        existing = world.find(Gallery, group, name)
        check_same_name_location(existing, location)
        if existing is None and any(g.name.lower() == name.lower() for g in world.list(Gallery)):
            raise errors.gallery_name_not_unique(name, world.subscription_id)
        if existing is not None:
            return self.update(existing, description=description, tags=tags)
        gallery = Gallery(id=world.resource_id(group, Gallery.TYPE, name), name=name, resource_group=group,
                          location=location, description=description, tags=dict(tags or {}),
                          unique_name=f"{world.subscription_id}-{name.upper()}", provisioning_state="Creating")
        world.check_regional_limit(Gallery, location, "galleries_per_region", "galleries")
        op = world.begin("sig.create", gallery, verb="create", kind="gallery")
        world.add(gallery)
        world.after(op, catalog.DURATIONS["sig.create"], "resource.create.done")
        return op

    def update(self, gallery: Gallery, *, description: str | None = None,
               tags: dict[str, str] | None = None) -> Operation:
        op = self.world.begin("sig.update", gallery, verb="update", kind="gallery")
        if description is not None:
            gallery.description = description
        if tags is not None:
            gallery.tags = dict(tags)
        self.world.after(op, 1.0, "resource.update.done")
        return op

    def delete(self, gallery: Gallery) -> Operation:
        children = self.definitions(gallery)
        if children:
            raise errors.nested_resources_exist([d.id for d in children])
        return self._delete(gallery, "sig.delete")

    def _delete(self, resource, name: str) -> Operation:
        world = self.world
        op = world.begin(name, resource, verb="delete", kind="gallery resource")
        world.set_state(resource, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS[name], "resource.delete.done")
        return op

    def definitions(self, gallery: Gallery) -> list[GalleryImageDefinition]:
        prefix = gallery.id.lower() + "/images/"
        return [d for d in self.world.list(GalleryImageDefinition) if d.id.lower().startswith(prefix)]

    def versions(self, definition: GalleryImageDefinition) -> list[GalleryImageVersion]:
        prefix = definition.id.lower() + "/versions/"
        return sorted((v for v in self.world.list(GalleryImageVersion) if v.id.lower().startswith(prefix)),
                      key=lambda v: v.version_key)

    def require_gallery(self, group: str, gallery: str) -> Gallery:
        self.world.require_group(group)
        found = self.world.find(Gallery, group, gallery)
        if found is None:
            raise errors.parent_resource_not_found(gallery)
        return found

    def require_definition(self, group: str, gallery: str, definition: str) -> GalleryImageDefinition:
        parent = self.require_gallery(group, gallery)
        found = self.world.get(f"{parent.id}/images/{definition}")
        if not isinstance(found, GalleryImageDefinition):
            raise errors.parent_resource_not_found(definition)
        return found

    # --- image definitions -------------------------------------------------------------------
    def create_definition(self, group: str, gallery_name: str, name: str, *, publisher: str, offer: str, sku: str,
                          os_type: str, os_state: str = "Generalized", hyper_v_generation: str = "V1",
                          architecture: str = "x64", features: list[dict] | None = None,
                          end_of_life_date: str | None = None, description: str | None = None,
                          location: str | None = None, tags: dict[str, str] | None = None) -> Operation:
        world = self.world
        gallery = self.require_gallery(group, gallery_name)
        naming.check_definition(name)
        for prop, value in (("publisher", publisher), ("offer", offer), ("sku", sku)):
            naming.check_identifier(prop, value)
        location = resolve_location(world, location, group, GalleryImageDefinition.TYPE)
        check_end_of_life(world, end_of_life_date)
        def_id = f"{gallery.id}/images/{name}"
        existing = world.get(def_id)
        if isinstance(existing, GalleryImageDefinition):
            check_same_name_location(existing, location)
            for prop, old, new in (("osType", existing.os_type, os_type), ("osState", existing.os_state, os_state),
                                   ("hyperVGeneration", existing.hyper_v_generation, hyper_v_generation),
                                   ("identifier.publisher", existing.publisher, publisher),
                                   ("identifier.offer", existing.offer, offer), ("identifier.sku", existing.sku, sku)):
                if old.lower() != new.lower():
                    raise errors.property_change_not_allowed(f"galleryImage.properties.{prop}")
            return self.update_definition(existing, end_of_life_date=end_of_life_date, description=description,
                                          tags=tags)
        for other in self.definitions(gallery):
            if (other.publisher.lower(), other.offer.lower(), other.sku.lower()) == \
                    (publisher.lower(), offer.lower(), sku.lower()):
                raise errors.duplicate_identifier(name, publisher, offer, sku)
        definition = GalleryImageDefinition(
            id=def_id, name=name, resource_group=group, location=location, gallery=gallery.name,
            publisher=publisher, offer=offer, sku=sku, os_type=os_type, os_state=os_state,
            hyper_v_generation=hyper_v_generation, architecture=architecture, features=list(features or []),
            end_of_life_date=end_of_life_date, description=description, tags=dict(tags or {}),
            provisioning_state="Creating")
        world.check_regional_limit(GalleryImageDefinition, location, "image_definitions_per_region",
                                   "gallery image definitions")
        op = world.begin("sig.definition.create", definition, verb="create", kind="gallery image")
        world.add(definition)
        world.after(op, catalog.DURATIONS["sig.definition.create"], "resource.create.done")
        return op

    def update_definition(self, definition: GalleryImageDefinition, *, end_of_life_date: str | None = None,
                          description: str | None = None, tags: dict[str, str] | None = None) -> Operation:
        check_end_of_life(self.world, end_of_life_date)
        op = self.world.begin("sig.definition.update", definition, verb="update", kind="gallery image")
        if end_of_life_date is not None:
            definition.end_of_life_date = end_of_life_date
        if description is not None:
            definition.description = description
        if tags is not None:
            definition.tags = dict(tags)
        self.world.after(op, 1.0, "resource.update.done")
        return op

    def delete_definition(self, definition: GalleryImageDefinition) -> Operation:
        children = self.versions(definition)
        if children:
            raise errors.nested_resources_exist([v.id for v in children])
        return self._delete(definition, "sig.definition.delete")

    # --- image versions ----------------------------------------------------------------------
    def create_version(self, group: str, gallery_name: str, definition_name: str, name: str, *, source_id: str,
                       location: str | None = None, target_regions: list[RegionRequest] | None = None,
                       replica_count: int = 1, storage_account_type: str = "Standard_LRS",
                       exclude_from_latest: bool = False, end_of_life_date: str | None = None,
                       replication_mode: str = "Full", block_deletion_before_end_of_life: bool = False,
                       tags: dict[str, str] | None = None) -> Operation:
        world = self.world
        definition = self.require_definition(group, gallery_name, definition_name)
        naming.parse_version(name)
        location = resolve_location(world, location, group, GalleryImageVersion.TYPE)
        check_end_of_life(world, end_of_life_date)
        version_id = f"{definition.id}/versions/{name}"
        if world.get(version_id) is not None:
            raise errors.property_change_not_allowed("galleryImageVersion.properties.storageProfile.source")
        source = world.get(source_id)
        if source is None or source.location != location:
            raise errors.version_source_not_found(source_id)
        os_disk, data_disks, os_type, os_state, generation, trusted = self._capture(source, source_id)
        if os_type.lower() != definition.os_type.lower():
            raise errors.os_type_mismatch(source.id, os_type, definition.os_type)
        if os_state is not None and os_state != definition.os_state:     # a snapshot takes the definition's
            raise errors.os_state_mismatch(source.id, os_state, definition.os_state)
        if generation != definition.hyper_v_generation:
            raise errors.generation_mismatch(source.id, generation, definition.hyper_v_generation)
        if trusted and (definition.security_feature or "").lower() not in TRUSTED_LAUNCH_FEATURES:
            raise errors.ArmError(
                "BadRequest", f"The source '{source.id}' uses security type 'TrustedLaunch', which the gallery image "
                f"definition '{definition.name}' does not support. Create the definition with the feature "
                "SecurityType=TrustedLaunchSupported.")
        regions = self._target_regions(target_regions or [RegionRequest(location)], location, replica_count,
                                       storage_account_type)
        version = GalleryImageVersion(
            id=version_id, name=name, resource_group=group, location=location, gallery=gallery_name,
            definition=definition.name, source_id=source.id, source_kind=_kind(source), target_regions=regions,
            replica_count=replica_count, exclude_from_latest=exclude_from_latest, end_of_life_date=end_of_life_date,
            published=world.now, storage_account_type=storage_account_type, replication_mode=replication_mode,
            block_deletion_before_end_of_life=block_deletion_before_end_of_life, os_disk=os_disk,
            data_disks=data_disks, tags=dict(tags or {}), provisioning_state="Creating")
        world.check_regional_limit(GalleryImageVersion, location, "image_versions_per_region",
                                   "gallery image versions")
        # The source's disks were copied above; replication does not hold the source VM.
        op = world.begin("sig.version.create", version, verb="create", kind="gallery image version")
        self._replicate(op, version, regions)      # before it appears: no region may read Completed early
        world.add(version)
        return op

    def _capture(self, source, source_id: str):
        world = self.world
        if isinstance(source, Image):
            disks = [attrs.evolve(d, content=d.content.frozen_copy()) for d in source.data_disks]
            return (attrs.evolve(source.os_disk, content=source.os_disk.content.frozen_copy()), disks,
                    source.os_disk.os_type or "Linux", "Generalized", source.hyper_v_generation, False)
        if isinstance(source, VirtualMachine):
            os_disk = world.vms.os_disk(source)
            if os_disk is None:
                raise errors.version_source_not_found(source_id)
            for disk in world.vms.disks_of(source):
                if disk.sku == "UltraSSD_LRS":
                    raise errors.source_vm_ultra_disk(source.id, disk.name)
            image_disk = ImageDisk(os_type=source.os_type, size_gb=os_disk.size_gb, caching=source.os_disk_caching,
                                   content=os_disk.content.frozen_copy())
            data = []
            for entry in source.data_disks:
                disk = world.get(entry.disk_id)
                if disk is not None:
                    data.append(ImageDisk(lun=entry.lun, size_gb=disk.size_gb, caching=entry.caching,
                                          content=disk.content.frozen_copy()))
            state = "Generalized" if source.generalized else "Specialized"
            return (image_disk, data, source.os_type, state, source.hyper_v_generation,
                    source.security_type == "TrustedLaunch")
        if isinstance(source, GalleryImageVersion):
            parent = world.get(source.id.rsplit("/versions/", 1)[0])
            assert isinstance(parent, GalleryImageDefinition)
            disks = [attrs.evolve(d, content=d.content.frozen_copy()) for d in source.data_disks]
            return (attrs.evolve(source.os_disk, content=source.os_disk.content.frozen_copy()), disks,
                    parent.os_type, parent.os_state, parent.hyper_v_generation, False)
        if isinstance(source, Snapshot):
            image_disk = ImageDisk(os_type=source.os_type, size_gb=source.size_gb, caching="ReadWrite",
                                   content=source.content.frozen_copy())
            return (image_disk, [], source.os_type or "Linux", None, source.hyper_v_generation or "V1", False)
        raise errors.version_source_wrong_type(source_id)

    def _target_regions(self, requests: list[RegionRequest], location: str, replica_count: int,
                        storage: str) -> list[TargetRegion]:
        names = []
        regions = []
        for request in requests:
            found = catalog.find_location(request.name)
            if found is None:
                raise errors.location_not_available_for_type(request.name, GalleryImageVersion.TYPE,
                                                             sorted(catalog.LOCATIONS))
            if found.name in names:
                raise errors.duplicate_target_regions()
            count = request.replica_count if request.replica_count is not None else replica_count
            limit = catalog.LIMITS["replicas_per_version"]
            if not 1 <= count <= limit:
                raise errors.value_out_of_range(count, "regionalReplicaCount", 1, limit)
            names.append(found.name)
            regions.append(TargetRegion(name=found.name, replica_count=count,
                                        storage_account_type=request.storage_account_type or storage,
                                        exclude_from_latest=bool(request.exclude_from_latest)))
        if location not in names:
            raise errors.target_regions_missing_source([catalog.LOCATIONS[n].display_name for n in names],
                                                       catalog.LOCATIONS[location].display_name)
        return regions

    def _replicate(self, op: Operation, version: GalleryImageVersion, regions: list[TargetRegion]) -> None:
        """Start replicas; the source region finishes first, farther regions take longer."""
        world = self.world
        base = catalog.DURATIONS["sig.version.replicate_region"]
        for index, region in enumerate(regions):
            region.started = world.now
            region.due = world.now + base * (0.5 if region.name == version.location else 1.0 + 0.25 * index)
            world.after(op, region.due - world.now, "sig.version.replicated")

    def update_version(self, version: GalleryImageVersion, *, target_regions: list[RegionRequest] | None = None,
                       replica_count: int | None = None, exclude_from_latest: bool | None = None,
                       end_of_life_date: str | None = None) -> Operation:
        world = self.world
        check_end_of_life(world, end_of_life_date)
        merged: list[TargetRegion] | None = None
        fresh: list[TargetRegion] = []
        if target_regions is not None:
            wanted = self._target_regions(target_regions, version.location,
                                          replica_count or version.replica_count, version.storage_account_type)
            existing = {r.name: r for r in version.target_regions}
            merged = [existing.get(region.name, region) for region in wanted]
            fresh = [region for region in wanted if region.name not in existing]
            counts = {region.name: region.replica_count for region in wanted}
            excluded = {found.name: request.exclude_from_latest for request in target_regions
                        if request.exclude_from_latest is not None
                        and (found := catalog.find_location(request.name)) is not None}
        # Nothing changes until the update is accepted: a refused update leaves the version as it was.
        op = world.begin("sig.version.update", version, verb="update", kind="gallery image version")
        if merged is not None:
            for region in merged:
                region.replica_count = counts[region.name]
                region.exclude_from_latest = excluded.get(region.name, region.exclude_from_latest)
            if fresh:
                self._replicate(op, version, fresh)      # due times set before the new regions show
            version.target_regions = merged
        world.set_state(version, "provisioning_state", "Updating", "provisioningState")
        if replica_count is not None:
            version.replica_count = replica_count
            if target_regions is None:
                for region in version.target_regions:
                    region.replica_count = replica_count
        if exclude_from_latest is not None:
            world.set_state(version, "exclude_from_latest", exclude_from_latest, "publishingProfile.excludeFromLatest")
        if end_of_life_date is not None:
            version.end_of_life_date = end_of_life_date
        world.reprice(version)
        if not fresh:
            world.after(op, 1.0, "sig.version.replicated")
        return op

    def delete_version(self, version: GalleryImageVersion) -> Operation:
        world = self.world
        if version.block_deletion_before_end_of_life and version.end_of_life_date:
            from datetime import datetime

            eol = datetime.fromisoformat(version.end_of_life_date.replace("Z", "+00:00"))
            if seconds_of(eol) > world.now:
                raise errors.version_blocked_before_end_of_life()
        return self._delete(version, "sig.version.delete")

    def latest_version(self, definition: GalleryImageDefinition, location: str) -> GalleryImageVersion | None:
        candidates = []
        for version in self.versions(definition):
            region = version.region(location)
            if version.exclude_from_latest or region is None or region.exclude_from_latest:
                continue
            if region.state(self.world.now) == "Completed":
                candidates.append(version)
        return max(candidates, key=lambda v: v.version_key) if candidates else None

    def replication_state(self, version: GalleryImageVersion) -> str:
        states = {r.state(self.world.now) for r in version.target_regions}
        return "Completed" if states == {"Completed"} else "InProgress"


def _kind(source) -> str:
    return {Image: "image", VirtualMachine: "vm", GalleryImageVersion: "version", Snapshot: "snapshot"}[type(source)]


def end_of_life_text(world: "World", days: int) -> str:
    return date_of(world.now + days * 86400).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@phase("sig.version.replicated")
def _replicated(world: "World", op: Operation) -> None:
    version = world.get(op.resource_id)
    if not isinstance(version, GalleryImageVersion):
        world.succeed(op)
        return
    for region in version.target_regions:
        if region.due == world.now:
            world.announce(version, f"replicationStatus.{region.name}", "Replicating", "Completed")
    if all(region.state(world.now) == "Completed" for region in version.target_regions):
        world.set_state(version, "provisioning_state", "Succeeded", "provisioningState")
        world.succeed(op, version.id)
