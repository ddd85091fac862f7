"""The processes the terminal-UI figures run (see ``benchmarks.tui``): each runs one app headless, at
120x40, and reports on stdout, so that interpreter start and imports count where they should.

    python -m benchmarks.tui_child minimal            prints PAINTED at the first frame of a minimal app
    python -m benchmarks.tui_child labtui DIR         prints PAINTED at the first frame of labtui's main screen
    python -m benchmarks.tui_child refresh DIR        JSON: CPU seconds of each batched refresh (2k world)
    python -m benchmarks.tui_child idle DIR           JSON: CPU and wall seconds of an idle main screen
    python -m benchmarks.tui_child open DIR           JSON: first paint and event-loop blocks opening DIR

A "frame" is a compositor update of the screen that is current (Textual calls ``post_display_hook``
after each one; headless, the frame is composed but no escape sequences are written). The main
screen's first frame is the first one after its ``on_mount`` has run. Nothing in labtui is changed:
the hook is set on the app instance.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

SIZE = (120, 40)


def _say(text: str) -> None:
    """Straight to the pipe: Textual captures print() while an app runs."""
    os.write(1, (text + "\n").encode())


def _on_first_frame(app: Any, ready: Callable[[], bool], then: Callable[[], None]) -> None:
    """Call ``then`` once, after the first frame drawn while ``ready()`` holds."""
    done = False
    original = app.post_display_hook

    def hook() -> None:
        nonlocal done
        original()
        if done:
            return
        try:
            ok = ready()
        except Exception:  # noqa: BLE001 - no screen yet
            ok = False
        if ok:
            done = True
            then()

    app.post_display_hook = hook


def _main_screen_up(app: Any) -> Callable[[], bool]:
    from labtui.tui.screens.main import MainScreen

    return lambda: isinstance(app.screen, MainScreen) and app.screen.is_mounted


def _painted_and_exit() -> None:
    _say("PAINTED")
    os._exit(0)      # what is measured ends here; freeing the app is not part of it


# --- 1. process start to first frame ------------------------------------------------------------------

def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Name", "Kind", "State")
            table.add_rows([(f"vm{i:04d}", "Virtual machine", "running") for i in range(30)])

    app = Minimal()
    _on_first_frame(app, lambda: app.screen.is_mounted and app.query_one(DataTable).row_count > 0, _painted_and_exit)
    app.run(headless=True, size=SIZE)


def labtui(directory: str) -> None:
    from labtui.tui.startup import imports_done, pause_collector

    pause_collector()                   # as `labtui.cli.ui.run_tui` does around importing the app
    from labtui.tui.app import LabtuiApp

    imports_done()

    app = LabtuiApp(Path(directory), seed=1, start_free=True)
    _on_first_frame(app, _main_screen_up(app), _painted_and_exit)
    app.run(headless=True, size=SIZE)


# --- 2. CPU of one batched refresh ---------------------------------------------------------------------

async def refresh(directory: str, samples: int, profile: bool) -> dict:
    import cProfile

    from labtui.engine.resources import VirtualMachine
    from labtui.tui.app import LabtuiApp
    from labtui.tui.widgets.resource_list import ResourceList

    app = LabtuiApp(Path(directory), start_free=True, speed=0)
    profiler = cProfile.Profile(time.process_time) if profile else None
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        up = _main_screen_up(app)
        deadline = time.monotonic() + 30
        while not up():
            if time.monotonic() > deadline:
                raise RuntimeError("the main screen did not come up in 30 s")
            await pilot.pause(0.05)
        await pilot.pause()
        world = app.workspace.world
        result["resources"] = len(world.resources)
        # The first VM of the first group: its row is on screen, just under the group's heading.
        first = min(world.list(VirtualMachine), key=lambda vm: (vm.resource_group.lower(), vm.name.lower()))
        vm_id = first.id

        def change() -> None:
            """One resource changes: the VM is deallocated or started, through the engine, to the end."""
            vm = world.get(vm_id)
            op = world.vms.deallocate(vm) if vm.power_state == "running" else world.vms.start(vm)
            world.finish(op)

        async def sample(changed: bool) -> float:
            if changed:
                change()
            if profiler is not None and changed:
                profiler.enable()
            start = time.process_time()
            app.flush()
            await pilot.pause()
            spent = time.process_time() - start
            if profiler is not None and changed:
                profiler.disable()
            return spent

        async def series(changed: bool) -> list[float]:
            for _ in range(3):                       # warm the caches (rendered rows, styles)
                await sample(changed)
            return [await sample(changed) for _ in range(samples)]

        result["floor"] = await series(False)
        result["on_screen"] = await series(True)
        tree = app.screen.query_one(ResourceList)
        if not tree.select(vm_id):
            raise RuntimeError("the changed VM has no row in the resource list")
        await pilot.pause()
        result["selected"] = await series(True)
        result["rows"] = tree.row_count()
    if profiler is not None:
        result["profile"] = profile_report(profiler)
    return result


# --- 3. an idle main screen with the clock running -----------------------------------------------------

async def idle(directory: str, seconds: float, profile: bool) -> dict:
    import cProfile

    from labtui.tui.app import LabtuiApp

    from .tui import SMALL, SMALL_IN_FLIGHT
    from .world import vm_spec

    app = LabtuiApp(Path(directory), start_free=True, speed=10.0)
    painted = asyncio.Event()
    _on_first_frame(app, _main_screen_up(app), painted.set)
    result: dict[str, Any] = {}
    profiler = cProfile.Profile(time.process_time) if profile else None

    async def measure() -> None:
        try:
            await asyncio.wait_for(painted.wait(), 30)
            world = app.workspace.world
            op = world.vms.create(vm_spec(SMALL, SMALL_IN_FLIGHT))   # a Windows VM: 180 s simulated, 18 s at 10x
            await asyncio.sleep(1.0)                                  # its first refresh, the saver's first save
            simulated = world.clock.current()
            if profiler is not None:
                profiler.enable()
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.sleep(seconds)
            if profiler is not None:
                profiler.disable()
            result.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall,
                          simulated=world.clock.current() - simulated, in_flight=len(world.pending()),
                          done=op.done, operation=op.name, resources=len(world.resources))
        finally:
            app.exit()

    task = asyncio.create_task(measure())
    await app.run_async(headless=True, size=SIZE)
    await task
    if profiler is not None:
        result["profile"] = profile_report(profiler)
    return result


# --- 4. opening a 10,000-resource world ---------------------------------------------------------------

async def opening(directory: str, after: float, profile: bool) -> dict:
    import cProfile

    from labtui.tui.app import LabtuiApp
    from labtui.tui.screens import main as _imported_here  # noqa: F401 - imports are figure 1's, not this one's

    gaps: list[tuple[float, float]] = []          # (block seconds, when it ended, from app construction)
    period = 0.010
    profiler = cProfile.Profile(time.process_time) if profile else None

    async def watch() -> None:
        """Sleep 10 ms at a time; how much later than that it wakes is how long the loop was blocked."""
        last = time.perf_counter()
        while True:
            await asyncio.sleep(period)
            now = time.perf_counter()
            gaps.append((now - last - period, now - start))
            last = now

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0)
    if profiler is not None:
        profiler.enable()
    start = time.perf_counter()
    app = LabtuiApp(Path(directory), start_free=True)
    painted: list[float] = []
    resources: list[int] = []

    watched: list[float] = []

    def stop() -> None:
        watched.append(time.perf_counter() - start)      # what the app does on its way out is not watched
        if profiler is not None:
            profiler.disable()
        app.exit()

    def first_frame() -> None:
        painted.append(time.perf_counter() - start)
        resources.append(len(app.workspace.world.resources))
        app.set_timer(after, stop)

    _on_first_frame(app, _main_screen_up(app), first_frame)
    await app.run_async(headless=True, size=SIZE)
    watcher.cancel()
    if not painted:
        raise RuntimeError("the main screen was never drawn")
    paint = painted[0]
    gaps = [(gap, at) for gap, at in gaps if at <= watched[0]]
    worst = sorted(gaps, reverse=True)[:5]
    result = {"first_paint": paint, "resources": resources[0],
              "max_block": max((gap for gap, _ in gaps), default=0.0),
              "max_block_before_paint": max((gap for gap, at in gaps if at <= paint), default=0.0),
              "max_block_after_paint": max((gap for gap, at in gaps if at > paint), default=0.0),
              "worst": worst, "watched": watched[0]}
    if profiler is not None:
        result["profile"] = profile_report(profiler)
    return result


def profile_report(profiler) -> list[str]:
    """Own time of the busiest functions, then labtui's own functions by cumulative time (CPU time: the
    profiler's clock is ``time.process_time``, so waiting in epoll counts for nothing).
    LABTUI_BENCH_PSTATS=FILE also writes the whole profile to FILE, for pstats or snakeviz."""
    import pstats

    from .suites import info, profiler_lines

    if os.environ.get("LABTUI_BENCH_PSTATS"):
        profiler.dump_stats(os.environ["LABTUI_BENCH_PSTATS"])
    lines = profiler_lines(profiler, top=10)
    stats = pstats.Stats(profiler)
    ours = [(key, row) for key, row in stats.stats.items()          # type: ignore[attr-defined]
            if f"{os.sep}labtui{os.sep}" in key[0] and f"{os.sep}.venv{os.sep}" not in key[0]]
    ours.sort(key=lambda item: item[1][3], reverse=True)
    lines.append(info("labtui functions by cumulative time:"))
    for (filename, lineno, name), (_cc, calls, _own, cumulative, _callers) in ours[:10]:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{lineno}"
        lines.append(info(f"  cum {cumulative * 1e3:7.1f} ms  {calls:>8} calls  {name}  ({where})"))
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tui_child")
    parser.add_argument("mode", choices=("minimal", "labtui", "refresh", "idle", "open"))
    parser.add_argument("directory", nargs="?")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args(argv)
    if options.mode == "minimal":
        minimal()
    elif options.mode == "labtui":
        labtui(options.directory)
    else:
        if options.mode == "refresh":
            result = asyncio.run(refresh(options.directory, options.samples, options.profile))
        elif options.mode == "idle":
            result = asyncio.run(idle(options.directory, options.seconds, options.profile))
        else:
            result = asyncio.run(opening(options.directory, options.after, options.profile))
        _say(json.dumps(result))
        os._exit(0)   # skip freeing the world at exit
    raise SystemExit("the app ended before its first frame")


if __name__ == "__main__":
    main(sys.argv[1:])
