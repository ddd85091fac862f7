"""Static data of the simulated cloud: regions, VM sizes, marketplace images,
disk SKUs and tiers, prices, operation durations and service limits.

Everything here is plain data plus small lookup helpers.  The module imports
nothing from the rest of labtui so every layer can use it.

Prices are labelled ``PRICE_LABEL`` wherever they are shown: they teach
proportions (running vs deallocated, Premium vs Standard, full vs incremental
snapshot), they are not quotes.
"""

from __future__ import annotations

import re

import attrs

__all__ = [
    "Location",
    "LOCATIONS",
    "find_location",
    "VmSize",
    "VM_SIZES",
    "find_vm_size",
    "DEFAULT_VM_SIZE",
    "MarketplaceImage",
    "MARKETPLACE_IMAGES",
    "find_image",
    "ALIASES",
    "DEFAULT_IMAGE_URN",
    "DISK_SKUS",
    "CACHING_MODES",
    "SNAPSHOT_SKUS",
    "GALLERY_STORAGE_TYPES",
    "disk_sku_tier",
    "disk_performance_tier",
    "disk_iops_mbps",
    "disk_month_price",
    "SNAPSHOT_PRICE_GIB_MONTH",
    "IMAGE_PRICE_GIB_MONTH",
    "GALLERY_REPLICA_PRICE_GIB_MONTH",
    "PUBLIC_IP_PRICE_HOUR",
    "HOURS_PER_MONTH",
    "PRICE_LABEL",
    "DURATIONS",
    "LIMITS",
    "DISALLOWED_USER_NAMES",
]


# ---------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------


@attrs.frozen
class Location:
    name: str
    display_name: str
    regional_display_name: str
    geography: str
    zones: tuple[str, ...]


_AZ = ("1", "2", "3")
_NO_AZ: tuple[str, ...] = ()

# name, display name, geography group (the "(..)" prefix of
# regionalDisplayName), geography, availability zones.
# westus, northcentralus and westcentralus have no availability zones, which
# matters for ZRS disks and --zone.
_LOCATION_TABLE: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("eastus", "East US", "US", "United States", _AZ),
    ("eastus2", "East US 2", "US", "United States", _AZ),
    ("westus", "West US", "US", "United States", _NO_AZ),
    ("westus2", "West US 2", "US", "United States", _AZ),
    ("westus3", "West US 3", "US", "United States", _AZ),
    ("centralus", "Central US", "US", "United States", _AZ),
    ("northcentralus", "North Central US", "US", "United States", _NO_AZ),
    ("southcentralus", "South Central US", "US", "United States", _AZ),
    ("westcentralus", "West Central US", "US", "United States", _NO_AZ),
    ("canadacentral", "Canada Central", "Canada", "Canada", _AZ),
    ("brazilsouth", "Brazil South", "South America", "Brazil", _AZ),
    ("northeurope", "North Europe", "Europe", "Europe", _AZ),
    ("westeurope", "West Europe", "Europe", "Europe", _AZ),
    ("uksouth", "UK South", "Europe", "United Kingdom", _AZ),
    ("francecentral", "France Central", "Europe", "France", _AZ),
    ("germanywestcentral", "Germany West Central", "Europe", "Germany", _AZ),
    ("swedencentral", "Sweden Central", "Europe", "Sweden", _AZ),
    ("switzerlandnorth", "Switzerland North", "Europe", "Switzerland", _AZ),
    ("southeastasia", "Southeast Asia", "Asia Pacific", "Asia Pacific", _AZ),
    ("eastasia", "East Asia", "Asia Pacific", "Asia Pacific", _AZ),
    ("japaneast", "Japan East", "Asia Pacific", "Japan", _AZ),
    ("australiaeast", "Australia East", "Asia Pacific", "Australia", _AZ),
    ("centralindia", "Central India", "Asia Pacific", "India", _AZ),
    ("koreacentral", "Korea Central", "Asia Pacific", "Korea", _AZ),
)

LOCATIONS: dict[str, Location] = {
    name: Location(
        name=name,
        display_name=display,
        regional_display_name=f"({group}) {display}",
        geography=geography,
        zones=zones,
    )
    for name, display, group, geography, zones in _LOCATION_TABLE
}


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


# Both "eastus" and "East US" squash to "eastus"; gallery target regions and
# -l accept either form.
_LOCATION_INDEX: dict[str, Location] = {}
for _loc in LOCATIONS.values():
    _LOCATION_INDEX[_squash(_loc.name)] = _loc
    _LOCATION_INDEX[_squash(_loc.display_name)] = _loc


def find_location(text: str) -> Location | None:
    """Programmatic or display name, ignoring case and spaces."""
    if not isinstance(text, str):
        return None
    return _LOCATION_INDEX.get(_squash(text))


# ---------------------------------------------------------------------------
# VM sizes
# ---------------------------------------------------------------------------


@attrs.frozen
class VmSize:
    name: str
    family: str
    vcpus: int
    memory_gib: float
    max_data_disks: int
    hyper_v_generations: tuple[str, ...]
    premium_io: bool
    trusted_launch: bool
    price_linux_hour: float
    price_windows_hour: float


_G1 = ("V1",)
_G2 = ("V2",)
_G12 = ("V1", "V2")

# name, family (as `az vm list-skus` reports it; vCPU quotas are per family),
# vCPU, GiB RAM, max data disks, Hyper-V generations, premium storage,
# Linux $/h, Windows $/h (Windows includes the licence).
#
# Prices for B1s, B2s, D2s_v5 and D4s_v5 are the reference table's points;
# all other prices are plausible approximations that scale with the vCPU
# count of comparable sizes (the Windows licence adds roughly $0.046 per
# vCPU-hour on D/E/F sizes).
#
# Trusted launch needs a Gen2-capable size; A_v2 and D_v2 are Gen1 only and
# have no premium storage.  Dsv6 cannot boot Gen1 images.
_VM_SIZE_TABLE: tuple[tuple, ...] = (
    # B-series (burstable)
    ("Standard_B1s", "standardBSFamily", 1, 1.0, 2, _G12, True, 0.0104, 0.0146),
    ("Standard_B1ms", "standardBSFamily", 1, 2.0, 2, _G12, True, 0.0207, 0.0287),
    ("Standard_B2s", "standardBSFamily", 2, 4.0, 4, _G12, True, 0.0416, 0.0496),
    ("Standard_B2ms", "standardBSFamily", 2, 8.0, 4, _G12, True, 0.0832, 0.0992),
    ("Standard_B4ms", "standardBSFamily", 4, 16.0, 8, _G12, True, 0.166, 0.198),
    # Av2 (entry level, Gen1 only, Standard storage only)
    ("Standard_A1_v2", "standardAv2Family", 1, 2.0, 2, _G1, False, 0.043, 0.060),
    ("Standard_A2_v2", "standardAv2Family", 2, 4.0, 4, _G1, False, 0.091, 0.126),
    # Dv2 / DSv2 (older general purpose)
    ("Standard_D2_v2", "standardDv2Family", 2, 7.0, 8, _G1, False, 0.114, 0.206),
    ("Standard_DS1_v2", "standardDSv2Family", 1, 3.5, 4, _G12, True, 0.057, 0.103),
    ("Standard_DS2_v2", "standardDSv2Family", 2, 7.0, 8, _G12, True, 0.114, 0.206),
    # Dsv3
    ("Standard_D2s_v3", "standardDSv3Family", 2, 8.0, 4, _G12, True, 0.096, 0.188),
    ("Standard_D4s_v3", "standardDSv3Family", 4, 16.0, 8, _G12, True, 0.192, 0.376),
    # Dsv5 / Dasv5 (D2s_v5 is the az vm create default)
    ("Standard_D2s_v5", "standardDSv5Family", 2, 8.0, 4, _G12, True, 0.096, 0.188),
    ("Standard_D4s_v5", "standardDSv5Family", 4, 16.0, 8, _G12, True, 0.192, 0.376),
    ("Standard_D8s_v5", "standardDSv5Family", 8, 32.0, 16, _G12, True, 0.384, 0.752),
    ("Standard_D2as_v5", "standardDASv5Family", 2, 8.0, 4, _G12, True, 0.086, 0.178),
    # Dsv6 (Gen2 only)
    ("Standard_D2s_v6", "standardDSv6Family", 2, 8.0, 8, _G2, True, 0.094, 0.186),
    ("Standard_D4s_v6", "standardDSv6Family", 4, 16.0, 12, _G2, True, 0.188, 0.372),
    # Esv5 (memory optimised)
    ("Standard_E2s_v5", "standardESv5Family", 2, 16.0, 4, _G12, True, 0.126, 0.218),
    ("Standard_E4s_v5", "standardESv5Family", 4, 32.0, 8, _G12, True, 0.252, 0.436),
    # Fsv2 (compute optimised)
    ("Standard_F2s_v2", "standardFSv2Family", 2, 4.0, 4, _G12, True, 0.0846, 0.1766),
    ("Standard_F4s_v2", "standardFSv2Family", 4, 8.0, 8, _G12, True, 0.169, 0.353),
)

VM_SIZES: dict[str, VmSize] = {
    row[0]: VmSize(
        name=row[0],
        family=row[1],
        vcpus=row[2],
        memory_gib=row[3],
        max_data_disks=row[4],
        hyper_v_generations=row[5],
        premium_io=row[6],
        # Trusted launch follows Gen2 support for every size in this table.
        trusted_launch="V2" in row[5],
        price_linux_hour=row[7],
        price_windows_hour=row[8],
    )
    for row in _VM_SIZE_TABLE
}

_VM_SIZE_INDEX = {name.lower(): size for name, size in VM_SIZES.items()}

DEFAULT_VM_SIZE = "Standard_D2s_v5"


def find_vm_size(name: str) -> VmSize | None:
    """Case-insensitive lookup; the result carries the canonical casing."""
    if not isinstance(name, str):
        return None
    return _VM_SIZE_INDEX.get(name.strip().lower())


# ---------------------------------------------------------------------------
# Marketplace images
# ---------------------------------------------------------------------------


@attrs.frozen
class MarketplaceImage:
    publisher: str
    offer: str
    sku: str
    version: str
    os_type: str
    hyper_v_generation: str
    trusted_launch_supported: bool
    os_disk_size_gb: int
    used_gib: float
    os_name: str
    os_version: str
    preinstalled: tuple[str, ...]
    aliases: tuple[str, ...]
    # Extra, defaulted: only AzureLinux4Arm64 is Arm64 and no size in
    # VM_SIZES can run it (real Azure refuses x64 sizes for Arm64 images).
    architecture: str = "x64"

    @property
    def urn(self) -> str:
        return f"{self.publisher}:{self.offer}:{self.sku}:{self.version}"


# What a fresh guest already has.  Package names follow each distribution
# (the Azure agent is packaged under different names).
_UBUNTU_PKGS = ("openssh-server", "walinuxagent", "cloud-init")
_DEBIAN_PKGS = ("openssh-server", "waagent", "cloud-init")
_RPM_PKGS = ("openssh-server", "WALinuxAgent", "cloud-init")
_SUSE_PKGS = ("openssh", "python-azure-agent", "cloud-init")
_FLATCAR_PKGS = ("openssh", "wa-linux-agent", "ignition")
_WIN_FULL = ("Windows-Defender", "PowerShell-ISE", "WindowsAzureGuestAgent")
_WIN_CORE = ("Windows-Defender", "WindowsAzureGuestAgent")

# Fresh OS disks are mostly empty: Linux marketplace images write ~2.5 GiB,
# Windows ~12 GiB.  Snapshots bill the used size, so this drives their cost.
_LINUX_DISK_GB, _LINUX_USED = 30, 2.5
_WIN_DISK_GB, _WIN_USED = 127, 12.0


def _linux(publisher, offer, sku, version, gen, os_name, os_version, pkgs,
           aliases=(), used=_LINUX_USED, architecture="x64"):
    return MarketplaceImage(
        publisher=publisher, offer=offer, sku=sku, version=version,
        os_type="Linux", hyper_v_generation=gen,
        trusted_launch_supported=gen == "V2",
        os_disk_size_gb=_LINUX_DISK_GB, used_gib=used,
        os_name=os_name, os_version=os_version,
        preinstalled=pkgs, aliases=tuple(aliases), architecture=architecture,
    )


def _windows(sku, version, gen, os_name, os_version, pkgs=_WIN_FULL,
             aliases=(), used=_WIN_USED):
    return MarketplaceImage(
        publisher="MicrosoftWindowsServer", offer="WindowsServer", sku=sku,
        version=version, os_type="Windows", hyper_v_generation=gen,
        trusted_launch_supported=gen == "V2",
        os_disk_size_gb=_WIN_DISK_GB, used_gib=used,
        os_name=os_name, os_version=os_version,
        preinstalled=pkgs, aliases=tuple(aliases),
    )


# One row per image: the alias images of the az CLI's built-in list (§4.6),
# the Gen1 twins that managed-image labs need (legacy images cannot be made
# from Trusted Launch VMs, and Gen1 images never get Trusted Launch), and the
# image az picks when --image is omitted.  Gen2 images support Trusted
# Launch, Gen1 images do not.  Version strings follow each publisher's scheme.
_UBUNTU2204_VERSION = "22.04.202610150"
_UBUNTU2404_VERSION = "24.04.202610090"
_DEBIAN12_VERSION = "0.20261012.2264"
_WS2022_VERSION = "20348.4294.261014"
_WS2019_VERSION = "17763.7922.261014"

MARKETPLACE_IMAGES: tuple[MarketplaceImage, ...] = (
    # --- Linux aliases -----------------------------------------------------
    _linux("microsoftazurelinux", "azurelinux-4", "4", "4.0.20261008", "V2",
           "Microsoft Azure Linux 4.0", "4.0", _RPM_PKGS, ("AzureLinux4",),
           used=1.5),
    _linux("microsoftazurelinux", "azurelinux-4", "4-arm64", "4.0.20261008", "V2",
           "Microsoft Azure Linux 4.0", "4.0", _RPM_PKGS, ("AzureLinux4Arm64",),
           used=1.5, architecture="Arm64"),
    _linux("microsoftazurelinux", "azurelinux-4", "4-gen1", "4.0.20261008", "V1",
           "Microsoft Azure Linux 4.0", "4.0", _RPM_PKGS, ("AzureLinux4Gen1",),
           used=1.5),
    _linux("OpenLogic", "CentOS", "8_5-gen2", "8.5.2022101800", "V2",
           "CentOS Linux 8", "8.5", _RPM_PKGS, ("CentOS85Gen2",), used=3.0),
    _linux("Debian", "debian-11", "11-backports-gen2", "0.20250905.2227", "V2",
           "Debian GNU/Linux 11 (bullseye)", "11", _DEBIAN_PKGS, ("Debian11",),
           used=2.0),
    _linux("kinvolk", "flatcar-container-linux-free", "stable-gen2", "4459.2.1",
           "V2", "Flatcar Container Linux by Kinvolk 4459.2.1 (Oklo)", "4459.2.1",
           _FLATCAR_PKGS, ("FlatcarLinuxFreeGen2",), used=1.8),
    _linux("SUSE", "openSUSE-leap-15-4", "gen2", "2023.11.20", "V2",
           "openSUSE Leap 15.4", "15.4", _SUSE_PKGS, ("OpenSuseLeap154Gen2",),
           used=2.8),
    _linux("RedHat", "RHEL", "8-lvm-gen2", "8.10.2026091512", "V2",
           "Red Hat Enterprise Linux 8.10 (Ootpa)", "8.10", _RPM_PKGS,
           ("RHELRaw8LVMGen2",), used=3.2),
    _linux("SUSE", "sles-15-sp3", "gen2", "2024.06.11", "V2",
           "SUSE Linux Enterprise Server 15 SP3", "15.3", _SUSE_PKGS,
           ("SuseSles15SP3",), used=3.0),
    _linux("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2",
           _UBUNTU2204_VERSION, "V2", "Ubuntu 22.04.5 LTS", "22.04",
           _UBUNTU_PKGS, ("Ubuntu2204",)),
    # --- Linux without alias -------------------------------------------------
    _linux("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts",
           _UBUNTU2204_VERSION, "V1", "Ubuntu 22.04.5 LTS", "22.04",
           _UBUNTU_PKGS),
    _linux("Canonical", "ubuntu-24_04-lts", "server", _UBUNTU2404_VERSION, "V2",
           "Ubuntu 24.04.3 LTS", "24.04", _UBUNTU_PKGS),
    _linux("Canonical", "ubuntu-24_04-lts", "server-gen1", _UBUNTU2404_VERSION,
           "V1", "Ubuntu 24.04.3 LTS", "24.04", _UBUNTU_PKGS),
    _linux("Debian", "debian-12", "12-gen2", _DEBIAN12_VERSION, "V2",
           "Debian GNU/Linux 12 (bookworm)", "12", _DEBIAN_PKGS, used=2.0),
    _linux("Debian", "debian-12", "12", _DEBIAN12_VERSION, "V1",
           "Debian GNU/Linux 12 (bookworm)", "12", _DEBIAN_PKGS, used=2.0),
    # --- Windows aliases (az lists them in this order) -----------------------
    _windows("2022-datacenter-g2", _WS2022_VERSION, "V2",
             "Windows Server 2022 Datacenter", "10.0.20348",
             aliases=("Win2022Datacenter",)),
    _windows("2022-datacenter-azure-edition-core", _WS2022_VERSION, "V2",
             "Windows Server 2022 Datacenter Azure Edition", "10.0.20348",
             pkgs=_WIN_CORE, aliases=("Win2022AzureEditionCore",), used=8.0),
    _windows("2019-datacenter-gensecond", _WS2019_VERSION, "V2",
             "Windows Server 2019 Datacenter", "10.0.17763",
             aliases=("Win2019Datacenter",)),
    _windows("2016-datacenter-gensecond", "14393.8519.261014", "V2",
             "Windows Server 2016 Datacenter", "10.0.14393",
             aliases=("Win2016Datacenter",), used=11.0),
    # 2012 / 2012 R2 images are Gen1 and no longer refreshed (end of support).
    _windows("2012-R2-Datacenter", "9600.21620.231004", "V1",
             "Windows Server 2012 R2 Datacenter", "6.3.9600",
             aliases=("Win2012R2Datacenter",), used=10.0),
    _windows("2012-Datacenter", "9200.24523.231004", "V1",
             "Windows Server 2012 Datacenter", "6.2.9200",
             aliases=("Win2012Datacenter",), used=9.5),
    # --- Windows without alias ----------------------------------------------
    _windows("2022-datacenter", _WS2022_VERSION, "V1",
             "Windows Server 2022 Datacenter", "10.0.20348"),
    _windows("2019-datacenter", _WS2019_VERSION, "V1",
             "Windows Server 2019 Datacenter", "10.0.17763"),
    # The image az vm create uses when neither --image nor --attach-os-disk
    # is given.
    _windows("2022-datacenter-azure-edition", _WS2022_VERSION, "V2",
             "Windows Server 2022 Datacenter Azure Edition", "10.0.20348"),
)

# The order az prints aliases in its "pick an image from [...]" message:
# its alias document lists Linux first, then Windows, each in document order.
ALIASES: tuple[str, ...] = tuple(
    alias
    for os_type in ("Linux", "Windows")
    for image in MARKETPLACE_IMAGES
    if image.os_type == os_type
    for alias in image.aliases
)

DEFAULT_IMAGE_URN = (
    "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest"
)

_ALIAS_INDEX: dict[str, MarketplaceImage] = {
    alias.lower(): image for image in MARKETPLACE_IMAGES for alias in image.aliases
}
_URN_INDEX: dict[tuple[str, str, str], list[MarketplaceImage]] = {}
for _img in MARKETPLACE_IMAGES:
    _URN_INDEX.setdefault(
        (_img.publisher.lower(), _img.offer.lower(), _img.sku.lower()), []
    ).append(_img)


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def find_image(spec: str) -> MarketplaceImage | None:
    """An alias (any case) or a URN ``Publisher:Offer:Sku:Version``.

    Publisher, offer and SKU compare case-insensitively; the version is
    ``latest`` (the highest version held) or an exact version string.
    Anything else, including a three-part URN, gives None.
    """
    if not isinstance(spec, str):
        return None
    spec = spec.strip()
    if not spec:
        return None
    if ":" not in spec:
        return _ALIAS_INDEX.get(spec.lower())
    parts = spec.split(":")
    if len(parts) != 4 or not all(parts):
        return None
    publisher, offer, sku, version = parts
    candidates = _URN_INDEX.get((publisher.lower(), offer.lower(), sku.lower()))
    if not candidates:
        return None
    if version.lower() == "latest":
        return max(candidates, key=lambda img: _version_key(img.version))
    for image in candidates:
        if image.version.lower() == version.lower():
            return image
    return None


_PLATFORM_IMAGE_ID = re.compile(r"/subscriptions/[^/]+/providers/microsoft\.compute/locations/([^/]+)/publishers/([^/]+)"
                                r"/artifacttypes/vmimage/offers/([^/]+)/skus/([^/]+)/versions/([^/]+)/?", re.I)


def platform_image_id(subscription_id: str, location: str, image: MarketplaceImage) -> str:
    """A Marketplace image version's id, written as the platform writes it (capital segment names)."""
    return (f"/Subscriptions/{subscription_id}/Providers/Microsoft.Compute/Locations/{location}/Publishers/"
            f"{image.publisher}/ArtifactTypes/VMImage/Offers/{image.offer}/Skus/{image.sku}/Versions/{image.version}")


def find_image_by_id(resource_id: str) -> tuple[MarketplaceImage, str] | None:
    """The Marketplace image a platform image id names (any case, any subscription), and the region
    the id names; None if it names no image labtui knows."""
    match = _PLATFORM_IMAGE_ID.fullmatch(resource_id.strip())
    if not match:
        return None
    image = find_image(":".join(match.groups()[1:]))
    return None if image is None else (image, match[1])


# ---------------------------------------------------------------------------
# Disks, snapshots, gallery storage
# ---------------------------------------------------------------------------

# Sorted the way az prints them in "Allowed values: ..." (plain string order).
DISK_SKUS: tuple[str, ...] = (
    "PremiumV2_LRS",
    "Premium_LRS",
    "Premium_ZRS",
    "StandardSSD_LRS",
    "StandardSSD_ZRS",
    "Standard_LRS",
    "UltraSSD_LRS",
)
# Host caching of a disk attached to a VM.
CACHING_MODES: tuple[str, ...] = ("None", "ReadOnly", "ReadWrite")
SNAPSHOT_SKUS: tuple[str, ...] = ("Premium_LRS", "Standard_LRS", "Standard_ZRS")
GALLERY_STORAGE_TYPES: tuple[str, ...] = ("Premium_LRS", "Standard_LRS", "Standard_ZRS")

# sku.tier as ARM reports it next to sku.name.  Premium SSD v2 sits in the
# Premium tier; Standard SSD and Standard HDD are both "Standard".
_SKU_TIER = {
    "PremiumV2_LRS": "Premium",
    "Premium_LRS": "Premium",
    "Premium_ZRS": "Premium",
    "StandardSSD_LRS": "Standard",
    "StandardSSD_ZRS": "Standard",
    "Standard_LRS": "Standard",
    "Standard_ZRS": "Standard",  # snapshots / gallery replicas only
    "UltraSSD_LRS": "Ultra",
}

_SKU_CANON = {sku.lower(): sku for sku in _SKU_TIER}


def _canon_sku(sku: str) -> str:
    try:
        return _SKU_CANON[sku.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown disk SKU {sku!r}") from None


def disk_sku_tier(sku: str) -> str:
    """The ``tier`` that goes with ``sku.name`` in disk/snapshot JSON."""
    return _SKU_TIER[_canon_sku(sku)]


# Performance tiers: name, largest size in GiB, IOPS, MBps, LRS $/month.
# Points given by the reference: P4 5.28, P6 10.21, P10 19.71, E4 2.40,
# E10 9.60, S4 1.54, S10 5.89; the rest are filled in along the same curve.
# A disk bills (and performs) as the smallest tier its size fits in.
_PREMIUM_TIERS = (
    ("P1", 4, 120, 25, 0.78),
    ("P2", 8, 120, 25, 1.56),
    ("P3", 16, 120, 25, 3.01),
    ("P4", 32, 120, 25, 5.28),
    ("P6", 64, 240, 50, 10.21),
    ("P10", 128, 500, 100, 19.71),
    ("P15", 256, 1100, 125, 38.01),
    ("P20", 512, 2300, 150, 73.22),
    ("P30", 1024, 5000, 200, 135.17),
    ("P40", 2048, 7500, 250, 259.05),
    ("P50", 4096, 7500, 250, 495.57),
    ("P60", 8192, 16000, 500, 946.08),
    ("P70", 16384, 18000, 750, 1802.08),
    ("P80", 32767, 20000, 900, 3604.17),
)
_STANDARD_SSD_TIERS = (
    ("E1", 4, 500, 60, 0.30),
    ("E2", 8, 500, 60, 0.60),
    ("E3", 16, 500, 60, 1.20),
    ("E4", 32, 500, 60, 2.40),
    ("E6", 64, 500, 60, 4.80),
    ("E10", 128, 500, 60, 9.60),
    ("E15", 256, 500, 60, 19.20),
    ("E20", 512, 500, 60, 38.40),
    ("E30", 1024, 500, 60, 76.80),
    ("E40", 2048, 500, 60, 153.60),
    ("E50", 4096, 500, 60, 307.20),
    ("E60", 8192, 2000, 400, 614.40),
    ("E70", 16384, 4000, 600, 1228.80),
    ("E80", 32767, 6000, 750, 2457.60),
)
# Standard HDD has no tier below S4: small disks bill as 32 GiB.
_STANDARD_HDD_TIERS = (
    ("S4", 32, 500, 60, 1.54),
    ("S6", 64, 500, 60, 3.01),
    ("S10", 128, 500, 60, 5.89),
    ("S15", 256, 500, 60, 11.33),
    ("S20", 512, 500, 60, 21.76),
    ("S30", 1024, 500, 60, 40.96),
    ("S40", 2048, 500, 60, 77.83),
    ("S50", 4096, 500, 60, 143.36),
    ("S60", 8192, 1300, 300, 262.14),
    ("S70", 16384, 2000, 500, 524.29),
    ("S80", 32767, 2000, 500, 1048.58),
)

_TIER_TABLE = {
    "Premium_LRS": _PREMIUM_TIERS,
    "Premium_ZRS": _PREMIUM_TIERS,
    "StandardSSD_LRS": _STANDARD_SSD_TIERS,
    "StandardSSD_ZRS": _STANDARD_SSD_TIERS,
    "Standard_LRS": _STANDARD_HDD_TIERS,
}

# Zone-redundant disks cost about 1.5x their LRS tier.
_ZRS_FACTOR = 1.5

# Premium SSD v2 and Ultra have no size tiers: capacity is billed per GiB
# and performance is provisioned separately.  Baseline performance is what a
# new disk gets; charges for extra IOPS/MBps are not modelled.
_PER_GIB_MONTH = {"PremiumV2_LRS": 0.0812, "UltraSSD_LRS": 0.12}
_BASELINE_IOPS_MBPS = (3000, 125)


def _tier_row(sku: str, size_gb: int) -> tuple | None:
    sku = _canon_sku(sku)
    if sku in _PER_GIB_MONTH:
        return None
    table = _TIER_TABLE.get(sku)
    if table is None:
        raise ValueError(f"{sku} is not a disk SKU")
    if size_gb <= 0:
        raise ValueError(f"disk size must be positive, got {size_gb}")
    for row in table:
        if size_gb <= row[1]:
            return row
    # Larger than the top tier: callers validate sizes against LIMITS; we
    # answer with the top tier rather than fail.
    return table[-1]


def disk_performance_tier(sku: str, size_gb: int) -> str | None:
    """Smallest tier ("P10", "E4", "S4", ...) that holds ``size_gb``.

    None for UltraSSD_LRS and PremiumV2_LRS, which have no tiers.
    """
    row = _tier_row(sku, size_gb)
    return None if row is None else row[0]


def disk_iops_mbps(sku: str, size_gb: int) -> tuple[int, int]:
    """Provisioned (IOPS, MBps) of a new disk of this SKU and size."""
    row = _tier_row(sku, size_gb)
    if row is None:
        return _BASELINE_IOPS_MBPS
    return row[2], row[3]


def disk_month_price(sku: str, size_gb: int) -> float:
    """Approximate monthly price (see PRICE_LABEL) of a disk."""
    canon = _canon_sku(sku)
    row = _tier_row(canon, size_gb)
    if row is None:
        if size_gb <= 0:
            raise ValueError(f"disk size must be positive, got {size_gb}")
        return round(_PER_GIB_MONTH[canon] * size_gb, 2)
    price = row[4]
    if canon.endswith("_ZRS"):
        price *= _ZRS_FACTOR
    return round(price, 2)


# Snapshots bill the used size, full or incremental.  Incremental snapshots
# always live on Standard storage; only full snapshots can be Premium_LRS.
SNAPSHOT_PRICE_GIB_MONTH: dict[str, float] = {
    "Standard_LRS": 0.05,
    "Standard_ZRS": 0.0625,
    "Premium_LRS": 0.12,
}
# A managed image is its own stored copy, billed like standard storage.
IMAGE_PRICE_GIB_MONTH = 0.05
# Each replica of a gallery image version is billed separately.
GALLERY_REPLICA_PRICE_GIB_MONTH = 0.05
# A Standard public IP keeps billing while its VM is deallocated.
PUBLIC_IP_PRICE_HOUR: dict[str, float] = {"Standard": 0.005, "Basic": 0.004}
HOURS_PER_MONTH = 730
PRICE_LABEL = "approximate, pay-as-you-go, East US"


# ---------------------------------------------------------------------------
# Simulated durations (seconds of virtual clock), typical observed values
# ---------------------------------------------------------------------------

DURATIONS: dict[str, float] = {
    # VM lifecycle: Windows images take longer to provision than Linux.
    "vm.create.Linux": 60,
    "vm.create.Windows": 180,
    "vm.start": 45,
    "vm.stop": 30,
    "vm.deallocate": 60,
    "vm.restart": 45,
    "vm.redeploy": 180,     # a few minutes: shut down, move to a new host, boot there
    # generalize only flips a flag on the VM model.
    "vm.generalize": 5,
    "vm.delete": 40,
    "vm.update": 10,
    "vm.disk.attach": 10,
    "vm.disk.detach": 10,
    "vm.run_command": 20,
    # Inside the guest: sysprep /generalize /shutdown until the VM reports
    # stopped; waagent -deprovision returns in seconds.
    "guest.sysprep": 180,
    "guest.shutdown": 20,
    "guest.waagent": 3,
    # Images, disks, snapshots.  Same-region snapshots return at once (the
    # copy completes in the background); cross-region copies take long.
    "image.create": 120,
    "image.delete": 10,
    "snapshot.create": 5,
    "snapshot.copy_start": 900,
    "disk.create": 5,
    "disk.create.copy": 20,
    "disk.delete": 5,
    "disk.update": 5,
    "snapshot.delete": 5,
    # Gallery: replication to each target region dominates.
    "sig.create": 10,
    "sig.delete": 10,
    "sig.definition.create": 5,
    "sig.definition.delete": 5,
    "sig.version.replicate_region": 1200,
    "sig.version.delete": 60,
    # Misc.
    "group.delete": 120,
    "network.delete": 5,
    "access.grant": 5,
    "access.revoke": 5,
}


# ---------------------------------------------------------------------------
# Limits (per subscription per region unless the key says otherwise)
# ---------------------------------------------------------------------------

LIMITS: dict[str, int] = {
    "disks_per_type_per_region": 50_000,
    # each of Standard_LRS / Standard_ZRS snapshots
    "snapshots_per_sku_per_region": 75_000,
    "images_per_region": 50_000,
    "incremental_snapshots_per_disk": 500,
    "incremental_snapshots_per_disk_per_5min": 7,
    "parallel_copy_start_per_region": 100,
    "galleries_per_region": 100,
    "image_definitions_per_region": 1_000,
    "image_versions_per_region": 10_000,
    "replicas_per_version": 100,
    # az vm create --count
    "vm_count_min": 2,
    "vm_count_max": 250,
    "max_os_disk_gb": 4_095,
    "max_data_disk_gb": 32_767,
    "max_ultra_disk_gb": 65_536,
    # Extra: roughly how many VMs one managed image serves at a time.
    "concurrent_deployments_per_image": 20,
}

# Admin user names az vm create refuses (azure-cli core util.py).
DISALLOWED_USER_NAMES: frozenset[str] = frozenset({
    "administrator", "admin", "user", "user1", "test", "user2",
    "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm",
    "admin2", "aspnet", "backup", "console", "guest",
    "owner", "root", "server", "sql", "support", "support_388945a0",
    "sys", "test2", "test3", "user4", "user5",
})


# ---------------------------------------------------------------------------
# Run commands (az vm run-command): the ones labtui's guest agents carry out
# ---------------------------------------------------------------------------


@attrs.frozen
class RunCommand:
    id: str
    os_type: str
    label: str
    description: str


RUN_COMMANDS: tuple[RunCommand, ...] = (
    RunCommand("RunShellScript", "Linux", "Runs a shell script",
               "The script lines in --scripts run as root, one after the other, with no terminal: a command "
               "that asks a question gets no answer."),
    RunCommand("ifconfig", "Linux", "Lists the network interfaces",
               "Shows the guest's network interfaces and their addresses."),
    RunCommand("RunPowerShellScript", "Windows", "Runs a PowerShell script",
               "The script lines in --scripts run as Local System, one after the other, with no console: a "
               "command that waits for input does not get any."),
    RunCommand("EnableAdminAccount", "Windows", "Enables the local administrator",
               "Turns the built-in Administrator account back on if it was disabled."),
    RunCommand("EnableRemotePS", "Windows", "Allows remote PowerShell",
               "Sets the guest up for PowerShell remoting and opens its firewall port."),
    RunCommand("IPConfig", "Windows", "Lists the IP configuration",
               "Shows the addresses, DNS servers and gateways of each network adapter."),
    RunCommand("RDPSettings", "Windows", "Checks the Remote Desktop settings",
               "Shows the registry settings and policies that Remote Desktop depends on."),
    RunCommand("ResetRDPCert", "Windows", "Renews the Remote Desktop certificate",
               "Removes the certificate Remote Desktop uses, so that a new one is made."),
    RunCommand("SetRDPPort", "Windows", "Sets the Remote Desktop port",
               "Changes the port Remote Desktop listens on and opens it in the guest firewall."),
)


def run_command_ids(os_type: str) -> frozenset[str]:
    return frozenset(command.id for command in RUN_COMMANDS if command.os_type == os_type)
