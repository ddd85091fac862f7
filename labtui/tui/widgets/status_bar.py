"""The status bar: the simulated clock, its speed, what is in flight, and the running cost meter
(always labelled approximate)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...engine import clock
from ...engine.world import World

SPEEDS = (0.0, 1.0, 10.0, 60.0)


def speed_label(speed: float) -> str:
    return "paused" if speed <= 0 else f"{speed:g}x"


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, world: World, *, id: str | None = None):
        super().__init__(id=id)
        self.world = world
        self.running_line: str | None = None

    def on_mount(self) -> None:
        self.tick()

    def tick(self) -> None:
        world = self.world
        now = world.clock.current()
        text = Text()
        text.append(" ⏱ ", "bold")
        text.append(clock.date_of(now).strftime("%a %d %b %H:%M:%S"), "bold")
        text.append(" simulated ", "dim")
        speed = world.clock.speed
        text.append(f"[{speed_label(speed)}]", "bold yellow" if speed <= 0 else "bold green")
        pending = len(world.pending())
        if pending:
            text.append(f" · {pending} in flight", "yellow")
        if self.running_line:
            text.append(" · az waiting (esc)", "italic")
        text.append(" · cost ≈ $", "")
        text.append(f"{world.total_cost():.2f}", "bold")
        text.append(f" · ${world.hourly_cost:.3f}/h ", "")
        text.append("(approximate list prices)", "dim")
        self.update(text, layout=False)     # one line that never changes size: no screen layout
