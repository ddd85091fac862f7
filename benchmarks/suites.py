"""The figures: whole-process `labtui az`, az commands in-process, and persistence."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from labtui.az.runner import AzCli
from labtui.engine import persist
from labtui.engine.world import World

from .harness import Check, Figure, info, median, timings
from .world import pick_vms

Line = Figure | Check | str

PROCESS_ARGS = ["az", "group", "list", "-o", "none"]


def labtui_script() -> str:
    """The console script of the environment running the benchmarks (.venv/bin/labtui)."""
    beside = Path(sys.executable).parent / "labtui"
    if beside.exists():
        return str(beside)
    found = shutil.which("labtui")
    if found is None:
        raise SystemExit("benchmarks: the labtui console script is not installed (run `make test` once)")
    return found


def profile_lines(fn: Callable[[], object], top: int = 12) -> list[str]:
    """Where ``fn``'s time goes: the functions with the most own time, with their share of the total."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    return profiler_lines(profiler, top)


def profiler_lines(profiler: cProfile.Profile, top: int = 12) -> list[str]:
    """The functions with the most own time in what ``profiler`` recorded, with their share of the total."""
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = sum(row[2] for row in stats.stats.values()) or 1e-9  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    lines = [info(f"profile (own time, total {total * 1e3:.0f} ms under cProfile):")]
    for (filename, lineno, name), (_cc, calls, own, cumulative, _callers) in rows:
        where = f"{Path(filename).name}:{lineno}" if lineno else filename
        lines.append(info(f"  {100 * own / total:5.1f}%  own {own * 1e3:7.1f} ms  cum {cumulative * 1e3:7.1f} ms  "
                          f"{calls:>8} calls  {name}  ({where})"))
    return lines


# --- (a) `labtui az group list` as a whole process ----------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def process_env(pycache: Path | None) -> dict[str, str]:
    """The environment for a `labtui` subprocess: no LABTUI_* overrides; with ``pycache``, bytecode is
    cached there (as it is in a normal install) even if this shell sets PYTHONDONTWRITEBYTECODE, and
    nothing is written into the source tree."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LABTUI_", "PYTHONPROFILEIMPORTTIME", "PYTHONPYCACHEPREFIX"))}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def az_process(directory: Path, runs: int) -> Iterator[Line]:
    script = labtui_script()
    argv = [script, "--data-dir", str(directory), *PROCESS_ARGS]

    def runner(env: dict[str, str]) -> Callable[[], None]:
        def once() -> None:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
        return once

    with tempfile.TemporaryDirectory(prefix="labtui-bench-pycache-") as pycache:
        cached = process_env(Path(pycache))
        yield Figure("labtui az group list (whole process)", median(timings(runner(cached), runs)), 0.35, "s",
                     note=f"{runs} runs, 10,000-resource sandbox, bytecode cached")
        uncached = median(timings(runner(process_env(None)), max(3, runs // 3), warmup=0))
        yield info(f"the same without a bytecode cache (PYTHONDONTWRITEBYTECODE=1, every module compiled "
                   f"at each start): {uncached:.2f} s")
        bare = [sys.executable, "-c", "pass"]
        startup = median(timings(lambda: subprocess.run(bare, check=True, env=cached), 5))
        yield info(f"for scale: a bare `python -c pass` takes {startup * 1e3:.0f} ms")

        # What the az path imports, from the console script itself.
        traced = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**cached, "PYTHONPROFILEIMPORTTIME": "1"}, check=False, text=True)
        imports = parse_importtime(traced.stderr)
        textual = sorted(name for name in imports["modules"] if name == "textual" or name.startswith("textual."))
        yield Check("az path does not import textual", not textual and traced.returncode == 0,
                    f"textual modules: {len(textual)} of {len(imports['modules'])}")
        yield info(f"imports: {imports['total_us'] / 1e3:.0f} ms under -X importtime; largest top-level: "
                   + ", ".join(f"{name} {us / 1e3:.0f} ms" for name, us in imports["top"][:5]))

        # The same steps as `labtui.cli.run_az`, timed inside one fresh process.
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "benchmarks.split", str(directory)], cwd=ROOT, env=cached,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode == 0:
            split = json.loads(done.stdout)
            steps = ("imports", "lock", "load", "command", "save")
            parts = [f"{name} {split[name] * 1e3:.0f} ms (gc {split[name + ' (gc)'] * 1e3:.0f})" for name in steps]
            rest = wall - sum(split[name] for name in steps)
            yield info("inside one process: " + ", ".join(parts)
                       + f"; interpreter start and exit {rest * 1e3:.0f} ms. (`labtui az` saves only after a "
                       "command that changed something, so `group list` skips the save.)")
        else:
            yield info(f"could not split the process time: {done.stderr.strip()[-300:]}")


def parse_importtime(stderr: str) -> dict:
    modules: list[str] = []
    top: list[tuple[str, int]] = []
    total = 0
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        own, cumulative, indent, name = int(match[1]), int(match[2]), match[3], match[4]
        modules.append(name)
        total += own
        if len(indent) <= 1:
            top.append((name, cumulative))
    top.sort(key=lambda item: item[1], reverse=True)
    return {"modules": modules, "total_us": total, "top": top}


# --- (b), (c) az commands in-process --------------------------------------------------------------------

def az_vm_show(world: World, runs: int, profile: bool) -> Iterator[Line]:
    cli = AzCli(world)
    pairs = pick_vms(world, runs)
    argvs = [["vm", "show", "-g", group, "-n", name] for group, name in pairs]
    for argv in argvs[:5]:                       # build the parser once, warm the caches
        assert cli.run(argv).exit_status == 0
    results = []
    for argv in argvs:
        start = time.perf_counter()
        result = cli.run(argv)
        results.append(time.perf_counter() - start)
        if result.exit_status != 0:
            raise RuntimeError(f"az {' '.join(argv)}: {result.stderr}")
    yield Figure("az vm show in-process", median(results), 1e-3, "ms", note=f"{len(argvs)} different VMs")
    if profile:
        yield from profile_lines(lambda: [cli.run(argv) for argv in argvs])


def az_vm_list(world: World, runs: int, profile: bool) -> Iterator[Line]:
    cli = AzCli(world)
    argv = ["vm", "list", "-o", "json"]
    first = cli.run(argv)
    count = len(json.loads(first.stdout)) if first.exit_status == 0 else 0
    if count == 0:
        raise RuntimeError(f"az vm list: {first.stderr}")
    yield Figure("az vm list -o json in-process", median(timings(lambda: cli.run(argv), runs)), 0.3, "ms",
                 note=f"{count} VMs, {len(first.stdout) / 1e6:.1f} MB of JSON")
    if profile:
        yield from profile_lines(lambda: cli.run(argv))


# --- (d) persistence ----------------------------------------------------------------------------------

def persistence(world: World, runs: int, profile: bool) -> Iterator[Line]:
    data = persist.dumps(world)
    yield Figure("persist.dumps (save: serialise)", median(timings(lambda: persist.dumps(world), runs)), 0.3, "ms",
                 note=f"{len(world.resources)} resources")
    if profile:
        yield from profile_lines(lambda: persist.dumps(world))
    yield Figure("persist.loads (load: deserialise)", median(timings(lambda: persist.loads(data), runs)), 0.3,
                 "ms")
    if profile:
        yield from profile_lines(lambda: persist.loads(data))
    with tempfile.TemporaryDirectory(prefix="labtui-bench-") as tmp:
        path = Path(tmp) / persist.SAVE_NAME
        yield Figure("persist.write_atomic (save: write+fsync)",
                     median(timings(lambda: persist.write_atomic(path, data), runs)), 0.3, "ms")
    yield Figure("sandbox file size", float(len(data)), 10e6, "MB", kind="size")
    yield info(f"what the bytes are: {composition(data)}")


def composition(data: bytes) -> str:
    """What takes the bytes of a save: ARM ids, field names, other strings, guest OS state, disk blocks.
    Records are lists of values (format 3); their classes' field names, from the save's schema, say
    which values are guest state and block maps."""
    import types
    import typing
    import zlib

    import attrs
    import msgpack

    from labtui.engine.persist import SavedWorld
    from labtui.engine.resources import BY_TYPE

    raw = msgpack.unpackb(zlib.decompress(data), raw=False, strict_map_key=False)
    schema = raw["schema"]
    size: dict[str, int] = {}

    def packed(value) -> int:
        return len(msgpack.packb(value, use_bin_type=True))

    def add(kind: str, amount: int) -> None:
        size[kind] = size.get(kind, 0) + amount

    def field(name: str, kind, value) -> None:
        if name in ("blocks", "guest"):
            add("disk blocks" if name == "blocks" else "guest OS state", packed(value))
        else:
            walk(value, kind)

    def walk(value, kind=typing.Any) -> None:
        if typing.get_origin(kind) in (typing.Union, types.UnionType):       # an optional: its other type
            kind = next((arg for arg in typing.get_args(kind) if arg is not type(None)), typing.Any)
        if typing.get_origin(kind) in (list, tuple) and isinstance(value, list):
            item_kind = typing.get_args(kind)[0] if typing.get_args(kind) else typing.Any
            for item in value:
                walk(item, item_kind)
        elif attrs.has(kind) and isinstance(value, list):                    # a record: values in field order
            hints = typing.get_type_hints(kind)
            for name, item in zip(schema[kind.__name__], value):
                field(name, hints[name], item)
        elif isinstance(value, dict):
            hints = typing.get_type_hints(kind) if attrs.has(kind) else {}
            for key, item in value.items():
                add("field names", packed(key))
                field(key, hints.get(key, typing.Any), item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            add("ARM ids" if value.startswith("/subscriptions/") else "other strings", packed(value))
        else:
            add("numbers", packed(value))

    resources = raw.pop("resources")
    add("field names", packed(schema))
    del raw["schema"]
    walk(raw, SavedWorld)
    for type_name, record in resources:
        walk(type_name)
        walk(record, BY_TYPE[type_name.lower()])
    total = sum(size.values())
    parts = sorted(size.items(), key=lambda item: item[1], reverse=True)
    # Shares of the uncompressed msgpack (what the file holds before zlib), which is larger than the file.
    return (f"{total / 1e6:.1f} MB before compression: "
            + ", ".join(f"{kind} {amount / 1e6:.1f} MB ({100 * amount / total:.0f}%)" for kind, amount in parts))
