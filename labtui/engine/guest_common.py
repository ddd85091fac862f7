"""What both guest shells share: the internal result of a line, and the shell base class.

:mod:`labtui.engine.guest` builds a :class:`~labtui.engine.guest.GuestConsole` on one of the two
shells (:mod:`labtui.engine.guest_bash`, :mod:`labtui.engine.guest_powershell`); those shells build
on the pieces here, so they need not import the console's module.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .guest_state import DiskWrite

if TYPE_CHECKING:
    from .guest import GuestConsole


NOTE = "[labtui] "


# Internal results. A command that asks a question returns an Ask; its handler gets the answer
# line and returns what follows (which may ask again).


@attrs.define
class Ask:
    prompt: str
    on_answer: Callable[[str], "Res"]


@attrs.define
class Res:
    lines: list[str] = attrs.Factory(list)
    status: int = 0
    effects: list[Any] = attrs.Factory(list)
    ask: Ask | None = None


def chain(first: Res, cont: Callable[[int], Res]) -> Res:
    """``first``, then ``cont(status of first)``; waits for an answer first if ``first`` asks."""
    if first.ask is not None:
        ask = first.ask
        return Res(list(first.lines), first.status, list(first.effects),
                   Ask(ask.prompt, lambda answer: chain(ask.on_answer(answer), cont)))
    rest = cont(first.status)
    return Res(first.lines + rest.lines, rest.status, first.effects + rest.effects, rest.ask)


def block_write(nbytes: int) -> DiskWrite:
    """A small file write still dirties at least one 4 KiB block of the disk."""
    return DiskWrite(max(4096, -(-nbytes // 4096) * 4096))


def digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


class Shell(abc.ABC):
    """What the console asks of an OS's shell; Bash and PowerShell are the two."""

    def __init__(self, console: GuestConsole) -> None:
        self.console = console
        self.state = console.state
        self.service = console.as_service

    @abc.abstractmethod
    def prompt(self) -> str:
        """The prompt shown before the next line."""

    @abc.abstractmethod
    def execute(self, text: str) -> Res:
        """Run one complete line."""

    @abc.abstractmethod
    def simulated_commands(self) -> list[str]:
        """The commands this shell simulates, for the console's help."""


class Incomplete(Exception):
    """The line is not finished (open quote, trailing pipe): the shell asks for more."""
