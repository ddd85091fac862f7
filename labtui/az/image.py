"""az image (legacy managed images), and `az image copy` once the image-copy-extension is added."""

from __future__ import annotations

from typing import Any

from ..engine import catalog, errors
from ..engine.resources import Disk, Image, Snapshot, VirtualMachine
from . import argtypes, generic
from .disk import identified_args
from .framework import Command, Context, Example, parse_tags, shown
from .parser import AzUsageError
from .vm import DEALLOCATE_GENERALIZE_CAPTURE

TABLE = "[].{Name:name, ResourceGroup:resourceGroup, Location:location, HyperVGeneration:hyperVGeneration, " \
        "ProvisioningState:provisioningState}"
NAME_HELP = "The name of the image."


def _resolve_source(ctx: Context, text: str, group: str) -> str:
    """A VM, then a snapshot, then a disk in -g (az's lookup order); the last lookup's 404 surfaces."""
    if text.startswith("/"):
        return text
    for cls in (VirtualMachine, Snapshot, Disk):
        found = ctx.world.find(cls, group, text)
        if found is not None:
            return found.id
    raise errors.resource_not_found(Disk.TYPE, text, group)


def _create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    group = ctx.required_group()
    ctx.validating = True
    world.require_group(group)
    source_id = _resolve_source(ctx, args.source, group)
    ctx.validating = False
    source = world.get(source_id)
    if isinstance(source, VirtualMachine) and args.data_disk_sources:
        raise AzUsageError("'--data-disk-sources' is not allowed when capturing images from virtual machines", 1)
    if isinstance(source, (Disk, Snapshot)) and not args.os_type:
        raise AzUsageError("usage error: os type is required to create the image, please specify '--os-type "
                           "OS_TYPE'", 1)
    data_ids = tuple(_resolve_source(ctx, d, group) for d in args.data_disk_sources or ())
    location = ctx.location_or_default()
    op = world.images.create(group, args.name, source_id=source_id, location=location,
                             hyper_v_generation=args.hyper_v_generation, os_type=args.os_type,
                             data_disk_source_ids=data_ids, storage_sku=args.storage_sku,
                             zone_resilient=bool(args.zone_resilient), tags=parse_tags(args.tags),
                             os_disk_caching=args.os_disk_caching, data_disk_caching=args.data_disk_caching)
    ctx.run(op)
    return None if ctx.no_wait else shown(world, world.get(op.resource_id))


def _show(ctx: Context) -> Any:
    return shown(ctx.world, ctx.target(Image))


def _list(ctx: Context) -> list[dict]:
    return ctx.listed(Image)


def _update(ctx: Context) -> Any:
    world, args = ctx.world, ctx.args
    image = ctx.target(Image)
    before = shown(world, image)
    after = generic.apply(before, args.set, args.add, args.remove, args.force_string)
    tags = parse_tags(args.tags) if args.tags is not None else None
    for path in generic.changed_paths(before, after):
        if path.split(".")[0] != "tags":
            raise errors.property_change_not_allowed(path)
        tags = after.get("tags") or {}
    ctx.run(world.images.update(image, tags=tags))
    return shown(world, image)


def _delete(ctx: Context) -> None:
    for image in ctx.targets(Image):
        ctx.run(ctx.world.images.delete(image))
    return None


def _copy(ctx: Context) -> None:
    """The image-copy-extension: it snapshots the image's source OS disk, copies it, builds images."""
    args, world = ctx.args, ctx.world
    if args.source_type == "vm":
        vm = world.require(VirtualMachine, args.source_resource_group, args.source_object_name)
        image = None
        source_disk = world.vms.os_disk(vm)
    else:
        image = world.require(Image, args.source_resource_group, args.source_object_name)
        source_disk = world.images.source_os_disk(image)
    ctx.warn("Getting OS disk ID of the source VM/image")
    if source_disk is None:
        raise AzUsageError("Unable to find the source OS disk. Please make sure the source OS disk is not deleted.\n"
                           " If you deleted the source disk where the image was created (or chose to delete the VM "
                           "while creating the image). Please refer to https://github.com/Azure/azure-cli/issues/"
                           "25431 for temporary solution.", 3)
    if image is None:
        raise AzUsageError("Copying from a VM is not supported by labtui's image-copy; capture an image first.", 1)
    target_group = args.target_resource_group
    world.require_group(target_group)
    for location_text in args.target_location:
        location = catalog.find_location(location_text)
        if location is None:
            raise errors.location_not_available_for_type(location_text, Image.TYPE, sorted(catalog.LOCATIONS))
        name = args.target_name or f"{image.name}-{location.name}"
        ctx.finish(world.images.copy(image, target_group, name, location.name))
    return None


def _create_args(p) -> None:
    argtypes.resource_group(p, needed=True)
    argtypes.name(p, "New image name.", required=True)
    p.add_argument("--source", required=True, help="OS disk source from the same region, including a virtual machine "
                   "ID or name, OS disk blob URI, managed OS disk ID or name, or OS snapshot ID or name.")
    argtypes.os_type(p)
    argtypes.hyper_v_generation(p, default="V1", help="The hypervisor generation of the Virtual Machine created from "
                                "the image.")
    p.add_argument("--data-disk-sources", nargs="+", dest="data_disk_sources", help="Space-separated list of data "
                   "disk sources, including unmanaged blob URI, managed disk ID or name, or snapshot ID or name.")
    argtypes.enum(p, "--os-disk-caching", choices=catalog.CACHING_MODES, dest="os_disk_caching",
                  help="Storage caching type for the image's OS disk (a VM source keeps its own).")
    argtypes.enum(p, "--data-disk-caching", choices=catalog.CACHING_MODES, dest="data_disk_caching",
                  help="Storage caching type for the image's data disks (a VM source keeps its "
                  "own).")
    argtypes.enum(p, "--storage-sku", choices=catalog.DISK_SKUS, dest="storage_sku", help="The SKU of the storage "
                  "account with which to create the VM image. Unused if source VM is specified.")
    argtypes.boolean(p, "--zone-resilient", dest="zone_resilient", help="Specifies whether an image is zone "
                     "resilient or not.")
    argtypes.location(p)
    argtypes.tags(p)


def _update_args(p) -> None:
    argtypes.identified(p, NAME_HELP, ("--name", "-n", "--image-name"))
    argtypes.tags(p)
    generic.update_arguments(p)


def _list_args(p) -> None:
    argtypes.resource_group(p)


def _copy_args(p) -> None:
    p.add_argument("--source-resource-group", required=True, help="Name of the resource group of the source "
                   "resource.")
    p.add_argument("--source-object-name", required=True, help="The name of the image or vm resource.")
    p.add_argument("--target-location", nargs="+", required=True, help="Space-separated location list to create "
                   "the image in (e.g. westeurope etc.).")
    p.add_argument("--target-resource-group", required=True, help="Name of the resource group to create images in.")
    argtypes.enum(p, "--source-type", choices=("image", "vm"), dest="source_type", default="image",
                  help="The type of the source.")
    p.add_argument("--target-name", help="Name of the final image that will be created.")
    p.add_argument("--cleanup", action="store_true", help="Include this switch to delete temporary resources upon "
                   "completion.")
    p.add_argument("--export-as-snapshot", action="store_true", help="Include this switch to export the copies as "
                   "snapshots instead of images.")


COMMANDS = [
    Command("image create", _create, _create_args, "Create a custom Virtual Machine Image from managed disks or "
            "snapshots.", validator_exit=2, examples=DEALLOCATE_GENERALIZE_CAPTURE + (
                Example("Create an image from a Gen2 VM.", "az image create -g MyResourceGroup -n image1 --source "
                        "MyVm --hyper-v-generation V2"),)),
    Command("image show", _show, identified_args(NAME_HELP, ("--name", "-n", "--image-name")),
            "Get an image."),
    Command("image list", _list, _list_args, "List custom VM images.", table=TABLE),
    Command("image update", _update, _update_args, "Update custom VM images."),
    Command("image delete", _delete, identified_args(NAME_HELP, ("--name", "-n", "--image-name")), "Delete an "
            "image."),
    Command("image copy", _copy, _copy_args, "Copy a managed image (or vm) to other regions. It requires that the "
            "source disk is available.", extension="image-copy-extension",
            examples=(Example("Copy an image to two regions.", "az image copy --source-resource-group mySources-rg "
                              "--source-object-name myImage --target-location uksouth northeurope "
                              "--target-resource-group images-repo --cleanup"),)),
]
