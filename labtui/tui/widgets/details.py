"""The details pane: Overview (the fields that matter, in words), JSON (what `az ... show` prints) and
Activity (this resource's events, newest first)."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from ...az.framework import shown
from ...engine import clock
from ...engine.world import World
from ..actions import actions_for
from ..overview import facts
from .fact_sheet import Chunks, FactSheet
from .line_log import LineLog


class Details(Vertical, can_focus=False):
    DEFAULT_CSS = """
    Details { height: 1fr; }
    Details TabbedContent { height: 1fr; }
    Details VerticalScroll { height: 1fr; }
    """

    def __init__(self, world: World, *, id: str | None = None):
        super().__init__(id=id)
        self.world = world
        self.resource_id: str | None = None
        self._activity_for: str | None = None
        self._last_entry = None             # the newest activity entry drawn
        self._json_stale = False
        self._json_text = ""

    def compose(self) -> ComposeResult:
        with TabbedContent():
            with TabPane("Overview", id="overview"):
                yield FactSheet(message="Select a resource.", id="overview-body")
            with TabPane("JSON", id="json"):
                with VerticalScroll():
                    yield Static("", id="json-body")
            with TabPane("Activity", id="activity"):
                yield LineLog(newest_first=True, id="activity-log")

    def _draw_json(self) -> None:
        """What `az ... show` prints. Highlighting it is the pane's dearest work: done only when the tab
        shows, and only when the text changed."""
        self._json_stale = False
        resource = self.world.get(self.resource_id) if self.resource_id else None
        text = json.dumps(shown(self.world, resource), indent=2) if resource is not None else ""
        if text != self._json_text:
            from rich.syntax import Syntax    # here: it brings pygments (about 30 ms), needed only once JSON shows

            self._json_text = text
            self.query_one("#json-body", Static).update(
                Syntax(text, "json", word_wrap=True, theme="ansi_dark", background_color="default") if text else "")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "json" and self._json_stale:
            self._draw_json()
        elif event.pane.id == "activity":
            self._draw_activity()

    def show(self, resource_id: str | None) -> None:
        self.resource_id = resource_id.lower() if resource_id else None
        self.redraw()

    def redraw(self) -> None:
        resource = self.world.get(self.resource_id) if self.resource_id else None
        overview = self.query_one("#overview-body", FactSheet)
        if resource is None:
            overview.show_message("It was deleted." if self.resource_id else "Select a resource.")
            if self._json_text:     # an update, even to the same empty text, lays the screen out
                self._json_text = ""
                self.query_one("#json-body", Static).update("")
        else:
            rows: list[tuple[str, str | Chunks]] = list(facts(self.world, resource))
            keys = [Text(_key_hint(action), "dim") for action in actions_for(resource)]
            if keys:
                rows.append(("Keys", Chunks([*keys, Text("ctrl+p all", "dim")])))
            overview.show(rows)
            self._json_stale = True
            if self.query_one(TabbedContent).active == "json":
                self._draw_json()
        if self.query_one(TabbedContent).active == "activity":
            self._draw_activity()

    def _draw_activity(self) -> None:
        """The resource's events, newest first. Drawn only while the tab shows: a hidden widget that
        refreshes makes Textual rebuild its map of the whole screen (most of a refresh's cost)."""
        log = self.query_one("#activity-log", LineLog)
        history = self.world.activity.of(self.resource_id) if self.resource_id else []
        new = history
        if self._activity_for == self.resource_id and self._last_entry is not None:
            # Only what came after the last entry drawn; the world's log drops its oldest entries when
            # full, so counting entries would stop drawing new ones.
            after = next((i for i in range(len(history) - 1, -1, -1) if history[i] is self._last_entry), None)
            new = history[after + 1:] if after is not None else history
            if after is None:
                log.clear()
        elif self._activity_for != self.resource_id or history:
            log.clear()         # another resource, or the "no activity" line goes
        self._activity_for = self.resource_id
        if not history:
            self._last_entry = None
            if not log.lines:
                log.write(Text("No activity yet.", "dim"))
            return
        for entry in new:
            line = Text(clock.date_of(entry.time).strftime("%d %b %H:%M:%S "), "dim")
            line.append(entry.what)
            log.write(line)
        self._last_entry = history[-1]

    def use_world(self, world: World) -> None:
        self.world = world
        self.show(None)


def _key_hint(action) -> str:
    """"s start"; the delete key is its own word ("delete", not "delete delete")."""
    label = action.label.split(" (")[0].rstrip("…").lower()
    return action.key if label.startswith(action.key) and len(action.key) > 1 else f"{action.key} {label}"
