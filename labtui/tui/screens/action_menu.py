"""The menu a right-click on a resource opens, beside the pointer: its actions, each with its key and
what it runs (the az line, a form, or the guest console)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Offset
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.resources import Resource
from ..actions import Action
from ..kinds import display_name

WIDTH = 80


def what_it_runs(action: Action, resource: Resource) -> str:
    if action.console:
        return "opens the guest console"
    if action.form:
        return "opens a form that builds the az line"
    return action.line(resource)


class ActionMenu(ModalScreen[str | None]):
    """Dismissed with the chosen action's key, or None (esc, or a click outside the menu)."""

    DEFAULT_CSS = f"""
    ActionMenu {{ align: left top; background: $background 30%; }}
    ActionMenu > Vertical {{ width: {WIDTH}; max-width: 100%; height: auto; border: round $accent; background: $surface; }}
    ActionMenu .title {{ text-style: bold; padding: 0 1; }}
    ActionMenu OptionList, ActionMenu OptionList:focus {{ height: auto; max-height: 20; border: none; }}
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, resource: Resource, actions: list[Action], at: Offset):
        super().__init__()
        self.resource = resource
        self.actions = actions
        self.at = at

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(display_name(self.resource), classes="title")
            yield OptionList(*(self._option(action) for action in self.actions))

    def _option(self, action: Action) -> Option:
        label = Text.assemble((f"{action.key:>6}  ", "bold"), action.label, "\n        ",
                              (what_it_runs(action, self.resource), "dim"))
        return Option(label, id=action.key)

    def on_mount(self) -> None:
        # Beside the pointer, moved in where it would run off the screen.
        text_width = WIDTH - 12         # border, padding, the key column
        lines = sum(1 + max(1, -(-len(what_it_runs(a, self.resource)) // text_width)) for a in self.actions)
        height = min(20, lines) + 3
        x = max(0, min(self.at.x, self.size.width - WIDTH))
        y = max(0, min(self.at.y, self.size.height - height))
        self.query_one(Vertical).styles.offset = (x, y)
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_click(self, event) -> None:
        if self.get_widget_at(event.screen_x, event.screen_y)[0] is self:     # outside the menu
            self.dismiss(None)
