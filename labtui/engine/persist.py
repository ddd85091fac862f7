"""Saving and loading a world: versioned msgpack through cattrs, zlib-compressed, written atomically.

The file is replaced with a temp file + fsync + rename, so a crash at any moment leaves either
the old save or the new one, never half of either. One process writes a sandbox at a time (an
flock on a lock file beside it). A file that cannot be read is never overwritten: it is moved
aside with a clear message, and the caller starts afresh.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import functools
import gc
import itertools
import operator
import os
import time
import types
import typing
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import cattrs
import msgpack
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.preconf.msgpack import make_converter

from .clock import Clock
from .operations import Operation
from .resources import BY_TYPE, Resource
from .activity import ActivityEntry
from .seeded import Seeded
from .storage import BlockStore
from .world import Settings, World

if TYPE_CHECKING:
    import asyncio

FORMAT = "labtui-sandbox"
# 2: block maps saved as runs (see _block_runs).
# 3: records (attrs objects) saved as lists of field values, each class's field names once in "schema".
# Files of every earlier version still load.
FORMAT_VERSION = 3
SAVE_NAME = "sandbox.msgpack"
LOCK_NAME = "sandbox.lock"

# Field-by-field error paths are not needed to reject a broken file, and cost a third of load time.
converter = make_converter(detailed_validation=False)


def _is_block_map(kind: Any) -> bool:
    return kind == dict[int, int]


def _is_plain(kind: Any) -> bool:
    """Types msgpack already gives back as they were saved: str, int, float, bool, None, and lists,
    dicts and optionals of those (block maps excepted: they are saved as runs)."""
    if _is_block_map(kind):
        return False
    if kind in (str, int, float, bool, type(None), dict, list, Any):
        return True
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType, list, dict):
        return all(_is_plain(arg) for arg in typing.get_args(kind))
    return False


# Loading checks the file's format and version and zlib its checksum; converting each of the world's
# ~10^5 plain values again (str(x), int(x), the None check of an optional) was a quarter of load time.
converter.register_structure_hook_func(_is_plain, lambda value, _kind: value)


def _block_runs(blocks: dict[int, int]) -> list[list[int]]:
    """A block map as runs [first index, first block, length]: a disk from a marketplace image is one
    run however many blocks it has, so the file and its load shrink by ~250,000 numbers per 10,000
    resources."""
    if not blocks:
        return []
    first = min(blocks)
    start, count = blocks[first], len(blocks)
    if blocks == dict(zip(range(first, first + count), range(start, start + count))):
        return [[first, start, count]]      # the usual map, one run, compared at C speed
    runs: list[list[int]] = []
    for index, block in sorted(blocks.items()):
        if runs:
            last = runs[-1]
            if index == last[0] + last[2] and block == last[1] + last[2]:
                last[2] += 1
                continue
        runs.append([index, block, 1])
    return runs


MAX_RUN = 1 << 21      # blocks: more than the largest disk (64 TiB of 64 MiB blocks); a longer run is a broken file


def _blocks_from(saved: Any, _kind: Any) -> dict[int, int]:
    if isinstance(saved, dict):         # format 1
        return saved
    if len(saved) == 1:
        # Every disk, snapshot and image from one marketplace image holds the same single run:
        # copying a map already built is several times faster than building it again.
        index, block, length = saved[0]
        return _one_run(index, block, length).copy()
    blocks: dict[int, int] = {}
    for index, block, length in saved:
        blocks.update(_run(index, block, length))
    return blocks


def _run(index: int, block: int, length: int) -> zip:
    if not 0 < length <= MAX_RUN:
        raise ValueError(f"a block run of {length} blocks")
    return zip(range(index, index + length), range(block, block + length))


@functools.lru_cache(maxsize=64)
def _one_run(index: int, block: int, length: int) -> dict[int, int]:
    """A map of one run; callers copy it, never change it."""
    return dict(_run(index, block, length))


converter.register_unstructure_hook_func(_is_block_map, _block_runs)
converter.register_structure_hook_func(_is_block_map, _blocks_from)


def _takes_fields_by_name(cls: type) -> bool:
    return all(field.init and field.alias == field.name for field in attrs.fields(cls))


def _is_record(cls: type) -> bool:
    """attrs classes saved as a list of their field values (format 3): those whose __init__ takes
    every field by its own name. The save's top level stays a dict, so any version can read its
    format and version. (Activity entries were lists already in format 2, in this same order.)"""
    return attrs.has(cls) and cls is not SavedWorld and _takes_fields_by_name(cls)


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


# While a file is loaded: the saved field names of each record class whose fields have changed
# since that file was written (empty when this version wrote it, the usual case).
_changed_records: contextvars.ContextVar[dict[type, tuple[str, ...]]] = contextvars.ContextVar(
    "_changed_records", default={})


def _record_unstructure_hook(cls: type) -> Any:
    """A record as [value, ...] in field order; the field names go once into the file's schema.
    Without a key beside each value, a save of 10,000 resources unpacks half as many objects."""
    if not _is_record(cls):
        return make_dict_unstructure_fn(cls, converter)
    names = _field_names(cls)
    kinds = typing.get_type_hints(cls)
    hooks = tuple(None if _is_plain(kinds[name]) else converter.get_unstructure_hook(kinds[name]) for name in names)
    if len(names) == 1:
        only = operator.attrgetter(names[0])
        values_of: Any = lambda obj: (only(obj),)
    else:
        values_of = operator.attrgetter(*names)
    if not any(hooks):
        return lambda obj: list(values_of(obj))
    return lambda obj: [value if hook is None else hook(value) for value, hook in zip(values_of(obj), hooks)]


def _attrs_structure_hook(cls: type) -> Any:
    """Build an attrs object straight from what was saved, structuring only the fields that are not
    plain (nested attrs classes, block maps); cattrs' own generated function passes every field
    through a hook call and a second dict, which cost a sixth of load time.

    A record saved as a list (format 3) with this version's fields is passed to the class as it is.
    One saved as a dict (formats 1 and 2), or as a list whose fields have changed since, goes by
    name: keys this version does not know (a field since removed) are dropped, as cattrs drops them,
    and fields added since take their defaults."""
    if not _takes_fields_by_name(cls):
        return make_dict_structure_fn(cls, converter)    # keyword != field name: cattrs' own way
    fields = attrs.fields(cls)
    kinds = typing.get_type_hints(cls)
    known = frozenset(field.name for field in fields)
    count = len(fields)
    nested = tuple((index, field.name, converter.get_structure_hook(kinds[field.name]), kinds[field.name])
                   for index, field in enumerate(fields) if not _is_plain(kinds[field.name]))

    def from_dict(saved: dict) -> Any:
        if known.issuperset(saved):
            values = dict(saved)
        else:
            values = {key: value for key, value in saved.items() if key in known}
        for _index, name, hook, kind in nested:
            if name in values:
                values[name] = hook(values[name], kind)
        return cls(**values)

    from_list = _list_structure_fn(cls, nested)

    def structure(saved: Any, _cls: type) -> Any:
        if type(saved) is not list:
            if type(saved) is dict:
                return from_dict(saved)
            raise ValueError(f"a saved {cls.__name__} is a {type(saved).__name__}")
        saved_names = _changed_records.get().get(cls)
        if saved_names is not None:
            if len(saved) != len(saved_names):
                raise ValueError(f"a saved {cls.__name__} has {len(saved)} values for {len(saved_names)} fields")
            return from_dict(dict(zip(saved_names, saved)))
        if len(saved) != count:
            raise ValueError(f"a saved {cls.__name__} has {len(saved)} values for {count} fields")
        return from_list(saved)

    return structure


def _list_structure_fn(cls: type, nested: tuple) -> Any:
    """A compiled ``build(values)`` that calls ``cls(first=values[0], ...)``, structuring the nested
    fields on the way: keyword-only classes take a saved list without a dict built for each object.
    attrs and cattrs generate their own functions in the same way."""
    hooks = {index: (hook, kind) for index, _name, hook, kind in nested}
    namespace: dict[str, Any] = {"cls": cls}
    arguments = []
    for index, name in enumerate(_field_names(cls)):
        if index in hooks:
            namespace[f"hook{index}"], namespace[f"kind{index}"] = hooks[index]
            arguments.append(f"{name}=hook{index}(values[{index}], kind{index})")
        else:
            arguments.append(f"{name}=values[{index}]")
    exec(f"def build(values):\n    return cls({', '.join(arguments)})\n", namespace)
    return namespace["build"]


converter.register_unstructure_hook_factory(attrs.has, _record_unstructure_hook)
converter.register_structure_hook_factory(attrs.has, _attrs_structure_hook)
# zlib level 1: a tenth of the size (ids repeat a long subscription prefix) for a few tens of ms.
COMPRESSION_LEVEL = 1
_temp_names = itertools.count()


class SandboxError(Exception):
    """A sandbox that cannot be used as asked; the message says why and what to do."""


class SandboxLocked(SandboxError):
    pass


@attrs.define
class SavedWorld:
    format: str
    version: int
    saved_at: float                    # wall-clock time of the save (moves the clock on at the next load)
    seeded: Seeded
    subscription_id: str
    tenant_id: str
    settings: Settings
    clock: Clock
    store: BlockStore
    resources: list[tuple[str, dict]]
    operations: list[Operation]
    annex: dict[str, Any]
    accrued_cost: float
    cost_time: float
    event_seq: int = 0
    activity: list[ActivityEntry] = attrs.Factory(list)     # absent from saves before the activity log


@contextlib.contextmanager
def paused_gc():
    """Building or walking ~10^6 small objects triggers many useless collections; pause them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def snapshot_of(world: World) -> SavedWorld:
    return SavedWorld(
        format=FORMAT, version=FORMAT_VERSION, saved_at=time.time(), seeded=world.seeded,
        subscription_id=world.subscription_id, tenant_id=world.tenant_id, settings=world.settings,
        clock=world.clock, store=world.store,
        resources=[],       # filled in by dumps, already unstructured (see there)
        # Finished operations are history; only work in flight must survive a restart.
        operations=[op for op in world.operations.values() if not op.done],
        annex=world.annex, accrued_cost=world.total_cost(), cost_time=world.clock.now, event_seq=world._event_seq,
        activity=list(world.activity.entries),
    )


def dumps(world: World) -> bytes:
    return compress(pack(world))


@functools.cache
def record_classes() -> dict[str, type]:
    """Every record class a save can hold, by class name: those reachable from SavedWorld's fields
    and from the resource types' fields."""
    found: dict[str, type] = {}
    seen: set[Any] = set()
    pending: list[Any] = [SavedWorld, *BY_TYPE.values()]
    while pending:
        kind = pending.pop()
        if kind in seen:
            continue
        seen.add(kind)
        if attrs.has(kind):
            if _is_record(kind):
                if found.setdefault(kind.__name__, kind) is not kind:
                    raise TypeError(f"two record classes are named {kind.__name__}: a save's schema names them apart")
            pending.extend(typing.get_type_hints(kind).values())
        else:
            pending.extend(typing.get_args(kind))
    return found


def prepare() -> None:
    """Make every hook a save or a load uses now rather than at the first of them: a server that
    forks its sessions does it once, and they share the result. A round trip of a small world
    makes the hooks cattrs picks by a value's own type (fields typed Any, such as the annex's)."""
    for cls in (SavedWorld, *record_classes().values()):
        converter.get_unstructure_hook(cls)
        converter.get_structure_hook(cls)
    world = World(seed=0)
    world.groups.create("rg", "eastus")
    world.annex["prepared"] = {"values": [1, 2.5, "three", None, True]}
    loads(dumps(world))


@functools.cache
def _schema() -> dict[str, list[str]]:
    return {name: list(_field_names(cls)) for name, cls in sorted(record_classes().items())}


def _changed_since(schema: Any) -> dict[type, tuple[str, ...]]:
    """The record classes whose fields differ from those a file was written with, and the file's
    field names for each. A class the file does not name is taken as unchanged (it was added since,
    so the file holds none of it); a name this version does not know is a class since removed."""
    if not isinstance(schema, dict):
        raise ValueError("not a labtui sandbox file")
    changed = {}
    for name, saved_names in schema.items():
        if not isinstance(saved_names, list) or not all(isinstance(field, str) for field in saved_names):
            raise ValueError("not a labtui sandbox file")
        cls = record_classes().get(name)
        if cls is not None and tuple(saved_names) != _field_names(cls):
            changed[cls] = tuple(saved_names)
    return changed


class _HookCache(dict):
    """A converter's hook for each class, looked up once per save or load instead of once per resource."""

    def __init__(self, lookup: Any):
        super().__init__()
        self.lookup = lookup

    def __missing__(self, cls: type) -> Any:
        hook = self[cls] = self.lookup(cls)
        return hook


def pack(world: World) -> bytes:
    """The world as uncompressed msgpack: the part of a save that must see the world standing still."""
    with paused_gc():
        body = converter.unstructure(snapshot_of(world))
        # Unstructured once here; inside SavedWorld cattrs would walk every resource's dict again.
        hooks = _HookCache(converter.get_unstructure_hook)
        body["resources"] = [(r.TYPE, hooks[type(r)](r)) for r in world.resources.values()]
        body["schema"] = _schema()
        return msgpack.packb(body, use_bin_type=True)


def compress(packed: bytes) -> bytes:
    """The rest of a save; zlib releases the GIL, so a thread can do it while the world goes on."""
    return zlib.compress(packed, COMPRESSION_LEVEL)


def loads(data: bytes) -> tuple[World, float]:
    """The world in ``data`` and the wall-clock time it was saved at."""
    with paused_gc():
        return _loads(data)


def _loads(data: bytes) -> tuple[World, float]:
    try:
        data = zlib.decompress(data)
    except zlib.error as broken:
        raise ValueError("not a labtui sandbox file") from broken
    raw = msgpack.unpackb(data, raw=False, strict_map_key=False)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("not a labtui sandbox file")
    version = raw.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise NewerFormat(version)
    # Plain fields are not converted on the way in (see _is_plain): check the ones used before any resource.
    if not isinstance(raw.get("saved_at"), (int, float)) or not isinstance(raw.get("clock"), dict):
        raise ValueError("not a labtui sandbox file")
    # Format 3 saves records as lists; their fields as of the save are named once, in "schema".
    changed = _changed_since(raw.pop("schema", None)) if version >= 3 else {}
    token = _changed_records.set(changed)
    try:
        return _world_from(raw)
    finally:
        _changed_records.reset(token)


def _world_from(raw: dict) -> tuple[World, float]:
    resources = raw.pop("resources", [])
    raw["resources"] = []
    saved = converter.structure(raw, SavedWorld)
    world = World.__new__(World)
    World.__init__(world, seed=saved.seeded.seed, speed=saved.clock.speed, settings=saved.settings)
    world.seeded = saved.seeded
    world.subscription_id, world.tenant_id = saved.subscription_id, saved.tenant_id
    world.clock, world.store, world.annex = saved.clock, saved.store, saved.annex
    hooks = _HookCache(converter.get_structure_hook)
    for type_name, body in resources:
        cls = BY_TYPE[type_name.lower()]
        resource: Resource = hooks[cls](body, cls)
        world.index(resource)
    for op in saved.operations:
        world.operations[op.id] = op
        for lock in op.locks:
            world._locks[lock] = op.id
    world.reprice_all()
    world.accrued_cost, world._cost_time = saved.accrued_cost, saved.cost_time
    world._event_seq = saved.event_seq
    world.activity.entries.extend(saved.activity)
    return world, saved.saved_at


class NewerFormat(Exception):
    def __init__(self, version: Any):
        super().__init__(version)
        self.version = version


# --- files ----------------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> None:
    # Unique per write: two saves in flight at once must never share a temp file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_temp_names)}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class Sandbox:
    """A saved world in a directory, held by this process while it is open."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.path = self.directory / SAVE_NAME
        self._lock_handle: Any = None
        self.notice: str | None = None      # said to the user once: a file was kept aside

    def lock(self, wait_seconds: float = 3.0) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / LOCK_NAME, "a+")
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise SandboxLocked(
                        f"The sandbox in {self.directory} is in use by {holder}. Only one labtui process can "
                        "change a sandbox at a time: close the other one, or use another --data-dir.") from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"labtui (pid {os.getpid()})")
        handle.flush()
        self._lock_handle = handle

    def unlock(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def load(self, seed: int = 0, speed: float = 10.0) -> World:
        """The saved world with its clock moved on by the real time since the save, or a new world."""
        if not self.path.exists():
            return World(seed=seed, speed=speed)
        try:
            world, saved_at = loads(self.path.read_bytes())
            # The clock catches up inside the try: a file whose values are the wrong kind fails here.
            elapsed = max(0.0, time.time() - saved_at)
            if world.clock.speed > 0:
                world.advance(elapsed * world.clock.speed)
        except NewerFormat as newer:
            kept = self._keep_aside("newer")
            self.notice = (f"labtui: the sandbox {self.path} was saved by a newer labtui (format {newer.version}; "
                           f"this one reads up to {FORMAT_VERSION}). It was kept as {kept}; starting a new sandbox.")
            return World(seed=seed, speed=speed)
        except (ValueError, TypeError, KeyError, msgpack.UnpackException, cattrs.BaseValidationError,
                UnicodeDecodeError, AttributeError, IndexError) as broken:
            kept = self._keep_aside("corrupt")
            self.notice = (f"labtui: the sandbox {self.path} could not be read ({type(broken).__name__}). "
                           f"It was kept as {kept}; starting a new sandbox.")
            return World(seed=seed, speed=speed)
        return world

    def _keep_aside(self, why: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        serial = 1
        while kept.exists():
            serial += 1
            kept = self.path.with_name(f"{self.path.name}.{why}-{stamp}-{serial}")
        os.replace(self.path, kept)
        return kept

    def save(self, world: World) -> None:
        write_atomic(self.path, dumps(world))


class DebouncedSaver:
    """Saves a world a moment after it stops changing, in a thread, never blocking the event loop."""

    def __init__(self, sandbox: Sandbox, world: World, delay: float = 0.5):
        self.sandbox, self.world, self.delay = sandbox, world, delay
        self._pending: asyncio.TimerHandle | None = None
        self._running: asyncio.Task | None = None
        self._unsubscribe = world.subscribe(lambda event: self.touch())

    def touch(self) -> None:
        import asyncio      # here, not at the top: `labtui az` saves without an event loop and starts faster

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return      # no event loop (a script): the owner saves explicitly with flush()/Sandbox.save
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.delay, self._start)

    def _start(self) -> None:
        import asyncio

        self._pending = None
        packed = pack(self.world)       # on the loop: the world must not change mid-copy
        self._running = asyncio.ensure_future(self._write_after(self._running, packed))

    async def _write_after(self, previous: asyncio.Future | None, packed: bytes) -> None:
        """Writes go one at a time, in order: an older save must never land after a newer one."""
        import asyncio

        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        await asyncio.to_thread(self._write, packed)

    def _write(self, packed: bytes) -> None:
        write_atomic(self.sandbox.path, compress(packed))

    async def flush(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._start()
        if self._running is not None:
            await self._running

    def close(self) -> None:
        self._unsubscribe()
