"""A seeded, realistic world of about 10,000 resources, built with the engine's own operations.

``build_world(WorldShape())`` makes 20 resource groups over four regions, one VNet per group, one NSG
per group and OS (SSH for Linux, RDP for Windows), and 2,000 VMs (one in five Windows) each with its
OS disk, NIC and Standard public IP, as ``az vm create --vnet-name --nsg`` would make them. Then
full snapshots of the first VMs' OS disks and managed images captured from some of those snapshots
bring the count to 10,000.

Everything goes through the public services (``world.groups.create``, ``world.vms.create``,
``world.snapshots.create``, ``world.images.create``) and the clock (``world.run_until_idle``), so the
world is exactly what a (very busy) student would have made: every validation ran, every event was
emitted, every operation went through its phases. Nothing is written into ``world.resources``
directly.

Other benchmarks (and tests, with a small shape) reuse ``build_world``.
"""

from __future__ import annotations

import attrs

from labtui.engine import catalog
from labtui.engine.compute_vms import VmSpec, VmSource
from labtui.engine.network import NetworkPlan
from labtui.engine.resources import (
    Disk, Image, NetworkInterface, NetworkSecurityGroup, PublicIp, ResourceGroup, Snapshot, VirtualMachine,
    VirtualNetwork,
)
from labtui.engine.world import World

LINUX_IMAGE = "Ubuntu2204"
WINDOWS_IMAGE = "Win2022Datacenter"
SIZES = ("Standard_B2s", "Standard_D2s_v5", "Standard_B1s", "Standard_D2as_v5")
SSH_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCbenchmarkkeyonly benchmark@labtui"
WINDOWS_PASSWORD = "Bench-Passw0rd-2026"


@attrs.frozen
class WorldShape:
    """How big the world is. The defaults make exactly 10,000 resources."""

    vms: int = 2000
    groups: int = 20
    regions: tuple[str, ...] = ("eastus", "westeurope", "southeastasia", "australiaeast")
    windows_every: int = 5          # VM rounds ``r`` with r % windows_every == 0 are Windows
    snapshots: int = 1600           # full snapshots of the OS disks of the first VMs
    images: int = 320               # managed images, each from one of those snapshots
    seed: int = 2026
    speed: float = 10.0
    batch: int = 250                # VM creates accepted before the clock is run to idle

    def __attrs_post_init__(self) -> None:
        if self.snapshots > self.vms or self.images > self.snapshots or self.groups < 1 or self.vms < 1:
            raise ValueError("a shape needs groups >= 1, vms >= 1, snapshots <= vms and images <= snapshots")

    # --- naming: VM i lives in group i % groups, in round i // groups -----------------------------
    def group_name(self, g: int) -> str:
        return f"rg-bench-{g:02d}"

    def group_of(self, i: int) -> str:
        return self.group_name(i % self.groups)

    def vm_name(self, i: int) -> str:
        return f"vm{i:04d}"

    def is_windows(self, i: int) -> bool:
        return (i // self.groups) % self.windows_every == 0

    def location_of_group(self, g: int) -> str:
        return self.regions[g % len(self.regions)]

    # --- what the world must contain ---------------------------------------------------------------
    def windows_vms(self, group_index: int | None = None) -> int:
        return sum(1 for i in range(self.vms) if self.is_windows(i)
                   and (group_index is None or i % self.groups == group_index))

    def expected_counts(self) -> dict[type, int]:
        groups_used = min(self.groups, self.vms)
        nsgs = sum((self.windows_vms(g) > 0) + (self.windows_vms(g) < self._vms_in(g)) for g in range(groups_used))
        return {
            ResourceGroup: self.groups,
            VirtualNetwork: groups_used,
            NetworkSecurityGroup: nsgs,
            VirtualMachine: self.vms,
            Disk: self.vms,
            NetworkInterface: self.vms,
            PublicIp: self.vms,
            Snapshot: self.snapshots,
            Image: self.images,
        }

    def _vms_in(self, g: int) -> int:
        return sum(1 for i in range(self.vms) if i % self.groups == g)

    @property
    def total(self) -> int:
        return sum(self.expected_counts().values())


def vm_spec(shape: WorldShape, i: int) -> VmSpec:
    """The request ``az vm create -g RG -n vmNNNN --image ... --vnet-name ... --nsg ...`` makes."""
    windows = shape.is_windows(i)
    group = shape.group_of(i)
    name = shape.vm_name(i)
    image = catalog.find_image(WINDOWS_IMAGE if windows else LINUX_IMAGE)
    assert image is not None
    os_kind = "windows" if windows else "linux"
    plan = NetworkPlan(vnet=f"{group}-vnet", subnet="default", nsg=f"{group}-{os_kind}-nsg",
                       public_ip=f"{name}PublicIP", nic=f"{name}VMNic", nsg_rule="RDP" if windows else "SSH")
    common = dict(group=group, name=name, source=VmSource("marketplace", image.urn), size=SIZES[i % len(SIZES)],
                  security_type="Standard", network=plan, os_disk_delete_option="Delete",
                  tags={"env": "bench", "team": f"team{i % 7}"})
    if windows:
        return VmSpec(**common, admin_username="azureuser", admin_password=WINDOWS_PASSWORD,
                      authentication_type="password")
    return VmSpec(**common, admin_username="azureuser", ssh_public_keys=(SSH_KEY,), authentication_type="ssh")


def build_world(shape: WorldShape | None = None) -> World:
    """A new World of ``shape``, built through the engine's services, with no work left pending."""
    shape = shape or WorldShape()
    world = World(seed=shape.seed, speed=shape.speed)
    world.settings.regional_core_quota = 4 * shape.vms + 100   # every size here has at most 2 vCPUs
    for g in range(shape.groups):
        world.groups.create(shape.group_name(g), shape.location_of_group(g), tags={"course": "az-104"})
    for i in range(shape.vms):
        world.vms.create(vm_spec(shape, i))
        if (i + 1) % shape.batch == 0:
            world.run_until_idle()
    world.run_until_idle()

    snapshot_ids = []
    for i in range(shape.snapshots):
        vm = world.require(VirtualMachine, shape.group_of(i), shape.vm_name(i))
        name = f"{vm.name}-os-snap"
        world.snapshots.create(vm.resource_group, name, source_id=vm.os_disk_id, tags={"purpose": "backup"})
        snapshot_ids.append((vm.resource_group, name, world.resource_id(vm.resource_group, Snapshot.TYPE, name)))
    world.run_until_idle()

    # Spread the images over the snapshots instead of taking the first ones.
    step = max(1, shape.snapshots // shape.images) if shape.images else 1
    for n in range(shape.images):
        group, snap_name, snap_id = snapshot_ids[n * step]
        snapshot = world.get(snap_id)
        assert isinstance(snapshot, Snapshot)
        world.images.create(group, snap_name.replace("-os-snap", "-image"), source_id=snap_id,
                            hyper_v_generation=snapshot.hyper_v_generation or "V1", os_type=snapshot.os_type)
    world.run_until_idle()
    return world


def count_by_type(world: World) -> dict[type, int]:
    counts: dict[type, int] = {}
    for resource in world.resources.values():
        counts[type(resource)] = counts.get(type(resource), 0) + 1
    return counts


def pick_vms(world: World, count: int) -> list[tuple[str, str]]:
    """``count`` (group, name) pairs of different VMs, spread over the whole world, in a fixed order."""
    vms = sorted(world.list(VirtualMachine), key=lambda vm: vm.id.lower())
    if not vms:
        return []
    step = max(1, len(vms) // count)
    return [(vm.resource_group, vm.name) for vm in vms[::step][:count]]
