"""A log of lines (command output, a resource's activity, the command log), drawn from cached strips.

Appending draws only the new lines; `newest_first` shows the latest entry on top (activity)."""

from __future__ import annotations

from typing import Hashable

from rich.text import Text

from .cached_lines import CachedLines

MAX_LINES = 5000
TAB_SIZE = 8                # as a terminal sets its tab stops


class LineLog(CachedLines, can_focus=True):
    DEFAULT_CSS = """
    LineLog { height: 1fr; }
    """

    def __init__(self, *, newest_first: bool = False, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.newest_first = newest_first
        self.lines: list[Text] = []
        # Each line's key in the strip cache: a count that only grows (an id() is reused once a cleared
        # line is freed, and the cache then drew another resource's old line).
        self._keys: list[int] = []
        self._next_key = 0

    def row_count(self) -> int:
        return len(self.lines)

    def _at(self, index: int) -> int:
        return len(self.lines) - 1 - index if self.newest_first else index

    def _line(self, index: int) -> Text:
        return self.lines[self._at(index)]

    def row_key(self, index: int) -> Hashable:
        return self._keys[self._at(index)]

    def row_text(self, index: int, width: int) -> Text:
        return self._line(index).copy()

    def clear(self) -> None:
        self.lines.clear()
        self._keys.clear()
        self.content_width = 0
        self.update_size()
        self.refresh()

    def write(self, text: Text | str) -> None:
        """Add one entry; text with newlines becomes several lines, kept in order."""
        text = Text(text) if isinstance(text, str) else text
        parts = text.split("\n", allow_blank=True) if "\n" in text.plain else [text]
        if text.plain.endswith("\n"):
            parts = parts[:-1]
        for part in parts:
            if "\t" in part.plain:       # `-o tsv` columns: a raw tab would move the terminal's cursor
                part.expand_tabs(TAB_SIZE)
            self.lines.append(part)
            self._keys.append(self._next_key)
            self._next_key += 1
            self.content_width = max(self.content_width, part.cell_len)
        trimmed = len(self.lines) > MAX_LINES
        if trimmed:
            del self.lines[:len(self.lines) - MAX_LINES]
            del self._keys[:len(self._keys) - MAX_LINES]
        self.update_size()
        if self.newest_first or trimmed:      # every row moved
            self.refresh()
        else:
            self.refresh_rows(range(len(self.lines) - len(parts), len(self.lines)))
            # The newest line is what the student is waiting for: follow it (after the layout has
            # taken the new height in, or the end is the old one).
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
