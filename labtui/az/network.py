"""az network nic|public-ip|nsg|vnet list|show|delete: the network a VM leaves behind."""

from __future__ import annotations

from typing import Any

from ..engine.resources import NetworkInterface, NetworkSecurityGroup, PublicIp, Resource, VirtualNetwork
from . import argtypes
from .framework import Command, Context, shown

KINDS = (("nic", NetworkInterface, "network interface"), ("public-ip", PublicIp, "public IP address"),
         ("nsg", NetworkSecurityGroup, "network security group"), ("vnet", VirtualNetwork, "virtual network"))


def _handlers(cls: type[Resource]):
    def show(ctx: Context) -> Any:
        return shown(ctx.world, ctx.target(cls))

    def list_(ctx: Context) -> list[dict]:
        return ctx.listed(cls)

    def delete(ctx: Context) -> None:
        for resource in ctx.targets(cls):
            ctx.run(ctx.world.network.delete(resource))
        return None

    return show, list_, delete


def _identified(label: str):
    def spec(p) -> None:
        argtypes.identified(p, f"The name of the {label}.")
    return spec


def _deletable(label: str):
    def spec(p) -> None:
        argtypes.identified(p, f"The name of the {label}.")
        argtypes.no_wait(p)
    return spec


def _list_args(p) -> None:
    argtypes.resource_group(p)


COMMANDS = []
for word, cls, label in KINDS:
    show, list_, delete = _handlers(cls)
    COMMANDS += [
        Command(f"network {word} show", show, _identified(label), f"Get the details of a {label}."),
        Command(f"network {word} list", list_, _list_args, f"List {label}s.",
                table="[].{Name:name, ResourceGroup:resourceGroup, Location:location, "
                      "ProvisioningState:provisioningState}"),
        Command(f"network {word} delete", delete, _deletable(label), f"Delete a {label}.", no_wait=True),
    ]
