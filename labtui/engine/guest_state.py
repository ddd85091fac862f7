"""The guest operating system's state, kept on the VM's OS disk, and what a console line does to the
platform.

The state is plain data (str/int/bool/list/dict/None fields only, which cattrs can (un)structure): a
snapshot freezes it, a disk copied from a snapshot carries it. The consoles that read and change it
are in :mod:`labtui.engine.guest`, which loads only when a guest line first runs; the engine needs
only this module to hold, save and copy guests.
"""

from __future__ import annotations

import attrs


@attrs.define
class GuestState:
    os_type: str                    # "Windows" | "Linux"
    os_name: str                    # "Ubuntu 22.04.5 LTS" / "Windows Server 2022 Datacenter"
    computer_name: str
    admin_username: str
    # Windows machine SID "S-1-5-21-a-b-c"; None after sysprep /generalize until the next
    # specialize pass (first boot of a VM made from the image) writes a new one.
    sid: str | None = None
    # Linux /etc/machine-id (32 hex). waagent -deprovision does NOT clear it, and neither does
    # `cloud-init clean` unless given --machine-id (which writes "uninitialized": stored as None
    # here; "" when the file was emptied), and systemd makes a new id at the next boot. VMs made from an
    # image keep the id.
    machine_id: str | None = None
    users: list[str] = attrs.Factory(list)            # local accounts (admin_username included)
    ssh_host_keys: dict[str, str] = attrs.Factory(dict)   # key type -> "SHA256:..." (Linux only)
    installed: list[str] = attrs.Factory(list)        # packages / Windows features, kept sorted
    # absolute path -> content. A key ending in the path separator ("/srv/data/",
    # "C:\\data\\") marks a directory created in the guest (content ""); a Windows key ending in
    # "\\" + NUL marks a built-in folder the student deleted (e.g. C:\\Windows\\Panther).
    files: dict[str, str] = attrs.Factory(dict)
    prepared: str = "none"          # "none" | "sysprepped" | "deprovisioned"
    agent_running: bool = True      # waagent / WindowsAzureGuestAgent
    dhcp_leases: bool = True
    resolv_conf: bool = True
    root_password_disabled: bool = False
    boot_count: int = 1
    # Windows: sysprep ran with /oobe, so the next boot stops at the Windows setup screen (OOBE)
    # unless Azure provisioning answers it (a VM created from the generalized image).
    oobe: bool = False

    def sort_installed(self) -> None:
        self.installed[:] = sorted(set(self.installed))


# =================================================================================================
# What a line does: output, status, and requests for the platform
# =================================================================================================


@attrs.frozen
class Shutdown:
    """The guest powers itself off after this many seconds. The platform then shows "VM stopped":
    still allocated and still billed (not deallocated)."""
    after_seconds: float
    scheduled_in: float = 0.0       # a scheduled shutdown: the OS keeps running (and its console works) until then


@attrs.frozen
class Reboot:
    after_seconds: float


@attrs.frozen
class DiskWrite:
    """The guest wrote this much new data to its OS disk (drives copy-on-write snapshot billing)."""
    bytes_written: int


@attrs.frozen
class GuestOutcome:
    output: str                     # what the console prints (no trailing prompt); "" when silent
    exit_status: int
    effects: tuple = ()             # Shutdown / Reboot / DiskWrite for the platform to apply
    prompt: str | None = None       # set when the console waits for an answer / more input
