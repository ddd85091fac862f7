"""The row-limited partial renders (labtui.tui.compositing) draw exactly what Textual's own would,
for crops of every shape, on a busy lab screen and with a dialog over it."""

from __future__ import annotations

import textual
from textual._compositor import Compositor
from textual.geometry import Region

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


def chops(compositor: Compositor, crop: Region, renders) -> list[dict]:
    """The compositor's chops for ``crop`` with ``renders`` as its _get_renders, as plain text and styles."""
    saved = Compositor._get_renders
    Compositor._get_renders = renders
    try:
        rows = set(crop.line_range)
        drawn = compositor._render_chops(crop, rows.__contains__)
    finally:
        Compositor._get_renders = saved
    return [{cut: None if strip is None else [(s.text, s.style) for s in strip] for cut, strip in line.items()}
            for y, line in enumerate(drawn) if y in rows]


def assert_same_frames(screen) -> None:
    compositor = screen._compositor
    for crop in CROPS:
        assert chops(compositor, crop, compositing._rows_in_crop) == chops(compositor, crop,
                                                                           compositing._whole_renders), crop


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
    monkeypatch.setattr(textual, "__version__", "99.0.0")
    assert compositing.install() is False
    assert Compositor._get_renders is compositing._whole_renders
