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
import select
import signal
import socket
import subprocess
import sys
import termios
from typing import Callable

MESSAGE_LIMIT = 1 << 16


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
            message, fds, _, _ = socket.recv_fds(channel, MESSAGE_LIMIT, 1)
            if not message:
                return          # the server is gone; its ptys closing hang up the sessions
            request = json.loads(message)
            if not fds:
                channel.send(json.dumps({"id": request.get("id"), "error": "no terminal sent"}).encode())
                continue
            pid = os.fork()
            if pid == 0:
                _become_session(request, fds[0], closing=(channel.fileno(), wake_read, wake_write))
            os.close(fds[0])
            channel.send(json.dumps({"id": request["id"], "pid": pid}).encode())


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

    def __init__(self, on_exit: Callable[[int, int], None]):
        self.on_exit = on_exit
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
        error = ZygoteGone("the session zygote has stopped")
        for future in [self._ready, *self._waiting.values()]:
            if future is not None and not future.done():
                future.set_exception(error)
        self._waiting.clear()

    async def spawn(self, request: dict, terminal: int) -> int:
        """Fork a session on ``terminal`` (the pty's slave end, which the caller still closes)."""
        if self._process is None or self._process.poll() is not None:
            raise ZygoteGone("the session zygote has stopped")
        self._next_id += 1
        future = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        socket.send_fds(self._channel, [json.dumps({**request, "id": self._next_id}).encode()], [terminal])
        return await future

    def stop(self) -> None:
        if self._channel is not None:
            try:
                asyncio.get_running_loop().remove_reader(self._channel)
            except RuntimeError:
                pass
            self._channel.close()
            self._channel = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()


if __name__ == "__main__":
    main()
