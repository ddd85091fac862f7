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

def az_process(directory: Path, runs: int) -> Iterator[Line]:
    script = labtui_script()
    argv = [script, "--data-dir", str(directory), *PROCESS_ARGS]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABTUI_", "PYTHONPROFILEIMPORTTIME"))}

    def once() -> None:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")

    yield Figure("labtui az group list (whole process)", median(timings(once, runs)), 0.35, "s",
                 note=f"{runs} runs, 10,000-resource sandbox")

    bare = [sys.executable, "-c", "pass"]
    startup = median(timings(lambda: subprocess.run(bare, check=True), 5))
    yield info(f"for scale: a bare `python -c pass` takes {startup * 1e3:.0f} ms")

    # What the az path imports, from the console script itself.
    traced = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, check=False, text=True)
    imports = parse_importtime(traced.stderr)
    textual = sorted(name for name in imports["modules"] if name == "textual" or name.startswith("textual."))
    yield Check("az path does not import textual", not textual,
                f"textual modules: {len(textual)}, all modules: {len(imports['modules'])}")
    yield info(f"imports take {imports['total_us'] / 1e3:.0f} ms (-X importtime, self times summed); largest "
               "top-level: " + ", ".join(f"{name} {us / 1e3:.0f} ms" for name, us in imports["top"][:6]))

    # The same steps as `labtui.cli.run_az`, in this process, to split the time.
    steps = run_az_steps(directory)
    yield info("in-process split of the same command: " + ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in steps.items()))


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


def run_az_steps(directory: Path) -> dict[str, float]:
    """Seconds for each step `labtui az group list -o none` takes after its imports."""
    clock = time.perf_counter
    split: dict[str, float] = {}
    sandbox = persist.Sandbox(directory)
    start = clock()
    sandbox.lock()
    split["lock"] = clock() - start
    try:
        start = clock()
        data = sandbox.path.read_bytes()
        split["read"] = clock() - start
        del data
        start = clock()
        world = sandbox.load(seed=0, speed=10.0)
        split["load (read+loads+advance)"] = clock() - start
        start = clock()
        result = AzCli(world).run(PROCESS_ARGS[1:], line="az " + " ".join(PROCESS_ARGS[1:]))
        split["command"] = clock() - start
        assert result.exit_status == 0, result.stderr
        start = clock()
        sandbox.save(world)
        split["save (dumps+atomic write)"] = clock() - start
    finally:
        sandbox.unlock()
    return split


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
    yield info(f"file composition: {composition(data)}")


def composition(data: bytes) -> str:
    """Which parts of the save take the bytes (packed size of each top-level field, and per resource type)."""
    import msgpack

    raw = msgpack.unpackb(data, raw=False, strict_map_key=False)
    parts = {key: len(msgpack.packb(value, use_bin_type=True)) for key, value in raw.items()}
    by_type: dict[str, int] = {}
    for type_name, body in raw.get("resources", []):
        short = type_name.rsplit("/", 1)[-1]
        by_type[short] = by_type.get(short, 0) + len(msgpack.packb(body, use_bin_type=True))
    biggest = sorted(parts.items(), key=lambda item: item[1], reverse=True)[:3]
    types = sorted(by_type.items(), key=lambda item: item[1], reverse=True)[:5]
    return ("; ".join(f"{k} {v / 1e6:.2f} MB" for k, v in biggest) + " — resources by type: "
            + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in types))
