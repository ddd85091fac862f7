"""labtui's command line: one parser, and a module per family of commands.

`sandbox` has the az-facing commands (`labtui az`, `labtui shell`, the interactive prompt);
`labs` has the lab commands (`labtui list`, `validate`, `shell --lab`, `lab`, `author`). Each
imports what it needs when it runs, so `labtui az` loads neither the labs nor Textual.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from .sandbox import run_az


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labtui", description="Practise the Azure compute lifecycle on a "
                                     "simulated Azure.")
    parser.add_argument("--data-dir", help="Where the sandbox and lab progress are saved (default: $LABTUI_DATA_DIR, "
                        "else the XDG data directory).")
    parser.add_argument("--seed", type=int, help="Seed for generated ids and addresses (default: $LABTUI_SEED or 0).")
    commands = parser.add_subparsers(dest="command")
    az = commands.add_parser("az", help="Run one az command against the saved sandbox.", add_help=False)
    az.add_argument("args", nargs=argparse.REMAINDER)
    shell = commands.add_parser("shell", help="Run command lines from standard input against one world.")
    shell.add_argument("--data-dir", dest="shell_data_dir", help="Use (and save) the sandbox in this directory "
                       "instead of a fresh world; with --lab, the lab's progress is kept there.")
    shell.add_argument("--echo", action="store_true", help="Print each line before its output, as a transcript.")
    shell.add_argument("--lab", help="Play the lines against this lab (an id from `labtui list`, or a .toml file): "
                       "step completions, traps and the score are printed as they happen.")
    shell.add_argument("--json", action="store_true", help="With --lab: print lab events as JSON, one per line, "
                       "instead of the commands' output.")
    commands.add_parser("repl", help="A plain az prompt on the saved sandbox, without the terminal UI.")
    commands.add_parser("explore", help="Open the terminal UI straight into free exploration.")
    listing = commands.add_parser("list", help="The labs, with your progress in each.")
    listing.add_argument("--json", action="store_true", help="Print a JSON array instead of a table.")
    validate = commands.add_parser("validate", help="Check lab files: every problem with its file, field and line.")
    validate.add_argument("files", nargs="*", help="Lab files (default: every shipped lab).")
    validate.add_argument("--json", action="store_true", help="Print the problems as a JSON array.")
    validate.add_argument("--no-play", action="store_true", help="Check the file and its setup only; do not play "
                          "each step's solution to see that it completes the step without a trap.")
    lab = commands.add_parser("lab", help="Do a lab in the terminal UI (or at a plain prompt with --prompt).")
    lab.add_argument("lab", help="A lab id from `labtui list`, or a .toml file.")
    lab.add_argument("--restart", action="store_true", help="Start the lab again from its beginning.")
    lab.add_argument("--prompt", action="store_true", help="A plain line prompt instead of the terminal UI "
                     "(for screen readers and scripts).")
    author = commands.add_parser("author", help="Record a session into a draft lab for a teacher to trim.")
    author.add_argument("--out", "-o", required=True, help="Where to write the draft lab (.toml).")
    author.add_argument("--from", dest="from_lab", help="Start from this lab's setup instead of an empty "
                        "subscription.")
    author.add_argument("--id", dest="lab_id", help="The draft's id (default: from the file name).")
    author.add_argument("--title", help="The draft's title.")
    author.add_argument("--json", action="store_true", help="Print what was written (file, id, steps) as JSON.")
    from .serve import add_parser as add_serve_parser

    add_serve_parser(commands)
    return parser


def _quick_az(argv: list[str]) -> tuple[list[str], str | None, int | None] | None:
    """(az's arguments, --data-dir, --seed) when ``argv`` is labtui's own options then `az`; else None,
    and the full parser takes it (and words any mistake)."""
    options: dict[str, str] = {}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "az":
            try:
                seed = int(options["--seed"]) if "--seed" in options else None
            except ValueError:
                return None
            return argv[index + 1:], options.get("--data-dir"), seed
        name, eq, value = word.partition("=")
        if name not in ("--data-dir", "--seed"):
            return None
        if not eq:
            index += 1
            if index == len(argv):
                return None
            value = argv[index]
        options[name] = value
        index += 1
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `labtui [--data-dir DIR] [--seed N] az ...` goes straight to az: `labtui az --help` belongs to az,
    # and building labtui's own parser (every subcommand's) would cost a tenth of a short az command.
    quick = _quick_az(argv)
    if quick is not None:
        args, directory, seed = quick
        return run_az(args, directory, seed)
    options = _parser().parse_args(argv)
    if options.command == "az":
        return run_az(options.args, options.data_dir, options.seed)
    if options.command is None or options.command == "explore" or (options.command == "lab" and not options.prompt):
        from .ui import run_tui

        return run_tui(options)
    if options.command == "serve":
        from . import serve

        return serve.run(options)
    if options.command in ("list", "validate", "lab", "author") or (options.command == "shell" and options.lab):
        from . import labs

        return labs.run(options)
    if options.command == "shell" and options.json:
        sys.stderr.write("labtui shell: --json applies only with --lab\n")
        return 2
    from . import sandbox

    if options.command == "shell":
        return sandbox.run_shell(options)
    return sandbox.run_repl(options)


def entry() -> None:
    """The console script: run, flush, and leave without tearing down a large world object by object."""
    if _quick_az(sys.argv[1:]) is not None:
        # One short az command: the cyclic collector would only walk the world just loaded, once it
        # is loaded and again before the exit.
        gc.disable()
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


__all__ = ["entry", "main", "run_az"]
