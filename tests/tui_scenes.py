"""The screens the README shows and the snapshot tests pin, built on a seeded world with a frozen
clock so they repeat exactly. `make screenshots` writes them as SVG into screenshots/:

    python tests/tui_scenes.py screenshots/
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from labtui.lab.library import find_lab  # noqa: E402
from tui_helpers import SIZE, main_screen, make_app, settle, type_line, until  # noqa: E402


async def _calm(pilot) -> None:
    """No blinking cursor and no pending paint, so the picture is the same every time."""
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()     # toasts time out in real time, so they would come and go
    await pilot.pause()


async def welcome(pilot) -> None:
    from labtui.tui.screens.welcome import WelcomeScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen))
    await _calm(pilot)


async def main_in_lab(pilot) -> None:
    lab = pilot.app.workspace.lab if pilot.app.workspace else None
    await main_screen(pilot)
    lab = pilot.app.workspace.lab
    for line in lab.steps[0].solution + lab.steps[1].solution:
        await type_line(pilot, line)
    from labtui.engine.resources import VirtualMachine
    from labtui.tui.widgets.resource_list import ResourceList

    tree = pilot.app.screen.query_one(ResourceList)
    tree.select(pilot.app.workspace.world.find(VirtualMachine, "rg-images", "vm-golden").id)
    await _calm(pilot)


async def console(pilot) -> None:
    from labtui.engine.resources import VirtualMachine
    from labtui.tui.screens.console import ConsoleScreen

    await main_screen(pilot)
    await type_line(pilot, "az group create -n rg -l eastus -o none")
    await type_line(pilot, "az vm create -g rg -n vm-golden --image Ubuntu2204 --security-type Standard "
                           "--generate-ssh-keys -o none")
    from labtui.tui.widgets.resource_list import ResourceList

    tree = pilot.app.screen.query_one(ResourceList)
    tree.focus()
    tree.select(pilot.app.workspace.world.find(VirtualMachine, "rg", "vm-golden").id)
    await pilot.press("o")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConsoleScreen))
    field = pilot.app.screen.query_one("#console-input")
    for line in ("hostname", "cat /etc/machine-id", "sudo waagent -deprovision+user"):
        field.value = line
        await pilot.press("enter")
        await pilot.pause()
    await _calm(pilot)


async def storage(pilot) -> None:
    from labtui.tui.screens.storage import StorageScreen

    await main_screen(pilot)
    for line in find_lab("incremental-snapshots").steps[0].solution:
        await type_line(pilot, line)
    lab = pilot.app.workspace.lab
    for step in lab.steps[1:6]:
        for line in step.solution:
            await type_line(pilot, line)
    pilot.app.screen.action_storage()
    await until(pilot, lambda: isinstance(pilot.app.screen, StorageScreen))
    await _calm(pilot)


async def completion(pilot) -> None:
    from labtui.tui.screens.completion import CompletionScreen

    await main_screen(pilot)
    lab = pilot.app.workspace.lab
    await type_line(pilot, "lab hint")
    for step in lab.steps:
        for line in step.solution:
            await type_line(pilot, line)
    await settle(pilot)
    await until(pilot, lambda: isinstance(pilot.app.screen, CompletionScreen))
    await _calm(pilot)


# name -> (how to build the app, what to do before the picture)
SCENES = {
    "welcome": (lambda data: make_app(data), welcome),
    "main-lab": (lambda data: make_app(data, lab=find_lab("windows-image")), main_in_lab),
    "console": (lambda data: make_app(data, free=True), console),
    "storage": (lambda data: make_app(data, lab=find_lab("incremental-snapshots")), storage),
    "completion": (lambda data: make_app(data, lab=find_lab("incremental-snapshots")), completion),
}


async def write_all(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, (build, before) in SCENES.items():
        with tempfile.TemporaryDirectory() as data:
            app = build(Path(data))
            async with app.run_test(size=SIZE) as pilot:
                await before(pilot)
                # As snap_compare waits before its picture: a last layout (a scrollbar that comes with
                # it) may still be pending, and the README's picture must match the pinned snapshot.
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                app.save_screenshot(filename=f"{name}.svg", path=str(directory))
        print(f"wrote {directory / (name + '.svg')}")


if __name__ == "__main__":
    asyncio.run(write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
