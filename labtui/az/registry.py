"""Every az command labtui knows, gathered from the command-group modules, and the group tree."""

from __future__ import annotations

from . import account, disk, group, image, network, sig, snapshot, vm
from .framework import Command

GROUP_SUMMARIES = {
    "": "Azure CLI",
    "account": "Manage Azure subscription information.",
    "configure": "Manage Azure CLI configuration.",
    "extension": "Manage and update CLI extensions.",
    "group": "Manage resource groups and template deployments.",
    "vm": "Manage Linux or Windows virtual machines.",
    "vm disk": "Manage the managed data disks attached to a VM.",
    "vm image": "Information on available virtual machine images.",
    "vm run-command": "Manage run commands on a Virtual Machine.",
    "disk": "Manage Azure Managed Disks.",
    "snapshot": "Manage point-in-time copies of managed disks, native blobs, or other snapshots.",
    "image": "Manage custom virtual machine images.",
    "sig": "Manage shared image gallery.",
    "sig image-definition": "Manage shared gallery image with VM.",
    "sig image-version": "Manage shared gallery image version with VM.",
    "network": "Manage Azure Network resources.",
    "network nic": "Manage network interfaces.",
    "network public-ip": "Manage public IP addresses.",
    "network nsg": "Manage Azure Network Security Groups (NSGs).",
    "network vnet": "Manage Azure Virtual Networks.",
}

COMMANDS: dict[str, Command] = {}
for module in (account, group, vm, disk, snapshot, image, sig, network):
    for command in module.COMMANDS:
        if command.path in COMMANDS:
            raise ValueError(f"az {command.path} is defined twice")
        COMMANDS[command.path] = command

GROUPS: dict[str, dict] = {path: {"summary": summary, "children": []} for path, summary in GROUP_SUMMARIES.items()}
for path in sorted(COMMANDS):
    words = path.split()
    for depth in range(len(words)):
        parent = " ".join(words[:depth])
        child = " ".join(words[:depth + 1])
        entry = GROUPS.setdefault(parent, {"summary": "", "children": []})
        if child not in entry["children"]:
            entry["children"].append(child)


def is_group(path: str) -> bool:
    return path in GROUPS and path not in COMMANDS
