"""The zygote process itself (`python -m labtui.serve.forker FD`): it imports the app once, then
forks a session per request from the server (zygote.py is the server's handle on it, and has no
Textual in it). Single-threaded and with no event loop, so forking it is safe."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import random
import resource
import select
import signal
import socket
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Callable

from .zygote import MESSAGE_LIMIT

SESSION_MEMORY_LIMIT = 2 << 30      # address space per session process (it uses well under 100 MiB)
# A session yields the processor to the server: the server relays every student's keys and screens,
# so when the class keeps the cores busy, a server waiting its turn behind the sessions delays all of
# them at once (measured: more time waiting for a core than running, and a p95 key echo of 0.5 s).
SESSION_NICENESS = 5


def preload() -> None:
    """Everything a session imports, so each fork starts warm and shares the pages. That includes what
    a local start loads only later (az's commands, the guest consoles, the lab's modules, Markdown and
    JSON highlighting): here it costs nothing per login."""
    import rich.markdown  # noqa: F401
    import rich.syntax  # noqa: F401

    from ..az import registry  # noqa: F401
    from ..engine import guest, persist  # noqa: F401
    from ..host import lab_host  # noqa: F401
    from ..lab import library, runner, setup  # noqa: F401
    from ..tui import app  # noqa: F401
    from ..tui.screens import (action_menu, command_log, completion, confirm, console, form, main,  # noqa: F401
                               pick, storage, welcome)
    from ..tui.widgets import lab_guide  # noqa: F401
    from . import dashboard, mirror, session  # noqa: F401

    labs, _ = library.load_library()
    persist.prepare()
    with tempfile.TemporaryDirectory(prefix="labtui-zygote-") as scratch:
        try:
            warm_up(Path(scratch), labs[:1])
        except Exception as failed:     # noqa: BLE001 - a speed-up only: each session starts without it
            print(f"labtui serve: the sessions' warm-up failed ({type(failed).__name__}: {failed}); "
                  "logins will be slower", file=sys.stderr)


def warm_up(data_dir: Path, labs: list) -> None:
    """Start the app once, headless, on the welcome screen and on each of ``labs``, so that what
    every session would otherwise work out for itself is done here, before the fork: above all the CSS
    (css_cache), and the classes' own caches of bindings and handlers. The runs leave no thread behind
    (asyncio.run shuts its executor down), which forking needs."""
    import asyncio

    from ..tui import css_cache
    from ..tui.app import LabtuiApp

    css_cache.install()
    for lab in (None, *labs):
        app = LabtuiApp(data_dir, lab=lab, speed=0)

        async def run() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()

        asyncio.run(run())


def run_zygote(channel: socket.socket) -> None:
    preload()
    gc.collect()
    gc.freeze()        # keep the preloaded objects out of the children's collections: their pages stay shared
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C on `labtui serve` is the server's to handle
    channel.send(json.dumps({"ready": os.getpid()}).encode())
    while True:
        readable, _, _ = select.select([channel, wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 512)
        for pid, code in _reap():
            channel.send(json.dumps({"exited": pid, "code": code}).encode())
        if channel in readable:
            message, fds, flags, _ = socket.recv_fds(channel, MESSAGE_LIMIT, 1)
            if not message and not fds:
                return          # the server is gone; its ptys closing hang up the sessions
            try:
                reply = _spawn(message, fds, flags, closing=(channel.fileno(), wake_read, wake_write))
            finally:
                for descriptor in fds:
                    os.close(descriptor)
            channel.send(json.dumps(reply).encode())


def _spawn(message: bytes, fds: list[int], flags: int, closing: tuple[int, ...]) -> dict:
    """Fork a session for one request; whatever is wrong with the request, answer instead of dying."""
    try:
        request = json.loads(message)
        ident = request["id"]
    except (ValueError, KeyError, TypeError):
        return {"id": None, "error": "unreadable request"}
    if flags & socket.MSG_TRUNC or len(fds) != 1:
        return {"id": ident, "error": "malformed request"}
    try:
        pid = os.fork()
    except OSError as failed:
        return {"id": ident, "error": f"cannot start a session: {failed.strerror}"}
    if pid == 0:
        _become_session(request, fds[0], closing=closing)
    return {"id": ident, "pid": pid}


def _reap() -> list[tuple[int, int]]:
    exited = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return exited
        if pid == 0:
            return exited
        exited.append((pid, os.waitstatus_to_exitcode(status)))


def _become_session(request: dict, terminal: int, closing: tuple[int, ...]) -> None:
    """In the child: a new session whose controlling terminal is the pty, then the app. Never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL)
        for descriptor in closing:
            os.close(descriptor)
        # The preloaded objects stay frozen, as gc.freeze's documentation has it for fork without exec: a
        # collection here would walk them all, writing to their pages and unsharing them from the zygote.
        os.setsid()
        # However big a window the client claims, one session cannot take the machine's memory.
        resource.setrlimit(resource.RLIMIT_AS, (SESSION_MEMORY_LIMIT, SESSION_MEMORY_LIMIT))
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
        for standard in (0, 1, 2):
            os.dup2(terminal, standard)
        os.close(terminal)
        # After the pty took fds 0-2: the thread opens a file, which must not land on one of them.
        _lower_priority(SESSION_NICENESS)
        from .session import run_session

        code = run_session(request)
    except BaseException:           # noqa: BLE001 - whatever happens, the child must not return into the zygote
        from .session import log_crash

        log_crash(request)
    finally:
        os._exit(code)


def _lower_priority(niceness: int) -> None:
    """Nice this process and, where Linux groups a new session's processes apart (autogroup, on by
    default on desktops), its group too: between groups only the group's own nice value counts, so
    without it every session would weigh as much as the server does."""
    os.nice(niceness)
    threading.Thread(target=nice_own_group, args=(niceness,), name="autogroup", daemon=True).start()


def nice_own_group(niceness: int, write: Callable[[int], None] | None = None, tries: int = 100,
                   pause: float = 0.11) -> bool:
    """Set this process's autogroup nice value. Linux lets an unprivileged process do it only once
    per 100 ms across the machine (EAGAIN otherwise), so a burst of logins takes turns: this runs
    in its own thread and does not hold the session's start."""
    write = write or _write_autogroup
    for _ in range(tries):
        try:
            write(niceness)
            return True
        except BlockingIOError:
            time.sleep(pause * (0.5 + random.random()))    # a burst of logins takes turns, not steps
        except OSError:
            return False        # no autogroup here (another OS, a kernel without it): the nice value counts
    return False


def _write_autogroup(niceness: int) -> None:
    with open("/proc/self/autogroup", "w") as autogroup:
        autogroup.write(str(niceness))


def main() -> None:
    run_zygote(socket.socket(fileno=int(sys.argv[1])))


if __name__ == "__main__":
    main()
