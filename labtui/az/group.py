"""az group."""

from __future__ import annotations

from ..engine.resources import ResourceGroup
from . import argtypes
from .framework import Command, Context, Example, parse_tags, shown
from .parser import AzUsageError

FORCE_DELETION_TYPES = ("Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/virtualMachines",
                        "Microsoft.Databricks/workspaces")
TABLE = "[].{Name:name, Location:location, Status:properties.provisioningState}"


def _group_name(ctx: Context) -> str:
    name = ctx.args.name or ctx.state["defaults"].get("group")
    if not name:
        raise AzUsageError("the following arguments are required: --name/--resource-group/-n/-g", 2)
    return name


def _create(ctx: Context) -> dict:
    location = ctx.args.location or ctx.state["defaults"].get("location")
    if not location:
        raise AzUsageError("the following arguments are required: --location/-l", 2)
    group = ctx.world.groups.create(_group_name(ctx), location, parse_tags(ctx.args.tags), ctx.args.managed_by)
    return shown(ctx.world, group)


def _show(ctx: Context) -> dict:
    return shown(ctx.world, ctx.world.require_group(_group_name(ctx)))


def _list(ctx: Context) -> list[dict]:
    groups = ctx.world.list(ResourceGroup)
    if ctx.args.tag:
        key, _, value = ctx.args.tag.partition("=")
        groups = [g for g in groups if key in g.tags and (not value or g.tags[key] == value)]
    return [shown(ctx.world, g) for g in groups]


def _exists(ctx: Context) -> bool:
    return ctx.world.group(_group_name(ctx)) is not None


def _delete(ctx: Context) -> None:
    group = ctx.world.require_group(_group_name(ctx))
    ctx.confirm()
    ctx.run(ctx.world.groups.delete(group.name))
    return None


def _wait(ctx: Context) -> None:
    from .waiting import wait_for

    wait_for(ctx, lambda: ctx.world.group(_group_name(ctx)), lambda g: g.provisioning_state)
    return None


def _name_arg(p) -> None:
    p.add_argument("--name", "--resource-group", "-n", "-g", dest="name", help="Name of resource group. You can "
                   "configure the default group using `az configure --defaults group=<name>`.")


def _create_args(p) -> None:
    _name_arg(p)
    argtypes.location(p)
    argtypes.tags(p)
    p.add_argument("--managed-by", dest="managed_by", help="The ID of the resource that manages this resource group.")


def _delete_args(p) -> None:
    _name_arg(p)
    argtypes.yes(p)
    argtypes.no_wait(p)
    # Force deletion skips the graceful shutdown of the VMs inside; the group ends up as deleted either way.
    argtypes.enum(p, "--force-deletion-types", "-f", choices=FORCE_DELETION_TYPES, dest="force",
                  help="The resource types you want to force delete.")


def _list_args(p) -> None:
    p.add_argument("--tag", dest="tag", help="A single tag in 'key[=value]' format.")


def _wait_args(p) -> None:
    _name_arg(p)
    from .waiting import wait_arguments

    wait_arguments(p)


COMMANDS = [
    Command("group create", _create, _create_args, "Create a new resource group.",
            examples=(Example("Create a new resource group in the West US region.",
                              "az group create -l westus -n MyResourceGroup"),)),
    Command("group show", _show, _name_arg, "Gets a resource group."),
    Command("group list", _list, _list_args, "List resource groups.", table=TABLE),
    Command("group exists", _exists, _name_arg, "Check if a resource group exists."),
    Command("group delete", _delete, _delete_args, "Delete a resource group.", confirm=True, no_wait=True,
            long_summary="Deletes the group and every resource in it: VMs, disks, snapshots, images, galleries.",
            examples=(Example("Delete a resource group.", "az group delete -n MyResourceGroup"),)),
    Command("group wait", _wait, _wait_args, "Place the CLI in a waiting state until a condition of the resource "
            "group is met."),
]
