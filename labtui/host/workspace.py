"""One student's live world as a front end holds it: the saved sandbox, the shell that runs their az
lines (on the live clock), the lab they are in (if any), the guest consoles they opened, and saving.

It imports no Textual: the TUI draws it, the classroom server will host it, and tests drive it
directly. Every change to the world goes through an az line or a guest line, so every click is a
command the student can read and every attempt lands in the lab's transcript.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable

import attrs

from ..az.script import LogicalLine
from ..az.shell import ShellSession
from ..engine.guest_session import GuestResult, GuestSession
from ..engine.persist import DebouncedSaver, Sandbox, SandboxError
from ..engine.world import World
from .live import LIVE_WAITS, live_ask, run_live

if TYPE_CHECKING:       # the lab's modules load with a lab: free exploration opens without them
    from ..lab.model import Lab
    from ..lab.runner import LabRunner, Notice
    from .lab_host import LabHost

DEFAULT_SPEED = 10.0
LAST_SESSION_FILE = "last-session.json"


@attrs.frozen
class LineOutput:
    line: str
    stdout: str
    stderr: str
    status: int


class Busy(Exception):
    """A line is still running (az is waiting for its operation)."""


class OpenFailed(Exception):
    """The workspace could not be opened (the sandbox is in use, the lab's setup failed); the message says why."""


class Workspace:
    def __init__(self, world: World, *, lab: Lab | None = None, sandbox: Sandbox | None = None,
                 seed: int | None = None, real_clock: Callable[[], float] | None = None,
                 answer: Callable[[str], Awaitable[str]] | None = None,
                 on_notice: Callable[[Notice], None] | None = None):
        self.lab = lab
        self.sandbox = sandbox
        self.seed = seed
        self._out, self._err = io.StringIO(), io.StringIO()
        self._interrupt: asyncio.Event | None = None
        self.running: str | None = None
        self.saver: DebouncedSaver | None = None
        self.guests: dict[str, GuestSession] = {}
        ask = live_ask(answer) if answer is not None else None
        if lab is not None:
            from .lab_host import LabHost

            self.host: LabHost | None = LabHost(lab, world, self._out, self._err, interactive=True, seed=seed,
                                                ask=ask, waits=LIVE_WAITS, real_clock=real_clock,
                                                on_notice=on_notice)
            self.shell = self.host.session
        else:
            self.host = None
            self.shell = ShellSession(world, self._out, self._err, interactive=True, ask=ask, waits=LIVE_WAITS,
                                      builtins={"lab": self._no_lab})
        self._lineno = 0
        self.notice: str | None = None     # a one-time message from opening the sandbox (a file set aside)

    @property
    def world(self) -> World:
        return self.shell.world

    @property
    def runner(self) -> LabRunner | None:
        return self.host.runner if self.host is not None else None

    # --- lines ---------------------------------------------------------------------------------
    async def run(self, text: str) -> LineOutput:
        """Run one line (az, `lab ...`, `guest ...`, `wait 5m`) as the student typed or a key built it."""
        if self.running is not None:
            raise Busy(self.running)
        self.running = text
        self._interrupt = asyncio.Event()
        try:
            status = await run_live(self._run_line, text, interrupt=self._interrupt)
        finally:
            self.running = None
        return LineOutput(text, *self._take_output(), status)

    def stop_waiting(self) -> bool:
        """Stop waiting for the running line's operation (Esc, as Ctrl-C on az); False if nothing waits."""
        if self.running is None or self._interrupt is None:
            return False
        self._interrupt.set()
        return True

    def catch_up(self) -> None:
        """Bring the world's time up to the live clock, so a command is recorded (and saved) at the moment
        it was typed, not at the last time something fell due."""
        world = self.world
        current = world.clock.current()
        if current > world.now:
            world.advance_to(current)

    def _run_line(self, text: str) -> int:
        self.catch_up()
        self._lineno += 1
        world = self.world
        status = self.shell.run_line(LogicalLine(text, self._lineno))
        if self.world is not world:
            self._world_replaced()
        self._after_line()
        return status

    def _after_line(self) -> None:
        if self.host is not None:
            self.host.after_line()
        self.write_summary()        # the welcome screen reads progress from the summary

    def drain(self) -> str:
        """What the lab says about things that happened with no line running (a replication that finished
        while the student read): its notices as text. Empty while a line runs; that line reports them."""
        if self.running is not None or self.host is None or not self.host.pending:
            return ""
        self._after_line()
        stdout, stderr = self._take_output()
        return stdout + stderr

    def _take_output(self) -> tuple[str, str]:
        out, err = self._out.getvalue(), self._err.getvalue()
        for buffer in (self._out, self._err):
            buffer.seek(0)
            buffer.truncate()
        return out, err

    def _no_lab(self, argv: list[str]) -> int:
        self._err.write("labtui: this is free exploration, with no lab running. Pick a lab on the welcome screen "
                        "(ctrl+w).\n")
        return 2

    # --- guest consoles ------------------------------------------------------------------------
    def guest(self, vm_id: str) -> GuestSession:
        return self.guests.setdefault(vm_id.lower(), GuestSession(self.world, vm_id))

    def run_guest(self, vm_id: str, text: str) -> tuple[GuestResult, str]:
        """One line in a VM's console (recorded by the engine), and what the lab says about it.
        Raises `GuestUnreachable` when the VM cannot be reached."""
        self.catch_up()
        result = self.guest(vm_id).run(text)
        self._after_line()
        stdout, stderr = self._take_output()
        return result, stdout + stderr

    def _world_replaced(self) -> None:
        """`lab reset` built a fresh world: consoles and saving follow it."""
        self.guests.clear()
        if self.saver is not None:
            self.saver.close()
            self.start_saving()
            self.saver.touch()

    # --- saving --------------------------------------------------------------------------------
    def start_saving(self) -> None:
        if self.sandbox is not None:
            self.saver = DebouncedSaver(self.sandbox, self.world)

    def write_summary(self) -> None:
        if self.sandbox is not None and self.runner is not None:
            from ..lab import library

            self.runner.sync_time()
            library.write_summary(self.sandbox.directory, self.runner.summary())

    async def close(self) -> None:
        """Save what is pending and let the sandbox go."""
        self.catch_up()
        if self.runner is not None:
            self.write_summary()
            self.runner.detach()
        if self.saver is not None:
            await self.saver.flush()
            self.saver.close()
        elif self.sandbox is not None:
            self.sandbox.save(self.world)
        if self.sandbox is not None:
            self.sandbox.unlock()


def open_workspace(data_dir: Path, lab: Lab | None, *, seed: int | None = None, restart: bool = False,
                   speed: float = DEFAULT_SPEED, **options) -> Workspace:
    """The free sandbox (``lab`` None) or a lab's own sandbox under ``data_dir``, locked, loaded or built."""
    if lab is not None:
        from ..lab import library

        directory = library.lab_dir(data_dir, lab.id)
    else:
        directory = data_dir
    sandbox = Sandbox(directory)
    try:
        sandbox.lock()
    except SandboxError as locked:
        raise OpenFailed(str(locked)) from locked
    try:
        world = sandbox.load(seed=seed if seed is not None else (lab.seed if lab else 0), speed=speed)
        if lab is not None and (restart or world.annex.get("lab", {}).get("lab") != lab.id):
            world = _lab_world(lab, seed, speed)
    except BaseException:
        sandbox.unlock()
        raise
    remember_session(data_dir, lab.id if lab else None)
    workspace = Workspace(world, lab=lab, sandbox=sandbox, seed=seed, **options)
    if sandbox.notice:
        workspace.notice = sandbox.notice
    workspace.write_summary()       # a lab opened counts as started, before the first command
    return workspace


def _lab_world(lab: Lab, seed: int | None, speed: float) -> World:
    """The lab's starting world, built afresh by its setup."""
    from ..lab.setup import SetupFailed, build_world

    try:
        return build_world(lab, seed=seed, speed=speed)
    except SetupFailed as failed:
        raise OpenFailed(f"the lab's setup failed: {failed}") from failed


def remember_session(data_dir: Path, lab_id: str | None) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / LAST_SESSION_FILE).write_text(json.dumps({"lab": lab_id}))
    except OSError:
        pass


def last_session(data_dir: Path) -> dict | None:
    """The last session opened here: {"lab": id} or {"lab": None} for free exploration, or None."""
    try:
        data = json.loads((data_dir / LAST_SESSION_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "lab" in data else None
