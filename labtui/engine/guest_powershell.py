"""The Windows guest console: Windows PowerShell 5.1, as an administrator gets it over RDP (and as
``RunPowerShellScript`` runs it). Error records follow PowerShell 5.1's default view.

Besides the shell (its parser, the cmdlets it simulates and their error records) this module holds
the catalogues it reads: the folders and files of a Windows Server image, the Windows features and
the cmdlet signatures.

Modelling decisions that matter for what a student learns (each is written where it is used):

* Azure provisions the Windows admin account by *renaming the built-in Administrator*, so the admin
  has RID 500 (``<machine SID>-500``); accounts created later get RIDs from 1000 up.
* ``sysprep /generalize`` resets the machine identity (SID) but keeps local accounts and files.
  Sysprep is a GUI program: PowerShell returns at once and prints nothing.
* PowerShell does not expand cmd's ``%WINDIR%`` syntax; ``cmd /c %WINDIR%\\...`` does.
"""

from __future__ import annotations

import fnmatch
import ntpath
import re
from typing import TYPE_CHECKING, Any

import attrs

from .guest_common import NOTE, Ask, Incomplete, Res, Shell, block_write, chain, digest
from .guest_state import DiskWrite, GuestState, Reboot, Shutdown

if TYPE_CHECKING:
    from .guest import GuestConsole


def _fallback_sid(state: GuestState) -> str:
    raw = digest("sid", state.computer_name, state.os_name)
    parts = [int.from_bytes(raw[i:i + 4], "big") % 3_900_000_000 + 100_000_000 for i in (0, 4, 8)]
    return "S-1-5-21-" + "-".join(str(p) for p in parts)


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


class PowerShell(Shell):
    def __init__(self, console: GuestConsole) -> None:
        super().__init__(console)
        st = self.state
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
                        raise Incomplete
                    nxt = text[i + 1]
                    buf.append({"n": "\n", "t": "\t", "0": ""}.get(nxt, nxt))
                    i += 2
                elif c == "'":
                    j = i + 1
                    part = []
                    while True:
                        if j >= n:
                            raise Incomplete
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
                            raise Incomplete
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
            raise Incomplete
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
    def execute(self, text: str) -> Res:
        if not text.strip():
            return Res()
        self.text = text
        try:
            toks = self.lex(text)
        except Incomplete:
            return Res(ask=Ask(">> ", lambda more: self.execute(text + "\n" + more)))
        try:
            statements = self.split(toks)
        except _PsParseError as err:
            return Res(self.parse_error(err), 1)
        if not statements:
            return Res()
        return self._run_statements(text, statements, 0, 0)

    def _run_statements(self, text: str, statements: list[list[_Element]], idx: int, status: int) -> Res:
        if idx >= len(statements):
            return Res(status=status)
        self.text = text
        res = self._run_pipeline(statements[idx])
        return chain(res, lambda st: self._run_statements(text, statements, idx + 1, st))

    def _run_pipeline(self, pipeline: list[_Element]) -> Res:
        try:
            for element in pipeline:
                for t in element.tokens:
                    if t.kind == "op" and t.value in ("(", ")", "{", "}", "&"):
                        return Res([f"{NOTE}script blocks, sub-expressions and '{t.value}' are not simulated "
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
            return Res(err.lines, err.status)

    def _apply_redirects(self, element: _Element, res: Res, objects: list[str] | None) -> list[str] | None:
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
            res.effects.append(block_write(nbytes * 2 + 2))   # PS 5.1 '>' writes UTF-16LE
            objects = []
        return objects

    def _write_problem(self, path: str) -> list[str] | None:
        parent = ntpath.dirname(path)
        if self.is_dir(path):
            return [f"{NOTE}'{path}' is a directory."]
        if not self.is_dir(parent):
            return [f"out-file : Could not find a part of the path '{path}'."]
        return None

    def _run_element(self, element: _Element, pipe_in: list[str] | None, last: bool) -> tuple[Res, list[str]]:
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
            res = Res()
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
                pipe_in: list[str] | None) -> tuple[Res, list[str]]:
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
            return Res([f"{NOTE}closing the session is done from the lab, not with 'exit'."], 1), []
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
            return Res([f"{NOTE}'{name}' is not simulated in this lab console."], 1), []
        lines = self.not_recognized(name, head.start, head.end)
        if self._in_cwd(name):
            lines.append("")
            lines.append(f"Suggestion [3,General]: The command {name} was not found, but does exist in the current "
                         "location. Windows PowerShell does not load commands from the current location by "
                         f"default. If you trust this command, instead type: \".\\{name}\". See \"get-help "
                         "about_Command_Precedence\" for more details.")
        return Res(lines, 1), []

    def _in_cwd(self, name: str) -> bool:
        candidates = [name, name + ".exe"]
        return any(self.file_lookup(self.resolve(c)) is not None for c in candidates
                   if "\\" not in c and "/" not in c)

    def _maybe_here(self, name: str, head: _PTok) -> Res:
        lines = self.not_recognized(name, head.start, head.end)
        if self._in_cwd(name):
            lines.append("")
            lines.append(f"Suggestion [3,General]: The command {name} was not found, but does exist in the current "
                         "location. Windows PowerShell does not load commands from the current location by "
                         f"default. If you trust this command, instead type: \".\\{name}\". See \"get-help "
                         "about_Command_Precedence\" for more details.")
        return Res(lines, 1)

    def _run_path(self, name: str, head: _PTok, args: list[_PTok]) -> tuple[Res, list[str]]:
        path = self.resolve(name)
        target = self.file_lookup(path) or self.file_lookup(path + ".exe")
        if target is None:
            return Res(self.not_recognized(name, head.start, head.end), 1), []
        if self.key(target[0]) == _SYSPREP_EXE:
            return self.sysprep([a.value for a in args]), []
        return Res([f"{NOTE}running '{target[0]}' is not simulated."], 1), []

    # --- native programs ------------------------------------------------------------------------
    def _hostname(self, args: list[_PTok]) -> Res:
        if args:
            return Res(["sethostname: Use the Network Control Panel Applet to set hostname."], 1)
        return Res([self.state.computer_name])

    def _sid_for(self, user: str) -> str:
        machine = self.session_sid or self.state.sid or _fallback_sid(self.state)
        if user == self.state.admin_username or user.lower() == "administrator":
            return f"{machine}-500"   # Azure's admin is the built-in Administrator, renamed
        others = [u for u in self.users_shown() if u != self.state.admin_username]
        return f"{machine}-{1000 + (others.index(user) if user in others else 0)}"

    def _whoami(self, args: list[_PTok]) -> Res:
        if self.service:
            name, sid = "nt authority\\system", "S-1-5-18"
        else:
            name = f"{self.state.computer_name[:15]}\\{self.user}".lower()
            sid = self._sid_for(self.user)
        if not args:
            return Res([name])
        opt = args[0].value.lower()
        if opt == "/user" and len(args) == 1:
            w1, w2 = max(len("User Name"), len(name)), max(len("SID"), len(sid))
            return Res(["", "USER INFORMATION", "----------------", "",
                        f"{'User Name'.ljust(w1)} {'SID'.ljust(w2)}".rstrip(),
                        f"{'=' * w1} {'=' * w2}", f"{name.ljust(w1)} {sid}"])
        if opt in ("/groups", "/priv", "/all", "/upn", "/fqdn", "/logonid", "/?", "/fo", "/nh"):
            return Res([f"{NOTE}'whoami {args[0].value}' is not simulated; 'whoami' and 'whoami /user' are."], 1)
        return Res([f"ERROR: Invalid argument/option - '{args[0].value}'.", 'Type "WHOAMI /?" for usage.'], 1)

    def _shutdown(self, args: list[str]) -> Res:
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
                    return Res(usage, 1)
                delay = float(args[i + 1])
                i += 1
            elif re.fullmatch(r"[/-][cd]", a):
                i += 1
            elif a in ("/?", "-?"):
                return Res(usage, 0)
            else:
                return Res(usage, 1)
            i += 1
        if mode is None:
            return Res(usage, 0 if not args else 1)
        os_time = self.console.duration("guest.shutdown")
        if mode == "a":
            return Res(["Unable to abort the system shutdown because no shutdown was in progress.(1116)"], 1116)
        if mode in ("s", "sg"):
            wait = 30.0 if delay is None else delay
            return Res(effects=[Shutdown(wait + os_time, scheduled_in=wait)])
        if mode == "p":
            return Res(effects=[Shutdown(os_time)])
        if mode in ("r", "g"):
            return Res(effects=[Reboot((30.0 if delay is None else delay) + os_time)])
        return Res([f"{NOTE}'shutdown /{mode}' is not simulated."], 1)

    def _net(self, args: list[str]) -> Res:
        if args and args[0].lower() == "user":
            rest = args[1:]
            if not rest:
                names = sorted(self.users_shown() + ["DefaultAccount", "Guest", "WDAGUtilityAccount"],
                               key=str.lower)
                rows = []
                for i in range(0, len(names), 3):
                    rows.append("".join(n.ljust(25) for n in names[i:i + 3]).rstrip())
                return Res(["", f"User accounts for \\\\{self.state.computer_name.upper()[:15]}", "",
                            "-" * 79] + rows + ["The command completed successfully.", ""])
            if len(rest) >= 2 and rest[-1].lower() == "/add":
                new = rest[0]
                if new.lower() in (u.lower() for u in self.users_shown() + ["Guest", "DefaultAccount",
                                                                             "WDAGUtilityAccount"]):
                    return Res(["The account already exists.", "", "More help is available by typing NET HELPMSG 2224.",
                                ""], 2)
                self.state.users.append(new)
                return Res(["The command completed successfully.", ""], 0, [block_write(4096)])
        return Res([f"{NOTE}only 'net user' and 'net user NAME PASSWORD /add' are simulated."], 1)

    def _cmd(self, args: list[str]) -> Res:
        if not args or args[0].lower() not in ("/c", "/k"):
            return Res([f"{NOTE}an interactive cmd.exe session is not simulated; use 'cmd /c COMMAND'."], 1)
        line = " ".join(args[1:])
        if len(line) >= 2 and line[0] == line[-1] == '"':
            line = line[1:-1]
        cwd = self.cwd
        res = Res()
        for part in re.split(r"\s*&&?\s*", line):
            part = re.sub(r"%([^%]+)%", lambda m: self.env(m.group(1)) if self.env(m.group(1)) is not None
                          else m.group(0), part).strip()
            if not part:
                continue
            words = [w.strip('"') for w in re.findall(r'"[^"]*"|\S+', part)]
            prog, rest = words[0], words[1:]
            low = prog.lower()
            step: Res
            if low == "cd" or low.startswith("cd\\"):
                target = [w for w in rest if w.lower() != "/d"]
                path = ntpath.normpath(target[0] if target and re.match(r"^[A-Za-z]:", target[0])
                                       else cwd + "\\" + (target[0] if target else ""))
                if not self.is_dir(path):
                    step = Res(["The system cannot find the path specified."], 1)
                else:
                    cwd = path
                    step = Res()
            elif low in ("hostname", "hostname.exe"):
                step = Res([self.state.computer_name])
            elif low in ("whoami", "whoami.exe"):
                step = self._whoami([_PTok("word", w, 0, 0, w) for w in rest])
            elif low in ("shutdown", "shutdown.exe"):
                step = self._shutdown(rest)
            elif low == "echo":
                step = Res([" ".join(rest)])
            elif low == "type":
                found = self.file_lookup(ntpath.normpath(rest[0] if rest and re.match(r"^[A-Za-z]:", rest[0])
                                                         else cwd + "\\" + (rest[0] if rest else "")))
                step = (Res(found[1].rstrip("\r\n").split("\n")) if found
                        else Res(["The system cannot find the file specified."], 1))
            else:
                # cmd looks in the current directory before PATH
                path = prog if re.match(r"^[A-Za-z]:", prog) else cwd + "\\" + prog
                path = ntpath.normpath(path)
                found = self.file_lookup(path) or self.file_lookup(path + ".exe")
                if found and self.key(found[0]) == _SYSPREP_EXE:
                    step = self.sysprep(rest)
                else:
                    step = Res([f"'{prog}' is not recognized as an internal or external command,",
                                "operable program or batch file."], 1)
            res.lines.extend(step.lines)
            res.effects.extend(step.effects)
            res.status = step.status
            if step.status != 0:
                break
        return res

    # --- sysprep --------------------------------------------------------------------------------
    def sysprep(self, args: list[str]) -> Res:
        words: list[str] = []
        for a in args:
            words.extend(a.split())
        flags = [w.lower() for w in words]
        if not flags:
            return Res([f"{NOTE}the System Preparation Tool window opened on the desktop; this lab drives "
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
            return Res([f"{NOTE}Sysprep showed an error dialog on the desktop ({problem}) and did nothing."])
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
        return Res([], 0, effects)

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
        res = Res()
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
        res = Res()
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
            res.effects.append(block_write(nbytes))
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
        return Res(), []

    def c_write_output(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        values = list(named.get("InputObject") or [])
        if pipe_in is not None:
            values = list(pipe_in) + values
        return Res(), [str(v) for v in values]

    def c_write_host(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        sep = (named.get("Separator") or [" "])[0]
        return Res([sep.join(str(v) for v in named.get("Object") or [])]), []

    def c_clear_host(self, spec, inv, head, args, pipe_in):
        return Res(), []

    def c_get_location(self, spec, inv, head, args, pipe_in):
        self.bind(spec, inv, head, args)
        return Res(), ["", "Path", "----", self.cwd, ""]

    def c_set_location(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        paths = self._paths(named)
        if not paths:
            return Res(), []
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
        return Res(), []

    def _drive_not_found(self, spec, inv, head, args, drive: str):
        if drive == "D":
            return Res([f"{NOTE}the temporary disk (D:) is not simulated."], 1), []
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
            return Res([f"{NOTE}'Get-ChildItem -Recurse' is not simulated."], 1), []
        res = Res()
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
        return Res(), out

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
            return Res([f"{NOTE}New-Item -ItemType {item_type} is not simulated."], 1), []
        res = Res()
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
                res.effects.append(block_write(0))
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
                res.effects.append(block_write(len(value.encode())))
                out.extend(self._table(parent, [(ntpath.basename(path), False, len(value.encode()))]))
        return res, out

    def c_remove_item(self, spec, inv, head, args, pipe_in):
        named = self.bind(spec, inv, head, args)
        self.missing_mandatory(spec, inv, head, args, named, ("LiteralPath",))
        res = Res()
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
            res.effects.append(block_write(0))
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

    def _confirm_remove(self, res: Res, pending: list[str]) -> Res:
        path = pending[0]
        question = ('[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ')
        text = ["", "Confirm",
                f"The item at {path} has children and the Recurse parameter was not specified. If you continue, "
                "all children will be removed with the item. Are you sure you want to continue?"]

        def answer(reply: str) -> Res:
            r = reply.strip().lower()
            if r in ("", "y", "a"):
                targets = pending if r == "a" else [path]
                for t in targets:
                    self.remove(t)
                rest = [p for p in pending if p not in targets]
                out = Res(effects=[block_write(0)])
                return self._confirm_remove(out, rest) if rest else out
            if r in ("n", "l"):
                rest = pending[1:] if r == "n" else []
                return self._confirm_remove(Res(), rest) if rest else Res()
            if r == "s":
                return Res([f"{NOTE}suspending to a nested prompt is not simulated; answer Y or N."],
                           ask=Ask(question, answer))
            if r == "?":
                return Res(["Y - Continue with only the next step of the operation.",
                            "A - Continue with all the steps of the operation.",
                            "N - Skip this operation and proceed with the next operation.",
                            "L - Skip this operation and all subsequent operations.",
                            "S - Pause the current pipeline and return to the command prompt. Type \"exit\" to "
                            "resume the pipeline."], ask=Ask(question, answer))
            return Res(ask=Ask(question, answer))

        return Res(res.lines + text, res.status, res.effects, Ask(question, answer))

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
            return Res(), []
        out = ["", f"{'Display Name':<55} {'Name':<26} {'Install State':>13}",
               f"{'------------':<55} {'----':<26} {'-------------':>13}"]
        for n in names:
            display, _parent, _size = _FEATURES[n]
            mark = "[X]" if self._feature_installed(n) else "[ ]"
            label = f"{'    ' * self._depth(n)}{mark} {display}"
            state = "Installed" if self._feature_installed(n) else "Available"
            out.append(f"{label:<55} {n:<26} {state:>13}")
        out.append("")
        return Res(), out

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
                return Res(lines + header + [f"{'False':<7} {'No':<14} {'InvalidArgs':<14} {{}}", ""], 1), []
            canon.append(by_lower[r.lower()])
        if named.get("ComputerName"):
            return Res([f"{NOTE}installing features on another computer is not simulated."], 1), []
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
            return Res(["What if: Continue with installation?"]), []
        if not new:
            return Res(), header + [f"{'True':<7} {'No':<14} {'NoChangeNeeded':<14} {{}}", ""]
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
        return Res(effects=[DiskWrite(written)]), header + [
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
        return Res(), out

    def c_stop_computer(self, spec, inv, head, args, pipe_in):
        return self._power_off(spec, inv, head, args, "stopping", Shutdown)

    def c_restart_computer(self, spec, inv, head, args, pipe_in):
        return self._power_off(spec, inv, head, args, "restarting", Reboot)

    def _power_off(self, spec, inv, head, args, doing: str, effect):
        """Stop-Computer and Restart-Computer: this computer only (-ComputerName naming it is fine)."""
        named = self.bind(spec, inv, head, args)
        if any(c.lower() not in ("localhost", ".", self.state.computer_name.lower())
               for c in named.get("ComputerName") or []):
            return Res([f"{NOTE}{doing} another computer is not simulated."], 1), []
        return Res(effects=[effect(self.console.duration("guest.shutdown"))]), []

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
        return Res([f"{NOTE}starting '{file}' is not simulated."], 1), []

    # --- pipeline sinks -------------------------------------------------------------------------
    def _run_sink(self, element: _Element, objects: list[str], position: int) -> tuple[Res, list[str] | None]:
        head = element.tokens[0]
        name = head.value.lower()
        cmdlet = _PS_ALIASES.get(name, name)
        if cmdlet in ("out-file", "set-content", "add-content", "out-null", "write-output", "tee-object"):
            if cmdlet == "tee-object":
                return Res([f"{NOTE}'Tee-Object' is not simulated."], 1), None
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
            return Res([f"{NOTE}piping into '{head.value}' is not simulated; Out-File, Set-Content, "
                        "Add-Content and Out-Null are."], 1), None
        return Res(self.not_recognized(head.value, head.start, head.end), 1), None
