"""The one subscriber between the World and the screen.

Engine events arrive synchronously, many per operation and many per second at high clock speeds.
The bridge only records them: which resources changed, whether resources came or went, and which
commands ran (each resource's activity is the world's own log, saved with the sandbox). The app takes
the batch a few times a second and hands it to the panes in one refresh, so the screen never redraws
once per event.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

import attrs

from ..engine.events import ClockAdvanced, CommandRun, Event, ResourceCreated, ResourceDeleted
from ..engine.world import World

COMMAND_HISTORY = 2000


@attrs.define
class Changes:
    """What happened since the last batch."""

    ids: set[str] = attrs.Factory(set)          # lower-cased ids of resources whose state changed
    structure: bool = False                     # resources were created or deleted
    commands: list[CommandRun] = attrs.Factory(list)
    clock: bool = False                         # simulated time moved

    def __bool__(self) -> bool:
        return bool(self.ids or self.structure or self.commands or self.clock)


class WorldBridge:
    def __init__(self, world: World):
        self.world = world
        self.commands: deque[CommandRun] = deque(maxlen=COMMAND_HISTORY)
        self._changes = Changes()
        self._unsubscribe: Callable[[], None] = world.subscribe(self._record)

    def rebind(self, world: World) -> None:
        """Follow another world (a lab reset builds a fresh one); the history starts again."""
        self._unsubscribe()
        self.world = world
        self.commands.clear()
        self._changes = Changes(structure=True)
        self._unsubscribe = world.subscribe(self._record)

    def close(self) -> None:
        self._unsubscribe()

    def take(self) -> Changes:
        changes, self._changes = self._changes, Changes()
        return changes

    def _record(self, event: Event) -> None:
        changes = self._changes
        if isinstance(event, ClockAdvanced):
            changes.clock = True
            return
        if isinstance(event, CommandRun):
            changes.commands.append(event)
            self.commands.append(event)
            if event.target:
                changes.ids.add(event.target.lower())       # its Activity tab has a line more
            return
        resource_id = getattr(event, "resource_id", None)
        if not resource_id:
            return
        if isinstance(event, (ResourceCreated, ResourceDeleted)):
            changes.structure = True
        changes.ids.add(resource_id.lower())
