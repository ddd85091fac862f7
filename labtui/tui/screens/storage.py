"""The storage view: per disk, its snapshots as a chart of what each one bills. A full snapshot bills
every used block; an incremental one only the blocks changed since the previous snapshot of the
same disk, which is why a chain of incrementals costs little more than one full copy."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ...engine.resources import Disk, Snapshot
from ...engine.world import World
from ..overview import name_of
from ..widgets.key_footer import KeyFooter

GIB = 2 ** 30
BAR = 40


def chains(world: World) -> list[tuple[str, list[Snapshot]]]:
    """(source disk label, its snapshots oldest first), including disks deleted since."""
    by_source: dict[str, list[Snapshot]] = {}
    for snap in world.list(Snapshot):
        by_source.setdefault((snap.source_resource_id or "").lower(), []).append(snap)
    found = []
    for disk in world.list(Disk):
        found.append((disk.name, by_source.pop(disk.id.lower(), [])))
    for source, snaps in by_source.items():
        found.append((name_of(world, source) if source else "(no source)", snaps))
    return found


def chart(world: World) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True)
    biggest = max([s.billed_bytes for s in world.list(Snapshot)] + [1])
    for label, snaps in chains(world):
        disk = next((d for d in world.list(Disk) if d.name == label), None)
        used = f"{disk.content.used_bytes / GIB:.2f} GiB used of {disk.size_gb} GiB" if disk else ""
        table.add_row(Text(f"▣ {label}", "bold"), Text(used, "dim"), "", "")
        if not snaps:
            table.add_row(Text("    no snapshots", "dim"), "", "", "")
        for snap in snaps:
            width = snap.billed_bytes / biggest * BAR
            bar = "█" * int(width) + ("▌" if width - int(width) >= 0.5 else "")
            style = "magenta" if snap.incremental else "blue"
            table.add_row(Text(f"    {'◆'} {snap.name}", style), Text(bar or "▏", style),
                          f"{snap.billed_bytes / GIB:.2f} GiB",
                          Text("incremental" if snap.incremental else "full", style))
        table.add_row("", "", "", "")
    return table


class StorageScreen(Screen):
    DEFAULT_CSS = """
    StorageScreen #storage-title { height: auto; background: $panel; padding: 0 1; }
    StorageScreen VerticalScroll { padding: 1 2; }
    """
    BINDINGS = [Binding("escape,S", "app.pop_screen", "Back")]

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def compose(self) -> ComposeResult:
        title = Text.assemble(("Storage", "bold"), "  billed size of each snapshot, by source disk · ",
                              ("■ full", "blue"), " bills every used block · ",
                              ("■ incremental", "magenta"), " bills what changed since the previous one")
        yield Static(title, id="storage-title")
        with VerticalScroll():
            yield Static(chart(self.world), id="storage-chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.redraw)

    def redraw(self) -> None:
        self.query_one("#storage-chart", Static).update(chart(self.world))
