"""Virtual machines: create (marketplace, managed image, gallery, attached OS disk), power states,
generalize, disks, OS-disk swap, resize, run-command, delete.

The platform enforces only what Azure enforces (reference §2.4, §6.1): generalize needs a VM that
is not running, a generalized VM never starts again, capture needs a generalized VM. What Azure
allows but leaves broken (marking a VM generalized that was never sysprepped) is allowed here too,
and the VMs made from it fail provisioning the way Azure's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from . import catalog, errors, naming
from .compute_disks import PLATFORM_IMAGE_EXTRA_BYTES
from .guest_state import GuestState
from .network import NetworkPlan
from .operations import Operation, phase
from .resources import (
    DataDisk, Disk, GalleryImageDefinition, GalleryImageVersion, Image, NetworkInterface, VirtualMachine,
)
from .storage import Content

if TYPE_CHECKING:
    from .world import World

PROVISIONING_TIMEOUT = 20 * 60.0   # how long Azure waits for a guest to report ready before failing


@attrs.frozen
class VmSource:
    """Where a new VM's OS disk comes from."""

    kind: str                       # "marketplace" | "image" | "gallery" | "attach"
    ref: str                        # URN, image id, gallery version id, or disk id
    os_type: str | None = None      # required for "attach"
    definition_id: str | None = None   # gallery: the definition the student named (shown as imageReference)


@attrs.frozen
class VmSpec:
    """A VM create request at the ARM level; the az layer fills it from flags and az's defaults."""

    group: str
    name: str
    source: VmSource
    location: str | None = None
    size: str = catalog.DEFAULT_VM_SIZE
    admin_username: str | None = None
    admin_password: str | None = None
    ssh_public_keys: tuple[str, ...] = ()
    authentication_type: str | None = None
    computer_name: str | None = None
    security_type: str | None = None        # "TrustedLaunch" | "Standard" | None
    secure_boot: bool | None = None
    vtpm: bool | None = None
    os_disk_name: str | None = None
    os_disk_size_gb: int | None = None
    os_disk_sku: str | None = None
    os_disk_caching: str = "ReadWrite"
    os_disk_delete_option: str = "Detach"
    data_disk_sizes_gb: tuple[int, ...] = ()
    data_disk_sku: str | None = None        # every new data disk's SKU, unless data_disk_skus names its own
    data_disk_skus: dict[int, str] = attrs.Factory(dict)   # index in data_disk_sizes_gb -> SKU
    data_disk_delete_option: str = "Detach"
    nic_delete_option: str = "Detach"
    attach_data_disks: tuple[str, ...] = ()
    zone: str | None = None
    network: NetworkPlan | None = None
    nic_ids: tuple[str, ...] = ()           # existing NICs (az vm create --nics); the first is primary
    ultra_ssd_enabled: bool = False         # additionalCapabilities.ultraSSDEnabled
    tags: dict[str, str] = attrs.Factory(dict)

    def new_data_disk_skus(self, os_sku: str) -> list[str]:
        """The SKU of each empty data disk in ``data_disk_sizes_gb``: its own, else the shared one, else
        the OS disk's."""
        return [self.data_disk_skus.get(index, self.data_disk_sku or os_sku)
                for index in range(len(self.data_disk_sizes_gb))]


def new_identity(world: "World", guest: GuestState, computer_name: str, admin_username: str | None) -> None:
    """What provisioning a generalized OS does on first boot: a new machine identity."""
    guest.computer_name = computer_name
    if guest.os_type == "Windows":
        guest.sid = world.seeded.windows_sid()
    else:
        # systemd makes a machine-id only when /etc/machine-id is empty; waagent does not empty it.
        if not guest.machine_id:
            guest.machine_id = world.seeded.machine_id()
        guest.ssh_host_keys = {kind: world.seeded.ssh_fingerprint(kind)
                               for kind in ("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa")}
        guest.dhcp_leases = guest.resolv_conf = True
    if admin_username:
        guest.admin_username = admin_username
        if admin_username not in guest.users:
            guest.users.append(admin_username)
    guest.prepared = "none"
    guest.oobe = False
    guest.agent_running = True


def generalized_guest(image: catalog.MarketplaceImage) -> GuestState:
    """The OS on a marketplace image: generalized, waiting for first-boot provisioning."""
    return GuestState(
        os_type=image.os_type, os_name=image.os_name, computer_name="localhost", admin_username="",
        users=["Administrator"] if image.os_type == "Windows" else [],
        installed=sorted(image.preinstalled),
        prepared="sysprepped" if image.os_type == "Windows" else "deprovisioned",
        agent_running=False,
    )


class VirtualMachines:
    def __init__(self, world: "World"):
        self.world = world

    # --- queries -----------------------------------------------------------------------------
    def os_disk(self, vm: VirtualMachine) -> Disk | None:
        disk = self.world.get(vm.os_disk_id)
        return disk if isinstance(disk, Disk) else None

    def guest_state(self, vm: VirtualMachine) -> GuestState | None:
        disk = self.os_disk(vm)
        return disk.content.guest if disk else None

    def cores_in_use(self, location: str) -> int:
        total = 0
        for vm in self.world.list(VirtualMachine):
            if vm.location == location and vm.allocated:
                size = catalog.find_vm_size(vm.size)
                total += size.vcpus if size else 0
        return total

    # --- create ------------------------------------------------------------------------------
    def create(self, spec: VmSpec) -> Operation:
        world = self.world
        group = world.require_group(spec.group)
        location = spec.location or group.location
        if catalog.find_location(location) is None:
            raise errors.location_not_available_for_type(location, VirtualMachine.TYPE, sorted(catalog.LOCATIONS))
        location = catalog.find_location(location).name  # type: ignore[union-attr]
        size = catalog.find_vm_size(spec.size)
        if size is None:
            raise errors.size_not_available(spec.size, sorted(catalog.VM_SIZES))
        if world.find(VirtualMachine, spec.group, spec.name) is not None:
            raise errors.property_change_not_allowed("imageReference")
        source = self._resolve_source(spec, location)
        naming.check_vm(spec.name, source.os_type)
        generalized = source.os_state == "Generalized"
        if generalized and not spec.admin_username:
            raise errors.os_profile_missing()
        if not generalized and (spec.admin_username or spec.admin_password or spec.ssh_public_keys):
            raise errors.os_profile_not_allowed()
        if generalized:
            naming.check_computer_name(spec.computer_name or spec.name, source.os_type)
        if source.generation not in size.hyper_v_generations:
            raise errors.size_cannot_boot_generation(size.name, source.generation[1:])
        security = spec.security_type if spec.security_type != "Standard" else None
        if source.trusted_launch_only and security != "TrustedLaunch":
            raise errors.gallery_image_trusted_launch_only()
        if security == "TrustedLaunch":
            if not size.trusted_launch:
                raise errors.size_not_trusted_launch(size.name)
            if not source.trusted_launch_supported:
                raise errors.image_not_trusted_launch()
        os_sku = spec.os_disk_sku or ("Premium_LRS" if size.premium_io else "Standard_LRS")
        new_skus = spec.new_data_disk_skus(os_sku)
        for sku in [os_sku, *new_skus]:
            if sku.startswith("Premium") and not size.premium_io:
                raise errors.premium_not_supported(size.name)
        if os_sku in ("UltraSSD_LRS", "PremiumV2_LRS"):
            raise errors.os_disk_sku_not_allowed(os_sku)
        region = catalog.LOCATIONS[location]
        if spec.zone is not None and spec.zone not in region.zones:
            raise errors.ArmError("InvalidParameter", f"The availability zone '{spec.zone}' is not supported in "
                                  f"location '{location}'.")
        attached = [self._attachable(disk_id, location, spec.zone) for disk_id in spec.attach_data_disks]
        if not spec.ultra_ssd_enabled and "UltraSSD_LRS" in [*new_skus, *(d.sku for d in attached)]:
            raise errors.ultra_ssd_not_enabled()
        for nic_id in spec.nic_ids:
            self._usable_nic(nic_id, world.resource_id(spec.group, VirtualMachine.TYPE, spec.name), location)
        # A NIC left behind by a deleted VM is reused, as the deployment's PUT would; one in use is not.
        existing_nic = world.find(NetworkInterface, spec.group, spec.network.nic) if spec.network else None
        if existing_nic is not None and existing_nic.vm_id:
            nic_id = world.resource_id(spec.group, NetworkInterface.TYPE, spec.network.nic)
            raise errors.nic_in_use(nic_id)
        data_count = len(source.data_disks) + len(spec.data_disk_sizes_gb) + len(attached)
        if data_count > size.max_data_disks:
            raise errors.too_many_data_disks(size.max_data_disks)
        used = self.cores_in_use(location)
        if used + size.vcpus > world.settings.regional_core_quota:
            raise errors.quota_exceeded(location, world.settings.regional_core_quota, used, size.vcpus)
        return self._build(spec, source, location, size, security, os_sku, attached)

    def _attachable(self, disk_id: str, location: str, zone: str | None) -> Disk:
        disk = self.world.get(disk_id)
        if not isinstance(disk, Disk) or disk.location != location:
            raise errors.source_not_found(disk_id.rsplit("/", 1)[-1])
        if disk.managed_by:
            owner = self.world.get(disk.managed_by)
            raise errors.disk_owned_by_other_vm(disk.name, owner.name if owner else disk.managed_by)
        if disk.zones and zone and disk.zones[0] != zone:
            raise errors.disk_wrong_zone(disk.id, zone, disk.zones[0])
        return disk

    def _usable_nic(self, nic_id: str, vm_id: str, location: str) -> NetworkInterface:
        nic = self.world.get(nic_id)
        if not isinstance(nic, NetworkInterface):
            parts = nic_id.split("/")
            raise errors.resource_not_found(NetworkInterface.TYPE, parts[-1], parts[4] if len(parts) > 4 else "")
        if nic.vm_id:
            raise errors.nic_in_use(nic.id)
        if nic.location != location:
            raise errors.ArmError("InvalidResourceReference", f"Resource {nic.id} referenced by resource {vm_id} "
                                  "was not found. Please make sure that the referenced resource exists, and that "
                                  "both resources are in the same region.", 400)
        return nic

    def _resolve_source(self, spec: VmSpec, location: str) -> "_Source":
        world = self.world
        kind, ref = spec.source.kind, spec.source.ref
        if kind == "marketplace":
            image = catalog.find_image(ref)
            if image is None:
                raise errors.platform_image_not_available(ref)
            content = Content(world.store.base_blocks(image.urn, image.used_gib), generalized_guest(image))
            reference = {"publisher": image.publisher, "offer": image.offer, "sku": image.sku,
                         "version": ref.split(":")[-1] if ":" in ref else "latest", "exactVersion": image.version}
            return _Source(image.os_type, "Generalized", image.hyper_v_generation, image.trusted_launch_supported,
                           content, image.os_disk_size_gb, [], reference)
        if kind == "image":
            image = world.get(ref)
            if not isinstance(image, Image):
                raise errors.resource_not_found(Image.TYPE, ref.rsplit("/", 1)[-1], ref.split("/")[4])
            if image.location != location:
                raise errors.image_not_in_region(image.id, location)
            return _Source(image.os_disk.os_type or "Linux", "Generalized", image.hyper_v_generation, False,
                           image.os_disk.content.frozen_copy(), image.os_disk.size_gb,
                           [(d.lun or 0, d.size_gb, d.content.frozen_copy()) for d in image.data_disks],
                           {"id": image.id}, image_id=image.id)
        if kind == "gallery":
            version = world.get(ref)
            if not isinstance(version, GalleryImageVersion):
                raise errors.resource_not_found_at(ref)
            definition = world.get(version.id.rsplit("/versions/", 1)[0])
            assert isinstance(definition, GalleryImageDefinition)
            region = version.region(location)
            if region is None or region.state(world.now) != "Completed":
                raise errors.gallery_image_not_in_region(version.id, location)
            feature = (definition.security_feature or "").lower()
            reference = {"id": spec.source.definition_id or version.id}
            if spec.source.definition_id is None or "/versions/" not in reference["id"]:
                reference["exactVersion"] = version.name
            return _Source(definition.os_type, definition.os_state, definition.hyper_v_generation,
                           feature.startswith("trustedlaunch"), version.os_disk.content.frozen_copy(),
                           version.os_disk.size_gb,
                           [(d.lun or 0, d.size_gb, d.content.frozen_copy()) for d in version.data_disks],
                           reference, trusted_launch_only=feature == "trustedlaunch")
        if kind == "attach":
            disk = self._attachable(ref, location, spec.zone)
            os_type = (spec.source.os_type or disk.os_type or "Linux").capitalize()
            return _Source(os_type, "Specialized", disk.hyper_v_generation or "V1",
                           disk.security_type == "TrustedLaunch" or (disk.hyper_v_generation == "V2"),
                           disk.content, disk.size_gb, [], None, attach_disk=disk)
        raise ValueError(f"unknown VM source kind {kind!r}")

    def _build(self, spec: VmSpec, source: "_Source", location: str, size: catalog.VmSize, security: str | None,
               os_sku: str, attached: list[Disk]) -> Operation:
        world = self.world
        group, name = spec.group, spec.name
        vm_id = world.resource_id(group, VirtualMachine.TYPE, name)
        zones = [spec.zone] if spec.zone else []
        held = [source.attach_disk.id] if source.attach_disk else []
        op = world.begin("vm.create", vm_id, verb="create", kind="VM", locks=held + [d.id for d in attached],
                         params={"generalized": source.os_state == "Generalized", "image_id": source.image_id})
        vm = VirtualMachine(
            id=vm_id, name=name, resource_group=group, location=location, tags=dict(spec.tags), size=size.name,
            os_type=source.os_type, hyper_v_generation=source.generation, security_type=security,
            secure_boot=bool(spec.secure_boot if spec.secure_boot is not None else security == "TrustedLaunch"),
            vtpm=bool(spec.vtpm if spec.vtpm is not None else security == "TrustedLaunch"),
            os_disk_caching=spec.os_disk_caching, os_disk_delete_option=spec.os_disk_delete_option,
            nic_delete_option=spec.nic_delete_option, image_reference=source.reference,
            vm_id=world.seeded.guid("vm"), zones=zones, ultra_ssd_enabled=spec.ultra_ssd_enabled,
            provisioning_state="Creating", power_state="starting",
            os_disk_create_option="Attach" if source.attach_disk else "FromImage",
        )
        if source.os_state == "Generalized":
            vm.computer_name = spec.computer_name or name
            vm.admin_username = spec.admin_username
            vm.authentication_type = spec.authentication_type
            vm.ssh_public_keys = list(spec.ssh_public_keys)
        if source.attach_disk is not None:
            os_disk = source.attach_disk
        else:
            disk_name = spec.os_disk_name or f"{name}_OsDisk_1_{world.seeded.hex('osdisk')}"
            os_disk = Disk(id=world.resource_id(group, Disk.TYPE, disk_name), name=disk_name, resource_group=group,
                           location=location, sku=os_sku, size_gb=max(spec.os_disk_size_gb or 0, source.size_gb),
                           create_option="FromImage", os_type=source.os_type, hyper_v_generation=source.generation,
                           extra_bytes=PLATFORM_IMAGE_EXTRA_BYTES if source.reference and "publisher" in
                           source.reference and not spec.os_disk_size_gb else 0,
                           image_reference=source.reference if source.reference else None,
                           unique_id=world.seeded.guid("disk"), content=source.content, zones=list(zones),
                           security_type=security)
            world.add(os_disk)
        vm.os_disk_id = os_disk.id
        lun = 0
        for image_lun, disk_size, content in source.data_disks:
            vm.data_disks.append(self._new_data_disk(vm, image_lun, disk_size, os_sku, spec, content, "FromImage"))
            lun = max(lun, image_lun + 1)
        for disk_size, sku in zip(spec.data_disk_sizes_gb, spec.new_data_disk_skus(os_sku)):
            vm.data_disks.append(self._new_data_disk(vm, lun, disk_size, sku, spec, Content(), "Empty"))
            lun += 1
        for disk in attached:
            vm.data_disks.append(DataDisk(lun=lun, disk_id=disk.id, name=disk.name))
            lun += 1
        if spec.nic_ids:
            nics = [self._usable_nic(nic_id, vm.id, location) for nic_id in spec.nic_ids]
        elif spec.network is not None:
            nics = [world.network.provision(group, location, spec.network, spec.tags)]
        else:
            nics = []
        for nic in nics:
            nic.vm_id = vm.id
        vm.nic_ids = [nic.id for nic in nics]
        world.add(vm)
        for disk in self.disks_of(vm):
            disk.managed_by = vm.id
            world.disks.refresh_state(disk)
        world.after(op, catalog.DURATIONS[f"vm.create.{source.os_type}"], "vm.create.boot")
        return op

    def _new_data_disk(self, vm: VirtualMachine, lun: int, size_gb: int, sku: str, spec: VmSpec, content: Content,
                       create_option: str) -> DataDisk:
        world = self.world
        name = f"{vm.name}_disk{lun + 2}_{world.seeded.hex('datadisk')}"
        disk = Disk(id=world.resource_id(vm.resource_group, Disk.TYPE, name), name=name,
                    resource_group=vm.resource_group, location=vm.location, sku=sku, size_gb=size_gb,
                    create_option=create_option, unique_id=world.seeded.guid("disk"), content=content,
                    zones=list(vm.zones))
        world.add(disk)
        return DataDisk(lun=lun, disk_id=disk.id, name=name, create_option="Empty" if create_option == "Empty"
                        else "FromImage", delete_option=spec.data_disk_delete_option,
                        caching="None" if create_option == "Empty" else "ReadOnly")

    def disks_of(self, vm: VirtualMachine) -> list[Disk]:
        found = [self.world.get(vm.os_disk_id), *(self.world.get(d.disk_id) for d in vm.data_disks)]
        return [d for d in found if isinstance(d, Disk)]

    # --- power -------------------------------------------------------------------------------
    def _set_power(self, vm: VirtualMachine, state: str) -> None:
        self.world.set_state(vm, "power_state", state, "powerState")
        for disk in self.disks_of(vm):
            self.world.disks.refresh_state(disk)

    def _refuse_if_busy_or_deleting(self, vm: VirtualMachine, operation: str) -> None:
        if vm.provisioning_state == "Deleting":
            raise errors.vm_not_allowed(operation, vm.name, "deleting")
        if self.world.busy(vm) is not None:
            raise errors.vm_not_allowed(operation, vm.name, "busy")

    def start(self, vm: VirtualMachine) -> Operation:
        self._refuse_if_busy_or_deleting(vm, "start")
        if vm.generalized:
            raise errors.vm_not_allowed("start", vm.name, "generalized")
        return self._power_op(vm, "vm.start", "start", "starting", catalog.DURATIONS["vm.start"], "vm.start.done",
                              already=vm.power_state == "running")

    def stop(self, vm: VirtualMachine, skip_shutdown: bool = False) -> Operation:
        self._refuse_if_busy_or_deleting(vm, "powerOff")
        if vm.power_state in ("deallocated", "deallocating"):
            raise errors.vm_not_allowed("powerOff", vm.name, "deallocated")
        # Skipping the guest's orderly shutdown powers off at once (like pulling the plug).
        duration = catalog.DURATIONS["vm.stop"] / (4 if skip_shutdown else 1)
        return self._power_op(vm, "vm.stop", "powerOff", "stopping", duration, "vm.stop.done",
                              already=vm.power_state == "stopped")

    def deallocate(self, vm: VirtualMachine) -> Operation:
        self._refuse_if_busy_or_deleting(vm, "deallocate")
        return self._power_op(vm, "vm.deallocate", "deallocate", "deallocating", catalog.DURATIONS["vm.deallocate"],
                              "vm.deallocate.done", already=vm.power_state == "deallocated")

    def restart(self, vm: VirtualMachine) -> Operation:
        self._refuse_if_busy_or_deleting(vm, "restart")
        if vm.generalized:
            raise errors.vm_not_allowed("restart", vm.name, "generalized")
        if vm.power_state != "running":
            raise errors.vm_must_be_running(vm.name)
        return self._power_op(vm, "vm.restart", "restart", "starting", catalog.DURATIONS["vm.restart"],
                              "vm.start.done")

    def redeploy(self, vm: VirtualMachine) -> Operation:
        """Move the VM to another host in its region: it shuts down, is allocated afresh and boots there,
        ending up running whatever its power state was. The OS and data disks go along."""
        self._refuse_if_busy_or_deleting(vm, "redeploy")
        if vm.generalized:
            raise errors.vm_not_allowed("redeploy", vm.name, "generalized")
        return self._power_op(vm, "vm.redeploy", "redeploy", "starting", catalog.DURATIONS["vm.redeploy"],
                              "vm.start.done")

    def _power_op(self, vm: VirtualMachine, name: str, verb: str, transitional: str, duration: float, done: str,
                  already: bool = False) -> Operation:
        world = self.world
        op = world.begin(name, vm, verb=verb, kind="VM")
        if already:
            # Asking for the state the VM is already in is a quick no-op success on Azure.
            world.after(op, 1.0, "vm.noop.done")
            return op
        world.set_state(vm, "provisioning_state", "Updating", "provisioningState")
        self._set_power(vm, transitional)
        world.after(op, duration, done)
        return op

    def generalize(self, vm: VirtualMachine) -> Operation:
        self._refuse_if_busy_or_deleting(vm, "generalize")
        if vm.power_state in ("running", "starting"):
            raise errors.vm_not_allowed("generalize", vm.name, "running")
        op = self.world.begin("vm.generalize", vm, verb="generalize", kind="VM")
        self.world.after(op, catalog.DURATIONS["vm.generalize"], "vm.generalize.done")
        return op

    def guest_shutdown(self, vm: VirtualMachine, after: float, scheduled_in: float = 0.0) -> Operation:
        """The guest powers itself off (shutdown, sysprep /shutdown): Azure then shows 'VM stopped', still
        billed. A scheduled shutdown leaves the OS up for ``scheduled_in`` seconds first."""
        op = self.world.begin("vm.guest_shutdown", vm, verb="powerOff", kind="VM", exclusive=False)
        op.params["going_down_at"] = self.world.now + scheduled_in
        self.world.after(op, after, "vm.guest_shutdown.stopping")
        return op

    def guest_reboot(self, vm: VirtualMachine, after: float) -> Operation:
        op = self.world.begin("vm.guest_reboot", vm, verb="restart", kind="VM", exclusive=False)
        self.world.after(op, after, "vm.guest_reboot.done")
        return op

    # --- delete ------------------------------------------------------------------------------
    def delete(self, vm: VirtualMachine) -> Operation:
        world = self.world
        if vm.provisioning_state == "Deleting":
            raise errors.vm_not_allowed("delete", vm.name, "deleting")
        op = world.begin("vm.delete", vm, verb="delete", kind="VM")
        world.set_state(vm, "provisioning_state", "Deleting", "provisioningState")
        world.after(op, catalog.DURATIONS["vm.delete"], "vm.delete.done")
        return op

    # --- disks -------------------------------------------------------------------------------
    def attach_disk(self, vm: VirtualMachine, disk: Disk, lun: int | None = None, caching: str = "None") -> Operation:
        world = self.world
        self._refuse_if_busy_or_deleting(vm, "attachDisk")
        if disk.location != vm.location:
            raise errors.disk_wrong_region(disk.id)
        if disk.managed_by:
            if disk.managed_by.lower() == vm.id.lower():
                raise errors.ArmError("InvalidParameter", f"Disk '{disk.name}' is already attached to VM "
                                      f"'{vm.name}'.")
            owner = world.get(disk.managed_by)
            raise errors.disk_owned_by_other_vm(disk.name, owner.name if owner else disk.managed_by)
        if disk.zones and vm.zones and disk.zones != vm.zones:
            raise errors.disk_wrong_zone(disk.id, vm.zones[0], disk.zones[0])
        if disk.zones and not vm.zones:
            raise errors.ArmError("BadRequest", f"Disk {disk.id} cannot be attached to the VM because it is in zone "
                                  f"'{disk.zones[0]}' and the VM is not zonal.")
        if disk.sas_active:
            raise errors.sas_active(disk.name)
        lun = self.check_data_disk_slot(vm, disk.sku, lun, caching)
        op = world.begin("vm.disk.attach", vm, verb="attachDisk", kind="VM", locks=[disk.id],
                         params={"disk_id": disk.id, "lun": lun, "caching": caching})
        vm.data_disks.append(DataDisk(lun=lun, disk_id=disk.id, name=disk.name, caching=caching))
        disk.managed_by = vm.id
        world.disks.refresh_state(disk)
        world.after(op, catalog.DURATIONS["vm.disk.attach"], "vm.update.done")
        return op

    def check_data_disk_slot(self, vm: VirtualMachine, sku: str, lun: int | None, caching: str) -> int:
        """What the VM itself asks of a new data disk (of ``sku``): a free LUN (returned; the lowest
        when ``lun`` is None), room under its size's limit, premium support, a caching mode the SKU has."""
        _check_caching(sku, caching)
        if sku == "UltraSSD_LRS" and not vm.ultra_ssd_enabled:
            raise errors.ultra_ssd_not_enabled()
        size = catalog.find_vm_size(vm.size)
        if size and len(vm.data_disks) >= size.max_data_disks:
            raise errors.too_many_data_disks(size.max_data_disks)
        if sku.startswith("Premium") and size and not size.premium_io:
            raise errors.premium_not_supported(size.name)
        used = {d.lun for d in vm.data_disks}
        if lun is None:
            return next(n for n in range(64) if n not in used)
        if lun in used:
            raise errors.lun_in_use(lun, vm.name)
        return lun

    def detach_disk(self, vm: VirtualMachine, disk_id: str) -> Operation:
        world = self.world
        self._refuse_if_busy_or_deleting(vm, "detachDisk")
        entry = next((d for d in vm.data_disks if d.disk_id.lower() == disk_id.lower()), None)
        if entry is None:
            raise errors.ArmError("InvalidParameter", f"Disk {disk_id} is not attached to VM '{vm.name}'.")
        op = world.begin("vm.disk.detach", vm, verb="detachDisk", kind="VM", params={"disk_id": entry.disk_id})
        vm.data_disks.remove(entry)
        disk = world.get(entry.disk_id)
        if isinstance(disk, Disk):
            disk.managed_by = None
            world.disks.refresh_state(disk)
        world.after(op, catalog.DURATIONS["vm.disk.detach"], "vm.update.done")
        return op

    def swap_os_disk(self, vm: VirtualMachine, disk: Disk) -> Operation:
        """Replace the OS disk (the restore-from-snapshot path). The VM must be stopped or deallocated."""
        world = self.world
        self._refuse_if_busy_or_deleting(vm, "update")
        if vm.power_state not in ("stopped", "deallocated"):
            raise errors.os_disk_swap_needs_stopped(vm.name)
        if disk.location != vm.location:
            raise errors.disk_wrong_region(disk.id)
        if disk.managed_by and disk.managed_by.lower() != vm.id.lower():
            owner = world.get(disk.managed_by)
            raise errors.disk_owned_by_other_vm(disk.name, owner.name if owner else disk.managed_by)
        if disk.os_type is None:
            raise errors.ArmError("InvalidParameter", f"The disk '{disk.name}' has no OS type. Only a disk with an "
                                  "osType can be used as an OS disk.")
        if disk.os_type != vm.os_type:
            raise errors.ArmError("OperationNotAllowed", f"The OS type of disk '{disk.name}' ({disk.os_type}) "
                                  f"does not match the OS type of VM '{vm.name}' ({vm.os_type}).", 409)
        if (disk.hyper_v_generation or "V1") != vm.hyper_v_generation:
            raise errors.ArmError("OperationNotAllowed", f"The Hyper-V generation of disk '{disk.name}' "
                                  f"({disk.hyper_v_generation or 'V1'}) does not match the VM's "
                                  f"({vm.hyper_v_generation}).", 409)
        op = world.begin("vm.update", vm, verb="update", kind="VM", locks=[disk.id],
                         params={"old_disk": vm.os_disk_id})
        old = world.get(vm.os_disk_id)
        if isinstance(old, Disk):
            old.managed_by = None
            world.disks.refresh_state(old)
        world.set_state(vm, "os_disk_id", disk.id, "storageProfile.osDisk.managedDisk.id")
        disk.managed_by = vm.id
        world.disks.refresh_state(disk)
        world.after(op, catalog.DURATIONS["vm.update"], "vm.update.done")
        return op

    def resize(self, vm: VirtualMachine, size_name: str) -> Operation:
        world = self.world
        self._refuse_if_busy_or_deleting(vm, "resize")
        size = catalog.find_vm_size(size_name)
        if size is None:
            raise errors.size_not_available(size_name, sorted(catalog.VM_SIZES))
        if vm.hyper_v_generation not in size.hyper_v_generations:
            raise errors.size_cannot_boot_generation(size.name, vm.hyper_v_generation[1:])
        if vm.security_type == "TrustedLaunch" and not size.trusted_launch:
            raise errors.size_not_trusted_launch(size.name)
        if len(vm.data_disks) > size.max_data_disks:
            raise errors.too_many_data_disks(size.max_data_disks)
        op = world.begin("vm.resize", vm, verb="update", kind="VM", params={"size": size.name})
        world.set_state(vm, "size", size.name, "hardwareProfile.vmSize")
        world.after(op, catalog.DURATIONS["vm.restart"] if vm.power_state == "running" else
                    catalog.DURATIONS["vm.update"], "vm.update.done")
        return op

    def update(self, vm: VirtualMachine, tags: dict[str, str] | None = None, *,
               os_disk_delete_option: str | None = None, data_disk_delete_options: dict[int, str] | None = None,
               nic_delete_option: str | None = None, os_disk_caching: str | None = None,
               data_disk_caching: dict[int, str] | None = None, ultra_ssd_enabled: bool | None = None) -> Operation:
        """Change what can change on a VM in place: its tags, what deleting it takes along (the OS disk,
        data disks by LUN, the NICs: "Delete" or "Detach"), host caching of its disks, and whether Ultra
        disks may attach. Changing the caching of a running VM restarts it, as on Azure; the Ultra
        capability changes only while the VM is deallocated."""
        options = [os_disk_delete_option, nic_delete_option, *(data_disk_delete_options or {}).values()]
        for option in options:
            if option is not None and option not in ("Delete", "Detach"):
                raise errors.invalid_delete_option(option)
        luns = {d.lun for d in vm.data_disks}
        unknown = (set(data_disk_delete_options or {}) | set(data_disk_caching or {})) - luns
        if unknown:
            raise ValueError(f"no data disk at LUN {sorted(unknown)} on {vm.name}")
        caching = {**({vm.os_disk_id: os_disk_caching} if os_disk_caching is not None else {}),
                   **{d.disk_id: (data_disk_caching or {})[d.lun] for d in vm.data_disks
                      if d.lun in (data_disk_caching or {})}}
        for disk_id, mode in caching.items():
            disk = self.world.get(disk_id)
            if isinstance(disk, Disk):
                _check_caching(disk.sku, mode)
        self._refuse_if_busy_or_deleting(vm, "update")
        if ultra_ssd_enabled is not None and ultra_ssd_enabled != vm.ultra_ssd_enabled:
            if vm.power_state != "deallocated":
                raise errors.ultra_ssd_change_needs_deallocation(vm.name)
            if not ultra_ssd_enabled and any(d.sku == "UltraSSD_LRS" for d in self.disks_of(vm)):
                raise errors.ultra_ssd_disks_attached(vm.name)
        restart = vm.power_state == "running" and (
            (os_disk_caching is not None and os_disk_caching != vm.os_disk_caching)
            or any(d.lun in (data_disk_caching or {}) and data_disk_caching[d.lun] != d.caching
                   for d in vm.data_disks))
        op = self.world.begin("vm.update", vm, verb="update", kind="VM")
        if tags is not None:
            vm.tags = dict(tags)
        if os_disk_delete_option is not None:
            vm.os_disk_delete_option = os_disk_delete_option
        if nic_delete_option is not None:
            vm.nic_delete_option = nic_delete_option
        if os_disk_caching is not None:
            vm.os_disk_caching = os_disk_caching
        if ultra_ssd_enabled is not None:
            vm.ultra_ssd_enabled = ultra_ssd_enabled
        for disk in vm.data_disks:
            if disk.lun in (data_disk_delete_options or {}):
                disk.delete_option = data_disk_delete_options[disk.lun]
            if disk.lun in (data_disk_caching or {}):
                disk.caching = data_disk_caching[disk.lun]
        if restart:
            self.world.set_state(vm, "provisioning_state", "Updating", "provisioningState")
            self._set_power(vm, "starting")
            self.world.after(op, catalog.DURATIONS["vm.restart"], "vm.start.done")
        else:
            self.world.after(op, catalog.DURATIONS["vm.update"], "vm.update.done")
        return op

    # --- guest -------------------------------------------------------------------------------
    def run_command(self, vm: VirtualMachine, command_id: str, scripts: list[str]) -> Operation:
        """Run a script through the VM agent, non-interactively (RUNCMD: no prompts, one at a time)."""
        world = self.world
        if command_id not in catalog.run_command_ids(vm.os_type):
            raise errors.run_command_unknown(command_id)
        self._refuse_if_busy_or_deleting(vm, "runCommand")
        if vm.generalized or vm.power_state != "running":
            raise errors.vm_must_be_running(vm.name)
        guest = self.guest_state(vm)
        if guest is None or not guest.agent_running:
            raise errors.run_command_agent_not_ready(vm.name)
        op = world.begin("vm.run_command", vm, verb="runCommand", kind="VM",
                         params={"scripts": list(scripts), "command_id": command_id})
        world.after(op, catalog.DURATIONS["vm.run_command"], "vm.run_command.done")
        return op


def _check_caching(sku: str, mode: str) -> None:
    if mode not in catalog.CACHING_MODES:
        raise errors.invalid_caching(mode)
    if mode != "None" and sku in ("UltraSSD_LRS", "PremiumV2_LRS"):
        raise errors.caching_not_supported(sku)


@attrs.define
class _Source:
    os_type: str
    os_state: str
    generation: str
    trusted_launch_supported: bool
    content: Content
    size_gb: int
    data_disks: list[tuple[int, int, Content]]
    reference: dict | None
    image_id: str | None = None
    trusted_launch_only: bool = False
    attach_disk: Disk | None = None


# --- phases -----------------------------------------------------------------------------------

def _vm(world: "World", op: Operation) -> VirtualMachine | None:
    vm = world.get(op.resource_id)
    return vm if isinstance(vm, VirtualMachine) else None


@phase("vm.create.boot")
def _vm_booted(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is None:
        world.succeed(op)
        return
    guest = world.vms.guest_state(vm)
    if op.params.get("generalized") and guest is not None:
        if guest.prepared == "none":
            # Marked generalized on Azure, never sysprepped/deprovisioned in the guest: the old OS
            # boots with its old identity and its agent running, and provisioning never completes.
            world.vms._set_power(vm, "running")
            world.after(op, PROVISIONING_TIMEOUT, "vm.create.timed_out")
            return
        new_identity(world, guest, vm.computer_name or vm.name, vm.admin_username)
    elif guest is not None:
        guest.boot_count += 1
    world.vms._set_power(vm, "running")
    world.set_state(vm, "provisioning_state", "Succeeded", "provisioningState")
    world.succeed(op, vm.id)


@phase("vm.create.timed_out")
def _vm_provisioning_timed_out(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    error = errors.os_provisioning_timed_out(vm.name if vm else op.resource_id)
    if vm is not None:
        vm.provisioning_error = error.to_json()
        world.set_state(vm, "provisioning_state", "Failed", "provisioningState")
    world.fail(op, error)


@phase("vm.noop.done")
def _vm_noop(world: "World", op: Operation) -> None:
    world.succeed(op)


@phase("vm.start.done")
def _vm_started(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is not None:
        guest = world.vms.guest_state(vm)
        if guest is not None:
            boot(world, vm, guest)
        world.vms._set_power(vm, "running")
        world.set_state(vm, "provisioning_state", "Succeeded", "provisioningState")
    world.succeed(op)


def boot(world: "World", vm: VirtualMachine, guest: GuestState) -> None:
    """A guest boots. A deprovisioned Linux guest re-provisions itself (waagent runs at boot with the
    VM's own settings); a sysprepped Windows guest stops at the setup screen (OOBE)."""
    guest.boot_count += 1
    if guest.os_type == "Linux" and guest.prepared == "deprovisioned":
        new_identity(world, guest, vm.computer_name or vm.name, vm.admin_username)
    elif guest.os_type == "Linux" and not guest.machine_id:
        # /etc/machine-id emptied or "uninitialized" (cloud-init clean --machine-id): systemd writes a
        # new one at this boot, so an image captured after it carries that id again.
        guest.machine_id = world.seeded.machine_id()


def _settle_power(world: "World", op: Operation, state: str) -> None:
    vm = _vm(world, op)
    if vm is not None:
        world.vms._set_power(vm, state)
        world.set_state(vm, "provisioning_state", "Succeeded", "provisioningState")
    world.succeed(op)


@phase("vm.stop.done")
def _vm_stopped(world: "World", op: Operation) -> None:
    _settle_power(world, op, "stopped")


@phase("vm.deallocate.done")
def _vm_deallocated(world: "World", op: Operation) -> None:
    _settle_power(world, op, "deallocated")


@phase("vm.generalize.done")
def _vm_generalized(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is not None:
        world.set_state(vm, "generalized", True, "osState")
    world.succeed(op)


@phase("vm.guest_shutdown.stopping")
def _vm_guest_stopping(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is None or vm.power_state != "running":
        world.succeed(op)
        return
    world.vms._set_power(vm, "stopping")
    world.after(op, catalog.DURATIONS["guest.shutdown"], "vm.guest_shutdown.stopped")


@phase("vm.guest_shutdown.stopped")
def _vm_guest_stopped(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is not None and vm.power_state == "stopping":
        world.vms._set_power(vm, "stopped")
    world.succeed(op)


@phase("vm.guest_reboot.done")
def _vm_guest_rebooted(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is not None and vm.power_state == "running":
        guest = world.vms.guest_state(vm)
        if guest is not None:
            boot(world, vm, guest)
    world.succeed(op)


@phase("vm.update.done")
def _vm_updated(world: "World", op: Operation) -> None:
    world.succeed(op, op.resource_id)


@phase("vm.delete.done")
def _vm_deleted(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is None:
        world.succeed(op)
        return
    for disk in world.vms.disks_of(vm):
        disk.managed_by = None
        delete = vm.os_disk_delete_option if disk.id == vm.os_disk_id else next(
            (d.delete_option for d in vm.data_disks if d.disk_id == disk.id), "Detach")
        if delete == "Delete":
            world.remove(disk)
        else:
            world.disks.refresh_state(disk)
    for nic_id in vm.nic_ids:
        nic = world.get(nic_id)
        if not isinstance(nic, NetworkInterface):
            continue
        nic.vm_id = None
        if vm.nic_delete_option == "Delete":
            # The NIC goes, out of its subnet and NSG; its public IP stays (its own delete option, which az
            # leaves at Detach), attached to nothing.
            world.network.release_nic(nic)
            world.remove(nic)
    world.remove(vm)
    world.succeed(op)


@phase("vm.run_command.done")
def _vm_ran_command(world: "World", op: Operation) -> None:
    vm = _vm(world, op)
    if vm is None or vm.power_state != "running":
        world.fail(op, errors.vm_must_be_running(op.resource_id.rsplit("/", 1)[-1]))
        return
    from .guest_session import run_script

    stdout, stderr = run_script(world, vm, op.params["scripts"])
    if vm.os_type == "Windows":
        value = [
            {"code": "ComponentStatus/StdOut/succeeded", "displayStatus": "Provisioning succeeded", "level": "Info",
             "message": stdout, "time": None},
            {"code": "ComponentStatus/StdErr/succeeded", "displayStatus": "Provisioning succeeded", "level": "Info",
             "message": stderr, "time": None},
        ]
    else:
        message = f"Enable succeeded: \n[stdout]\n{stdout}\n[stderr]\n{stderr}"
        value = [{"code": "ProvisioningState/succeeded", "displayStatus": "Provisioning succeeded", "level": "Info",
                  "message": message[-4096:], "time": None}]
    world.succeed(op, {"value": value})
