"""az sig, az sig image-definition, az sig image-version (Azure Compute Gallery)."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from ..engine import catalog, errors
from ..engine.galleries import RegionRequest
from ..engine.render import replication_status
from ..engine.resources import (
    Gallery, GalleryImageDefinition, GalleryImageVersion, Image, Resource, Snapshot, VirtualMachine,
)
from . import argtypes, generic
from .framework import Command, Context, Example, parse_tags, shown
from .parser import AzUsageError, not_simulated

GALLERY_TABLE = "[].{Name:name, ResourceGroup:resourceGroup, Location:location, ProvisioningState:provisioningState}"
DEFINITION_TABLE = ("[].{Name:name, ResourceGroup:resourceGroup, Location:location, Publisher:identifier.publisher, "
                    "Offer:identifier.offer, Sku:identifier.sku, OsType:osType, OsState:osState, "
                    "HyperVGeneration:hyperVGeneration}")
VERSION_TABLE = ("[].{Name:name, ResourceGroup:resourceGroup, Location:location, "
                 "ExcludeFromLatest:publishingProfile.excludeFromLatest, ProvisioningState:provisioningState}")


def _group(ctx: Context) -> str:
    return ctx.required_group()


# --- galleries ----------------------------------------------------------------------------------

def _named_group(ctx: Context, *names: tuple[str, str]) -> str:
    """-g and the given (flag, dest) names, for a command that could have had --ids instead; az's id-part
    validator words whatever is missing this way."""
    group = ctx.group_or_default()
    missing = [flag for flag, value in (("--resource-group", group), *((f, getattr(ctx.args, d)) for f, d in names))
               if not value]
    if missing:
        raise AzUsageError(f"({' '.join(missing)} | --ids) are required", 2)
    return group  # type: ignore[return-value]


def _by_ids(ctx: Context, cls: type[Resource], named: Callable[[], Resource]) -> list[Resource]:
    ids = getattr(ctx.args, "ids", None)
    return [ctx.world.require_id(cls, resource_id) for resource_id in ids] if ids else [named()]


def _one_or_many(ctx: Context, resources: list[Resource]) -> Any:
    return shown(ctx.world, resources[0]) if len(resources) == 1 else [shown(ctx.world, r) for r in resources]


def _galleries(ctx: Context) -> list[Gallery]:
    def named() -> Gallery:
        group = _named_group(ctx, ("--gallery-name", "gallery_name"))
        ctx.world.require_group(group)
        found = ctx.world.find(Gallery, group, ctx.args.gallery_name)
        if found is None:
            raise errors.resource_not_found(Gallery.TYPE, ctx.args.gallery_name, group)
        return found

    return _by_ids(ctx, Gallery, named)  # type: ignore[return-value]


def _create(ctx: Context) -> Any:
    world = ctx.world
    if ctx.args.permissions in ("Community", "Groups"):
        raise not_simulated("--permissions", "sharing a gallery beyond its subscription", ctx.args.permissions)
    op = world.galleries.create(_group(ctx), ctx.args.gallery_name,
                                location=ctx.location_or_default(),
                                description=ctx.args.description, tags=parse_tags(ctx.args.tags))
    ctx.run(op)
    return shown(world, world.get(op.resource_id))


def _show(ctx: Context) -> Any:
    return _one_or_many(ctx, _galleries(ctx))


def _list(ctx: Context) -> list[dict]:
    return ctx.listed(Gallery)


def _update(ctx: Context) -> Any:
    gallery = _galleries(ctx)[0]
    before = shown(ctx.world, gallery)
    after = generic.apply(before, ctx.args.set, ctx.args.add, ctx.args.remove, ctx.args.force_string)
    description, tags = ctx.args.description, None
    for path, value in generic.changed_paths(before, after).items():
        if path == "description":
            description = value
        elif path.split(".")[0] == "tags":
            tags = after.get("tags") or {}
        else:
            raise errors.property_change_not_allowed(path)
    ctx.run(ctx.world.galleries.update(gallery, description=description, tags=tags))
    return shown(ctx.world, gallery)


def _delete(ctx: Context) -> None:
    for gallery in _galleries(ctx):
        ctx.run(ctx.world.galleries.delete(gallery))
    return None


# --- image definitions --------------------------------------------------------------------------

def _definition(ctx: Context) -> GalleryImageDefinition:
    return ctx.world.galleries.require_definition(_group(ctx), ctx.args.gallery_name,
                                                  ctx.args.gallery_image_definition)


def _parse_features(text: str | None) -> list[dict]:
    features = []
    for pair in (text or "").split():
        key, _, value = pair.partition("=")
        features.append({"name": key, "value": value})
    return features


def _definition_create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    generation = args.hyper_v_generation or "V2"
    features = _parse_features(args.features)
    if args.hyper_v_generation is None or not args.features:
        ctx.warn('Starting Build (May) 2024, "az sig image-definition create" command will use the new default '
                 "values Hyper-V Generation: V2 and SecurityType: TrustedLaunchSupported.")
    if generation == "V2" and not any(f["name"].lower() == "securitytype" for f in features):
        features.append({"name": "SecurityType", "value": "TrustedLaunchSupported"})
    op = world.galleries.create_definition(
        _group(ctx), args.gallery_name, args.gallery_image_definition, publisher=args.publisher, offer=args.offer,
        sku=args.sku, os_type=args.os_type, os_state=args.os_state or "Generalized", hyper_v_generation=generation,
        architecture=args.architecture or "x64", features=features, end_of_life_date=args.end_of_life_date,
        description=args.description, location=ctx.location_or_default(),
        tags=parse_tags(args.tags))
    ctx.run(op)
    return shown(world, world.get(op.resource_id))


def _definitions(ctx: Context) -> list[GalleryImageDefinition]:
    def named() -> GalleryImageDefinition:
        group = _named_group(ctx, ("--gallery-name", "gallery_name"),
                             ("--gallery-image-definition", "gallery_image_definition"))
        gallery = ctx.world.galleries.require_gallery(group, ctx.args.gallery_name)
        definition_id = f"{gallery.id}/images/{ctx.args.gallery_image_definition}"
        found = ctx.world.get(definition_id)
        if not isinstance(found, GalleryImageDefinition):
            raise errors.resource_not_found_at(definition_id)   # the target itself: not a parent's error
        return found

    return _by_ids(ctx, GalleryImageDefinition, named)  # type: ignore[return-value]


def _definition_show(ctx: Context) -> Any:
    return _one_or_many(ctx, _definitions(ctx))


def _definition_list(ctx: Context) -> list[dict]:
    gallery = ctx.world.galleries.require_gallery(_group(ctx), ctx.args.gallery_name)
    return [shown(ctx.world, d) for d in ctx.world.galleries.definitions(gallery)]


def _definition_update(ctx: Context) -> Any:
    definition = _definitions(ctx)[0]
    before = shown(ctx.world, definition)
    after = generic.apply(before, ctx.args.set, ctx.args.add, ctx.args.remove, ctx.args.force_string)
    changes: dict[str, Any] = {}
    for path, value in generic.changed_paths(before, after).items():
        if path in ("endOfLifeDate", "description"):
            changes[{"endOfLifeDate": "end_of_life_date", "description": "description"}[path]] = value
        elif path.split(".")[0] == "tags":
            changes["tags"] = after.get("tags") or {}
        else:
            raise errors.property_change_not_allowed(f"galleryImage.properties.{path}")
    ctx.run(ctx.world.galleries.update_definition(definition, **changes))
    return shown(ctx.world, definition)


def _definition_delete(ctx: Context) -> None:
    for definition in _definitions(ctx):
        ctx.run(ctx.world.galleries.delete_definition(definition))
    return None


# --- image versions -----------------------------------------------------------------------------

STORAGE_TYPES = {t.lower(): t for t in catalog.GALLERY_STORAGE_TYPES}


def parse_target_regions(values: list[str] | None) -> list[RegionRequest] | None:
    if values is None:
        return None
    requests = []
    for value in values:
        name, *rest = value.split("=")
        count, storage = None, None
        for part in rest:
            if part.isdigit():
                count = int(part)
            elif part.lower() in STORAGE_TYPES:
                storage = STORAGE_TYPES[part.lower()]
            else:
                raise AzUsageError(f"usage error: {value} is an invalid target region argument. The second part is "
                                   "neither an integer replica count or a valid storage account type. Storage account "
                                   "types must be one of standard_lrs, standard_zrs, premium_lrs.", 1)
        requests.append(RegionRequest(name, count, storage))
    return requests


def _version_source(ctx: Context, group: str) -> str:
    args, world = ctx.args, ctx.world
    given = [v for v in (args.managed_image, args.virtual_machine, args.image_version) if v]
    if len(given) > 1:
        raise AzUsageError("usage error: please specify only one of the --managed-image\\--virtual-machine\\"
                           "--image-version arguments", 1)
    if args.os_snapshot:
        if args.os_snapshot.startswith("/"):
            return args.os_snapshot
        snap = world.find(Snapshot, group, args.os_snapshot)
        if snap is None:
            raise errors.resource_not_found(Snapshot.TYPE, args.os_snapshot, group)
        return snap.id
    if not given:
        raise AzUsageError("usage error: Please provide --managed-image or --os-snapshot or --vhd", 1)
    text = given[0]
    if text.startswith("/"):
        return text
    if args.image_version:      # az passes it on as an id; it looks nothing up by name
        raise errors.invalid_property_id(text, "properties.storageProfile.source.id")
    cls: type[Resource] = Image if args.managed_image else VirtualMachine
    found = world.find(cls, group, text)
    if found is None:
        raise errors.resource_not_found(cls.TYPE, text, group)
    return found.id


def _version(ctx: Context) -> GalleryImageVersion:
    ids = getattr(ctx.args, "ids", None)
    if ids:
        return ctx.world.require_id(GalleryImageVersion, ids[0])
    _named_group(ctx, ("--gallery-name", "gallery_name"), ("--gallery-image-definition", "gallery_image_definition"),
                 ("--gallery-image-version", "gallery_image_version"))
    definition = _definition(ctx)
    version_id = f"{definition.id}/versions/{ctx.args.gallery_image_version}"
    found = ctx.world.get(version_id)
    if not isinstance(found, GalleryImageVersion):
        raise errors.resource_not_found_at(version_id)
    return found


def _version_create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    group = _group(ctx)
    world.require_group(group)
    ctx.warn("The default value of '--end-of-life-date' will be changed to '6 months from publish date' from "
             "'None' in a future release.")
    ctx.warn("The default value of '--block-deletion-before-end-of-life' will be changed to 'True' from 'None' in "
             "a future release.")
    source_id = _version_source(ctx, group)
    op = world.galleries.create_version(
        group, args.gallery_name, args.gallery_image_definition, args.gallery_image_version, source_id=source_id,
        location=ctx.location_or_default(),
        target_regions=parse_target_regions(args.target_regions), replica_count=args.replica_count or 1,
        storage_account_type=args.storage_account_type or "Standard_LRS",
        exclude_from_latest=bool(args.exclude_from_latest), end_of_life_date=args.end_of_life_date,
        replication_mode=args.replication_mode or "Full",
        block_deletion_before_end_of_life=bool(args.block_deletion_before_end_of_life), tags=parse_tags(args.tags))
    ctx.run(op)
    return None if ctx.no_wait else shown(world, world.get(op.resource_id))


def _version_show(ctx: Context) -> Any:
    version = _version(ctx)
    body = shown(ctx.world, version)
    if ctx.args.expand and ctx.args.expand.lower() == "replicationstatus":
        body["replicationStatus"] = replication_status(ctx.world, version)
    return body


def _version_list(ctx: Context) -> list[dict]:
    definition = _definition(ctx)
    return [shown(ctx.world, v) for v in ctx.world.galleries.versions(definition)]


def _version_update(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    version = _version(ctx)
    before = shown(world, version)
    after = generic.apply(before, args.set, args.add, args.remove, args.force_string)
    changes: dict[str, Any] = {}
    for path, value in generic.changed_paths(before, after).items():
        if path == "publishingProfile.excludeFromLatest":
            changes["exclude_from_latest"] = value in (True, "true", "True")
        elif path == "publishingProfile.endOfLifeDate":
            changes["end_of_life_date"] = value
        elif path == "publishingProfile.replicaCount":
            changes["replica_count"] = int(value)
        elif path == "publishingProfile.targetRegions":
            changes["target_regions"] = [_region_request(r) for r in value]
        elif path.split(".")[0] == "tags":
            continue
        else:
            raise errors.property_change_not_allowed(f"galleryImageVersion.properties.{path}")
    if args.target_regions is not None:
        changes["target_regions"] = parse_target_regions(args.target_regions)
    if args.replica_count is not None:
        changes["replica_count"] = args.replica_count
    ctx.run(world.galleries.update_version(version, **changes))
    return None if ctx.no_wait else shown(world, version)


def _region_request(entry: Any) -> RegionRequest:
    """One entry of publishingProfile.targetRegions after --set/--add (--add gives strings)."""
    if not isinstance(entry, dict):
        raise errors.ArmError("InvalidParameter", f"The value '{entry}' is not a valid target region.", 400)
    count = entry.get("regionalReplicaCount")
    exclude = entry.get("excludeFromLatest")
    return RegionRequest(str(entry.get("name", "")), int(count) if count is not None else None,
                         entry.get("storageAccountType"),
                         None if exclude is None else str(exclude).lower() == "true")


def _version_delete(ctx: Context) -> None:
    ctx.run(ctx.world.galleries.delete_version(_version(ctx)))
    return None


def _version_wait(ctx: Context) -> None:
    from ..engine.errors import ArmError
    from .waiting import wait_for

    def fetch():
        try:
            return _version(ctx)
        except ArmError:
            return None

    wait_for(ctx, fetch, lambda v: v.provisioning_state)
    return None


# --- arguments ----------------------------------------------------------------------------------

_NAMES = (
    (("--gallery-name", "-r"), "gallery_name", "Gallery name."),
    (("--gallery-image-definition", "--gallery-image-name", "-i"), "gallery_image_definition",
     "Gallery image definition."),
    (("--gallery-image-version", "--gallery-image-version-name", "-e"), "gallery_image_version",
     "Gallery image version in semantic version pattern. The allowed characters are digit and period. Digits must "
     "be within the range of a 32-bit integer, e.g. <MajorVersion>.<MinorVersion>.<Patch>."),
)


def _names_arg(p, *, depth: int, by_id: bool) -> None:
    """-g and the names down to the gallery (1), definition (2) or version (3); ``by_id`` commands (show,
    update, delete) take --ids instead, as az's do."""
    argtypes.resource_group(p, needed=not by_id)
    for options, dest, help in _NAMES[:depth]:
        p.add_argument(*options, dest=dest, required=not by_id, help=help)
    if by_id:
        argtypes.ids(p)


_gallery_arg = partial(_names_arg, depth=1, by_id=False)
_gallery_by_id_arg = partial(_names_arg, depth=1, by_id=True)
_definition_arg = partial(_names_arg, depth=2, by_id=False)
_definition_by_id_arg = partial(_names_arg, depth=2, by_id=True)
_version_arg = partial(_names_arg, depth=3, by_id=False)


def _create_args(p) -> None:
    _gallery_arg(p)
    argtypes.location(p)
    p.add_argument("--description", help="The description of the gallery.")
    argtypes.enum(p, "--permissions", choices=("Community", "Groups", "Private"), dest="permissions",
                  help="Sharing permissions (labtui simulates Private only).")
    argtypes.not_simulated(p, "--soft-delete", "soft delete of gallery resources",
                           "Enable soft-deletion for resources in this gallery.")
    argtypes.tags(p)


def _update_args(p) -> None:
    _gallery_arg(p, by_id=True)
    p.add_argument("--description", help="The description of the gallery.")
    generic.update_arguments(p)


def _list_args(p) -> None:
    argtypes.resource_group(p)


def _definition_create_args(p) -> None:
    _definition_arg(p)
    p.add_argument("--publisher", "-p", required=True, help="Image publisher.")
    p.add_argument("--offer", "-f", required=True, help="Image offer.")
    p.add_argument("--sku", "-s", required=True, help="Image sku.")
    argtypes.enum(p, "--os-type", choices=("Linux", "Windows"), dest="os_type", required=True, help="The type of the "
                  "OS that is included in the disk if creating a VM from user-image or a specialized VHD.")
    argtypes.enum(p, "--os-state", choices=("Generalized", "Specialized"), dest="os_state", help="This property "
                  "allows the user to specify whether the virtual machines created under this image are "
                  "'Generalized' or 'Specialized'.")
    argtypes.hyper_v_generation(p, help="The hypervisor generation of the Virtual Machine. Default: V2.")
    argtypes.enum(p, "--architecture", choices=("Arm64", "x64"), dest="architecture", help="CPU architecture.")
    p.add_argument("--features", help='A list of gallery image features. E.g. "IsSecureBootSupported=true '
                   'IsMeasuredBootSupported=false".')
    p.add_argument("--end-of-life-date", dest="end_of_life_date", help="The end of life date, e.g. '2020-12-31'.")
    p.add_argument("--description", help="The description of the gallery image definition.")
    for flag, help in (("--minimum-cpu-core", "Minimum CPU cores."), ("--maximum-cpu-core", "Maximum CPU cores."),
                       ("--minimum-memory", "Minimum memory in MB."), ("--maximum-memory", "Maximum memory in MB.")):
        argtypes.not_simulated(p, flag, "recommended VM configurations on image definitions", help)
    argtypes.not_simulated(p, "--disallowed-disk-types", "disallowed disk types on image definitions",
                           "Disk types which would not work with the image.")
    for flag in ("--plan-name", "--plan-product", "--plan-publisher"):
        argtypes.not_simulated(p, flag, "Marketplace purchase plans", "Purchase plan of the image.")
    for flag, help in (("--eula", "The Eula agreement for the gallery image."),
                       ("--privacy-statement-uri", "The privacy statement uri."),
                       ("--release-note-uri", "The release note uri.")):
        argtypes.not_simulated(p, flag, "an image definition's legal and release notes", help)
    argtypes.location(p)
    argtypes.tags(p)


def _definition_update_args(p) -> None:
    _definition_arg(p, by_id=True)
    generic.update_arguments(p)


def _version_create_args(p) -> None:
    _version_arg(p)
    p.add_argument("--managed-image", dest="managed_image", help="image name(if in the same resource group) or "
                   "resource id")
    p.add_argument("--virtual-machine", dest="virtual_machine", help="Resource id of VM source.")
    p.add_argument("--image-version", dest="image_version", help="Resource id of gallery image version source.")
    p.add_argument("--os-snapshot", dest="os_snapshot", help="Name or ID of OS disk snapshot.")
    argtypes.not_simulated(p, "--data-snapshots", "data disk snapshots as a version's source",
                           "Names or IDs (space-delimited) of data disk snapshots.")
    argtypes.not_simulated(p, "--data-snapshot-luns", "data disk snapshots as a version's source",
                           "Logical unit numbers (space-delimited) of data disk snapshots.")
    argtypes.not_simulated(p, "--os-vhd-uri", "VHD blobs as a version's source", "Source VHD URI of OS disk.")
    argtypes.not_simulated(p, "--os-vhd-storage-account", "VHD blobs as a version's source",
                           "Name or ID of storage account of source VHD URI of OS disk.")
    argtypes.not_simulated(p, "--allow-replicated-location-deletion", "removing replicated regions from a version",
                           "Indicate whether or not removing this gallery image version from replicated regions is "
                           "allowed.")
    p.add_argument("--target-regions", nargs="+", dest="target_regions", help="Space-separated list of regions and "
                   "their replica counts. Use `<region>[=<replica count>][=<storage account type>]`.")
    argtypes.integer(p, "--replica-count", dest="replica_count", help="The default number of replicas to be created "
                     "per region. To set regional replication counts, use --target-regions.")
    argtypes.enum(p, "--storage-account-type", choices=catalog.GALLERY_STORAGE_TYPES, dest="storage_account_type",
                  help="The default storage account type to be used per region.")
    argtypes.boolean(p, "--exclude-from-latest", dest="exclude_from_latest", help="The flag means that if it is set "
                     "to true, people deploying VMs with version omitted will not use this version.")
    p.add_argument("--end-of-life-date", dest="end_of_life_date", help="The end of life date, e.g. '2020-12-31'.")
    argtypes.enum(p, "--replication-mode", choices=("Full", "Shallow"), dest="replication_mode",
                  help="Optional parameter which specifies the mode to be used for replication.")
    argtypes.boolean(p, "--block-deletion-before-end-of-life", dest="block_deletion_before_end_of_life",
                     help="Indicates whether or not the deletion is blocked for this gallery image version if its end "
                     "of life has not expired.")
    argtypes.location(p)
    argtypes.tags(p)
    argtypes.no_wait(p)


def _version_show_args(p) -> None:
    _version_arg(p, by_id=True)
    p.add_argument("--expand", help="The expand expression to apply on the operation, e.g. 'ReplicationStatus'.")


def _version_update_args(p) -> None:
    _version_arg(p, by_id=True)
    p.add_argument("--target-regions", nargs="+", dest="target_regions", help="Space-separated list of regions and "
                   "their replica counts.")
    argtypes.integer(p, "--replica-count", dest="replica_count", help="The default number of replicas to be created "
                     "per region.")
    generic.update_arguments(p)
    argtypes.no_wait(p)


def _version_delete_args(p) -> None:
    _version_arg(p, by_id=True)
    # labtui's galleries have no soft delete, so every delete is already what this flag asks for.
    p.add_argument("--bypass-soft-delete", action="store_true", dest="bypass_soft_delete", help="Delete the "
                   "version at once instead of soft-deleting it.")


def _soft_delete_args(p) -> None:
    # Flags are taken loosely: the command only says what labtui does not simulate.
    argtypes.resource_group(p)
    p.add_argument("--gallery-name", "-r", dest="gallery_name", help="Gallery name.")
    p.add_argument("--gallery-image-definition", "-i", dest="gallery_image_definition", help="Gallery image "
                   "definition.")
    p.add_argument("--gallery-image-version", "-e", dest="gallery_image_version", help="Gallery image version.")


def _soft_delete_not_simulated(ctx: Context) -> None:
    raise AzUsageError("labtui does not simulate soft delete of gallery resources: a deleted image version is "
                       "gone at once, as in a gallery without soft delete turned on.", 1)


def _version_wait_args(p) -> None:
    from .waiting import wait_arguments

    _version_arg(p)
    wait_arguments(p)


COMMANDS = [
    Command("sig create", _create, _create_args, "Create a share image gallery.",
            examples=(Example("Create a shared image gallery.", "az sig create -g MyResourceGroup -r MyGallery"),)),
    Command("sig show", _show, _gallery_by_id_arg, "Retrieve information about a Shared Image Gallery."),
    Command("sig list", _list, _list_args, "List galleries.", table=GALLERY_TABLE),
    Command("sig update", _update, _update_args, "Update a share image gallery."),
    Command("sig delete", _delete, _gallery_by_id_arg, "Delete a Shared Image Gallery."),
    Command("sig image-definition create", _definition_create, _definition_create_args, "Create a gallery image "
            "definition.", examples=(Example("Create a Linux image definition for specialized images.",
                                             "az sig image-definition create -g MyResourceGroup -r MyGallery -i "
                                             "MyImage -p Contoso -f UbuntuServer -s 22_04 --os-type linux --os-state "
                                             "specialized"),)),
    Command("sig image-definition show", _definition_show, _definition_by_id_arg, "Get information about a gallery "
            "image definition."),
    Command("sig image-definition list", _definition_list, _gallery_arg, "List gallery image definitions.",
            table=DEFINITION_TABLE),
    Command("sig image-definition update", _definition_update, _definition_update_args, "Update a share image "
            "definition."),
    Command("sig image-definition delete", _definition_delete, _definition_by_id_arg, "Delete a gallery image."),
    Command("sig image-version create", _version_create, _version_create_args, "Create a new image version.",
            no_wait=True, examples=(Example("Add a new image version from a managed image, replicated to two regions.",
                                            "az sig image-version create -g MyResourceGroup -r MyGallery -i MyImage "
                                            "-e 1.0.0 --managed-image $IMAGE_ID --target-regions eastus westus2=2"),)),
    Command("sig image-version show", _version_show, _version_show_args, "Retrieve information about a gallery image "
            "version."),
    Command("sig image-version list", _version_list, _definition_arg, "List gallery image versions.",
            table=VERSION_TABLE),
    Command("sig image-version update", _version_update, _version_update_args, "Update a share image version.",
            no_wait=True, examples=(Example("Exclude an image version from latest.",
                                            "az sig image-version update -g MyResourceGroup -r MyGallery -i MyImage "
                                            "-e 1.0.0 --set publishingProfile.excludeFromLatest=true"),)),
    Command("sig image-version delete", _version_delete, _version_delete_args, "Delete a gallery image version."),
    Command("sig image-version list-soft-deleted", _soft_delete_not_simulated, _soft_delete_args,
            "List soft-deleted gallery image versions."),
    Command("sig image-version undelete", _soft_delete_not_simulated, _soft_delete_args,
            "Restore a soft-deleted gallery image version."),
    Command("sig image-version wait", _version_wait, _version_wait_args, "Wait for image version related "
            "operation."),
]
