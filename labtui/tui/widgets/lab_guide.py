"""The lab guide: the steps with check marks, the current step's instructions as Markdown, what its
check still needs, and the hints revealed so far (one more on `h`).

The guide changes after nearly every command. Drawn as separate widgets whose heights follow their
text, each change laid the whole screen out again (10-30 ms, the largest part of what a command cost
to draw; in a class, 50 sessions do it in the same second). Here the text is one scrolling list of
lines (``GuideText``) in a pane of fixed size, with the buttons in a row of their own below it: a
change redraws the guide's rows and never moves anything else on the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Hashable

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button

from .cached_lines import CachedLines

if TYPE_CHECKING:
    from ...lab.runner import LabRunner

# The parts of the guide, top to bottom, each with its own look (component classes, so themes apply).
PARTS = ("title", "instructions", "unmet", "hints", "steps")


class GuideText(CachedLines, can_focus=True):
    """The guide's text as rows: each part is wrapped (the instructions rendered as Markdown) at the
    pane's width once per change, and a change redraws the rows, not the screen's layout."""

    COMPONENT_CLASSES = {f"guide--{part}" for part in PARTS}
    DEFAULT_CSS = """
    /* Wrapped to its width: never sideways. The scrollbar is always there: its width never changes, and
       a step's text that comes to overflow the pane lays nothing out. */
    GuideText { background: $surface; padding: 0 1; overflow-x: hidden; overflow-y: scroll; }
    GuideText > .guide--title { text-style: bold; color: $accent; }
    GuideText > .guide--steps { color: $text-muted; }
    GuideText > .guide--unmet { color: $warning; }
    GuideText > .guide--hints { color: $success; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._parts: dict[str, Text | Markdown] = {}
        self._rows: list[Text] = []
        self._width = 0
        self._version = 0
        # Each part's rows, kept while the part and the width stay: a command changes what is still
        # needed or the score, and the step's Markdown need not be rendered again for that.
        self._part_rows: dict[str, tuple[int, Text | Markdown, list[Text]]] = {}

    def show(self, parts: dict[str, Text | Markdown], *, from_top: bool = False) -> None:
        """New text for the parts given (the others stay); ``from_top`` scrolls back to the first row."""
        changed = {name: part for name, part in parts.items() if self._parts.get(name) != part}
        if not changed:
            return
        self._parts.update(changed)
        self._lay_out()
        if from_top:
            self.scroll_to(y=0, animate=False, immediate=True)

    def text(self) -> str:
        return "\n".join(row.plain.rstrip() for row in self._rows)

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return          # not laid out yet: on_resize comes with the width
        self._width = width
        self._version += 1
        rows: list[Text] = []
        for name in PARTS:
            part = self._parts.get(name)
            if part is None or (isinstance(part, Text) and not part.plain):
                continue
            if name in ("instructions", "steps") and rows:
                rows.append(Text())         # a blank row sets the step's text and the step list apart
            kept = self._part_rows.get(name)
            if kept is None or kept[0] != width or kept[1] is not part:
                kept = self._part_rows[name] = (width, part, self._rows_of(name, part, width))
            rows += kept[2]
        while rows and not rows[-1].plain:
            rows.pop()
        self._rows = rows
        self.update_size()
        self.refresh()

    def _rows_of(self, name: str, part: Text | Markdown, width: int) -> list[Text]:
        console = self.app.console
        style = self.get_component_rich_style(f"guide--{name}")
        if isinstance(part, Markdown):
            options = console.options.update_width(width)
            return [*(Text.assemble(*((segment.text, segment.style) for segment in line), style=style)
                      for line in console.render_lines(part, options, pad=False)), Text()]
        part = part.copy()
        part.rstrip()
        rows = list(part.wrap(console, width))
        for line in rows:
            line.stylize_before(style)
        return rows

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._lay_out()
        else:
            self.update_size()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._part_rows.clear()     # a theme's colours are in the rows
        if self._width:
            self._lay_out()

    # --- CachedLines ---------------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self._rows)

    def row_key(self, index: int) -> Hashable:
        return self._version, index

    def row_text(self, index: int, width: int) -> Text:
        return self._rows[index].copy()


class LabGuide(Vertical):
    DEFAULT_CSS = """
    LabGuide { height: 1fr; }
    LabGuide GuideText { height: 1fr; }
    LabGuide #guide-buttons { height: 1; padding: 0 1; background: $surface; }
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

    def compose(self) -> ComposeResult:
        yield GuideText(id="guide-text")
        with Horizontal(id="guide-buttons"):
            yield Button("Hint (h)", id="guide-hint", compact=True)
            yield Button("Skip step", id="guide-skip", compact=True)

    def on_mount(self) -> None:
        self.redraw()

    def use_runner(self, runner: LabRunner) -> None:
        self.runner = runner
        self._instructions_for = None
        self.redraw()

    def text(self) -> str:
        """What the guide says, as plain text."""
        return self.query_one(GuideText).text()

    def redraw(self) -> None:
        runner, lab = self.runner, self.runner.lab
        score = runner.score()
        title = Text(lab.title)
        title.append(f"   score {score.points} · hints {score.hints} · traps {score.traps}", "dim")
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
        parts: dict[str, Text | Markdown] = {"title": title, "steps": steps}
        key = current.id if current else "<done>"
        new_step = key != self._instructions_for
        if new_step:
            self._instructions_for = key
            if current is None:
                body = "**The lab is complete.** The completion screen has your score, the transcript and the quiz."
            else:
                body = f"### Step {lab.steps.index(current) + 1}: {current.title}\n\n{current.instructions}"
            # Rich's Markdown, drawn into the guide's rows: Textual's Markdown widget mounts a widget per
            # block on every step, and each mount styles and lays out the screen again.
            parts["instructions"] = Markdown(body)
        unmet = Text()
        if current is not None:
            clauses = runner.unmet(current)
            if clauses:
                unmet.append("Still needed:\n", "bold")
                for clause in clauses:
                    unmet.append(f"  · {clause}\n")
        parts["unmet"] = unmet
        hints = Text()
        if current is not None:
            for number, hint in enumerate(runner.hints_shown(current), 1):
                hints.append(f"Hint {number}/{len(current.hints)}: ", "bold")
                hints.append(hint.strip() + "\n")
            left = len(current.hints) - len(runner.hints_shown(current))
            if left:
                from ...lab.runner import HINT_COST     # only with a lab: free exploration starts without lab code

                hints.append(f"{left} more hint{'s' if left != 1 else ''} (h, −{HINT_COST} points each)", "dim")
        parts["hints"] = hints
        self.query_one(GuideText).show(parts, from_top=new_step)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Asked("hint" if event.button.id == "guide-hint" else "skip"))

