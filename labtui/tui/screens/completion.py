"""The end of a lab: the score with how it was made (steps by the student, hints, traps, time) and
the transcript of every command; then the closing quiz."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, RadioButton, RadioSet, Static

from ...host.lab_host import minutes
from ...lab.runner import LabRunner
from ..widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from ..app import LabtuiApp


def score_table(runner: LabRunner) -> Table:
    score = runner.score()
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Score", Text(f"{score.points}/100", "bold green" if score.points >= 70 else "bold yellow"))
    skipped = f", {score.steps_skipped} skipped" if score.steps_skipped else ""
    table.add_row("Steps", f"{score.steps_done}/{score.steps_required} by you{skipped}")
    table.add_row("Hints", f"{score.hints} (−5 each)")
    table.add_row("Traps", f"{score.traps} (−10 each)")
    table.add_row("Time", f"{minutes(score.simulated_seconds)} simulated, {minutes(score.real_seconds)} real")
    return table


def transcript_text(runner: LabRunner) -> Text:
    text = Text()
    for entry in runner.transcript():
        text.append(f"{minutes(entry['at']):>8}  ", "dim")
        if entry.get("vm"):
            text.append(f"[{entry['vm']}] ", "cyan")
        text.append(entry["line"], "red" if entry["exit_status"] else "")
        if entry["exit_status"]:
            text.append(f"   exit {entry['exit_status']}{', ' + entry['error_code'] if entry.get('error_code') else ''}",
                        "red")
        if entry.get("skipped"):
            text.append("   (from a skipped step's solution)", "dim")
        text.append("\n")
    return text


class CompletionScreen(Screen):
    DEFAULT_CSS = """
    CompletionScreen VerticalScroll { padding: 1 2; }
    CompletionScreen #done-title { text-style: bold; color: $success; margin-bottom: 1; }
    CompletionScreen #done-transcript { border: round $primary 50%; padding: 0 1; margin: 1 0; }
    CompletionScreen Horizontal { height: auto; }
    CompletionScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the lab"), Binding("z", "quiz", "Quiz"),
                Binding("w", "app.welcome", "Welcome")]

    app: "LabtuiApp"

    def __init__(self, runner: LabRunner):
        super().__init__()
        self.runner = runner

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(f"★ Lab complete: {self.runner.lab.title}", id="done-title")
            yield Static(score_table(self.runner))
            yield Static(Text("Transcript", "bold"))
            yield Static(transcript_text(self.runner), id="done-transcript")
            with Horizontal():
                if self.runner.lab.quiz:
                    yield Button("Take the quiz (z)", id="quiz", variant="primary")
                yield Button("Back to the lab (esc)", id="back")
                yield Button("Welcome screen (w)", id="welcome")
        yield KeyFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "quiz":
            self.action_quiz()
        elif event.button.id == "back":
            self.app.pop_screen()
        else:
            self.app.action_welcome()

    def action_quiz(self) -> None:
        if self.runner.lab.quiz:
            self.app.push_screen(QuizScreen(self.runner))


class QuizScreen(Screen):
    DEFAULT_CSS = """
    QuizScreen VerticalScroll { padding: 1 2; }
    QuizScreen RadioSet { width: 100%; margin-bottom: 1; }
    QuizScreen .question { text-style: bold; margin-top: 1; }
    QuizScreen #quiz-result { margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, runner: LabRunner):
        super().__init__()
        self.runner = runner

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(f"Quiz: {self.runner.lab.title}", "bold"))
            for number, question in enumerate(self.runner.lab.quiz, 1):
                yield Static(f"{number}. {question.question.strip()}", classes="question")
                with RadioSet(id=f"q{number}"):
                    for choice in question.choices:
                        yield RadioButton(choice.text)
            yield Button("Check my answers", id="check", variant="primary")
            yield Static(id="quiz-result")
        yield KeyFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answers = [self.query_one(f"#q{n}", RadioSet).pressed_index for n in range(1, len(self.runner.lab.quiz) + 1)]
        if any(answer < 0 for answer in answers):
            self.notify("Choose an answer for every question first.", severity="warning")
            return
        result = self.runner.answer_quiz(answers)
        text = Text()
        for number, (question, answer) in enumerate(zip(self.runner.lab.quiz, answers), 1):
            chosen = question.choices[answer]
            if chosen.correct:
                text.append(f"{number}. ✓ ", "bold green")
            else:
                text.append(f"{number}. ✗ the answer is: {question.choices[question.answer].text}\n   ", "bold red")
            text.append(chosen.explanation.strip() + "\n")
        text.append(f"\n{result.correct}/{result.total} ({result.percent}%): "
                    f"{'passed' if result.passed else 'not passed; 60% passes'}", "bold")
        self.query_one("#quiz-result", Static).update(text)
        self.app.workspace.write_summary()
