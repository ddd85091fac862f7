"""The terminal-UI figures: first frame against a minimal Textual app, the CPU of a batched refresh in a
2,000-resource world, an idle main screen with the clock running, and opening the 10,000-resource world.

Each app runs headless (120x40) in its own process (``benchmarks.tui_child``), so interpreter start and
imports count, and no other world in memory slows the collector. Headless, Textual composes every
frame but writes no escape sequences, so these figures leave out the terminal output itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from labtui.engine import persist
from labtui.engine.world import World

from .harness import Figure, info, median
from .suites import ROOT, Line
from .world import WorldShape, build_world

# About 2,000 resources: 400 VMs with their disks, NICs and public IPs, snapshots and images, in 4 groups.
TWO_THOUSAND = WorldShape(vms=400, groups=4, snapshots=320, images=64)
# One Windows VM in one group; the idle figure then creates vm0005 (Windows again: 180 s simulated).
SMALL = WorldShape(vms=1, groups=1, snapshots=0, images=0)
SMALL_IN_FLIGHT = 5

CHILD = [sys.executable, "-m", "benchmarks.tui_child"]


def _child(args: list[str], env: dict[str, str], timeout: float = 120) -> dict:
    """Run one child to the end and return the JSON object it printed last."""
    done = subprocess.run([*CHILD, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"tui_child {args[0]} exited {done.returncode}: {done.stderr.strip()[-800:]}")
    return json.loads(lines[-1])


def _until_painted(args: list[str], env: dict[str, str], timeout: float = 60) -> float:
    """Seconds from spawning a child to reading its PAINTED line."""
    start = time.perf_counter()
    child = subprocess.Popen([*CHILD, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()          # blocks until the marker (or the child ends)
        elapsed = time.perf_counter() - start
        if line.strip() != "PAINTED":
            child.wait(timeout)
            raise RuntimeError(f"tui_child {args[0]} exited {child.returncode} before its first frame: "
                               f"{child.stderr.read().strip()[-800:]}")
        child.wait(timeout)
        return elapsed
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


class Sandboxes:
    """``world`` saved once as a free sandbox; ``fresh()`` is a new data dir holding a copy of it, so that
    no run sees what an earlier one saved (the app saves as the world changes)."""

    def __init__(self, world: World, root: Path):
        self.root = root
        self.saved = root / "saved"
        self.saved.mkdir()
        persist.Sandbox(self.saved).save(world)
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        copy = self.root / f"run-{self.count}"
        shutil.copytree(self.saved, copy, ignore=shutil.ignore_patterns("*.lock"))
        return str(copy)


# --- 1. process start to the first frame ------------------------------------------------------------

def first_paint(env: dict[str, str], runs: int) -> Iterator[Line]:
    minimal: list[float] = []
    labtui: list[float] = []
    with tempfile.TemporaryDirectory(prefix="labtui-bench-tui-") as tmp:
        def fresh(n: int) -> str:
            directory = Path(tmp) / f"data-{n}"    # a new, empty data dir each run: a first free sandbox
            directory.mkdir()
            return str(directory)

        _until_painted(["minimal"], env)           # warm-up: bytecode cached, files in the page cache
        _until_painted(["labtui", fresh(0)], env)
        for n in range(1, runs + 1):                # interleaved, so drift on the machine hits both alike
            minimal.append(_until_painted(["minimal"], env))
            labtui.append(_until_painted(["labtui", fresh(n)], env))
    ratio = median(labtui) / median(minimal)
    yield Figure("TUI first frame vs minimal Textual app", ratio, 1.5, "x", kind="ratio",
                 note=f"labtui main screen {median(labtui) * 1e3:.0f} ms, Header+DataTable+Footer app "
                      f"{median(minimal) * 1e3:.0f} ms; spawn to first frame, medians of {runs}")


# --- 2. CPU of one batched refresh --------------------------------------------------------------------

def refresh(env: dict[str, str], profile: bool, samples: int = 50) -> Iterator[Line]:
    with tempfile.TemporaryDirectory(prefix="labtui-bench-tui-") as tmp:
        sandboxes = Sandboxes(build_world(TWO_THOUSAND), Path(tmp))
        result = _child(["refresh", sandboxes.fresh(), "--samples", str(samples)], env)
        profiled = _child(["refresh", sandboxes.fresh(), "--samples", "20", "--profile"], env) if profile else {}
    floor, on_screen, selected = result["floor"], result["on_screen"], result["selected"]
    common = f"{result['resources']:,} resources ({result['rows']:,} rows in the tree), {samples} samples"
    yield Figure("TUI refresh CPU, 1 VM changed, on screen", median(on_screen), 10e-3, "ms",
                 note=f"{common}; p95 {_p95(on_screen) * 1e3:.1f} ms, max {max(on_screen) * 1e3:.1f} ms")
    yield Figure("TUI refresh CPU, the same VM selected", median(selected), 10e-3, "ms",
                 note=f"details pane redrawn too; p95 {_p95(selected) * 1e3:.1f} ms, "
                      f"max {max(selected) * 1e3:.1f} ms")
    yield info(f"each sample: deallocate or start the VM through the engine to the end (its OS disk changes too), "
               f"then time app.flush() + pilot.pause(); with nothing changed the same costs "
               f"{median(floor) * 1e3:.1f} ms (p95 {_p95(floor) * 1e3:.1f} ms): pilot's own wait, timers")
    if profiled:
        yield info("profile of 20 refreshes of each kind with a change (CPU time):")
        yield from profiled.get("profile", [])


# --- 3. an idle main screen with the clock running -------------------------------------------------------

def idle(env: dict[str, str], profile: bool, seconds: float = 5.0) -> Iterator[Line]:
    with tempfile.TemporaryDirectory(prefix="labtui-bench-tui-") as tmp:
        sandboxes = Sandboxes(build_world(SMALL), Path(tmp))
        result = _child(["idle", sandboxes.fresh(), "--seconds", str(seconds)], env)
        profiled = _child(["idle", sandboxes.fresh(), "--seconds", str(seconds), "--profile"], env) if profile else {}
    if result["done"] or not result["in_flight"]:
        raise RuntimeError(f"the {result['operation']} finished before the measurement did")
    yield Figure("TUI idle CPU, clock 10x, 1 op in flight", result["cpu"] / result["wall"], 0.03, "%", kind="mean",
                 note=f"{result['cpu'] * 1e3:.0f} ms CPU over {result['wall']:.1f} s; {result['operation']} in "
                      f"flight, {result['simulated']:.0f} s simulated")
    if profiled:
        yield info(f"profile of the {seconds:g} s (CPU time):")
        yield from profiled.get("profile", [])


# --- 4. opening the 10,000-resource world ----------------------------------------------------------------

def opening(world: World, env: dict[str, str], runs: int, profile: bool, after: float = 2.0) -> Iterator[Line]:
    results = []
    with tempfile.TemporaryDirectory(prefix="labtui-bench-tui-") as tmp:
        sandboxes = Sandboxes(world, Path(tmp))
        for _ in range(runs):
            results.append(_child(["open", sandboxes.fresh(), "--after", str(after)], env))
        profiled = _child(["open", sandboxes.fresh(), "--after", str(after), "--profile"], env) if profile else {}
    paint = [r["first_paint"] for r in results]
    worst = max(results, key=lambda r: r["max_block"])
    yield Figure("TUI open 10k world: first frame", median(paint), 2.0, "s",
                 note=f"{results[0]['resources']:,} resources; app construction to first frame of the main "
                      f"screen, {runs} runs ({', '.join(f'{p:.2f}' for p in paint)} s)")
    yield Figure("TUI open 10k world: longest loop block", worst["max_block"], 0.25, "ms", kind="max",
                 note=f"worst of {runs} runs, while opening and {after:g} s after; before the first frame "
                      f"{max(r['max_block_before_paint'] for r in results) * 1e3:.0f} ms, after it "
                      f"{max(r['max_block_after_paint'] for r in results) * 1e3:.0f} ms")
    yield info("longest blocks of that run (ms, ending at s after construction): "
               + ", ".join(f"{gap * 1e3:.0f} @ {at:.2f}" for gap, at in worst["worst"]))
    if profiled:
        yield info("profile of one more opening, to the end of the watch (CPU time):")
        yield from profiled.get("profile", [])

