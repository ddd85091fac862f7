"""az disk."""

from __future__ import annotations

from typing import Any

from ..engine import catalog, errors
from ..engine.resources import Disk, Snapshot
from . import argtypes, generic
from .framework import Command, Context, Example, parse_tags, shown
from .parser import AzUsageError

TABLE = ("[].{Name:name, ResourceGroup:resourceGroup, Location:location, Zones:zones, Sku:sku.name, "
         "OsType:osType, SizeGb:diskSizeGB, ProvisioningState:provisioningState}")


def resolve_copy_source(ctx: Context, text: str, group: str, usage: str) -> str:
    """A --source as az's validator reads it: an id, else a snapshot name, else a disk name, in -g."""
    if text.startswith("/"):
        lowered = text.lower()
        if "/providers/microsoft.compute/disks/" in lowered or "/providers/microsoft.compute/snapshots/" in lowered:
            return text
        raise AzUsageError(usage, 1)
    for cls in (Snapshot, Disk):
        found = ctx.world.find(cls, group, text)
        if found is not None:
            return found.id
    raise AzUsageError(usage, 1)


def _create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    group = ctx.required_group()
    source_id = None
    if args.source:
        ctx.world.require_group(group)
        source_id = resolve_copy_source(ctx, args.source, group, "usage error: --source {SNAPSHOT | DISK | "
                                        "RESTOREPOINT} | --source VHD_BLOB_URI [--source-storage-account-id ID]")
    location = ctx.location_or_default()
    image = None
    if args.image_reference:
        reference = args.image_reference
        if not reference.startswith("/") and reference.count(":") != 3:
            raise AzUsageError("usage error: --image-reference should be ID or URN (publisher:offer:sku:version).", 1)
        image = _platform_image(ctx, reference, location or ctx.world.require_group(group).location)
    if args.gallery_image_reference and (source_id or image):
        # Each names where the disk's content comes from; a disk has one source.
        raise AzUsageError("usage error: --gallery-image-reference cannot be used together with --source or "
                           "--image-reference", 1)
    gallery_version_id = args.gallery_image_reference
    if not source_id and not image and not gallery_version_id and not args.size_gb:
        raise AzUsageError("usage error: --size-gb is required to create an empty disk", 1)
    op = world.disks.create(group, args.name, location=location, size_gb=args.size_gb, sku=args.sku or "Premium_LRS",
                            source_id=source_id, image=image, os_type=args.os_type,
                            hyper_v_generation=args.hyper_v_generation, zone=args.zone, tags=parse_tags(args.tags),
                            gallery_version_id=gallery_version_id)
    ctx.run(op)
    return None if ctx.no_wait else shown(world, world.get(op.resource_id))


def _platform_image(ctx: Context, reference: str, location: str) -> catalog.MarketplaceImage:
    """The Marketplace image an --image-reference URN or id names. An id names the image in one
    region: a disk elsewhere cannot use it (the platform's exact answer is not known; labtui gives
    the not-available error, as for an image that is nowhere)."""
    if not reference.startswith("/"):
        image = catalog.find_image(reference)
    else:
        found = catalog.find_image_by_id(reference)
        disk_region = catalog.find_location(location)        # None: disks.create words a wrong -l
        same_region = found is not None and (disk_region is None or catalog.find_location(found[1]) == disk_region)
        image = found[0] if found is not None and same_region else None
    if image is None:
        raise errors.platform_image_not_available(reference)
    return image


def _show(ctx: Context) -> Any:
    return shown(ctx.world, ctx.target(Disk))


def _list(ctx: Context) -> list[dict]:
    ctx.required_group()    # az 2.91 requires -g for disk list
    return ctx.listed(Disk)


def _update(ctx: Context) -> Any:
    world, args = ctx.world, ctx.args
    disk = ctx.target(Disk)
    before = shown(world, disk)
    after = generic.apply(before, args.set, args.add, args.remove, args.force_string)
    changes = generic.changed_paths(before, after)
    size, sku, policy = args.size_gb, args.sku, args.network_access_policy
    tags = parse_tags(args.tags) if args.tags is not None else None
    for path, value in changes.items():
        if path == "diskSizeGB":
            size = int(value)
        elif path == "sku.name":
            sku = str(value)
        elif path == "networkAccessPolicy":
            policy = str(value)
        elif path.split(".")[0] == "tags":
            tags = after.get("tags") or {}
        else:
            raise errors.property_change_not_allowed(path)
    ctx.run(world.disks.update(disk, size_gb=size, sku=sku, tags=tags, network_access_policy=policy))
    return None if ctx.no_wait else shown(world, disk)


def _delete(ctx: Context) -> None:
    disks = ctx.targets(Disk)
    ctx.confirm()
    for disk in disks:
        ctx.run(ctx.world.disks.delete(disk))
    return None


def grant_access(cls):
    def handler(ctx: Context) -> Any:
        resource = ctx.target(cls)
        return ctx.run(ctx.world.disks.grant_access(resource, ctx.args.duration_in_seconds, ctx.args.access_level))

    return handler


def revoke_access(cls):
    def handler(ctx: Context) -> None:
        ctx.run(ctx.world.disks.revoke_access(ctx.target(cls)))
        return None

    return handler


def waiter(cls):
    def handler(ctx: Context) -> None:
        from ..engine.errors import ArmError
        from .waiting import wait_for

        def fetch():
            try:
                return ctx.target(cls)
            except ArmError:
                return None

        wait_for(ctx, fetch, lambda r: r.provisioning_state)
        return None

    return handler


NAME_HELP = "The name of the managed disk that is being created. The name can't be changed after the disk is " \
            "created. Supported characters for the name are a-z, A-Z, 0-9, _ and -. The maximum name length is 80 " \
            "characters."


def _identified(p) -> None:
    argtypes.identified(p, "The name of the managed disk.", ("--name", "-n", "--disk-name"))


def _create_args(p) -> None:
    argtypes.resource_group(p, needed=True)
    argtypes.name(p, NAME_HELP, ("--name", "-n", "--disk-name"), required=True)
    argtypes.integer(p, "--size-gb", "-z", dest="size_gb", help="Size in GB. Max size: 4095 GB (certain preview "
                     "disks can be larger).")
    argtypes.disk_sku(p, default=None, help="Underlying storage SKU.  Default: Premium_LRS.")
    p.add_argument("--source", help="Source to create the disk from, including a resource ID of a snapshot or disk, "
                   "or a blob URI of a VHD. When a source is provided, --size-gb is optional and defaults to the "
                   "source size.")
    argtypes.location(p)
    p.add_argument("--zone", dest="zone", help="Availability zone into which to provision the resource.")
    argtypes.os_type(p)
    argtypes.hyper_v_generation(p)
    p.add_argument("--image-reference", dest="image_reference", help="ID or URN (publisher:offer:sku:version) of "
                   "the image from which to create a disk.")
    p.add_argument("--gallery-image-reference", dest="gallery_image_reference", help="Resource ID of an Azure "
                   "Compute Gallery image version to create the disk from (its OS disk), e.g. /subscriptions/"
                   "{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{gallery}/images/{definition}/"
                   "versions/{version}. The version must be replicated to the disk's region.")
    argtypes.not_simulated(p, "--tier", "performance tiers chosen apart from the disk size",
                           "Performance tier of the disk (e.g. P40) above its size's own.")
    argtypes.not_simulated(p, "--max-shares", "shared disks", "Number of VMs that can attach the disk at once.")
    argtypes.not_simulated(p, "--security-type", "security types on disks made alone (Trusted Launch, confidential VM)",
                           "Security type of the managed disk.")
    argtypes.not_simulated(p, "--upload-type", "uploading a VHD into a disk", "Create the disk for an upload.")
    argtypes.tags(p)
    argtypes.no_wait(p)


def _update_args(p) -> None:
    _identified(p)
    argtypes.integer(p, "--size-gb", "-z", dest="size_gb", help="Size in GB. Max size: 4095 GB.")
    argtypes.disk_sku(p)
    argtypes.enum(p, "--network-access-policy", choices=("AllowAll", "AllowPrivate", "DenyAll"),
                  dest="network_access_policy", help="Policy for accessing the disk via network.")
    argtypes.not_simulated(p, "--enable-bursting", "on-demand disk bursting", "Turn on-demand bursting on or off.")
    argtypes.not_simulated(p, "--max-shares", "shared disks", "Number of VMs that can attach the disk at once.")
    argtypes.tags(p)
    generic.update_arguments(p)
    argtypes.no_wait(p)


def _delete_args(p) -> None:
    _identified(p)
    argtypes.yes(p)
    argtypes.no_wait(p)


def access_args(name_help: str, options=("--name", "-n")):
    def spec(p) -> None:
        argtypes.identified(p, name_help, options)
        argtypes.integer(p, "--duration-in-seconds", dest="duration_in_seconds", required=True,
                         help="Time duration in seconds until the SAS access expires.")
        argtypes.enum(p, "--access-level", choices=("Read", "Write"), dest="access_level", default="Read",
                      help="Access level.")
    return spec


def identified_args(name_help: str, options=("--name", "-n")):
    def spec(p) -> None:
        argtypes.identified(p, name_help, options)
    return spec


def wait_args(name_help: str, options=("--name", "-n")):
    def spec(p) -> None:
        from .waiting import wait_arguments

        argtypes.identified(p, name_help, options)
        wait_arguments(p)
    return spec


def _list_args(p) -> None:
    argtypes.resource_group(p, needed=True)


COMMANDS = [
    Command("disk create", _create, _create_args, "Create a managed disk.", no_wait=True,
            examples=(Example("Create an empty 10 GiB managed disk (Premium SSD, the default SKU).",
                              "az disk create -g MyResourceGroup -n MyDisk --size-gb 10"),
                      Example("Restore a disk from a snapshot in the same region.",
                              "az disk create -g MyResourceGroup -n MyDisk --source MySnapshot"),
                      Example("Create a zone-redundant Standard SSD data disk.",
                              "az disk create -g MyResourceGroup -n MyDisk --size-gb 64 --sku StandardSSD_ZRS"),
                      Example("Create an OS disk from an image version in an Azure Compute Gallery.",
                              "az disk create -g MyResourceGroup -n MyDisk --gallery-image-reference /subscriptions/"
                              "{sub}/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/galleries/MyGallery/"
                              "images/MyImage/versions/1.0.0"))),
    Command("disk show", _show, _identified, "Get information about a disk."),
    Command("disk list", _list, _list_args, "List managed disks.", table=TABLE),
    Command("disk update", _update, _update_args, "Update a managed disk.", no_wait=True),
    Command("disk delete", _delete, _delete_args, "Delete a managed disk.", confirm=True, no_wait=True),
    Command("disk grant-access", grant_access(Disk), access_args("The name of the managed disk."),
            "Grant a resource read access to a managed disk."),
    Command("disk revoke-access", revoke_access(Disk), identified_args("The name of the managed disk."),
            "Revoke a resource's read access to a managed disk."),
    Command("disk wait", waiter(Disk), wait_args("The name of the managed disk."), "Place the CLI in a waiting "
            "state until a condition of a managed disk is met."),
]
