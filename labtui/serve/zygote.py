"""The zygote: a process that has imported the app once and forks a session per login.

Starting Python and importing Textual for every login costs a second or more of CPU; a class of
thirty logging in at once would wait many seconds. The server (which stays small and never loads
Textual) starts one zygote; for each login it sends the session's settings and the pty's terminal
end over a unix socket (SCM_RIGHTS), and the zygote forks a child that makes that pty its
controlling terminal and runs the app. The zygote is single-threaded and runs no event loop, so
forking it is safe; it reports each child's pid and, later, its exit status.
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import termios
from typing import Callable

MESSAGE_LIMIT = 1 << 16
SPAWN_TIMEOUT = 20.0                # seconds for the zygote to fork, even with a class logging in at once
SESSION_MEMORY_LIMIT = 2 << 30      # address space per session process (it uses well under 100 MiB)


# --- the zygote process ----------------------------------------------------------------------------
def preload() -> None:
    """Everything a session imports, so each fork starts warm."""
    from ..lab import library
    from ..tui import app  # noqa: F401
    from ..tui.screens import completion, confirm, console, form, main, pick, welcome  # noqa: F401
    from . import dashboard, mirror, session  # noqa: F401

    library.load_library()


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
        gc.unfreeze()
        os.setsid()
        # However big a window the client claims, one session cannot take the machine's memory.
        resource.setrlimit(resource.RLIMIT_AS, (SESSION_MEMORY_LIMIT, SESSION_MEMORY_LIMIT))
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
        for standard in (0, 1, 2):
            os.dup2(terminal, standard)
        os.close(terminal)
        from .session import run_session

        code = run_session(request)
    except BaseException:           # noqa: BLE001 - whatever happens, the child must not return into the zygote
        from .session import log_crash

        log_crash(request)
    finally:
        os._exit(code)


def main() -> None:
    run_zygote(socket.socket(fileno=int(sys.argv[1])))


# --- the server's side ---------------------------------------------------------------------------------
class ZygoteGone(Exception):
    pass


class Zygote:
    """The server's handle on the zygote: spawn a session, hear when one ends."""

    def __init__(self, on_exit: Callable[[int, int], None], on_gone: Callable[[], None] = lambda: None):
        self.on_exit, self.on_gone = on_exit, on_gone
        self._channel: socket.socket | None = None
        self._process: subprocess.Popen | None = None
        self._ready: asyncio.Future | None = None
        self._waiting: dict[int, asyncio.Future] = {}
        self._next_id = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._process = subprocess.Popen([sys.executable, "-m", "labtui.serve.zygote", str(theirs.fileno())],
                                         pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self._channel = ours
        self._ready = loop.create_future()
        loop.add_reader(ours, self._readable)
        await self._ready

    def _readable(self) -> None:
        try:
            message = self._channel.recv(MESSAGE_LIMIT)
        except BlockingIOError:
            return
        except OSError:
            message = b""
        if not message:
            self._gone()
            return
        data = json.loads(message)
        if "ready" in data:
            self._ready.set_result(data["ready"])
        elif "exited" in data:
            self.on_exit(data["exited"], data["code"])
        else:
            future = self._waiting.pop(data["id"], None)
            if future is not None and not future.done():
                if "pid" in data:
                    future.set_result(data["pid"])
                else:
                    future.set_exception(ZygoteGone(data.get("error", "the zygote refused")))

    def _gone(self) -> None:
        asyncio.get_running_loop().remove_reader(self._channel)
        self._channel.close()
        self._channel = None
        error = ZygoteGone("the session zygote has stopped")
        for future in [self._ready, *self._waiting.values()]:
            if future is not None and not future.done():
                future.set_exception(error)
        self._waiting.clear()
        self.on_gone()

    @property
    def alive(self) -> bool:
        return self._channel is not None and self._process is not None and self._process.poll() is None

    async def spawn(self, request: dict, terminal: int) -> int:
        """Fork a session on ``terminal`` (the pty's slave end, which the caller still closes)."""
        if not self.alive:
            raise ZygoteGone("the session zygote has stopped")
        await self._ready       # a login in the server's first seconds waits for the zygote to finish loading
        self._next_id += 1
        ident = self._next_id
        message = json.dumps({**request, "id": ident}).encode()
        if len(message) > MESSAGE_LIMIT:
            raise ValueError("session request too large")
        future = asyncio.get_running_loop().create_future()
        self._waiting[ident] = future
        socket.send_fds(self._channel, [message], [terminal])
        try:
            return await asyncio.wait_for(future, SPAWN_TIMEOUT)
        except asyncio.TimeoutError:
            raise ZygoteGone("the session zygote did not answer") from None
        finally:
            self._waiting.pop(ident, None)

    async def stop(self) -> None:
        """Closing its socket tells the zygote to go; it gets a moment, then it is killed."""
        if self._channel is not None:
            asyncio.get_running_loop().remove_reader(self._channel)
            self._channel.close()
            self._channel = None
        if self._process is not None:
            try:
                await asyncio.wait_for(asyncio.to_thread(self._process.wait), 5)
            except asyncio.TimeoutError:
                self._process.kill()


if __name__ == "__main__":
    main()
