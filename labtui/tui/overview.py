"""The Overview tab: the fields of a resource a student needs, in words, with what each costs now.
Pure: a list of (label, value) pairs from the World."""

from __future__ import annotations

from ..engine import catalog
from ..engine.render import POWER_DISPLAY
from ..engine.resources import (Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface,
                                PublicIp, Resource, ResourceGroup, Snapshot, VirtualMachine)
from ..engine.world import World
from .kinds import display_name

GIB = 2 ** 30


def name_of(world: World, resource_id: str | None) -> str:
    if not resource_id:
        return "—"
    found = world.get(resource_id)
    return display_name(found) if found is not None else f"{resource_id.rsplit('/', 1)[-1]} (deleted)"


def facts(world: World, resource: Resource) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("Name", display_name(resource)), ("Type", resource.TYPE)]
    if not isinstance(resource, ResourceGroup):
        rows.append(("Resource group", resource.resource_group))
    rows += [("Location", resource.location), ("Provisioning", resource.provisioning_state)]
    rows += _specific(world, resource)
    rate = world.rate_of(resource)
    rows.append(("Cost now", f"${rate:.4f}/hour ({catalog.PRICE_LABEL})" if rate else "nothing billed"))
    if resource.tags:
        rows.append(("Tags", ", ".join(f"{k}={v}" for k, v in resource.tags.items())))
    return rows


def _specific(world: World, resource: Resource) -> list[tuple[str, str]]:
    if isinstance(resource, VirtualMachine):
        data = ", ".join(f"LUN {d.lun}: {d.name}" for d in resource.data_disks) or "none"
        source = resource.image_reference or {}
        image = source.get("id") or ":".join(str(source.get(k, "")) for k in ("publisher", "offer", "sku", "version")
                                              if source.get(k)) or "attached OS disk"
        billed = "compute billed" if resource.allocated else "compute not billed"
        return [("Power state", f"{POWER_DISPLAY.get(resource.power_state, resource.power_state)} ({billed})"),
                ("OS state", "Generalized" if resource.generalized else "Specialized (a normal, running identity)"),
                ("Size", resource.size), ("OS", resource.os_type),
                ("Hyper-V generation", resource.hyper_v_generation),
                ("Security type", resource.security_type or "Standard"),
                ("Image", name_of(world, image) if image.startswith("/") else image),
                ("OS disk", name_of(world, resource.os_disk_id)), ("Data disks", data)]
    if isinstance(resource, Disk):
        return [("Disk state", resource.disk_state), ("Size", f"{resource.size_gb} GiB"), ("SKU", resource.sku),
                ("Created", _creation(world, resource.create_option, resource.source_resource_id)),
                ("Attached to", name_of(world, resource.managed_by) if resource.managed_by else "no VM"),
                ("OS type", resource.os_type or "none (a data disk)"),
                ("Hyper-V generation", resource.hyper_v_generation or "—"),
                ("Used", f"{resource.content.used_bytes / GIB:.2f} GiB written")]
    if isinstance(resource, Snapshot):
        kind = "incremental (bills the blocks changed since the previous snapshot)" if resource.incremental \
            else "full (bills every used block)"
        return [("Kind", kind), ("Source", name_of(world, resource.source_resource_id)),
                ("Size", f"{resource.size_gb} GiB"), ("Billed size", f"{resource.billed_bytes / GIB:.2f} GiB"),
                ("SKU", resource.sku), ("OS type", resource.os_type or "none"),
                ("Copy", f"{world.snapshots.completion_percent(resource):.0f}% complete")]
    if isinstance(resource, Image):
        data = ", ".join(f"LUN {d.lun}" for d in resource.data_disks) or "none"
        return [("OS state", "Generalized (managed images always are)"), ("OS", resource.os_disk.os_type or "—"),
                ("Hyper-V generation", resource.hyper_v_generation),
                ("Captured from", name_of(world, resource.source_vm_id or resource.os_disk.managed_disk_id
                                          or resource.os_disk.snapshot_id)),
                ("Data disks", data)]
    if isinstance(resource, Gallery):
        return [("Definitions", str(len(world.galleries.definitions(resource))))]
    if isinstance(resource, GalleryImageDefinition):
        return [("Publisher/offer/SKU", f"{resource.publisher} / {resource.offer} / {resource.sku}"),
                ("OS", resource.os_type), ("OS state", resource.os_state),
                ("Hyper-V generation", resource.hyper_v_generation),
                ("Versions", ", ".join(v.name for v in world.galleries.versions(resource)) or "none yet")]
    if isinstance(resource, GalleryImageVersion):
        regions = ", ".join(f"{r.name} ×{r.replica_count}: {r.state(world.now)} {r.progress(world.now)}%"
                            for r in resource.target_regions)
        return [("Source", name_of(world, resource.source_id)), ("Replication", regions),
                ("Excluded from latest", "yes" if resource.exclude_from_latest else "no"),
                ("End of life", resource.end_of_life_date or "—")]
    if isinstance(resource, NetworkInterface):
        return [("Private IP", resource.private_ip), ("MAC", resource.mac_address),
                ("VM", name_of(world, resource.vm_id) if resource.vm_id else "none")]
    if isinstance(resource, PublicIp):
        return [("Address", resource.ip_address), ("SKU", resource.sku)]
    if isinstance(resource, ResourceGroup):
        return [("Resources", str(len(world.in_group(resource.name))))]
    return []


def _creation(world: World, option: str, source: str | None) -> str:
    return f"{option} from {name_of(world, source)}" if source else option
