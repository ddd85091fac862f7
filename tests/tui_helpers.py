"""Driving the TUI in tests: a frozen clock, a private data directory, typing lines, and letting az's
waits finish by fast-forwarding (the clock stands still at speed 0, so nothing moves unless asked)."""

from __future__ import annotations

from pathlib import Path

from labtui.tui.app import LabtuiApp
from labtui.tui.screens.main import MainScreen
from labtui.tui.widgets.command_line import CommandLine
from labtui.tui.widgets.line_log import LineLog

SIZE = (120, 40)


def make_app(data_dir: Path, *, lab=None, free: bool = False, seed: int = 1) -> LabtuiApp:
    """An app whose simulated clock stands still and whose real clock reads 0, so screens repeat exactly."""
    return LabtuiApp(data_dir, seed=seed, lab=lab, start_free=free, speed=0, real_clock=lambda: 0.0)


async def until(pilot, condition, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


async def main_screen(pilot) -> MainScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    await pilot.pause()
    return pilot.app.screen


async def type_line(pilot, line: str, *, finish: bool = True) -> None:
    """Type a line into the command line and run it; with ``finish``, fast-forward until az is done."""
    app = pilot.app
    command = app.screen.query_one(CommandLine)
    command.focus()
    command.value = line
    await pilot.press("enter")
    await pilot.pause()
    if finish:
        await settle(pilot)


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(200):
        if app.workspace.running is None and not app.workspace.world.pending():
            break
        if app.workspace.world.pending():
            app.fast_forward()
        await pilot.pause(0.01)
    app.flush()
    await pilot.pause()


def output_text(app) -> str:
    return "\n".join(line.plain for line in app.screen.query_one("#output", LineLog).lines)
