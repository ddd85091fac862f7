"""Long-running operations as data: accepted, then phases on the virtual clock, then succeeded or failed.

An operation is a record plus named phases. A phase is a function registered with ``@phase``;
it runs when its timer comes due and either schedules the next phase or finishes the operation.
Because the state between phases is plain data (``params``), a world can be saved with work in
flight and resumed in another process: ``az vm deallocate --no-wait`` in one ``labtui az`` run and
``az vm wait --deallocated`` in the next behave as on Azure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import attrs

if TYPE_CHECKING:
    from .world import World

PhaseFn = Callable[["World", "Operation"], None]
PHASES: dict[str, PhaseFn] = {}


def phase(name: str) -> Callable[[PhaseFn], PhaseFn]:
    """Register a function as the phase ``name`` (e.g. ``"vm.start.done"``)."""

    def register(fn: PhaseFn) -> PhaseFn:
        if name in PHASES:
            raise ValueError(f"phase {name!r} registered twice")
        PHASES[name] = fn
        return fn

    return register


@attrs.define
class Operation:
    id: str
    name: str                       # "vm.deallocate"
    resource_id: str
    accepted_at: float
    locks: list[str] = attrs.Factory(list)   # lower-cased ids this operation holds
    params: dict[str, Any] = attrs.Factory(dict)
    status: str = "InProgress"      # InProgress | Succeeded | Failed | Canceled (its resource was deleted)
    finished_at: float | None = None
    error: dict | None = None       # {"code": ..., "message": ...}
    result: Any = None

    @property
    def done(self) -> bool:
        return self.status != "InProgress"


# --- phases shared by every resource type ------------------------------------------------------

@phase("resource.create.done")
def _created(world: "World", op: Operation) -> None:
    resource = world.get(op.resource_id)
    if resource is not None:
        world.set_state(resource, "provisioning_state", "Succeeded", "provisioningState")
    world.succeed(op, op.resource_id)


@phase("resource.update.done")
def _updated(world: "World", op: Operation) -> None:
    world.succeed(op, op.resource_id)


@phase("resource.delete.done")
def _deleted(world: "World", op: Operation) -> None:
    resource = world.get(op.resource_id)
    if resource is not None:
        world.remove(resource)
    world.succeed(op)
