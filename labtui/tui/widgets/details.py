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
        self._shown_activity = 0
        self._activity_for: str | None = None
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
        if self._activity_for != self.resource_id or self.resource_id is None:
            self._activity_for = self.resource_id
            self._shown_activity = 0
            log.clear()
        history = self.world.activity.of(self.resource_id) if self.resource_id else []
        if not history and not log.lines:
            log.write(Text("No activity yet.", "dim"))
            self._shown_activity = -1
            return
        if self._shown_activity == -1 and history or len(history) < self._shown_activity:
            log.clear()             # the placeholder goes, or the log dropped its oldest entries
            self._shown_activity = 0
        for entry in history[self._shown_activity:]:
            line = Text(clock.date_of(entry.time).strftime("%d %b %H:%M:%S "), "dim")
            line.append(entry.what)
            log.write(line)
        self._shown_activity = max(self._shown_activity, len(history))

    def use_world(self, world: World) -> None:
        self.world = world
        self.show(None)


def _key_hint(action) -> str:
    """"s start"; the delete key is its own word ("delete", not "delete delete")."""
    label = action.label.split(" (")[0].rstrip("…").lower()
    return action.key if label.startswith(action.key) and len(action.key) > 1 else f"{action.key} {label}"
