"""The World: every resource by ARM id, the virtual clock, the operations in flight, the event stream.

It is the one source of truth of the simulated cloud. The services hanging off it
(``world.vms``, ``world.disks``, ...) validate requests with Azure's rules and start operations;
everything they change goes through ``add``/``remove``/``set_state`` here, so every change is an
event and the cost meter stays exact.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

import attrs

from . import catalog, errors
from .activity import RECORDED, ActivityLog
from .clock import Clock
from .errors import ArmError
from .events import (
    AnnexChanged, ClockAdvanced, CommandRun, Event, OperationAccepted, OperationFailed, OperationSucceeded,
    ResourceCreated, ResourceDeleted, StateChanged,
)
from .operations import PHASES, Operation
from .resources import (
    Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, Resource, ResourceGroup, Snapshot,
    VirtualMachine,
)
from .seeded import Seeded
from .storage import BlockStore

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)
# How a refusal names a busy resource ("Operation 'x' is not allowed on VM 'y' ...").
KIND_NAMES: dict[type, str] = {
    VirtualMachine: "VM", Disk: "disk", Snapshot: "snapshot", Image: "image", Gallery: "gallery",
    GalleryImageDefinition: "gallery image", GalleryImageVersion: "gallery image version",
}
# Finished operations kept for inspection; older ones are forgotten so a long session stays small.
KEEP_FINISHED_OPERATIONS = 1000
R = TypeVar("R", bound=Resource)
Subscriber = Callable[[Event], None]


@attrs.define
class Settings:
    """Knobs a lab or a teacher may turn; defaults are a pay-as-you-go subscription's."""

    regional_core_quota: int = 100
    subscription_name: str = "Azure subscription 1"
    user: str = "student@labtui.example"


class World:
    def __init__(self, seed: int = 0, speed: float = 10.0, settings: Settings | None = None):
        self.seeded = Seeded(seed)
        self.subscription_id = self.seeded.guid("subscription")
        self.tenant_id = self.seeded.guid("tenant")
        self.settings = settings or Settings()
        self.clock = Clock(speed=speed)
        self.store = BlockStore()
        self.resources: dict[str, Resource] = {}
        self.operations: dict[str, Operation] = {}
        # Data the layers above persist with the world (az defaults, lab progress), by owner.
        self.annex: dict[str, Any] = {}
        self.accrued_cost = 0.0
        self._cost_time = 0.0
        self._rates: dict[str, float] = {}
        self._rate_total = 0.0
        self.activity = ActivityLog()
        self._subscribers: list[tuple[Subscriber, tuple[type, ...]]] = [(self.activity.record, RECORDED)]
        self._event_seq = 0
        self._locks: dict[str, str] = {}
        self._waiters: dict[str, list["asyncio.Future"]] = {}
        self._sleep_targets: list[float] = []      # when each `sleep` in progress ends (simulated time)
        self._wakeup: "asyncio.Event | None" = None
        self._by_type: dict[type, dict[str, Resource]] = {}
        self._finished: list[str] = []
        self._attach_services()

    def _attach_services(self) -> None:
        from .compute_disks import Disks, Snapshots
        from .compute_images import Images
        from .compute_vms import VirtualMachines
        from .galleries import Galleries
        from .groups import Groups
        from .network import Network

        self.groups = Groups(self)
        self.vms = VirtualMachines(self)
        self.disks = Disks(self)
        self.snapshots = Snapshots(self)
        self.images = Images(self)
        self.galleries = Galleries(self)
        self.network = Network(self)

    # --- ids and queries ---------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now

    def group_id(self, group: str) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{group}"

    def resource_id(self, group: str, provider_type: str, name: str) -> str:
        """``provider_type`` is e.g. ``Microsoft.Compute/disks``. For a nested type
        (``Microsoft.Compute/galleries/images``) ``name`` holds the parents too: ``gallery/definition``."""
        namespace, *types = provider_type.split("/")
        names = name.split("/")
        if len(types) > 1 and len(names) == len(types):
            path = "/".join(f"{t}/{n}" for t, n in zip(types, names))
            return f"/subscriptions/{self.subscription_id}/resourceGroups/{group}/providers/{namespace}/{path}"
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{group}/providers/{provider_type}/{name}"

    def get(self, resource_id: str) -> Resource | None:
        return self.resources.get(resource_id.lower())

    def group(self, name: str) -> ResourceGroup | None:
        found = self.resources.get(self.group_id(name).lower())
        return found if isinstance(found, ResourceGroup) else None

    def require_group(self, name: str) -> ResourceGroup:
        found = self.group(name)
        if found is None:
            raise errors.resource_group_not_found(name)
        return found

    def find(self, cls: type[R], group: str, name: str) -> R | None:
        found = self.get(self.resource_id(group, cls.TYPE, name))
        return found if isinstance(found, cls) else None

    def require(self, cls: type[R], group: str, name: str) -> R:
        """The resource, or Azure's 404 for a missing group or a missing resource."""
        self.require_group(group)
        found = self.find(cls, group, name)
        if found is None:
            raise errors.resource_not_found(cls.TYPE, name, group)
        return found

    def require_id(self, cls: type[R], resource_id: str) -> R:
        found = self.get(resource_id)
        if isinstance(found, cls):
            return found
        parts = resource_id.strip("/").split("/")
        group = parts[3] if len(parts) > 3 else ""
        if group and self.group(group) is None:
            raise errors.resource_group_not_found(group)
        raise errors.resource_not_found(cls.TYPE, parts[-1] if parts else resource_id, group)

    def list(self, cls: type[R] = Resource, group: str | None = None) -> list[R]:  # type: ignore[assignment]
        """Resources of a type (every type for ``Resource``), in creation order, optionally in one group."""
        pool = self.resources.values() if cls is Resource else self._by_type.get(cls, {}).values()
        if group is None:
            return list(pool)  # type: ignore[arg-type]
        wanted = group.lower()
        return [r for r in pool if r.resource_group.lower() == wanted]  # type: ignore[misc]

    def check_regional_limit(self, cls: type[Resource], location: str, limit_key: str, what: str,
                             counts: Callable[[Resource], bool] = lambda resource: True) -> None:
        """Refuse one more ``cls`` in ``location`` past the subscription limit of the reference (§6.9).
        Counting is skipped while the whole subscription holds fewer than the limit."""
        limit = catalog.LIMITS[limit_key]
        pool = self._by_type.get(cls, {})
        if len(pool) < limit:
            return
        if sum(1 for r in pool.values() if r.location == location and counts(r)) >= limit:
            raise errors.limit_exceeded(what, limit, location)

    def in_group(self, group: str) -> list[Resource]:
        wanted = group.lower()
        return [r for r in self.resources.values()
                if not isinstance(r, ResourceGroup) and r.resource_group.lower() == wanted]

    def to_arm(self, resource: Resource) -> dict:
        from .render import render

        return render(self, resource)

    # --- changes -----------------------------------------------------------------------------
    def add(self, resource: Resource) -> Resource:
        resource.time_created = self.now
        self.index(resource)
        self._emit(ResourceCreated, resource_id=resource.id, resource_type=resource.TYPE)
        self.reprice(resource)
        return resource

    def index(self, resource: Resource) -> None:
        """Register a resource by id and type (also used when a saved world is loaded)."""
        key = resource.id.lower()
        self.resources[key] = resource
        self._by_type.setdefault(type(resource), {})[key] = resource

    def remove(self, resource: Resource) -> None:
        if self.resources.pop(resource.id.lower(), None) is None:
            return
        self._by_type.get(type(resource), {}).pop(resource.id.lower(), None)
        self._accrue()
        self._rate_total -= self._rates.pop(resource.id.lower(), 0.0)
        self._emit(ResourceDeleted, resource_id=resource.id, resource_type=resource.TYPE)

    def set_state(self, resource: Resource, attribute: str, value: Any, field: str | None = None) -> None:
        """Change a watched field and emit its transition (``field`` is the ARM name shown to students)."""
        old = getattr(resource, attribute)
        if old == value:
            return
        setattr(resource, attribute, value)
        self._emit(StateChanged, resource_id=resource.id, resource_type=resource.TYPE,
                   field=field or attribute, old=old, new=value)
        self.reprice(resource)

    def announce(self, resource: Resource, field: str, old: Any, new: Any) -> None:
        """Emit the transition of a field derived from others (completionPercent, replication state)."""
        self._emit(StateChanged, resource_id=resource.id, resource_type=resource.TYPE, field=field, old=old, new=new)

    # --- events ------------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback`` for every event (or those of ``types``); returns the unsubscribe function."""
        entry = (callback, types or (Event,))
        self._subscribers.append(entry)

        def unsubscribe() -> None:
            if entry in self._subscribers:
                self._subscribers.remove(entry)

        return unsubscribe

    def _emit(self, cls: type[Event], **fields: Any) -> Event:
        self._event_seq += 1
        event = cls(time=self.now, seq=self._event_seq, **fields)
        for callback, types in list(self._subscribers):
            if isinstance(event, types):
                try:
                    callback(event)
                except Exception:  # a broken subscriber must not break the simulated cloud
                    log.exception("event subscriber failed on %r", event)
        return event

    def annex_changed(self, key: str) -> None:
        """Tell subscribers (an autosave) that ``annex[key]`` changed; the annex itself is plain data."""
        self._emit(AnnexChanged, key=key)

    def record_command(self, source: str, line: str, exit_status: int, *, error_code: str | None = None,
                       argv: Iterable[str] = (), target: str | None = None, output: str = "") -> CommandRun:
        """Record a command a client ran (az or guest console), successful or not."""
        return self._emit(CommandRun, source=source, line=line, exit_status=exit_status, error_code=error_code,
                          argv=tuple(argv), target=target, output=output)  # type: ignore[return-value]

    # --- operations --------------------------------------------------------------------------
    def begin(self, name: str, resource: Resource | str, *, verb: str, kind: str,
              locks: Iterable[str] = (), params: dict | None = None, exclusive: bool = True) -> Operation:
        """Accept an operation after its validation passed: take its locks and emit ``accepted``.

        Call it before adding what the operation creates, so a refusal here leaves nothing behind.
        ``verb`` and ``kind`` word the refusal when a lock is held (``'start'``, ``"VM"``). A
        non-exclusive operation (something the guest OS does by itself) takes no locks."""
        resource_id = resource if isinstance(resource, str) else resource.id
        wanted = [resource_id.lower(), *(lock.lower() for lock in locks)] if exclusive else []
        for lock in wanted:
            holder = self._locks.get(lock)
            if holder is not None:
                target = self.get(lock)
                if isinstance(target, ResourceGroup) or target is None:
                    raise errors.group_being_deleted(resource_id.split("/")[4])
                # Name the busy resource by its own kind, whatever kind of request ran into it.
                raise errors.another_operation_in_progress(verb, KIND_NAMES.get(type(target), kind), target.name)
        self._check_group_not_deleting(resource_id)
        op = Operation(id=self.seeded.guid("operation"), name=name, resource_id=resource_id,
                       accepted_at=self.now, locks=wanted, params=params or {})
        self.operations[op.id] = op
        for lock in wanted:
            self._locks[lock] = op.id
        self._emit(OperationAccepted, operation_id=op.id, operation=name, resource_id=resource_id)
        return op

    def _check_group_not_deleting(self, resource_id: str) -> None:
        parts = resource_id.split("/")
        if len(parts) > 5:
            group = self.group(parts[4])
            if group is not None and group.provisioning_state == "Deleting":
                raise errors.group_being_deleted(group.name)

    def after(self, op: Operation, delay: float, phase_name: str) -> None:
        if phase_name not in PHASES:
            raise KeyError(f"unknown phase {phase_name!r}")
        self.clock.schedule(delay, op.id, phase_name)
        if self._wakeup is not None:
            self._wakeup.set()

    def succeed(self, op: Operation, result: Any = None) -> None:
        op.status, op.finished_at, op.result = "Succeeded", self.now, result
        self._release(op)
        self._retire(op)
        self._emit(OperationSucceeded, operation_id=op.id, operation=op.name, resource_id=op.resource_id)
        self._resolve(op)

    def fail(self, op: Operation, error: ArmError) -> None:
        op.status, op.finished_at, op.error = "Failed", self.now, error.to_json()
        self._release(op)
        self._retire(op)
        self._emit(OperationFailed, operation_id=op.id, operation=op.name, resource_id=op.resource_id,
                   code=error.code, message=error.message)
        self._resolve(op)

    def instant(self, name: str, resource: Resource | str, *, verb: str, kind: str, result: Any = None,
                locks: Iterable[str] = ()) -> Operation:
        """An operation Azure completes synchronously: accepted and succeeded at once."""
        op = self.begin(name, resource, verb=verb, kind=kind, locks=locks)
        self.succeed(op, result)
        return op

    def _retire(self, op: Operation) -> None:
        self._finished.append(op.id)
        while len(self._finished) > KEEP_FINISHED_OPERATIONS:
            self.operations.pop(self._finished.pop(0), None)

    def _release(self, op: Operation) -> None:
        for lock in op.locks:
            if self._locks.get(lock) == op.id:
                del self._locks[lock]

    def busy(self, resource: Resource) -> Operation | None:
        op_id = self._locks.get(resource.id.lower())
        return self.operations.get(op_id) if op_id else None

    def pending(self) -> list[Operation]:
        return [op for op in self.operations.values() if not op.done]

    def cancel_operations_on(self, resource_ids: set[str]) -> None:
        """Drop the timers of operations on resources that are going away (group deletion)."""
        dropped = {op.id for op in self.pending() if op.resource_id.lower() in resource_ids}
        for timer in self.clock.timers:
            if timer.operation_id in dropped:
                timer.cancelled = True
        for op_id in dropped:
            op = self.operations[op_id]
            op.status, op.finished_at = "Canceled", self.now
            op.error = {"code": "Canceled", "message": "The operation was canceled because its resource was deleted."}
            self._release(op)
            self._retire(op)
            self._emit(OperationFailed, operation_id=op.id, operation=op.name, resource_id=op.resource_id,
                       code="Canceled", message=op.error["message"])
            self._resolve(op)

    # --- time --------------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Move simulated time forward, running every phase that comes due, in order."""
        self.advance_to(self.clock.now + max(0.0, seconds))

    def advance_to(self, moment: float) -> None:
        previous = self.clock.now
        while (timer := self.clock.pop_due(moment)) is not None:
            op = self.operations.get(timer.operation_id)
            if op is None or op.done:
                continue
            try:
                PHASES[timer.phase](self, op)
            except ArmError as error:
                self.fail(op, error)
        self.clock.settle_at(moment)
        if self.clock.now != previous:
            self._emit(ClockAdvanced, previous=previous)

    def run_until_idle(self, limit: float = 30 * 24 * 3600.0) -> None:
        """Fast-forward until no work is pending (bounded, in case of a phase that reschedules forever)."""
        stop = self.clock.now + limit
        while (due := self.clock.next_due()) is not None and due <= stop:
            self.advance_to(due)

    def finish(self, op: Operation) -> Operation:
        """Fast-forward until ``op`` is done (what az does while it waits, without the waiting)."""
        while not op.done and (due := self.clock.next_due()) is not None:
            self.advance_to(due)
        return op

    async def wait(self, op: Operation) -> Operation:
        """Await ``op`` while the clock runs in real time (see ``drive``)."""
        import asyncio

        if op.done:
            return op
        future = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(op.id, []).append(future)
        return await future

    async def sleep(self, seconds: float) -> None:
        """Await ``seconds`` of simulated time while the clock runs in real time (see ``drive``): what
        `az vm wait` does between two polls. Paused, it waits for the clock to run again;
        `wake_sleepers` ends it at once."""
        import asyncio

        target = self.clock.current() + max(0.0, seconds)
        self._sleep_targets.append(target)
        try:
            while self.clock.current() < target and target in self._sleep_targets:
                until = self.clock.real_seconds_until(target)
                await asyncio.sleep(min(0.25, until) if until is not None else 0.25)
        finally:
            if target in self._sleep_targets:
                self._sleep_targets.remove(target)
        if self.clock.now < target:
            self.advance_to(self.clock.current())     # the phases due meanwhile run before the next poll

    def wake_sleepers(self) -> bool:
        """Fast-forward to the end of every `sleep` in progress; False when there is none."""
        if not self._sleep_targets:
            return False
        latest = max(self._sleep_targets)
        self._sleep_targets.clear()
        self.advance_to(max(latest, self.clock.current()))     # never behind the live clock
        return True

    def _resolve(self, op: Operation) -> None:
        for future in self._waiters.pop(op.id, []):
            if not future.done():
                future.set_result(op)

    async def drive(self) -> None:
        """Run the clock at ``speed`` x real time until cancelled: wake when the next phase is due.

        While it runs, ``clock.current()`` is the live simulated time; ``now`` is the time of the
        last step (phases run, or the last advance)."""
        import asyncio

        self._wakeup = asyncio.Event()
        self.clock.start_realtime()
        try:
            while True:
                self._wakeup.clear()
                due = self.clock.next_due()
                delay = self.clock.real_seconds_until(due) if due is not None else None
                try:
                    await asyncio.wait_for(self._wakeup.wait(), timeout=delay)
                except asyncio.TimeoutError:
                    pass
                self.advance_to(self.clock.current())
        finally:
            self.clock.stop_realtime()
            self._wakeup = None

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)
        if self._wakeup is not None:
            self._wakeup.set()

    # --- cost --------------------------------------------------------------------------------
    def reprice(self, resource: Resource) -> None:
        from .cost import hourly_rate

        self._accrue()
        key = resource.id.lower()
        if key not in self.resources:
            return
        rate = hourly_rate(self, resource)
        self._rate_total += rate - self._rates.get(key, 0.0)
        self._rates[key] = rate

    def reprice_all(self) -> None:
        """Price every resource afresh (a loaded world: its rates are not saved, prices may have moved)."""
        from .cost import hourly_rate

        self._accrue()
        self._rates = {key: hourly_rate(self, resource) for key, resource in self.resources.items()}
        self._rate_total = sum(self._rates.values())

    def _accrue(self) -> None:
        now = self.clock.now
        if now > self._cost_time:
            self.accrued_cost += self._rate_total * (now - self._cost_time) / 3600.0
        self._cost_time = now

    @property
    def hourly_cost(self) -> float:
        """What the world costs per hour right now (approximate list prices, see catalog.PRICE_LABEL)."""
        return max(0.0, self._rate_total)

    def rate_of(self, resource: Resource) -> float:
        return self._rates.get(resource.id.lower(), 0.0)

    def total_cost(self) -> float:
        """Money spent since the world began, at approximate list prices."""
        self._accrue()
        return self.accrued_cost

    # --- guest consoles ----------------------------------------------------------------------
    def guest(self, vm_id: str):
        """The console of a running VM's guest OS (see ``guest_session.GuestSession``)."""
        from .guest_session import GuestSession

        return GuestSession(self, vm_id)

    def locations(self) -> list[catalog.Location]:
        return list(catalog.LOCATIONS.values())
