"""`labtui serve`: the classroom server, its roster and its results."""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
from pathlib import Path

from .sandbox import data_dir


def add_parser(commands) -> None:
    serve = commands.add_parser("serve", help="Serve labtui to a class over SSH (see docs/classroom.md).")
    serve.add_argument("--class-dir", metavar="DIR", help="Where the host key, the roster and every student's work live "
                       "(default: the data directory's classroom/).")
    serve.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1, this "
                       "machine only; 0.0.0.0 for the classroom's network).")
    serve.add_argument("--port", type=_port, default=2222, help="Port to listen on (default: 2222).")
    serve.add_argument("--lab", help="Put every student straight into this lab (an id from `labtui list`).")
    serve.add_argument("--max-sessions", type=_positive, default=60, help="Most student and instructor sessions "
                       "at once (default: 60; `watch` logins have seats of their own).")
    serve.add_argument("--idle-timeout", type=_duration, default=30 * 60.0, help="Save and close a session "
                       "nobody typed in for this long: 30m, 1h, 900s; a bare number is minutes (default: 30m).")
    serve.add_argument("--open", dest="open_class", action="store_true", help="Let anyone in with any valid "
                       "name and no password (roster members still need theirs). For a closed classroom only.")
    actions = serve.add_subparsers(dest="serve_action")
    roster = actions.add_parser("roster", help="Who may log in.")
    roster_actions = roster.add_subparsers(dest="roster_action", required=True)
    add = roster_actions.add_parser("add", help="Add a student or instructor, or change their password or keys.")
    add.add_argument("name")
    add.add_argument("--instructor", action="store_true", help="Gets the class dashboard instead of a lab.")
    add.add_argument("--key", help="An OpenSSH public key file (e.g. alice.pub) to log in with.")
    add.add_argument("--password-stdin", action="store_true", help="Read the password from standard input "
                     "instead of asking for it.")
    add.add_argument("--no-password", action="store_true", help="With --key: log in with the key only.")
    remove = roster_actions.add_parser("remove", help="Take someone off the roster (their work stays).")
    remove.add_argument("name")
    listing = roster_actions.add_parser("list", help="Everyone on the roster, with how they log in.")
    results = actions.add_parser("results", help="Every student's labs, steps, hints, traps, scores and times.")
    results.add_argument("--format", choices=("csv", "json"), default="csv")
    for sub in (add, remove, listing, results):
        sub.add_argument("--class-dir", dest="sub_class_dir", metavar="DIR", help="The class directory (as for "
                         "serve).")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: ports run from 1 to 65535")
    return port


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least one session is needed")
    return value


def _duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        if text[-1:] in units:
            value = float(text[:-1]) * units[text[-1]]
        else:
            value = float(text) * 60        # a teacher's "30" means half an hour
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a duration: write 30m, 1h or 900s") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the idle timeout must be more than zero")
    return value


def _class_dir(options: argparse.Namespace) -> Path:
    chosen = getattr(options, "sub_class_dir", None) or options.class_dir
    return Path(chosen).expanduser().resolve() if chosen else data_dir(options.data_dir) / "classroom"


def run(options: argparse.Namespace) -> int:
    class_dir = _class_dir(options)
    adding = options.serve_action == "roster" and options.roster_action == "add"
    if not adding and not (options.serve_action is None and options.open_class) and not class_dir.is_dir():
        sys.stderr.write(f"labtui serve: there is no class directory at {class_dir}. A class starts with its "
                         f"roster: `labtui serve roster add NAME --class-dir {class_dir}`.\n")
        return 2
    if options.serve_action == "roster":
        return _roster(options, class_dir)
    if options.serve_action == "results":
        from ..serve.results import render

        sys.stdout.write(render(class_dir, options.format))
        return 0
    return _serve(options, class_dir)


def _roster(options: argparse.Namespace, class_dir: Path) -> int:
    from ..serve import classdir
    from ..serve.names import BadName
    from ..serve.roster import Roster, RosterError

    try:
        roster = Roster.load(class_dir)
        if options.roster_action == "list":
            for member in sorted(roster.members.values(), key=lambda m: m.name):
                how = ", ".join(filter(None, ["password" if member.password else "",
                                              f"{len(member.keys)} key{'s' if len(member.keys) != 1 else ''}"
                                              if member.keys else ""]))
                print(f"{member.name:<24} {member.role:<11} {how}")
            if not roster.members:
                print(f"The roster in {class_dir} is empty: add someone with `labtui serve roster add NAME`.")
            return 0
        if options.roster_action == "remove":
            roster.remove(options.name)
            roster.save()
            print(f"Removed {options.name} from the roster (their saved work stays in {class_dir}).")
            return 0
        key = None
        if options.key:
            try:
                key = Path(options.key).expanduser().read_text()
            except OSError as bad:
                sys.stderr.write(f"labtui serve roster: cannot read {options.key}: {bad.strerror}\n")
                return 2
        password = None
        if not options.no_password:
            password = _read_password(options)
            if password is None:
                return 2
        elif key is None:
            sys.stderr.write("labtui serve roster: --no-password needs --key\n")
            return 2
        member = roster.add(options.name, role="instructor" if options.instructor else "student",
                            password=password, key=key)
        classdir.prepare(class_dir)
        roster.save()
    except (RosterError, BadName) as bad:
        sys.stderr.write(f"labtui serve roster: {bad}\n")
        return 2
    print(f"{member.name} ({member.role}) can log in to the class in {class_dir}.")
    return 0


def _read_password(options: argparse.Namespace) -> str | None:
    if options.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        sys.stderr.write("labtui serve roster: no terminal to ask for a password: use --password-stdin\n")
        return None
    first = getpass.getpass(f"Password for {options.name}: ")
    if getpass.getpass("Again: ") != first:
        sys.stderr.write("labtui serve roster: the passwords differ; nothing changed\n")
        return None
    return first


def _serve(options: argparse.Namespace, class_dir: Path) -> int:
    import asyncio      # here: every labtui command builds this module's parser, and `labtui az` needs no loop

    from ..serve.roster import Roster, RosterError
    from ..serve.server import Classroom, ServeError, ServeOptions
    from ..serve.zygote import ZygoteGone

    if options.lab:
        from .labs import _load

        lab = _load(options.lab)
        if lab is None:
            return 2
        options.lab = lab.id
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    try:
        roster = Roster.load(class_dir)
    except RosterError as bad:
        sys.stderr.write(f"labtui serve: {bad}\n")
        return 2
    if not roster.members and not options.open_class:
        sys.stderr.write(f"labtui serve: nobody can log in: the roster in {class_dir} is empty. Add students "
                         f"with `labtui serve roster add NAME --class-dir {class_dir}`, or start an open class "
                         "with --open.\n")
        return 2
    serve_options = ServeOptions(class_dir, options.host, options.port, options.lab, options.max_sessions,
                                 options.idle_timeout, options.open_class)

    async def main() -> int:
        classroom = Classroom(serve_options, roster)
        try:
            await classroom.start()
        except (ServeError, ZygoteGone) as bad:
            sys.stderr.write(f"labtui serve: {bad}\n")
            await classroom.stop()
            return 1
        except OSError as bad:
            sys.stderr.write(f"labtui serve: cannot listen on {options.host}:{options.port}: {bad.strerror}\n")
            await classroom.stop()
            return 1
        _banner(classroom, class_dir, roster)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        await stop.wait()
        print("Stopping: every session saves and closes…", flush=True)
        await classroom.stop()
        return 0

    return asyncio.run(main())


def _banner(classroom, class_dir: Path, roster) -> None:
    from ..serve.server import spoken_duration

    options = classroom.options
    host = options.host
    shown_host = host if host not in ("0.0.0.0", "::", "") else "THIS-HOST"
    lines = [f"labtui classroom on {host}:{classroom.port}   (class directory: {class_dir})",
             f"Host key fingerprint: {classroom.fingerprint()}   (give it to the class to check on first login)",
             f"Students connect with:  ssh -p {classroom.port} NAME@{shown_host}",
             f"The class watches your demo with:  ssh -p {classroom.port} watch@{shown_host}",
             f"Limits: {options.max_sessions} session{'s' if options.max_sessions != 1 else ''}; a session nobody "
             f"types in closes after {spoken_duration(options.idle_timeout)}."]
    instructors = [m.name for m in roster.members.values() if m.instructor]
    lines.append(f"Roster: {len(roster.members)} member(s); instructor(s): {', '.join(instructors) or 'none'}.")
    if options.lab:
        lines.append(f"Every student starts in the lab '{options.lab}'.")
    if options.open_class:
        lines += ["", "!" * 78,
                  "!! OPEN CLASS: anyone who can reach this port gets in with any name, no password.",
                  "!! Use it only on a network you trust; stop with Ctrl-C.",
                  "!" * 78]
    print("\n".join(lines), flush=True)
