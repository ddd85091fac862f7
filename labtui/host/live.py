"""Running az's synchronous handlers against a live clock.

az waits for a long-running operation before it prints. In a script, waiting means fast-forwarding
the simulated clock. A live front end (the TUI) wants the clock to go on at its own pace meanwhile,
with the screen redrawing and the student watching `VM deallocating` turn into `VM deallocated`.

So a command line runs inside a greenlet. When its handler waits (or asks a question), the greenlet
hands an awaitable up to the event loop, which awaits it and resumes the handler exactly where it
stopped. Everything stays on the loop's thread, so the world is never touched from two threads and
the az layer keeps its plain synchronous handlers (SQLAlchemy's asyncio layer works the same way).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from greenlet import getcurrent, greenlet

from ..az.framework import Waits
from ..az.parser import AzUsageError

if TYPE_CHECKING:
    from ..engine.operations import Operation
    from ..engine.world import World

T = TypeVar("T")

STOPPED_WAITING_STATUS = 130   # what a shell reports after Ctrl-C


class StoppedWaiting(AzUsageError):
    """The student stopped waiting (Esc). As with Ctrl-C on az, the operation itself goes on in Azure."""

    def __init__(self) -> None:
        super().__init__("Stopped waiting. The operation goes on in Azure: watch its state in the resource list.",
                         STOPPED_WAITING_STATUS)


class _LineGreenlet(greenlet):
    """A greenlet running one command line; only these may suspend."""


def is_live() -> bool:
    return isinstance(getcurrent(), _LineGreenlet)


def suspend(awaitable: Awaitable[T]) -> T:
    """From inside `run_live`: wait for ``awaitable`` on the event loop and return its result."""
    current = getcurrent()
    if not isinstance(current, _LineGreenlet):
        raise RuntimeError("suspend() outside run_live()")
    return current.parent.switch(awaitable)


async def run_live(function: Callable[..., T], *args: Any, interrupt: asyncio.Event | None = None) -> T:
    """Run ``function`` (synchronous) so that its `suspend` calls await on this loop.

    Setting ``interrupt`` while it waits throws `StoppedWaiting` into it at the point where it waits."""
    child = _LineGreenlet(function)
    request = child.switch(*args)
    while not child.dead:
        waiting = asyncio.ensure_future(request)
        stop = asyncio.ensure_future(interrupt.wait()) if interrupt is not None else None
        done, _ = await asyncio.wait({waiting} | ({stop} if stop else set()), return_when=asyncio.FIRST_COMPLETED)
        if stop is not None:
            stop.cancel()
        if waiting not in done:
            waiting.cancel()
            interrupt.clear()
            request = child.throw(StoppedWaiting())
            continue
        try:
            value = waiting.result()
        except Exception as error:  # handed back into the handler, which reports it as az would
            request = child.throw(error)
        else:
            request = child.switch(value)
    return request


def _until_done(world: "World", op: "Operation") -> None:
    if op.done:
        return
    if is_live():
        suspend(world.wait(op))
    else:
        world.finish(op)


def _pause(world: "World", seconds: float) -> None:
    if is_live():
        suspend(world.sleep(seconds))
    else:
        world.advance(seconds)


LIVE_WAITS = Waits(until_done=_until_done, pause=_pause)
"""az waits on the live clock when it runs inside `run_live`, and fast-forwards anywhere else."""


def live_ask(answer: Callable[[str], Awaitable[str]]) -> Callable[[str], str]:
    """A synchronous `ask` for the az layer whose answer comes from an awaitable (a dialog)."""

    def ask(question: str) -> str:
        return suspend(answer(question)) if is_live() else ""

    return ask
