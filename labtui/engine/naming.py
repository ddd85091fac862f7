"""Azure's naming rules per resource type (reference §6.5), checked before anything is created."""

from __future__ import annotations

import re

from . import errors

_GROUP = re.compile(r"^[-\w.()]{1,90}$")
_DISK = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_SNAPSHOT_OR_IMAGE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$")
_GALLERY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$")
_DEFINITION = re.compile(r"^[^_\W][\w\-._]{0,79}(?<![-.])$")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]+$")
_WINDOWS_BAD = set("`~!@#$%^&*()=+_[]{}\\|;:.'\",<>/?")
_LINUX_BAD = set("`~!@#$%^&*()=+_[]{}\\|;:'\",<>/?")
_VM_BAD = set("`~!@#$%^&*()=+_[]{}\\|;:.'\",<>/? ")
INT32_MAX = 2**31 - 1


def check_group(name: str) -> None:
    if not _GROUP.match(name) or name.endswith("."):
        bad = "".join(sorted({c for c in name if not (c.isalnum() or c in "-_.()")})) or name[-1:]
        raise errors.invalid_group_name(name, bad)


def check_disk(name: str) -> None:
    if not _DISK.match(name):
        raise errors.invalid_name("disk")


def check_snapshot(name: str) -> None:
    if not _SNAPSHOT_OR_IMAGE.match(name):
        raise errors.invalid_name("snapshot")


def check_image(name: str) -> None:
    if not _SNAPSHOT_OR_IMAGE.match(name):
        raise errors.invalid_name("image")


def check_vm(name: str, os_type: str) -> None:
    """The VM resource name; the computer name is checked separately (it defaults to this name)."""
    if not 1 <= len(name) <= 64 or any(c in _VM_BAD or ord(c) < 32 for c in name) or name.endswith(("-", ".")):
        raise errors.invalid_name("virtualMachine")


def check_computer_name(name: str, os_type: str) -> None:
    if os_type == "Windows":
        if len(name) > 15 or name.isdigit() or any(c in _WINDOWS_BAD for c in name):
            raise errors.windows_computer_name_invalid()
    elif len(name) > 64 or any(c in _LINUX_BAD for c in name):
        raise errors.linux_host_name_invalid()


def check_gallery(name: str) -> None:
    if name and name[-1] in "._":
        raise errors.trailing_characters(name, name[-1])
    if not _GALLERY.match(name):
        raise errors.gallery_name_invalid()


def check_definition(name: str) -> None:
    if name and name[-1] in "._-":
        raise errors.trailing_characters(name, name[-1])
    if not _DEFINITION.match(name):
        raise errors.entity_name_invalid(name)


def parse_version(name: str) -> tuple[int, int, int]:
    match = _VERSION.match(name)
    if not match or any(int(part) > INT32_MAX for part in match.groups()):
        raise errors.version_name_invalid()
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def check_identifier(prop: str, value: str) -> None:
    limit = 128 if prop == "publisher" else 64
    if not value or len(value) > limit or not _IDENTIFIER.match(value) or value.endswith("."):
        raise errors.identifier_invalid(prop, limit)
