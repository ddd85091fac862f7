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
        self.keys: tuple[ShownKey, ...] = ()
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

    def render_line(self, y: int) -> Strip:
        if not self.keys and self.is_mounted:
            self.keys = self.shown_keys()
        width = self.size.width
        styles = {name: self.get_component_rich_style(f"key-footer--{name}")
                  for name in ("item", "key", "description", "hover", "edge")}
        base = self.rich_style

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

        self._spans = []
        left: list[Segment] = []
        palette: list[Segment] = []
        palette_key = next((key for key in self.keys if key.palette), None)
        if palette_key is not None:
            item = styles["hover"] if palette_key == self._hover else styles["item"]
            palette = [Segment(EDGE, Style.chain(styles["item"], styles["edge"], Style(bgcolor=item.bgcolor))),
                       *drawn(palette_key), Segment(" ", Style(bgcolor=item.bgcolor))]
        room = max(0, width - Segment.get_line_length(palette))
        # Keys past the right end are scrolled into view with the wheel, as in Footer.
        self._most_scrolled = max(0, sum(Segment.get_line_length(drawn(key)) for key in self.keys
                                          if not key.palette) - room)
        self.keys_scrolled = min(self.keys_scrolled, self._most_scrolled)
        x = -self.keys_scrolled
        for key in self.keys:
            if key.palette:
                continue
            segments = drawn(key)
            length = Segment.get_line_length(segments)
            if x + length > 0 and x < room:
                self._spans.append((max(x, 0), min(x + length, room), key))
            left += segments
            x += length
        row = Strip(left).crop(self.keys_scrolled, self.keys_scrolled + room).extend_cell_length(room, Style(bgcolor=base.bgcolor))
        if palette_key is not None:
            self._spans.append((room, width, palette_key))
        return Strip([*row, *palette]).crop(0, width)

    # --- the mouse ---------------------------------------------------------------------------------
    def _key_at(self, x: int) -> ShownKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key else None
            self.refresh()

    def _scroll_by(self, columns: int) -> None:
        scroll = max(0, min(self.keys_scrolled + columns, self._most_scrolled))
        if scroll != self.keys_scrolled:
            self.keys_scrolled = scroll
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._most_scrolled:
            event.stop()
            self._scroll_by(SCROLL_STEP)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._most_scrolled:
            event.stop()
            self._scroll_by(-SCROLL_STEP)

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
