"""The resource tree: subscription › resource groups › sections by kind › resources, each resource with a
glyph, colour and word for its state. Drawn with the Line API: after a batch of changes only the rows
of the resources that changed are drawn again, and transitional states spin on a timer that touches
only their own rows."""

from __future__ import annotations

from typing import Hashable, Iterable

import attrs
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message
from textual.reactive import reactive

from ...engine.resources import Resource, ResourceGroup
from ...engine.world import World
from ..kinds import KIND_OF_CLASS, KINDS, SPINNER, Kind, badge, display_name
from .cached_lines import CachedLines

NAME_COLUMN = 34


@attrs.frozen
class Row:
    key: str                    # stable: "sub", "g:rg", "k:rg:vm", or the resource's lower-cased id
    depth: int
    label: str
    resource_id: str | None = None
    kind: Kind | None = None
    group: str | None = None


class ResourceList(CachedLines, can_focus=True):
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("home", "move_to(0)", "Top", show=False),
        Binding("end", "move_to(-1)", "Bottom", show=False),
        Binding("enter,space", "activate", "Open", show=False),
    ]
    DEFAULT_CSS = """
    ResourceList { height: 1fr; }
    """

    # The cursor redraws just the rows it leaves and enters (watch_cursor), and a spinner step just the
    # moving rows (spin): as a repainting reactive each also drew the whole tree again, once a second
    # per spinner step while anything was in flight.
    cursor = reactive(0, always_update=True, init=False, repaint=False)
    frame = 0       # the spinners' step

    class Highlighted(Message):
        """The cursor is on another row (``resource_id`` None for a heading)."""

        def __init__(self, resource_id: str | None) -> None:
            super().__init__()
            self.resource_id = resource_id

    class Activated(Message):
        def __init__(self, resource_id: str) -> None:
            super().__init__()
            self.resource_id = resource_id

    class MenuRequested(Message):
        """A right-click on a resource's row: open its actions at ``at`` (screen coordinates)."""

        def __init__(self, resource_id: str, at: Offset) -> None:
            super().__init__()
            self.resource_id = resource_id
            self.at = at

    def __init__(self, world: World, *, id: str | None = None):
        super().__init__(id=id)
        self.world = world
        self.rows: list[Row] = []
        self.index_of: dict[str, int] = {}
        self.versions: dict[str, int] = {}
        self.collapsed: set[str] = set()
        self.filter_text = ""
        self.moving: set[int] = set()

    # --- building rows --------------------------------------------------------------------------
    def use_world(self, world: World) -> None:
        self.world = world
        self.versions.clear()
        self.rebuild()

    def rebuild(self) -> None:
        """Lay the rows out again (resources came or went, a filter or a fold changed)."""
        selected = self.rows[self.cursor].key if 0 <= self.cursor < len(self.rows) else None
        world = self.world
        rows = [Row("sub", 0, f"Subscription  {world.settings.subscription_name}")]
        by_group: dict[str, dict[str, list[Resource]]] = {}
        wanted = self.filter_text.lower()
        for resource in world.list():
            if isinstance(resource, ResourceGroup):
                by_group.setdefault(resource.name.lower(), {})
                continue
            kind = KIND_OF_CLASS.get(type(resource))
            if kind is None or (wanted and wanted not in display_name(resource).lower()):
                continue
            by_group.setdefault(resource.resource_group.lower(), {}).setdefault(kind.key, []).append(resource)
        for group in sorted(world.list(ResourceGroup), key=lambda g: g.name.lower()):
            sections = by_group.get(group.name.lower(), {})
            if wanted and not sections and wanted not in group.name.lower():
                continue
            group_key = f"g:{group.name.lower()}"
            rows.append(Row(group_key, 1, group.name, group.id.lower(), group=group.name))
            if group_key in self.collapsed:
                continue
            for kind in KINDS:
                members = sections.get(kind.key)
                if not members:
                    continue
                section_key = f"k:{group.name.lower()}:{kind.key}"
                rows.append(Row(section_key, 2, kind.title, kind=kind, group=group.name))
                folded = section_key in self.collapsed or (kind.collapsed and f"+{section_key}" not in self.collapsed
                                                           and not wanted)
                if folded:
                    continue
                for resource in sorted(members, key=lambda r: display_name(r).lower()):
                    rows.append(Row(resource.id.lower(), 3, display_name(resource), resource.id.lower(), kind,
                                    group.name))
        self.rows = rows
        self.index_of = {row.key: index for index, row in enumerate(rows)}
        for index, row in enumerate(rows):
            if row.resource_id:
                self.index_of.setdefault(row.resource_id, index)
        self.moving = {i for i, row in enumerate(rows) if row.depth == 3 and self._badge_moving(row)}
        self.content_width = 0
        self.update_size()
        self.cursor = self.index_of.get(selected, min(self.cursor, len(rows) - 1)) if selected else 0
        self.refresh()

    def _badge_moving(self, row: Row) -> bool:
        resource = self.world.get(row.resource_id) if row.resource_id else None
        return resource is not None and badge(self.world, resource).moving

    def changed(self, ids: Iterable[str]) -> None:
        """Resources whose state changed: redraw their rows only."""
        touched = []
        for resource_id in ids:
            self.versions[resource_id] = self.versions.get(resource_id, 0) + 1
            index = self.index_of.get(resource_id)
            if index is None:
                continue
            touched.append(index)
            if self._badge_moving(self.rows[index]):
                self.moving.add(index)
            else:
                self.moving.discard(index)
        self.refresh_rows(touched)

    def spin(self) -> None:
        """Advance the spinner of transitional states (only their rows are drawn again)."""
        if self.moving:
            self.frame = (self.frame + 1) % len(SPINNER)
            self.refresh_rows(self.moving)

    # --- drawing ---------------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self.rows)

    def row_key(self, index: int) -> Hashable:
        row = self.rows[index]
        focused = index == self.cursor and self.has_focus
        return (row.key, row.label, self.versions.get(row.resource_id or row.key, 0), index == self.cursor, focused,
                self.frame if index in self.moving else -1, row.key in self.collapsed)

    def row_text(self, index: int, width: int) -> Text:
        row = self.rows[index]
        text = Text("  " * row.depth)
        if row.depth == 0:
            text.append("☁ ", "bold blue")
            text.append(row.label, "bold")
        elif row.depth == 1:
            text.append("▸ " if f"g:{row.group.lower()}" in self.collapsed else "▾ ", "dim")
            text.append(row.label, "bold")
            group = self.world.group(row.group) if row.group else None
            if group is not None:
                text.append(f"  {group.location}", "dim")
                if group.provisioning_state == "Deleting":
                    text.append(f"  {SPINNER[self.frame]} deleting", "yellow")
        elif row.depth == 2:
            folded = row.key in self.collapsed or (row.kind is not None and row.kind.collapsed
                                                   and f"+{row.key}" not in self.collapsed and not self.filter_text)
            text.append("▸ " if folded else "▾ ", "dim")
            text.append(row.label, "italic")
        else:
            resource = self.world.get(row.resource_id) if row.resource_id else None
            if resource is None:
                text.append(row.label, "strike dim")
            else:
                look = badge(self.world, resource)
                glyph = SPINNER[self.frame] if look.moving else look.glyph
                text.append(f"{glyph} ", look.style)
                # The state word always shows; a long name gives way (it is whole in the details).
                room = max(8, width - len(text.plain) - len(look.word) - 2)
                name = row.label if len(row.label) <= room else row.label[:room - 1] + "…"
                pad = max(1, min(NAME_COLUMN - len(text.plain), width - len(look.word) - len(text.plain)) - len(name))
                text.append(name)
                text.append(" " * pad)
                text.append(look.word, look.style)
        if index == self.cursor:
            text.stylize("reverse" if self.has_focus else "underline")
        return text

    # --- moving ----------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_rows([old, new])
        if 0 <= new < len(self.rows):
            self.scroll_to_region_of(new)
            row = self.rows[new]
            self.post_message(self.Highlighted(row.resource_id))

    def scroll_to_region_of(self, index: int) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_move_to(self, index: int) -> None:
        if self.rows:
            self.cursor = index if index >= 0 else len(self.rows) - 1

    def action_activate(self) -> None:
        if not self.rows:
            return
        row = self.rows[self.cursor]
        if row.depth in (1, 2):
            self.toggle_fold(row)
        elif row.resource_id:
            self.post_message(self.Activated(row.resource_id))

    def toggle_fold(self, row: Row) -> None:
        if row.kind is not None and row.kind.collapsed:
            self.collapsed ^= {f"+{row.key}"}       # sections folded by default open on request
        else:
            self.collapsed ^= {row.key}
        self.rebuild()

    def select(self, resource_id: str) -> bool:
        index = self.index_of.get(resource_id.lower())
        if index is None:
            return False
        self.cursor = index
        return True

    def jump_to(self, kind: Kind) -> bool:
        """Put the cursor on the first section of this kind (opening it if folded)."""
        for row in self.rows[self.cursor + 1:] + self.rows[:self.cursor + 1]:
            if row.kind is kind and row.depth == 2:
                if kind.collapsed and f"+{row.key}" not in self.collapsed:
                    self.toggle_fold(row)
                self.cursor = self.index_of[row.key] + (1 if self.index_of[row.key] + 1 < len(self.rows) else 0)
                return True
        return False

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.rebuild()

    @property
    def selected(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows):
            if event.button == 3:
                self.cursor = index
                if self.rows[index].resource_id:
                    self.post_message(self.MenuRequested(self.rows[index].resource_id,
                                                         Offset(event.screen_x, event.screen_y)))
                return
            if index == self.cursor and event.chain >= 2:
                self.action_activate()
            self.cursor = index

    def on_focus(self) -> None:
        self.refresh_rows([self.cursor])

    def on_blur(self) -> None:
        self.refresh_rows([self.cursor])
