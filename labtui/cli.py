"""labtui's command line: `labtui az ...`, `labtui shell`, and (for now) the interactive shell.

Only the standard library and labtui's engine/az layers are imported on these paths, never Textual,
so `labtui az` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labtui", description="Practise the Azure compute lifecycle on a "
                                     "simulated Azure.")
    parser.add_argument("--data-dir", help="Where the sandbox is saved (default: $LABTUI_DATA_DIR, else the XDG "
                        "data directory).")
    parser.add_argument("--seed", type=int, help="Seed for generated ids and addresses (default: $LABTUI_SEED or 0).")
    commands = parser.add_subparsers(dest="command")
    az = commands.add_parser("az", help="Run one az command against the saved sandbox.", add_help=False)
    az.add_argument("args", nargs=argparse.REMAINDER)
    shell = commands.add_parser("shell", help="Run command lines from standard input against one world.")
    shell.add_argument("--data-dir", dest="shell_data_dir", help="Use (and save) the sandbox in this directory "
                       "instead of a fresh world.")
    shell.add_argument("--echo", action="store_true", help="Print each line before its output, as a transcript.")
    commands.add_parser("repl", help="An interactive az prompt on the saved sandbox (what `labtui` starts today).")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `labtui az --help` belongs to az, not to labtui's own parser.
    if argv[:1] == ["az"]:
        return run_az(argv[1:], None, None)
    options = _parser().parse_args(argv)
    if options.command == "az":
        return run_az(options.args, options.data_dir, options.seed)
    if options.command == "shell":
        return run_shell(options)
    return run_repl(options)


def _log_to(directory: Path) -> None:
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


def _open(directory: Path, seed: int):
    from .engine.persist import Sandbox, SandboxError

    _log_to(directory)
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
    import copy

    from .az.runner import AzCli
    from .engine.events import ClockAdvanced, CommandRun

    sandbox, world = _open(data_dir(directory), seed_of(seed))
    if sandbox is None:
        return 1
    try:
        changes: list[object] = []
        world.subscribe(lambda event: None if isinstance(event, (CommandRun, ClockAdvanced)) else
                        changes.append(event))
        annex_before = copy.deepcopy(world.annex)
        interactive = sys.stdin.isatty()
        cli = AzCli(world, interactive=interactive, ask=_ask if interactive else None, color=sys.stdout.isatty())
        result = cli.run(args, line="az " + " ".join(args))
        sys.stderr.write(result.stderr)
        sys.stdout.write(result.stdout)
        # A command that changed nothing leaves the file alone: the next run catches the clock up
        # from the same save, to the same state, so reading is as fast as az's own start-up.
        if changes or world.annex != annex_before or not sandbox.path.exists():
            sandbox.save(world)
        return result.exit_status
    finally:
        sandbox.unlock()


def _ask(question: str) -> str:
    try:
        return input(question)
    except EOFError:
        return ""


def run_shell(options: argparse.Namespace) -> int:
    from .az.shell import ShellSession
    from .engine.world import World

    directory = options.shell_data_dir or options.data_dir
    if directory:
        sandbox, world = _open(Path(directory), seed_of(options.seed))
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


def run_repl(options: argparse.Namespace) -> int:
    """Until the terminal UI lands, `labtui` starts an az prompt on the saved sandbox."""
    from .az.script import LogicalLine
    from .az.shell import ShellSession

    sandbox, world = _open(data_dir(options.data_dir), seed_of(options.seed))
    if sandbox is None:
        return 1
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:
        pass
    print("labtui: a simulated Azure for practising the compute lifecycle. Nothing here touches a real "
          "subscription.")
    print("Type az commands (az group create -n rg-lab -l eastus), `guest -g RG -n VM COMMAND`, `wait 5m`, "
          "or `exit`.\n")
    session = ShellSession(world, sys.stdout, sys.stderr, interactive=True, ask=_ask)
    try:
        lineno = 0
        while True:
            try:
                text = input("labtui$ ")
            except EOFError:
                print()
                break
            except KeyboardInterrupt:
                print()
                continue
            if text.strip() in ("exit", "quit"):
                break
            if not text.strip():
                continue
            lineno += 1
            session.run_line(LogicalLine(text, lineno))
            sandbox.save(world)
    finally:
        sandbox.save(world)
        sandbox.unlock()
    return 0


def entry() -> None:
    """The console script: run, flush, and leave without tearing down a large world object by object."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    entry()
