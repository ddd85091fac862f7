"""The instructor's dashboard: the class live (who is where, who is stuck), a student's screen on
demand, a message to everyone, and a demo session the class can watch."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static

from ..tui.widgets.key_footer import KeyFooter
from .link import ControlLink
from .mirror import TerminalMirror, apply_screen_message

STUCK_AFTER = 8 * 60.0          # seconds on one step before a student stands out
COLUMNS = ("Student", "", "Lab", "Step", "Done", "Hints", "Traps", "On step", "Score")


def minutes(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600}h{seconds % 3600 // 60:02d}"


def is_stuck(student: dict[str, Any], now: float) -> bool:
    """Connected, in a lab not yet completed, and long on one step."""
    return bool(student.get("connected") and student.get("where") == "lab"
                and student.get("status") != "completed" and now - student.get("step_since", now) >= STUCK_AFTER)


def row_of(student: dict[str, Any], now: float) -> tuple[Any, ...]:
    """One student's row; a stuck student stands out in red."""
    connected = student.get("connected")
    where = student.get("where")
    completed = student.get("status") == "completed"
    on_step = now - student.get("step_since", now)
    stuck = is_stuck(student, now)
    state = Text("● here", style="green") if connected else Text("○ away", style="dim")
    if where == "lab":
        lab = student.get("lab_title") or student.get("lab") or ""
        step = "✓ completed" if completed else (student.get("step_title") or student.get("current_step") or "")
        done = f"{student.get('steps_done', 0)}/{student.get('steps', 0)}"
    else:
        lab, step, done = where or "not started", "", ""
    timer = Text(minutes(on_step) if connected else "", style="bold red" if stuck else "")
    if stuck:
        timer.append(" stuck", style="bold red")
    score = student.get("score")
    return (Text(student["name"], style="bold red" if stuck else ""), state, lab, step, done,
            str(student.get("hints", "")), str(student.get("traps", "")), timer,
            "" if score is None else str(score))


class BroadcastScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="broadcast"):
            yield Label("A message for every student (enter sends, esc cancels):")
            yield Input(placeholder="e.g. Five minutes left: finish the step you are on", max_length=300)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class FollowScreen(Screen):
    """One student's screen, live and read-only."""

    BINDINGS = [Binding("escape", "back", "Back to the class"), Binding("q", "back", "Back", show=False)]

    def __init__(self, student: str):
        super().__init__()
        self.student = student

    def compose(self) -> ComposeResult:
        yield Static(f"Connecting to {self.student}'s screen…", id="mirror-caption")
        yield TerminalMirror()
        yield KeyFooter()

    def on_control(self, message: dict[str, Any]) -> None:
        apply_screen_message(message, self.query_one(TerminalMirror), self.query_one("#mirror-caption", Static),
                             watching=f"{self.student}'s screen", waiting=f"{self.student} has left.",
                             leave="esc: back to the class")

    def action_back(self) -> None:
        self.app.link.post({"type": "unfollow"})
        self.app.pop_screen()


class DashboardApp(App):
    TITLE = "labtui: the class"
    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        Binding("f", "follow", "Follow screen"),
        Binding("b", "broadcast", "Message all"),
        Binding("d", "demo", "Start a demo"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, request: dict[str, Any]):
        super().__init__()
        self.user = request["user"]
        self.link = ControlLink(request["control"], request["token"], self.on_control)
        self.view: dict[str, Any] = {"students": []}
        self._clock_offset = 0.0

    def compose(self) -> ComposeResult:
        yield Static("Waiting for the server…", id="class-summary")
        table = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self.link.run(), group="control")
        self.set_interval(1.0, self.redraw)       # the "on step" timers move on their own

    def on_control(self, message: dict[str, Any]) -> None:
        if message.get("type") == "class":
            self.view = message
            self._clock_offset = time.time() - float(message.get("now", time.time()))
            self.redraw()
        elif isinstance(self.screen, FollowScreen):
            self.screen.on_control(message)

    def redraw(self) -> None:
        table = self.query_one(DataTable)
        now = time.time() - self._clock_offset
        students = self.view.get("students", [])
        here = sum(1 for s in students if s.get("connected"))
        stuck = sum(1 for s in students if is_stuck(s, now))
        parts = [f"{here} of {len(students)} students connected"]
        if stuck:
            parts.append(f"{stuck} stuck (over {int(STUCK_AFTER // 60)} minutes on a step)")
        if self.view.get("demo"):
            parts.append(f"demo running, {self.view.get('watchers', 0)} watching")
        if "sessions" in self.view:
            parts.append(f"{self.view['sessions']}/{self.view['max_sessions']} sessions")
        self.query_one("#class-summary", Static).update(" · ".join(parts))
        keys = [s["name"] for s in students]
        if [str(k.value) for k in table.rows] != keys:
            cursor = table.cursor_row
            table.clear()
            for student in students:
                table.add_row(*row_of(student, now), key=student["name"])
            if students:
                table.move_cursor(row=min(cursor, len(students) - 1))
            return
        for student in students:
            for column, value in zip(table.columns, row_of(student, now)):
                table.update_cell(student["name"], column, value, update_width=True)

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_follow(self) -> None:
        name = self.selected()
        if name is None:
            return
        self.push_screen(FollowScreen(name))
        self.link.post({"type": "follow", "user": name})

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_follow()

    def action_broadcast(self) -> None:
        def send(text: str | None) -> None:
            if text:
                self.link.post({"type": "broadcast", "text": text})
                self.notify(f"Sent to every student: {text}", timeout=4)

        self.push_screen(BroadcastScreen(), send)

    async def action_demo(self) -> None:
        """Your own labtui session, which the class can follow by logging in as `watch`; quitting it
        brings you back here."""
        self.link.post({"type": "demo"})
        await self.link.flush()
        self.exit()
