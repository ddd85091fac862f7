"""KeyFooter draws the line Textual's Footer draws, cell by cell, and a change of keys repaints that
line without laying the screen out."""

from __future__ import annotations

import contextlib

import pytest
from textual import events
from textual.screen import Screen
from textual.widgets import Footer

from labtui.lab.library import find_lab
from labtui.tui.screens import main
from labtui.tui.widgets.command_line import CommandLine
from labtui.tui.widgets.key_footer import KeyFooter
from labtui.tui.widgets.lab_guide import GuideText
from labtui.tui.widgets.resource_list import ResourceList
from tui_helpers import main_screen, make_app, until

LAB = "windows-image"


def cells(strip) -> list[tuple[str, str]]:
    """Each cell of a row: its character, and its style as the terminal gets it."""
    return [(char, str(segment.style)) for segment in strip for char in segment.text]


async def footer_row(tmp_path, size, focus: str, hover: int | None = None) -> list[tuple[str, str]]:
    app = make_app(tmp_path, lab=find_lab(LAB))
    async with app.run_test(size=size) as pilot:
        screen = await main_screen(pilot)
        await pilot.pause(0.2)
        screen.query_one({"command": CommandLine, "resources": ResourceList, "guide": GuideText}[focus]).focus()
        screen.refresh_bindings()

        def bottom_row() -> list[tuple[str, str]]:
            return cells(screen._compositor.render_strips()[-1])

        # Textual's Footer mounts its keys a moment after the bindings change: the row is read once drawn.
        await until(pilot, lambda: "palette" in "".join(char for char, _ in bottom_row()))
        await pilot.pause(0.3)
        if hover is not None:
            await pilot.hover(offset=(hover, size[1] - 1))
            await pilot.pause(0.2)
        return bottom_row()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("focus, disable", [("command", None), ("resources", None), ("guide", "storage")])
async def test_the_footer_looks_like_textuals(tmp_path, monkeypatch, size, focus, disable):
    if disable:         # a key on show but not enabled, as check_action makes it
        checked = main.MainScreen.check_action
        monkeypatch.setattr(main.MainScreen, "check_action", lambda screen, action, parameters: (
            None if action == disable else checked(screen, action, parameters)))
    ours = await footer_row(tmp_path / "ours", size, focus)
    with monkeypatch.context() as textuals:
        textuals.setattr(main, "KeyFooter", Footer)
        theirs = await footer_row(tmp_path / "theirs", size, focus)
    assert "".join(char for char, _ in ours) == "".join(char for char, _ in theirs)
    assert ours == theirs
    if focus != "command":          # out of the command line, the screen's own keys show
        assert "Jump" in "".join(char for char, _ in ours)
    if disable:                     # and a key not enabled is drawn dimmer than the others
        text = "".join(char for char, _ in ours)
        assert ours[text.index(" S Sto") + 1][1] != ours[text.index(" : Jump") + 1][1]


@pytest.mark.parametrize("hover", [20, 112])       # a key, and the palette's
async def test_a_hovered_key_looks_like_textuals(tmp_path, monkeypatch, hover):
    ours = await footer_row(tmp_path / "ours", (120, 40), "resources", hover)
    with monkeypatch.context() as textuals:
        textuals.setattr(main, "KeyFooter", Footer)
        theirs = await footer_row(tmp_path / "theirs", (120, 40), "resources", hover)
    assert ours == theirs
    assert ours != await footer_row(tmp_path / "still", (120, 40), "resources")


async def test_new_keys_repaint_the_footer_and_lay_nothing_out(tmp_path, monkeypatch):
    app = make_app(tmp_path, lab=find_lab(LAB))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await main_screen(pilot)
        await pilot.pause(0.3)
        footer = screen.query_one(KeyFooter)
        typing = footer.keys
        layouts: list[str] = []
        laid_out = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout",
                            lambda screen, *args, **kwargs: (layouts.append("layout"), laid_out(screen, *args, **kwargs))[1])
        screen.query_one(ResourceList).focus()
        await until(pilot, lambda: footer.keys != typing)
        assert any(key.description == "Storage" for key in footer.keys)
        screen.query_one(CommandLine).focus()
        await until(pilot, lambda: footer.keys == typing)
        await pilot.pause(0.2)
        assert layouts == []


@contextlib.asynccontextmanager
async def out_of_the_command_line(tmp_path, size=(120, 40)):
    """A lab's main screen with the resource list focused: the screen's own keys in the footer."""
    app = make_app(tmp_path, lab=find_lab(LAB))
    async with app.run_test(size=size) as pilot:
        screen = await main_screen(pilot)
        screen.query_one(ResourceList).focus()
        await pilot.pause(0.3)
        yield app, pilot, screen


async def test_a_click_on_a_key_presses_it(tmp_path):
    async with out_of_the_command_line(tmp_path) as (app, pilot, screen):
        footer = screen.query_one(KeyFooter)
        start, _end, key = next(span for span in footer._spans if span[2].description == "Log")
        await pilot.click(KeyFooter, offset=(start + 1, 0))
        await until(pilot, lambda: type(app.screen).__name__ == "CommandLogScreen")
        await pilot.press("escape")
        await main_screen(pilot)
        await pilot.hover(KeyFooter, offset=(start + 1, 0))
        await pilot.pause(0.1)
        assert footer._hover == key and footer.tooltip is None     # "Log" has no tooltip; ":" has one


async def test_keys_that_do_not_fit_scroll_into_view_and_the_row_keeps_its_width(tmp_path):
    async with out_of_the_command_line(tmp_path, (80, 24)) as (_app, pilot, screen):
        def row() -> str:
            return "".join(char for char, _ in cells(screen._compositor.render_strips()[-1]))

        assert "? Keys" not in row() and len(row()) == 80
        for _ in range(10):
            await pilot._post_mouse_events([events.MouseScrollDown], widget=KeyFooter, offset=(2, 0))
        await pilot.pause(0.2)
        assert "? Keys" in row() and "^p palette" in row() and len(row()) == 80
        footer = screen.query_one(KeyFooter)
        under_pointer = footer._key_at(2)
        assert under_pointer is not None and footer._hover == under_pointer     # what scrolled under it lights up
        await pilot.resize_terminal(10, 24)         # narrower than the palette's key alone: its right end
        await pilot.pause(0.3)
        assert row() == "p palette "
