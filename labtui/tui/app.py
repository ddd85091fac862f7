"""labtui's terminal UI: the app holds the student's workspace (world, shell, lab), runs the clock in
real time, and hands the screen one batch of changes a few times a second."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.system_commands import SystemCommandsProvider

from ..host.workspace import OpenFailed, Workspace, last_session, open_workspace
from . import compositing, layout_passes
from .bridge import WorldBridge
from .palette import ActionsProvider
from .startup import resume_collector
from .widgets.status_bar import SPEEDS

if TYPE_CHECKING:       # the lab's modules load with a lab: free exploration starts without them
    from ..lab.model import Lab
    from ..lab.runner import Notice

compositing.install()
layout_passes.install()


class LabtuiApp(App):
    TITLE = "labtui"
    CSS_PATH = "app.tcss"
    FLUSH_EVERY = 0.25      # seconds between batches of world changes drawn
    TICK_EVERY = 0.5        # seconds between the clock's and the spinners' steps
    STEP_TOASTS = True      # a done step also pops up a notification (the Output pane always says it)
    COMMANDS = {ActionsProvider, SystemCommandsProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("question_mark", "help", "Keys"),
        Binding("f1", "help", "Keys", show=False),
        Binding("ctrl+w", "welcome", "Welcome", show=False),
    ]

    def __init__(self, data_dir: Path, *, seed: int | None = None, lab: Lab | None = None, restart: bool = False,
                 speed: float = 10.0, real_clock: Callable[[], float] | None = None, start_free: bool = False):
        super().__init__()
        self.data_dir = data_dir
        self.seed = seed
        self.speed = speed
        self.real_clock = real_clock
        self.start = (lab, restart) if lab is not None else None
        self.start_free = start_free
        self.workspace: Workspace | None = None
        self.bridge: WorldBridge | None = None
        self._clock_task: asyncio.Task | None = None
        self._completed_shown = False

    # --- start and end ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.set_interval(self.FLUSH_EVERY, self.flush)
        self.set_interval(self.TICK_EVERY, self._tick)
        if self.start is not None:
            self.open_session(*self.start)
        elif self.start_free:
            self.open_session(None)
        else:
            self.show_welcome()

    def show_welcome(self) -> None:
        from .screens.welcome import WelcomeScreen

        from ..lab import library

        labs, problems = library.load_library()
        for problem in problems:
            self.notify(f"A lab does not load: {problem}", severity="error")
        self.push_screen(WelcomeScreen(labs, last_session(self.data_dir)))
        self.call_after_refresh(resume_collector)

    def open_session(self, lab: Lab | None, restart: bool = False) -> None:
        self.run_worker(self._open(lab, restart), exclusive=True, group="session")

    async def _open(self, lab: Lab | None, restart: bool) -> None:
        from .screens.main import MainScreen

        await self._close_workspace()
        try:
            # Loading a big sandbox takes a while: off the event loop, so the screen stays live.
            workspace = await asyncio.to_thread(
                open_workspace, self.data_dir, lab, seed=self.seed, restart=restart, speed=self.speed,
                real_clock=self.real_clock, answer=self.ask, on_notice=self.on_notice)
        except OpenFailed as failed:
            self.notify(str(failed), title="Cannot open", severity="error", timeout=10)
            if len(self.screen_stack) <= 1:     # opened straight into it: not left on an empty screen
                self.show_welcome()
            resume_collector()
            return
        self.workspace = workspace
        workspace.start_saving()
        self.bridge = WorldBridge(workspace.world)
        self._completed_shown = workspace.runner is not None and workspace.runner.completed
        self._clock_task = asyncio.create_task(self._drive())
        screen = MainScreen()
        if lab is not None:
            screen.add_class("-lab")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(screen)
        self.call_after_refresh(resume_collector)
        self.sub_title = lab.title if lab else "free exploration"

    async def _drive(self) -> None:
        """Run the clock of whichever world the workspace holds (a lab reset swaps it)."""
        while self.workspace is not None:
            world = self.workspace.world
            task = asyncio.create_task(world.drive())
            try:
                while self.workspace is not None and self.workspace.world is world and not task.done():
                    await asyncio.sleep(0.2)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    async def _close_workspace(self) -> None:
        if self._clock_task is not None:
            self._clock_task.cancel()
            self._clock_task = None
        if self.bridge is not None:
            self.bridge.close()
            self.bridge = None
        if self.workspace is not None:
            workspace, self.workspace = self.workspace, None
            await workspace.close()

    async def on_unmount(self) -> None:
        await self._close_workspace()       # however the app ends, the sandbox is saved and unlocked

    async def action_quit(self) -> None:
        await self._close_workspace()
        self.exit()

    def action_welcome(self) -> None:
        async def back() -> None:
            await self._close_workspace()
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            self.show_welcome()

        self.run_worker(back(), exclusive=True, group="session")

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # --- the batched refresh -----------------------------------------------------------------------
    def flush(self) -> None:
        """Hand the main screen everything that changed since the last batch, in one refresh."""
        if self.bridge is None or self.workspace is None:
            return
        changes = self.bridge.take()
        main = self._main_screen()
        if main is not None and changes:
            try:
                main.apply(changes)
            except NoMatches:
                return      # the app is closing (as in _tick)
        said = self.workspace.drain()
        if said:
            self.show_lab_text(said)

    def _tick(self) -> None:
        main = self._main_screen()
        if main is not None:
            try:
                main.tick()
            except NoMatches:
                pass        # the app is closing: its screens' panes go before its timers stop

    def _main_screen(self):
        """The main screen, once its panes exist (a timer can fire while it is built or torn down)."""
        from .screens.main import MainScreen

        if self.workspace is None:      # closing (quit, back to the welcome screen): nothing to draw from
            return None
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        return main if main is not None and main.panes_ready else None

    def show_lab_text(self, text: str) -> None:
        main = self._main_screen()
        if main is not None:
            main.write_output(text)

    # --- the lab's notices ---------------------------------------------------------------------------
    def on_notice(self, notice: Notice) -> None:
        from ..lab.runner import LabCompleted, StepCompleted, TrapHit
        from .widgets.trap_panel import TrapPanel

        main = self._main_screen()
        if isinstance(notice, TrapHit) and main is not None:
            main.query_one(TrapPanel).show_trap(notice)
        elif isinstance(notice, StepCompleted) and self.STEP_TOASTS:
            self.notify(notice.step.title, title="✓ Step done" if not notice.skipped else "» Step skipped",
                        timeout=4)
        elif isinstance(notice, LabCompleted) and not self._completed_shown:
            self._completed_shown = True
            self.call_later(self._show_completion)

    def _show_completion(self) -> None:
        from .screens.completion import CompletionScreen

        if self.workspace is not None and self.workspace.runner is not None:
            self.workspace.write_summary()
            self.push_screen(CompletionScreen(self.workspace.runner))

    async def ask(self, question: str) -> str:
        """az asks a y/n question (a delete without --yes): answer it in a dialog."""
        from .screens.confirm import ConfirmScreen

        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.push_screen(ConfirmScreen(question.strip()), lambda yes: future.done() or future.set_result(bool(yes)))
        return "y" if await future else "n"

    # --- the clock -------------------------------------------------------------------------------------
    def toggle_pause(self) -> None:
        world = self.workspace.world
        if world.clock.speed > 0:
            self._resume_speed = world.clock.speed
            world.set_speed(0)
        else:
            world.set_speed(getattr(self, "_resume_speed", 10.0))
        self._tick()

    def change_speed(self, step: int) -> None:
        world = self.workspace.world
        current = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - world.clock.speed))
        world.set_speed(SPEEDS[max(0, min(len(SPEEDS) - 1, current + step))])
        self._tick()

    def fast_forward(self) -> None:
        """Finish every operation in flight now (the clock jumps to when the last one is done)."""
        world = self.workspace.world
        pending = world.pending()
        if world.wake_sleepers() and not pending:      # an `az ... wait` between two polls
            self.notify("Skipped to the waiting az command's next poll.", timeout=2)
            self.flush()
            return
        if not pending:
            self.notify("Nothing is in flight.", timeout=2)
            return
        for op in list(pending):
            if not op.done:
                world.finish(op)
        self.notify(f"Fast-forwarded {len(pending)} operation{'s' if len(pending) != 1 else ''}.", timeout=2)
        self.flush()

