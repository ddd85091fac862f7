"""Trap feedback: a panel over the bottom of the screen with the rule that was broken and what to do
instead. It never blocks: the student keeps typing, and it goes on the next command or on `esc`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from ...lab.runner import TrapHit


class TrapPanel(Static):
    DEFAULT_CSS = """
    TrapPanel {
        dock: bottom; height: auto; max-height: 12; display: none; margin: 0 2 4 2;
        border: heavy $warning; background: $warning 15%; padding: 0 1;
    }
    TrapPanel.-shown { display: block; }
    """

    def show_trap(self, notice: TrapHit) -> None:
        from ...lab.runner import TRAP_COST     # only with a lab: free exploration starts without lab code

        text = Text()
        text.append(f"⚠ {notice.trap.title}", "bold")
        text.append(f"   −{TRAP_COST} points · keep going · esc hides this\n", "dim")
        text.append(notice.trap.feedback.strip())
        self.update(text)
        self.add_class("-shown")

    def hide(self) -> bool:
        shown = self.has_class("-shown")
        self.remove_class("-shown")
        return shown
