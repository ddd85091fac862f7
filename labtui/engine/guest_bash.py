"""The Linux guest console: bash as the admin user over SSH, with ``sudo`` (passwordless, as
Azure's provisioning configures it for the admin user when the VM was created with an SSH key
[assumption]).

Besides the shell (its parser, builtins and the commands it simulates) this module holds the
catalogues it reads: the filesystem every distribution has, and what apt installs on Ubuntu.

Modelling decisions that matter for what a student learns (each is written where it is used):

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
import posixpath
import re
from typing import TYPE_CHECKING, Any

import attrs

from .guest_common import NOTE, Ask, Incomplete, Res, Shell, block_write, chain, digest
from .guest_state import DiskWrite, Reboot, Shutdown

if TYPE_CHECKING:
    from .guest import GuestConsole


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
    ask: Ask | None = None
    stdout_first: bool = False      # the program printed its output before its errors


class _BashSyntax(Exception):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


class Bash(Shell):
    def __init__(self, console: GuestConsole) -> None:
        super().__init__(console)
        st = self.state
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
            domain = digest("dns", st.computer_name).hex()[:12]
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
                blob = base64.b64encode(b"\x00\x00\x00\x07ssh-rsa" + digest("authorized", user) * 8).decode()
                files[f"{home}/.ssh/authorized_keys"] = f"ssh-rsa {blob}\n"
        host = st.computer_name
        for kind, fingerprint in st.ssh_host_keys.items():
            base, _bits, _label = _LINUX_HOST_KEY_FILES.get(kind, (f"ssh_host_{kind}_key", 256, kind))
            blob = base64.b64encode(digest("pub", kind, fingerprint) * 2).decode()
            files[f"/etc/ssh/{base}.pub"] = f"{kind} {blob} root@{host}\n"
            files[f"/etc/ssh/{base}"] = ("-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                         + base64.b64encode(digest("key", fingerprint) * 3).decode()
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
                            raise Incomplete
                        if text[i + 1] != "\n":
                            buf.append(text[i + 1])
                        i += 2
                    elif c == "'":
                        end = text.find("'", i + 1)
                        if end < 0:
                            raise Incomplete
                        buf.append(text[i + 1:end])
                        i = end + 1
                    elif c == '"':
                        i += 1
                        while True:
                            if i >= n:
                                raise Incomplete
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
            raise Incomplete
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
    def execute(self, text: str) -> Res:
        if self.service:
            self.script_line += 1
        if not text.strip():
            return Res()
        try:
            toks = self.lex(text)
        except Incomplete:
            return Res(ask=Ask("> ", lambda more: self.execute_continued(text + "\n" + more)))
        try:
            items = self.parse(toks)
        except _BashSyntax as err:
            if err.token == "&background":
                self.last_status = 1
                return Res([f"{NOTE}running commands in the background with '&' is not simulated."], 1)
            self.last_status = 2
            return Res([f"{self.err_prefix()}syntax error near unexpected token `{err.token}'"], 2)
        if not items:
            return Res()
        return self._run_items(items, 0, self.last_status)

    def execute_continued(self, text: str) -> Res:
        if self.service:
            self.script_line -= 1
        return self.execute(text)

    def _run_items(self, items: list[tuple[str | None, list[_BCmd]]], idx: int, status: int) -> Res:
        if idx >= len(items):
            return Res(status=status)
        connector, pipeline = items[idx]
        if idx > 0 and ((connector == "&&" and status != 0) or (connector == "||" and status == 0)):
            return self._run_items(items, idx + 1, status)
        res = self._run_pipeline(pipeline)
        return chain(res, lambda st: self._run_items(items, idx + 1, st))

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

    def _run_pipeline(self, pipeline: list[_BCmd]) -> Res:
        res = Res()
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
                out.effects.append(block_write(nbytes))
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
                out.effects.append(block_write(0))
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
            out.effects.append(block_write(0))
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
            out.effects.append(block_write(0))
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
            out.effects.append(block_write(nbytes))
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

        def act() -> Res:
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
                return Res(lines, 0)
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
            return Res(lines, 0, [block_write(64 * 1024)])

        if force:
            res = act()
            return _Out(stdout="\n".join(warnings + res.lines) + "\n", status=res.status,
                        effects=res.effects)
        prompt = "Do you want to proceed (y/n)"
        if self.service:
            # Run Command gives no terminal: input() reads end-of-file and waagent logs the error.
            line = prompt + self._agent_log("ERROR", f"Failed to run '{command}': EOF when reading a line")
            return _Out(stdout="\n".join(warnings + [line]) + "\n")

        def answer(reply: str) -> Res:
            if reply.strip().lower().startswith("y"):
                return act()
            return Res()   # anything else aborts silently

        return _Out(stdout="\n".join(warnings) + "\n", ask=Ask(prompt, answer))

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
        out = _Out(effects=[block_write(4096)])
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
            return _Out(stdout="\n".join(lines) + "\n", effects=[block_write(4096)])
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

        def proceed() -> Res:
            return self._apt_fetch_and_unpack(everything, new, download, unpacked)

        if extra and not assume_yes:
            question = "Do you want to continue? [Y/n] "
            if self.service:
                # no terminal: apt reads end-of-input and aborts
                lines.append(question + "Abort.")
                return _Out(stdout="\n".join(lines) + "\n", status=1)

            def answer(reply: str) -> Res:
                reply = reply.strip().lower()
                if reply in ("", "y", "yes"):
                    return proceed()
                return Res(["Abort."], 1)

            return _Out(stdout="\n".join(lines) + "\n", ask=Ask(question, answer))
        res = proceed()
        return _Out(stdout="\n".join(lines + res.lines) + "\n", status=res.status, effects=res.effects)

    def _apt_fetch_and_unpack(self, everything: list[str], requested: list[str], download: int,
                              unpacked: int) -> Res:
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
            return Res(lines, 100)
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
        return Res(lines, 0, [DiskWrite(download + unpacked + written)])
