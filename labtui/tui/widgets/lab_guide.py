"""The lab guide: the steps with check marks, the current step's instructions as Markdown, what its
check still needs, and the hints revealed so far (one more on `h`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from ...lab.runner import LabRunner


class LabGuide(VerticalScroll):
    DEFAULT_CSS = """
    LabGuide { height: 1fr; padding: 0 1; }
    LabGuide #guide-title { text-style: bold; color: $accent; }
    LabGuide #guide-steps { margin: 1 0 0 0; color: $text-muted; }
    LabGuide #guide-instructions { margin: 1 0; }
    LabGuide #guide-unmet { color: $warning; }
    LabGuide #guide-hints { color: $success; }
    LabGuide Horizontal { height: auto; }
    LabGuide Button { min-width: 10; margin-right: 1; }
    """

    class Asked(Message):
        """The student asked for a hint or a skip (``what`` is "hint" or "skip")."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def __init__(self, runner: LabRunner, *, id: str | None = None):
        super().__init__(id=id)
        self.runner = runner
        self._instructions_for: str | None = None
        self._shown: dict[str, Text] = {}
        self._sizes: dict[str, tuple[int, int] | None] = {}

    def compose(self) -> ComposeResult:
        # What to do now comes first: on an 80x24 screen it is what must show without scrolling.
        yield Static(id="guide-title")
        yield Static(id="guide-instructions")
        yield Static(id="guide-unmet")
        yield Static(id="guide-hints")
        with Horizontal():
            yield Button("Hint (h)", id="guide-hint", compact=True)
            yield Button("Skip step", id="guide-skip", compact=True)
        yield Static(id="guide-steps")

    def on_mount(self) -> None:
        self.redraw()

    def use_runner(self, runner: LabRunner) -> None:
        self.runner = runner
        self._instructions_for = None
        self._shown = {}
        self._sizes = {}
        self.redraw()

    def redraw(self) -> None:
        runner, lab = self.runner, self.runner.lab
        score = runner.score()
        title = Text(lab.title)
        title.append(f"   score {score.points} · hints {score.hints} · traps {score.traps}", "dim")
        self._show("#guide-title", title)
        steps = Text()
        current = runner.current_step
        for index, step in enumerate(lab.steps, 1):
            if runner.is_done(step):
                mark, style = ("» ", "dim") if runner.was_skipped(step) else ("✓ ", "green")
            elif step is current and lab.mode == "guided":
                mark, style = ("→ ", "bold")
            else:
                mark, style = ("· ", "")
            steps.append(f"{mark}{index}. {step.title}{' (optional)' if step.optional else ''}\n", style)
        self._show("#guide-steps", steps)
        key = current.id if current else "<done>"
        if key != self._instructions_for:
            self._instructions_for = key
            if current is None:
                body = "**The lab is complete.** The completion screen has your score, the transcript and the quiz."
            else:
                body = f"### Step {lab.steps.index(current) + 1}: {current.title}\n\n{current.instructions}"
            # Rich's Markdown in one Static, not Textual's Markdown widget: that one mounts a widget per
            # block on every step, and each mount styled and laid out the screen again (in a class over
            # SSH, 50 sessions do it at once). Imported here: it brings markdown-it and pygments (about 50 ms).
            from rich.markdown import Markdown

            self.query_one("#guide-instructions", Static).update(Markdown(body))
        unmet = Text()
        if current is not None:
            clauses = runner.unmet(current)
            if clauses:
                unmet.append("Still needed:\n", "bold")
                for clause in clauses:
                    unmet.append(f"  · {clause}\n")
        self._show("#guide-unmet", unmet)
        hints = Text()
        if current is not None:
            for number, hint in enumerate(runner.hints_shown(current), 1):
                hints.append(f"Hint {number}/{len(current.hints)}: ", "bold")
                hints.append(hint.strip() + "\n")
            left = len(current.hints) - len(runner.hints_shown(current))
            if left:
                from ...lab.runner import HINT_COST     # only with a lab: free exploration starts without lab code

                hints.append(f"{left} more hint{'s' if left != 1 else ''} (h, −{HINT_COST} points each)", "dim")
        self._show("#guide-hints", hints)

    def _show(self, selector: str, text: Text) -> None:
        """Update a part only when it changed, and lay the screen out again only when its height did: the
        guide is redrawn after every command, and a layout is most of what a command costs to draw."""
        if self._shown.get(selector) == text:
            return
        self._shown[selector] = text
        part = self.query_one(selector, Static)
        width = part.content_region.width
        size = (width, len(text.wrap(self.app.console, width))) if width and text.plain else None
        part.update(text, layout=size is None or size != self._sizes.get(selector))
        self._sizes[selector] = size

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Asked("hint" if event.button.id == "guide-hint" else "skip"))
