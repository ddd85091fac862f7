"""The class roster: who may log in, how, and who is an instructor.

One JSON file in the class directory, readable by its owner only. A password is kept as a salted
scrypt hash (hashlib's, the standard memory-hard KDF); a key as an OpenSSH public key line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

import attrs

from .names import WATCH, BadName, student_name

ROSTER_FILE = "roster.json"
ROLES = ("student", "instructor")
# 16 MiB and ~50 ms a check: slow for a guesser, quick enough for a class logging in at once.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class RosterError(Exception):
    pass


@attrs.define
class Member:
    name: str
    role: str = "student"
    password: str | None = None              # "scrypt$n$r$p$salt$hash", base64 parts
    keys: list[str] = attrs.Factory(list)    # OpenSSH public key lines

    @property
    def instructor(self) -> bool:
        return self.role == "instructor"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + "$".join(
        base64.b64encode(part).decode() for part in (salt, digest))


def check_password(stored: str | None, password: str) -> bool:
    """Constant-time compare; an absent or malformed hash is checked against a dummy so a missing
    user takes as long as a wrong password."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        salt_bytes, expected = base64.b64decode(salt), base64.b64decode(digest)
        params = {"n": int(n), "r": int(r), "p": int(p)}
    except ValueError:
        salt_bytes, expected, params = b"\0" * 16, b"", _SCRYPT
        stored = None
    actual = hashlib.scrypt(password.encode(), salt=salt_bytes, **params)
    return stored is not None and hmac.compare_digest(actual, expected)


@attrs.define
class Roster:
    path: Path
    members: dict[str, Member] = attrs.Factory(dict)

    @classmethod
    def load(cls, class_dir: Path) -> "Roster":
        path = class_dir / ROSTER_FILE
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as bad:
            raise RosterError(f"cannot read the roster {path}: {bad}") from bad
        members = {}
        for name, entry in (data.get("members") or {}).items():
            try:
                name = student_name(name)
            except BadName as bad:
                raise RosterError(f"{path}: {bad}") from bad
            role = entry.get("role", "student")
            if role not in ROLES:
                raise RosterError(f"{path}: '{name}' has the unknown role '{role}' (one of {', '.join(ROLES)})")
            members[name] = Member(name, role, entry.get("password"), list(entry.get("keys") or []))
        return cls(path, members)

    def save(self) -> None:
        data = {"members": {m.name: {"role": m.role, **({"password": m.password} if m.password else {}),
                                     **({"keys": m.keys} if m.keys else {})}
                            for m in sorted(self.members.values(), key=lambda m: m.name)}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(data, out, indent=1)
        os.replace(temporary, self.path)

    def add(self, raw_name: str, *, role: str = "student", password: str | None = None,
            key: str | None = None) -> Member:
        """Add a member or change one: a new password replaces the old, a key is added to theirs."""
        name = student_name(raw_name)
        if name == WATCH:
            raise RosterError(f"'{WATCH}' is the read-only account that follows the instructor's demo; "
                              "it needs no roster entry")
        if password is None and key is None and name not in self.members:
            raise RosterError(f"'{name}' needs a password or a public key to log in")
        if key is not None:
            key = _public_key_line(key)
        member = self.members.setdefault(name, Member(name))
        member.role = role
        if password is not None:
            if len(password) < 6:
                raise RosterError("a password needs at least 6 characters")
            member.password = hash_password(password)
        if key is not None and key not in member.keys:
            member.keys.append(key)
        return member

    def remove(self, raw_name: str) -> None:
        name = student_name(raw_name)
        if self.members.pop(name, None) is None:
            raise RosterError(f"'{name}' is not in the roster")

    def get(self, name: str) -> Member | None:
        return self.members.get(name)


def _public_key_line(text: str) -> str:
    import asyncssh

    line = text.strip()
    if "PRIVATE KEY" in line:
        raise RosterError("that is a private key: give its .pub file, and leave the private key with its owner")
    try:
        key = asyncssh.import_public_key(line)
    except (asyncssh.KeyImportError, ValueError) as bad:
        raise RosterError(f"not an OpenSSH public key: {bad}") from bad
    return key.export_public_key().decode().strip()
