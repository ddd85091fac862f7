"""A scrolling list drawn with Textual's Line API from a cache of rendered lines.

Subclasses say how many rows there are, a cheap key for each row's current look, and (only on a cache
miss) the row's text. Redrawing after a change costs one cache miss per changed row, not a render of
every visible cell, which is what keeps a class's worth of screens cheap over SSH.
"""

from __future__ import annotations

from typing import Hashable, Iterable

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

CACHE_SIZE = 2048


class CachedLines(ScrollView):
    DEFAULT_CSS = """
    CachedLines { background: $surface; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._strips: LRUCache[tuple[Hashable, int], Strip] = LRUCache(CACHE_SIZE)
        self.content_width = 0
        self._frame_style: Style | None = None

    # --- what subclasses provide ---------------------------------------------------------------
    def row_count(self) -> int:
        raise NotImplementedError

    def row_key(self, index: int) -> Hashable:
        """Changes whenever the row would look different."""
        raise NotImplementedError

    def row_text(self, index: int, width: int) -> Text:
        raise NotImplementedError

    # --- drawing -----------------------------------------------------------------------------------
    def update_size(self) -> None:
        """A new number of rows. Setting ``virtual_size`` lays the whole screen out again (39 ms with a
        big tree, on every line the output or an activity log gains); that is needed only when a
        scrollbar comes or goes, never in a pane that always shows its scrollbar. Otherwise the size is
        set quietly and the scrollbar told directly; the caller refreshes the rows that changed (rows
        past a shorter end included)."""
        region = self.scrollable_content_region
        new = Size(max(self.content_width, region.width), self.row_count())
        old = self.virtual_size
        if new == old:
            return
        if self._scrollbars_shown(new) != self._scrollbars_shown(old) or not self.is_mounted:
            self.virtual_size = new
            return
        self.set_reactive(CachedLines.virtual_size, new)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = new.height
        if self.show_horizontal_scrollbar:
            self.horizontal_scrollbar.window_virtual_size = new.width
        self.scroll_y = self.validate_scroll_y(self.scroll_y)     # a change of scroll redraws it all

    def _scrollbars_shown(self, size: Size) -> tuple[bool, bool]:
        """Which scrollbars a content of ``size`` shows: always with overflow ``scroll``, with ``auto``
        only when it does not fit."""
        region = self.scrollable_content_region
        styles = self.styles
        return (styles.overflow_y == "scroll" or (styles.overflow_y == "auto" and size.height > region.height),
                styles.overflow_x == "scroll" or (styles.overflow_x == "auto" and size.width > region.width))

    def refresh_rows(self, indices: Iterable[int]) -> None:
        top = self.scroll_offset.y
        bottom = top + self.scrollable_content_region.height
        for index in indices:
            if top <= index < bottom:
                self.refresh_line(index)

    def refresh_line(self, y: int) -> None:
        """One row, as wide as the pane. ScrollView's own spans the content's whole width, past the
        pane's right edge, and the screen clips it only at the container: a row of the resource list
        drew the same row of the Details and lab guide panes beside it again, and sent it."""
        self.refresh(Region(0, y - self.scroll_offset.y, self.scrollable_content_region.width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks every ancestor's styles each time it is read (about 0.7 ms here): once per
        # frame, not twice per line.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        style = self._frame_style or self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= self.row_count():
            return Strip.blank(width, style)
        key = (self.row_key(index), width)
        strip = self._strips.get(key)
        if strip is None:
            text = self.row_text(index, width)
            text.no_wrap = True
            text.overflow = "ellipsis"
            strip = Strip(text.render(self.app.console)).extend_cell_length(width)
            self._strips[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def on_resize(self) -> None:
        self.update_size()
