"""az vm, az vm disk, az vm image, az vm run-command."""

from __future__ import annotations

import re
from typing import Any

from ..engine import catalog, errors
from ..engine.compute_vms import VmSource, VmSpec
from ..engine.errors import ArmError
from ..engine.network import NetworkPlan
from ..engine.render import POWER_DISPLAY, instance_view
from ..engine.resources import (
    Disk, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface, PublicIp, VirtualMachine,
    VirtualNetwork,
)
from . import argtypes, generic
from .framework import (
    LOCAL_HOME, LOCAL_USER, Command, Context, DeploymentFailed, Example, parse_tags, shown,
)
from .parser import AzUsageError, not_simulated

VM_TABLE = "[].{Name:name, ResourceGroup:resourceGroup, Location:location, Zones:zones}"
VM_DETAILS_TABLE = ("[].{Name:name, ResourceGroup:resourceGroup, PowerState:powerState, PublicIps:publicIps, "
                    "Fqdns:fqdns, Location:location, Zones:zones}")
# az defaults the admin to the login name of the machine it runs on ("azureuser" only when that name is
# one Azure reserves, which the student's is not).
DEFAULT_ADMIN = LOCAL_USER
DEALLOCATE_GENERALIZE_CAPTURE = (
    Example("Deallocate, generalize, and capture a stopped virtual machine.",
            "az vm deallocate -g MyResourceGroup -n MyVm\n        az vm generalize -g MyResourceGroup -n MyVm\n"
            "        az image create -g MyResourceGroup -n MyImage --source MyVm"),
)


# --- details (-d) -------------------------------------------------------------------------------

def details(ctx: Context, vm: VirtualMachine) -> dict:
    body = shown(ctx.world, vm)
    nics = [ctx.world.get(n) for n in vm.nic_ids]
    nics = [n for n in nics if isinstance(n, NetworkInterface)]
    ips = [ctx.world.get(n.public_ip_id) for n in nics if n.public_ip_id]
    body["powerState"] = POWER_DISPLAY.get(vm.power_state, "")
    body["publicIps"] = ",".join(p.ip_address for p in ips if isinstance(p, PublicIp))
    body["privateIps"] = ",".join(n.private_ip for n in nics)
    body["macAddresses"] = ",".join(n.mac_address for n in nics)
    body["fqdns"] = ""
    return body


# --- create -------------------------------------------------------------------------------------

def _resolve_image(ctx: Context, text: str, group: str) -> tuple[VmSource, Any]:
    """What --image names: URN, alias, managed image (name in -g, or id), gallery definition or version id."""
    world = ctx.world
    lowered = text.lower()
    if lowered.startswith("/subscriptions/"):
        if "/providers/microsoft.compute/images/" in lowered:
            return VmSource("image", text), world.get(text)
        if "/providers/microsoft.compute/galleries/" in lowered and "/images/" in lowered:
            if "/versions/" in lowered:
                version = world.get(text)
                if not isinstance(version, GalleryImageVersion):
                    raise errors.resource_not_found_at(text)
                return VmSource("gallery", version.id, definition_id=text), version
            definition = world.get(text)
            if not isinstance(definition, GalleryImageDefinition):
                raise errors.resource_not_found_at(text)
            return VmSource("gallery", "", definition_id=definition.id), definition
        raise AzUsageError(f'usage error: unrecognized image information "{text}"', 1)
    if text.count(":") == 3 or catalog.find_image(text) is not None:
        image = catalog.find_image(text)
        if image is None:
            raise errors.platform_image_not_available(text)
        return VmSource("marketplace", text if ":" in text else image.urn), image
    managed = world.find(Image, group, text)
    if managed is not None:
        return VmSource("image", managed.id), managed
    aliases = ", ".join(f"'{a}'" for a in catalog.ALIASES)
    raise AzUsageError(f'Invalid image "{text}". Use a valid image URN, custom image name, custom image id, VHD blob '
                       f"URI, or pick an image from [{aliases}].\nSee vm create -h for more information on "
                       "specifying an image.", 1)


def _storage_skus(values: list[str] | None) -> tuple[str | None, str | None, dict[int, str]]:
    """--storage-sku SKU (every disk), or os=SKU 0=SKU 1=SKU ... (the OS disk; new data disks by their
    index in --data-disk-sizes-gb). Returns the OS SKU, the all-data-disks SKU and the per-index ones."""
    os_sku = data_sku = None
    by_index: dict[int, str] = {}
    for value in values or ():
        key, eq, sku = value.partition("=")
        if not eq:
            os_sku = data_sku = _canonical_sku(value)
        elif key.lower() == "os":
            os_sku = _canonical_sku(sku)
        elif key.isdigit():
            by_index[int(key)] = _canonical_sku(sku)
        else:
            raise AzUsageError(f"usage error: --storage-sku '{value}': use SKU, or os=SKU and LUN=SKU pairs such "
                               "as 'os=Premium_LRS 0=Standard_LRS'", 1)
    return os_sku, data_sku, by_index


def _canonical_sku(value: str) -> str:
    for sku in catalog.DISK_SKUS:
        if sku.lower() == value.lower():
            return sku
    raise AzUsageError(f"az vm create: '{value}' is not a valid value for '--storage-sku'. Allowed values: "
                       f"{', '.join(catalog.DISK_SKUS)}.", 2)


COUNT_FORBIDDEN = ("attach_data_disks", "attach_os_disk", "computer_name", "os_disk_name", "public_ip_address",
                   "subnet", "vnet_name", "nics")


def _create(ctx: Context) -> Any:
    args, world = ctx.args, ctx.world
    group = ctx.required_group()
    if args.security_type == "ConfidentialVM":
        # Confidential VMs need their own sizes (DCasv5/ECasv5), images and OS disk encryption.
        raise not_simulated("--security-type", "Confidential VMs", args.security_type)
    if args.count is not None:
        ctx.warn("Argument '--count' is in preview and under development. Reference and support levels: "
                 "https://aka.ms/CLI_refstatus")
        if not 2 <= args.count <= 250:
            raise AzUsageError("--count should be in [2, 250]. Please make sure your subscription has enough quota "
                               "of resources", 1)
        if any(getattr(args, name, None) for name in COUNT_FORBIDDEN):
            raise AzUsageError("When --count is specified, --attach-data-disks, --attach-os-disk, "
                               "--boot-diagnostics-storage, --computer-name, --host, --host-group, --nics, "
                               "--os-disk-name, --private-ip-address, --public-ip-address, "
                               "--public-ip-address-dns-name, --storage-account, --storage-container-name, --subnet, "
                               "--use-unmanaged-disk, --vnet-name are not allowed", 1)
    ctx.validating = True
    rg = world.require_group(group)
    location = ctx.location_or_default() or rg.location
    if args.image and args.attach_os_disk:
        raise AzUsageError("incorrect usage: --image IMAGE | --attach-os-disk DISK", 1)
    if args.specialized is not None and not args.image:
        raise AzUsageError("usage error: --specialized is only configurable when --image is specified.", 1)
    generalized = True
    tl_capable = False
    if args.attach_os_disk:
        disk = world.get(args.attach_os_disk) if args.attach_os_disk.startswith("/") else \
            world.find(Disk, group, args.attach_os_disk)
        offenders = [flag for flag, dest in (("--admin-username", "admin_username"), ("--admin-password",
                     "admin_password"), ("--generate-ssh-keys", "generate_ssh_keys"), ("--ssh-key-values",
                     "ssh_key_values"), ("--authentication-type", "authentication_type"), ("--os-disk-name",
                     "os_disk_name"), ("--storage-sku", "storage_sku")) if getattr(args, dest)]
        if not args.os_type or offenders:
            detail = "\n\tmissing: --os-type" if not args.os_type else ""
            detail += f"\n\tnot applicable: {', '.join(offenders)}" if offenders else ""
            raise AzUsageError(f"invalid usage for storage profile: attach existing managed OS disk:{detail}", 1)
        if not isinstance(disk, Disk):
            raise errors.resource_not_found(Disk.TYPE, args.attach_os_disk.rsplit("/", 1)[-1], group)
        source = VmSource("attach", disk.id, os_type=args.os_type.capitalize())
        os_type = args.os_type.capitalize()
        generalized = False
    else:
        image_text = args.image or catalog.DEFAULT_IMAGE_URN
        source, found = _resolve_image(ctx, image_text, group)
        if args.os_type:
            kind = "Azure Marketplace image" if source.kind == "marketplace" else "custom image"
            raise AzUsageError(f"invalid usage for storage profile: create managed OS disk from {kind}:"
                               "\n\tnot applicable: --os-type", 1)
        if source.kind == "marketplace":
            os_type, tl_capable = found.os_type, found.trusted_launch_supported
        elif source.kind == "image":
            os_type = found.os_disk.os_type if isinstance(found, Image) else "Linux"
        else:
            definition = found if isinstance(found, GalleryImageDefinition) else \
                world.get(found.id.rsplit("/versions/", 1)[0])
            os_type = definition.os_type
            generalized = definition.os_state == "Generalized" and not args.specialized
            tl_capable = (definition.security_feature or "").lower().startswith("trustedlaunch")
            if isinstance(found, GalleryImageDefinition):
                latest = world.galleries.latest_version(definition, catalog.find_location(location).name
                                                        if catalog.find_location(location) else location)
                if latest is None:
                    # az itself only knows whether some version is not excluded from latest; which
                    # regions hold a replica is the service's business, and its own error.
                    eligible = [v for v in world.galleries.versions(definition) if not v.exclude_from_latest]
                    if not eligible:
                        raise AzUsageError(f'There is no latest image version exists for "{definition.id}"', 1)
                    latest = max(eligible, key=lambda v: v.version_key)
                source = VmSource("gallery", latest.id, definition_id=definition.id)
    ctx.validating = False
    security = args.security_type
    if security is None and tl_capable:
        security = "TrustedLaunch"       # az's default since Nov 2023 for TL-capable Gen2 images
    username = password = None
    keys: tuple[str, ...] = ()
    auth = None
    if generalized:
        username, password, keys, auth = _credentials(ctx, os_type)
    os_sku, data_sku, data_skus = _storage_skus(args.storage_sku)
    names = [args.name] if args.count is None else [f"{args.name}{i}" for i in range(args.count)]
    vnet_name, subnet_name = _vnet_for(ctx, group, location)
    operations = []
    for index, name in enumerate(names):
        suffix = "" if args.count is None else str(index)
        plan = NetworkPlan(vnet=vnet_name, subnet=subnet_name,
                           nsg=None if args.nsg == "" else (args.nsg or f"{args.name}NSG"),
                           public_ip=None if args.public_ip_address == "" else
                           (args.public_ip_address or f"{args.name}PublicIP{suffix}"),
                           nic=f"{args.name}VMNic{suffix}",
                           nsg_rule=args.nsg_rule or ("SSH" if os_type == "Linux" else "RDP"),
                           public_ip_sku=args.public_ip_sku or "Standard")
        if args.nics:      # as az: existing NICs replace the VNet, NSG and public IP it would make
            plan = None
        spec = VmSpec(group=group, name=name, source=source, location=location, size=args.size,
                      admin_username=username, admin_password=password, ssh_public_keys=keys,
                      authentication_type=auth, computer_name=args.computer_name, security_type=security,
                      secure_boot=args.enable_secure_boot, vtpm=args.enable_vtpm, os_disk_name=args.os_disk_name,
                      os_disk_size_gb=args.os_disk_size_gb, os_disk_sku=os_sku,
                      os_disk_delete_option=args.os_disk_delete_option or "Detach",
                      data_disk_sizes_gb=tuple(args.data_disk_sizes_gb or ()), data_disk_sku=data_sku,
                      data_disk_skus=data_skus,
                      data_disk_delete_option=args.data_disk_delete_option or "Detach",
                      nic_delete_option=args.nic_delete_option or "Detach",
                      attach_data_disks=tuple(_disk_id(ctx, group, d) for d in args.attach_data_disks or ()),
                      zone=args.zone, network=plan, tags=parse_tags(args.tags) or {},
                      nic_ids=tuple(world.resource_id(group, NetworkInterface.TYPE, n) if not n.startswith("/")
                                    else n for n in args.nics or ()),
                      ultra_ssd_enabled=bool(args.ultra_ssd_enabled))
        try:
            operations.append(world.vms.create(spec))
        except ArmError as error:
            raise _deployment_failed(world, rg, error) from error
    if ctx.no_wait:
        return None
    # One deployment creates all --count VMs side by side; az waits for the whole deployment.
    for op in operations:
        try:
            ctx.finish(op)
        except ArmError as error:
            raise _deployment_failed(world, rg, error) from error
    results = [world.find(VirtualMachine, group, name) for name in names]
    if args.count is None:
        vm = results[0]
        body = details(ctx, vm)
        return {"fqdns": "", "id": vm.id, "location": vm.location, "macAddress": body["macAddresses"],
                "powerState": body["powerState"], "privateIpAddress": body["privateIps"],
                "publicIpAddress": body["publicIps"], "resourceGroup": vm.resource_group,
                "zones": ",".join(vm.zones)}
    return [details(ctx, vm) for vm in results if vm is not None]


def _deployment_failed(world, rg, error: ArmError) -> DeploymentFailed:
    target = f"{rg.id}/providers/Microsoft.Resources/deployments/vm_deploy_{world.seeded.hex('deploy', 32)}"
    return DeploymentFailed(error, target)


def _vnet_for(ctx: Context, group: str, location: str) -> tuple[str, str]:
    """--vnet-name/--subnet, else (as az does) the first VNet of the group in the VM's region and its first
    subnet, else new names derived from the VM name."""
    args = ctx.args
    if args.vnet_name:
        return args.vnet_name, args.subnet or f"{args.name}Subnet"
    region = catalog.find_location(location)
    for vnet in ctx.world.list(VirtualNetwork, group):
        if region is not None and vnet.location == region.name and vnet.subnets:
            return vnet.name, args.subnet or vnet.subnets[0].name
    return f"{args.name}VNET", args.subnet or f"{args.name}Subnet"


def _disk_id(ctx: Context, group: str, text: str) -> str:
    if text.startswith("/"):
        return text
    disk = ctx.world.find(Disk, group, text)
    if disk is None:
        raise errors.resource_not_found(Disk.TYPE, text, group)
    return disk.id


def _credentials(ctx: Context, os_type: str) -> tuple[str, str | None, tuple[str, ...], str]:
    args = ctx.args
    username = args.admin_username or DEFAULT_ADMIN
    if username.lower() in catalog.DISALLOWED_USER_NAMES:
        raise AzUsageError(f"This user name '{username}' meets the general requirements, but is specifically "
                           "disallowed for this image. Please try a different value.", 1)
    if os_type == "Linux" and (re.search(r'[A-Z\\/"\[\]:|<>+=;,?*@#()!]', username) or username[0] in "$-"):
        raise AzUsageError("admin user name cannot contain upper case character A-Z, special characters "
                           '\\/"[]:|<>+=;,?*@#()! or start with $ or -', 1)
    if os_type == "Windows" and (re.search(r'[\\/"\[\]:|<>+=;,?*@#]', username) or username.endswith(".")):
        raise AzUsageError('admin user name cannot contain special characters \\/"[]:|<>+=;,?*@# or ends with .', 1)
    auth = args.authentication_type or ("ssh" if os_type == "Linux" and not args.admin_password else "password")
    if os_type == "Windows" and auth in ("ssh", "all"):
        raise AzUsageError("SSH not supported for Windows VMs.", 1)
    keys: tuple[str, ...] = ()
    if auth in ("ssh", "all"):
        if args.ssh_key_values:
            keys = tuple(args.ssh_key_values)
        elif args.generate_ssh_keys:
            state = ctx.state
            ed25519 = args.ssh_key_type == "Ed25519"
            slot, file = ("ssh_public_key_ed25519", "id_ed25519") if ed25519 else ("ssh_public_key", "id_rsa")
            if slot not in state:
                # The base64 opens with the key type's wire encoding, as a real key's does.
                prefix = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5" if ed25519 else "ssh-rsa AAAAB3NzaC1yc2E"
                state[slot] = f"{prefix}{ctx.world.seeded.hex('ssh-key', 32)} labtui"
                ctx.state_changed()
                ctx.warn(f"SSH key files '{LOCAL_HOME}/.ssh/{file}' and '{LOCAL_HOME}/.ssh/{file}.pub' have been "
                         "generated under ~/.ssh to allow SSH access to the VM. If using machines without permanent "
                         "storage, back up your keys to a safe location.")
            keys = (state[slot],)
        else:
            raise AzUsageError("An RSA key file or key value must be supplied to SSH Key Value. You can use "
                               "--generate-ssh-keys to let CLI generate one for you", 1)
    password = args.admin_password
    if auth in ("password", "all"):
        if not password:
            raise AzUsageError("Please specify password in non-interactive mode.", 1)
        upper = 123 if os_type == "Windows" else 72
        classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"))
        if not 12 <= len(password) <= upper or classes < 3:
            raise AzUsageError(f"The password length must be between 12 and {upper}. Password must have the 3 of the "
                               "following: 1 lower case character, 1 upper case character, 1 number and 1 special "
                               "character.", 1)
    return username, password, keys, auth


# --- simple commands ----------------------------------------------------------------------------

def _show(ctx: Context) -> Any:
    vms = ctx.targets(VirtualMachine)
    shape = (lambda vm: details(ctx, vm)) if ctx.args.show_details else (lambda vm: shown(ctx.world, vm))
    return shape(vms[0]) if len(vms) == 1 else [shape(vm) for vm in vms]


def _list_table(rows: list[dict]) -> Any:
    import jmespath

    detailed = any("powerState" in row for row in rows)
    return jmespath.search(VM_DETAILS_TABLE if detailed else VM_TABLE, rows)


def _list(ctx: Context) -> list[dict]:
    if not ctx.args.show_details:
        return ctx.listed(VirtualMachine)
    group = ctx.group_or_default()
    if group:
        ctx.world.require_group(group)
    return [details(ctx, vm) for vm in ctx.world.list(VirtualMachine, group)]


def _power(method: str):
    def handler(ctx: Context) -> None:
        if method == "stop" and not ctx.args.ids and not ctx.group_or_default():
            # vm stop is one of az's older commands: its validator words a missing group this way.
            raise AzUsageError("(--resource-group | --ids) are required", 2)
        vms = ctx.targets(VirtualMachine)
        if method == "stop":      # az warns from the command itself, once its arguments have passed
            ctx.warn("About to power off the specified VM...\nIt will continue to be billed. To deallocate a VM, "
                     "run: az vm deallocate.")
        options = {"skip_shutdown": bool(ctx.args.skip_shutdown)} if method == "stop" else {}
        # az's restart --force redeploys: the same call as az vm redeploy.
        action = "redeploy" if method == "restart" and ctx.args.force else method
        for vm in vms:
            ctx.run(getattr(ctx.world.vms, action)(vm, **options))
        return None

    return handler


def _delete(ctx: Context) -> None:
    vms = ctx.targets(VirtualMachine)
    ctx.confirm()
    for vm in vms:
        ctx.run(ctx.world.vms.delete(vm))
    return None


def _capture(ctx: Context) -> None:
    ctx.target(VirtualMachine)
    raise errors.capture_needs_blob_disks()


def _instance_view(ctx: Context) -> dict:
    vm = ctx.target(VirtualMachine)
    body = shown(ctx.world, vm)
    body["instanceView"] = instance_view(ctx.world, vm)
    return body


def _update(ctx: Context) -> dict | None:
    world, args = ctx.world, ctx.args
    vm = ctx.target(VirtualMachine)
    if args.os_disk:
        disk = world.get(args.os_disk) if args.os_disk.startswith("/") else world.find(Disk, vm.resource_group,
                                                                                        args.os_disk)
        if not isinstance(disk, Disk):
            raise errors.resource_not_found(Disk.TYPE, args.os_disk.rsplit("/", 1)[-1], vm.resource_group)
        ctx.run(world.vms.swap_os_disk(vm, disk))
    if args.size:
        ctx.run(world.vms.resize(vm, args.size))
    before = shown(world, vm)
    after = generic.apply(before, args.set, args.add, args.remove, args.force_string)
    changes = generic.changed_paths(before, after)
    tags = after.get("tags") if any(p.split(".")[0] == "tags" for p in changes) else None
    in_place: dict[str, Any] = {}          # what vms.update changes without a new operation of its own
    for path, value in changes.items():
        if path == "hardwareProfile.vmSize":
            ctx.run(world.vms.resize(vm, str(value)))
        elif path.split(".")[0] == "tags":
            continue
        elif path == "storageProfile.osDisk.managedDisk.id":
            ctx.run(world.vms.swap_os_disk(vm, world.require_id(Disk, str(value))))
        elif path == "storageProfile.osDisk.deleteOption":
            in_place["os_disk_delete_option"] = _canonical(value, DELETE_OPTIONS)
        elif path == "storageProfile.osDisk.caching":
            in_place["os_disk_caching"] = _canonical(value, catalog.CACHING_MODES)
        elif path == "storageProfile.dataDisks":
            entries = _entries_changing_only(path, before, after, ("deleteOption", "caching"))
            in_place["data_disk_delete_options"] = {
                entry["lun"]: _canonical(entry.get("deleteOption"), DELETE_OPTIONS) for entry in entries}
            in_place["data_disk_caching"] = {
                entry["lun"]: _canonical(entry.get("caching"), catalog.CACHING_MODES) for entry in entries}
        elif path == "networkProfile.networkInterfaces":
            nic_options = {_canonical(entry.get("deleteOption"), DELETE_OPTIONS)
                           for entry in _entries_changing_only(path, before, after, ("deleteOption",))}
            if len(nic_options) > 1:      # labtui keeps one delete option for all of a VM's NICs
                raise errors.property_change_not_allowed(path)
            in_place["nic_delete_option"] = nic_options.pop()
        else:
            raise errors.property_change_not_allowed(path)
    if args.ultra_ssd_enabled is not None:
        in_place["ultra_ssd_enabled"] = args.ultra_ssd_enabled
    if tags is not None or args.tags is not None or in_place:
        ctx.run(world.vms.update(vm, tags=parse_tags(args.tags) if args.tags is not None else tags, **in_place))
    return None if ctx.no_wait else shown(world, vm)


DELETE_OPTIONS = ("Delete", "Detach")


def _canonical(value: Any, choices: tuple[str, ...]) -> str:
    """Azure's enums take any case; the VM shows the canonical one. Anything else is passed on for the
    engine to refuse in Azure's words."""
    text = str(value)
    return next((choice for choice in choices if choice.lower() == text.lower()), text)


def _entries_changing_only(path: str, before: dict, after: dict, keys: tuple[str, ...]) -> list[dict]:
    """The entries of a list (data disks, NICs) after a --set that may change only the given keys."""
    section, key = path.split(".")
    old, new = before[section][key], after[section][key]
    if not isinstance(new, list) or len(old) != len(new) or any(
            not isinstance(b, dict) or {k: v for k, v in a.items() if k not in keys}
            != {k: v for k, v in b.items() if k not in keys} for a, b in zip(old, new)):
        raise errors.property_change_not_allowed(path)
    return new


def _resize(ctx: Context) -> dict | None:
    vm = ctx.target(VirtualMachine)
    ctx.run(ctx.world.vms.resize(vm, ctx.args.size))
    return None if ctx.no_wait else shown(ctx.world, vm)


def _list_skus(ctx: Context) -> list[dict]:
    location = catalog.find_location(ctx.args.location) if ctx.args.location else None
    locations = [location.name] if location else list(catalog.LOCATIONS)
    resource_type = (ctx.args.resource_type or "virtualMachines").lower()
    if ctx.args.zone:       # only where the SKU has availability zones
        locations = [loc for loc in locations if catalog.LOCATIONS[loc].zones]

    def location_info(loc: str) -> list[dict]:
        return [{"location": loc, "zoneDetails": [], "zones": list(catalog.LOCATIONS[loc].zones)}]

    if resource_type == "disks":
        return [{"capabilities": [], "locationInfo": location_info(loc), "locations": [loc], "name": sku,
                 "resourceType": "disks", "restrictions": [], "size": None, "tier": catalog.disk_sku_tier(sku)}
                for sku in catalog.DISK_SKUS if not ctx.args.size or ctx.args.size.lower() in sku.lower()
                for loc in locations]
    if resource_type != "virtualmachines":
        ctx.warn("labtui's SKU list holds only virtualMachines and disks.")
        return []
    out = []
    for size in catalog.VM_SIZES.values():
        if ctx.args.size and ctx.args.size.lower() not in size.name.lower():
            continue
        caps = [{"name": "vCPUs", "value": str(size.vcpus)}, {"name": "MemoryGB", "value": f"{size.memory_gib:g}"},
                {"name": "MaxDataDiskCount", "value": str(size.max_data_disks)},
                {"name": "HyperVGenerations", "value": ",".join(size.hyper_v_generations)},
                {"name": "PremiumIO", "value": str(size.premium_io)},
                {"name": "TrustedLaunchDisabled", "value": str(not size.trusted_launch)}]
        for loc in locations:
            out.append({"capabilities": caps, "family": size.family, "locationInfo": location_info(loc),
                        "locations": [loc],
                        "name": size.name, "resourceType": "virtualMachines", "restrictions": [], "size":
                        size.name.split("_", 1)[-1], "tier": "Standard"})
    return out


def _list_sizes(ctx: Context) -> list[dict]:
    ctx.warn("This command has been deprecated and will be removed in a future release. Use 'vm list-skus' "
             "instead.")
    _required_location(ctx, "Microsoft.Compute/locations/vmSizes")
    return [{"maxDataDiskCount": size.max_data_disks, "memoryInMB": int(size.memory_gib * 1024), "name": size.name,
             "numberOfCores": size.vcpus, "osDiskSizeInMB": 1047552} for size in catalog.VM_SIZES.values()]


def _image_list(ctx: Context) -> list[dict]:
    args = ctx.args
    images = catalog.MARKETPLACE_IMAGES
    filtered = [i for i in images if (not args.publisher or args.publisher.lower() in i.publisher.lower())
                and (not args.offer or args.offer.lower() in i.offer.lower())
                and (not args.sku or args.sku.lower() in i.sku.lower())]
    if not args.all:
        ctx.warn("You are viewing an offline list of images, use --all to retrieve an up-to-date list")
        filtered = [i for i in filtered if i.aliases]
    return [{"architecture": i.architecture, "offer": i.offer, "publisher": i.publisher, "sku": i.sku,
             "urn": f"{i.publisher}:{i.offer}:{i.sku}:{'latest' if not args.all else i.version}",
             "urnAlias": i.aliases[0] if i.aliases else None, "version": "latest" if not args.all else i.version}
            for i in filtered]


IMAGE_SHOW_NEEDS = "Please specify all of (--publisher, --offer, --sku, --version), or --urn"
URN_FORMATS = "publisher:offer:sku:version or publisher:offer:sku:edge_zone:version"


def _image_show(ctx: Context) -> dict:
    args = ctx.args
    # az looks the image up in one of the subscription's regions when -l is not given.
    location = (_required_location(ctx, "Microsoft.Compute/locations/publishers") if ctx.location_or_default()
                else next(iter(catalog.LOCATIONS)))
    if args.urn:
        if any((args.publisher, args.offer, args.sku, args.version)):
            raise AzUsageError(IMAGE_SHOW_NEEDS, 1, recommendation="Try to use --urn publisher:offer:sku:version or "
                               "--urn publisher:offer:sku:edge_zone:version")
        parts = args.urn.split(":")
        if len(parts) not in (4, 5):
            raise AzUsageError(f"--urn should be in the format of {URN_FORMATS}", 1)
        urn = ":".join(parts[:3] + parts[-1:])      # az reads an edge zone but looks the image up without it
    elif args.publisher and args.offer and args.sku and args.version:
        urn = f"{args.publisher}:{args.offer}:{args.sku}:{args.version}"
    else:
        raise AzUsageError(IMAGE_SHOW_NEEDS, 1)
    image = catalog.find_image(urn)
    if image is None:
        raise ArmError("NotFound", "Artifact: VMImage was not found.", 404)
    size_bytes = image.os_disk_size_gb * 2**30 + 512        # a fixed VHD ends in a 512-byte footer
    features = [{"name": "SecurityType", "value": "TrustedLaunchSupported"}] if image.trusted_launch_supported else []
    return {"architecture": image.architecture, "automaticOsUpgradeProperties": {"automaticOsUpgradeSupported": False},
            "dataDiskImages": [], "disallowed": {"vmDiskType": "Unmanaged"}, "extendedLocation": None,
            "features": features + [{"name": "IsAcceleratedNetworkSupported", "value": "True"}],
            "hyperVGeneration": image.hyper_v_generation,
            "id": catalog.platform_image_id(ctx.world.subscription_id, location, image),
            "imageDeprecationStatus": {"imageState": "Active"}, "location": location, "name": image.version,
            "osDiskImage": {"operatingSystem": image.os_type, "sizeInBytes": size_bytes,
                            "sizeInGb": -(-size_bytes // 2**30)},
            "plan": None, "tags": None}


def _wait(ctx: Context) -> None:
    from .waiting import wait_for

    def fetch():
        try:
            return ctx.target(VirtualMachine)
        except ArmError:
            return None

    def view(vm: VirtualMachine) -> dict:
        body = shown(ctx.world, vm)
        body["instanceView"] = instance_view(ctx.world, vm)
        return body

    wait_for(ctx, fetch, lambda vm: vm.provisioning_state, view)
    return None


# --- disks --------------------------------------------------------------------------------------

def _vm_for_disk(ctx: Context) -> VirtualMachine:
    return ctx.target(VirtualMachine, "vm_name")


def _attach(ctx: Context) -> dict | None:
    world, args = ctx.world, ctx.args
    vm = _vm_for_disk(ctx)
    if args.new:
        if not args.name:
            raise AzUsageError("usage error: --name is required when creating a new disk with --new", 1)
        if not args.size_gb:
            raise AzUsageError("usage error: --size-gb is required to create an empty disk for attach", 1)
        # On Azure the new disk is part of the VM's update, which fails whole: nothing is left behind.
        world.vms.check_data_disk_slot(vm, args.sku or "Premium_LRS", args.lun, args.caching or "None")
        ctx.finish(world.disks.create(vm.resource_group, args.name, location=vm.location, size_gb=args.size_gb,
                                         sku=args.sku or "Premium_LRS",
                                         zone=vm.zones[0] if vm.zones else None))
    names = [args.name] if args.name else []
    disk_ids = list(args.disks or []) + list(args.disk_ids or []) + names
    if not disk_ids:
        raise AzUsageError("usage error: please specify --name or --disks", 1)
    for text in disk_ids:
        disk = world.get(text) if text.startswith("/") else world.find(Disk, vm.resource_group, text)
        if not isinstance(disk, Disk):
            raise errors.resource_not_found(Disk.TYPE, text.rsplit("/", 1)[-1], vm.resource_group)
        ctx.run(world.vms.attach_disk(vm, disk, args.lun, args.caching or "None"))
    return None if ctx.no_wait else shown(world, vm)      # az prints the updated VM


def _detach(ctx: Context) -> dict:
    world, args = ctx.world, ctx.args
    vm = _vm_for_disk(ctx)
    if not args.name and not args.disk_ids:
        raise AzUsageError("Please use at least one '--name', '--disk-ids'", 1)
    wanted = []
    if args.name:
        entry = next((d for d in vm.data_disks if d.name.lower() == args.name.lower()), None)
        if entry is None:
            raise AzUsageError(f"No disk with the name '{args.name}' was found", 3)
        wanted.append(entry.disk_id)
    wanted += args.disk_ids or []
    for disk_id in wanted:
        ctx.run(world.vms.detach_disk(vm, disk_id))
    return shown(world, vm)


def _run_command(ctx: Context) -> Any:
    vm = ctx.target(VirtualMachine)
    scripts = list(ctx.args.scripts or [])
    return ctx.run(ctx.world.vms.run_command(vm, ctx.args.command_id, scripts))


# --- arguments ----------------------------------------------------------------------------------

VM_NAME_HELP = "The name of the Virtual Machine. You can configure the default using `az configure --defaults vm=<name>`."


def _identified(p) -> None:
    argtypes.identified(p, VM_NAME_HELP, ("--name", "-n", "--vm-name"))


def _power_args(extra=None):
    def spec(p) -> None:
        _identified(p)
        argtypes.no_wait(p)
        if extra:
            extra(p)

    return spec


def _deallocate_args(p) -> None:
    argtypes.not_simulated(p, "--hibernate", "hibernation", "Hibernate a VM instead of only deallocating it.")
    # Deallocating without waiting for the guest to shut down ends in the same state here: labtui's guests
    # lose nothing unsaved.
    p.add_argument("--force-deallocate", action="store_true", dest="force_deallocate", help="Force-deallocate "
                   "the VM without a graceful shutdown of the guest.")


def _create_args(p) -> None:
    argtypes.name(p, "Name of the virtual machine.", required=True)
    argtypes.resource_group(p, needed=True)
    p.add_argument("--image", help="The name of the operating system image as a URN alias, URN, custom image name or "
                   "ID, or gallery image (definition or version) ID.")
    p.add_argument("--attach-os-disk", dest="attach_os_disk", help="Attach an existing OS disk to the VM. Can use "
                   "the name or ID of a managed disk.")
    p.add_argument("--attach-data-disks", nargs="+", dest="attach_data_disks", help="Attach existing data disks.")
    argtypes.os_type(p, "Type of OS installed on a custom VHD. Do not use when specifying an URN or URN alias.")
    p.add_argument("--size", default=catalog.DEFAULT_VM_SIZE, help="The VM size to be created.")
    argtypes.location(p)
    p.add_argument("--admin-username", dest="admin_username", help="Username for the VM. Default value is current "
                   "username of OS. If the default value is system reserved, then default value will be set to "
                   "azureuser.")
    p.add_argument("--admin-password", dest="admin_password", help="Password for the VM if authentication type is "
                   "'Password'.")
    argtypes.enum(p, "--authentication-type", choices=("all", "password", "ssh"), dest="authentication_type",
                  help="Type of authentication to use with the VM.")
    p.add_argument("--generate-ssh-keys", action="store_true", dest="generate_ssh_keys",
                   help="Generate SSH public and private key files if missing.")
    p.add_argument("--ssh-key-values", nargs="+", dest="ssh_key_values", help="Space-separated list of SSH public "
                   "keys or public key file paths.")
    argtypes.enum(p, "--ssh-key-type", choices=("Ed25519", "RSA"), dest="ssh_key_type", help="Type of SSH key "
                  "that --generate-ssh-keys makes.")
    argtypes.not_simulated(p, "--ssh-key-name", "SSH public key resources (Microsoft.Compute/sshPublicKeys)",
                           "Use it as the public key in the virtual machine.")
    argtypes.integer(p, "--count", dest="count", help="Number of virtual machines to create. Value range is [2, 250].")
    p.add_argument("--computer-name", dest="computer_name", help="The host OS name of the virtual machine.")
    argtypes.boolean(p, "--specialized", dest="specialized", help="Indicate whether the source image is specialized.")
    argtypes.enum(p, "--security-type", choices=("ConfidentialVM", "Standard", "TrustedLaunch"), dest="security_type",
                  help="Specify the security type of the virtual machine.")
    argtypes.boolean(p, "--enable-secure-boot", dest="enable_secure_boot", help="Enable secure boot.")
    argtypes.boolean(p, "--enable-vtpm", dest="enable_vtpm", help="Enable vTPM.")
    p.add_argument("--storage-sku", nargs="+", dest="storage_sku", help="The SKU of the storage account with which "
                   "to persist VM. Use a singular sku or os=SKU 0=SKU.")
    p.add_argument("--os-disk-name", dest="os_disk_name", help="The name of the new VM OS disk.")
    argtypes.integer(p, "--os-disk-size-gb", dest="os_disk_size_gb", help="OS disk size in GB to create.")
    p.add_argument("--data-disk-sizes-gb", nargs="+", type=int, dest="data_disk_sizes_gb",
                   help="Space-separated empty managed data disk sizes in GB to create.")
    argtypes.enum(p, "--os-disk-delete-option", choices=("Delete", "Detach"), dest="os_disk_delete_option",
                  help="Specify the behavior of the managed disk when the VM gets deleted.")
    argtypes.enum(p, "--data-disk-delete-option", choices=("Delete", "Detach"), dest="data_disk_delete_option",
                  help="Specify whether data disk should be deleted or detached upon VM deletion.")
    argtypes.enum(p, "--nic-delete-option", choices=("Delete", "Detach"), dest="nic_delete_option",
                  help="Specify what happens to the network interface when the VM is deleted.")
    p.add_argument("--zone", "-z", dest="zone", help="Availability zone into which to provision the resource.")
    p.add_argument("--vnet-name", dest="vnet_name", help="Name of the virtual network when creating a new one or "
                   "referencing an existing one.")
    p.add_argument("--subnet", dest="subnet", help="The name of the subnet when creating a new VNet or referencing "
                   "an existing one.")
    p.add_argument("--nsg", dest="nsg", help='The name to use when creating a new Network Security Group (default) '
                   'or referencing an existing one. Use "" for none.')
    argtypes.enum(p, "--nsg-rule", choices=("NONE", "RDP", "SSH"), dest="nsg_rule", help="NSG rule to create when "
                  "creating a new NSG.")
    p.add_argument("--public-ip-address", dest="public_ip_address", help='Name of the public IP address when creating '
                   'one (default) or referencing an existing one. Use "" for none.')
    argtypes.enum(p, "--public-ip-sku", choices=("Basic", "Standard"), dest="public_ip_sku", help="Public IP SKU.")
    p.add_argument("--nics", nargs="+", dest="nics", help="Names or IDs of existing NICs to attach to the VM.")
    argtypes.boolean(p, "--ultra-ssd-enabled", dest="ultra_ssd_enabled", help="Enables or disables the capability to "
                     "have 1 or more managed data disks with UltraSSD_LRS storage account.")
    argtypes.tags(p)
    argtypes.no_wait(p)


def _show_args(p) -> None:
    _identified(p)
    p.add_argument("--show-details", "-d", action="store_true", dest="show_details",
                   help="Show public ip address, FQDN, and power states. command will run slow.")
    p.add_argument("--include-user-data", "-u", action="store_true", dest="user_data", help="Include the user data.")


def _list_args(p) -> None:
    argtypes.resource_group(p)
    p.add_argument("--show-details", "-d", action="store_true", dest="show_details",
                   help="Show public ip address, FQDN, and power states. command will run slow.")


def _delete_args(p) -> None:
    _identified(p)
    argtypes.yes(p)
    argtypes.no_wait(p)
    p.add_argument("--force-deletion", action="store_true", dest="force_deletion", help="Optional parameter to "
                   "force delete virtual machines.")


def _capture_args(p) -> None:
    _identified(p)
    p.add_argument("--vhd-name-prefix", dest="vhd_name_prefix", required=True, help="The VHD name prefix specify "
                   "for the VM disks.")
    p.add_argument("--storage-container", default="vhds", help="The storage account container name in which to "
                   "save the disks.")
    p.add_argument("--overwrite", default=True, help="Overwrite the existing disk file.")


def _update_args(p) -> None:
    _identified(p)
    p.add_argument("--os-disk", dest="os_disk", help="Managed OS disk ID or name to swap to.")
    p.add_argument("--size", dest="size", help="The new size of the virtual machine.")
    argtypes.boolean(p, "--ultra-ssd-enabled", dest="ultra_ssd_enabled", help="Enables or disables the capability to "
                     "have 1 or more managed data disks with UltraSSD_LRS storage account.")
    argtypes.tags(p)
    generic.update_arguments(p)
    argtypes.no_wait(p)


def _resize_args(p) -> None:
    _identified(p)
    p.add_argument("--size", required=True, help="The VM size.")
    argtypes.no_wait(p)


def _skus_args(p) -> None:
    argtypes.location(p)
    p.add_argument("--size", "-s", dest="size", help="Size name, partial name is accepted.")
    p.add_argument("--resource-type", "-r", dest="resource_type", help="Resource types e.g. 'virtualMachines'.")
    # labtui's subscription has no SKU restrictions, so --all shows what the plain list shows.
    p.add_argument("--all", action="store_true", help="Show all information including vm sizes not available under "
                   "the current subscription.")
    p.add_argument("--zone", "-z", action="store_true", help="Show skus supporting availability zones.")


def _image_list_args(p) -> None:
    argtypes.location(p)
    p.add_argument("--all", action="store_true", help="Retrieve image list from live Azure service rather using an "
                   "offline image list.")
    p.add_argument("--publisher", "-p", dest="publisher", help="Image publisher.")
    p.add_argument("--offer", "-f", dest="offer", help="Image offer.")
    p.add_argument("--sku", "-s", dest="sku", help="Image sku.")
    argtypes.enum(p, "--architecture", choices=("Arm64", "x64"), dest="architecture", help="Image architecture.")


def _image_show_args(p) -> None:
    p.add_argument("--location", "-l", dest="location", help="Location. Values from: `az account list-locations`. You "
                   "can configure the default location using `az configure --defaults location=<location>`.")
    p.add_argument("--urn", help="URN, in format of 'publisher:offer:sku:version' or 'publisher:offer:sku:edge_zone:"
                   "version'. If specified, other argument values can be omitted.")
    p.add_argument("--publisher", "-p", dest="publisher", help="Image publisher.")
    p.add_argument("--offer", "-f", dest="offer", help="Image offer.")
    p.add_argument("--sku", "-s", dest="sku", help="Image sku.")
    p.add_argument("--version", dest="version", help="Image sku's version.")


def _wait_args(p) -> None:
    from .waiting import wait_arguments

    _identified(p)
    wait_arguments(p)


def _attach_args(p) -> None:
    argtypes.resource_group(p)
    argtypes.name(p, "The name of the Virtual Machine.", ("--vm-name",), "vm_name")
    argtypes.ids(p)
    p.add_argument("--name", "-n", "--disk", dest="name", help="The name or ID of the managed disk.")
    p.add_argument("--disks", nargs="+", dest="disks", help="One or more names or IDs of the managed disk.")
    p.add_argument("--disk-ids", nargs="+", dest="disk_ids", help="The disk IDs of the managed disk.")
    p.add_argument("--new", action="store_true", help="Create a new disk.")
    argtypes.integer(p, "--size-gb", "-z", dest="size_gb", help="Size in GB. Max size: 4095 GB.")
    argtypes.disk_sku(p)
    argtypes.integer(p, "--lun", dest="lun", help="0-based logical unit number (LUN). Max value depends on the "
                     "Virtual Machine size.")
    argtypes.enum(p, "--caching", choices=catalog.CACHING_MODES, dest="caching", help="Disk caching "
                  "policy.")
    argtypes.not_simulated(p, "--source-snapshots-or-disks", "attaching copies of snapshots or disks in one step "
                           "(create a disk from the snapshot with az disk create, then attach it)",
                           "Create data disks from these snapshots or disks and attach them.")
    argtypes.not_simulated(p, "--source-resource", "attaching copies of snapshots or disks in one step (create a "
                           "disk from the snapshot with az disk create, then attach it)",
                           "Create a data disk from this snapshot or disk and attach it.")
    argtypes.not_simulated(p, "--enable-write-accelerator", "Write Accelerator (M-series VMs)",
                           "Enable write accelerator on the disk.")
    argtypes.no_wait(p)


def _detach_args(p) -> None:
    argtypes.resource_group(p)
    argtypes.name(p, "The name of the Virtual Machine.", ("--vm-name",), "vm_name")
    argtypes.ids(p)
    p.add_argument("--name", "-n", dest="name", help="The data disk name.")
    p.add_argument("--disk-ids", nargs="+", dest="disk_ids", help="The disk IDs of the managed disk.")
    p.add_argument("--force-detach", action="store_true", help="Force detach managed data disks from a VM.")


def _run_command_args(p) -> None:
    _identified(p)
    p.add_argument("--command-id", dest="command_id", required=True, help="The command id. Use 'az vm run-command "
                   "list' to get the list.")
    p.add_argument("--scripts", nargs="+", dest="scripts", help="Space-separated script lines.")
    argtypes.not_simulated(p, "--parameters", "script parameters (write the values into --scripts)",
                           "Space-separated parameters in the format of '[name=]value'.")
    argtypes.no_wait(p)


def _required_location(ctx: Context, type_path: str) -> str:
    """-l of a command that lists what a region offers; `az configure --defaults location=` fills it, as in az."""
    location = ctx.location_or_default()
    if not location:
        raise AzUsageError("the following arguments are required: --location/-l", 2)
    if catalog.find_location(location) is None:
        raise errors.location_not_available_for_type(location, type_path, sorted(catalog.LOCATIONS))
    return location


def _run_command_list(ctx: Context) -> list[dict]:
    _required_location(ctx, "Microsoft.Compute/locations/runCommands")
    ctx.warn("labtui lists the run commands it simulates; Azure offers more, most of them for Windows.")
    return [{"$schema": "https://schema.management.azure.com/schemas/2016-11-17/runcommands.json",
             "description": command.description, "id": command.id, "label": command.label,
             "osType": command.os_type} for command in catalog.RUN_COMMANDS]


def _required_location_args(p) -> None:
    p.add_argument("--location", "-l", dest="location", help="[Required] Location. Values from: `az account "
                   "list-locations`. You can configure the default location using `az configure --defaults "
                   "location=<location>`.")


COMMANDS = [
    Command("vm create", _create, _create_args, "Create an Azure Virtual Machine.", no_wait=True, validator_exit=2,
            examples=(Example("Create an Ubuntu 22.04 VM with SSH keys.", "az vm create -n MyVm -g MyResourceGroup "
                              "--image Ubuntu2204 --generate-ssh-keys"),
                      Example("Create a VM by attaching to a managed operating system disk.",
                              "az vm create -g MyResourceGroup -n MyVm --attach-os-disk MyOsDisk --os-type linux"),
                      Example("Create three VMs from a custom image.", "az vm create -g MyResourceGroup -n vm "
                              "--image MyImage --count 3 --admin-username azureuser --generate-ssh-keys"))),
    Command("vm show", _show, _show_args, "Get the details of a VM.",
            examples=(Example("Show information about a VM.", "az vm show -g MyResourceGroup -n MyVm -d"),)),
    Command("vm list", _list, _list_args, "List details of Virtual Machines.", table=_list_table),
    Command("vm start", _power("start"), _power_args(), "Start a stopped virtual machine.", no_wait=True,
            examples=(Example("Start a stopped virtual machine.", "az vm start -g MyResourceGroup -n MyVm"),)),
    Command("vm stop", _power("stop"), _power_args(lambda p: p.add_argument(
        "--skip-shutdown", action="store_true", help="Skip shutdown and power-off immediately.")),
        "Power off (stop) a running VM.", no_wait=True,
        long_summary="The VM will continue to be billed. To avoid this, you can deallocate the VM through "
                     "\"az vm deallocate\"",
        examples=(Example("Power off (stop) a running VM.", "az vm stop -g MyResourceGroup -n MyVm"),)),
    Command("vm deallocate", _power("deallocate"), _power_args(_deallocate_args), "Deallocate a VM so that computing resources are "
            "no longer allocated (charges no longer apply). The status will change from 'Stopped' to 'Stopped "
            "(Deallocated)'.", no_wait=True, examples=DEALLOCATE_GENERALIZE_CAPTURE),
    Command("vm restart", _power("restart"), _power_args(lambda p: p.add_argument(
        "--force", action="store_true", help="Force the VM to restart by redeploying it.")), "Restart VMs.",
        no_wait=True),
    Command("vm redeploy", _power("redeploy"), _power_args(), "Redeploy an existing VM.", long_summary="The VM "
            "shuts down, moves to a new host in its region and starts there; its disks go with it.", no_wait=True),
    Command("vm generalize", _power("generalize"), _power_args(), "Mark a VM as generalized, allowing it to be imaged "
            "for multiple deployments.", long_summary="For an overview, see: generalize and capture. Run sysprep "
            "(Windows) or waagent -deprovision+user (Linux) in the guest first: this command only marks the VM.",
            examples=DEALLOCATE_GENERALIZE_CAPTURE),
    Command("vm delete", _delete, _delete_args, "Delete a VM.", confirm=True, no_wait=True,
            examples=(Example("Delete a VM without a prompt for confirmation.",
                              "az vm delete -g MyResourceGroup -n MyVm --yes"),)),
    Command("vm capture", _capture, _capture_args, "Capture information for a stopped VM.",
            long_summary="Only VMs with unmanaged (blob) disks can be captured this way; for managed disks use "
                         "az image create.", examples=DEALLOCATE_GENERALIZE_CAPTURE),
    Command("vm get-instance-view", _instance_view, _identified, "Get instance information about a VM."),
    Command("vm update", _update, _update_args, "Update the properties of a VM.", no_wait=True,
            examples=(Example("Swap the OS disk of a deallocated VM.", "az vm update -g MyResourceGroup -n MyVm "
                              "--os-disk MyRestoredOsDisk"),)),
    Command("vm resize", _resize, _resize_args, "Update a VM's size.", no_wait=True),
    Command("vm list-skus", _list_skus, _skus_args, "Get details for compute-related resource SKUs.",
            table="[].{ResourceType:resourceType, Locations:locations[0], Name:name, "
                  "Zones:join(',', locationInfo[0].zones), Restrictions:'None'}"),
    Command("vm list-sizes", _list_sizes, _required_location_args, "List available sizes for VMs. (Deprecated: "
            "use az vm list-skus.)", table="[].{MaxDataDiskCount:maxDataDiskCount, MemoryInMB:memoryInMB, Name:name, "
            "NumberOfCores:numberOfCores, OsDiskSizeInMB:osDiskSizeInMB}"),
    Command("vm wait", _wait, _wait_args, "Place the CLI in a waiting state until a condition of the VM is met.",
            examples=(Example("Wait until a VM is deallocated.", "az vm wait -g MyResourceGroup -n MyVm --custom "
                              "\"instanceView.statuses[?code=='PowerState/deallocated']\""),)),
    Command("vm image list", _image_list, _image_list_args, "List the VM/VMSS images available in the Azure "
            "Marketplace.", table="[].{Architecture:architecture, Offer:offer, Publisher:publisher, Sku:sku, "
            "Urn:urn, UrnAlias:urnAlias, Version:version}"),
    Command("vm image show", _image_show, _image_show_args, "Get the details for a VM image available in the Azure "
            "Marketplace.", examples=(Example("Show the latest Ubuntu 22.04 Gen2 image in East US.", "az vm image "
                                              "show -l eastus --urn Canonical:0001-com-ubuntu-server-jammy:22_04-lts-"
                                              "gen2:latest"),)),
    Command("vm disk attach", _attach, _attach_args, "Attach a managed persistent disk to a VM.", no_wait=True,
            examples=(Example("Attach a data disk to a VM.", "az vm disk attach -g MyResourceGroup --vm-name MyVm "
                              "--name disk_name"),)),
    Command("vm disk detach", _detach, _detach_args, "Detach a managed disk from a VM."),
    Command("vm run-command list", _run_command_list, _required_location_args, "List the run commands a VM's "
            "agent can carry out.", table="[].{Id:id, OsType:osType, Label:label}",
            examples=(Example("List the run commands in East US.", "az vm run-command list -l eastus -o table"),)),
    Command("vm run-command invoke", _run_command, _run_command_args, "Execute a specific run command on a vm.",
            no_wait=True, examples=(Example("Install nginx on a Linux VM.", "az vm run-command invoke -g "
                                            "MyResourceGroup -n MyVm --command-id RunShellScript --scripts "
                                            "\"sudo apt-get update && sudo apt-get install -y nginx\""),)),
]
