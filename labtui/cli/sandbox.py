"""The sandbox commands: `labtui az ...`, `labtui shell`, and (until the TUI) the interactive prompt.

Only the standard library and labtui's engine/az layers are imported on these paths, never Textual,
so `labtui az` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from ..az.script import LogicalLine

DEFAULT_SPEED = 10.0


def data_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("LABTUI_DATA_DIR"):
        return Path(os.environ["LABTUI_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "labtui"


def seed_of(explicit: int | None) -> int:
    if explicit is not None:
        return explicit
    try:
        return int(os.environ.get("LABTUI_SEED", "0"))
    except ValueError:
        return 0


def log_to(directory: Path) -> None:
    """Internal errors go to a log file beside the sandbox, never onto the student's screen."""
    import logging

    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(directory / "labtui.log")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("labtui")
    logger.addHandler(handler)
    logger.propagate = False


def open_sandbox(directory: Path, seed: int):
    from ..engine.persist import Sandbox, SandboxError

    log_to(directory)
    sandbox = Sandbox(directory)
    try:
        sandbox.lock()
    except SandboxError as locked:
        sys.stderr.write(f"labtui: {locked}\n")
        return None, None
    world = sandbox.load(seed=seed, speed=DEFAULT_SPEED)
    if sandbox.notice:
        sys.stderr.write(sandbox.notice + "\n")
    return sandbox, world


def run_az(args: list[str], directory: str | None, seed: int | None) -> int:
    from ..az.runner import AzCli
    from ..engine.events import ClockAdvanced, CommandRun

    sandbox, world = open_sandbox(data_dir(directory), seed_of(seed))
    if sandbox is None:
        return 1
    try:
        changes: list[object] = []
        world.subscribe(lambda event: None if isinstance(event, (CommandRun, ClockAdvanced)) else
                        changes.append(event))
        interactive = sys.stdin.isatty()
        cli = AzCli(world, interactive=interactive, ask=ask if interactive else None, color=sys.stdout.isatty())
        result = cli.run(args, line="az " + " ".join(args))
        sys.stderr.write(result.stderr)
        sys.stdout.write(result.stdout)
        # A command that changed nothing leaves the file alone: the next run catches the clock up
        # from the same save, to the same state, so reading is as fast as az's own start-up.
        if changes or not sandbox.path.exists():
            sandbox.save(world)
        return result.exit_status
    finally:
        sandbox.unlock()


def ask(question: str) -> str:
    try:
        return input(question)
    except EOFError:
        return ""


def run_shell(options: argparse.Namespace) -> int:
    from ..az.shell import ShellSession
    from ..engine.world import World

    directory = options.shell_data_dir or options.data_dir
    if directory:
        sandbox, world = open_sandbox(Path(directory), seed_of(options.seed))
        if sandbox is None:
            return 1
    else:
        sandbox, world = None, World(seed=seed_of(options.seed), speed=DEFAULT_SPEED)
    try:
        session = ShellSession(world, sys.stdout, sys.stderr, echo=options.echo)
        status = session.run_lines(sys.stdin)
        if sandbox is not None:
            sandbox.save(world)
        return status
    finally:
        if sandbox is not None:
            sandbox.unlock()


def prompt_lines(prompt: str) -> Iterator["LogicalLine"]:
    """Lines typed at an interactive prompt, until `exit`, `quit` or end of input; Ctrl-C drops a line."""
    from ..az.script import LogicalLine

    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:
        pass
    lineno = 0
    while True:
        try:
            text = input(prompt)
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            continue
        if text.strip() in ("exit", "quit"):
            return
        if text.strip():
            lineno += 1
            yield LogicalLine(text, lineno)


def run_repl(options: argparse.Namespace) -> int:
    """Until the terminal UI lands, `labtui` starts an az prompt on the saved sandbox."""
    from ..az.shell import ShellSession

    sandbox, world = open_sandbox(data_dir(options.data_dir), seed_of(options.seed))
    if sandbox is None:
        return 1
    print("labtui: a simulated Azure for practising the compute lifecycle. Nothing here touches a real "
          "subscription.")
    print("Type az commands (az group create -n rg-lab -l eastus), `guest -g RG -n VM COMMAND`, `wait 5m`, "
          "or `exit`.\n")
    print("Guided labs: quit, then `labtui list` shows them and `labtui lab ID` starts one.\n")

    def no_lab_here(argv: list[str]) -> int:
        sys.stderr.write("labtui: this is the free sandbox, with no lab running. Leave with `exit`, then "
                         "`labtui list` and `labtui lab ID`.\n")
        return 2

    session = ShellSession(world, sys.stdout, sys.stderr, interactive=True, ask=ask, builtins={"lab": no_lab_here})
    try:
        for line in prompt_lines("labtui$ "):
            session.run_line(line)
            sandbox.save(world)
    finally:
        sandbox.save(world)
        sandbox.unlock()
    return 0
