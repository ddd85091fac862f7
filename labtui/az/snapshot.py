"""az snapshot. There is no `az snapshot copy`: a copy is `az snapshot create --source`, and a copy to
another region is an incremental snapshot created with --copy-start (reference §1 iv)."""

from __future__ import annotations

from typing import Any

from ..engine import catalog, errors
from ..engine.resources import Snapshot
from . import argtypes, generic
from .disk import access_args, grant_access, identified_args, resolve_copy_source, revoke_access, wait_args, waiter
from .framework import Command, Context, Example, parse_tags, shown
from .parser import AzUsageError

TABLE = ("[].{Name:name, ResourceGroup:resourceGroup, Location:location, Sku:sku.name, SizeGb:diskSizeGB, "
         "Incremental:incremental, ProvisioningState:provisioningState}")
NAME_HELP = "The name of the snapshot."


def _create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    group = ctx.required_group()
    source_id = None
    if args.source:
        world.require_group(group)
        source_id = resolve_copy_source(ctx, args.source, group, "usage error: --source {SNAPSHOT | DISK} | --source "
                                        "VHD_BLOB_URI [--source-storage-account-id ID]")
    elif not args.size_gb:
        raise AzUsageError("Please supply size for the snapshots", 1)
    location = ctx.location_or_default()
    copy_start = args.copy_start
    source = world.get(source_id) if source_id else None
    target = catalog.find_location(location) if location else None
    group_found = world.group(group)
    target_name = target.name if target else (group_found.location if group_found else None)
    if copy_start is None and args.incremental and source is not None and target_name and \
            source.location != target_name:
        copy_start = True     # az turns on --copy-start for an incremental copy to another region
    op = world.snapshots.create(group, args.name, source_id=source_id, location=location,
                                sku=args.sku or "Standard_LRS", incremental=bool(args.incremental),
                                copy_start=copy_start, size_gb=args.size_gb,
                                hyper_v_generation=args.hyper_v_generation, tags=parse_tags(args.tags))
    ctx.run(op)
    return None if ctx.no_wait else shown(world, world.get(op.resource_id))


def _show(ctx: Context) -> Any:
    return shown(ctx.world, ctx.target(Snapshot))


def _list(ctx: Context) -> list[dict]:
    return ctx.listed(Snapshot)


def _update(ctx: Context) -> Any:
    world, args = ctx.world, ctx.args
    snap = ctx.target(Snapshot)
    before = shown(world, snap)
    after = generic.apply(before, args.set, args.add, args.remove, args.force_string)
    sku, tags = args.sku, parse_tags(args.tags) if args.tags is not None else None
    for path, value in generic.changed_paths(before, after).items():
        if path == "sku.name":
            sku = str(value)
        elif path.split(".")[0] == "tags":
            tags = after.get("tags") or {}
        else:
            raise errors.property_change_not_allowed(path)
    ctx.run(world.snapshots.update(snap, sku=sku, tags=tags))
    return None if ctx.no_wait else shown(world, snap)


def _delete(ctx: Context) -> None:
    for snap in ctx.targets(Snapshot):
        ctx.run(ctx.world.snapshots.delete(snap))
    return None


def _create_args(p) -> None:
    argtypes.resource_group(p, needed=True)
    argtypes.name(p, NAME_HELP, required=True)
    p.add_argument("--source", help="Source to create the snapshot from: the name or ID of a disk or snapshot, or a "
                   "blob URI of a VHD.")
    argtypes.enum(p, "--sku", choices=catalog.SNAPSHOT_SKUS, dest="sku", help="Underlying storage SKU.  Default: "
                  "Standard_LRS.")
    argtypes.boolean(p, "--incremental", dest="incremental", help="Whether a snapshot is incremental. Incremental "
                     "snapshots on the same disk occupy less space than full snapshots and can be diffed.")
    argtypes.boolean(p, "--copy-start", dest="copy_start", help="Create snapshot by using a deep copy process, where "
                     "the resource creation is considered complete only after all data has been copied from the "
                     "source.")
    argtypes.location(p)
    argtypes.integer(p, "--size-gb", "-z", dest="size_gb", help="Size in GB. Max size: 4095 GB.")
    argtypes.hyper_v_generation(p)
    argtypes.not_simulated(p, "--for-upload", "uploading a VHD into a snapshot", "Create the snapshot for an upload.")
    argtypes.not_simulated(p, "--bandwidth-copy-speed", "faster copies (Enhanced)",
                           "How fast the copy runs: Enhanced or None.")
    argtypes.tags(p)
    argtypes.no_wait(p)


def _update_args(p) -> None:
    argtypes.identified(p, NAME_HELP)
    argtypes.enum(p, "--sku", choices=catalog.SNAPSHOT_SKUS, dest="sku", help="Underlying storage SKU.")
    argtypes.tags(p)
    generic.update_arguments(p)
    argtypes.no_wait(p)


def _list_args(p) -> None:
    argtypes.resource_group(p)


COMMANDS = [
    Command("snapshot create", _create, _create_args, "Create a snapshot.", no_wait=True,
            examples=(Example("Create a snapshot by importing from a managed disk.",
                              "az snapshot create -g MyResourceGroup -n MySnapshot --source MyDisk"),
                      Example("Create an incremental snapshot of a disk.",
                              "az snapshot create -g MyResourceGroup -n MySnapshot --source MyDisk --incremental true"),
                      Example("Copy an incremental snapshot to another region.",
                              "az snapshot create -g MyResourceGroup -n MyCopy -l westus2 --source "
                              "$SNAPSHOT_ID --incremental true --copy-start true"))),
    Command("snapshot show", _show, identified_args(NAME_HELP), "Get information about a snapshot."),
    Command("snapshot list", _list, _list_args, "List snapshots.", table=TABLE),
    Command("snapshot update", _update, _update_args, "Update a snapshot.", no_wait=True),
    Command("snapshot delete", _delete, identified_args(NAME_HELP), "Delete a snapshot."),
    Command("snapshot grant-access", grant_access(Snapshot), access_args(NAME_HELP),
            "Grant read access to a snapshot."),
    Command("snapshot revoke-access", revoke_access(Snapshot), identified_args(NAME_HELP),
            "Revoke read access to a snapshot."),
    Command("snapshot wait", waiter(Snapshot), wait_args(NAME_HELP), "Place the CLI in a waiting state until a "
            "condition of a snapshot is met."),
]
