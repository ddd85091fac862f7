"""The row-limited partial renders (labtui.tui.compositing) draw exactly what Textual's own would,
for crops of every shape, on a busy lab screen and with a dialog over it."""

from __future__ import annotations

import pytest
import textual
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from labtui.lab.library import find_lab
from labtui.tui import compositing
from labtui.tui.screens.form import FormScreen
from labtui.tui.widgets.command_line import CommandLine
from tui_helpers import SIZE, main_screen, make_app, type_line, until

WIDTH, HEIGHT = SIZE
CROPS = [
    Region(0, 0, WIDTH, HEIGHT),                 # the whole screen
    Region(0, HEIGHT - 6, WIDTH, 3),             # rows at the bottom, whole width
    Region(37, 5, 21, 9),                        # a box cutting across several widgets' edges
    Region(WIDTH - 3, 0, 3, HEIGHT),             # a narrow column at the right edge
    Region(10, 20, 1, 1),                        # one cell
]


def drawn_rows(crop: Region) -> list[set[int]]:
    """Which of the crop's rows an update draws: all of them, or (as when a clock at the top and a
    command line at the bottom change together) a few apart."""
    rows = list(crop.line_range)
    return [set(rows), {rows[0], rows[-1]}, set(rows[::3]), set(rows[1:2])]


def chops(compositor: Compositor, crop: Region, drawn: set[int], renders) -> list[list]:
    """What the update sends, with ``renders`` as the compositor's _get_renders: each drawn row's cells
    (character and style) within the crop's columns, from the chops the compositor makes."""
    saved = Compositor._get_renders
    Compositor._get_renders = renders
    try:
        lines = compositor._render_chops(crop, drawn.__contains__)
    finally:
        Compositor._get_renders = saved
    rows = []
    for y in sorted(drawn):
        cells: list = [None] * WIDTH
        for cut, strip in lines[y].items():
            x = cut
            for segment in strip or ():
                for character in segment.text:
                    if x < WIDTH:
                        cells[x] = (character, segment.style)
                    x += 1
        rows.append(cells[crop.x:crop.right])
    return rows


# Sets of changed regions a partial update sends: one pane, a pane and the rows at the bottom, two
# boxes side by side, a column and a row apart, one cell, the whole screen.
UPDATES = [
    [Region(80, 1, 38, 20)],
    [Region(80, 1, 38, 20), Region(0, HEIGHT - 6, WIDTH, 3)],
    [Region(2, 4, 20, 6), Region(50, 6, 20, 10)],
    [Region(WIDTH - 3, 0, 3, HEIGHT), Region(0, HEIGHT - 2, 40, 1)],
    [Region(10, 20, 1, 1)],
    [Region(0, 0, WIDTH, HEIGHT)],
    [Region(x, y, 7, 2) for x in range(0, WIDTH - 7, 13) for y in (3, 17, 30)],     # many, as after a command
]


def sent(compositor: Compositor, console, regions: list[Region], whole: bool) -> str:
    """What a partial update for ``regions`` writes to the terminal: Textual's own, or with the
    renders limited to the changed regions' rows."""
    compositor._dirty_regions = set(regions)
    if not whole:
        return compositing._partial_update(compositor).render_segments(console)
    saved = Compositor._get_renders, Compositor._render_chops
    Compositor._get_renders, Compositor._render_chops = compositing._whole_renders, compositing._all_chops
    try:
        return compositing._whole_partial_update(compositor).render_segments(console)
    finally:
        Compositor._get_renders, Compositor._render_chops = saved


def assert_same_frames(screen) -> None:
    compositor = screen._compositor
    for crop in CROPS:
        for drawn in drawn_rows(crop):
            assert chops(compositor, crop, drawn, compositing._rows_in_crop) == \
                chops(compositor, crop, drawn, compositing._whole_renders), (crop, sorted(drawn))
    console = screen.app.console
    for regions in UPDATES:
        assert sent(compositor, console, regions, whole=False) == sent(compositor, console, regions, whole=True), \
            regions


def test_only_the_drawn_rows_are_rendered():
    rendered: list[tuple[int, int]] = []

    class Widget:
        def render_lines(self, crop: Region) -> list:
            rendered.append((crop.y, crop.height))
            return [None] * crop.height

    class Map:
        visible_widgets = {Widget(): (Region(0, 10, 80, 20), Region(0, 0, 80, 40))}

    crop = Region(0, 0, 80, 40)
    compositing._drawn_rows = {0, 12, 13, 14, 29, 35}.__contains__
    try:
        drawn = [(part.y, part.height) for _, part, _ in compositing._rows_in_crop(Map(), crop)]
    finally:
        compositing._drawn_rows = None
    # Rows 0 and 35 are outside the widget; 12-14 are one run, 29 another (its region ends at row 30).
    assert drawn == [(12, 3), (29, 1)]
    assert rendered == [(2, 3), (19, 1)]        # the same rows, counted from the widget's own top


async def test_row_limited_renders_draw_what_textuals_own_do(tmp_path):
    assert textual.__version__ != compositing.WRITTEN_FOR or compositing.installed()
    app = make_app(tmp_path, lab=find_lab("windows-image"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        await type_line(pilot, "az group create -n rg-lab -l eastus")
        command = screen.query_one(CommandLine)
        command.focus()
        await pilot.press(*"az vm cre")
        await pilot.pause()
        assert_same_frames(screen)
        screen.open_form("disk", None)
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert_same_frames(app.screen)


def test_a_textual_it_was_not_written_for_is_left_alone(monkeypatch):
    monkeypatch.setattr(Compositor, "_get_renders", compositing._whole_renders)
    monkeypatch.setattr(Compositor, "_render_chops", compositing._all_chops)
    monkeypatch.setattr(Compositor, "render_partial_update", compositing._whole_partial_update)
    monkeypatch.setattr(textual, "__version__", "99.0.0")
    assert compositing.install() is False and not compositing.installed()
    assert Compositor._get_renders is compositing._whole_renders
    assert Compositor._render_chops is compositing._all_chops
    assert Compositor.render_partial_update is compositing._whole_partial_update


async def rendered_after(tmp_path, monkeypatch, change) -> list[str]:
    """The classes of the widgets rendered for ``change(pilot, screen)`` on a lab's main screen."""
    if not compositing.installed():
        pytest.skip(f"the row-limited renders are off on Textual {textual.__version__}")
    rendered: list[str] = []
    original = Widget.render_lines

    def counting(self, crop):
        rendered.append(type(self).__name__)
        return original(self, crop)

    app = make_app(tmp_path, lab=find_lab("windows-image"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        screen.query_one(CommandLine).focus()
        await pilot.pause(0.3)
        monkeypatch.setattr(Widget, "render_lines", counting)
        await change(pilot, screen)
        await pilot.pause(0.2)
    return rendered


async def test_a_key_in_the_command_line_renders_only_what_shows_it(tmp_path, monkeypatch):
    """Nothing behind the command line (the screen, the bottom pane) and nothing beside it renders."""
    async def type_two_keys(pilot, screen):
        await pilot.press("a", "z")

    rendered = await rendered_after(tmp_path, monkeypatch, type_two_keys)
    assert "CommandLine" in rendered
    assert set(rendered) <= {"CommandLine", "CompletionHint", "StatusBar"}, rendered


async def test_a_change_in_the_lab_guide_renders_nothing_beside_or_behind_it(tmp_path, monkeypatch):
    """The panes beside the guide and the containers behind it are inside the update's bounding
    crop, but in none of its changed regions."""
    async def redraw_the_guide_and_the_output(pilot, screen):
        screen.query_one("#guide-text").refresh()
        screen.query_one("#output").refresh()

    rendered = await rendered_after(tmp_path, monkeypatch, redraw_the_guide_and_the_output)
    assert {"GuideText", "LineLog"} <= set(rendered)
    assert not set(rendered) & {"ResourceList", "Details", "FactSheet", "Horizontal", "LabGuide"}, rendered


async def test_a_row_of_the_resource_list_renders_that_row_of_it_alone(tmp_path, monkeypatch):
    """As a spinner step does, once a second while anything is in flight, with the clock in the status
    bar: the update's box then spans the screen, but the panes beside the list share its rows and
    none of its columns, so they render nothing."""
    async def step_a_spinner(pilot, screen):
        screen.query_one("#resources").refresh_line(1)
        screen.query_one("#status").refresh()

    rendered = await rendered_after(tmp_path, monkeypatch, step_a_spinner)
    assert "ResourceList" in rendered
    assert set(rendered) <= {"ResourceList", "StatusBar", "CommandLine"}, rendered    # its cursor blinks
