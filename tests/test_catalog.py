"""Tests for the static catalog of the simulated cloud."""

from __future__ import annotations

import attrs
import pytest

from labtui.engine import catalog as c


# --- images -----------------------------------------------------------------

# alias -> (URN without version, generation, trusted launch supported, os type)
EXPECTED_ALIASES = {
    "AzureLinux4": ("microsoftazurelinux:azurelinux-4:4", "V2", True, "Linux"),
    "AzureLinux4Arm64": ("microsoftazurelinux:azurelinux-4:4-arm64", "V2", True, "Linux"),
    "AzureLinux4Gen1": ("microsoftazurelinux:azurelinux-4:4-gen1", "V1", False, "Linux"),
    "CentOS85Gen2": ("OpenLogic:CentOS:8_5-gen2", "V2", True, "Linux"),
    "Debian11": ("Debian:debian-11:11-backports-gen2", "V2", True, "Linux"),
    "FlatcarLinuxFreeGen2": ("kinvolk:flatcar-container-linux-free:stable-gen2", "V2", True, "Linux"),
    "OpenSuseLeap154Gen2": ("SUSE:openSUSE-leap-15-4:gen2", "V2", True, "Linux"),
    "RHELRaw8LVMGen2": ("RedHat:RHEL:8-lvm-gen2", "V2", True, "Linux"),
    "SuseSles15SP3": ("SUSE:sles-15-sp3:gen2", "V2", True, "Linux"),
    "Ubuntu2204": ("Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2", "V2", True, "Linux"),
    "Win2022Datacenter": ("MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2", "V2", True, "Windows"),
    "Win2022AzureEditionCore": ("MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition-core", "V2", True, "Windows"),
    "Win2019Datacenter": ("MicrosoftWindowsServer:WindowsServer:2019-datacenter-gensecond", "V2", True, "Windows"),
    "Win2016Datacenter": ("MicrosoftWindowsServer:WindowsServer:2016-datacenter-gensecond", "V2", True, "Windows"),
    "Win2012R2Datacenter": ("MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter", "V1", False, "Windows"),
    "Win2012Datacenter": ("MicrosoftWindowsServer:WindowsServer:2012-Datacenter", "V1", False, "Windows"),
}


def test_alias_list_is_exactly_the_cli_list_in_cli_order():
    assert c.ALIASES == tuple(EXPECTED_ALIASES)
    assert "UbuntuLTS" not in c.ALIASES


@pytest.mark.parametrize("alias", list(EXPECTED_ALIASES))
def test_every_alias_resolves_to_the_right_image(alias):
    urn3, gen, tl, os_type = EXPECTED_ALIASES[alias]
    for spelling in (alias, alias.lower(), alias.upper()):
        image = c.find_image(spelling)
        assert image is not None, spelling
        assert f"{image.publisher}:{image.offer}:{image.sku}" == urn3
        assert image.hyper_v_generation == gen
        assert image.trusted_launch_supported is tl
        assert image.os_type == os_type
        assert alias in image.aliases


def test_every_alias_belongs_to_exactly_one_image():
    owners = [a for img in c.MARKETPLACE_IMAGES for a in img.aliases]
    assert sorted(owners) == sorted(c.ALIASES)
    assert len(set(a.lower() for a in owners)) == len(owners)


@pytest.mark.parametrize(
    "urn3, gen",
    [
        ("Canonical:0001-com-ubuntu-server-jammy:22_04-lts", "V1"),
        ("MicrosoftWindowsServer:WindowsServer:2022-datacenter", "V1"),
        ("MicrosoftWindowsServer:WindowsServer:2019-datacenter", "V1"),
        ("Canonical:ubuntu-24_04-lts:server", "V2"),
        ("Canonical:ubuntu-24_04-lts:server-gen1", "V1"),
        ("Debian:debian-12:12-gen2", "V2"),
        ("Debian:debian-12:12", "V1"),
        ("MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition", "V2"),
    ],
)
def test_non_alias_images_present_with_right_generation(urn3, gen):
    image = c.find_image(urn3 + ":latest")
    assert image is not None
    assert image.hyper_v_generation == gen
    assert image.trusted_launch_supported is (gen == "V2")
    assert image.aliases == ()


def test_gen1_twin_shares_version_and_os_with_gen2_ubuntu():
    gen2 = c.find_image("Ubuntu2204")
    gen1 = c.find_image("Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest")
    assert gen1 is not gen2
    assert gen1.version == gen2.version
    assert gen1.os_name == gen2.os_name == "Ubuntu 22.04.5 LTS"


def test_trusted_launch_follows_generation_for_all_images():
    for image in c.MARKETPLACE_IMAGES:
        assert image.trusted_launch_supported is (image.hyper_v_generation == "V2"), image.urn


def test_default_image():
    assert c.DEFAULT_IMAGE_URN == (
        "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest"
    )
    image = c.find_image(c.DEFAULT_IMAGE_URN)
    assert image is not None
    assert image.os_type == "Windows"
    assert image.hyper_v_generation == "V2"
    assert image.trusted_launch_supported


def test_image_fields_are_realistic():
    urns = set()
    for image in c.MARKETPLACE_IMAGES:
        assert image.os_type in ("Linux", "Windows")
        assert image.hyper_v_generation in ("V1", "V2")
        expected_disk = 30 if image.os_type == "Linux" else 127
        assert image.os_disk_size_gb == expected_disk
        assert 0 < image.used_gib < image.os_disk_size_gb
        if image.os_type == "Linux":
            assert image.used_gib < 5
        else:
            assert image.used_gib >= 8
        assert image.version and image.version != "latest"
        assert image.version[0].isdigit()
        assert image.urn.count(":") == 3
        assert image.preinstalled
        urns.add(image.urn.lower())
    assert len(urns) == len(c.MARKETPLACE_IMAGES)


def test_urn_property():
    image = c.find_image("Ubuntu2204")
    assert image.urn == (
        f"Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:{image.version}"
    )


def test_urn_lookup_latest_exact_and_case_insensitive():
    image = c.find_image("Ubuntu2204")
    exact = f"Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:{image.version}"
    assert c.find_image(exact) is image
    assert c.find_image(exact.upper().replace(image.version.upper(), image.version)) is image
    assert c.find_image("canonical:0001-COM-ubuntu-server-jammy:22_04-LTS-gen2:latest") is image
    assert c.find_image("Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:LATEST") is image
    win = c.find_image("microsoftwindowsserver:windowsserver:2022-DATACENTER-g2:latest")
    assert win is c.find_image("Win2022Datacenter")


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "   ",
        "UbuntuLTS",
        "Ubuntu2404",  # not in the CLI's built-in alias list
        "Win2019DatacenterGen1",
        "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2",  # 3 parts
        "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:1.2.3",  # unknown version
        "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen3:latest",
        "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest:extra",
        "Canonical::22_04-lts-gen2:latest",
        "myImage",
    ],
)
def test_unknown_image_spec_is_none(spec):
    assert c.find_image(spec) is None


def test_images_are_frozen():
    image = c.find_image("Ubuntu2204")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        image.version = "x"


# --- locations --------------------------------------------------------------

def test_twenty_four_locations():
    assert len(c.LOCATIONS) == 24
    for name, loc in c.LOCATIONS.items():
        assert loc.name == name == name.lower()
        assert " " not in name
        assert loc.regional_display_name.endswith(") " + loc.display_name)


@pytest.mark.parametrize("text", ["eastus", "EastUS", "East US", "east us", " EAST  US "])
def test_find_location_forms(text):
    loc = c.find_location(text)
    assert loc is not None and loc.name == "eastus"
    assert loc.display_name == "East US"
    assert loc.regional_display_name == "(US) East US"
    assert loc.geography == "United States"


def test_find_location_distinguishes_numbered_regions():
    assert c.find_location("East US 2").name == "eastus2"
    assert c.find_location("eastus2").name == "eastus2"
    assert c.find_location("West US 3").name == "westus3"
    assert c.find_location("germany west central").name == "germanywestcentral"


@pytest.mark.parametrize("text", ["", "mars", "east", "us east", "eastus4"])
def test_find_location_unknown(text):
    assert c.find_location(text) is None


def test_zones():
    for name in ("westus", "northcentralus", "westcentralus"):
        assert c.LOCATIONS[name].zones == ()
    assert c.LOCATIONS["eastus"].zones == ("1", "2", "3")
    assert c.LOCATIONS["westeurope"].zones == ("1", "2", "3")
    zoned = [loc for loc in c.LOCATIONS.values() if loc.zones]
    assert len(zoned) == 21


# --- VM sizes ---------------------------------------------------------------

REQUIRED_SIZES = [
    "Standard_B1s", "Standard_B1ms", "Standard_B2s", "Standard_B2ms", "Standard_B4ms",
    "Standard_A1_v2", "Standard_A2_v2", "Standard_D2_v2", "Standard_DS1_v2",
    "Standard_DS2_v2", "Standard_D2s_v3", "Standard_D4s_v3", "Standard_D2s_v5",
    "Standard_D4s_v5", "Standard_D8s_v5", "Standard_D2as_v5", "Standard_D2s_v6",
    "Standard_D4s_v6", "Standard_E2s_v5", "Standard_E4s_v5", "Standard_F2s_v2",
    "Standard_F4s_v2",
]


def test_required_sizes_present():
    for name in REQUIRED_SIZES:
        assert name in c.VM_SIZES
        assert c.VM_SIZES[name].name == name
    assert c.DEFAULT_VM_SIZE == "Standard_D2s_v5"
    assert c.DEFAULT_VM_SIZE in c.VM_SIZES


def test_find_vm_size_is_case_insensitive_and_canonical():
    assert c.find_vm_size("standard_d2s_v5").name == "Standard_D2s_v5"
    assert c.find_vm_size("STANDARD_B1S").name == "Standard_B1s"
    assert c.find_vm_size("Standard_D2s_v5") is c.VM_SIZES["Standard_D2s_v5"]
    assert c.find_vm_size("D2s_v5") is None
    assert c.find_vm_size("Standard_Z9") is None


@pytest.mark.parametrize("name", ["Standard_A1_v2", "Standard_A2_v2", "Standard_D2_v2"])
def test_gen1_only_sizes(name):
    size = c.VM_SIZES[name]
    assert "V2" not in size.hyper_v_generations
    assert "V1" in size.hyper_v_generations
    assert not size.trusted_launch
    assert not size.premium_io


@pytest.mark.parametrize("name", ["Standard_D2s_v6", "Standard_D4s_v6"])
def test_gen2_only_sizes(name):
    size = c.VM_SIZES[name]
    assert "V1" not in size.hyper_v_generations
    assert size.hyper_v_generations == ("V2",)
    assert size.trusted_launch


@pytest.mark.parametrize(
    "name, vcpus, mem, disks",
    [
        ("Standard_A1_v2", 1, 2, 2),
        ("Standard_B1s", 1, 1, 2),
        ("Standard_B2s", 2, 4, 4),
        ("Standard_B2ms", 2, 8, 4),
        ("Standard_D2_v2", 2, 7, 8),
        ("Standard_DS1_v2", 1, 3.5, 4),
        ("Standard_D2s_v5", 2, 8, 4),
        ("Standard_D4s_v5", 4, 16, 8),
        ("Standard_D2s_v6", 2, 8, 8),
        ("Standard_E2s_v5", 2, 16, 4),
        ("Standard_F2s_v2", 2, 4, 4),
    ],
)
def test_size_shapes(name, vcpus, mem, disks):
    size = c.VM_SIZES[name]
    assert (size.vcpus, size.memory_gib, size.max_data_disks) == (vcpus, mem, disks)


@pytest.mark.parametrize(
    "name, linux, windows",
    [
        ("Standard_B1s", 0.0104, None),
        ("Standard_B2s", 0.0416, None),
        ("Standard_D2s_v5", 0.096, 0.188),
        ("Standard_D4s_v5", 0.192, 0.376),
    ],
)
def test_reference_vm_prices(name, linux, windows):
    size = c.VM_SIZES[name]
    assert size.price_linux_hour == pytest.approx(linux)
    if windows is not None:
        assert size.price_windows_hour == pytest.approx(windows)


def test_all_sizes_sane():
    for size in c.VM_SIZES.values():
        assert size.name.startswith("Standard_")
        assert size.family.startswith("standard") and size.family.endswith("Family")
        assert set(size.hyper_v_generations) <= {"V1", "V2"} and size.hyper_v_generations
        assert 0 < size.price_linux_hour < size.price_windows_hour
        assert size.trusted_launch == ("V2" in size.hyper_v_generations)


# --- disks ------------------------------------------------------------------

def test_disk_sku_lists():
    assert c.DISK_SKUS == tuple(sorted(c.DISK_SKUS))
    assert c.DISK_SKUS == (
        "PremiumV2_LRS", "Premium_LRS", "Premium_ZRS", "StandardSSD_LRS",
        "StandardSSD_ZRS", "Standard_LRS", "UltraSSD_LRS",
    )
    assert c.SNAPSHOT_SKUS == ("Premium_LRS", "Standard_LRS", "Standard_ZRS")
    assert c.GALLERY_STORAGE_TYPES == ("Premium_LRS", "Standard_LRS", "Standard_ZRS")


@pytest.mark.parametrize(
    "sku, tier",
    [
        ("Premium_LRS", "Premium"),
        ("Premium_ZRS", "Premium"),
        ("PremiumV2_LRS", "Premium"),
        ("StandardSSD_LRS", "Standard"),
        ("StandardSSD_ZRS", "Standard"),
        ("Standard_LRS", "Standard"),
        ("Standard_ZRS", "Standard"),
        ("UltraSSD_LRS", "Ultra"),
        ("premium_lrs", "Premium"),
    ],
)
def test_disk_sku_tier(sku, tier):
    assert c.disk_sku_tier(sku) == tier


def test_disk_sku_tier_unknown():
    with pytest.raises(ValueError):
        c.disk_sku_tier("Premium_GRS")


@pytest.mark.parametrize(
    "sku, size, tier",
    [
        ("Premium_LRS", 1, "P1"),
        ("Premium_LRS", 4, "P1"),
        ("Premium_LRS", 5, "P2"),
        ("Premium_LRS", 10, "P3"),
        ("Premium_LRS", 32, "P4"),
        ("Premium_LRS", 33, "P6"),
        ("Premium_LRS", 64, "P6"),
        ("Premium_LRS", 65, "P10"),
        ("Premium_LRS", 127, "P10"),
        ("Premium_LRS", 128, "P10"),
        ("Premium_LRS", 129, "P15"),
        ("Premium_LRS", 1024, "P30"),
        ("Premium_LRS", 4095, "P50"),
        ("Premium_LRS", 32767, "P80"),
        ("Premium_ZRS", 30, "P4"),
        ("StandardSSD_LRS", 4, "E1"),
        ("StandardSSD_LRS", 30, "E4"),
        ("StandardSSD_LRS", 127, "E10"),
        ("StandardSSD_LRS", 128, "E10"),
        ("StandardSSD_LRS", 129, "E15"),
        ("StandardSSD_ZRS", 64, "E6"),
        ("Standard_LRS", 1, "S4"),
        ("Standard_LRS", 30, "S4"),
        ("Standard_LRS", 32, "S4"),
        ("Standard_LRS", 33, "S6"),
        ("Standard_LRS", 127, "S10"),
        ("Standard_LRS", 32767, "S80"),
        ("UltraSSD_LRS", 100, None),
        ("PremiumV2_LRS", 100, None),
    ],
)
def test_disk_performance_tier(sku, size, tier):
    assert c.disk_performance_tier(sku, size) == tier


def test_disk_tier_rejects_bad_input():
    with pytest.raises(ValueError):
        c.disk_performance_tier("Standard_ZRS", 32)  # snapshot-only SKU
    with pytest.raises(ValueError):
        c.disk_performance_tier("Premium_LRS", 0)


@pytest.mark.parametrize(
    "sku, size, iops_mbps",
    [
        ("Premium_LRS", 10, (120, 25)),  # the P3 disk of the reference example
        ("Premium_LRS", 32, (120, 25)),
        ("Premium_LRS", 64, (240, 50)),
        ("Premium_LRS", 128, (500, 100)),
        ("Premium_LRS", 1024, (5000, 200)),
        ("StandardSSD_LRS", 128, (500, 60)),
        ("Standard_LRS", 32, (500, 60)),
        ("UltraSSD_LRS", 1024, (3000, 125)),
        ("PremiumV2_LRS", 10, (3000, 125)),
    ],
)
def test_disk_iops_mbps(sku, size, iops_mbps):
    assert c.disk_iops_mbps(sku, size) == iops_mbps


def test_iops_never_decrease_with_size():
    for sku in ("Premium_LRS", "StandardSSD_LRS", "Standard_LRS"):
        prev = (0, 0)
        for size in (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767):
            cur = c.disk_iops_mbps(sku, size)
            assert cur[0] >= prev[0] and cur[1] >= prev[1], (sku, size)
            prev = cur


@pytest.mark.parametrize(
    "sku, size, price",
    [
        ("Premium_LRS", 32, 5.28),
        ("Premium_LRS", 64, 10.21),
        ("Premium_LRS", 128, 19.71),
        ("Premium_LRS", 30, 5.28),  # a 30 GiB Linux OS disk bills as P4
        ("StandardSSD_LRS", 32, 2.40),
        ("StandardSSD_LRS", 128, 9.60),
        ("Standard_LRS", 32, 1.54),
        ("Standard_LRS", 128, 5.89),
        ("Standard_LRS", 127, 5.89),  # a Windows OS disk bills as S10
    ],
)
def test_reference_disk_prices(sku, size, price):
    assert c.disk_month_price(sku, size) == pytest.approx(price)


def test_disk_price_relations():
    assert c.disk_month_price("Premium_ZRS", 128) == pytest.approx(19.71 * 1.5, abs=0.01)
    assert c.disk_month_price("StandardSSD_ZRS", 32) == pytest.approx(2.40 * 1.5, abs=0.01)
    for size in (4, 32, 128, 1024, 32767):
        p = c.disk_month_price("Premium_LRS", size)
        e = c.disk_month_price("StandardSSD_LRS", size)
        s = c.disk_month_price("Standard_LRS", size)
        assert p > e, size
        if size >= 32:
            assert e > s, size
    # per-GiB SKUs scale linearly
    u1 = c.disk_month_price("UltraSSD_LRS", 100)
    u2 = c.disk_month_price("UltraSSD_LRS", 200)
    assert u2 == pytest.approx(2 * u1, rel=0.01)
    assert c.disk_month_price("PremiumV2_LRS", 100) > 0


def test_storage_and_ip_prices():
    assert c.SNAPSHOT_PRICE_GIB_MONTH["Standard_LRS"] == pytest.approx(0.05)
    assert c.SNAPSHOT_PRICE_GIB_MONTH["Premium_LRS"] == pytest.approx(0.12)
    assert 0.05 < c.SNAPSHOT_PRICE_GIB_MONTH["Standard_ZRS"] < 0.12
    assert set(c.SNAPSHOT_PRICE_GIB_MONTH) == set(c.SNAPSHOT_SKUS)
    assert c.IMAGE_PRICE_GIB_MONTH == pytest.approx(0.05)
    assert c.GALLERY_REPLICA_PRICE_GIB_MONTH == pytest.approx(0.05)
    assert c.PUBLIC_IP_PRICE_HOUR["Standard"] == pytest.approx(0.005)
    assert "Basic" in c.PUBLIC_IP_PRICE_HOUR
    assert c.HOURS_PER_MONTH == 730
    assert c.PRICE_LABEL == "approximate, pay-as-you-go, East US"


# --- durations, limits, names ------------------------------------------------

EXPECTED_DURATIONS = {
    "vm.create.Linux": 60, "vm.create.Windows": 180, "vm.start": 45, "vm.stop": 30,
    "vm.deallocate": 60, "vm.restart": 45, "vm.generalize": 5, "vm.delete": 40,
    "vm.update": 10, "vm.disk.attach": 10, "vm.disk.detach": 10, "vm.run_command": 20,
    "guest.sysprep": 180, "guest.shutdown": 20, "guest.waagent": 3,
    "image.create": 120, "image.delete": 10, "snapshot.create": 5,
    "snapshot.copy_start": 900, "disk.create": 5, "disk.create.copy": 20,
    "disk.delete": 5, "disk.update": 5, "snapshot.delete": 5, "sig.create": 10,
    "sig.delete": 10, "sig.definition.create": 5, "sig.definition.delete": 5,
    "sig.version.replicate_region": 1200, "sig.version.delete": 60,
    "group.delete": 120, "network.delete": 5, "access.grant": 5, "access.revoke": 5,
}


@pytest.mark.parametrize("key", list(EXPECTED_DURATIONS))
def test_duration_keys(key):
    assert key in c.DURATIONS
    assert c.DURATIONS[key] == pytest.approx(EXPECTED_DURATIONS[key])


def test_durations_positive():
    assert all(v > 0 for v in c.DURATIONS.values())


def test_limits():
    expected = {
        "disks_per_type_per_region": 50000, "snapshots_per_sku_per_region": 75000,
        "images_per_region": 50000, "incremental_snapshots_per_disk": 500,
        "incremental_snapshots_per_disk_per_5min": 7, "parallel_copy_start_per_region": 100,
        "galleries_per_region": 100, "image_definitions_per_region": 1000,
        "image_versions_per_region": 10000, "replicas_per_version": 100,
        "vm_count_min": 2, "vm_count_max": 250, "max_os_disk_gb": 4095,
        "max_data_disk_gb": 32767, "max_ultra_disk_gb": 65536,
    }
    for key, value in expected.items():
        assert c.LIMITS[key] == value, key


def test_disallowed_user_names():
    names = c.DISALLOWED_USER_NAMES
    assert isinstance(names, frozenset)
    assert len(names) == 30
    for name in ("administrator", "admin", "root", "1", "a", "support_388945a0", "user5"):
        assert name in names
    assert "azureuser" not in names
    assert all(n == n.lower() for n in names)
