"""What the student can do to a resource from the TUI, as az command lines.

Every action is an az line the student sees before it runs (a click teaches the command). Simple
actions run their line at once (destructive ones confirm first); create actions open a form that
builds the line as the fields are filled in. The az layer, not the UI, decides whether Azure allows
it, so a refused action shows Azure's own error.

Kept free of Textual: the keys, the command palette, the forms and the tests all read these tables.
"""

from __future__ import annotations

import shlex
from typing import Callable

import attrs

from ..engine import catalog
from ..engine.resources import (Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, Resource,
                                ResourceGroup, Snapshot, VirtualMachine)
from ..engine.world import World


def q(value: str) -> str:
    return shlex.quote(value)


# --- forms --------------------------------------------------------------------------------------

@attrs.frozen
class Field:
    flag: str                       # "--name"; "" for a positional word
    label: str
    default: str = ""
    choices: tuple[str, ...] = ()   # a closed list: shown as a select
    required: bool = False
    switch: bool = False            # a flag without a value (--incremental); the value is "true"/"false"
    help: str = ""


@attrs.frozen
class Form:
    title: str
    command: str                    # "vm create"
    fields: tuple[Field, ...]
    explanation: str = ""

    def line(self, values: dict[str, str]) -> str:
        """The az line for these values: required and filled-in fields, in the form's order."""
        words = ["az", *self.command.split()]
        for field in self.fields:
            value = values.get(field.flag, field.default).strip()
            if field.switch:
                if value == "true":
                    words.append(field.flag)
                continue
            if not value:
                continue
            if field.flag == "--target-regions":
                words += [field.flag, *(q(v) for v in value.split())]
            else:
                words += [field.flag, q(value)]
        return " ".join(words)

    def missing(self, values: dict[str, str]) -> list[str]:
        return [f.label for f in self.fields if f.required and not values.get(f.flag, f.default).strip()]


def _groups(world: World) -> tuple[str, ...]:
    return tuple(g.name for g in world.list(ResourceGroup))


def _group_of(world: World, resource: Resource | None) -> str:
    if resource is None:
        groups = _groups(world)
        return groups[0] if groups else ""
    return resource.name if isinstance(resource, ResourceGroup) else resource.resource_group


LOCATIONS = tuple(sorted(catalog.LOCATIONS))
DISK_SKUS = ("Premium_LRS", "StandardSSD_LRS", "Standard_LRS", "Premium_ZRS", "StandardSSD_ZRS")


def vm_form(world: World, resource: Resource | None) -> Form:
    image = "Ubuntu2204"
    if isinstance(resource, (Image, GalleryImageVersion, GalleryImageDefinition)):
        image = resource.id
    return Form("Create a virtual machine", "vm create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--name", "Name", "", required=True),
        Field("--image", "Image (alias, URN, image or gallery id)", image, required=True),
        Field("--size", "Size", catalog.DEFAULT_VM_SIZE),
        Field("--admin-username", "Admin username", "azureuser"),
        Field("--generate-ssh-keys", "Generate SSH keys (Linux)", "true", switch=True),
        Field("--admin-password", "Admin password (Windows)", ""),
    ), "A VM from an image gets a fresh identity when the image is generalized.")


def disk_form(world: World, resource: Resource | None) -> Form:
    source = resource.id if isinstance(resource, (Snapshot, Disk)) else ""
    name = f"{resource.name}-disk" if isinstance(resource, Snapshot) else ""
    return Form("Create a managed disk", "disk create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--name", "Name", name, required=True),
        Field("--source", "Source (snapshot or disk id); empty for a blank disk", source),
        Field("--size-gb", "Size (GiB); needed for a blank disk", "" if source else "32"),
        Field("--sku", "SKU", "Premium_LRS", DISK_SKUS),
    ), "A disk made from a snapshot holds exactly the snapshot's blocks.")


def snapshot_form(world: World, resource: Resource | None) -> Form:
    source = ""
    if isinstance(resource, VirtualMachine):
        source = resource.os_disk_id
    elif isinstance(resource, (Disk, Snapshot)):
        source = resource.id
    base = resource.name if isinstance(resource, (VirtualMachine, Disk)) else "snap"
    return Form("Create a snapshot", "snapshot create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--name", "Name", f"{base}-snap" if source else "", required=True),
        Field("--source", "Source (a disk or snapshot id)", source, required=True),
        Field("--incremental", "Incremental (bills only the changed blocks)", "true", switch=True),
        Field("--sku", "SKU", "Standard_LRS", ("Standard_LRS", "Standard_ZRS", "Premium_LRS")),
    ), "Incremental snapshots of one disk form a chain; each bills only what changed since the last one.")


def image_form(world: World, resource: Resource | None) -> Form:
    source = resource.id if isinstance(resource, (VirtualMachine, Disk, Snapshot)) else ""
    os_type = ""
    if isinstance(resource, (Disk, Snapshot)):
        os_type = resource.os_type or "Linux"
    generation = getattr(resource, "hyper_v_generation", None) or "V1"
    base = resource.name if source else "image"
    return Form("Capture a managed image", "image create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--name", "Name", f"{base}-image", required=True),
        Field("--source", "Source (a generalized VM, or a disk or snapshot of a generalized OS)", source,
              required=True),
        Field("--os-type", "OS type (for a disk or snapshot source)", os_type, ("", "Linux", "Windows")),
        Field("--hyper-v-generation", "Hyper-V generation", generation, ("V1", "V2")),
    ), "A managed image is always generalized: capture only a VM whose guest was generalized first.")


def gallery_form(world: World, resource: Resource | None) -> Form:
    return Form("Create an Azure Compute Gallery", "sig create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--gallery-name", "Gallery name (letters, digits, dots, underscores)", "", required=True),
    ))


def definition_form(world: World, resource: Resource | None) -> Form:
    gallery = resource.name if isinstance(resource, Gallery) else ""
    return Form("Create an image definition", "sig image-definition create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--gallery-name", "Gallery", gallery, required=True),
        Field("--gallery-image-definition", "Definition name", "", required=True),
        Field("--publisher", "Publisher", "", required=True),
        Field("--offer", "Offer", "", required=True),
        Field("--sku", "SKU", "", required=True),
        Field("--os-type", "OS type", "Linux", ("Linux", "Windows"), True),
        Field("--os-state", "OS state", "Generalized", ("Generalized", "Specialized")),
        Field("--hyper-v-generation", "Hyper-V generation", "V2", ("V1", "V2")),
    ), "The definition's OS state must match the source of its versions.")


def version_form(world: World, resource: Resource | None) -> Form:
    gallery = definition = ""
    if isinstance(resource, GalleryImageDefinition):
        gallery, definition = resource.gallery, resource.name
    source = resource.id if isinstance(resource, (Image, VirtualMachine)) else ""
    location = getattr(resource, "location", "") or "eastus"
    return Form("Create an image version", "sig image-version create", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--gallery-name", "Gallery", gallery, required=True),
        Field("--gallery-image-definition", "Definition", definition, required=True),
        Field("--gallery-image-version", "Version (major.minor.patch)", "1.0.0", required=True),
        Field("--managed-image", "Source: a managed image id", source if isinstance(resource, Image) else ""),
        Field("--virtual-machine", "Source: a VM id", source if isinstance(resource, VirtualMachine) else ""),
        Field("--target-regions", "Target regions (space-separated)", location),
    ), "Each target region holds its own replica; a VM can only be created where the version is replicated.")


def attach_form(world: World, resource: Resource | None) -> Form:
    vm = resource.name if isinstance(resource, VirtualMachine) else ""
    disk = resource.name if isinstance(resource, Disk) else ""
    return Form("Attach a data disk", "vm disk attach", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--vm-name", "VM", vm, required=True),
        Field("--name", "Disk name", disk, required=True),
    ))


def detach_form(world: World, resource: Resource | None) -> Form:
    vm = resource.name if isinstance(resource, VirtualMachine) else ""
    disks = tuple(d.name for d in resource.data_disks) if isinstance(resource, VirtualMachine) else ()
    return Form("Detach a data disk", "vm disk detach", (
        Field("--resource-group", "Resource group", _group_of(world, resource), _groups(world), True),
        Field("--vm-name", "VM", vm, required=True),
        Field("--name", "Disk name", disks[0] if disks else "", disks, required=True),
    ))


def group_form(world: World, resource: Resource | None) -> Form:
    return Form("Create a resource group", "group create", (
        Field("--name", "Name", "", required=True),
        Field("--location", "Location", "eastus", LOCATIONS, True),
    ))


FORMS: dict[str, Callable[[World, Resource | None], Form]] = {
    "group": group_form, "vm": vm_form, "disk": disk_form, "snapshot": snapshot_form, "image": image_form,
    "gallery": gallery_form, "definition": definition_form, "version": version_form, "attach": attach_form,
    "detach": detach_form,
}


# --- actions on the selected resource -------------------------------------------------------------

@attrs.frozen
class Action:
    key: str                        # the binding on the resource list
    label: str
    kinds: tuple[type[Resource], ...]
    command: str = ""               # "vm start": run at once with -g/-n of the resource
    form: str = ""                  # or open this form, prefilled from the resource
    confirm: str = ""               # ask first, with this warning
    extra: str = ""                 # more flags for the line ("--yes")
    console: bool = False           # open the VM's guest console

    def line(self, resource: Resource) -> str:
        if isinstance(resource, ResourceGroup):
            target = f"--name {q(resource.name)}"
        elif isinstance(resource, (Gallery, GalleryImageDefinition, GalleryImageVersion)):
            target = _gallery_target(resource)
        else:
            target = f"--resource-group {q(resource.resource_group)} --name {q(resource.name)}"
        return " ".join(part for part in ("az", self.command, target, self.extra) if part)


def _gallery_target(resource: Resource) -> str:
    group = f"--resource-group {q(resource.resource_group)}"
    if isinstance(resource, Gallery):
        return f"{group} --gallery-name {q(resource.name)}"
    if isinstance(resource, GalleryImageDefinition):
        return f"{group} --gallery-name {q(resource.gallery)} --gallery-image-definition {q(resource.name)}"
    assert isinstance(resource, GalleryImageVersion)
    return (f"{group} --gallery-name {q(resource.gallery)} --gallery-image-definition {q(resource.definition)} "
            f"--gallery-image-version {q(resource.name)}")


VM = (VirtualMachine,)
ACTIONS: tuple[Action, ...] = (
    Action("s", "Start", VM, "vm start"),
    Action("x", "Stop (stays allocated and billed)", VM, "vm stop"),
    Action("d", "Deallocate (stops the compute bill)", VM, "vm deallocate"),
    Action("r", "Restart", VM, "vm restart"),
    Action("g", "Generalize (mark the VM generalized; it cannot start again)", VM, "vm generalize",
           confirm="Generalizing cannot be undone: the VM will never start again. Has its guest been "
                   "generalized (Sysprep or waagent -deprovision) first?"),
    Action("o", "Open the guest console", VM, console=True),
    Action("c", "Capture a managed image…", (VirtualMachine, Disk, Snapshot), form="image"),
    Action("n", "Snapshot…", (VirtualMachine, Disk, Snapshot), form="snapshot"),
    Action("k", "Create a disk from this snapshot…", (Snapshot,), form="disk"),
    Action("a", "Attach a data disk…", (VirtualMachine, Disk), form="attach"),
    Action("t", "Detach a data disk…", VM, form="detach"),
    Action("v", "Create a VM from this image…", (Image, GalleryImageDefinition, GalleryImageVersion), form="vm"),
    Action("i", "Create an image definition…", (Gallery,), form="definition"),
    Action("u", "Create an image version…", (GalleryImageDefinition, Image, VirtualMachine), form="version"),
    Action("delete", "Delete", (VirtualMachine,), "vm delete", confirm="Delete this VM? Its OS disk stays unless "
           "it was created to be deleted with the VM.", extra="--yes"),
    Action("delete", "Delete", (Disk,), "disk delete", confirm="Delete this disk and its data?", extra="--yes"),
    Action("delete", "Delete", (Snapshot,), "snapshot delete", confirm="Delete this snapshot?"),
    Action("delete", "Delete", (Image,), "image delete", confirm="Delete this image?"),
    Action("delete", "Delete", (Gallery,), "sig delete", confirm="Delete this gallery?"),
    Action("delete", "Delete", (GalleryImageDefinition,), "sig image-definition delete",
           confirm="Delete this image definition?"),
    Action("delete", "Delete", (GalleryImageVersion,), "sig image-version delete",
           confirm="Delete this image version?"),
    Action("delete", "Delete the group and everything in it", (ResourceGroup,), "group delete",
           confirm="Delete the resource group and every resource in it?", extra="--yes"),
)


def actions_for(resource: Resource | None) -> list[Action]:
    if resource is None:
        return []
    return [action for action in ACTIONS if isinstance(resource, action.kinds)]


def action_for_key(resource: Resource | None, key: str) -> Action | None:
    return next((action for action in actions_for(resource) if action.key == key), None)
