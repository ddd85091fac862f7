"""The server's handle on the zygote: a process that has imported the app once and forks a session
per login (its own code is forker.py; this module loads no Textual).

Starting Python and importing Textual for every login costs a second or more of CPU; a class of
thirty logging in at once would wait many seconds. The server (which stays small and never loads
Textual) starts one zygote; for each login it sends the session's settings and the pty's terminal
end over a unix socket (SCM_RIGHTS), and the zygote forks a child that makes that pty its
controlling terminal and runs the app. The zygote is single-threaded and runs no event loop, so
forking it is safe; it reports each child's pid and, later, its exit status.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from typing import Callable

MESSAGE_LIMIT = 1 << 16
SPAWN_TIMEOUT = 20.0                # seconds for the zygote to fork, even with a class logging in at once


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
        self._process = subprocess.Popen([sys.executable, "-m", "labtui.serve.forker", str(theirs.fileno())],
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


