"""The welcome screen: the labs with their objective, level, length and the student's progress, free
exploration, and the last session to resume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...lab import library
from ...lab.model import Lab
from ..widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from ..app import LabtuiApp

FREE = "free"
RESUME = "resume"


def progress_words(summary: dict | None, lab: Lab) -> Text:
    if not summary or summary.get("status") in (None, "not started"):
        return Text("not started", "dim")
    if summary.get("status") == "completed":
        return Text(f"✓ completed, score {summary.get('score')}", "green")
    return Text(f"{summary.get('steps_done', 0)}/{len(lab.steps)} steps", "yellow")


class WelcomeScreen(Screen):
    CSS_PATH = "welcome.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    # `e` stays in the footer: at 80x24 the free-exploration entry is below the end of the list.
    BINDINGS = [Binding("e", "explore", "Free exploration"), Binding("r", "restart", "Restart the lab")]

    app: "LabtuiApp"

    def __init__(self, labs: list[Lab], last: dict | None):
        super().__init__()
        self.labs = labs
        self.last = last

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("labtui", "bold"), "  practise the Azure compute lifecycle on a simulated Azure. "
                                   "Nothing here touches a real subscription."), id="welcome-title")
        with Horizontal():
            with Vertical(id="welcome-left"):
                yield OptionList(*self._options(), id="labs")
            yield Markdown(id="lab-summary")
        yield KeyFooter()

    def _options(self) -> list[Option]:
        options: list[Option] = []
        if self.last is not None:
            lab = next((lab for lab in self.labs if lab.id == self.last.get("lab")), None)
            what = lab.title if lab else "free exploration"
            options.append(Option(Text.assemble(("↻ Resume ", "bold green"), what), id=RESUME))
        base = self.app.data_dir
        for lab in self.labs:
            summary = library.read_summary(library.lab_dir(base, lab.id))
            label = Text.assemble((lab.title, "bold"), "\n  ", (f"{lab.objective} · {lab.difficulty} · "
                                  f"{lab.minutes} min · {len(lab.steps)} {'goals' if lab.mode == 'explore' else 'steps'}"
                                  " · ", "dim"), progress_words(summary, lab))
            options.append(Option(label, id=f"lab:{lab.id}"))
        options.append(Option(Text.assemble(("Free exploration", "bold"), "\n  ",
                                            ("your own sandbox, no steps and no score", "dim")), id=FREE))
        return options

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0

    def _lab_of(self, option_id: str | None) -> Lab | None:
        if option_id == RESUME and self.last is not None:
            option_id = f"lab:{self.last.get('lab')}" if self.last.get("lab") else FREE
        if option_id and option_id.startswith("lab:"):
            return next((lab for lab in self.labs if lab.id == option_id[4:]), None)
        return None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        lab = self._lab_of(event.option.id)
        summary = self.query_one("#lab-summary", Markdown)
        if lab is None:
            summary.update("## Free exploration\n\nYour own sandbox subscription, saved between sessions: create, "
                           "break and repair anything. Type az commands, use the keys on a resource, open a VM's "
                           "console. The same sandbox `labtui az ...` uses.")
            return
        # One paragraph with line breaks: Markdown's list items each take a block with margins, which left
        # three blank lines between steps and pushed most of them out of sight.
        steps = "  \n".join(f"{n}\\. {s.title}" for n, s in enumerate(lab.steps, 1))
        summary.update(f"## {lab.title}\n\n*{lab.objective} · {lab.difficulty} · about {lab.minutes} minutes*\n\n"
                       f"{lab.summary}\n\n### {'Goals' if lab.mode == 'explore' else 'Steps'}\n\n{steps}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == FREE or (event.option.id == RESUME and self._lab_of(RESUME) is None):
            self.app.open_session(None)
        else:
            self.app.open_session(self._lab_of(event.option.id))

    def action_explore(self) -> None:
        self.app.open_session(None)

    def action_restart(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        lab = self._lab_of(option.id if option else None)
        if lab is not None:
            self.app.open_session(lab, restart=True)
