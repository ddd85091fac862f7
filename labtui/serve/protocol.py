"""The control channel between the server and its sessions: JSON messages, one per line, on a unix
socket in the class directory. Sessions report progress and hear broadcasts; the dashboard hears
the class and asks to follow a student, whose screen arrives as base64 output messages."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

LINE_LIMIT = 1 << 20        # a screen's worth of output, base64'd, fits with room to spare
BACKLOG_LIMIT = 4 << 20     # bytes queued for a reader that has stopped reading: past this, messages drop


async def send(writer: asyncio.StreamWriter, message: dict[str, Any]) -> None:
    post(writer, message)
    await writer.drain()


def post(writer: asyncio.StreamWriter, message: dict[str, Any]) -> None:
    """Send without waiting for the buffer to drain (from synchronous code). A peer that has stopped
    reading loses messages rather than growing the sender's memory; every kind is superseded by the next."""
    if not writer.is_closing() and writer.transport.get_write_buffer_size() < BACKLOG_LIMIT:
        writer.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")


async def messages(reader: asyncio.StreamReader) -> AsyncIterator[dict[str, Any]]:
    """Each message until the other side goes away; a malformed line ends the conversation."""
    while True:
        try:
            line = await reader.readline()
        except (ConnectionError, asyncio.LimitOverrunError, ValueError):
            return
        if not line:
            return
        try:
            message = json.loads(line)
        except ValueError:
            return
        if isinstance(message, dict):
            yield message


async def connect(path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_unix_connection(path, limit=LINE_LIMIT)
