"""The one subscriber between the World and the screen.

Engine events arrive synchronously, many per operation and many per second at high clock speeds.
The bridge only records them: which resources changed, whether resources came or went, which
commands ran, and each resource's recent activity. The app takes the batch a few times a second
and hands it to the panes in one refresh, so the screen never redraws once per event.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

import attrs

from ..engine.events import (ClockAdvanced, CommandRun, Event, OperationAccepted, OperationFailed, OperationSucceeded,
                             ResourceCreated, ResourceDeleted, StateChanged)
from ..engine.world import World

ACTIVITY_PER_RESOURCE = 200
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
        self.activity: dict[str, deque[Event]] = {}
        self.commands: deque[CommandRun] = deque(maxlen=COMMAND_HISTORY)
        self._changes = Changes()
        self._unsubscribe: Callable[[], None] = world.subscribe(self._record)

    def rebind(self, world: World) -> None:
        """Follow another world (a lab reset builds a fresh one); the history starts again."""
        self._unsubscribe()
        self.world = world
        self.activity.clear()
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
                self._remember(event.target, event)
            return
        resource_id = getattr(event, "resource_id", None)
        if not resource_id:
            return
        if isinstance(event, (ResourceCreated, ResourceDeleted)):
            changes.structure = True
        changes.ids.add(resource_id.lower())
        if isinstance(event, (StateChanged, OperationAccepted, OperationSucceeded, OperationFailed, ResourceCreated,
                              ResourceDeleted)):
            self._remember(resource_id, event)

    def _remember(self, resource_id: str, event: Event) -> None:
        key = resource_id.lower()
        history = self.activity.get(key)
        if history is None:
            history = self.activity[key] = deque(maxlen=ACTIVITY_PER_RESOURCE)
        history.append(event)


def describe(event: Event) -> str:
    """One line for a resource's Activity tab."""
    if isinstance(event, StateChanged):
        return f"{event.field}: {event.old} → {event.new}"
    if isinstance(event, OperationAccepted):
        return f"{event.operation} accepted"
    if isinstance(event, OperationSucceeded):
        return f"{event.operation} succeeded"
    if isinstance(event, OperationFailed):
        return f"{event.operation} failed: ({event.code}) {event.message}"
    if isinstance(event, ResourceCreated):
        return "created"
    if isinstance(event, ResourceDeleted):
        return "deleted"
    if isinstance(event, CommandRun):
        status = "" if event.exit_status == 0 else f"  (exit {event.exit_status}{', ' + event.error_code if event.error_code else ''})"
        return f"{event.source}$ {event.line}{status}"
    return type(event).__name__
