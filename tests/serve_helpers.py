"""Helpers for the classroom tests: a real server on a free loopback port, and SSH terminals whose
screens are kept by pyte, so a test reads what a student would see."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import asyncssh
import pyte

from labtui.serve.roster import Roster
from labtui.serve.server import Classroom, ServeOptions

PASSWORDS = {"alice": "alice-pw-1", "bob": "bob-pw-22", "teacher": "teach-pw-3"}


def make_roster(class_dir: Path, *, instructor: str | None = "teacher") -> Roster:
    roster = Roster.load(class_dir)
    for name, password in PASSWORDS.items():
        roster.add(name, role="instructor" if name == instructor else "student", password=password)
    class_dir.mkdir(parents=True, exist_ok=True)
    roster.save()
    return Roster.load(class_dir)


@contextlib.asynccontextmanager
async def running_classroom(class_dir: Path, **options):
    roster = options.pop("roster", None) or make_roster(class_dir)
    classroom = Classroom(ServeOptions(class_dir, port=0, **options), roster)
    await classroom.start()
    try:
        yield classroom
    finally:
        await classroom.stop()


class Terminal:
    """One SSH login with a pty, its screen emulated."""

    def __init__(self, conn: asyncssh.SSHClientConnection, columns: int, rows: int):
        self.conn = conn
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.process: asyncssh.SSHClientProcess | None = None
        self._reader: asyncio.Task | None = None

    async def start(self, term: str = "xterm-256color") -> "Terminal":
        self.process = await self.conn.create_process(term_type=term, term_size=(self.screen.columns,
                                                                                 self.screen.lines),
                                                      encoding=None)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                return
            self.raw += data
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return self.text()
            if self._reader.done():
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared. The screen:\n{self.text()}\n"
                             f"The last bytes: {bytes(self.raw[-400:])!r}")

    def type(self, text: str) -> None:
        self.process.stdin.write(text.encode())

    async def closed(self, timeout: float = 20.0) -> int | None:
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        await asyncio.wait_for(self._reader, timeout)
        return self.process.exit_status

    def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)
        self.process.change_terminal_size(columns, rows)


async def connect(classroom: Classroom, user: str, password: str | None = None, **kwargs):
    return await asyncssh.connect("127.0.0.1", classroom.port, username=user,
                                  password=password if password is not None else PASSWORDS.get(user),
                                  known_hosts=None, client_keys=kwargs.pop("client_keys", None),
                                  agent_path=None, preferred_auth=kwargs.pop("preferred_auth",
                                                                             "publickey,password"),
                                  **kwargs)


async def login(classroom: Classroom, user: str, columns: int = 110, rows: int = 32, **kwargs) -> Terminal:
    conn = await connect(classroom, user, **kwargs)
    return await Terminal(conn, columns, rows).start()
