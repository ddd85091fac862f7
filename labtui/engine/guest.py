"""The guest operating system of a simulated VM, and the console a student types into.

The guest's state lives on the VM's OS disk (a snapshot freezes it, a disk copied from a snapshot
carries it), so :class:`GuestState` is plain data: str/int/bool/list/dict/None fields only, which
cattrs can (un)structure. Everything else here -- the consoles, their parsers, the catalogues of
packages and Windows features -- is code that reads and changes that data.

Two consoles:

* Windows: Windows PowerShell 5.1, as an administrator gets it over RDP (and as
  ``RunPowerShellScript`` runs it). Error records follow PowerShell 5.1's default view.
* Linux: bash as the admin user over SSH, with ``sudo`` (passwordless, as Azure's provisioning
  configures it for the admin user when the VM was created with an SSH key [assumption]).

A console never raises: every line gets a :class:`GuestOutcome`. Things the simulator does not
model get an honest note starting with ``[labtui]`` instead of a made-up imitation of real output.

Modelling decisions that matter for what a student learns (each is written where it is used):

* Azure provisions the Windows admin account by *renaming the built-in Administrator*, so the admin
  has RID 500 (``<machine SID>-500``); accounts created later get RIDs from 1000 up.
* ``sysprep /generalize`` resets the machine identity (SID) but keeps local accounts and files.
  Sysprep is a GUI program: PowerShell returns at once and prints nothing.
* PowerShell does not expand cmd's ``%WINDIR%`` syntax; ``cmd /c %WINDIR%\\...`` does.
* waagent prints its warnings according to the distribution's own waagent.conf: Ubuntu ships
  ``Provisioning.RegenerateSshHostKeyPair=n`` (so no SSH host key line and the keys are kept);
  the generic, Debian, RHEL, SUSE and Azure Linux configurations ship ``=y``. All ship
  ``Provisioning.DeleteRootPassword=y``.
* Neither waagent nor ``cloud-init clean`` (without ``--machine-id``) clears ``/etc/machine-id``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import fnmatch
import hashlib
import ntpath
import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .guest_state import DiskWrite, GuestOutcome, GuestState, Reboot, Shutdown

__all__ = [
    "DEFAULT_DURATIONS",
    "DiskWrite",
    "GuestConsole",
    "GuestOutcome",
    "GuestState",
    "Reboot",
    "Shutdown",
]

NOTE = "[labtui] "

DEFAULT_DURATIONS: dict[str, float] = {
    "guest.sysprep": 180.0,   # sysprep /generalize until the guest has powered itself off
    "guest.shutdown": 20.0,   # an orderly OS shutdown / the start of a reboot
}


# Internal results. A command that asks a question returns an _Ask; its handler gets the answer
# line and returns what follows (which may ask again).


@attrs.define
class _Ask:
    prompt: str
    on_answer: Callable[[str], "_Res"]


@attrs.define
class _Res:
    lines: list[str] = attrs.Factory(list)
    status: int = 0
    effects: list[Any] = attrs.Factory(list)
    ask: _Ask | None = None


def _chain(first: _Res, cont: Callable[[int], _Res]) -> _Res:
    """``first``, then ``cont(status of first)``; waits for an answer first if ``first`` asks."""
    if first.ask is not None:
        ask = first.ask
        return _Res(list(first.lines), first.status, list(first.effects),
                    _Ask(ask.prompt, lambda answer: _chain(ask.on_answer(answer), cont)))
    rest = cont(first.status)
    return _Res(first.lines + rest.lines, rest.status, first.effects + rest.effects, rest.ask)


def _block_write(nbytes: int) -> DiskWrite:
    """A small file write still dirties at least one 4 KiB block of the disk."""
    return DiskWrite(max(4096, -(-nbytes // 4096) * 4096))


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def _fallback_sid(state: GuestState) -> str:
    raw = _digest("sid", state.computer_name, state.os_name)
    parts = [int.from_bytes(raw[i:i + 4], "big") % 3_900_000_000 + 100_000_000 for i in (0, 4, 8)]
    return "S-1-5-21-" + "-".join(str(p) for p in parts)


# =================================================================================================
# The console
# =================================================================================================


class GuestConsole:
    """An interactive console on the guest. ``run`` takes one typed line at a time."""

    def __init__(self, state: GuestState, durations: Mapping[str, float] | None = None, *,
                 as_service: bool = False,
                 clock: Callable[[], _dt.datetime] | None = None) -> None:
        """``as_service`` runs as root / NT AUTHORITY\\SYSTEM without a terminal, as
        ``az vm run-command`` does: questions then read end-of-input. ``clock`` gives the guest's
        current time (UTC) for timestamps; defaults to the host's clock."""
        self.state = state
        self.durations: dict[str, float] = dict(DEFAULT_DURATIONS)
        if durations:
            for key, value in durations.items():
                try:
                    self.durations[key] = float(value)
                except (TypeError, ValueError):
                    pass
        self.as_service = as_service
        self._clock = clock or (lambda: _dt.datetime.now(_dt.timezone.utc))
        self._ask: _Ask | None = None
        self._shell: _Shell = (_PowerShell(self) if state.os_type.lower().startswith("win")
                               else _Bash(self))

    # --- public ---------------------------------------------------------------------------------
    @property
    def prompt(self) -> str:
        """The shell prompt, or the pending question while :attr:`awaiting_answer`."""
        if self._ask is not None:
            return self._ask.prompt
        try:
            return self._shell.prompt()
        except Exception:  # noqa: BLE001 - a prompt must always be shown
            return "$ "

    @property
    def awaiting_answer(self) -> bool:
        return self._ask is not None

    def simulated_commands(self) -> list[str]:
        """The commands this console simulates (anything else says it is not simulated), for a
        front end to list: the guest's own `help` means something else on each OS."""
        return self._shell.simulated_commands()

    def run(self, line: str) -> GuestOutcome:
        try:
            line = "" if line is None else str(line)
            line = line.replace("\r\n", "\n").replace("\r", "\n")
            if self._ask is not None:
                ask, self._ask = self._ask, None
                res = ask.on_answer(line)
            else:
                res = self._shell.execute(line)
            self._ask = res.ask
            return GuestOutcome(output="\n".join(res.lines), exit_status=res.status,
                                effects=tuple(res.effects),
                                prompt=res.ask.prompt if res.ask is not None else None)
        except Exception as exc:  # noqa: BLE001 - a console never raises
            self._ask = None
            return GuestOutcome(output=f"{NOTE}internal simulator error ({type(exc).__name__}) while "
                                       "running this line; please report it.", exit_status=1)

    # --- helpers shared by both shells ----------------------------------------------------------
    def now(self) -> _dt.datetime:
        try:
            value = self._clock()
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.timezone.utc)
            return value.astimezone(_dt.timezone.utc)
        except Exception:  # noqa: BLE001
            return _dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)

    def duration(self, key: str) -> float:
        return self.durations.get(key, DEFAULT_DURATIONS.get(key, 0.0))


class _Shell:
    def __init__(self, console: GuestConsole) -> None:
        self.console = console
        self.state = console.state

    def prompt(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def execute(self, text: str) -> _Res:  # pragma: no cover - overridden
        raise NotImplementedError

    def simulated_commands(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError


class _Incomplete(Exception):
    """The line is not finished (open quote, trailing pipe): the shell asks for more."""


# =================================================================================================
# Linux: bash
# =================================================================================================

# Directories every distribution has. /home/<user> comes from ``users``.
_LINUX_TOP = ("bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "lost+found",
              "media", "mnt", "opt", "proc", "root", "run", "sbin", "snap", "srv", "sys", "tmp",
              "usr", "var")
_LINUX_DIRS = frozenset(["/"] + ["/" + d for d in _LINUX_TOP] + [
    "/etc/ssh", "/etc/apt", "/etc/cloud", "/etc/sudoers.d", "/usr/bin", "/usr/sbin", "/usr/lib",
    "/usr/share", "/usr/local", "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/lib/cloud",
])
_LINUX_ROOT_ONLY_DIRS = ("/root",)
_LINUX_ROOT_ONLY_FILES = ("/etc/shadow", "/etc/gshadow", "/etc/sudoers")
_LINUX_HOST_KEY_FILES = {
    "ssh-ed25519": ("ssh_host_ed25519_key", 256, "ED25519"),
    "ecdsa-sha2-nistp256": ("ssh_host_ecdsa_key", 256, "ECDSA"),
    "ssh-rsa": ("ssh_host_rsa_key", 3072, "RSA"),
}

_UBUNTU_RELEASES = {
    "20.04": ("focal", "Focal Fossa"),
    "22.04": ("jammy", "Jammy Jellyfish"),
    "24.04": ("noble", "Noble Numbat"),
}

# Programs that exist on the VM but whose behaviour this console does not model.
_LINUX_UNSIMULATED = frozenset({
    "vi", "vim", "nano", "less", "more", "top", "htop", "ping", "curl", "wget", "python3", "python",
    "git", "ip", "df", "du", "free", "uname", "ps", "kill", "journalctl", "ssh", "scp", "chmod",
    "chown", "cp", "mv", "ln", "find", "tar", "gzip", "head", "tail", "wc", "sort", "sed", "awk",
    "useradd", "userdel", "adduser", "passwd", "su", "id", "groups", "dnf", "yum", "zypper",
    "rpm", "dpkg", "snap", "history", "date", "uptime", "lsblk", "mount", "umount", "service",
    "hostnamectl", "timedatectl", "env", "printenv", "which", "man", "nginx", "apache2ctl",
    "printf", "rmdir", "stat", "file", "xargs", "watch", "crontab", "docker", "az",
})

# apt: what a few packages pull in on Ubuntu 22.04 (jammy). Versions and sizes are
# approximations of the archive's; they only shape realistic output.
# package -> (version, arch, pocket/component, download bytes, installed bytes)
_DEB = {
    "nginx": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 3_882, 49_000),
    "nginx-common": ("1.18.0-6ubuntu14.4", "all", "updates/main", 40_400, 214_000),
    "nginx-core": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 483_000, 1_325_000),
    "libnginx-mod-http-geoip2": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 12_000, 60_000),
    "libnginx-mod-http-image-filter": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 15_500, 60_000),
    "libnginx-mod-http-xslt-filter": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 13_800, 60_000),
    "libnginx-mod-mail": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 45_800, 150_000),
    "libnginx-mod-stream": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 73_000, 200_000),
    "libnginx-mod-stream-geoip2": ("1.18.0-6ubuntu14.4", "amd64", "updates/main", 10_100, 55_000),
    "fontconfig-config": ("2.13.1-4.2ubuntu5", "all", "main", 29_100, 141_000),
    "fonts-dejavu-core": ("2.37-2build1", "all", "main", 1_041_000, 2_986_000),
    "libdeflate0": ("1.10-2", "amd64", "main", 70_900, 194_000),
    "libfontconfig1": ("2.13.1-4.2ubuntu5", "amd64", "main", 131_000, 478_000),
    "libgd3": ("2.3.0-2ubuntu2", "amd64", "main", 129_000, 452_000),
    "libjbig0": ("2.1-3.1ubuntu0.22.04.1", "amd64", "updates/main", 29_200, 90_000),
    "libjpeg-turbo8": ("2.1.2-0ubuntu1", "amd64", "main", 134_000, 531_000),
    "libjpeg8": ("8c-2ubuntu10", "amd64", "main", 2_264, 17_000),
    "libtiff5": ("4.3.0-6ubuntu0.8", "amd64", "updates/main", 185_000, 566_000),
    "libwebp7": ("1.2.2-2ubuntu0.22.04.2", "amd64", "updates/main", 206_000, 538_000),
    "libxpm4": ("1:3.5.12-1ubuntu0.22.04.2", "amd64", "updates/main", 36_700, 112_000),
    "apache2": ("2.4.52-1ubuntu4.12", "amd64", "updates/main", 97_800, 546_000),
    "apache2-bin": ("2.4.52-1ubuntu4.12", "amd64", "updates/main", 1_348_000, 5_385_000),
    "apache2-data": ("2.4.52-1ubuntu4.12", "all", "updates/main", 165_000, 877_000),
    "apache2-utils": ("2.4.52-1ubuntu4.12", "amd64", "updates/main", 89_100, 340_000),
    "libapr1": ("1.7.0-8ubuntu0.22.04.2", "amd64", "updates/main", 108_000, 299_000),
    "libaprutil1": ("1.6.1-5ubuntu4.22.04.2", "amd64", "updates/main", 92_800, 290_000),
    "libaprutil1-dbd-sqlite3": ("1.6.1-5ubuntu4.22.04.2", "amd64", "updates/main", 11_300, 48_000),
    "libaprutil1-ldap": ("1.6.1-5ubuntu4.22.04.2", "amd64", "updates/main", 9_166, 46_000),
    "liblua5.3-0": ("5.3.6-1build1", "amd64", "main", 140_000, 458_000),
    "mailcap": ("3.70+nmu1ubuntu1", "all", "main", 23_800, 100_000),
    "mime-support": ("3.66", "all", "main", 3_696, 10_000),
    "ssl-cert": ("1.1.2", "all", "main", 17_400, 68_000),
    "tree": ("2.0.2-1", "amd64", "universe", 47_900, 116_000),
    "jq": ("1.6-2.1ubuntu3", "amd64", "universe", 52_500, 102_000),
    "libjq1": ("1.6-2.1ubuntu3", "amd64", "universe", 133_000, 359_000),
    "libonig5": ("6.9.7.1-2build1", "amd64", "universe", 172_000, 654_000),
    "net-tools": ("1.60+git20181103.0eebece-1ubuntu5", "amd64", "main", 204_000, 819_000),
}
# top-level package -> (additional packages it pulls in, suggested packages)
_APT_TOP = {
    "nginx": (("fontconfig-config", "fonts-dejavu-core", "libdeflate0", "libfontconfig1", "libgd3",
               "libjbig0", "libjpeg-turbo8", "libjpeg8", "libnginx-mod-http-geoip2",
               "libnginx-mod-http-image-filter", "libnginx-mod-http-xslt-filter", "libnginx-mod-mail",
               "libnginx-mod-stream", "libnginx-mod-stream-geoip2", "libtiff5", "libwebp7", "libxpm4",
               "nginx-common", "nginx-core"),
              ("libgd-tools", "fcgiwrap", "nginx-doc", "ssl-cert")),
    "apache2": (("apache2-bin", "apache2-data", "apache2-utils", "libapr1", "libaprutil1",
                 "libaprutil1-dbd-sqlite3", "libaprutil1-ldap", "liblua5.3-0", "mailcap", "mime-support",
                 "ssl-cert"),
                ("apache2-doc", "apache2-suexec-pristine", "apache2-suexec-custom", "www-browser")),
    "tree": ((), ()),
    "jq": (("libjq1", "libonig5"), ()),
    "net-tools": ((), ()),
}
# Packages an Azure Ubuntu image already has (besides what GuestState.installed lists).
_APT_PREINSTALLED = frozenset({"curl", "git", "htop", "vim", "wget", "python3", "openssh-server",
                               "walinuxagent", "cloud-init", "sudo", "bash", "coreutils", "apt"})
# Commands the Ubuntu command-not-found helper maps to one package.
_CNF = {"tree": "tree", "jq": "jq", "netstat": "net-tools", "ifconfig": "net-tools", "route": "net-tools"}

_NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
_APACHE_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Apache2 Ubuntu Default Page: It works</title>
</head>
<body>
<h1>It works!</h1>
<p>This is the default welcome page used to test the correct operation of the Apache2 server
after installation on Ubuntu systems.</p>
</body>
</html>
"""
_PKG_FILES = {
    "nginx": {"/var/www/html/index.nginx-debian.html": _NGINX_INDEX},
    "apache2": {"/var/www/html/index.html": _APACHE_INDEX},
}
_PKG_SERVICES = {"nginx": "nginx", "apache2": "apache2"}


def _size_to_str(nbytes: float) -> str:
    """apt's SizeToStr (C.UTF-8 locale: no thousands separators), without the trailing unit 'B'."""
    size = float(abs(nbytes))
    units = ["", "k", "M", "G", "T"]
    for i, unit in enumerate(units):
        if size < 100 and i != 0:
            return f"{size:.1f} {unit}"
        if size < 10000:
            return f"{size:.0f} {unit}"
        size /= 1000.0
    return f"{size:.0f} P"


def _wrap_names(names: list[str], width: int = 80) -> list[str]:
    """apt's indented, wrapped package lists."""
    lines: list[str] = []
    current = " "
    for name in names:
        if len(current) + 1 + len(name) > width and current.strip():
            lines.append(current)
            current = " "
        current += " " + name
    if current.strip():
        lines.append(current)
    return lines


def _ls_columns(names: list[str], width: int = 80) -> list[str]:
    """GNU ls -C: fill columns top to bottom, as many columns as fit in ``width``."""
    if not names:
        return []
    count = len(names)
    for cols in range(min(count, width // 3 or 1), 0, -1):
        rows = -(-count // cols)
        cols_used = -(-count // rows)
        widths = []
        for c in range(cols_used):
            column = names[c * rows:(c + 1) * rows]
            widths.append(max(len(n) for n in column) + 2)
        if sum(widths) - 2 <= width or cols == 1:
            out = []
            for r in range(rows):
                cells = []
                for c in range(cols_used):
                    idx = c * rows + r
                    if idx < count:
                        last = c == cols_used - 1 or (c + 1) * rows + r >= count
                        cells.append(names[idx] if last else names[idx].ljust(widths[c]))
                out.append("".join(cells))
            return out
    return list(names)


@attrs.define
class _BWord:
    text: str
    glob: bool = False


@attrs.define
class _BCmd:
    argv: list[_BWord] = attrs.Factory(list)
    redirs: list[tuple[str, str]] = attrs.Factory(list)
    assigns: list[tuple[str, str]] = attrs.Factory(list)


@attrs.define
class _Out:
    stdout: str = ""
    err: list[str] = attrs.Factory(list)
    status: int = 0
    effects: list[Any] = attrs.Factory(list)
    ask: _Ask | None = None
    stdout_first: bool = False      # the program printed its output before its errors


class _BashSyntax(Exception):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


class _Bash(_Shell):
    def __init__(self, console: GuestConsole) -> None:
        super().__init__(console)
        st = self.state
        self.service = console.as_service
        # bash caches the user and host names for its prompt when it starts (\u, \h): they do
        # not change when waagent resets the hostname or deletes the user during the session.
        self.user = st.admin_username or "azureuser"
        self.session_host = (st.computer_name or "localhost").split(".")[0]
        self.root_shell = False           # after `sudo -i` / `sudo su`
        self.home = f"/home/{self.user}"
        self.cwd = "/root" if self.service else self.home
        self.last_status = 0
        self.vars: dict[str, str] = {}
        self.script_line = 0
        name = st.os_name.lower()
        self.debian_family = any(d in name for d in ("ubuntu", "debian"))
        self.ubuntu = "ubuntu" in name
        self.rhel_prompt = not self.debian_family
        match = re.search(r"(\d\d\.\d\d)", st.os_name)
        self.codename, self.codename_long = _UBUNTU_RELEASES.get(match.group(1) if match else "22.04",
                                                                 _UBUNTU_RELEASES["22.04"])

    # --- identity -------------------------------------------------------------------------------
    @property
    def is_root(self) -> bool:
        return self.service or self.root_shell

    def user_exists(self) -> bool:
        return self.user in self.state.users

    def prompt(self) -> str:
        if self.is_root:
            user, sign, home = "root", "#", "/root"
        else:
            user, sign, home = self.user, "$", self.home
        cwd = self.cwd
        if cwd == home or cwd.startswith(home + "/"):
            shown = "~" + cwd[len(home):]
        else:
            shown = cwd
        if self.rhel_prompt:
            base = "~" if shown == "~" else (posixpath.basename(cwd) or "/")
            return f"[{user}@{self.session_host} {base}]{sign} "
        return f"{user}@{self.session_host}:{shown}{sign} "

    def err_prefix(self) -> str:
        if self.service:
            return f"/var/lib/waagent/run-command/download/0/script.sh: line {max(self.script_line, 1)}: "
        return "-bash: "

    # --- filesystem -----------------------------------------------------------------------------
    def _virtual_files(self) -> dict[str, str]:
        st = self.state
        files: dict[str, str] = {
            "/etc/hostname": f"{st.computer_name}\n",
            "/etc/os-release": self._os_release(),
        }
        if st.machine_id is None:
            files["/etc/machine-id"] = "uninitialized\n"
        else:                                  # "" after the file was emptied
            files["/etc/machine-id"] = f"{st.machine_id}\n" if st.machine_id else ""
        if st.resolv_conf:
            domain = _digest("dns", st.computer_name).hex()[:12]
            files["/etc/resolv.conf"] = (
                "# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\n"
                "# Do not edit.\n"
                "nameserver 127.0.0.53\n"
                "options edns0 trust-ad\n"
                f"search {domain}.bx.internal.cloudapp.net\n")
        files["/etc/shadow"] = "root:*:19000:0:99999:7:::\n"
        for user in st.users:
            # what useradd copies from /etc/skel, and the key Azure provisioned
            home = f"/home/{user}"
            files[f"{home}/.bash_logout"] = "# ~/.bash_logout: executed by bash(1) when login shell exits.\n"
            files[f"{home}/.bashrc"] = "# ~/.bashrc: executed by bash(1) for non-login shells.\n"
            files[f"{home}/.profile"] = "# ~/.profile: executed by the command interpreter for login shells.\n"
            if user == st.admin_username:
                blob = base64.b64encode(b"\x00\x00\x00\x07ssh-rsa" + _digest("authorized", user) * 8).decode()
                files[f"{home}/.ssh/authorized_keys"] = f"ssh-rsa {blob}\n"
        host = st.computer_name
        for kind, fingerprint in st.ssh_host_keys.items():
            base, _bits, _label = _LINUX_HOST_KEY_FILES.get(kind, (f"ssh_host_{kind}_key", 256, kind))
            blob = base64.b64encode(_digest("pub", kind, fingerprint) * 2).decode()
            files[f"/etc/ssh/{base}.pub"] = f"{kind} {blob} root@{host}\n"
            files[f"/etc/ssh/{base}"] = ("-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                         + base64.b64encode(_digest("key", fingerprint) * 3).decode()
                                         + "\n-----END OPENSSH PRIVATE KEY-----\n")
        return files

    def _os_release(self) -> str:
        name = self.state.os_name
        if self.ubuntu:
            version_id = re.search(r"(\d\d\.\d\d)", name)
            vid = version_id.group(1) if version_id else "22.04"
            pretty = name
            full = re.search(r"(\d\d\.\d\d(?:\.\d+)?\s*LTS)", name)
            version = f"{full.group(1) if full else vid + ' LTS'} ({self.codename_long})"
            return (f'PRETTY_NAME="{pretty}"\nNAME="Ubuntu"\nVERSION_ID="{vid}"\nVERSION="{version}"\n'
                    f"VERSION_CODENAME={self.codename}\nID=ubuntu\nID_LIKE=debian\n"
                    'HOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\n'
                    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
                    f"UBUNTU_CODENAME={self.codename}\n")
        return f'PRETTY_NAME="{name}"\nNAME="{name.split()[0] if name else "Linux"}"\n'

    def all_files(self) -> dict[str, str]:
        files = self._virtual_files()
        for path, content in self.state.files.items():
            if not path.endswith("/"):
                files[path] = content
        return files

    def all_dirs(self) -> set[str]:
        dirs = set(_LINUX_DIRS)
        for user in self.state.users:
            dirs.add(f"/home/{user}")
        for path in self.state.files:
            if path.endswith("/") and len(path) > 1:
                dirs.add(path.rstrip("/"))
        for path in list(dirs) + list(self.all_files()):
            parent = posixpath.dirname(path)
            while parent and parent not in dirs:
                dirs.add(parent)
                parent = posixpath.dirname(parent)
        return dirs

    def resolve(self, path: str) -> str:
        if not path:
            return self.cwd
        full = path if path.startswith("/") else posixpath.join(self.cwd, path)
        full = posixpath.normpath(full)
        if full.startswith("//"):
            full = "/" + full.lstrip("/")
        return full

    def can_read(self, path: str, root: bool) -> bool:
        if root:
            return True
        if path in _LINUX_ROOT_ONLY_FILES:
            return False
        if path.startswith("/etc/ssh/ssh_host_") and not path.endswith(".pub"):
            return False
        return not any(path == d or path.startswith(d + "/") for d in _LINUX_ROOT_ONLY_DIRS)

    def can_write(self, path: str, root: bool) -> bool:
        """May the user create, change or delete ``path`` (an entry in its parent directory)?"""
        if root:
            return True
        if path == "/dev/null":
            return True
        allowed = ["/tmp", "/var/tmp"]
        if self.user_exists():
            allowed.append(self.home)
        return any(path.startswith(d + "/") for d in allowed)

    def write_file(self, path: str, content: str, append: bool) -> int:
        if path == "/dev/null":
            return 0
        if path == "/etc/machine-id":
            # The id is state, not a file: an empty or "uninitialized" file means systemd makes a new
            # id at the next boot.
            written = ((self.all_files()[path] if append else "") + content).strip()
            self.state.machine_id = None if written == "uninitialized" else written
            return len(content.encode())
        old = self.state.files.get(path, "") if append else ""
        if append and path not in self.state.files:
            old = self.all_files().get(path, "")
        self.state.files[path] = old + content
        return len(content.encode())

    def remove_tree(self, path: str) -> None:
        prefix = path.rstrip("/") + "/"
        for key in list(self.state.files):
            if key == path or key.startswith(prefix) or key == prefix:
                del self.state.files[key]

    # --- parsing --------------------------------------------------------------------------------
    def _var(self, name: str) -> str:
        if name == "?":
            return str(self.last_status)
        user = "root" if self.is_root else self.user
        builtin = {"HOME": "/root" if self.is_root else self.home, "USER": user, "LOGNAME": user,
                   "HOSTNAME": self.state.computer_name, "PWD": self.cwd, "SHELL": "/bin/bash",
                   "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"}
        if name in self.vars:
            return self.vars[name]
        return builtin.get(name, "")

    def _expand_dollar(self, text: str, i: int) -> tuple[str, int]:
        # text[i] == "$"
        if i + 1 < len(text) and text[i + 1] == "?":
            return self._var("?"), i + 2
        if i + 1 < len(text) and text[i + 1] == "{":
            end = text.find("}", i + 2)
            if end > 0:
                return self._var(text[i + 2:end]), end + 1
            return "$", i + 1
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[i + 1:])
        if m:
            return self._var(m.group(0)), i + 1 + m.end(0)
        return "$", i + 1

    def lex(self, text: str) -> list[tuple[str, Any]]:
        toks: list[tuple[str, Any]] = []
        i, n = 0, len(text)
        home = "/root" if self.is_root else self.home
        while i < n:
            c = text[i]
            if c in " \t":
                i += 1
                continue
            if c == "\n":
                # a newline ends a command, except after |, && or || (or at the start)
                if toks and toks[-1][0] == "w":
                    toks.append(("op", ";"))
                i += 1
                continue
            if c == "#":
                while i < n and text[i] != "\n":
                    i += 1
                continue
            for op in ("2>&1", "&&", "||", ">>", "2>>", "2>", ">", "<", "|", ";", "&"):
                if text.startswith(op, i):
                    toks.append(("op", op))
                    i += len(op)
                    break
            else:
                buf: list[str] = []
                glob = False
                start = i
                while i < n and text[i] not in " \t\n|;&<>":
                    c = text[i]
                    if c == "\\":
                        if i + 1 >= n:
                            raise _Incomplete
                        if text[i + 1] != "\n":
                            buf.append(text[i + 1])
                        i += 2
                    elif c == "'":
                        end = text.find("'", i + 1)
                        if end < 0:
                            raise _Incomplete
                        buf.append(text[i + 1:end])
                        i = end + 1
                    elif c == '"':
                        i += 1
                        while True:
                            if i >= n:
                                raise _Incomplete
                            c2 = text[i]
                            if c2 == '"':
                                i += 1
                                break
                            if c2 == "\\" and i + 1 < n and text[i + 1] in '"\\$`':
                                buf.append(text[i + 1])
                                i += 2
                            elif c2 == "$":
                                value, i = self._expand_dollar(text, i)
                                buf.append(value)
                            else:
                                buf.append(c2)
                                i += 1
                    elif c == "$":
                        value, i = self._expand_dollar(text, i)
                        buf.append(value)
                    elif c == "~" and i == start and (i + 1 >= n or text[i + 1] in "/ \t\n;|&<>"):
                        buf.append(home)
                        i += 1
                    else:
                        if c in "*?":
                            glob = True
                        buf.append(c)
                        i += 1
                toks.append(("w", _BWord("".join(buf), glob)))
        if toks and toks[-1] in (("op", "|"), ("op", "&&"), ("op", "||")):
            raise _Incomplete
        return toks

    def parse(self, toks: list[tuple[str, Any]]) -> list[tuple[str | None, list[_BCmd]]]:
        items: list[tuple[str | None, list[_BCmd]]] = []
        pipeline: list[_BCmd] = []
        cmd = _BCmd()
        pending: str | None = None
        connector: str | None = None

        def empty(c: _BCmd) -> bool:
            return not c.argv and not c.redirs and not c.assigns

        for kind, value in toks:
            if kind == "w":
                if pending:
                    cmd.redirs.append((pending, value.text))
                    pending = None
                elif not cmd.argv and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", value.text):
                    name, _, val = value.text.partition("=")
                    cmd.assigns.append((name, val))
                else:
                    cmd.argv.append(value)
                continue
            op = value
            if pending:
                raise _BashSyntax(op)
            if op in (">", ">>", "<", "2>", "2>>"):
                pending = op
            elif op == "2>&1":
                cmd.redirs.append((op, ""))
            elif op == "|":
                if empty(cmd):
                    raise _BashSyntax(op)
                pipeline.append(cmd)
                cmd = _BCmd()
            elif op in (";", "&&", "||", "&"):
                if empty(cmd):
                    raise _BashSyntax(op)
                pipeline.append(cmd)
                items.append((connector, pipeline))
                if op == "&":
                    raise _BashSyntax("&background")
                pipeline, cmd, connector = [], _BCmd(), op
        if pending:
            raise _BashSyntax("newline")
        if not empty(cmd):
            pipeline.append(cmd)
        if pipeline:
            items.append((connector, pipeline))
        return items

    # --- execution ------------------------------------------------------------------------------
    def execute(self, text: str) -> _Res:
        if self.service:
            self.script_line += 1
        if not text.strip():
            return _Res()
        try:
            toks = self.lex(text)
        except _Incomplete:
            return _Res(ask=_Ask("> ", lambda more: self.execute_continued(text + "\n" + more)))
        try:
            items = self.parse(toks)
        except _BashSyntax as err:
            if err.token == "&background":
                self.last_status = 1
                return _Res([f"{NOTE}running commands in the background with '&' is not simulated."], 1)
            self.last_status = 2
            return _Res([f"{self.err_prefix()}syntax error near unexpected token `{err.token}'"], 2)
        if not items:
            return _Res()
        return self._run_items(items, 0, self.last_status)

    def execute_continued(self, text: str) -> _Res:
        if self.service:
            self.script_line -= 1
        return self.execute(text)

    def _run_items(self, items: list[tuple[str | None, list[_BCmd]]], idx: int, status: int) -> _Res:
        if idx >= len(items):
            return _Res(status=status)
        connector, pipeline = items[idx]
        if idx > 0 and ((connector == "&&" and status != 0) or (connector == "||" and status == 0)):
            return self._run_items(items, idx + 1, status)
        res = self._run_pipeline(pipeline)
        return _chain(res, lambda st: self._run_items(items, idx + 1, st))

    def _expand_glob(self, word: _BWord) -> list[str]:
        if not word.glob:
            return [word.text]
        pattern = word.text
        absolute = pattern.startswith("/")
        full = self.resolve(pattern)
        parent, base = posixpath.split(full)
        if any(ch in parent for ch in "*?"):
            return [pattern]
        names = sorted(self.children(parent) or {})
        matches = [n for n in names if fnmatch.fnmatchcase(n, base) and (base.startswith(".")
                                                                         or not n.startswith("."))]
        if not matches:
            return [pattern]
        if absolute:
            return [posixpath.join(parent, m) for m in matches]
        rel_parent = posixpath.dirname(pattern)
        return [posixpath.join(rel_parent, m) if rel_parent else m for m in matches]

    def children(self, directory: str) -> dict[str, bool] | None:
        """Entries of ``directory`` (name -> is_dir), or None when it is not a directory."""
        dirs = self.all_dirs()
        if directory not in dirs:
            return None
        out: dict[str, bool] = {}
        if directory == "/":
            for name in _LINUX_TOP:
                out[name] = True
        for d in dirs:
            if d != directory and posixpath.dirname(d) == directory:
                out[posixpath.basename(d)] = True
        for f in self.all_files():
            if posixpath.dirname(f) == directory:
                out.setdefault(posixpath.basename(f), False)
        return out

    def _run_pipeline(self, pipeline: list[_BCmd]) -> _Res:
        res = _Res()
        stdin: str | None = None
        status = 0
        for position, cmd in enumerate(pipeline):
            out = self._run_command(cmd, stdin)
            last = position == len(pipeline) - 1
            if last and out.stdout_first and out.stdout and out.ask is None:
                res.lines.extend(out.stdout.rstrip("\n").split("\n"))
                out.stdout = ""
            res.lines.extend(out.err)
            res.effects.extend(out.effects)
            status = out.status
            if out.ask is not None:
                if out.stdout:
                    res.lines.extend(out.stdout.rstrip("\n").split("\n"))
                res.ask = out.ask
                res.status = status
                self.last_status = status
                return res
            stdin = out.stdout
            if position == len(pipeline) - 1 and out.stdout:
                text = out.stdout[:-1] if out.stdout.endswith("\n") else out.stdout
                res.lines.extend(text.split("\n"))
        res.status = status
        self.last_status = status
        return res

    def _run_command(self, cmd: _BCmd, stdin: str | None) -> _Out:
        for name, value in cmd.assigns:
            if not cmd.argv:
                self.vars[name] = value
        if not cmd.argv and not cmd.redirs:
            return _Out()
        argv: list[str] = []
        for word in cmd.argv:
            argv.extend(self._expand_glob(word))
        # Redirections are opened by the shell, as the logged-in user (sudo does not help them).
        out_target: tuple[str, bool] | None = None
        discard_err = False
        for op, target in cmd.redirs:
            if op == "2>&1":
                continue
            path = self.resolve(target)
            if op == "<":
                files = self.all_files()
                if path not in files:
                    kind = "Is a directory" if path in self.all_dirs() else "No such file or directory"
                    return _Out(err=[f"{self.err_prefix()}{target}: {kind}"], status=1)
                if not self.can_read(path, self.is_root):
                    return _Out(err=[f"{self.err_prefix()}{target}: Permission denied"], status=1)
                stdin = files[path]
                continue
            problem = self._redirect_problem(path)
            if problem:
                return _Out(err=[f"{self.err_prefix()}{target}: {problem}"], status=1)
            if op in ("2>", "2>>"):
                discard_err = True
                if path != "/dev/null":
                    self.write_file(path, "", append=op == "2>>")
            else:
                out_target = (path, op == ">>")
                if op == ">" and path != "/dev/null":
                    self.write_file(path, "", append=False)
        if not argv:
            return _Out()
        out = self._dispatch(argv, stdin, root=self.is_root)
        if discard_err:
            out.err = []
        if out_target is not None and out.ask is None:
            path, _append = out_target
            nbytes = self.write_file(path, out.stdout, append=True)
            if path != "/dev/null":
                out.effects.append(_block_write(nbytes))
            out.stdout = ""
        return out

    def _redirect_problem(self, path: str) -> str | None:
        if path == "/dev/null":
            return None
        if path in self.all_dirs():
            return "Is a directory"
        if posixpath.dirname(path) not in self.all_dirs():
            return "No such file or directory"
        if not self.can_write(path, self.is_root):
            return "Permission denied"
        return None

    # --- commands -------------------------------------------------------------------------------
    def simulated_commands(self) -> list[str]:
        return sorted(name[4:].replace("_", "-") for name in dir(self) if name.startswith("cmd_"))

    def _dispatch(self, argv: list[str], stdin: str | None, root: bool, via_sudo: bool = False) -> _Out:
        name = argv[0]
        args = argv[1:]
        handler = getattr(self, "cmd_" + name.replace("-", "_"), None) if re.fullmatch(
            r"[a-z][a-z0-9-]*", name) else None
        if name in ("apt", "apt-get"):
            if not self.debian_family:
                return self._not_found(name, via_sudo)
            return self.cmd_apt(name, args, root)
        if handler is not None and name not in ("sudo",):
            return handler(args, stdin, root)
        if name == "sudo":
            return self.cmd_sudo(args, stdin)
        if name in _LINUX_UNSIMULATED:
            return _Out(err=[f"{NOTE}'{name}' is not simulated in this lab console."], status=1)
        if name in _CNF and _CNF[name] in self.state.installed:
            return _Out(err=[f"{NOTE}'{name}' is not simulated in this lab console."], status=1)
        return self._not_found(name, via_sudo)

    def _not_found(self, name: str, via_sudo: bool) -> _Out:
        if via_sudo:
            return _Out(err=[f"sudo: {name}: command not found"], status=1)
        if "/" in name:
            return _Out(err=[f"{self.err_prefix()}{name}: No such file or directory"], status=127)
        if self.ubuntu and not self.service:
            # Ubuntu's command-not-found handler (interactive shells) prints without "bash:".
            package = _CNF.get(name)
            if package:
                return _Out(err=[f"Command '{name}' not found, but can be installed with:",
                                 f"sudo apt install {package}"], status=127)
            return _Out(err=[f"{name}: command not found"], status=127)
        return _Out(err=[f"{self.err_prefix()}{name}: command not found"], status=127)

    def cmd_sudo(self, args: list[str], stdin: str | None) -> _Out:
        if not self.is_root and not self.user_exists():
            return _Out(err=["sudo: you do not exist in the passwd database"], status=1)
        while args and args[0] in ("-E", "-H", "-n", "--preserve-env"):
            args = args[1:]
        if args[:2] == ["-u", "root"]:
            args = args[2:]
        if not args:
            return _Out(err=[
                "usage: sudo -h | -K | -k | -V",
                "usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]",
                "usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command]",
                "usage: sudo [-ABbEHkNnPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] "
                "[-R directory] [-T timeout] [-u user] [VAR=value] [-i|-s] [<command>]",
                "usage: sudo -e [-ABkNnS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] "
                "[-R directory] [-T timeout] [-u user] file ..."], status=1)
        if args in (["-i"], ["-s"], ["su"], ["su", "-"], ["su", "-l"], ["bash"], ["-i", "bash"]):
            self.root_shell = True
            if args[0] in ("-i",) or args[-1] in ("-", "-l"):
                self.cwd = "/root"
            return _Out()
        if args[0].startswith("-"):
            return _Out(err=[f"{NOTE}sudo option '{args[0]}' is not simulated."], status=1)
        return self._dispatch(args, stdin, root=True, via_sudo=True)

    def cmd_exit(self, args, stdin, root) -> _Out:
        if self.root_shell:
            self.root_shell = False
            if self.cwd == "/root":
                self.cwd = self.home
            return _Out(stdout="logout\n")
        return _Out(err=[f"{NOTE}closing the SSH session is done from the lab, not with 'exit'."], status=1)

    cmd_logout = cmd_exit

    def cmd_true(self, args, stdin, root) -> _Out:
        return _Out()

    def cmd_false(self, args, stdin, root) -> _Out:
        return _Out(status=1)

    def cmd_clear(self, args, stdin, root) -> _Out:
        return _Out()

    def cmd_hostname(self, args, stdin, root) -> _Out:
        if args and args[0] not in ("-s", "--short", "-f", "--fqdn"):
            if args[0].startswith("-"):
                return _Out(err=[f"{NOTE}'hostname {args[0]}' is not simulated."], status=1)
            if not root:
                return _Out(err=["hostname: you must be root to change the host name"], status=1)
            return _Out(err=[f"{NOTE}changing the host name is not simulated."], status=1)
        name = self.state.computer_name
        if args and args[0] in ("-s", "--short"):
            name = name.split(".")[0]
        return _Out(stdout=name + "\n")

    def cmd_whoami(self, args, stdin, root) -> _Out:
        if root:
            return _Out(stdout="root\n")
        if not self.user_exists():
            # waagent -deprovision+user deleted the account under this still-open shell: the
            # uid no longer has a name in /etc/passwd.
            return _Out(err=["whoami: cannot find name for user ID 1000"], status=1)
        return _Out(stdout=self.user + "\n")

    def cmd_pwd(self, args, stdin, root) -> _Out:
        return _Out(stdout=self.cwd + "\n")

    def cmd_cd(self, args, stdin, root) -> _Out:
        target = args[0] if args else ("/root" if self.is_root else self.home)
        if len(args) > 1:
            return _Out(err=[f"{self.err_prefix()}cd: too many arguments"], status=1)
        path = self.resolve(target)
        if path in self.all_files() and path not in self.all_dirs():
            return _Out(err=[f"{self.err_prefix()}cd: {target}: Not a directory"], status=1)
        if path not in self.all_dirs():
            return _Out(err=[f"{self.err_prefix()}cd: {target}: No such file or directory"], status=1)
        if not self.can_read(path, self.is_root):
            return _Out(err=[f"{self.err_prefix()}cd: {target}: Permission denied"], status=1)
        self.cwd = path
        return _Out()

    def cmd_echo(self, args, stdin, root) -> _Out:
        newline = True
        interpret = False
        while args and re.fullmatch(r"-[neE]+", args[0]):
            newline = newline and "n" not in args[0]
            interpret = "e" in args[0]
            args = args[1:]
        text = " ".join(args)
        if interpret:
            text = text.replace("\\n", "\n").replace("\\t", "\t")
        return _Out(stdout=text + ("\n" if newline else ""))

    def cmd_cat(self, args, stdin, root) -> _Out:
        paths = [a for a in args if a != "-"] if args else []
        if not paths:
            return _Out(stdout=stdin or "")
        out = _Out()
        files = self.all_files()
        dirs = self.all_dirs()
        chunks = []
        for arg in paths:
            if arg.startswith("-") and len(arg) > 1:
                return _Out(err=[f"{NOTE}cat option '{arg}' is not simulated."], status=1)
            path = self.resolve(arg)
            if path in dirs:
                out.err.append(f"cat: {arg}: Is a directory")
                out.status = 1
            elif path not in files:
                out.err.append(f"cat: {arg}: No such file or directory")
                out.status = 1
            elif not self.can_read(path, root):
                out.err.append(f"cat: {arg}: Permission denied")
                out.status = 1
            else:
                chunks.append(files[path])
        out.stdout = "".join(chunks)
        return out

    def cmd_ls(self, args, stdin, root) -> _Out:
        show_all = False
        one = False
        paths = []
        for arg in args:
            if arg.startswith("-") and len(arg) > 1:
                for flag in arg[1:]:
                    if flag in "aA":
                        show_all = True
                    elif flag == "1":
                        one = True
                    else:
                        return _Out(err=[f"{NOTE}'ls {arg}' is not simulated; plain 'ls', 'ls -a' and "
                                         "'ls -1' are."], status=1)
            else:
                paths.append(arg)
        if not paths:
            paths = ["."]
        out = _Out()
        files = self.all_files()
        blocks: list[tuple[str, list[str]]] = []
        plain: list[str] = []
        for arg in paths:
            path = self.resolve(arg)
            entries = self.children(path)
            if entries is None and path == self.cwd:
                continue   # the shell's directory was deleted under it: ls lists nothing
            if entries is None:
                if path in files:
                    plain.append(arg)
                else:
                    out.err.append(f"ls: cannot access '{arg}': No such file or directory")
                    out.status = 2
                continue
            if not self.can_read(path, root):
                out.err.append(f"ls: cannot open directory '{arg}': Permission denied")
                out.status = 2
                continue
            names = sorted(n for n in entries if show_all or not n.startswith("."))
            if show_all and args and any("a" in a for a in args if a.startswith("-")):
                names = [".", ".."] + names
            blocks.append((arg, names))
        lines: list[str] = []
        fmt = (lambda names: names) if one else _ls_columns
        if plain:
            lines.extend(fmt(sorted(plain)))
        many = len(paths) > 1
        for i, (arg, names) in enumerate(blocks):
            if many:
                if lines or i:
                    lines.append("")
                lines.append(f"{arg}:")
            lines.extend(fmt(names))
        out.stdout = "\n".join(lines) + ("\n" if lines else "")
        return out

    def cmd_touch(self, args, stdin, root) -> _Out:
        out = _Out()
        files = self.all_files()
        dirs = self.all_dirs()
        for arg in args:
            if arg.startswith("-"):
                continue
            path = self.resolve(arg)
            if path in files or path in dirs:
                continue
            if posixpath.dirname(path) not in dirs:
                out.err.append(f"touch: cannot touch '{arg}': No such file or directory")
                out.status = 1
            elif not self.can_write(path, root):
                out.err.append(f"touch: cannot touch '{arg}': Permission denied")
                out.status = 1
            else:
                self.state.files[path] = ""
                out.effects.append(_block_write(0))
        return out

    def cmd_truncate(self, args, stdin, root) -> _Out:
        out = _Out()
        size, paths, create = None, [], True
        index = 0
        while index < len(args):
            arg = args[index]
            if arg in ("-s", "--size") and index + 1 < len(args):
                size = args[index + 1]
                index += 1
            elif arg.startswith("--size="):
                size = arg.split("=", 1)[1]
            elif arg.startswith("-s") and len(arg) > 2:
                size = arg[2:]
            elif arg in ("-c", "--no-create"):
                create = False
            else:
                paths.append(arg)
            index += 1
        if size is None or not paths:
            return _Out(err=["truncate: you must specify either '--size' or '--reference'",
                             "Try 'truncate --help' for more information."], status=1)
        if size != "0":
            return _Out(err=[f"{NOTE}'truncate -s {size}' is not simulated; 'truncate -s 0 FILE' is."], status=1)
        files, dirs = self.all_files(), self.all_dirs()
        for arg in paths:
            path = self.resolve(arg)
            if path in dirs:
                out.err.append(f"truncate: cannot open '{arg}' for writing: Is a directory")
                out.status = 1
            elif path not in files and (not create or posixpath.dirname(path) not in dirs):
                if create:
                    out.err.append(f"truncate: cannot open '{arg}' for writing: No such file or directory")
                    out.status = 1
            elif not self.can_write(path, root):
                out.err.append(f"truncate: cannot open '{arg}' for writing: Permission denied")
                out.status = 1
            else:
                self.write_file(path, "", append=False)
        return out

    def cmd_mkdir(self, args, stdin, root) -> _Out:
        parents = any(a in ("-p", "--parents") for a in args)
        out = _Out()
        for arg in (a for a in args if not a.startswith("-")):
            path = self.resolve(arg)
            dirs = self.all_dirs()
            if path in dirs or path in self.all_files():
                if not parents or path in self.all_files():
                    out.err.append(f"mkdir: cannot create directory \u2018{arg}\u2019: File exists")
                    out.status = 1
                continue
            missing = []
            probe = path
            while probe not in dirs:
                missing.append(probe)
                probe = posixpath.dirname(probe)
            if len(missing) > 1 and not parents:
                out.err.append(f"mkdir: cannot create directory \u2018{arg}\u2019: No such file or directory")
                out.status = 1
                continue
            if not self.can_write(missing[-1], root):
                out.err.append(f"mkdir: cannot create directory \u2018{arg}\u2019: Permission denied")
                out.status = 1
                continue
            for d in missing:
                self.state.files[d + "/"] = ""
            out.effects.append(_block_write(0))
        return out

    def cmd_rm(self, args, stdin, root) -> _Out:
        recursive = force = False
        targets = []
        for arg in args:
            if arg in ("--recursive",):
                recursive = True
            elif arg in ("--force",):
                force = True
            elif arg == "--no-preserve-root":
                return _Out(err=[f"{NOTE}'rm --no-preserve-root' is not simulated."], status=1)
            elif arg.startswith("-") and len(arg) > 1:
                recursive = recursive or "r" in arg or "R" in arg
                force = force or "f" in arg
            else:
                targets.append(arg)
        out = _Out()
        if not targets and not force:
            return _Out(err=["rm: missing operand", "Try 'rm --help' for more information."], status=1)
        for arg in targets:
            path = self.resolve(arg)
            files = self.all_files()
            dirs = self.all_dirs()
            if path == "/" and recursive:
                out.err.extend(["rm: it is dangerous to operate recursively on '/'",
                                "rm: use --no-preserve-root to override this failsafe"])
                out.status = 1
                continue
            if path not in files and path not in dirs:
                if not force:
                    out.err.append(f"rm: cannot remove '{arg}': No such file or directory")
                    out.status = 1
                continue
            if path in dirs and not recursive:
                out.err.append(f"rm: cannot remove '{arg}': Is a directory")
                out.status = 1
                continue
            if not self.can_write(path, root):
                out.err.append(f"rm: cannot remove '{arg}': Permission denied")
                out.status = 1
                continue
            protected = path in _LINUX_DIRS or path in ("/home",) or any(
                path == f"/home/{u}" for u in self.state.users)
            virtual = path in self._virtual_files()
            if protected or virtual:
                out.err.append(f"{NOTE}removing '{path}' is not simulated.")
                out.status = 1
                continue
            self.remove_tree(path)
            out.effects.append(_block_write(0))
        return out

    def cmd_tee(self, args, stdin, root) -> _Out:
        append = any(a in ("-a", "--append") for a in args)
        data = stdin or ""
        out = _Out(stdout=data)
        for arg in (a for a in args if not a.startswith("-")):
            path = self.resolve(arg)
            problem = self._redirect_problem_as(path, root)
            if problem:
                out.err.append(f"tee: {arg}: {problem}")
                out.status = 1
                continue
            nbytes = self.write_file(path, data, append)
            out.effects.append(_block_write(nbytes))
        return out

    def _redirect_problem_as(self, path: str, root: bool) -> str | None:
        if path == "/dev/null":
            return None
        if path in self.all_dirs():
            return "Is a directory"
        if posixpath.dirname(path) not in self.all_dirs():
            return "No such file or directory"
        if not self.can_write(path, root):
            return "Permission denied"
        return None

    def cmd_grep(self, args, stdin, root) -> _Out:
        ignore = "-i" in args
        rest = [a for a in args if not a.startswith("-")]
        if not rest:
            return _Out(err=["Usage: grep [OPTION]... PATTERNS [FILE]...",
                             "Try 'grep --help' for more information."], status=2)
        pattern, paths = rest[0], rest[1:]
        texts: list[str] = []
        out = _Out()
        if paths:
            cat = self.cmd_cat(paths, None, root)
            out.err = [e.replace("cat:", "grep:", 1) for e in cat.err]
            texts = [cat.stdout]
        else:
            texts = [stdin or ""]
        try:
            regex = re.compile(pattern, re.IGNORECASE if ignore else 0)
        except re.error:
            regex = re.compile(re.escape(pattern), re.IGNORECASE if ignore else 0)
        matched = [ln for t in texts for ln in t.splitlines() if regex.search(ln)]
        out.stdout = "".join(m + "\n" for m in matched)
        out.status = 0 if matched else (2 if out.err else 1)
        return out

    def cmd_ssh_keygen(self, args, stdin, root) -> _Out:
        listing = False
        path = None
        i = 0
        while i < len(args):
            arg = args[i]
            if arg.startswith("-") and "f" in arg:
                listing = listing or "l" in arg
                if i + 1 < len(args):
                    path = args[i + 1]
                    i += 1
            elif arg == "-l":
                listing = True
            elif arg.startswith("-E"):
                pass
            i += 1
        if not listing or path is None:
            return _Out(err=[f"{NOTE}only 'ssh-keygen -lf FILE' is simulated here."], status=1)
        full = self.resolve(path)
        for kind, fingerprint in self.state.ssh_host_keys.items():
            base, bits, label = _LINUX_HOST_KEY_FILES.get(kind, (f"ssh_host_{kind}_key", 256, kind))
            if full in (f"/etc/ssh/{base}.pub", f"/etc/ssh/{base}"):
                if not full.endswith(".pub") and not root:
                    return _Out(err=[f"{path}: Permission denied"], status=255)
                return _Out(stdout=f"{bits} {fingerprint} root@{self.state.computer_name} ({label})\n")
        if full not in self.all_files():
            return _Out(err=[f"{path}: No such file or directory"], status=255)
        return _Out(err=[f"{path} is not a public key file."], status=255)

    # --- power ----------------------------------------------------------------------------------
    def _power_denied(self, verb: str) -> _Out:
        # systemd 249 (Ubuntu 22.04) when an unprivileged SSH user asks logind to power off.
        return _Out(err=["Failed to set wall message, ignoring: Interactive authentication required.",
                         f"Failed to {verb} system via logind: Interactive authentication required.",
                         "Failed to open initctl fifo: Permission denied",
                         "Failed to talk to init daemon."], status=1)

    def cmd_shutdown(self, args, stdin, root) -> _Out:
        mode = "poweroff"
        when: str | None = None
        for arg in args:
            if arg in ("-h", "-P", "--poweroff"):
                mode = "poweroff"
            elif arg in ("-r", "--reboot"):
                mode = "reboot"
            elif arg in ("-H", "--halt"):
                mode = "halt"
            elif arg in ("-c",):
                mode = "cancel"
            elif arg.startswith("-"):
                return _Out(err=[f"{NOTE}'shutdown {arg}' is not simulated."], status=1)
            elif when is None:
                when = arg
        if mode == "cancel":
            return _Out(err=[f"{NOTE}cancelling a scheduled shutdown is not simulated."], status=1)
        if mode == "halt":
            return _Out(err=[f"{NOTE}halting without powering off is not simulated."], status=1)
        if not root:
            return self._power_denied("reboot" if mode == "reboot" else "power off")
        delay = 60.0 if when is None else None
        if when in ("now", "+0", "0"):
            delay = 0.0
        elif when is not None:
            m = re.fullmatch(r"\+?(\d+)", when)
            hm = re.fullmatch(r"(\d{1,2}):(\d{2})", when)
            if m:
                delay = int(m.group(1)) * 60.0
            elif hm:
                now = self.console.now()
                target = now.replace(hour=int(hm.group(1)) % 24, minute=int(hm.group(2)), second=0,
                                     microsecond=0)
                if target <= now:
                    target += _dt.timedelta(days=1)
                delay = (target - now).total_seconds()
            else:
                return _Out(err=[f"Failed to parse time specification: {when}"], status=1)
        assert delay is not None
        after = delay + self.console.duration("guest.shutdown")
        effect = Reboot(after) if mode == "reboot" else Shutdown(after, scheduled_in=delay)
        if delay == 0:
            return _Out(effects=[effect])
        at = self.console.now() + _dt.timedelta(seconds=delay)
        word = "Reboot" if mode == "reboot" else "Shutdown"
        return _Out(err=[f"{word} scheduled for {at:%a %Y-%m-%d %H:%M:%S} UTC, use 'shutdown -c' to cancel."],
                    effects=[effect])

    def cmd_poweroff(self, args, stdin, root) -> _Out:
        if not root:
            return self._power_denied("power off")
        return _Out(effects=[Shutdown(self.console.duration("guest.shutdown"))])

    def cmd_reboot(self, args, stdin, root) -> _Out:
        if not root:
            return self._power_denied("reboot")
        return _Out(effects=[Reboot(self.console.duration("guest.shutdown"))])

    def cmd_halt(self, args, stdin, root) -> _Out:
        return _Out(err=[f"{NOTE}halting without powering off is not simulated; use 'sudo poweroff'."],
                    status=1)

    def cmd_systemctl(self, args, stdin, root) -> _Out:
        if len(args) == 2 and args[0] == "is-active":
            unit = args[1].removesuffix(".service")
            agent_units = ("walinuxagent", "waagent")
            if unit in agent_units:
                active = self.state.agent_running
            elif unit in ("ssh", "sshd"):
                active = True
            elif unit in _PKG_SERVICES.values():
                active = unit in self.state.installed
            else:
                active = False
            return _Out(stdout=("active" if active else "inactive") + "\n", status=0 if active else 3)
        return _Out(err=[f"{NOTE}only 'systemctl is-active UNIT' is simulated here."], status=1)

    # --- Azure agent and cloud-init -------------------------------------------------------------
    def _waagent_conf(self) -> tuple[bool, bool]:
        """(Provisioning.RegenerateSshHostKeyPair, Provisioning.DeleteRootPassword) of the image's
        /etc/waagent.conf. Ubuntu's (WALinuxAgent config/ubuntu/waagent.conf) has
        RegenerateSshHostKeyPair=n because cloud-init owns the host keys there; the generic,
        Debian, SUSE and Azure Linux (mariner) files, and RHEL's, have =y. All have
        DeleteRootPassword=y."""
        return (not self.ubuntu, True)

    def _agent_log(self, level: str, message: str) -> str:
        ts = self.console.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{ts} {level} MainThread {message}"

    def cmd_waagent(self, args, stdin, root) -> _Out:
        command = "help"
        force = False
        for arg in args:
            if arg == "":
                continue
            if re.match(r"^[-/]*deprovision\+user", arg):
                command = "deprovision+user"
            elif re.match(r"^[-/]*deprovision", arg):
                command = "deprovision"
            elif re.match(r"^[-/]*force", arg):
                force = True
            elif re.match(r"^[-/]*verbose", arg):
                pass
            elif re.match(r"^[-/]*(help|usage|\?)", arg):
                command = "help"
            elif re.match(r"^[-/]*(version|show-configuration|daemon|start|register-service|"
                          r"run-exthandlers|collect-logs|setup-firewall|provision)", arg):
                return _Out(err=[f"{NOTE}'waagent {arg}' is not simulated."], status=1)
            else:
                command = "help"
                break
        if command == "help":
            usage = ("usage: /usr/sbin/waagent [-verbose] [-force] [-help] "
                     "-configuration-path:<path to configuration file>-deprovision[+user]|-register-service|"
                     "-version|-daemon|-start|-run-exthandlers|-show-configuration|-collect-logs [-full]|"
                     "-setup-firewall [-dst_ip=<IP> -uid=<UID> [-w/--wait]]")
            return _Out(stdout=f"\n{usage}\n\n")
        deluser = command == "deprovision+user"
        regen_keys, delete_root_pw = self._waagent_conf()
        st = self.state
        # The lib dir (/var/lib/waagent, with ovf-env.xml) is deleted by a previous deprovision.
        ovf_available = st.prepared != "deprovisioned"
        warnings = ["WARNING! The waagent service will be stopped."]
        if regen_keys:
            warnings.append("WARNING! All SSH host key pairs will be deleted.")
        warnings.append("WARNING! Cached DHCP leases will be deleted.")
        if delete_root_pw:
            warnings.append("WARNING! root password will be disabled. You will not be able to login as root.")
        warnings.append("WARNING! /etc/resolv.conf will be deleted.")
        username = st.admin_username
        if deluser:
            if ovf_available and username:
                warnings.append(f"WARNING! {username} account and entire home directory will be deleted.")
            else:
                warnings.append("WARNING! ovf-env.xml is not found.")
                warnings.append("WARNING! Skip delete user.")

        def act() -> _Res:
            lines = [self._agent_log("INFO", "Examine /proc/net/route for primary interface"),
                     self._agent_log("INFO", "Primary interface is [eth0]")]
            if not root:
                # [U] Without root the first action that touches a root-owned file fails and
                # waagent logs the exception (its exit status stays 0). Nothing was changed.
                if regen_keys:
                    detail = "[Errno 13] Permission denied: '/etc/ssh/ssh_host_ecdsa_key'"
                else:
                    detail = ("[OSUtilError] Failed to delete root password:[Errno 13] Permission denied: "
                              "'/etc/shadow'")
                lines.append(self._agent_log("ERROR", f"Failed to run '{command}': {detail}"))
                lines.append(f"{NOTE}(Python traceback omitted)")
                return _Res(lines, 0)
            st.agent_running = False
            if regen_keys:
                st.ssh_host_keys.clear()
            st.dhcp_leases = False
            # waagent resets the host name; bash's prompt keeps the name it read at login.
            st.computer_name = "localhost.localdomain"
            if delete_root_pw:
                st.root_password_disabled = True
            st.resolv_conf = False
            st.prepared = "deprovisioned"
            if deluser and ovf_available and username:
                # userdel -f -r: the account and /home/<user> go, even while logged in. This
                # shell stays open (its prompt still shows the old name), but whoami and sudo
                # now fail: the uid has no passwd entry.
                if username in st.users:
                    st.users.remove(username)
                self.remove_tree(f"/home/{username}")
            return _Res(lines, 0, [_block_write(64 * 1024)])

        if force:
            res = act()
            return _Out(stdout="\n".join(warnings + res.lines) + "\n", status=res.status,
                        effects=res.effects)
        prompt = "Do you want to proceed (y/n)"
        if self.service:
            # Run Command gives no terminal: input() reads end-of-file and waagent logs the error.
            line = prompt + self._agent_log("ERROR", f"Failed to run '{command}': EOF when reading a line")
            return _Out(stdout="\n".join(warnings + [line]) + "\n")

        def answer(reply: str) -> _Res:
            if reply.strip().lower().startswith("y"):
                return act()
            return _Res()   # anything else aborts silently

        return _Out(stdout="\n".join(warnings) + "\n", ask=_Ask(prompt, answer))

    def cmd_cloud_init(self, args, stdin, root) -> _Out:
        if not args:
            return _Out(err=["usage: /usr/bin/cloud-init [-h] [--version] [--debug] [--force] "
                             "{init,modules,single,query,features,analyze,devel,collect-logs,clean,status,schema} ..."],
                        status=2)
        sub, rest = args[0], args[1:]
        if sub == "status":
            return _Out(stdout="status: done\n")
        if sub != "clean":
            return _Out(err=[f"{NOTE}'cloud-init {sub}' is not simulated."], status=1)
        known = {"-l", "--logs", "--machine-id", "-r", "--reboot", "-s", "--seed"}
        for arg in rest:
            if arg not in known and not arg.startswith("-c") and not arg.startswith("--configs"):
                return _Out(err=["usage: /usr/bin/cloud-init clean [-h] [-l] [--machine-id] [-r] [-s] "
                                 "[-c {all,ssh_config,network} [{all,ssh_config,network} ...]]",
                                 f"/usr/bin/cloud-init clean: error: unrecognized arguments: {arg}"], status=2)
        if not root:
            # [U] the first root-owned artifact cloud-init tries to delete.
            return _Out(err=["PermissionError: [Errno 13] Permission denied: '/var/lib/cloud/instances'"],
                        status=1)
        out = _Out(effects=[_block_write(4096)])
        if "--machine-id" in rest:
            # writes "uninitialized": systemd creates a new id at the next boot
            self.state.machine_id = None
        if "-r" in rest or "--reboot" in rest:
            out.effects.append(Reboot(self.console.duration("guest.shutdown")))
        return out

    # --- apt ------------------------------------------------------------------------------------
    def _mirror(self) -> str:
        return "http://azure.archive.ubuntu.com/ubuntu"

    def cmd_apt(self, tool: str, args: list[str], root: bool) -> _Out:
        opts = [a for a in args if a.startswith("-")]
        words = [a for a in args if not a.startswith("-")]
        if not words:
            if tool == "apt":
                return _Out(stdout="apt 2.4.13 (amd64)\nUsage: apt [options] command\n", status=1)
            return _Out(err=["E: Invalid operation "], status=100)
        action, pkgs = words[0], words[1:]
        if action == "update":
            return self._apt_update(tool, root)
        if action == "install":
            return self._apt_install(tool, pkgs, opts, root)
        if action in ("list", "show", "search", "policy"):
            return _Out(err=[f"{NOTE}'{tool} {action}' is not simulated."], status=1)
        if action in ("remove", "purge", "upgrade", "full-upgrade", "dist-upgrade", "autoremove"):
            if not root:
                return self._apt_lock_error()
            return _Out(err=[f"{NOTE}'{tool} {action}' is not simulated."], status=1)
        return _Out(err=[f"E: Invalid operation {action}"], status=100)

    def _apt_lock_error(self) -> _Out:
        return _Out(err=["E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)",
                         "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?"],
                    status=100)

    def _apt_update(self, tool: str, root: bool) -> _Out:
        if not root:
            lines = ["Reading package lists... Done"] if tool == "apt" else []
            err = ["E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)",
                   "E: Unable to lock directory /var/lib/apt/lists/"]
            if tool == "apt":
                err += ["W: Problem unlinking the file /var/cache/apt/pkgcache.bin - RemoveCaches (13: Permission denied)",
                        "W: Problem unlinking the file /var/cache/apt/srcpkgcache.bin - RemoveCaches (13: Permission denied)"]
            return _Out(stdout="".join(x + "\n" for x in lines), err=err, status=100, stdout_first=True)
        mirror, code = self._mirror(), self.codename
        suites = [code, f"{code}-updates", f"{code}-backports", f"{code}-security"]
        if not self.state.resolv_conf:
            # waagent -deprovision deleted /etc/resolv.conf: no name resolution until next boot.
            lines = []
            for i, suite in enumerate(suites, 1):
                lines += [f"Ign:{i} {mirror} {suite} InRelease"]
            for i, suite in enumerate(suites, 1):
                lines += [f"Err:{i} {mirror} {suite} InRelease",
                          "  Temporary failure resolving 'azure.archive.ubuntu.com'"]
            lines += ["Reading package lists... Done"]
            for suite in suites:
                lines.append(f"W: Failed to fetch {mirror}/dists/{suite}/InRelease  "
                             "Temporary failure resolving 'azure.archive.ubuntu.com'")
            lines.append("W: Some index files failed to download. They have been ignored, or old ones used instead.")
            return _Out(stdout="\n".join(lines) + "\n", effects=[_block_write(4096)])
        lines = [f"Hit:1 {mirror} {code} InRelease",
                 f"Get:2 {mirror} {code}-updates InRelease [128 kB]",
                 f"Get:3 {mirror} {code}-backports InRelease [127 kB]",
                 f"Get:4 {mirror} {code}-security InRelease [129 kB]",
                 "Fetched 384 kB in 1s (512 kB/s)",
                 "Reading package lists... Done"]
        if tool == "apt":
            lines += ["Building dependency tree... Done", "Reading state information... Done",
                      "All packages are up to date."]
        return _Out(stdout="\n".join(lines) + "\n", effects=[DiskWrite(384 * 1024 * 3)])

    def _apt_install(self, tool: str, pkgs: list[str], opts: list[str], root: bool) -> _Out:
        if not root:
            return self._apt_lock_error()
        assume_yes = any(o in ("-y", "--yes", "--assume-yes", "-qy", "-yq") for o in opts)
        head = ["Reading package lists... Done", "Building dependency tree... Done",
                "Reading state information... Done"]
        installed = set(self.state.installed) | _APT_PREINSTALLED
        for pkg in pkgs:
            if pkg not in _APT_TOP and pkg not in _DEB and pkg not in installed:
                return _Out(stdout="\n".join(head) + "\n", err=[f"E: Unable to locate package {pkg}"],
                            status=100, stdout_first=True)
        lines = list(head)
        new: list[str] = []
        extra: list[str] = []
        suggested: list[str] = []
        for pkg in pkgs:
            if pkg in installed:
                version = _DEB.get(pkg, ("(installed)",))[0]
                lines.append(f"{pkg} is already the newest version ({version}).")
                continue
            deps, sugg = _APT_TOP.get(pkg, ((), ()))
            for dep in deps:
                if dep not in installed and dep not in new and dep not in extra and dep not in pkgs:
                    extra.append(dep)
            suggested += [s for s in sugg if s not in suggested]
            if pkg not in new:
                new.append(pkg)
        if not new:
            lines.append("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
            return _Out(stdout="\n".join(lines) + "\n")
        everything = sorted(set(new + extra))
        if extra:
            lines.append("The following additional packages will be installed:")
            lines += _wrap_names(sorted(extra))
        if suggested:
            lines.append("Suggested packages:")
            lines += _wrap_names(suggested)
        lines.append("The following NEW packages will be installed:")
        lines += _wrap_names(everything)
        download = sum(_DEB.get(p, ("", "", "", 50_000, 0))[3] for p in everything)
        unpacked = sum(_DEB.get(p, ("", "", "", 0, 150_000))[4] for p in everything)
        lines.append(f"0 upgraded, {len(everything)} newly installed, 0 to remove and 0 not upgraded.")
        lines.append(f"Need to get {_size_to_str(download)}B of archives.")
        lines.append(f"After this operation, {_size_to_str(unpacked)}B of additional disk space will be used.")

        def proceed() -> _Res:
            return self._apt_fetch_and_unpack(everything, new, download, unpacked)

        if extra and not assume_yes:
            question = "Do you want to continue? [Y/n] "
            if self.service:
                # no terminal: apt reads end-of-input and aborts
                lines.append(question + "Abort.")
                return _Out(stdout="\n".join(lines) + "\n", status=1)

            def answer(reply: str) -> _Res:
                reply = reply.strip().lower()
                if reply in ("", "y", "yes"):
                    return proceed()
                return _Res(["Abort."], 1)

            return _Out(stdout="\n".join(lines) + "\n", ask=_Ask(question, answer))
        res = proceed()
        return _Out(stdout="\n".join(lines + res.lines) + "\n", status=res.status, effects=res.effects)

    def _apt_fetch_and_unpack(self, everything: list[str], requested: list[str], download: int,
                              unpacked: int) -> _Res:
        mirror, code = self._mirror(), self.codename
        lines: list[str] = []
        if not self.state.resolv_conf:
            first = everything[0]
            version, arch = _DEB.get(first, ("1.0", "amd64"))[:2]
            lines.append(f"Err:1 {mirror} {code}/main amd64 {first} {arch} {version}")
            lines.append("  Temporary failure resolving 'azure.archive.ubuntu.com'")
            lines.append(f"E: Failed to fetch {mirror}/pool/main/{first[0]}/{first}/{first}_{version}_{arch}.deb  "
                         "Temporary failure resolving 'azure.archive.ubuntu.com'")
            lines.append("E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?")
            return _Res(lines, 100)
        for i, pkg in enumerate(everything, 1):
            version, arch, pocket, size, _inst = _DEB.get(pkg, ("1.0-1", "amd64", "main", 50_000, 150_000))
            suite, _, component = pocket.rpartition("/")
            suite = f"{code}-{suite}" if suite else code
            lines.append(f"Get:{i} {mirror} {suite}/{component} amd64 {pkg} {arch} {version} "
                         f"[{_size_to_str(size)}B]")
        lines.append(f"Fetched {_size_to_str(download)}B in 0s (42.0 MB/s)")
        for i, pkg in enumerate(everything):
            version, arch = _DEB.get(pkg, ("1.0-1", "amd64"))[:2]
            lines.append(f"Selecting previously unselected package {pkg}.")
            if i == 0:
                lines.append("(Reading database ... 62184 files and directories currently installed.)")
            lines.append(f"Preparing to unpack .../{pkg}_{version.split(':')[-1]}_{arch}.deb ...")
            lines.append(f"Unpacking {pkg} ({version}) ...")
        for pkg in everything:
            lines.append(f"Setting up {pkg} ({_DEB.get(pkg, ('1.0-1',))[0]}) ...")
        lines.append("Processing triggers for man-db (2.10.2-1) ...")
        if any(p.startswith("lib") for p in everything):
            lines.append("Processing triggers for libc-bin (2.35-0ubuntu3.8) ...")
        if self.codename == "jammy":
            lines += ["Scanning processes...", "Scanning linux images...", "",
                      "Running kernel seems to be up-to-date.", "", "No services need to be restarted.", "",
                      "No containers need to be restarted.", "",
                      "No user sessions are running outdated binaries.", "",
                      "No VM guests are running outdated hypervisor (qemu) binaries on this host."]
        written = 0
        for pkg in requested:
            for path, content in _PKG_FILES.get(pkg, {}).items():
                self.state.files[path] = content
                written += len(content)
        self.state.installed.extend(p for p in everything if p not in self.state.installed)
        self.state.sort_installed()
        return _Res(lines, 0, [DiskWrite(download + unpacked + written)])


# =================================================================================================
# Windows: PowerShell 5.1
# =================================================================================================

_SYSPREP_EXE = "c:\\windows\\system32\\sysprep\\sysprep.exe"
_SYSPREP_DEFAULT_ACTION = "quit"   # [U] no /shutdown, /reboot or /quit: Sysprep exits when done

_WIN_STATIC_DIRS = (
    "C:\\", "C:\\PerfLogs", "C:\\Program Files", "C:\\Program Files (x86)", "C:\\Users",
    "C:\\Users\\Public", "C:\\Windows", "C:\\Windows\\System32", "C:\\Windows\\System32\\Sysprep",
    "C:\\Windows\\System32\\Sysprep\\ActionFiles", "C:\\Windows\\System32\\Sysprep\\en-US",
    "C:\\Windows\\System32\\Sysprep\\Panther",
    "C:\\Windows\\System32\\drivers", "C:\\Windows\\System32\\drivers\\etc", "C:\\Windows\\Temp",
    "C:\\WindowsAzure", "C:\\Packages",
)
_WIN_READONLY_DIRS = ("c:\\program files", "c:\\program files (x86)", "c:\\users", "c:\\windows\\system32")
_WIN_PROFILE_DIRS = ("3D Objects", "Contacts", "Desktop", "Documents", "Downloads", "Favorites", "Links",
                     "Music", "Pictures", "Saved Games", "Searches", "Videos")
# Files every Windows Server image has. C:\\Windows\\Panther holds Windows Setup's logs (and, on
# Azure, the provisioning answer file); the docs say to delete it before running Sysprep.
_WIN_VIRTUAL_FILES = {
    "C:\\Windows\\System32\\Sysprep\\sysprep.exe": "MZ",
    "C:\\Windows\\Panther\\setupact.log": "",
    "C:\\Windows\\Panther\\setuperr.log": "",
    "C:\\Windows\\System32\\drivers\\etc\\hosts": (
        "# Copyright (c) 1993-2009 Microsoft Corp.\n#\n"
        "# This is a sample HOSTS file used by Microsoft TCP/IP for Windows.\n"),
}

_WIN_VIRTUAL_SIZES = {"C:\\Windows\\System32\\Sysprep\\sysprep.exe": 421888}

# Windows features: name -> (display name, parent, bytes written when installed)
_FEATURES: dict[str, tuple[str, str | None, int]] = {
    "AD-Domain-Services": ("Active Directory Domain Services", None, 95 << 20),
    "DNS": ("DNS Server", None, 12 << 20),
    "FileAndStorage-Services": ("File and Storage Services", None, 0),
    "Storage-Services": ("Storage Services", "FileAndStorage-Services", 0),
    "Web-Server": ("Web Server (IIS)", None, 6 << 20),
    "Web-WebServer": ("Web Server", "Web-Server", 150 << 20),
    "Web-Common-Http": ("Common HTTP Features", "Web-WebServer", 8 << 20),
    "Web-Default-Doc": ("Default Document", "Web-Common-Http", 2 << 20),
    "Web-Dir-Browsing": ("Directory Browsing", "Web-Common-Http", 2 << 20),
    "Web-Http-Errors": ("HTTP Errors", "Web-Common-Http", 3 << 20),
    "Web-Static-Content": ("Static Content", "Web-Common-Http", 4 << 20),
    "Web-Http-Redirect": ("HTTP Redirection", "Web-Common-Http", 2 << 20),
    "Web-Health": ("Health and Diagnostics", "Web-WebServer", 6 << 20),
    "Web-Http-Logging": ("HTTP Logging", "Web-Health", 6 << 20),
    "Web-Performance": ("Performance", "Web-WebServer", 4 << 20),
    "Web-Stat-Compression": ("Static Content Compression", "Web-Performance", 5 << 20),
    "Web-Security": ("Security", "Web-WebServer", 6 << 20),
    "Web-Filtering": ("Request Filtering", "Web-Security", 5 << 20),
    "Web-Basic-Auth": ("Basic Authentication", "Web-Security", 3 << 20),
    "Web-Mgmt-Tools": ("Management Tools", "Web-Server", 20 << 20),
    "Web-Mgmt-Console": ("IIS Management Console", "Web-Mgmt-Tools", 45 << 20),
    "NET-Framework-45-Features": (".NET Framework 4.8 Features", None, 0),
    "NET-Framework-45-Core": (".NET Framework 4.8", "NET-Framework-45-Features", 0),
    "RSAT": ("Remote Server Administration Tools", None, 1 << 20),
    "RSAT-Role-Tools": ("Role Administration Tools", "RSAT", 1 << 20),
    "RSAT-DNS-Server": ("DNS Server Tools", "RSAT-Role-Tools", 10 << 20),
    "Windows-Defender": ("Microsoft Defender Antivirus", None, 0),
    "PowerShellRoot": ("Windows PowerShell", None, 0),
    "PowerShell": ("Windows PowerShell 5.1", "PowerShellRoot", 0),
    "PowerShell-ISE": ("Windows PowerShell ISE", "PowerShellRoot", 0),
    "Telnet-Client": ("Telnet Client", None, 2 << 20),
    "Windows-Server-Backup": ("Windows Server Backup", None, 8 << 20),
    "WoW64-Support": ("WoW64 Support", None, 0),
}
# What a role brings when named alone (its default role services).
_FEATURE_DEFAULTS = {
    "Web-Server": ("Web-WebServer", "Web-Common-Http", "Web-Default-Doc", "Web-Dir-Browsing",
                   "Web-Http-Errors", "Web-Static-Content", "Web-Health", "Web-Http-Logging",
                   "Web-Performance", "Web-Stat-Compression", "Web-Security", "Web-Filtering"),
}
_FEATURE_TOOLS = {
    "Web-Server": ("Web-Mgmt-Tools", "Web-Mgmt-Console"),
    "DNS": ("RSAT", "RSAT-Role-Tools", "RSAT-DNS-Server"),
}
_FEATURE_ALWAYS = ("FileAndStorage-Services", "Storage-Services", "NET-Framework-45-Features",
                   "NET-Framework-45-Core", "PowerShellRoot", "PowerShell", "WoW64-Support")
_IIS_START = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />
<title>IIS Windows Server</title>
</head>
<body>
<div id="container">
<a href="http://go.microsoft.com/fwlink/?linkid=66138&amp;clcid=0x409"><img src="iisstart.png" alt="IIS" width="960" height="600" /></a>
</div>
</body>
</html>
"""

_PS_UNSIMULATED = frozenset(s.lower() for s in (
    "ipconfig", "ping", "notepad", "notepad.exe", "Get-Service", "Start-Service", "Stop-Service",
    "Restart-Service", "Get-Process", "Stop-Process", "Copy-Item", "copy", "cp", "cpi", "Move-Item",
    "move", "mv", "mi", "Rename-Item", "ren", "rni", "Invoke-WebRequest", "iwr", "curl", "wget",
    "Invoke-RestMethod", "irm", "Get-NetIPAddress", "Get-NetAdapter", "Get-Date", "Get-Command",
    "gcm", "Get-Help", "help", "Uninstall-WindowsFeature", "Remove-WindowsFeature", "New-LocalUser",
    "Remove-LocalUser", "Add-LocalGroupMember", "Get-LocalGroupMember", "Set-ExecutionPolicy",
    "Get-ComputerInfo", "systeminfo", "Rename-Computer", "Get-Disk", "Get-Volume", "Get-PSDrive",
    "netsh", "New-NetFirewallRule", "Get-NetFirewallRule", "Select-Object", "select", "Where-Object",
    "where", "ForEach-Object", "foreach", "Format-Table", "ft", "Format-List", "fl", "Sort-Object",
    "sort", "Measure-Object", "Get-Member", "gm", "Get-EventLog", "Get-WinEvent", "Get-ItemProperty",
    "Set-ItemProperty", "reg", "sc.exe", "tasklist", "taskkill", "sconfig", "Enter-PSSession",
    "Invoke-Command", "Set-Service", "Get-Variable", "Get-History", "history", "Get-Alias",
))


@attrs.define
class _PTok:
    kind: str          # "word" | "str" | "op"
    value: str         # expanded value (for ops: the operator)
    start: int
    end: int
    raw: str


class _PsParseError(Exception):
    def __init__(self, start: int, end: int, message: str, fqid: str) -> None:
        super().__init__(message)
        self.start, self.end, self.message, self.fqid = start, end, message, fqid


class _PsError(Exception):
    """A terminating error record, already formatted."""

    def __init__(self, lines: list[str], status: int = 1) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.status = status


@attrs.define
class _Element:
    tokens: list[_PTok]
    redirs: list[tuple[str, _PTok | None]] = attrs.Factory(list)
    call_op: bool = False


@attrs.frozen
class _Spec:
    name: str
    fqcn: str
    params: dict[str, str]                  # canonical name -> "switch" | "value"
    positional: tuple[str, ...] = ()
    aliases: dict[str, str] = attrs.Factory(dict)
    types: dict[str, str] = attrs.Factory(dict)
    mandatory: tuple[str, ...] = ()
    remaining: str | None = None            # takes the positional arguments left over


_COMMON_PARAMS = {"Verbose": "switch", "Debug": "switch", "ErrorAction": "value", "WarningAction": "value",
                  "InformationAction": "value", "ErrorVariable": "value", "WarningVariable": "value",
                  "InformationVariable": "value", "OutVariable": "value", "OutBuffer": "value",
                  "PipelineVariable": "value"}
_COMMON_ALIASES = {"vb": "Verbose", "db": "Debug", "ea": "ErrorAction", "wa": "WarningAction",
                   "infa": "InformationAction", "ev": "ErrorVariable", "wv": "WarningVariable",
                   "iv": "InformationVariable", "ov": "OutVariable", "ob": "OutBuffer", "pv": "PipelineVariable"}


def _spec(name: str, fqcn: str, params: dict[str, str], positional: tuple[str, ...] = (),
          aliases: dict[str, str] | None = None, types: dict[str, str] | None = None,
          mandatory: tuple[str, ...] = (), confirm: bool = False, remaining: str | None = None) -> _Spec:
    full = dict(params)
    full.update(_COMMON_PARAMS)
    if confirm:
        full.update({"WhatIf": "switch", "Confirm": "switch"})
    al = dict(_COMMON_ALIASES)
    if confirm:
        al.update({"wi": "WhatIf", "cf": "Confirm"})
    al.update(aliases or {})
    return _Spec(name, fqcn, full, positional, al, types or {}, mandatory, remaining)


_MS = "Microsoft.PowerShell.Commands."
_SPECS = {s.name.lower(): s for s in (
    _spec("Get-Content", _MS + "GetContentCommand",
          {"Path": "value", "LiteralPath": "value", "Raw": "switch", "Encoding": "value", "TotalCount": "value",
           "Tail": "value", "Force": "switch"}, ("Path",), {"PSPath": "LiteralPath", "First": "TotalCount",
                                                           "Head": "TotalCount", "Last": "Tail"},
          {"Path": "System.String[]"}, ("Path",)),
    _spec("Set-Content", _MS + "SetContentCommand",
          {"Path": "value", "LiteralPath": "value", "Value": "value", "Encoding": "value", "Force": "switch",
           "NoNewline": "switch"}, ("Path", "Value"), {"PSPath": "LiteralPath"},
          {"Path": "System.String[]", "Value": "System.Object[]"}, ("Path",), confirm=True),
    _spec("Add-Content", _MS + "AddContentCommand",
          {"Path": "value", "LiteralPath": "value", "Value": "value", "Encoding": "value", "Force": "switch",
           "NoNewline": "switch"}, ("Path", "Value"), {"PSPath": "LiteralPath"},
          {"Path": "System.String[]", "Value": "System.Object[]"}, ("Path",), confirm=True),
    _spec("Out-File", _MS + "OutFileCommand",
          {"FilePath": "value", "LiteralPath": "value", "Append": "switch", "Encoding": "value", "Force": "switch",
           "NoClobber": "switch", "NoNewline": "switch", "Width": "value", "InputObject": "value"},
          ("FilePath",), {"Path": "FilePath", "PSPath": "LiteralPath"}, {"FilePath": "System.String"},
          ("FilePath",), confirm=True),
    _spec("Get-ChildItem", _MS + "GetChildItemCommand",
          {"Path": "value", "LiteralPath": "value", "Filter": "value", "Recurse": "switch", "Force": "switch",
           "Name": "switch", "File": "switch", "Directory": "switch", "Hidden": "switch", "Include": "value",
           "Exclude": "value", "Depth": "value"}, ("Path", "Filter"),
          {"PSPath": "LiteralPath", "s": "Recurse", "ad": "Directory", "af": "File"},
          {"Path": "System.String[]"}),
    _spec("New-Item", _MS + "NewItemCommand",
          {"Path": "value", "Name": "value", "ItemType": "value", "Value": "value", "Force": "switch"},
          ("Path",), {"Type": "ItemType"}, {"Path": "System.String[]", "ItemType": "System.String"},
          ("Path",), confirm=True),
    _spec("Remove-Item", _MS + "RemoveItemCommand",
          {"Path": "value", "LiteralPath": "value", "Recurse": "switch", "Force": "switch", "Filter": "value",
           "Include": "value", "Exclude": "value"}, ("Path",), {"PSPath": "LiteralPath"},
          {"Path": "System.String[]"}, ("Path",), confirm=True),
    _spec("Test-Path", _MS + "TestPathCommand",
          {"Path": "value", "LiteralPath": "value", "PathType": "value", "IsValid": "switch"}, ("Path",),
          {"PSPath": "LiteralPath", "Type": "PathType"}, {"Path": "System.String[]"}, ("Path",)),
    _spec("Set-Location", _MS + "SetLocationCommand", {"Path": "value", "LiteralPath": "value",
                                                       "PassThru": "switch", "StackName": "value"},
          ("Path",), {"PSPath": "LiteralPath"}, {"Path": "System.String"}),
    _spec("Get-Location", _MS + "GetLocationCommand", {"PSProvider": "value", "PSDrive": "value",
                                                       "Stack": "switch", "StackName": "value"}),
    _spec("Write-Output", _MS + "WriteOutputCommand", {"InputObject": "value", "NoEnumerate": "switch"},
          ("InputObject",), types={"InputObject": "System.Management.Automation.PSObject[]"},
          remaining="InputObject"),
    _spec("Write-Host", _MS + "WriteHostCommand", {"Object": "value", "NoNewline": "switch",
                                                   "Separator": "value", "ForegroundColor": "value",
                                                   "BackgroundColor": "value"}, ("Object",), remaining="Object"),
    _spec("Install-WindowsFeature", "Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand",
          {"Name": "value", "IncludeManagementTools": "switch", "IncludeAllSubFeature": "switch",
           "Restart": "switch", "Source": "value", "ComputerName": "value", "Credential": "value",
           "LogPath": "value", "Vhd": "value", "ConfigurationFilePath": "value"}, ("Name",),
          {"Cn": "ComputerName"}, {"Name": "Microsoft.Windows.ServerManager.Commands.Feature[]"},
          ("Name",), confirm=True),
    _spec("Get-WindowsFeature", "Microsoft.Windows.ServerManager.Commands.GetWindowsFeatureCommand",
          {"Name": "value", "ComputerName": "value", "Credential": "value", "LogPath": "value", "Vhd": "value"},
          ("Name",), {"Cn": "ComputerName"}, {"Name": "System.String[]"}),
    _spec("Stop-Computer", _MS + "StopComputerCommand",
          {"ComputerName": "value", "Force": "switch", "Credential": "value", "AsJob": "switch"}, ("ComputerName",),
          {"CN": "ComputerName", "__SERVER": "ComputerName", "Server": "ComputerName", "IPAddress": "ComputerName"},
          confirm=True),
    _spec("Restart-Computer", _MS + "RestartCommand",
          {"ComputerName": "value", "Force": "switch", "Credential": "value", "Wait": "switch",
           "Timeout": "value", "For": "value", "AsJob": "switch"}, ("ComputerName",),
          {"CN": "ComputerName", "__SERVER": "ComputerName", "Server": "ComputerName", "IPAddress": "ComputerName"},
          confirm=True),
    _spec("Start-Process", _MS + "StartProcessCommand",
          {"FilePath": "value", "ArgumentList": "value", "Wait": "switch", "NoNewWindow": "switch",
           "Verb": "value", "WindowStyle": "value", "WorkingDirectory": "value", "PassThru": "switch",
           "Credential": "value", "RedirectStandardOutput": "value", "RedirectStandardError": "value"},
          ("FilePath", "ArgumentList"), {"Path": "FilePath", "PSPath": "FilePath", "Args": "ArgumentList",
                                         "RSO": "RedirectStandardOutput", "RSE": "RedirectStandardError"},
          {"FilePath": "System.String", "ArgumentList": "System.String[]"}, ("FilePath",)),
    _spec("Get-LocalUser", "Microsoft.PowerShell.Commands.GetLocalUserCommand",
          {"Name": "value", "SID": "value"}, ("Name",)),
    _spec("Clear-Host", "Clear-Host", {}),
    _spec("Out-Null", _MS + "OutNullCommand", {"InputObject": "value"}),
)}
_PS_ALIASES = {
    "cat": "get-content", "gc": "get-content", "type": "get-content",
    "sc": "set-content", "ac": "add-content",
    "dir": "get-childitem", "ls": "get-childitem", "gci": "get-childitem",
    "ni": "new-item",
    "rm": "remove-item", "del": "remove-item", "erase": "remove-item", "rd": "remove-item",
    "rmdir": "remove-item", "ri": "remove-item",
    "cd": "set-location", "chdir": "set-location", "sl": "set-location",
    "pwd": "get-location", "gl": "get-location",
    "echo": "write-output", "write": "write-output",
    "cls": "clear-host", "clear": "clear-host",
    "add-windowsfeature": "install-windowsfeature",
    "saps": "start-process", "start": "start-process",
}


def _ellipsize(text: str) -> str:
    """Windows PowerShell 5.1 shortens CategoryInfo targets over 40 characters."""
    if len(text) <= 40:
        return text
    return f"{text[:15]}...{text[-15:]}"


class _PowerShell(_Shell):
    def __init__(self, console: GuestConsole) -> None:
        super().__init__(console)
        st = self.state
        self.service = console.as_service
        self.user = st.admin_username or "Administrator"
        self.profile = f"C:\\Users\\{self.user}"
        self.cwd = "C:\\Windows\\system32" if self.service else self.profile
        # The session's access token keeps the SID it logged on with, even after sysprep.
        self.session_sid = st.sid
        self.last_exit = 0
        self.text = ""

    def prompt(self) -> str:
        return f"PS {self.cwd}> "

    # --- environment ----------------------------------------------------------------------------
    def env(self, name: str) -> str | None:
        st = self.state
        table = {
            "computername": st.computer_name.upper()[:15],
            "username": "SYSTEM" if self.service else self.user,
            "userprofile": "C:\\Windows\\system32\\config\\systemprofile" if self.service else self.profile,
            "windir": "C:\\Windows", "systemroot": "C:\\Windows", "systemdrive": "C:",
            "programfiles": "C:\\Program Files", "programfiles(x86)": "C:\\Program Files (x86)",
            "programdata": "C:\\ProgramData", "public": "C:\\Users\\Public",
            "homedrive": "C:", "homepath": f"\\Users\\{self.user}",
            "temp": f"{self.profile}\\AppData\\Local\\Temp", "tmp": f"{self.profile}\\AppData\\Local\\Temp",
            "os": "Windows_NT", "comspec": "C:\\Windows\\system32\\cmd.exe",
        }
        return table.get(name.lower())

    def variable(self, name: str) -> str:
        low = name.lower()
        if low.startswith("env:"):
            return self.env(low[4:]) or ""
        table = {"home": self.profile, "pwd": self.cwd, "true": "True", "false": "False", "null": "",
                 "lastexitcode": str(self.last_exit), "pshome": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
                 "?": "True"}
        return table.get(low, "")

    # --- lexing ---------------------------------------------------------------------------------
    _VAR_RE = re.compile(r"\$(?:\{([^}]*)\}|((?:env:)?[A-Za-z_][A-Za-z0-9_()]*|\?))", re.IGNORECASE)

    def _expand(self, text: str, i: int) -> tuple[str, int]:
        m = self._VAR_RE.match(text, i)
        if not m:
            return "$", i + 1
        name = m.group(1) if m.group(1) is not None else m.group(2)
        if name.lower().startswith("env:"):
            # $env:ProgramFiles(x86) is not valid without braces
            name = re.sub(r"\(.*$", "", name)
            end = i + 1 + len(name) if m.group(1) is None else m.end()
            return self.variable(name), end
        name = re.sub(r"\(.*$", "", name)
        end = i + 1 + len(name) if m.group(1) is None else m.end()
        return self.variable(name), end

    def lex(self, text: str) -> list[_PTok]:
        toks: list[_PTok] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c in " \t":
                i += 1
                continue
            if c == "\n":
                toks.append(_PTok("op", ";", i, i + 1, "\n"))
                i += 1
                continue
            if c == "#":
                while i < n and text[i] != "\n":
                    i += 1
                continue
            matched = False
            for op in ("2>&1", "&&", "||", "*>>", "*>", "2>>", "2>", ">>", ">", "<", "|", ";", ",", "(", ")",
                       "{", "}", "&"):
                if text.startswith(op, i) and not (op in ("2>", "2>>", "2>&1") and toks and toks[-1].end == i
                                                    and toks[-1].kind != "op"):
                    toks.append(_PTok("op", op, i, i + len(op), op))
                    i += len(op)
                    matched = True
                    break
            if matched:
                continue
            start = i
            buf: list[str] = []
            kind = "word"
            if c in "'\"":
                kind = "str"
            while i < n and text[i] not in " \t\n|;,(){}&<>":
                c = text[i]
                if c == "`":
                    if i + 1 >= n:
                        raise _Incomplete
                    nxt = text[i + 1]
                    buf.append({"n": "\n", "t": "\t", "0": ""}.get(nxt, nxt))
                    i += 2
                elif c == "'":
                    j = i + 1
                    part = []
                    while True:
                        if j >= n:
                            raise _Incomplete
                        if text[j] == "'":
                            if j + 1 < n and text[j + 1] == "'":
                                part.append("'")
                                j += 2
                                continue
                            break
                        part.append(text[j])
                        j += 1
                    buf.append("".join(part))
                    i = j + 1
                elif c == '"':
                    j = i + 1
                    part = []
                    while True:
                        if j >= n:
                            raise _Incomplete
                        ch = text[j]
                        if ch == '"':
                            if j + 1 < n and text[j + 1] == '"':
                                part.append('"')
                                j += 2
                                continue
                            break
                        if ch == "`" and j + 1 < n:
                            part.append({"n": "\n", "t": "\t", "0": ""}.get(text[j + 1], text[j + 1]))
                            j += 2
                            continue
                        if ch == "$":
                            value, j = self._expand(text, j)
                            part.append(value)
                            continue
                        part.append(ch)
                        j += 1
                    buf.append("".join(part))
                    i = j + 1
                elif c == "$":
                    value, i = self._expand(text, i)
                    buf.append(value)
                else:
                    buf.append(c)
                    i += 1
                if kind == "str":
                    break   # a quoted token at a token start ends at its closing quote
            toks.append(_PTok(kind, "".join(buf), start, i, text[start:i]))
        if toks and toks[-1].kind == "op" and toks[-1].value in ("|",):
            raise _Incomplete
        return toks

    # --- error records --------------------------------------------------------------------------
    def position(self, start: int, end: int) -> list[str]:
        text = self.text
        line_no = text.count("\n", 0, start) + 1
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        column = start - line_start + 1
        width = max(1, min(end, line_end) - start)
        return [f"At line:{line_no} char:{column}", f"+ {text[line_start:line_end]}",
                f"+ {' ' * (column - 1)}{'~' * width}"]

    def error_record(self, invocation: str | None, message: str, start: int, end: int, category: str,
                     target: str, activity: str, reason: str, fqid: str) -> list[str]:
        head = f"{invocation} : {message}" if invocation else message
        target_text = f"{_ellipsize(target)}:String" if target else ":"
        return ([head] + self.position(start, end)
                + [f"    + CategoryInfo          : {category}: ({target_text}) [{activity}], {reason}",
                   f"    + FullyQualifiedErrorId : {fqid}"])

    def not_recognized(self, name: str, start: int, end: int) -> list[str]:
        return self.error_record(
            name, f"The term '{name}' is not recognized as the name of a cmdlet, function, script file, or "
                  "operable program. Check the spelling of the name, or if a path was included, verify that "
                  "the path is correct and try again.",
            start, end, "ObjectNotFound", name, "", "CommandNotFoundException", "CommandNotFoundException")

    def parse_error(self, err: _PsParseError) -> list[str]:
        return (self.position(err.start, err.end) + [err.message,
                "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException",
                f"    + FullyQualifiedErrorId : {err.fqid}"])

    # --- paths ----------------------------------------------------------------------------------
    def resolve(self, path: str) -> str:
        p = path.replace("/", "\\")
        if p.startswith("~"):
            p = self.profile + p[1:]
        if re.match(r"^[A-Za-z]:", p):
            p = p[0].upper() + p[1:]
            if len(p) == 2:
                p = p + "\\"
            elif p[2] != "\\":
                p = p[:2] + "\\" + p[2:]
        elif p.startswith("\\"):
            p = "C:" + p
        else:
            p = self.cwd.rstrip("\\") + "\\" + p
        full = ntpath.normpath(p)
        if re.fullmatch(r"[A-Za-z]:", full):
            full += "\\"
        return full

    @staticmethod
    def key(path: str) -> str:
        return path.lower().rstrip("\\") if len(path) > 3 else path.lower()

    # A built-in file or folder the student deleted is remembered on the disk as a marker key
    # "<folder>\\" + NUL (plain data, so snapshots carry it).
    def _removed(self) -> list[str]:
        return [self.key(k[:-2]) for k in self.state.files if k.endswith("\\\x00")]

    def _hidden(self, path: str, removed: list[str]) -> bool:
        k = self.key(path)
        return any(k == r or k.startswith(r + "\\") for r in removed)

    def all_files(self) -> dict[str, str]:
        removed = self._removed()
        files = {p: c for p, c in _WIN_VIRTUAL_FILES.items() if not self._hidden(p, removed)}
        for path, content in self.state.files.items():
            if not path.endswith("\\") and "\x00" not in path:
                files[path] = content
        return files

    def file_lookup(self, path: str) -> tuple[str, str] | None:
        k = self.key(path)
        for p, content in self.all_files().items():
            if self.key(p) == k:
                return p, content
        return None

    def users_shown(self) -> list[str]:
        """Local accounts with a profile folder: the admin (the renamed built-in Administrator) and
        accounts created later. A separate 'Administrator' entry is the same RID-500 account."""
        out = []
        for user in self.state.users:
            if user.lower() == "administrator" and self.state.admin_username and \
                    self.state.admin_username.lower() != "administrator":
                continue
            out.append(user)
        if self.state.admin_username and self.state.admin_username not in out:
            out.insert(0, self.state.admin_username)
        return out

    def all_dirs(self) -> dict[str, str]:
        """key -> display path of every directory."""
        dirs: dict[str, str] = {}

        def add(path: str) -> None:
            while True:
                k = self.key(path)
                if k in dirs:
                    return
                dirs[k] = path
                parent = ntpath.dirname(path)
                if parent == path or not parent:
                    return
                path = parent

        for d in _WIN_STATIC_DIRS:
            add(d)
        for user in self.users_shown():
            add(f"C:\\Users\\{user}")
            for sub in _WIN_PROFILE_DIRS:
                add(f"C:\\Users\\{user}\\{sub}")
        for path in self.state.files:
            if "\x00" in path:
                continue
            if path.endswith("\\"):
                add(path.rstrip("\\") if len(path) > 3 else path)
            else:
                add(ntpath.dirname(path))
        for path in self.all_files():
            add(ntpath.dirname(path))
        return dirs

    def is_dir(self, path: str) -> bool:
        return self.key(path) in self.all_dirs()

    def exists(self, path: str) -> bool:
        return self.is_dir(path) or self.file_lookup(path) is not None

    def protected(self, path: str) -> bool:
        k = self.key(path)
        if any(self.key(d) == k for d in _WIN_STATIC_DIRS) or k in _WIN_READONLY_DIRS:
            return True
        if any(self.key(p) == k for p in _WIN_VIRTUAL_FILES if "\\panther\\" not in p.lower()):
            return True
        return any(k == self.key(f"C:\\Users\\{u}") for u in self.users_shown())

    def write(self, path: str, content: str, append: bool) -> int:
        found = self.file_lookup(path)
        target = found[0] if found else path
        old = found[1] if (found and append) else ""
        self.state.files[target] = old + content
        return len(content.encode())

    def remove(self, path: str) -> None:
        k = self.key(path)
        for p in list(self.state.files):
            pk = self.key(p)
            if pk == k or pk.startswith(k + "\\") or (k.endswith("\\") and pk.startswith(k)):
                del self.state.files[p]
        if any(self.key(v) == k or self.key(v).startswith(k + "\\") for v in self.all_files()
               if v in _WIN_VIRTUAL_FILES):
            self.state.files[path.rstrip("\\") + "\\\x00"] = ""

    def children(self, path: str) -> list[tuple[str, bool]]:
        k = self.key(path)
        out: dict[str, tuple[str, bool]] = {}
        for dk, display in self.all_dirs().items():
            if dk != k and self.key(ntpath.dirname(display)) == k:
                name = ntpath.basename(display)
                out[name.lower()] = (name, True)
        for p in self.all_files():
            if self.key(ntpath.dirname(p)) == k:
                name = ntpath.basename(p)
                out.setdefault(name.lower(), (name, False))
        return sorted(out.values(), key=lambda e: (not e[1], e[0].lower()))

    # --- parsing into statements ----------------------------------------------------------------
    def split(self, toks: list[_PTok]) -> list[list[_Element]]:
        statements: list[list[_Element]] = []
        pipeline: list[_Element] = []
        current: list[_PTok] = []
        redirs: list[tuple[str, _PTok | None]] = []

        def close_element(at: _PTok | None) -> None:
            nonlocal current, redirs
            if not current:
                if at is not None:
                    raise _PsParseError(at.start, at.end, "An empty pipe element is not allowed.",
                                        "EmptyPipeElement")
                return
            call = current[0].kind == "op" and current[0].value == "&"
            tokens = current[1:] if call else current
            if call and not tokens:
                raise _PsParseError(current[0].end, current[0].end + 1,
                                    "Missing expression after '&' in pipeline element.", "MissingExpression")
            pipeline.append(_Element(tokens, redirs, call))
            current, redirs = [], []

        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "op":
                if t.value in ("&&", "||"):
                    raise _PsParseError(t.start, t.end,
                                        f"The token '{t.value}' is not a valid statement separator in this version.",
                                        "InvalidEndOfLine")
                if t.value == "<":
                    raise _PsParseError(t.start, t.end, "The '<' operator is reserved for future use.",
                                        "RedirectionNotSupported")
                if t.value in (">", ">>", "2>", "2>>", "*>", "*>>"):
                    if i + 1 >= len(toks) or toks[i + 1].kind == "op":
                        raise _PsParseError(t.end, t.end + 1, "Missing file specification after redirection operator.",
                                            "MissingFileSpecification")
                    redirs.append((t.value, toks[i + 1]))
                    i += 2
                    continue
                if t.value == "2>&1":
                    redirs.append((t.value, None))
                    i += 1
                    continue
                if t.value == "|":
                    close_element(t)
                    i += 1
                    continue
                if t.value == ";":
                    close_element(None)
                    if pipeline:
                        statements.append(pipeline)
                    pipeline = []
                    i += 1
                    continue
                if t.value == "&" and not current:
                    current.append(t)
                    i += 1
                    continue
                if t.value == ",":
                    current.append(t)
                    i += 1
                    continue
                # ( ) { } and a misplaced &: script blocks / sub-expressions are not simulated
                current.append(t)
                i += 1
                continue
            current.append(t)
            i += 1
        close_element(None)
        if pipeline:
            statements.append(pipeline)
        return statements

    # --- execution ------------------------------------------------------------------------------
    def execute(self, text: str) -> _Res:
        if not text.strip():
            return _Res()
        self.text = text
        try:
            toks = self.lex(text)
        except _Incomplete:
            return _Res(ask=_Ask(">> ", lambda more: self.execute(text + "\n" + more)))
        try:
            statements = self.split(toks)
        except _PsParseError as err:
            return _Res(self.parse_error(err), 1)
        if not statements:
            return _Res()
        return self._run_statements(text, statements, 0, 0)

    def _run_statements(self, text: str, statements: list[list[_Element]], idx: int, status: int) -> _Res:
        if idx >= len(statements):
            return _Res(status=status)
        self.text = text
        res = self._run_pipeline(statements[idx])
        return _chain(res, lambda st: self._run_statements(text, statements, idx + 1, st))

    def _run_pipeline(self, pipeline: list[_Element]) -> _Res:
        try:
            for element in pipeline:
                for t in element.tokens:
                    if t.kind == "op" and t.value in ("(", ")", "{", "}", "&"):
                        return _Res([f"{NOTE}script blocks, sub-expressions and '{t.value}' are not simulated "
                                     "in this console; type one command at a time."], 1)
            first = pipeline[0]
            res, objects = self._run_element(first, None, last=len(pipeline) == 1)
            if res.ask is not None:
                return res
            for position, element in enumerate(pipeline[1:], start=2):
                sink_res, objects = self._run_sink(element, objects, position)
                res.lines.extend(sink_res.lines)
                res.effects.extend(sink_res.effects)
                res.status = max(res.status, sink_res.status)
                if sink_res.status and objects is None:
                    break
            if objects:
                res.lines.extend(objects)
            return res
        except _PsError as err:
            return _Res(err.lines, err.status)

    def _apply_redirects(self, element: _Element, res: _Res, objects: list[str] | None) -> list[str] | None:
        for op, target in element.redirs:
            if op in ("2>&1", "2>", "2>>") or target is None:
                continue   # error redirection is handled by the caller
            if target.raw.lower() == "$null":
                return []
            path = self.resolve(target.value)
            problem = self._write_problem(path)
            if problem:
                res.lines.extend(problem)
                res.status = 1
                return []
            text = "".join(o + "\r\n" for o in (objects or []))
            nbytes = self.write(path, text, append=op.endswith(">>"))
            res.effects.append(_block_write(nbytes * 2 + 2))   # PS 5.1 '>' writes UTF-16LE
            objects = []
        return objects

    def _write_problem(self, path: str) -> list[str] | None:
        parent = ntpath.dirname(path)
        if self.is_dir(path):
            return [f"{NOTE}'{path}' is a directory."]
        if not self.is_dir(parent):
            return [f"out-file : Could not find a part of the path '{path}'."]
        return None

    def _run_element(self, element: _Element, pipe_in: list[str] | None, last: bool) -> tuple[_Res, list[str]]:
        toks = element.tokens
        head = toks[0]
        # An expression statement: a quoted string or a variable at the start.
        if not element.call_op and (head.kind == "str" or head.raw.startswith("$")):
            if head.raw.startswith("$") and head.kind == "word":
                m = self._VAR_RE.match(head.raw)
                if m and m.end() < len(head.raw):
                    cut = head.start + m.end()
                    raise _PsError(self.parse_error(_PsParseError(
                        cut, head.end, f"Unexpected token '{head.raw[m.end():]}' in expression or statement.",
                        "UnexpectedToken")))
            if len(toks) > 1:
                nxt = toks[1]
                raise _PsError(self.parse_error(_PsParseError(
                    nxt.start, nxt.end, f"Unexpected token '{nxt.raw}' in expression or statement.",
                    "UnexpectedToken")))
            res = _Res()
            objects = self._apply_redirects(element, res, [head.value] if head.value != "" else [])
            return res, objects or []
        name = head.value
        if not name:
            raise _PsError([f"{NOTE}an empty command name is not simulated."])
        res, objects = self._invoke(name, head, toks[1:], element, pipe_in)
        if res.ask is not None:
            return res, []
        objects = self._apply_redirects(element, res, objects)
        if any(op in ("2>", "2>>") for op, _t in element.redirs):
            res.lines = []
        return res, objects or []

    # --- argument binding -----------------------------------------------------------------------
    def _units(self, args: list[_PTok]) -> list[tuple[str, Any, _PTok]]:
        """('param', (name, inline value or None), token) | ('value', [values], token)"""
        units: list[tuple[str, Any, _PTok]] = []
        i = 0
        while i < len(args):
            t = args[i]
            if t.kind == "op" and t.value == ",":
                i += 1
                continue
            if t.kind == "word" and re.match(r"^-[A-Za-z_?]", t.raw):
                name, colon, inline = t.raw[1:].partition(":")
                units.append(("param", (name, inline if colon else None), t))
                i += 1
                continue
            values = [t.value]
            j = i + 1
            while j + 1 < len(args) and args[j].kind == "op" and args[j].value == ",":
                values.append(args[j + 1].value)
                j += 2
            units.append(("value", values, t))
            i = j
        return units

    def bind(self, spec: _Spec, invocation: str, head: _PTok, args: list[_PTok]) -> dict[str, Any]:
        extent_end = args[-1].end if args else head.end
        named: dict[str, Any] = {}
        positional: list[tuple[list[str], _PTok]] = []
        units = self._units(args)
        i = 0
        all_names = list(spec.params) + list(spec.aliases)
        while i < len(units):
            kind, payload, tok = units[i]
            if kind == "value":
                positional.append((payload, tok))
                i += 1
                continue
            pname, inline = payload
            exact = [n for n in all_names if n.lower() == pname.lower()]
            matches = exact or [n for n in all_names if n.lower().startswith(pname.lower())]
            canon = {spec.aliases.get(m, m) for m in matches}
            if not canon:
                raise _PsError(self.error_record(
                    invocation, f"A parameter cannot be found that matches parameter name '{pname}'.",
                    tok.start, tok.end, "InvalidArgument", "", spec.name, "ParameterBindingException",
                    f"NamedParameterNotFound,{spec.fqcn}"))
            if len(canon) > 1:
                options = " ".join("-" + c for c in sorted(canon))
                raise _PsError(self.error_record(
                    invocation, f"Parameter cannot be processed because the parameter name '{pname}' is "
                                f"ambiguous. Possible matches include: {options}.",
                    tok.start, tok.end, "InvalidArgument", "", spec.name, "ParameterBindingException",
                    f"AmbiguousParameter,{spec.fqcn}"))
            param = canon.pop()
            if spec.params[param] == "switch":
                named[param] = inline is None or inline.lower() not in ("$false", "false", "0")
                i += 1
                continue
            if inline is not None and inline != "":
                named[param] = [inline]
                i += 1
                continue
            if i + 1 >= len(units) or units[i + 1][0] != "value":
                ptype = spec.types.get(param, "System.String")
                raise _PsError(self.error_record(
                    invocation, f"Missing an argument for parameter '{param}'. Specify a parameter of type "
                                f"'{ptype}' and try again.",
                    tok.start, tok.end, "InvalidArgument", "", spec.name, "ParameterBindingException",
                    f"MissingArgument,{spec.fqcn}"))
            named[param] = units[i + 1][1]
            i += 2
        free = [p for p in spec.positional if p not in named]
        for values, tok in positional:
            if not free and spec.remaining and spec.remaining in named:
                named[spec.remaining] = list(named[spec.remaining]) + list(values)
                continue
            if not free:
                raise _PsError(self.error_record(
                    invocation, f"A positional parameter cannot be found that accepts argument '{tok.value}'.",
                    head.start, extent_end, "InvalidArgument", "", spec.name, "ParameterBindingException",
                    f"PositionalParameterNotFound,{spec.fqcn}"))
            named[free.pop(0)] = values
        return named

    def missing_mandatory(self, spec: _Spec, invocation: str, head: _PTok, args: list[_PTok],
                          named: dict[str, Any], alternatives: tuple[str, ...] = ()) -> None:
        # Interactive PowerShell would prompt "Supply values for the following parameters"; this
        # console reports it as a non-interactive host (Run Command) does.
        missing = [p for p in spec.mandatory if p not in named and not any(a in named for a in alternatives)]
        if missing:
            end = args[-1].end if args else head.end
            raise _PsError(self.error_record(
                invocation, "Cannot process command because of one or more missing mandatory parameters: "
                            f"{' '.join(missing)}.",
                head.start, end, "InvalidArgument", "", spec.name, "ParameterBindingException",
                f"MissingMandatoryParameter,{spec.fqcn}"))

    def item_not_found(self, invocation: str, spec: _Spec, path: str, head: _PTok, end: int) -> _PsError:
        return _PsError(self.error_record(
            invocation, f"Cannot find path '{path}' because it does not exist.", head.start, end,
            "ObjectNotFound", path, spec.name, "ItemNotFoundException", f"PathNotFound,{spec.fqcn}"))

    def simulated_commands(self) -> list[str]:
        return sorted(spec.name for spec in _SPECS.values()) + [
            "hostname", "whoami", "shutdown", "net", "cmd", _SYSPREP_EXE.replace("c:\\windows\\system32\\sysprep",
                                                                             "C:\\Windows\\System32\\Sysprep")]

    # --- dispatch -------------------------------------------------------------------------------
    def _invoke(self, name: str, head: _PTok, args: list[_PTok], element: _Element,
                pipe_in: list[str] | None) -> tuple[_Res, list[str]]:
        low = name.lower()
        if low.endswith(".exe") and "\\" not in low and "/" not in low:
            base = low[:-4]
        else:
            base = low
        # Anything with a path separator is a file to run.
        if "\\" in name or "/" in name or element.call_op and (low.endswith(".exe") or "\\" in low):
            return self._run_path(name, head, args)
        if base == "hostname":
            return self._hostname(args), []
        if base == "whoami":
            return self._whoami(args), []
        if base == "shutdown":
            return self._shutdown([a.value for a in args]), []
        if base == "cmd":
            return self._cmd([a.value for a in args]), []
        if base == "net" or base == "net1":
            return self._net([a.value for a in args]), []
        if low in ("sysprep", "sysprep.exe"):
            return self._maybe_here(name, head), []
        if low == "exit":
            return _Res([f"{NOTE}closing the session is done from the lab, not with 'exit'."], 1), []
        cmdlet = _PS_ALIASES.get(low, low)
        if cmdlet in ("mkdir", "md"):
            return self._new_item(name, head, args, directory=True)
        spec = _SPECS.get(cmdlet)
        if cmdlet in ("install-windowsfeature", "get-windowsfeature") and "server" not in self.state.os_name.lower():
            spec = None
        if spec is not None:
            method = getattr(self, "c_" + cmdlet.replace("-", "_"))
            return method(spec, name, head, args, pipe_in)
        if low in _PS_UNSIMULATED or cmdlet in _PS_UNSIMULATED:
            return _Res([f"{NOTE}'{name}' is not simulated in this lab console."], 1), []
        lines = self.not_recognized(name, head.start, head.end)
        if self._in_cwd(name):
            lines.append("")
            lines.append(f"Suggestion [3,General]: The command {name} was not found, but does exist in the current "
                         "location. Windows PowerShell does not load commands from the current location by "
                         f"default. If you trust this command, instead type: \".\\{name}\". See \"get-help "
                         "about_Command_Precedence\" for more details.")
        return _Res(lines, 1), []

    def _in_cwd(self, name: str) -> bool:
        candidates = [name, name + ".exe"]
        return any(self.file_lookup(self.resolve(c)) is not None for c in candidates
                   if "\\" not in c and "/" not in c)

    def _maybe_here(self, name: str, head: _PTok) -> _Res:
        lines = self.not_recognized(name, head.start, head.end)
        if self._in_cwd(name):
            lines.append("")
            lines.append(f"Suggestion [3,General]: The command {name} was not found, but does exist in the current "
                         "location. Windows PowerShell does not load commands from the current location by "
                         f"default. If you trust this command, instead type: \".\\{name}\". See \"get-help "
                         "about_Command_Precedence\" for more details.")
        return _Res(lines, 1)

    def _run_path(self, name: str, head: _PTok, args: list[_PTok]) -> tuple[_Res, list[str]]:
        path = self.resolve(name)
        target = self.file_lookup(path) or self.file_lookup(path + ".exe")
        if target is None:
            return _Res(self.not_recognized(name, head.start, head.end), 1), []
        if self.key(target[0]) == _SYSPREP_EXE:
            return self.sysprep([a.value for a in args]), []
        return _Res([f"{NOTE}running '{target[0]}' is not simulated."], 1), []

    # --- native programs ------------------------------------------------------------------------
    def _hostname(self, args: list[_PTok]) -> _Res:
        if args:
            return _Res(["sethostname: Use the Network Control Panel Applet to set hostname."], 1)
        return _Res([self.state.computer_name])

    def _sid_for(self, user: str) -> str:
        machine = self.session_sid or self.state.sid or _fallback_sid(self.state)
        if user == self.state.admin_username or user.lower() == "administrator":
            return f"{machine}-500"   # Azure's admin is the built-in Administrator, renamed
        others = [u for u in self.users_shown() if u != self.state.admin_username]
        return f"{machine}-{1000 + (others.index(user) if user in others else 0)}"

    def _whoami(self, args: list[_PTok]) -> _Res:
        if self.service:
            name, sid = "nt authority\\system", "S-1-5-18"
        else:
            name = f"{self.state.computer_name[:15]}\\{self.user}".lower()
            sid = self._sid_for(self.user)
        if not args:
            return _Res([name])
        opt = args[0].value.lower()
        if opt == "/user" and len(args) == 1:
            w1, w2 = max(len("User Name"), len(name)), max(len("SID"), len(sid))
            return _Res(["", "USER INFORMATION", "----------------", "",
                         f"{'User Name'.ljust(w1)} {'SID'.ljust(w2)}".rstrip(),
                         f"{'=' * w1} {'=' * w2}", f"{name.ljust(w1)} {sid}"])
        if opt in ("/groups", "/priv", "/all", "/upn", "/fqdn", "/logonid", "/?", "/fo", "/nh"):
            return _Res([f"{NOTE}'whoami {args[0].value}' is not simulated; 'whoami' and 'whoami /user' are."], 1)
        return _Res([f"ERROR: Invalid argument/option - '{args[0].value}'.", 'Type "WHOAMI /?" for usage.'], 1)

    def _shutdown(self, args: list[str]) -> _Res:
        usage = ["Usage: shutdown [/i | /l | /s | /sg | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/fw] [/f]",
                 "    [/m \\\\computer][/t xxx][/d [p|u:]xx:yy [/c \"comment\"]]",
                 "",
                 "    No args    Display help. This is the same as typing /?.",
                 "    /s         Shutdown the computer.",
                 "    /r         Full shutdown and restart the computer.",
                 "    /p         Turn off the local computer with no time-out or warning.",
                 "    /t xxx     Set the time-out period before shutdown to xxx seconds.",
                 "               The valid range is 0-315360000 (10 years), with a default of 30.",
                 f"{NOTE}(the rest of shutdown's help is omitted)"]
        mode = None
        delay: float | None = None
        i = 0
        while i < len(args):
            a = args[i].lower()
            if re.fullmatch(r"[/-](s|r|p|a|l|h|g|sg|hybrid|f|soft|fw|e|i|o)", a):
                flag = a[1:]
                if flag in ("s", "r", "p", "a", "l", "h", "g", "sg", "e", "i", "o"):
                    mode = flag
            elif re.fullmatch(r"[/-]t", a):
                if i + 1 >= len(args) or not args[i + 1].isdigit():
                    return _Res(usage, 1)
                delay = float(args[i + 1])
                i += 1
            elif re.fullmatch(r"[/-][cd]", a):
                i += 1
            elif a in ("/?", "-?"):
                return _Res(usage, 0)
            else:
                return _Res(usage, 1)
            i += 1
        if mode is None:
            return _Res(usage, 0 if not args else 1)
        os_time = self.console.duration("guest.shutdown")
        if mode == "a":
            return _Res(["Unable to abort the system shutdown because no shutdown was in progress.(1116)"], 1116)
        if mode in ("s", "sg"):
            wait = 30.0 if delay is None else delay
            return _Res(effects=[Shutdown(wait + os_time, scheduled_in=wait)])
        if mode == "p":
            return _Res(effects=[Shutdown(os_time)])
        if mode in ("r", "g"):
            return _Res(effects=[Reboot((30.0 if delay is None else delay) + os_time)])
        return _Res([f"{NOTE}'shutdown /{mode}' is not simulated."], 1)

    def _net(self, args: list[str]) -> _Res:
        if args and args[0].lower() == "user":
            rest = args[1:]
            if not rest:
                names = sorted(self.users_shown() + ["DefaultAccount", "Guest", "WDAGUtilityAccount"],
                               key=str.lower)
                rows = []
                for i in range(0, len(names), 3):
                    rows.append("".join(n.ljust(25) for n in names[i:i + 3]).rstrip())
                return _Res(["", f"User accounts for \\\\{self.state.computer_name.upper()[:15]}", "",
                             "-" * 79] + rows + ["The command completed successfully.", ""])
            if len(rest) >= 2 and rest[-1].lower() == "/add":
                new = rest[0]
                if new.lower() in (u.lower() for u in self.users_shown() + ["Guest", "DefaultAccount",
                                                                             "WDAGUtilityAccount"]):
                    return _Res(["The account already exists.", "", "More help is available by typing NET HELPMSG 2224.",
                                 ""], 2)
                self.state.users.append(new)
                return _Res(["The command completed successfully.", ""], 0, [_block_write(4096)])
        return _Res([f"{NOTE}only 'net user' and 'net user NAME PASSWORD /add' are simulated."], 1)

    def _cmd(self, args: list[str]) -> _Res:
        if not args or args[0].lower() not in ("/c", "/k"):
            return _Res([f"{NOTE}an interactive cmd.exe session is not simulated; use 'cmd /c COMMAND'."], 1)
        line = " ".join(args[1:])
        if len(line) >= 2 and line[0] == line[-1] == '"':
            line = line[1:-1]
        cwd = self.cwd
        res = _Res()
        for part in re.split(r"\s*&&?\s*", line):
            part = re.sub(r"%([^%]+)%", lambda m: self.env(m.group(1)) if self.env(m.group(1)) is not None
                          else m.group(0), part).strip()
            if not part:
                continue
            words = [w.strip('"') for w in re.findall(r'"[^"]*"|\S+', part)]
            prog, rest = words[0], words[1:]
            low = prog.lower()
            step: _Res
            if low == "cd" or low.startswith("cd\\"):
                target = [w for w in rest if w.lower() != "/d"]
                path = ntpath.normpath(target[0] if target and re.match(r"^[A-Za-z]:", target[0])
                                       else cwd + "\\" + (target[0] if target else ""))
                if not self.is_dir(path):
                    step = _Res(["The system cannot find the path specified."], 1)
                else:
                    cwd = path
                    step = _Res()
            elif low in ("hostname", "hostname.exe"):
                step = _Res([self.state.computer_name])
            elif low in ("whoami", "whoami.exe"):
                step = self._whoami([_PTok("word", w, 0, 0, w) for w in rest])
            elif low in ("shutdown", "shutdown.exe"):
                step = self._shutdown(rest)
            elif low == "echo":
                step = _Res([" ".join(rest)])
            elif low == "type":
                found = self.file_lookup(ntpath.normpath(rest[0] if rest and re.match(r"^[A-Za-z]:", rest[0])
                                                         else cwd + "\\" + (rest[0] if rest else "")))
                step = (_Res(found[1].rstrip("\r\n").split("\n")) if found
                        else _Res(["The system cannot find the file specified."], 1))
            else:
                # cmd looks in the current directory before PATH
                path = prog if re.match(r"^[A-Za-z]:", prog) else cwd + "\\" + prog
                path = ntpath.normpath(path)
                found = self.file_lookup(path) or self.file_lookup(path + ".exe")
                if found and self.key(found[0]) == _SYSPREP_EXE:
                    step = self.sysprep(rest)
                else:
                    step = _Res([f"'{prog}' is not recognized as an internal or external command,",
                                 "operable program or batch file."], 1)
            res.lines.extend(step.lines)
            res.effects.extend(step.effects)
            res.status = step.status
            if step.status != 0:
                break
        return res

    # --- sysprep --------------------------------------------------------------------------------
    def sysprep(self, args: list[str]) -> _Res:
        words: list[str] = []
        for a in args:
            words.extend(a.split())
        flags = [w.lower() for w in words]
        if not flags:
            return _Res([f"{NOTE}the System Preparation Tool window opened on the desktop; this lab drives "
                         "Sysprep from its command line, e.g. /generalize /oobe /shutdown."])
        known = {"/generalize", "/oobe", "/audit", "/shutdown", "/reboot", "/quit", "/quiet", "/mode:vm"}
        unknown = [w for w, f in zip(words, flags) if f not in known and not f.startswith("/unattend:")]
        actions = [f for f in flags if f in ("/shutdown", "/reboot", "/quit")]
        problem = None
        if unknown:
            problem = f"unknown option {unknown[0]}"
        elif "/oobe" in flags and "/audit" in flags:
            problem = "/oobe and /audit cannot be used together"
        elif len(set(actions)) > 1:
            problem = "only one of /shutdown, /reboot and /quit can be given"
        elif "/mode:vm" in flags and "/generalize" not in flags:
            problem = "/mode:vm can only be used with /generalize"
        if problem:
            # Sysprep reports bad arguments in a message box, not on the console.
            return _Res([f"{NOTE}Sysprep showed an error dialog on the desktop ({problem}) and did nothing."])
        st = self.state
        if "/generalize" in flags:
            # The machine SID is removed (a new one is made in the specialize pass of the next boot);
            # local accounts, their profiles and files stay. This session keeps its logon token.
            st.sid = None
            st.prepared = "sysprepped"
        if "/oobe" in flags:
            st.oobe = True
        elif "/audit" in flags:
            st.oobe = False
        action = actions[0] if actions else "/" + _SYSPREP_DEFAULT_ACTION
        effects: list[Any] = [DiskWrite(64 << 20)] if "/generalize" in flags else [DiskWrite(4 << 20)]
        # Sysprep is a GUI program: PowerShell does not wait for it and prints nothing.
        if action == "/shutdown":
            effects.append(Shutdown(self.console.duration("guest.sysprep")))
        elif action == "/reboot":
            effects.append(Reboot(self.console.duration("guest.sysprep")))
        return _Res([], 0, effects)

    # --- cmdlets --------------------------------------------------------------------------------
    def _paths(self, named: dict[str, Any]) -> list[str]:
        values = named.get("Path") or named.get("LiteralPath") or named.get("FilePath") or []
        return [v for v in values if v != ""]

    def _extent_end(self, head: _PTok, args: list[_PTok]) -> int:
        return args[-1].end if args else head.end

    def _suppressed(self, named: dict[str, Any]) -> bool:
        return bool(named.get("ErrorAction")) and named["ErrorAction"][0].lower() in ("silentlycontinue", "ignore")

    def c_get_content(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        out: list[str] = []
        res = _Res()
        for p in self._paths(named):
            path = self.resolve(p)
            found = self.file_lookup(path)
            if found is None:
                if self.is_dir(path):
                    lines = self.error_record(inv, f"Access to the path '{path}' is denied.", head.start,
                                              self._extent_end(head, args), "PermissionDenied", path, spec.name,
                                              "UnauthorizedAccessException",
                                              f"GetContentReaderUnauthorizedAccessError,{spec.fqcn}")
                else:
                    lines = self.item_not_found(inv, spec, path, head, self._extent_end(head, args)).lines
                if not self._suppressed(named):
                    res.lines.extend(lines)
                res.status = 1
                continue
            content = found[1].replace("\r\n", "\n")
            if content.endswith("\n"):
                content = content[:-1]
            if content != "" or found[1] != "":
                out.extend(content.split("\n"))
        return res, out

    def _write_content(self, spec, inv, head, args, pipe_in, append: bool):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        values = named.get("Value")
        if values is None:
            values = pipe_in if pipe_in is not None else None
        if values is None:
            raise _PsError(self.error_record(
                inv, "Cannot process command because of one or more missing mandatory parameters: Value.",
                head.start, self._extent_end(head, args), "InvalidArgument", "", spec.name,
                "ParameterBindingException", f"MissingMandatoryParameter,{spec.fqcn}"))
        return self._store(spec, inv, head, args, self._paths(named), [str(v) for v in values], append,
                           named.get("NoNewline", False))

    def _store(self, spec, inv, head, args, paths, values, append, no_newline=False):
        res = _Res()
        text = ("".join(values)) if no_newline else "".join(v + "\r\n" for v in values)
        for p in paths:
            path = self.resolve(p)
            parent = ntpath.dirname(path)
            if self.is_dir(path):
                res.lines.extend(self.error_record(
                    inv, f"Access to the path '{path}' is denied.", head.start, self._extent_end(head, args),
                    "PermissionDenied", path, spec.name, "UnauthorizedAccessException",
                    f"GetContentWriterUnauthorizedAccessError,{spec.fqcn}"))
                res.status = 1
                continue
            if not self.is_dir(parent):
                res.lines.extend(self.error_record(
                    inv, f"Could not find a part of the path '{path}'.", head.start, self._extent_end(head, args),
                    "ObjectNotFound", parent, spec.name, "DirectoryNotFoundException",
                    f"GetContentWriterDirectoryNotFoundError,{spec.fqcn}"))
                res.status = 1
                continue
            nbytes = self.write(path, text, append)
            res.effects.append(_block_write(nbytes))
        return res, []

    def c_set_content(self, spec, inv, head, args, pipe_in):
        return self._write_content(spec, inv, head, args, pipe_in, append=False)

    def c_add_content(self, spec, inv, head, args, pipe_in):
        return self._write_content(spec, inv, head, args, pipe_in, append=True)

    def c_out_file(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        values = pipe_in if pipe_in is not None else (named.get("InputObject") or [])
        paths = self._paths(named)[:1]
        return self._store(spec, inv, head, args, paths, [str(v) for v in values], bool(named.get("Append")),
                           bool(named.get("NoNewline")))

    def c_out_null(self, spec, inv, head, args, pipe_in):
        self.bind(spec, inv, head, args)
        return _Res(), []

    def c_write_output(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        values = list(named.get("InputObject") or [])
        if pipe_in is not None:
            values = list(pipe_in) + values
        return _Res(), [str(v) for v in values]

    def c_write_host(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        sep = (named.get("Separator") or [" "])[0]
        return _Res([sep.join(str(v) for v in named.get("Object") or [])]), []

    def c_clear_host(self, spec, inv, head, args, pipe_in):
        return _Res(), []

    def c_get_location(self, spec, inv, head, args, pipe_in):
        self.bind(spec, inv, head, args)
        return _Res(), ["", "Path", "----", self.cwd, ""]

    def c_set_location(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        paths = self._paths(named)
        if not paths:
            return _Res(), []
        raw = paths[0]
        if re.match(r"^[A-Za-z]:", raw) and raw[0].upper() != "C":
            return self._drive_not_found(spec, inv, head, args, raw[0].upper())
        path = self.resolve(raw)
        if not self.is_dir(path):
            if self.file_lookup(path) is not None:
                # Set-Location on a file
                raise _PsError(self.error_record(
                    inv, f"Cannot find path '{path}' because it does not exist.", head.start,
                    self._extent_end(head, args), "ObjectNotFound", path, spec.name, "ItemNotFoundException",
                    f"PathNotFound,{spec.fqcn}"))
            raise self.item_not_found(inv, spec, path, head, self._extent_end(head, args))
        self.cwd = path
        return _Res(), []

    def _drive_not_found(self, spec, inv, head, args, drive: str):
        if drive == "D":
            return _Res([f"{NOTE}the temporary disk (D:) is not simulated."], 1), []
        raise _PsError(self.error_record(
            inv, f"Cannot find drive. A drive with the name '{drive}' does not exist.", head.start,
            self._extent_end(head, args), "ObjectNotFound", drive, spec.name, "DriveNotFoundException",
            f"DriveNotFound,{spec.fqcn}"))

    def _stamp(self) -> str:
        now = self.console.now()
        date = f"{now.month}/{now.day}/{now.year}"
        hour = now.hour % 12 or 12
        time = f"{hour}:{now.minute:02d} {'AM' if now.hour < 12 else 'PM'}"
        return f"{date:>10}  {time:>8}"

    def _table(self, directory: str, entries: list[tuple[str, bool, int]]) -> list[str]:
        lines = ["", "", f"    Directory: {directory}", "", "",
                 f"{'Mode':<7} {'LastWriteTime':>25} {'Length':>14} Name",
                 f"{'----':<7} {'-------------':>25} {'------':>14} ----"]
        stamp = self._stamp()
        for name, is_dir, length in entries:
            full_key = self.key(directory.rstrip("\\") + "\\" + name)
            if is_dir:
                readonly = full_key in _WIN_READONLY_DIRS or name in _WIN_PROFILE_DIRS or full_key == "c:\\users"
                mode = "d-r---" if readonly else "d-----"
                lines.append(f"{mode:<7} {stamp:>25} {'':>14} {name}")
            else:
                lines.append(f"{'-a----':<7} {stamp:>25} {length:>14} {name}")
        lines.append("")
        return lines

    def c_get_childitem(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        paths = self._paths(named) or ["."]
        if named.get("Recurse"):
            return _Res([f"{NOTE}'Get-ChildItem -Recurse' is not simulated."], 1), []
        res = _Res()
        out: list[str] = []
        for raw in paths:
            if re.match(r"^[A-Za-z]:", raw) and raw[0].upper() != "C":
                r, _o = self._drive_not_found(spec, inv, head, args, raw[0].upper())
                res.lines.extend(r.lines)
                res.status = 1
                continue
            path = self.resolve(raw)
            found = self.file_lookup(path)
            if self.is_dir(path):
                shown = self.all_dirs()[self.key(path)]
                entries = [(n, d, 0 if d else self._length(shown.rstrip("\\") + "\\" + n))
                           for n, d in self.children(path)]
                if named.get("Directory"):
                    entries = [e for e in entries if e[1]]
                if named.get("File"):
                    entries = [e for e in entries if not e[1]]
                if named.get("Name"):
                    out.extend(e[0] for e in entries)
                elif entries:
                    out.extend(self._table(path if len(path) > 3 else path, entries))
            elif found is not None:
                if named.get("Name"):
                    out.append(ntpath.basename(found[0]))
                else:
                    out.extend(self._table(ntpath.dirname(path), [(ntpath.basename(found[0]), False,
                                                                   self._length(found[0]))]))
            else:
                if not self._suppressed(named):
                    res.lines.extend(self.item_not_found(inv, spec, path, head, self._extent_end(head, args)).lines)
                res.status = 1
        return res, out

    def _length(self, path: str) -> int:
        found = self.file_lookup(path)
        if found is None:
            return 0
        if found[0] in _WIN_VIRTUAL_SIZES:
            return _WIN_VIRTUAL_SIZES[found[0]]
        return len(found[1].encode())

    def c_test_path(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        kind = (named.get("PathType") or ["Any"])[0].lower()
        out = []
        for p in self._paths(named):
            path = self.resolve(p)
            if kind == "container":
                ok = self.is_dir(path)
            elif kind == "leaf":
                ok = self.file_lookup(path) is not None
            else:
                ok = self.exists(path)
            out.append("True" if ok else "False")
        return _Res(), out

    def c_new_item(self, spec, inv, head, args, pipe_in):
        return self._new_item(inv, head, args, directory=False)

    def _new_item(self, inv, head, args, directory: bool):
        spec = _SPECS["new-item"]
        named = self.bind(spec, inv, head, args)
        paths = self._paths(named)
        if not paths and named.get("Name"):
            paths = ["."]
        if not paths:
            self.missing_mandatory(spec, inv, head, args, named)
        item_type = "directory" if directory else (named.get("ItemType") or ["File"])[0].lower()
        if item_type not in ("directory", "file"):
            return _Res([f"{NOTE}New-Item -ItemType {item_type} is not simulated."], 1), []
        res = _Res()
        out: list[str] = []
        for p in paths:
            if named.get("Name"):
                p = p.rstrip("\\/") + "\\" + named["Name"][0]
            path = self.resolve(p)
            parent = ntpath.dirname(path)
            end = self._extent_end(head, args)
            if item_type == "directory":
                if self.is_dir(path) and not named.get("Force"):
                    raise _PsError(self.error_record(
                        inv, f"An item with the specified name {path} already exists.", head.start, end,
                        "ResourceExists", path, "New-Item", "IOException", f"DirectoryExist,{spec.fqcn}"))
                if self.file_lookup(path) is not None:
                    raise _PsError(self.error_record(
                        inv, f"An item with the specified name {path} already exists.", head.start, end,
                        "ResourceExists", path, "New-Item", "IOException", f"DirectoryExist,{spec.fqcn}"))
                self.state.files[path.rstrip("\\") + "\\"] = ""
                res.effects.append(_block_write(0))
                out.extend(self._table(parent, [(ntpath.basename(path), True, 0)]))
            else:
                if self.file_lookup(path) is not None and not named.get("Force"):
                    raise _PsError(self.error_record(
                        inv, f"The file '{path}' already exists.", head.start, end, "WriteError", path,
                        "New-Item", "IOException", f"NewItemIOError,{spec.fqcn}"))
                if not self.is_dir(parent):
                    if named.get("Force"):
                        self.state.files[parent.rstrip("\\") + "\\"] = ""
                    else:
                        raise _PsError(self.error_record(
                            inv, f"Could not find a part of the path '{path}'.", head.start, end, "WriteError",
                            path, "New-Item", "DirectoryNotFoundException", f"NewItemIOError,{spec.fqcn}"))
                value = "".join(named.get("Value") or [])
                self.write(path, value, append=False)
                res.effects.append(_block_write(len(value.encode())))
                out.extend(self._table(parent, [(ntpath.basename(path), False, len(value.encode()))]))
        return res, out

    def c_remove_item(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        res = _Res()
        end = self._extent_end(head, args)
        pending: list[str] = []
        for p in self._paths(named):
            path = self.resolve(p)
            if not self.exists(path):
                if not self._suppressed(named):
                    res.lines.extend(self.item_not_found(inv, spec, path, head, end).lines)
                res.status = 1
                continue
            if self.protected(path) or self.key(self.cwd).startswith(self.key(path)):
                res.lines.append(f"{NOTE}removing '{path}' is not simulated.")
                res.status = 1
                continue
            if self.is_dir(path) and self.children(path) and not named.get("Recurse"):
                pending.append(path)
                continue
            self.remove(path)
            res.effects.append(_block_write(0))
        if not pending:
            return res, []
        if self.service:
            res.lines.extend(self.error_record(
                inv, "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.",
                head.start, end, "InvalidOperation", "", spec.name, "PSInvalidOperationException",
                f"InvalidOperation,{spec.fqcn}"))
            res.status = 1
            return res, []
        return self._confirm_remove(res, pending), []

    def _confirm_remove(self, res: _Res, pending: list[str]) -> _Res:
        path = pending[0]
        question = ('[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ')
        text = ["", "Confirm",
                f"The item at {path} has children and the Recurse parameter was not specified. If you continue, "
                "all children will be removed with the item. Are you sure you want to continue?"]

        def answer(reply: str) -> _Res:
            r = reply.strip().lower()
            if r in ("", "y", "a"):
                targets = pending if r == "a" else [path]
                for t in targets:
                    self.remove(t)
                rest = [p for p in pending if p not in targets]
                out = _Res(effects=[_block_write(0)])
                return self._confirm_remove(out, rest) if rest else out
            if r in ("n", "l"):
                rest = pending[1:] if r == "n" else []
                return self._confirm_remove(_Res(), rest) if rest else _Res()
            if r == "s":
                return _Res([f"{NOTE}suspending to a nested prompt is not simulated; answer Y or N."],
                            ask=_Ask(question, answer))
            if r == "?":
                return _Res(["Y - Continue with only the next step of the operation.",
                             "A - Continue with all the steps of the operation.",
                             "N - Skip this operation and proceed with the next operation.",
                             "L - Skip this operation and all subsequent operations.",
                             "S - Pause the current pipeline and return to the command prompt. Type \"exit\" to "
                             "resume the pipeline."], ask=_Ask(question, answer))
            return _Res(ask=_Ask(question, answer))

        return _Res(res.lines + text, res.status, res.effects, _Ask(question, answer))

    # --- Windows features -----------------------------------------------------------------------
    def _feature_installed(self, name: str) -> bool:
        lowered = {i.lower() for i in self.state.installed}
        return name.lower() in lowered or name in _FEATURE_ALWAYS

    def _depth(self, name: str) -> int:
        depth = 0
        parent = _FEATURES[name][1]
        while parent:
            depth += 1
            parent = _FEATURES[parent][1]
        return depth

    def c_get_windowsfeature(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        wanted = named.get("Name")
        names = list(_FEATURES)
        if wanted:
            pats = [w.lower() for w in wanted]
            names = [n for n in names if any(fnmatch.fnmatch(n.lower(), p) for p in pats)]
        if not names:
            return _Res(), []
        out = ["", f"{'Display Name':<55} {'Name':<26} {'Install State':>13}",
               f"{'------------':<55} {'----':<26} {'-------------':>13}"]
        for n in names:
            display, _parent, _size = _FEATURES[n]
            mark = "[X]" if self._feature_installed(n) else "[ ]"
            label = f"{'    ' * self._depth(n)}{mark} {display}"
            state = "Installed" if self._feature_installed(n) else "Available"
            out.append(f"{label:<55} {n:<26} {state:>13}")
        out.append("")
        return _Res(), out

    def c_install_windowsfeature(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named)
        header = ["", "Success Restart Needed Exit Code      Feature Result",
                  "------- -------------- ---------      --------------"]
        requested = named.get("Name") or []
        canon: list[str] = []
        by_lower = {n.lower(): n for n in _FEATURES}
        for r in requested:
            if r.lower() not in by_lower:
                lines = self.error_record(
                    inv, f"ArgumentNotValid: The role, role service, or feature name is not valid: '{r}'. "
                         "The name was not found.",
                    head.start, self._extent_end(head, args), "InvalidArgument", r, spec.name, "Exception",
                    f"NameDoesNotExist,{spec.fqcn}")
                return _Res(lines + header + [f"{'False':<7} {'No':<14} {'InvalidArgs':<14} {{}}", ""], 1), []
            canon.append(by_lower[r.lower()])
        if named.get("ComputerName"):
            return _Res([f"{NOTE}installing features on another computer is not simulated."], 1), []
        todo: list[str] = []

        def want(n: str) -> None:
            chain = []
            p: str | None = n
            while p:
                chain.append(p)
                p = _FEATURES[p][1]
            for item in reversed(chain):
                if item not in todo:
                    todo.append(item)

        for n in canon:
            want(n)
            subs = _FEATURE_DEFAULTS.get(n, ())
            if named.get("IncludeAllSubFeature"):
                subs = tuple(k for k in _FEATURES if self._is_under(k, n) and k not in _FEATURE_TOOLS.get(n, ()))
            for s in subs:
                want(s)
            if named.get("IncludeManagementTools"):
                for t in _FEATURE_TOOLS.get(n, ()):
                    want(t)
        new = [n for n in todo if not self._feature_installed(n)]
        if named.get("WhatIf"):
            return _Res(["What if: Continue with installation?"]), []
        if not new:
            return _Res(), header + [f"{'True':<7} {'No':<14} {'NoChangeNeeded':<14} {{}}", ""]
        # Feature Result lists role services before the roles that hold them.
        order = [n for n in _FEATURES if n in new]
        displays = ([_FEATURES[n][0] for n in order if self._depth(n) >= 2]
                    + [_FEATURES[n][0] for n in order if self._depth(n) < 2])
        result = "{" + ", ".join(displays) + "}"
        if len(result) > 45:
            result = result[:42] + "..."
        self.state.installed.extend(new)
        self.state.sort_installed()
        written = sum(_FEATURES[n][2] for n in new)
        if "Web-Server" in new:
            self.state.files["C:\\inetpub\\wwwroot\\iisstart.htm"] = _IIS_START
            self.state.files.setdefault("C:\\inetpub\\logs\\", "")
            self.state.files.setdefault("C:\\inetpub\\temp\\", "")
            self.state.files.setdefault("C:\\inetpub\\custerr\\", "")
            written += len(_IIS_START)
        return _Res(effects=[DiskWrite(written)]), header + [
            f"{'True':<7} {'No':<14} {'Success':<14} {result}", ""]

    @staticmethod
    def _is_under(name: str, ancestor: str) -> bool:
        parent = _FEATURES[name][1]
        while parent:
            if parent == ancestor:
                return True
            parent = _FEATURES[parent][1]
        return False

    def c_get_localuser(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        rows = [(self.state.admin_username or "Administrator", "True",
                 "Built-in account for administering the computer/domain"),
                ("DefaultAccount", "False", "A user account managed by the system."),
                ("Guest", "False", "Built-in account for guest access to the computer/domain"),
                ("WDAGUtilityAccount", "False", "A user account managed and used by the system for Windows "
                                               "Defender Application Guard scenarios.")]
        rows += [(u, "True", "") for u in self.users_shown() if u != self.state.admin_username]
        rows.sort(key=lambda r: r[0].lower())
        if named.get("Name"):
            wanted = {n.lower() for n in named["Name"]}
            rows = [r for r in rows if r[0].lower() in wanted]
        width = max(4, *(len(r[0]) for r in rows)) if rows else 4
        out = ["", f"{'Name':<{width}} Enabled Description", f"{'----':<{width}} ------- -----------"]
        out += [f"{n:<{width}} {e:<7} {d}".rstrip() for n, e, d in rows]
        out.append("")
        return _Res(), out

    def c_stop_computer(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        if any(c.lower() not in ("localhost", ".", self.state.computer_name.lower())
               for c in named.get("ComputerName") or []):
            return _Res([f"{NOTE}stopping another computer is not simulated."], 1), []
        return _Res(effects=[Shutdown(self.console.duration("guest.shutdown"))]), []

    def c_restart_computer(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        if any(c.lower() not in ("localhost", ".", self.state.computer_name.lower())
               for c in named.get("ComputerName") or []):
            return _Res([f"{NOTE}restarting another computer is not simulated."], 1), []
        return _Res(effects=[Reboot(self.console.duration("guest.shutdown"))]), []

    def c_start_process(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named)
        file = named["FilePath"][0]
        arglist: list[str] = []
        for a in named.get("ArgumentList") or []:
            arglist.extend(str(a).split())
        low = file.lower()
        if low in ("shutdown", "shutdown.exe") or self.key(self.resolve(file)).endswith("\\system32\\shutdown.exe"):
            return self._shutdown(arglist), []
        if low in ("cmd", "cmd.exe"):
            return self._cmd(arglist), []
        path = self.resolve(file) if ("\\" in file or "/" in file or ":" in file) else None
        found = None
        if path is not None:
            found = self.file_lookup(path) or self.file_lookup(path + ".exe")
        if found is not None and self.key(found[0]) == _SYSPREP_EXE:
            return self.sysprep(arglist), []
        if found is None and path is not None:
            raise _PsError(self.error_record(
                inv, "This command cannot be run due to the error: The system cannot find the file specified.",
                head.start, self._extent_end(head, args), "InvalidOperation", "", spec.name,
                "InvalidOperationException", f"InvalidOperationException,{spec.fqcn}"))
        return _Res([f"{NOTE}starting '{file}' is not simulated."], 1), []

    # --- pipeline sinks -------------------------------------------------------------------------
    def _run_sink(self, element: _Element, objects: list[str], position: int) -> tuple[_Res, list[str] | None]:
        head = element.tokens[0]
        name = head.value.lower()
        cmdlet = _PS_ALIASES.get(name, name)
        if cmdlet in ("out-file", "set-content", "add-content", "out-null", "write-output", "tee-object"):
            if cmdlet == "tee-object":
                return _Res([f"{NOTE}'Tee-Object' is not simulated."], 1), None
            spec = _SPECS[cmdlet]
            res, out = getattr(self, "c_" + cmdlet.replace("-", "_"))(spec, head.value, head, element.tokens[1:],
                                                                       objects)
            out = self._apply_redirects(element, res, out)
            return res, out
        if head.kind != "word":
            raise _PsError(self.parse_error(_PsParseError(
                head.start, head.end, "Expressions are only allowed as the first element of a pipeline.",
                "ExpressionsMustBeFirstInPipeline")))
        if cmdlet in _SPECS or cmdlet in _PS_UNSIMULATED or name in _PS_UNSIMULATED:
            return _Res([f"{NOTE}piping into '{head.value}' is not simulated; Out-File, Set-Content, "
                         "Add-Content and Out-Null are."], 1), None
        return _Res(self.not_recognized(head.value, head.start, head.end), 1), None
