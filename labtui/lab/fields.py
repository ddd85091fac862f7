"""What a lab's checks can look at: resource kinds by their short names, and the fields of each.

A field is either one of the resource's own attrs fields (``power_state``, ``sku``, ``incremental``)
or a derived one a teacher would ask about (``os_state``, ``image``, ``data_disk_count``,
``guest.installed``). Both validation (does this field exist for this kind?) and evaluation read
this one table, so a check can never name a field the evaluator does not know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import attrs

from ..engine.guest_state import GuestState
from ..engine.resources import (
    Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface,
    NetworkSecurityGroup, PublicIp, Resource, ResourceGroup, Snapshot, VirtualMachine, VirtualNetwork,
)

if TYPE_CHECKING:
    from ..engine.world import World

KINDS: dict[str, type[Resource]] = {
    "group": ResourceGroup,
    "vm": VirtualMachine,
    "disk": Disk,
    "snapshot": Snapshot,
    "image": Image,
    "gallery": Gallery,
    "image-definition": GalleryImageDefinition,
    "image-version": GalleryImageVersion,
    "nic": NetworkInterface,
    "public-ip": PublicIp,
    "nsg": NetworkSecurityGroup,
    "vnet": VirtualNetwork,
}
KIND_OF: dict[type[Resource], str] = {cls: kind for kind, cls in KINDS.items()}

Getter = Callable[["World", Any], Any]

# Attrs fields that are internal bookkeeping, not something Azure shows a student.
HIDDEN = {"content", "id", "unique_id", "source_unique_id", "family_id", "copy_started", "copy_due",
          "copy_error", "vm_id", "extra_bytes", "ssh_public_keys", "provisioning_error"}
# Fields whose values are ARM ids: a check compares them by the named resource, never by the id.
ID_FIELDS = {"source", "managed_by", "image", "os_disk", "os_disk_source", "data_disks"}


def _attr(name: str) -> Getter:
    return lambda world, resource: getattr(resource, name)


def _guest(vm_field: str) -> Getter:
    def get(world: "World", vm: VirtualMachine) -> Any:
        state = world.vms.guest_state(vm)
        return None if state is None else getattr(state, vm_field)
    return get


def _guest_files(world: "World", vm: VirtualMachine) -> list[str] | None:
    """The paths of files written in the guest (not directories, not deleted built-ins)."""
    state = world.vms.guest_state(vm)
    if state is None:
        return None
    return sorted(path for path in state.files if not path.endswith(("/", "\\", "\0")))


def _vm_image_kind(world: "World", vm: VirtualMachine) -> str | None:
    reference = vm.image_reference or {}
    if reference.get("offer"):
        return "marketplace"
    identifier = (reference.get("id") or "").lower()
    if "/providers/microsoft.compute/galleries/" in identifier:
        return "gallery"
    if "/providers/microsoft.compute/images/" in identifier:
        return "image"
    return None


def _vm_image_version(world: "World", vm: VirtualMachine) -> str | None:
    """The gallery image version a VM was made from, even when the student named only the definition."""
    reference = vm.image_reference or {}
    identifier = reference.get("id") or ""
    if "/versions/" in identifier.lower():
        return identifier.rsplit("/", 1)[-1]
    return reference.get("exactVersion") if _vm_image_kind(world, vm) == "gallery" else None


def _vm_image(world: "World", vm: VirtualMachine) -> str | None:
    reference = vm.image_reference or {}
    if reference.get("id"):
        return reference["id"]
    if reference.get("offer"):
        return ":".join(str(reference.get(part, "")) for part in ("publisher", "offer", "sku", "version"))
    return None


def _version_regions(state: str | None) -> Getter:
    def get(world: "World", version: GalleryImageVersion) -> list[str]:
        return [r.name for r in version.target_regions if state is None or r.state(world.now) == state]
    return get


def _snapshot_completion(world: "World", snap: Snapshot) -> float:
    return world.snapshots.completion_percent(snap)


DERIVED: dict[type[Resource], dict[str, Getter]] = {
    VirtualMachine: {
        "os_state": lambda w, vm: "Generalized" if vm.generalized else "Specialized",
        "image": _vm_image,
        "image_kind": _vm_image_kind,
        "image_version": _vm_image_version,
        "os_disk": _attr("os_disk_id"),
        "data_disks": lambda w, vm: [d.disk_id for d in vm.data_disks],
        "data_disk_count": lambda w, vm: len(vm.data_disks),
        "allocated": lambda w, vm: vm.allocated,
        "provisioning_error": lambda w, vm: (vm.provisioning_error or {}).get("code"),
        **{f"guest.{field.name}": _guest(field.name) for field in attrs.fields(GuestState)},
        "guest.files": _guest_files,
    },
    Disk: {
        "source": _attr("source_resource_id"),
        "attached": lambda w, disk: disk.managed_by is not None,
    },
    Snapshot: {
        "source": _attr("source_resource_id"),
        "billed_gb": lambda w, snap: round(snap.billed_bytes / 2**30, 3),
        "completion_percent": _snapshot_completion,
        "copy_failed": lambda w, snap: snap.copy_error is not None,
    },
    Image: {
        "source": _attr("source_vm_id"),
        "os_type": lambda w, image: image.os_disk.os_type,
        "os_state": lambda w, image: image.os_disk.os_state,
        "os_disk_source": lambda w, image: image.os_disk.snapshot_id or image.os_disk.managed_disk_id,
        "data_disk_count": lambda w, image: len(image.data_disks),
    },
    GalleryImageDefinition: {
        "security_type": lambda w, definition: definition.security_feature,
        "version_count": lambda w, definition: len(w.galleries.versions(definition)),
    },
    GalleryImageVersion: {
        "source": _attr("source_id"),
        "regions": _version_regions(None),
        "replicated_regions": _version_regions("Completed"),
        "replication_state": lambda w, version: w.galleries.replication_state(version),
    },
    ResourceGroup: {
        "resource_count": lambda w, group: len(w.in_group(group.name)),
    },
}

COMMON: dict[str, Getter] = {"group": lambda w, r: r.resource_group}


def _plain_fields(cls: type[Resource]) -> dict[str, Getter]:
    fields: dict[str, Getter] = {}
    for field in attrs.fields(cls):
        if field.name in HIDDEN or field.name.startswith("_"):
            continue
        fields[field.name] = _attr(field.name)
    return fields


FIELDS: dict[type[Resource], dict[str, Getter]] = {
    cls: {**_plain_fields(cls), **COMMON, **DERIVED.get(cls, {})} for cls in KINDS.values()
}
# Fields that hold structures rather than values a check can compare; leave them to derived fields.
for _cls, _fields in FIELDS.items():
    for _name in ("data_disks", "target_regions", "subnets", "rules", "features", "os_disk", "image_reference",
                  "gallery_image_reference"):
        if _name in _fields and _name not in DERIVED.get(_cls, {}):
            del _fields[_name]


def field_names(kind: str) -> list[str]:
    return sorted(FIELDS[KINDS[kind]])


def read(world: "World", resource: Resource, field: str) -> Any:
    return FIELDS[type(resource)][field](world, resource)


def is_id_field(field: str) -> bool:
    return field in ID_FIELDS or field.endswith("_id") or field.endswith("_ids")
