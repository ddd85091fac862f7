"""A VM's guest console: its own OS prompt over the engine's guest shell (bash over SSH for Linux,
PowerShell for Windows), with history. A question from the guest (waagent's "proceed? (y/n)") is
answered in place on the next line. Reachable only while the VM runs, as on Azure; when the guest
shuts down or reboots, the console says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from ...engine.guest_session import GuestUnreachable
from ...engine.resources import VirtualMachine
from ..widgets.key_footer import KeyFooter
from ..widgets.line_log import LineLog

if TYPE_CHECKING:
    from ..app import LabtuiApp


class ConsoleScreen(Screen):
    DEFAULT_CSS = """
    ConsoleScreen { background: black; }
    ConsoleScreen #console-title { height: 1; background: $panel; padding: 0 1; }
    ConsoleScreen LineLog { background: black; height: 1fr; }
    ConsoleScreen Horizontal { height: 1; }
    ConsoleScreen #console-prompt { width: auto; color: $success; }
    ConsoleScreen #console-input { border: none; height: 1; padding: 0; background: black; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the resources"),
                Binding("f1", "simulated", "What this console knows"),
                Binding("up", "history(-1)", "Previous", show=False),
                Binding("down", "history(1)", "Next", show=False)]

    app: "LabtuiApp"

    def __init__(self, vm_id: str):
        super().__init__()
        self.vm_id = vm_id
        self.history: list[str] = []
        self.position = 0
        self._disconnected = False

    @property
    def session(self):
        return self.app.workspace.guest(self.vm_id)

    def compose(self) -> ComposeResult:
        vm = self.app.workspace.world.get(self.vm_id)
        name = vm.name if vm else "?"
        shell = "Windows PowerShell" if isinstance(vm, VirtualMachine) and vm.os_type == "Windows" else "bash over SSH"
        yield Static(Text.assemble(("Guest console ", "bold"), f"{name} · {shell} · esc returns; the VM keeps "
                                   "running"), id="console-title")
        yield LineLog(id="console-log")
        with Horizontal():
            yield Static("", id="console-prompt")
            yield Input(id="console-input")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.update_prompt()
        self.query_one("#console-input", Input).focus()

    def action_simulated(self) -> None:
        """The commands this simulated guest understands; the guest's own `help` is not that list."""
        try:
            names = self.session.console().simulated_commands()
        except GuestUnreachable as why:
            self.query_one("#console-log", LineLog).write(Text(str(why), "red"))
            return
        self.query_one("#console-log", LineLog).write(Text(
            "This simulated guest understands: " + ", ".join(names) + ". Anything else says it is not simulated.",
            "dim"))

    def update_prompt(self) -> None:
        try:
            prompt = self.session.prompt
            self._disconnected = False
        except GuestUnreachable as why:
            if not self._disconnected:      # said once, when the connection goes
                self.query_one("#console-log", LineLog).write(Text(str(why), "red"))
            self._disconnected = True
            prompt = "(disconnected) "
        self.query_one("#console-prompt", Static).update(Text(prompt, "bold green"))

    @on(Input.Submitted, "#console-input")
    def _submitted(self, event: Input.Submitted) -> None:
        line = event.value
        event.input.value = ""
        log = self.query_one("#console-log", LineLog)
        prompt = str(self.query_one("#console-prompt", Static).render())
        log.write(Text.assemble((prompt, "green"), line))
        if line.strip():
            self.history.append(line)
        self.position = len(self.history)
        try:
            result, lab_says = self.app.workspace.run_guest(self.vm_id, line)
        except GuestUnreachable as why:
            log.write(Text(str(why), "red"))
            self._disconnected = True
            self.update_prompt()
            return
        if result.output:
            for text in result.output.rstrip("\n").split("\n"):
                log.write(text)
        if lab_says:
            self.app.show_lab_text(lab_says)
        self.update_prompt()
        self.app.flush()

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self.position = max(0, min(len(self.history), self.position + step))
        field = self.query_one("#console-input", Input)
        field.value = self.history[self.position] if self.position < len(self.history) else ""
        field.cursor_position = len(field.value)
