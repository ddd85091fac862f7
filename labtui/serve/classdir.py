"""The class directory: the host key, the roster, each student's saved work, the control socket.

    <class-dir>/host_key            the server's SSH host key (0600), made on first start
    <class-dir>/roster.json         who may log in (roster.py)
    <class-dir>/students/<name>/    a student's data directory: free sandbox and labs/<id>/
    <class-dir>/run/control.sock    sessions report progress here and hear broadcasts
    <class-dir>/run/server.lock     held by the one server serving this class
    <class-dir>/run/starting-N.lock held by a session while it starts (session.STARTING_AT_ONCE of them)
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

HOST_KEY = "host_key"
STUDENTS = "students"


def prepare(class_dir: Path) -> Path:
    class_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(class_dir, 0o700)        # students' work and the host key are nobody else's business
    (class_dir / STUDENTS).mkdir(exist_ok=True)
    (class_dir / "run").mkdir(exist_ok=True)
    return class_dir


def student_dir(class_dir: Path, name: str) -> Path:
    """``name`` has passed names.student_name: no separators, no dot names."""
    return class_dir / STUDENTS / name


def students(class_dir: Path) -> list[str]:
    try:
        return sorted(p.name for p in (class_dir / STUDENTS).iterdir() if p.is_dir())
    except OSError:
        return []


class ClassDirError(Exception):
    pass


def lock_server(class_dir: Path):
    """Hold the class for this server's lifetime: two servers on one class would be two writers on
    each student's save. The returned file keeps the lock until it is closed (or the process ends)."""
    handle = open(class_dir / "run" / "server.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ClassDirError(f"another labtui serve ({holder}) is serving {class_dir}: stop it first") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


def control_socket(class_dir: Path) -> Path:
    return class_dir / "run" / "control.sock"


def host_key(class_dir: Path):
    """The server's host key: read it, or make an Ed25519 one and keep it readable by its owner only."""
    import asyncssh

    path = class_dir / HOST_KEY
    if path.exists():
        os.chmod(path, 0o600)       # copied in with a looser mode, it would still be the class's identity
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519", comment="labtui classroom")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key.export_private_key())
    return key
