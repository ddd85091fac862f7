"""labtui as a student (or the instructor's demo) gets it over SSH: the same app, plus the control
channel (progress out, broadcasts in) and a clean save when the connection hangs up."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

from ..host.workspace import last_session
from ..lab import library
from ..tui import app as tui_app
from ..tui.app import LabtuiApp
from ..tui.widgets.command_line import CommandLine
from .link import ControlLink

PROGRESS_EVERY = 1.0       # seconds; a message goes out only when something changed
_NOT_LIVE = {"done", "trap_ids", "real_seconds", "simulated_seconds", "quiz"}     # for the export, not the dashboard


class ClassroomApp(LabtuiApp):
    """Over SSH every frame crosses the network and 50 of these share two cores: changes are drawn
    twice a second, the clock steps once a second, the command line's cursor does not blink, and a
    done step is said in the Output pane without a notification."""

    CSS_PATH = str(Path(tui_app.__file__).with_name("app.tcss"))     # Textual resolves it beside the subclass
    FLUSH_EVERY = 0.5       # half as often as locally: a class shares two cores
    TICK_EVERY = 1.0
    # The Output pane says "✓ Step N/M done" already. A notification mounts a widget and lays the screen
    # out twice (in and out), in every session at once, since a class moves through a lab together.
    STEP_TOASTS = False

    def __init__(self, request: dict[str, Any]):
        CommandLine.BLINK = False       # this process is this one session's
        data_dir = Path(request["data_dir"])
        # A student who comes back (a dropped connection, the next lesson) lands where they were, not on
        # the welcome screen: the class's lab, else the last lab or sandbox they had open.
        lab = library.find_lab(request["lab"]) if request.get("lab") else None
        last = last_session(data_dir) if lab is None else None
        if last is not None and last["lab"]:
            try:
                lab = library.find_lab(last["lab"])
            except (library.UnknownLab, library.LabInvalid):
                last = None                 # a lab since taken out of the course: the welcome screen
        super().__init__(data_dir, lab=lab, start_free=last is not None and lab is None)
        self.user = request["user"]
        self.link = ControlLink(request["control"], request["token"], self.on_control)
        self._reported: dict[str, Any] | None = None

    def on_mount(self) -> None:     # Textual runs LabtuiApp.on_mount as well
        self.run_worker(self.link.run(), group="control")
        self.set_interval(PROGRESS_EVERY, self.report_progress)
        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(number, self.hang_up)
        # Textual resumes from a suspension on SIGCONT: it re-enters application mode and lays the screen
        # out again at the size it then reads. A session is never suspended (its pty is raw, so Ctrl+Z is a
        # key); SIGCONT comes only with the hangup, when the pty has no size left and the fallback 80x24
        # would cost a whole re-layout (70-180 ms of CPU, measured) just before the session saves and exits.
        signal.signal(signal.SIGCONT, signal.SIG_DFL)

    def progress(self) -> dict[str, Any]:
        """Where the student is, for the instructor's dashboard."""
        workspace = self.workspace
        if workspace is None:
            return {"where": "welcome"}
        runner = workspace.runner
        if runner is None:
            return {"where": "free exploration"}
        step = runner.current_step
        summary = {key: value for key, value in runner.summary().items() if key not in _NOT_LIVE}
        summary["score"] = summary.pop("score_now")     # the score so far, as the student's own screen shows it
        return {"where": "lab", **summary, "lab_title": runner.lab.title, "step_title": step.title if step else None}

    def report_progress(self) -> None:
        summary = self.progress()
        if summary != self._reported:
            self._reported = summary
            self.link.post({"type": "progress", "summary": summary})

    def on_control(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "broadcast":
            self.notify(str(message.get("text", "")), title=f"From {message.get('from', 'your instructor')}",
                        severity="warning", timeout=30)
        elif kind == "repaint":
            self.refresh()      # the whole screen, for someone who just started to follow it

    def hang_up(self) -> None:
        """The connection is gone (or the server closes the session): save, and leave at once; there is
        no terminal left to restore."""
        async def save_and_go() -> None:
            try:
                await asyncio.wait_for(self._close_workspace(), timeout=10)
            finally:
                os._exit(0)

        asyncio.get_running_loop().create_task(save_and_go())
