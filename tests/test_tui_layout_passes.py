"""labtui.tui.layout_passes: a lab's screen is laid out once where Textual lays it out several times,
and every layout along a session is the one Textual makes without it."""

from __future__ import annotations

import re

import pytest
import textual.app
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from labtui.lab.library import find_lab
from labtui.tui import layout_passes
from labtui.tui.screens.main import MainScreen
from tui_helpers import SIZE, main_screen, make_app, settle, type_line

LAB = "windows-image"
MESSAGE = "A message for the class"
TOAST_ID = re.compile(r"--textual-toast-[0-9a-f-]+")       # a new uuid for each notification


def use_textuals_own(monkeypatch) -> None:
    """Textual's own layout passes, until the monkeypatch is undone."""
    monkeypatch.setattr(Widget, "_size_updated", layout_passes._size_updated)
    monkeypatch.setattr(Screen, "_refresh_layout", layout_passes._refresh_layout)
    monkeypatch.setattr(Screen, "_on_layout", layout_passes._on_layout)
    monkeypatch.setattr(Screen, "_screen_resized", layout_passes._screen_resized)
    monkeypatch.setattr(textual.app, "AwaitMount", layout_passes.AwaitMount)


@pytest.fixture
def textuals_own(monkeypatch):
    use_textuals_own(monkeypatch)


def count_layouts(monkeypatch) -> list[str]:
    """The main screen's whole layouts from now on (a scroll's are not whole)."""
    layouts: list[str] = []
    laid_out = Screen._refresh_layout

    def counted(screen, size=None, scroll=False):
        if isinstance(screen, MainScreen) and not (scroll and not screen._layout_widgets):
            layouts.append(type(screen).__name__)
        return laid_out(screen, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts


async def layouts_opening_a_lab(tmp_path, monkeypatch) -> int:
    layouts = count_layouts(monkeypatch)
    app = make_app(tmp_path, lab=find_lab(LAB))
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        await pilot.pause(0.3)
        return len(layouts)


async def test_a_lab_opens_with_one_layout(tmp_path, monkeypatch):
    assert layout_passes.installed()
    assert await layouts_opening_a_lab(tmp_path, monkeypatch) == 1


async def test_textual_alone_lays_the_same_lab_out_more_often(tmp_path, monkeypatch, textuals_own):
    # What the test above could fail on: without the passes, the same start makes more layouts.
    assert await layouts_opening_a_lab(tmp_path, monkeypatch) > 2


def placement(app) -> list[tuple]:
    """Where the screen's layout put each widget: its region and virtual size (the frame follows from
    these; comparing pixels would compare the cursor's blink and the toasts' timers too)."""
    return sorted((type(app.screen).__name__,
                   TOAST_ID.sub("toast", " ".join(node.css_identifier for node in widget.ancestors_with_self)),
                   tuple(geometry.region), tuple(geometry.virtual_size))
                  for widget, geometry in app.screen._compositor._full_map.items())


async def placements_in_a_session(tmp_path) -> list[list[tuple]]:
    """The layout at each point of a session that mounts, notifies, resizes, scrolls and pushes screens."""
    app = make_app(tmp_path, lab=find_lab(LAB))
    # One toast, of its own below: the app's (a done step, a fast-forward) time out while the test runs.
    notify = app.notify
    app.notify = lambda message, **options: notify(message, **options) if message == MESSAGE else None
    frames: list[list[tuple]] = []

    def frame() -> None:
        frames.append(placement(app))

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await main_screen(pilot)
        await pilot.pause(0.2)
        frame()
        await type_line(pilot, find_lab(LAB).steps[0].solution[0])
        await pilot.pause(0.2)
        frame()
        for line in ("az group list -o table", "az vm list -o table", "az disk list -o table"):
            await type_line(pilot, line)
        await pilot.pause(0.2)
        frame()
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        frame()
        await pilot.press("3")
        await pilot.press("end")
        await pilot.pause(0.2)
        frame()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause(0.2)
        frame()
        app.notify(MESSAGE, timeout=30)         # the toast rack, hidden until now, shows
        await app.screen.mount(Static("mounted into the screen", id="late"))
        await pilot.pause(0.3)
        frame()
        app.screen.action_command_log()                 # another screen, and back
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "CommandLogScreen"
        frame()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.2)
        frame()
    return frames


async def test_every_layout_is_textuals_own(tmp_path, monkeypatch):
    ours = await placements_in_a_session(tmp_path / "ours")
    with monkeypatch.context() as textual_alone:
        use_textuals_own(textual_alone)
        theirs = await placements_in_a_session(tmp_path / "theirs")
    assert len(ours) == len(theirs) == 9
    for number, (mine, own) in enumerate(zip(ours, theirs)):
        assert mine == own, f"layout {number} differs"
    late = [region for _screen, name, region, _size in ours[6] if name.startswith("Static#late")]
    assert late and late[0][3] == 1                     # what was mounted after the start is laid out
    toasts = [region for _screen, name, region, _size in ours[6] if name.startswith("Toast ")]
    assert toasts and toasts[0][2] > 0 and toasts[0][3] > 0
    assert ours[3] != ours[2]                           # and a resize moved things: the test sees layouts
