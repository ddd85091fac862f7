"""az account, az configure, az extension: the client-side commands."""

from __future__ import annotations

from ..engine import catalog
from . import argtypes
from .framework import LOCAL_HOME, Command, Context, Example
from .parser import AzUsageError

KNOWN_EXTENSIONS = {"image-copy-extension": "0.2.13"}
CONFIG_FILE = f"{LOCAL_HOME}/.azure/config"       # where az keeps `az configure --defaults`


def _account(ctx: Context) -> dict:
    world = ctx.world
    return {"environmentName": "AzureCloud", "homeTenantId": world.tenant_id, "id": world.subscription_id,
            "isDefault": True, "managedByTenants": [], "name": world.settings.subscription_name, "state": "Enabled",
            "tenantId": world.tenant_id, "user": {"name": world.settings.user, "type": "user"}}


def _list_locations(ctx: Context) -> list[dict]:
    return [{"displayName": loc.display_name, "id": f"/subscriptions/{ctx.world.subscription_id}/locations/{loc.name}",
             "metadata": {"geography": loc.geography, "regionCategory": "Recommended", "regionType": "Physical"},
             "name": loc.name, "regionalDisplayName": loc.regional_display_name, "type": "Region"}
            for loc in catalog.LOCATIONS.values()]


def _configure(ctx: Context) -> list[dict] | None:
    defaults = ctx.state["defaults"]
    for pair in ctx.args.defaults or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise AzUsageError(f"usage error: --defaults STRING [STRING ...]: '{pair}' is not in the form "
                               "name=value", 1)
        key = {"group": "group", "location": "location"}.get(key.strip().lower())
        if key is None:
            raise AzUsageError(f"The default for '{pair.split('=')[0]}' is not supported by labtui; use "
                               "group=... or location=...", 1)
        if value:
            defaults[key] = value
        else:
            defaults.pop(key, None)
    if ctx.args.defaults:
        ctx.state_changed()
    if ctx.args.list_defaults:
        return [{"name": k, "source": CONFIG_FILE, "value": v} for k, v in sorted(defaults.items())]
    return None


def _extension_add(ctx: Context) -> None:
    name = ctx.args.name
    if name not in KNOWN_EXTENSIONS:
        raise AzUsageError(f"No matching extensions for '{name}'. Use --debug for more information.", 1)
    extensions = ctx.state["extensions"]
    if name not in extensions:
        extensions.append(name)
        ctx.state_changed()
    else:
        ctx.warn(f"Extension '{name}' is already installed.")
    return None


def _extension_list(ctx: Context) -> list[dict]:
    return [{"experimental": False, "extensionType": "whl", "name": n, "preview": False,
             "version": KNOWN_EXTENSIONS[n]} for n in ctx.state["extensions"]]


def _extension_remove(ctx: Context) -> None:
    extensions = ctx.state["extensions"]
    if ctx.args.name not in extensions:
        raise AzUsageError(f"The extension {ctx.args.name} is not installed.", 1)
    extensions.remove(ctx.args.name)
    ctx.state_changed()
    return None


def _no_args(p) -> None:
    return None


def _configure_args(p) -> None:
    p.add_argument("--defaults", "-d", nargs="+", dest="defaults",
                   help="Space-separated 'name=value' pairs for common argument defaults: group=..., location=...")
    argtypes.boolean(p, "--list-defaults", "-l", dest="list_defaults", help="List all applicable defaults.")
    argtypes.enum(p, "--scope", choices=("global", "local"), dest="scope", default="global",
                  help="Scope of defaults. Using \"local\" for settings only effective under current folder. (labtui "
                  "keeps one set of defaults, with the sandbox.)")


def _extension_name(p) -> None:
    argtypes.name(p, "Name of extension.", required=True)


COMMANDS = [
    Command("account show", lambda ctx: _account(ctx), _no_args, "Get the details of a subscription."),
    Command("account list", lambda ctx: [_account(ctx)], _no_args, "Get a list of subscriptions for the logged "
            "in account.", table="[].{Name:name, CloudName:environmentName, SubscriptionId:id, State:state, "
            "IsDefault:isDefault}"),
    Command("account list-locations", _list_locations, _no_args, "List supported regions for the current "
            "subscription.", table="[].{DisplayName:displayName, Name:name, RegionalDisplayName:regionalDisplayName}"),
    Command("configure", _configure, _configure_args, "Manage Azure CLI configuration.",
            examples=(Example("Set default resource group and location.",
                              "az configure --defaults group=rg-lab location=eastus"),)),
    Command("extension add", _extension_add, _extension_name, "Add an extension.",
            examples=(Example("Add the image copy extension.", "az extension add --name image-copy-extension"),)),
    Command("extension list", _extension_list, _no_args, "List the installed extensions."),
    Command("extension remove", _extension_remove, _extension_name, "Remove an extension."),
]
