"""Resource groups: create (idempotent PUT), delete (takes everything inside with it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog, errors, naming
from .operations import Operation, phase
from .resources import (
    Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface,
    NetworkSecurityGroup, PublicIp, ResourceGroup, Snapshot, VirtualMachine, VirtualNetwork,
)

if TYPE_CHECKING:
    from .world import World

# Delete dependants before what they depend on, as ARM's group deletion orders its work.
DELETE_ORDER = (VirtualMachine, NetworkInterface, PublicIp, NetworkSecurityGroup, VirtualNetwork,
                GalleryImageVersion, GalleryImageDefinition, Gallery, Image, Snapshot, Disk)


class Groups:
    def __init__(self, world: "World"):
        self.world = world

    def create(self, name: str, location: str, tags: dict[str, str] | None = None,
               managed_by: str | None = None) -> ResourceGroup:
        world = self.world
        naming.check_group(name)
        found = catalog.find_location(location)
        if found is None:
            raise errors.location_not_available_for_group(location, sorted(catalog.LOCATIONS))
        existing = world.group(name)
        if existing is not None:
            if existing.provisioning_state == "Deleting":
                raise errors.group_being_deleted(existing.name)
            if existing.location != found.name:
                raise errors.invalid_group_location(found.name, existing.location)
            if tags is not None:
                existing.tags = dict(tags)
            if managed_by is not None:
                existing.managed_by = managed_by
            world.instant("group.update", existing, verb="update", kind="resource group")
            return existing
        group = ResourceGroup(id=world.group_id(name), name=name, resource_group=name, location=found.name,
                              tags=dict(tags or {}), managed_by=managed_by)
        world.add(group)
        world.instant("group.create", group, verb="create", kind="resource group")
        return group

    def delete(self, name: str) -> Operation:
        world = self.world
        group = world.require_group(name)
        if group.provisioning_state == "Deleting":
            raise errors.group_being_deleted(group.name)
        op = world.begin("group.delete", group, verb="delete", kind="resource group")
        world.set_state(group, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS["group.delete"], "group.delete.done")
        return op


@phase("group.delete.done")
def _group_deleted(world: "World", op: Operation) -> None:
    group = world.get(op.resource_id)
    if group is None:
        world.succeed(op)
        return
    members = world.in_group(group.name)
    member_ids = {r.id.lower() for r in members}
    # A disk still attached to a VM in another group cannot be deleted; ARM deletes the rest and
    # fails the group deletion with that disk's error, leaving the group and the disk in place.
    blocked = [r for r in members if isinstance(r, Disk) and r.managed_by
               and r.managed_by.lower() not in member_ids]
    world.cancel_operations_on(member_ids - {d.id.lower() for d in blocked})
    for cls in DELETE_ORDER:
        for resource in [r for r in members if isinstance(r, cls) and r not in blocked]:
            if isinstance(resource, Disk) and resource.managed_by:
                resource.managed_by = None
            world.remove(resource)
    if blocked:
        world.set_state(group, "provisioning_state", "Succeeded", "provisioningState")
        world.fail(op, errors.disk_attached(blocked[0].name, blocked[0].managed_by or ""))
        return
    world.remove(group)
    world.succeed(op)
