"""The resources of the simulated cloud, as attrs classes with Azure's fields.

Field names are Python's; ``render.py`` turns them into ARM's REST JSON. Only the engine mutates
these objects; other layers read them through the World's queries.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from .storage import Content


@attrs.define(kw_only=True)
class Resource:
    TYPE: ClassVar[str] = ""
    id: str
    name: str
    resource_group: str
    location: str
    tags: dict[str, str] = attrs.Factory(dict)
    provisioning_state: str = "Succeeded"
    time_created: float = 0.0


@attrs.define(kw_only=True)
class ResourceGroup(Resource):
    TYPE: ClassVar[str] = "Microsoft.Resources/resourceGroups"
    managed_by: str | None = None


# --- Compute -------------------------------------------------------------------------------

@attrs.define(kw_only=True)
class Disk(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/disks"
    sku: str = "Premium_LRS"
    size_gb: int = 0
    extra_bytes: int = 0                         # beyond size_gb GiB: 1 MiB on disks made from platform images
    create_option: str = "Empty"
    source_resource_id: str | None = None
    source_unique_id: str | None = None
    image_reference: dict | None = None          # {"id": ...} for FromImage
    gallery_image_reference: dict | None = None
    os_type: str | None = None
    hyper_v_generation: str | None = None
    security_type: str | None = None             # "TrustedLaunch" for the OS disk of a TL VM
    zones: list[str] = attrs.Factory(list)
    managed_by: str | None = None                # VM id while attached
    disk_state: str = "Unattached"
    unique_id: str = ""
    sas_active: bool = False
    network_access_policy: str = "AllowAll"
    content: Content = attrs.Factory(Content)


@attrs.define(kw_only=True)
class Snapshot(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/snapshots"
    sku: str = "Standard_LRS"
    incremental: bool = False
    family_id: str | None = None                 # incrementalSnapshotFamilyId
    create_option: str = "Copy"
    source_resource_id: str | None = None
    source_unique_id: str | None = None
    os_type: str | None = None
    hyper_v_generation: str | None = None
    size_gb: int = 0
    extra_bytes: int = 0
    unique_id: str = ""
    billed_bytes: int = 0                        # what Azure bills: all used blocks, or the delta
    sas_active: bool = False
    copy_started: float | None = None            # CopyStart: completionPercent rises from here...
    copy_due: float | None = None                # ...to 100 here
    copy_error: dict | None = None
    network_access_policy: str = "AllowAll"
    content: Content = attrs.Factory(Content)


@attrs.define(kw_only=True)
class DataDisk:
    lun: int
    disk_id: str
    name: str
    caching: str = "None"
    create_option: str = "Attach"
    delete_option: str = "Detach"


@attrs.define(kw_only=True)
class VirtualMachine(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/virtualMachines"
    size: str = "Standard_D2s_v5"
    os_type: str = "Linux"
    hyper_v_generation: str = "V2"
    security_type: str | None = None             # None = Standard (no securityProfile)
    secure_boot: bool = False
    vtpm: bool = False
    os_disk_id: str = ""
    os_disk_caching: str = "ReadWrite"
    os_disk_create_option: str = "FromImage"
    os_disk_delete_option: str = "Detach"
    data_disks: list[DataDisk] = attrs.Factory(list)
    nic_ids: list[str] = attrs.Factory(list)
    nic_delete_option: str = "Detach"            # for every NIC: Delete removes them with the VM
    image_reference: dict | None = None
    # osProfile: None for VMs made by attaching a disk or from a specialized image.
    computer_name: str | None = None
    admin_username: str | None = None
    authentication_type: str | None = None       # "ssh" | "password" | "all"
    ssh_public_keys: list[str] = attrs.Factory(list)
    power_state: str = "starting"
    generalized: bool = False
    vm_id: str = ""
    zones: list[str] = attrs.Factory(list)
    ultra_ssd_enabled: bool = False              # additionalCapabilities: Ultra disks may attach
    provisioning_error: dict | None = None

    @property
    def has_os_profile(self) -> bool:
        return self.admin_username is not None

    @property
    def allocated(self) -> bool:
        return self.power_state in ("starting", "running", "stopping", "stopped")


@attrs.define(kw_only=True)
class ImageDisk:
    lun: int | None = None                       # None for the OS disk
    os_type: str | None = None
    os_state: str | None = None
    size_gb: int = 0
    storage_account_type: str | None = None
    caching: str = "None"
    managed_disk_id: str | None = None
    snapshot_id: str | None = None
    content: Content = attrs.Factory(Content)


@attrs.define(kw_only=True)
class Image(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/images"
    hyper_v_generation: str = "V1"
    source_vm_id: str | None = None
    os_disk: ImageDisk = attrs.Factory(ImageDisk)
    data_disks: list[ImageDisk] = attrs.Factory(list)
    zone_resilient: bool = False


@attrs.define(kw_only=True)
class Gallery(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/galleries"
    description: str | None = None
    unique_name: str = ""


@attrs.define(kw_only=True)
class GalleryImageDefinition(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/galleries/images"
    gallery: str = ""
    publisher: str = ""
    offer: str = ""
    sku: str = ""
    os_type: str = "Linux"
    os_state: str = "Generalized"
    hyper_v_generation: str = "V1"
    architecture: str = "x64"
    features: list[dict] = attrs.Factory(list)
    end_of_life_date: str | None = None
    description: str | None = None

    @property
    def security_feature(self) -> str | None:
        for feature in self.features:
            if feature.get("name", "").lower() == "securitytype":
                return feature.get("value")
        return None


@attrs.define(kw_only=True)
class TargetRegion:
    name: str                                    # programmatic region name
    replica_count: int = 1
    storage_account_type: str = "Standard_LRS"
    exclude_from_latest: bool = False
    started: float = 0.0
    due: float = 0.0                             # replication completes here

    def state(self, now: float) -> str:
        return "Completed" if now >= self.due else "Replicating"

    def progress(self, now: float) -> int:
        if now >= self.due or self.due <= self.started:
            return 100
        return int(100 * (now - self.started) / (self.due - self.started))


@attrs.define(kw_only=True)
class GalleryImageVersion(Resource):
    TYPE: ClassVar[str] = "Microsoft.Compute/galleries/images/versions"
    gallery: str = ""
    definition: str = ""
    source_id: str = ""
    source_kind: str = "image"                   # image | vm | version | snapshot
    target_regions: list[TargetRegion] = attrs.Factory(list)
    replica_count: int = 1
    exclude_from_latest: bool = False
    end_of_life_date: str | None = None
    published: float = 0.0
    storage_account_type: str = "Standard_LRS"
    replication_mode: str = "Full"
    block_deletion_before_end_of_life: bool = False
    os_disk: ImageDisk = attrs.Factory(ImageDisk)
    data_disks: list[ImageDisk] = attrs.Factory(list)

    def region(self, location: str) -> TargetRegion | None:
        for region in self.target_regions:
            if region.name == location:
                return region
        return None

    @property
    def version_key(self) -> tuple[int, int, int]:
        major, minor, patch = (int(part) for part in self.name.split("."))
        return major, minor, patch


# --- Network (what `az vm create` makes beside a VM) --------------------------------------------

@attrs.define(kw_only=True)
class NetworkInterface(Resource):
    TYPE: ClassVar[str] = "Microsoft.Network/networkInterfaces"
    mac_address: str = ""
    private_ip: str = ""
    subnet_id: str = ""
    public_ip_id: str | None = None
    nsg_id: str | None = None
    vm_id: str | None = None


@attrs.define(kw_only=True)
class PublicIp(Resource):
    TYPE: ClassVar[str] = "Microsoft.Network/publicIPAddresses"
    ip_address: str = ""
    sku: str = "Standard"
    allocation_method: str = "Static"
    nic_id: str | None = None


@attrs.define(kw_only=True)
class NetworkSecurityGroup(Resource):
    TYPE: ClassVar[str] = "Microsoft.Network/networkSecurityGroups"
    rules: list[dict] = attrs.Factory(list)
    nic_ids: list[str] = attrs.Factory(list)


@attrs.define(kw_only=True)
class Subnet:
    name: str
    address_prefix: str
    nic_ids: list[str] = attrs.Factory(list)


@attrs.define(kw_only=True)
class VirtualNetwork(Resource):
    TYPE: ClassVar[str] = "Microsoft.Network/virtualNetworks"
    address_prefix: str = "10.0.0.0/16"
    subnets: list[Subnet] = attrs.Factory(list)


RESOURCE_CLASSES: tuple[type[Resource], ...] = (
    ResourceGroup, Disk, Snapshot, VirtualMachine, Image, Gallery, GalleryImageDefinition,
    GalleryImageVersion, NetworkInterface, PublicIp, NetworkSecurityGroup, VirtualNetwork,
)
BY_TYPE: dict[str, type[Resource]] = {cls.TYPE.lower(): cls for cls in RESOURCE_CLASSES}
