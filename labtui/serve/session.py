"""A session's own process (forked by the zygote, its pty already its terminal): set the terminal up
the way the client's is, then run the app for the account's role."""

from __future__ import annotations

import fcntl
import io
import os
import sys
import threading
import time
import traceback
from pathlib import Path

from rich.console import Console

CRASH_LOG = "sessions.log"
# A login burst: at most this many sessions do their start's work (the app's first screen, 0.15 s of
# CPU) at once, the others waiting their turn, so that the students already typing keep their share
# of the CPU. A slot is given back at the session's first screen, or after START_HOLD at the latest.
# Measured on 2 cores (make bench): 3 at once gave a p95 key echo of 23 ms and 30 logins in 2.2 s;
# 2 gave 33 ms and 3.2 s; no limit 60 ms and 1.9-2.7 s, with 0.3 s in the login window.
STARTING_AT_ONCE = 3
START_WAIT = 10.0
START_HOLD = 2.0


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


def take_start_slot(directory: Path, slots: int = STARTING_AT_ONCE, wait: float = START_WAIT) -> int | None:
    """A lock on one of ``slots`` files (its descriptor), waiting up to ``wait`` seconds for one to be
    free; None after that, or if the files cannot be made: a session never fails to start for this."""
    deadline = time.monotonic() + wait
    while True:
        for number in range(slots):
            try:
                slot = os.open(directory / f"starting-{number}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                return None
            try:
                fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return slot
            except BlockingIOError:
                os.close(slot)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def give_back_at_first_screen(app, slot: int | None) -> None:
    """Close ``slot`` (and so free it) once the app has drawn a screen of its own, or after START_HOLD."""
    if slot is None:
        return
    lock = threading.Lock()
    held = [slot]

    def give_back() -> None:
        with lock:
            if held:
                os.close(held.pop())

    timer = threading.Timer(START_HOLD, give_back)
    timer.daemon = True
    timer.start()
    drawn = app.post_display_hook

    def after_frame() -> None:
        drawn()
        if held and app.screen.id != "_default":
            give_back()

    app.post_display_hook = after_frame


def run_session(request: dict) -> int:
    slot = take_start_slot(Path(request["class_dir"]) / "run")
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
    give_back_at_first_screen(app, slot)
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
