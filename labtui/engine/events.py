"""Typed events the World emits. Labs, the TUI and persistence subscribe to these; nothing polls.

``time`` is simulated seconds; ``seq`` orders events that share a time.
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class Event:
    time: float
    seq: int


@attrs.frozen(kw_only=True)
class OperationAccepted(Event):
    operation_id: str
    operation: str          # e.g. "vm.deallocate"
    resource_id: str


@attrs.frozen(kw_only=True)
class OperationSucceeded(Event):
    operation_id: str
    operation: str
    resource_id: str


@attrs.frozen(kw_only=True)
class OperationFailed(Event):
    operation_id: str
    operation: str
    resource_id: str
    code: str
    message: str


@attrs.frozen(kw_only=True)
class ResourceCreated(Event):
    resource_id: str
    resource_type: str


@attrs.frozen(kw_only=True)
class ResourceDeleted(Event):
    resource_id: str
    resource_type: str


@attrs.frozen(kw_only=True)
class StateChanged(Event):
    """A field that students watch changed: power state, provisioning state, disk state, ..."""

    resource_id: str
    resource_type: str
    field: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True)
class CommandRun(Event):
    """A command a client ran: an az line, or a line typed in a VM's guest console.

    Recorded whether it succeeded, failed in validation, or never parsed, so labs see mistakes.
    """

    source: str                     # "az" | "guest"
    line: str
    exit_status: int
    error_code: str | None = None   # ARM code or CLI error class, when it failed
    argv: tuple[str, ...] = ()
    target: str | None = None       # the VM id for guest lines
    output: str = ""


@attrs.frozen(kw_only=True)
class ClockAdvanced(Event):
    """Emitted once per advance, so a clock display can follow time without polling."""

    previous: float


@attrs.frozen(kw_only=True)
class AnnexChanged(Event):
    """A layer above changed what it keeps with the world in ``World.annex`` (az defaults, lab progress).

    Not a change to the cloud: it exists so that an autosave that follows events saves it too."""

    key: str                        # the owner's key: "az", "lab"
