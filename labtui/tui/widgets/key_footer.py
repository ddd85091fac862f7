"""The keys on offer, in one line that looks like Textual's Footer, without a widget per key.

Textual's Footer mounts a FooterKey widget per key, and mounts them all again at every change of the
screen's active bindings (each focus change makes one). Each of those mounts lays the whole screen
out and draws all of it again: at a login, 10-20 ms of a session's start and the whole screen sent
twice more down the SSH link. This footer draws its line itself, so a change of keys repaints one
row. It keeps Footer's looks (a test compares them cell by cell), its clicks (a key pressed), its
hover, its tooltips and its wheel scrolling of keys that do not fit. Footer's binding groups and
compact style are not drawn: labtui uses neither.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

EDGE = "▏"      # the rule left of the command palette's key, as Footer draws it (a vkey border)
SCROLL_STEP = 4     # columns a wheel step moves the keys, when they do not all fit


class ShownKey(NamedTuple):
    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    palette: bool       # the command palette's key: at the right end, drawn compact


class KeyFooter(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--item", "key-footer--key", "key-footer--description",
                         "key-footer--hover", "key-footer--edge"}
    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 1; color: $footer-foreground; background: $footer-background; }
    KeyFooter > .key-footer--item { color: $footer-foreground; background: $footer-item-background; }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    KeyFooter > .key-footer--hover { background: $block-hover-background; }
    KeyFooter > .key-footer--edge { color: $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[ShownKey, ...] | None = None        # None until first drawn
        self._spans: list[tuple[int, int, ShownKey]] = []       # [start, end) of each key on the row
        self._hover: ShownKey | None = None
        self.keys_scrolled = 0               # columns of keys scrolled off the left end
        self._most_scrolled = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def shown_keys(self) -> tuple[ShownKey, ...]:
        """The keys Footer would show: one per action, the command palette's last."""
        bindings = self.screen.active_bindings
        keys: dict[str, ShownKey] = {}
        for _node, binding, enabled, tooltip in bindings.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = ShownKey(binding.key, self.app.get_key_display(binding),
                                                binding.description, enabled, tooltip, False)
        shown = list(keys.values())
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, tooltip = palette
            shown.append(ShownKey(binding.key, self.app.get_key_display(binding), binding.description, enabled,
                                  binding.tooltip or binding.description, True))
        return tuple(shown)

    def bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen or not screen.app.app_focus:
            return
        keys = self.shown_keys()
        if keys != self.keys:
            self.keys = keys
            self._hover = None          # the mouse moves again before a key under it lights up
            self.tooltip = None
            self.refresh()

    # --- drawing -----------------------------------------------------------------------------------
    @staticmethod
    def _parts(key: ShownKey) -> tuple[str, str]:
        """The key's text and its description's, padded as Footer pads them."""
        if key.palette:
            return key.key_display, " " + key.description if key.description else ""
        if not key.description:
            return key.key_display, ""
        return f" {key.key_display} ", key.description + " "

    def _palette_width(self, key: ShownKey) -> int:
        key_text, description = self._parts(key)
        return len(EDGE) + cell_len(key_text + description) + 1     # the rule, the key, a space of padding

    def _place(self) -> tuple[int, int, ShownKey | None]:
        """Where each key is on the row (``_spans``, in columns from the left edge); returns the room
        left of the palette's key, the width of all the other keys, and the palette's key. Keys past
        the right end are scrolled into view with the wheel, as in Footer."""
        width = self.size.width
        palette = next((key for key in self.keys if key.palette), None)
        room = max(0, width - self._palette_width(palette)) if palette is not None else width
        lengths = [(key, cell_len("".join(self._parts(key)))) for key in self.keys if not key.palette]
        total = sum(length for _, length in lengths)
        self._most_scrolled = max(0, total - room)
        self.keys_scrolled = min(self.keys_scrolled, self._most_scrolled)
        self._spans = []
        x = -self.keys_scrolled
        for key, length in lengths:
            if x + length > 0 and x < room:
                self._spans.append((max(x, 0), min(x + length, room), key))
            x += length
        if palette is not None:
            self._spans.append((room, width, palette))
        return room, total, palette

    def render_line(self, y: int) -> Strip:
        if self.keys is None:
            self.keys = self.shown_keys()
        width = self.size.width
        styles = {name: self.get_component_rich_style(f"key-footer--{name}")
                  for name in ("item", "key", "description", "hover", "edge")}
        room, total, palette = self._place()

        def drawn(key: ShownKey) -> list[Segment]:
            # A hovered key's background shows through its parts' (transparent in the themes).
            over = [Style(dim=True)] if not key.enabled else []
            if key == self._hover:
                over.append(Style(bgcolor=styles["hover"].bgcolor))
            key_text, description = self._parts(key)
            segments = [Segment(key_text, Style.chain(styles["item"], styles["key"], *over))]
            if description:
                segments.append(Segment(description, Style.chain(styles["item"], styles["description"], *over)))
            return segments

        left = [segment for key in self.keys if not key.palette for segment in drawn(key)]
        row = Strip(left, total).crop(self.keys_scrolled, self.keys_scrolled + room)
        row = row.extend_cell_length(room, Style(bgcolor=self.rich_style.bgcolor))
        if palette is None:
            return row
        item = styles["hover"] if palette == self._hover else styles["item"]
        palette_row = Strip([Segment(EDGE, Style.chain(styles["item"], styles["edge"], Style(bgcolor=item.bgcolor))),
                             *drawn(palette), Segment(" ", Style(bgcolor=item.bgcolor))])
        if palette_row.cell_length > width:     # narrower than the palette's key: its right end, as Footer
            palette_row = palette_row.crop(palette_row.cell_length - width, palette_row.cell_length)
        return Strip([*row, *palette_row]).crop(0, width)

    # --- the mouse ---------------------------------------------------------------------------------
    def _key_at(self, x: int) -> ShownKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def _hover_at(self, x: int | None) -> None:
        key = self._key_at(x) if x is not None else None
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_at(event.x)

    def _scroll_by(self, columns: int, pointer: int) -> None:
        scroll = max(0, min(self.keys_scrolled + columns, self._most_scrolled))
        if scroll != self.keys_scrolled:
            self.keys_scrolled = scroll
            self._place()
            self._hover_at(pointer)         # the key that came under the pointer lights up
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._most_scrolled:
            event.stop()
            self._scroll_by(SCROLL_STEP, event.x)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._most_scrolled:
            event.stop()
            self._scroll_by(-SCROLL_STEP, event.x)

    def on_leave(self, event: events.Leave) -> None:
        self._hover_at(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
