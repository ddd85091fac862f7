"""Each resource's activity, kept with the world: the operations accepted, succeeded and failed on it
(what Azure's Activity log shows), the state changes they made and the commands aimed at it.

Saved with the sandbox, so a student who comes back to a lab sees what happened before, not only what
happened since the app started.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

import attrs

from .events import (CommandRun, Event, OperationAccepted, OperationFailed, OperationSucceeded, ResourceCreated,
                     ResourceDeleted, StateChanged)

KEEP = 5000         # entries in all, the oldest dropped first (about 200 per resource in a busy lab)


@attrs.frozen
class ActivityEntry:
    time: float             # simulated seconds
    resource_id: str        # lower-cased
    what: str               # one line: "vm.deallocate accepted", "powerState: running → stopping"


def describe(event: Event) -> str:
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
        failed = "" if event.exit_status == 0 else \
            f"  (exit {event.exit_status}{', ' + event.error_code if event.error_code else ''})"
        return f"{event.source}$ {event.line}{failed}"
    return type(event).__name__


RECORDED = (StateChanged, OperationAccepted, OperationSucceeded, OperationFailed, ResourceCreated, ResourceDeleted,
            CommandRun)


class ActivityLog:
    def __init__(self, entries: Iterable[ActivityEntry] = ()):
        self.entries: deque[ActivityEntry] = deque(entries, maxlen=KEEP)

    def record(self, event: Event) -> None:
        resource_id = event.target if isinstance(event, CommandRun) else getattr(event, "resource_id", None)
        if resource_id:
            self.entries.append(ActivityEntry(event.time, resource_id.lower(), describe(event)))

    def of(self, resource_id: str) -> list[ActivityEntry]:
        """This resource's entries, oldest first."""
        key = resource_id.lower()
        return [entry for entry in self.entries if entry.resource_id == key]
