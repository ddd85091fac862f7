"""What each resource costs per hour right now, at the catalog's approximate list prices.

Teaching proportions, not quoting: a stopped VM costs what a running one does, a deallocated one
costs nothing for compute, a full snapshot is billed for every used byte and an incremental one
for its delta.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog
from .resources import (
    Disk, GalleryImageVersion, Image, PublicIp, Resource, Snapshot, VirtualMachine,
)
from .storage import GIB

if TYPE_CHECKING:
    from .world import World

BILLED_POWER_STATES = frozenset({"starting", "running", "stopping", "stopped"})


def _per_month_to_hour(amount: float) -> float:
    return amount / catalog.HOURS_PER_MONTH


def hourly_rate(world: "World", resource: Resource) -> float:
    if isinstance(resource, VirtualMachine):
        if resource.power_state not in BILLED_POWER_STATES:
            return 0.0
        size = catalog.find_vm_size(resource.size)
        if size is None:
            return 0.0
        return size.price_windows_hour if resource.os_type == "Windows" else size.price_linux_hour
    if isinstance(resource, Disk):
        return _per_month_to_hour(catalog.disk_month_price(resource.sku, max(1, resource.size_gb)))
    if isinstance(resource, Snapshot):
        per_gib = catalog.SNAPSHOT_PRICE_GIB_MONTH.get(resource.sku, catalog.SNAPSHOT_PRICE_GIB_MONTH["Standard_LRS"])
        return _per_month_to_hour(per_gib * resource.billed_bytes / GIB)
    if isinstance(resource, Image):
        used = resource.os_disk.content.used_bytes + sum(d.content.used_bytes for d in resource.data_disks)
        return _per_month_to_hour(catalog.IMAGE_PRICE_GIB_MONTH * used / GIB)
    if isinstance(resource, GalleryImageVersion):
        used = resource.os_disk.content.used_bytes + sum(d.content.used_bytes for d in resource.data_disks)
        replicas = sum(region.replica_count for region in resource.target_regions)
        return _per_month_to_hour(catalog.GALLERY_REPLICA_PRICE_GIB_MONTH * replicas * used / GIB)
    if isinstance(resource, PublicIp):
        return catalog.PUBLIC_IP_PRICE_HOUR.get(resource.sku, 0.0)
    return 0.0
