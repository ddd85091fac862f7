"""The main screen: the resource tree, the details pane, the lab guide, the output of the commands run,
the az command line and the status bar.

Everything that changes the world goes through `run_line`: a typed line, a key on a resource, a
form, the palette. The line is shown before it runs, its output after, and it is recorded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input

from ...engine.guest_session import GuestUnreachable
from ...engine.resources import VirtualMachine
from ...host.workspace import Busy
from ..actions import FORMS, Action, action_for_key, actions_for
from ..bridge import Changes
from ..completion import complete
from ..kinds import kind_named
from ..widgets.command_line import CommandLine, CompletionHint
from ..widgets.details import Details
from ..widgets.key_footer import KeyFooter
from ..widgets.line_log import LineLog
from ..widgets.resource_list import ResourceList
from ..widgets.status_bar import StatusBar
from ..widgets.trap_panel import TrapPanel

if TYPE_CHECKING:
    from ..app import LabtuiApp
    from ..widgets.lab_guide import LabGuide

ACTION_KEYS = ("s", "x", "d", "r", "g", "o", "c", "n", "k", "a", "t", "v", "i", "u", "delete")


def _error_style(line: str) -> str:
    return "red" if line.startswith(("ERROR", "labtui:", "Cannot connect")) else \
        "yellow" if line.startswith("WARNING") else ""


_INLINE = re.compile(r"\*\*([^*\n]+)\*\*|`([^`\n]+)`")


def output_line(line: str) -> Text:
    """One line of output. The lab's own words are Markdown; its **bold** and `code` show as styles
    rather than as asterisks and backquotes (az never prints either pair)."""
    text = Text(style=_error_style(line))
    position = 0
    for match in _INLINE.finditer(line):
        text.append(line[position:match.start()])
        bold, code = match.groups()
        text.append(bold, "bold") if bold is not None else text.append(code, "cyan")
        position = match.end()
    text.append(line[position:])
    return text


def _load_az_commands() -> None:
    """az's command modules (about 15 ms) load just after the first frame, before a key needs them."""
    from ...az import registry  # noqa: F401


class MainScreen(Screen):
    CSS_PATH = "main.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("colon", "prompt(':')", "Jump", tooltip="Jump to a kind of resource: :vm :disk :snap :image"),
        Binding("slash", "prompt('/')", "Filter"),
        Binding("greater_than_sign", "prompt('')", "Command line", show=False),
        Binding("at", "command_log", "Log"),
        Binding("h", "hint", "Hint"),
        Binding("p", "pause", "Pause/run"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("f", "fast_forward", "Fast-forward"),
        Binding("S", "storage", "Storage"),
        Binding("N", "create", "New…"),
        Binding("1", "focus_pane('resources')", "Resources", show=False),
        Binding("2", "focus_pane('details')", "Details", show=False),
        Binding("3", "focus_pane('guide')", "Guide", show=False),
        Binding("4", "focus_pane('output')", "Output", show=False),
        Binding("5", "focus_pane('command')", "Command line", show=False),
        *(Binding(key, f"act('{key}')", key, show=False) for key in ACTION_KEYS),
    ]

    app: "LabtuiApp"

    def __init__(self) -> None:
        super().__init__()
        workspace = self.app.workspace
        self.bridge = self.app.bridge
        self.has_lab = workspace.runner is not None
        self._offered: tuple[str, ...] = ()        # the action keys of the highlighted resource

    @property
    def workspace(self):
        return self.app.workspace

    @property
    def world(self):
        return self.app.workspace.world

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            tree = ResourceList(self.world, id="resources")
            tree.border_title = "Resources [1]"
            yield tree
            details = Details(self.world, id="details")
            details.border_title = "Details [2]"
            yield details
            if self.has_lab:
                # Imported with a lab only: its Markdown rendering adds 30 ms to free exploration's start.
                from ..widgets.lab_guide import LabGuide

                guide = LabGuide(self.workspace.runner, id="guide")
                guide.border_title = "Lab [3]"
                yield guide
        with Vertical(id="bottom"):
            output = LineLog(id="output")
            output.border_title = "Output [4]"
            yield output
            hint = CompletionHint(id="completions")
            yield CommandLine(lambda text: complete(text, self.world), hint.show, id="command")
            yield hint
        yield TrapPanel(id="trap")
        yield StatusBar(self.world, id="status")
        yield KeyFooter()

    panes_ready = False     # the app's timers draw into the panes only once they exist

    def on_unmount(self) -> None:
        self.panes_ready = False

    def on_mount(self) -> None:
        self.panes_ready = True
        self.call_after_refresh(_load_az_commands)
        self.query_one(ResourceList).rebuild()
        output = self.query_one("#output", LineLog)
        # Two short lines: a line wider than the pane would bring a scrollbar, and with it a second
        # layout of the screen at every login.
        output.write(Text("Type az commands below (tab completes); ? shows the keys.\n"
                          "Keys act on the selected resource; ctrl+p lists every action.", "dim"))
        if self.workspace.notice:
            output.write(Text(self.workspace.notice, "yellow"))
        self.query_one(CommandLine).focus()

    # --- the batched refresh ---------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        """One refresh for everything that changed since the last batch (called a few times a second)."""
        tree = self.query_one(ResourceList)
        if changes.structure:
            tree.rebuild()
        if changes.ids:
            tree.changed(changes.ids)
        details = self.query_one(Details)
        if details.resource_id and (details.resource_id in changes.ids or changes.structure):
            details.redraw()
        if self.has_lab and (changes.ids or changes.commands or changes.structure):
            self.query_one("#guide").redraw()
        if changes.commands:
            self.query_one(StatusBar).tick()

    def tick(self) -> None:
        self.query_one(StatusBar).running_line = self.workspace.running
        self.query_one(StatusBar).tick()
        self.query_one(ResourceList).spin()

    def use_world(self) -> None:
        """The workspace holds a new world (a lab reset): point every pane at it."""
        world = self.world
        self.query_one(ResourceList).use_world(world)
        self.query_one(Details).use_world(world)
        self.query_one(StatusBar).world = world
        if self.has_lab:
            self.query_one("#guide").use_runner(self.workspace.runner)

    # --- selection ---------------------------------------------------------------------------------
    @on(ResourceList.Highlighted)
    def _highlighted(self, message: ResourceList.Highlighted) -> None:
        self.query_one(Details).show(message.resource_id)
        # The action keys a resource offers follow from its kind. Refreshing the bindings rebuilds the
        # footer, and a rebuild lays the screen out: do it only when the keys on offer change.
        resource = self.world.get(message.resource_id) if message.resource_id else None
        offered = tuple(action.key for action in actions_for(resource))
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    @on(ResourceList.MenuRequested)
    def _menu_requested(self, message: ResourceList.MenuRequested) -> None:
        from .action_menu import ActionMenu

        resource = self.world.get(message.resource_id)
        actions = actions_for(resource)
        if resource is None or not actions:
            return

        def chosen(key: str | None) -> None:
            now = self.world.get(message.resource_id)     # as it is now: the clock ran while the menu was open
            action = action_for_key(now, key) if key and now is not None else None
            if action is not None:
                self.perform(action, now)

        self.app.push_screen(ActionMenu(resource, actions, message.at), chosen)

    @on(ResourceList.Activated)
    def _activated(self, message: ResourceList.Activated) -> None:
        resource = self.world.get(message.resource_id)
        if isinstance(resource, VirtualMachine):
            self.open_console(resource)

    @property
    def selected(self):
        row = self.query_one(ResourceList).selected
        return self.world.get(row.resource_id) if row and row.resource_id else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "act":
            return not typing and action_for_key(self.selected, str(parameters[0])) is not None
        if action in ("hint",):
            return self.has_lab and not typing
        if action in ("prompt", "command_log", "pause", "speed", "fast_forward", "storage", "create", "focus_pane"):
            return not typing
        return True

    # --- running lines -------------------------------------------------------------------------------
    def run_line(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if text.startswith(":"):
            self.jump(text[1:])
            return
        if text.startswith("/"):
            self.query_one(ResourceList).set_filter(text[1:].strip())
            return
        if self.workspace.running is not None:
            self.notify(f"az is still waiting for: {self.workspace.running}\nEsc stops waiting (the operation goes "
                        "on in Azure).", title="One command at a time", severity="warning")
            return
        self.query_one(CommandLine).remember(text)
        self.query_one(TrapPanel).hide()
        self._run(text)

    @work(group="line", exit_on_error=False)
    async def _run(self, text: str) -> None:
        output = self.query_one("#output", LineLog)
        output.write(Text(f"$ {text}", "bold cyan"))
        world_before = self.world
        try:
            result = await self.workspace.run(text)
        except Busy:
            return
        for stream in (result.stderr, result.stdout):
            if stream:
                self.write_output(stream)
        if result.status != 0:
            output.write(Text(f"(exit status {result.status})", "dim"))
        if self.world is not world_before:
            self.bridge.rebind(self.world)
            self.use_world()
        self.app.flush()
        if self.has_lab and text.split(maxsplit=1)[0] == "lab":
            # A lab line (`lab hint`, `lab skip`) changes no resource, so the batch above brings the
            # guide nothing: the hint it shows and the score would wait for the next change in Azure.
            self.query_one("#guide").redraw()

    def write_output(self, text: str) -> None:
        output = self.query_one("#output", LineLog)
        for line in text.rstrip("\n").split("\n"):
            output.write(output_line(line))

    @on(CommandLine.Submitted)
    def _submitted(self, event: CommandLine.Submitted) -> None:
        event.stop()
        self.run_line(event.value)      # the command line has already emptied itself

    def jump(self, word: str) -> None:
        kind = kind_named(word)
        tree = self.query_one(ResourceList)
        if kind is None:
            self.notify(f"No kind of resource called '{word}'. Try :vm :disk :snap :image :gallery :def :version "
                        ":net", severity="warning")
            return
        if not tree.jump_to(kind):
            self.notify(f"No {kind.title.lower()} here yet.", severity="information")
            return
        tree.focus()

    # --- actions -----------------------------------------------------------------------------------
    def action_act(self, key: str) -> None:
        action = action_for_key(self.selected, key)
        if action is not None:
            self.perform(action)

    def perform(self, action: Action, resource=None) -> None:
        resource = resource or self.selected
        if resource is None:
            return
        if action.console:
            self.open_console(resource)
        elif action.form:
            self.open_form(action.form, resource)
        elif action.confirm:
            from .confirm import ConfirmScreen

            line = action.line(resource)

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.run_line(line)

            self.app.push_screen(ConfirmScreen(action.confirm, line), confirmed)
        else:
            self.run_line(action.line(resource))

    def open_form(self, form_key: str, resource=None) -> None:
        from .form import FormScreen

        form = FORMS[form_key](self.world, resource)

        def submitted(line: str | None) -> None:
            if line:
                self.run_line(line)

        self.app.push_screen(FormScreen(form), submitted)

    def open_console(self, vm) -> None:
        from .console import ConsoleScreen

        session = self.workspace.guest(vm.id)
        try:
            session.prompt
        except GuestUnreachable as why:
            self.notify(str(why), title="The console needs a running VM", severity="error", timeout=8)
            return
        self.app.push_screen(ConsoleScreen(vm.id))

    def action_create(self) -> None:
        from .pick import PickScreen

        choices = [(key, build(self.world, None).title) for key, build in FORMS.items()
                   if key not in ("attach", "detach")]

        def picked(key: str | None) -> None:
            if key:
                self.open_form(key, self.selected)

        self.app.push_screen(PickScreen("Create…", choices), picked)

    # --- keys ----------------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.query_one(TrapPanel).hide():
            return
        if self.workspace.stop_waiting():
            return
        command = self.query_one(CommandLine)
        if self.focused is command:
            self.query_one(ResourceList).focus()
        elif self.query_one(ResourceList).filter_text:
            self.query_one(ResourceList).set_filter("")

    def action_prompt(self, prefix: str) -> None:
        command = self.query_one(CommandLine)
        command.value = prefix
        command.cursor_position = len(prefix)
        command.focus()

    def action_focus_pane(self, pane: str) -> None:
        target = {"details": "#details Tabs", "guide": "#guide-text"}.get(pane, f"#{pane}")
        widgets = self.query(target)
        if widgets:
            widgets.first().focus()

    def action_hint(self) -> None:
        if self.has_lab:
            self.run_line("lab hint")

    def action_pause(self) -> None:
        self.app.toggle_pause()

    def action_speed(self, step: int) -> None:
        self.app.change_speed(step)

    def action_fast_forward(self) -> None:
        self.app.fast_forward()

    def action_command_log(self) -> None:
        from .command_log import CommandLogScreen

        self.app.push_screen(CommandLogScreen(self.bridge))

    def action_storage(self) -> None:
        from .storage import StorageScreen

        self.app.push_screen(StorageScreen(self.world))

    def on_lab_guide_asked(self, message: LabGuide.Asked) -> None:
        self.run_line("lab hint" if message.what == "hint" else "lab skip")

    def palette_actions(self) -> list[tuple[str, str, callable]]:
        """What the command palette offers here: the selected resource's actions, then the rest."""
        resource = self.selected
        found = []
        for action in actions_for(resource):
            help_text = "opens the guest console" if action.console else \
                f"opens a form for: az {FORMS[action.form](self.world, resource).command}" if action.form else \
                action.line(resource)
            found.append((f"{action.label}: {getattr(resource, 'name', '')}", help_text,
                          lambda a=action, r=resource: self.perform(a, r)))
        for key, build in FORMS.items():
            form = build(self.world, None)
            found.append((f"{form.title}…", f"az {form.command}", lambda k=key: self.open_form(k, self.selected)))
        found += [
            ("Clock: pause or run", "space in time for reading", self.app.toggle_pause),
            ("Clock: faster", "1x → 10x → 60x", lambda: self.app.change_speed(1)),
            ("Clock: slower", "60x → 10x → 1x → paused", lambda: self.app.change_speed(-1)),
            ("Clock: fast-forward pending work", "finish every operation in flight now", self.app.fast_forward),
            ("Storage view", "snapshot chains and what each snapshot bills", self.action_storage),
            ("Command log", "every command run, with its exit status", self.action_command_log),
        ]
        if self.has_lab:
            found += [("Lab: reveal a hint", "−5 points", lambda: self.run_line("lab hint")),
                      ("Lab: skip this step", "runs its solution; the step counts as skipped",
                       lambda: self.run_line("lab skip")),
                      ("Lab: what is still needed", "lab status", lambda: self.run_line("lab status")),
                      ("Lab: start again", "a fresh world from the lab's setup", lambda: self.run_line("lab reset"))]
        found.append(("Welcome screen", "choose another lab or free exploration", self.app.action_welcome))
        return found
