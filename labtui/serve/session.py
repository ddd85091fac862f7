"""A session's own process (forked by the zygote, its pty already its terminal): set the terminal up
the way the client's is, then run the app for the account's role."""

from __future__ import annotations

import io
import os
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console

CRASH_LOG = "sessions.log"


def colour_system(term: str, colorterm: str) -> str:
    """Rich's colour system for the client's terminal, from what its TERM and COLORTERM say."""
    if colorterm.strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    term = term.lower()
    if "256color" in term or term.endswith("-direct") or term in ("xterm-kitty", "alacritty", "wezterm"):
        return "256"
    return "standard"


def _terminal_stdio() -> None:
    """Fresh UTF-8 streams on the pty: the zygote's own came from wherever the server was started."""
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(open(0, "rb", buffering=0, closefd=False), encoding="utf-8")
    for number, name in ((1, "stdout"), (2, "stderr")):
        stream = io.TextIOWrapper(open(number, "wb", buffering=0, closefd=False), encoding="utf-8",
                                  errors="replace", write_through=True)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _configure_textual(request: dict) -> None:
    import textual.constants
    import textual.screen

    os.environ["TERM"] = request.get("term") or "xterm-256color"
    # The server's own COLUMNS/LINES would win over the pty's size (shutil.get_terminal_size reads them first).
    for inherited in ("COLORTERM", "COLUMNS", "LINES"):
        os.environ.pop(inherited, None)
    if request.get("colorterm"):
        os.environ["COLORTERM"] = request["colorterm"]
    # Both were read when Textual was imported (in the zygote): set them for this terminal.
    textual.constants.COLOR_SYSTEM = colour_system(os.environ["TERM"], request.get("colorterm") or "")
    textual.screen.UPDATE_PERIOD = 1 / request["fps"]      # the server's choice (server.SSH_FPS)


def run_session(request: dict) -> int:
    _terminal_stdio()
    _configure_textual(request)
    role = request["role"]
    if role == "instructor":
        from .dashboard import DashboardApp

        app = DashboardApp(request)
    elif role == "watch":
        from .mirror import MirrorApp

        app = MirrorApp(request)
    else:
        from .student_app import ClassroomApp

        app = ClassroomApp(request)
    # A crash goes to the class's log; the student reads one line, not a traceback.
    crash = io.StringIO()
    app.error_console = Console(file=crash, width=100, markup=False, highlight=False)
    app.run()
    if crash.getvalue():
        _append_log(request, crash.getvalue())
        sys.stderr.write("\r\nlabtui stopped on an internal error. Your work up to the last command is saved; "
                         "your instructor can find the details in the server's sessions.log.\r\n")
        return app.return_code or 1
    return app.return_code or 0


def log_crash(request: dict) -> None:
    """A session that fails writes its traceback to the class directory's log, not to the student."""
    _append_log(request, traceback.format_exc())


def _append_log(request: dict, text: str) -> None:
    try:
        path = Path(request["class_dir"]) / "run" / CRASH_LOG
        with open(path, "a") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {request.get('role')} {request.get('user')}\n")
            log.write(text)
    except (OSError, KeyError):
        pass
