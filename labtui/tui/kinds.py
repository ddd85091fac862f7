"""How each kind of resource looks in the TUI: its section in the tree, and a glyph, colour and word for
its state. A state is never shown by colour alone (the word is always there), and a transitional
state (Creating, VM deallocating, replicating) is marked as moving so the list can animate it."""

from __future__ import annotations

import attrs

from ..engine.resources import (Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface,
                                NetworkSecurityGroup, PublicIp, Resource, Snapshot, VirtualMachine, VirtualNetwork)
from ..engine.world import World

SPINNER = "◐◓◑◒"


@attrs.frozen
class Kind:
    key: str            # used by `:` jumps and as the section id
    title: str          # the section heading in the tree
    classes: tuple[type[Resource], ...]
    aliases: tuple[str, ...] = ()
    collapsed: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("vm", "Virtual machines", (VirtualMachine,), ("vms", "virtualmachine")),
    Kind("disk", "Disks", (Disk,), ("disks",)),
    Kind("snapshot", "Snapshots", (Snapshot,), ("snap", "snaps", "snapshots")),
    Kind("image", "Images", (Image,), ("img", "images")),
    Kind("gallery", "Galleries", (Gallery,), ("sig", "galleries")),
    Kind("definition", "Image definitions", (GalleryImageDefinition,), ("def", "defs", "definitions")),
    Kind("version", "Image versions", (GalleryImageVersion,), ("ver", "versions")),
    Kind("network", "Networking", (NetworkInterface, PublicIp, NetworkSecurityGroup, VirtualNetwork),
         ("net", "nic", "nsg", "vnet", "ip", "pip"), collapsed=True),
)
KIND_OF_CLASS = {cls: kind for kind in KINDS for cls in kind.classes}


def kind_named(word: str) -> Kind | None:
    word = word.strip().lower().lstrip(":")
    for kind in KINDS:
        if word == kind.key or word in kind.aliases:
            return kind
    return None


def display_name(resource: Resource) -> str:
    """Nested gallery resources show their parents: gallery/definition/1.0.0."""
    if isinstance(resource, GalleryImageDefinition):
        return f"{resource.gallery}/{resource.name}"
    if isinstance(resource, GalleryImageVersion):
        return f"{resource.gallery}/{resource.definition}/{resource.name}"
    return resource.name


@attrs.frozen
class Badge:
    glyph: str
    style: str          # a Rich style
    word: str
    moving: bool = False


def badge(world: World, resource: Resource) -> Badge:
    provisioning = resource.provisioning_state
    if provisioning in ("Creating", "Updating", "Deleting", "Migrating") and not isinstance(resource, VirtualMachine):
        return Badge("◐", "yellow", provisioning.lower(), moving=True)
    if provisioning == "Failed":
        return Badge("✖", "bold red", "failed")
    if isinstance(resource, VirtualMachine):
        return _vm_badge(resource)
    if isinstance(resource, Disk):
        if resource.sas_active or resource.disk_state == "ActiveSAS":
            return Badge("⇅", "yellow", "exporting (SAS)")
        return {"Attached": Badge("▣", "green", "attached"), "Reserved": Badge("▣", "dim", "reserved"),
                }.get(resource.disk_state, Badge("□", "cyan", "unattached"))
    if isinstance(resource, Snapshot):
        percent = world.snapshots.completion_percent(resource)
        if percent < 100:
            return Badge("◐", "yellow", f"copying {percent:.0f}%", moving=True)
        return Badge("◆", "magenta" if resource.incremental else "blue",
                     "incremental" if resource.incremental else "full")
    if isinstance(resource, Image):
        return Badge("◈", "magenta", "generalized")
    if isinstance(resource, GalleryImageVersion):
        regions = resource.target_regions
        done = sum(region.state(world.now) == "Completed" for region in regions)
        if done < len(regions):
            return Badge("◐", "yellow", f"replicating {done}/{len(regions)}", moving=True)
        return Badge("◇", "green", f"replicated {done}/{len(regions)}")
    if isinstance(resource, GalleryImageDefinition):
        return Badge("▦", "magenta", resource.os_state.lower())
    if isinstance(resource, Gallery):
        return Badge("▤", "blue", "gallery")
    return Badge("·", "dim", "")


def _vm_badge(vm: VirtualMachine) -> Badge:
    if vm.provisioning_state == "Failed":
        return Badge("✖", "bold red", "failed")
    if vm.provisioning_state in ("Creating", "Deleting"):
        return Badge("◐", "yellow", vm.provisioning_state.lower(), moving=True)
    state = vm.power_state
    if state in ("starting", "stopping", "deallocating"):
        return Badge("◐", "yellow", state, moving=True)
    suffix = ", generalized" if vm.generalized else ""
    if state == "running":
        return Badge("●", "green", "running" + suffix)
    if state == "stopped":
        return Badge("■", "yellow", "stopped (billed)" + suffix)
    return Badge("○", "dim", "deallocated" + suffix)
