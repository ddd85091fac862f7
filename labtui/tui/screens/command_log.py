"""The command log (`@`): every command run in this session, typed, clicked or from a form, az and
guest alike, with its exit status and error code."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ...engine import clock
from ..bridge import WorldBridge
from ..widgets.key_footer import KeyFooter
from ..widgets.line_log import LineLog


class CommandLogScreen(Screen):
    DEFAULT_CSS = """
    CommandLogScreen #log-title { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,at", "app.pop_screen", "Back")]

    def __init__(self, bridge: WorldBridge):
        super().__init__()
        self.bridge = bridge
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Command log", "bold"), "  every command this session, oldest first"),
                     id="log-title")
        yield LineLog(id="command-log")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.add_new()
        self.set_interval(0.5, self.add_new)
        self.query_one(LineLog).focus()

    def add_new(self) -> None:
        log = self.query_one(LineLog)
        commands = list(self.bridge.commands)
        if not commands and not log.lines:
            log.write(Text("No commands yet.", "dim"))
        for event in commands[self.shown:]:
            line = Text(clock.date_of(event.time).strftime("%H:%M:%S  "), "dim")
            line.append(f"{event.source:<5} ", "cyan")
            line.append(event.line, "bold" if event.exit_status == 0 else "red")
            if event.exit_status:
                line.append(f"   exit {event.exit_status}{', ' + event.error_code if event.error_code else ''}", "red")
            log.write(line)
        self.shown = len(commands)
