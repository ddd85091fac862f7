"""Label and value rows (the Overview tab), each value wrapped under itself so nothing is cut off.

A Rich Table did this before, and was measured twice per change of the selected resource (once for its
height, once to draw it): most of a refresh's CPU. Here the rows are wrapped into lines once per change
or width, and each line is drawn from the cached strips of `CachedLines`, so a power state that changes
redraws the one line it is on.
"""

from __future__ import annotations

from typing import Hashable, Sequence

from rich.cells import cell_len
from rich.text import Text

from .cached_lines import CachedLines


class Chunks(tuple):
    """A value made of phrases ("s start", "x stop") that wrap between one another, never inside one."""

GAP = 2                 # columns between a label and its value
MIN_VALUE_WIDTH = 12    # below this, values go on lines of their own under the label


class FactSheet(CachedLines):
    # The gutter is kept even without a scrollbar: lines are wrapped for one width, and a scrollbar that
    # came with a long sheet would otherwise cut the ends off them.
    DEFAULT_CSS = """
    FactSheet { height: 1fr; scrollbar-gutter: stable; }
    """

    def __init__(self, *, message: str | None = None, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.rows: list[tuple[str, Text | Chunks]] = []
        self.message = message          # shown instead of rows ("Select a resource.")
        self.lines: list[Text] = []
        self._wrapped_width = -1

    def show(self, rows: Sequence[tuple[str, str | Text | Chunks]]) -> None:
        """Rows of a label and its value: a string, a Text, or `Chunks` (phrases kept whole on a line)."""
        rows = [(label, Text(value) if isinstance(value, str) else value) for label, value in rows]
        if rows == self.rows and self.message is None:
            return
        self.rows, self.message = rows, None
        self._rewrap(self.scrollable_content_region.width, force=True)

    def show_message(self, message: str) -> None:
        """One dim line instead of rows."""
        if self.message == message:
            return
        self.rows, self.message = [], message
        self._rewrap(self.scrollable_content_region.width, force=True)

    def text(self) -> str:
        """What the sheet says, one line per line shown."""
        return "\n".join(line.plain for line in self.lines)

    # --- CachedLines -------------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self.lines)

    def row_key(self, index: int) -> Hashable:
        line = self.lines[index]
        return line.plain, tuple(line.spans), str(line.style)

    def row_text(self, index: int, width: int) -> Text:
        return self.lines[index].copy()

    def on_resize(self) -> None:
        self._rewrap(self.scrollable_content_region.width)

    # --- wrapping ----------------------------------------------------------------------------------
    def _rewrap(self, width: int, force: bool = False) -> None:
        if width <= 0 or (width == self._wrapped_width and not force):
            return
        self._wrapped_width = width
        old = self.lines
        self.lines = [Text(self.message, "dim")] if self.message else wrap_rows(self.rows, width, self.app.console)
        self.update_size()
        # Only the lines that differ are drawn again: a power state that changes is one line.
        self.refresh_rows(index for index in range(max(len(old), len(self.lines)))
                          if index >= len(old) or index >= len(self.lines) or old[index] != self.lines[index])


def wrap_rows(rows: Sequence[tuple[str, Text | Chunks]], width: int, console) -> list[Text]:
    """Lines of ``label  value``, labels bold in a column as wide as the longest, each value wrapped
    within the rest of the width and continued under itself."""
    if not rows:
        return []
    label_width = max(cell_len(label) for label, _ in rows)
    value_width = width - label_width - GAP
    lines: list[Text] = []
    for label, value in rows:
        if value_width < MIN_VALUE_WIDTH:
            lines.append(Text().append(label, "bold"))
            lines.extend(_indented(_wrap(value, max(1, width - GAP), console), " " * GAP))
            continue
        wrapped = _wrap(value, value_width, console) or [Text("")]
        # The label's bold as a span: a Text's own style covers all of it, values included.
        first = Text().append(label + " " * (label_width + GAP - cell_len(label)), "bold")
        first.append_text(wrapped[0])
        lines.append(first)
        lines.extend(_indented(wrapped[1:], " " * (label_width + GAP)))
    return lines


def _wrap(value: Text | Chunks, width: int, console) -> list[Text]:
    if isinstance(value, Text):
        # Most values fit: Rich's wrap is the dear part of a refresh, so only what needs it is wrapped.
        return [value] if value.cell_len <= width and "\n" not in value.plain else list(value.wrap(console, width))
    lines: list[Text] = []
    for chunk in value:
        if lines and lines[-1].cell_len + GAP + chunk.cell_len <= width:
            lines[-1].append(" " * GAP)
            lines[-1].append_text(chunk)
        elif chunk.cell_len > width:            # a phrase longer than a whole line wraps within itself
            lines.extend(chunk.wrap(console, width))
        else:
            lines.append(chunk.copy())
    return lines


def _indented(values, indent: str) -> list[Text]:
    out = []
    for value in values:
        line = Text(indent)
        line.append_text(value)
        out.append(line)
    return out
