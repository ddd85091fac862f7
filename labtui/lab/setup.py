"""Building a lab's starting world from its ``[[setup]]`` entries, through the engine's own services.

Every entry becomes the engine operation Azure would run (a VM create, a guest line, a deallocate),
fast-forwarded to its end, so a setup can only reach states Azure can reach: a setup that asks to
image a running VM fails here exactly as the student's command would. VMs get what `az vm create`
would give them by default (network names, Trusted Launch for images that support it), so the
starting world looks like one the student could have built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine import catalog
from ..engine.clock import parse_duration
from ..engine.compute_vms import VmSpec, VmSource
from ..engine.errors import ArmError
from ..engine.galleries import RegionRequest
from ..engine.guest_session import GuestSession, GuestUnreachable
from ..engine.network import NetworkPlan
from ..engine.resources import Disk, Image, Snapshot, VirtualMachine
from ..engine.world import World
from .model import Lab, SetupAction

if TYPE_CHECKING:
    from ..engine.operations import Operation

SETUP_PASSWORD = "Lab-Passw0rd-2026!"        # set-up Windows VMs: the student never needs it to sign in
SETUP_SSH_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQlabtuisetupkey student@labtui"


class SetupFailed(Exception):
    """A setup entry Azure would refuse. ``index`` is its position in [[setup]]."""

    def __init__(self, index: int, message: str):
        super().__init__(f"setup[{index}]: {message}")
        self.index = index
        self.message = message


def build_world(lab: Lab, seed: int | None = None, speed: float = 10.0) -> World:
    """A new World holding the lab's starting state, with the clock after the setup's last operation."""
    world = World(seed=lab.seed if seed is None else seed, speed=speed)
    apply_setup(world, lab.setup)
    return world


def apply_setup(world: World, actions: tuple[SetupAction, ...]) -> None:
    for action in actions:
        try:
            _apply(world, action)
        except ArmError as error:
            raise SetupFailed(action.index, f"({error.code}) {error.message}") from error
        except GuestUnreachable as error:
            raise SetupFailed(action.index, str(error)) from error


def _finish(world: World, op: "Operation", action: SetupAction) -> None:
    world.finish(op)
    if op.status != "Succeeded":
        error = op.error or {}
        raise SetupFailed(action.index, f"({error.get('code', op.status)}) {error.get('message', '')}".strip())


def _require(world: World, cls: type, group: str, name: str, action: SetupAction, role: str) -> Any:
    found = world.find(cls, group, name)
    if found is None:
        raise SetupFailed(action.index, f"{role} '{name}' does not exist in '{group}' at this point of the setup")
    return found


def _source_id(world: World, group: str, name: str, action: SetupAction, *kinds: type) -> str:
    for cls in kinds:
        found = world.find(cls, group, name)
        if found is not None:
            return found.id
    wanted = " or ".join(cls.__name__.lower() for cls in kinds)
    raise SetupFailed(action.index, f"source '{name}' is not a {wanted} in '{group}' at this point of the setup")


def _apply(world: World, action: SetupAction) -> None:
    f = action.fields
    if action.verb == "wait":
        world.advance(parse_duration(f["wait"]) or 0)
    elif action.verb == "create":
        CREATORS[action.kind](world, action, f)
    elif action.verb == "guest":
        vm = _require(world, VirtualMachine, f["group"], f["guest"], action, "VM")
        _run_guest(world, vm, list(f["run"]), action)
        world.run_until_idle()
    elif action.verb == "vm":
        vm = _require(world, VirtualMachine, f["group"], f["vm"], action, "VM")
        method = getattr(world.vms, f["action"])
        _finish(world, method(vm), action)
    elif action.verb == "attach":
        vm = _require(world, VirtualMachine, f["group"], f["vm"], action, "VM")
        disk = _require(world, Disk, f["group"], f["attach"], action, "disk")
        _finish(world, world.vms.attach_disk(vm, disk, lun=f.get("lun")), action)
    elif action.verb == "delete":
        cls = {"vm": VirtualMachine, "disk": Disk, "snapshot": Snapshot, "image": Image}[f["delete"]]
        resource = _require(world, cls, f["group"], f["name"], action, f["delete"])
        service = {"vm": world.vms, "disk": world.disks, "snapshot": world.snapshots, "image": world.images}
        _finish(world, service[f["delete"]].delete(resource), action)


def _run_guest(world: World, vm: VirtualMachine, lines: list[str], action: SetupAction) -> None:
    session = GuestSession(world, vm.id)
    index = 0
    while index < len(lines):
        result = session.run(lines[index])
        index += 1
        if result.awaiting_answer:
            continue                         # the next line answers the guest's question
        if result.exit_status != 0:
            raise SetupFailed(action.index, f"guest line '{lines[index - 1]}' failed: {result.output.strip()}")


def _create_group(world: World, action: SetupAction, f: dict) -> None:
    world.groups.create(f["name"], f["location"], f.get("tags"))


def _create_vm(world: World, action: SetupAction, f: dict) -> None:
    group, name = f["group"], f["name"]
    security = f.get("security_type")
    if f.get("from_image"):
        image = _require(world, Image, group, f["from_image"], action, "image")
        source = VmSource("image", image.id)
        os_type = image.os_disk.os_type or "Linux"
    else:
        found = catalog.find_image(f.get("image", "Ubuntu2204"))
        if found is None:
            raise SetupFailed(action.index, f"'{f.get('image')}' is not a marketplace image alias or URN")
        source = VmSource("marketplace", found.urn)
        os_type = found.os_type
        if security is None and found.trusted_launch_supported:
            security = "TrustedLaunch"       # az's default for images that support it
    windows = os_type == "Windows"
    plan = NetworkPlan(vnet=f"{name}VNET", subnet=f"{name}Subnet", nsg=f"{name}NSG", public_ip=f"{name}PublicIP",
                       nic=f"{name}VMNic", nsg_rule="RDP" if windows else "SSH")
    spec = VmSpec(group=group, name=name, source=source, location=f.get("location"),
                  size=f.get("size", catalog.DEFAULT_VM_SIZE), admin_username=f.get("admin_username", "azureuser"),
                  admin_password=f.get("admin_password", SETUP_PASSWORD) if windows else None,
                  ssh_public_keys=() if windows else (SETUP_SSH_KEY,),
                  authentication_type="password" if windows else "ssh", security_type=security,
                  os_disk_name=f.get("os_disk_name"), os_disk_size_gb=f.get("os_disk_size_gb"),
                  data_disk_sizes_gb=tuple(f.get("data_disk_sizes_gb", ())), zone=f.get("zone"), network=plan,
                  tags=f.get("tags", {}))
    op = world.vms.create(spec)
    _finish(world, op, action)
    power = f.get("power", "running")
    vm = world.get(op.resource_id)
    if power in ("stopped", "deallocated"):
        _finish(world, (world.vms.stop if power == "stopped" else world.vms.deallocate)(vm), action)
    elif power != "running":
        raise SetupFailed(action.index, f"power '{power}' is not one of running, stopped, deallocated")


def _create_disk(world: World, action: SetupAction, f: dict) -> None:
    group = f["group"]
    source = _source_id(world, group, f["source"], action, Snapshot, Disk) if f.get("source") else None
    _finish(world, world.disks.create(group, f["name"], location=f.get("location"), size_gb=f.get("size_gb"),
                                      sku=f.get("sku", "Premium_LRS"), source_id=source, os_type=f.get("os_type"),
                                      hyper_v_generation=f.get("hyper_v_generation"), zone=f.get("zone"),
                                      tags=f.get("tags")), action)


def _create_snapshot(world: World, action: SetupAction, f: dict) -> None:
    group = f["group"]
    source = _source_id(world, group, f["source"], action, Disk, Snapshot)
    _finish(world, world.snapshots.create(group, f["name"], source_id=source, location=f.get("location"),
                                          sku=f.get("sku", "Standard_LRS"), incremental=f.get("incremental", False),
                                          tags=f.get("tags")), action)


def _create_image(world: World, action: SetupAction, f: dict) -> None:
    group = f["group"]
    source = _source_id(world, group, f["source"], action, VirtualMachine, Snapshot, Disk)
    _finish(world, world.images.create(group, f["name"], source_id=source, location=f.get("location"),
                                       hyper_v_generation=f.get("hyper_v_generation", "V1"),
                                       os_type=f.get("os_type"), tags=f.get("tags")), action)


def _create_gallery(world: World, action: SetupAction, f: dict) -> None:
    _finish(world, world.galleries.create(f["group"], f["name"], location=f.get("location"),
                                          description=f.get("description"), tags=f.get("tags")), action)


def _create_definition(world: World, action: SetupAction, f: dict) -> None:
    features = [{"name": "SecurityType", "value": f["security_type"]}] if f.get("security_type") else None
    _finish(world, world.galleries.create_definition(
        f["group"], f["gallery"], f["name"], publisher=f["publisher"], offer=f["offer"], sku=f["sku"],
        os_type=f["os_type"], os_state=f.get("os_state", "Generalized"),
        hyper_v_generation=f.get("hyper_v_generation", "V1"), features=features,
        end_of_life_date=f.get("end_of_life_date"), location=f.get("location"), tags=f.get("tags")), action)


def _create_version(world: World, action: SetupAction, f: dict) -> None:
    group = f["group"]
    source = _source_id(world, group, f["source"], action, Image, VirtualMachine, Snapshot)
    regions = [RegionRequest(name) for name in f.get("regions", [])] or None
    _finish(world, world.galleries.create_version(
        group, f["gallery"], f["definition"], f["name"], source_id=source, location=f.get("location"),
        target_regions=regions, replica_count=f.get("replica_count", 1),
        exclude_from_latest=f.get("exclude_from_latest", False), end_of_life_date=f.get("end_of_life_date"),
        tags=f.get("tags")), action)


CREATORS = {
    "group": _create_group, "vm": _create_vm, "disk": _create_disk, "snapshot": _create_snapshot,
    "image": _create_image, "gallery": _create_gallery, "image-definition": _create_definition,
    "image-version": _create_version,
}
