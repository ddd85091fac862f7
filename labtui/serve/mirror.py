"""Someone else's screen, read-only: the bytes their session writes, fed through a terminal emulator
(pyte) and drawn clipped to this window. The instructor follows a student with it; a `watch` login
follows the instructor's demo with it."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

import pyte
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from .link import ControlLink

_NAMED = {"brown": "yellow", "brightbrown": "bright_yellow"}


def _colour(value: str) -> str | None:
    if value == "default":
        return None
    if len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return f"#{value}"
    value = _NAMED.get(value, value)
    return f"bright_{value[6:]}" if value.startswith("bright") and not value.startswith("bright_") else value


@lru_cache(maxsize=4096)
def _style(fg: str, bg: str, bold: bool, italics: bool, underscore: bool, strike: bool, reverse: bool) -> Style:
    return Style(color=_colour(fg), bgcolor=_colour(bg), bold=bold or None, italic=italics or None,
                 underline=underscore or None, strike=strike or None, reverse=reverse or None)


class TerminalMirror(Widget, can_focus=False):
    """A terminal screen kept by pyte and drawn line by line; whatever does not fit is clipped."""

    DEFAULT_CSS = "TerminalMirror { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.terminal = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.terminal)

    def reset(self, columns: int, rows: int) -> None:
        """A new source (or its new size): start from a blank screen; the source repaints in full."""
        self.terminal.resize(rows, columns)
        self.terminal.reset()
        self.refresh()

    def resize_source(self, columns: int, rows: int) -> None:
        self.terminal.resize(rows, columns)
        self.refresh()

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)
        dirty = self.terminal.dirty
        if dirty:
            width, height = self.size
            regions = [Region(0, row, width, 1) for row in dirty if row < height]
            dirty.clear()
            if regions:
                self.refresh(*regions)

    def text(self) -> str:
        """What the mirror shows, as plain text (for tests and the dashboard's summary)."""
        return "\n".join(line.rstrip() for line in self.terminal.display)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= self.terminal.lines:
            return Strip.blank(width)
        row = self.terminal.buffer[y]
        segments: list[Segment] = []
        text: list[str] = []
        current: Style | None = None
        for x in range(min(width, self.terminal.columns)):
            char = row[x]
            if char.data == "":
                continue            # the second half of a wide character
            style = _style(char.fg, char.bg, char.bold, char.italics, char.underscore, char.strikethrough,
                           char.reverse)
            if style is not current and text:
                segments.append(Segment("".join(text), current))
                text = []
            current = style
            text.append(char.data)
        if text:
            segments.append(Segment("".join(text), current))
        return Strip(segments).crop_extend(0, width, None)


class MirrorApp(App):
    """The `watch` login: the instructor's demo on the class's projector, read-only."""

    TITLE = "labtui: watching the demo"
    CSS_PATH = "mirror.tcss"
    BINDINGS = [Binding("q", "quit", "Leave"), Binding("ctrl+c", "quit", "Leave", show=False, priority=True)]

    def __init__(self, request: dict[str, Any]):
        super().__init__()
        self.link = ControlLink(request["control"], request["token"], self.on_control)

    def compose(self) -> ComposeResult:
        yield Static("Waiting for the instructor to start a demo…", id="mirror-caption")
        yield TerminalMirror()

    def on_mount(self) -> None:
        self.run_worker(self.link.run(), group="control")

    def on_control(self, message: dict[str, Any]) -> None:
        apply_screen_message(message, self.query_one(TerminalMirror), self.query_one("#mirror-caption", Static),
                             watching="the instructor's demo", waiting="No demo is running. The instructor's "
                             "screen appears here when they start one.")


def apply_screen_message(message: dict[str, Any], mirror: TerminalMirror, caption: Static, *, watching: str,
                         waiting: str, leave: str = "q to leave") -> None:
    """The follow protocol, shared by the dashboard and `watch`: a screen to show, its bytes, its end."""
    kind = message.get("type")
    if kind == "output":
        mirror.feed(base64.b64decode(message.get("data", "")))
    elif kind == "screen" and message.get("user") is None and "cols" not in message:
        caption.update(message.get("why") or waiting)
        mirror.reset(mirror.terminal.columns, mirror.terminal.lines)
    elif kind == "screen":
        columns, rows = int(message.get("cols", 80)), int(message.get("rows", 24))
        if "user" in message:
            mirror.reset(columns, rows)
        else:
            mirror.resize_source(columns, rows)

        def describe() -> None:
            size = mirror.size
            clipped = " (clipped: make this window larger to see all of it)" if (
                columns > size.width or rows > size.height) else ""
            caption.update(f"Watching {watching} · read-only · {columns}×{rows}{clipped} · {leave}")

        mirror.call_after_refresh(describe)       # once the mirror has its size
