"""A session's end of the control channel: say who it is, then pass each message from the server to
the app; the app posts progress (or requests) back."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from . import protocol


class ControlLink:
    def __init__(self, path: str, token: str, on_message: Callable[[dict[str, Any]], None]):
        self.path, self.token, self.on_message = path, token, on_message
        self._writer: asyncio.StreamWriter | None = None
        self._early: list[dict[str, Any]] = []

    async def run(self) -> None:
        """Until the server goes away (the session goes on without it: progress is also on disk)."""
        try:
            reader, self._writer = await protocol.connect(self.path)
        except OSError:
            return
        await protocol.send(self._writer, {"type": "hello", "token": self.token})
        for message in self._early:
            protocol.post(self._writer, message)
        self._early.clear()
        async for message in protocol.messages(reader):
            self.on_message(message)
        self._writer = None

    async def flush(self) -> None:
        if self._writer is not None:
            await self._writer.drain()

    def post(self, message: dict[str, Any]) -> None:
        if self._writer is None:
            self._early.append(message)
            del self._early[:-20]
        else:
            protocol.post(self._writer, message)
