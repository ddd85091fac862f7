"""The classroom figures: `labtui serve --open` under a class, on loopback.

1. Load: 50 students log in (s01..s50, straight into the windows-image lab) and type the lab's
   solution at 5 keys a second: the first 3 steps (the VM, IIS in the guest, Sysprep and `wait 5m`;
   372 keys in 4 lines each, every line at the main command line, which takes `guest` and `wait`
   lines as well as az). A student presses Enter only once their previous line has finished, and
   types the next line only once the command line has taken this one (shows empty again). Figures:
   every student finishes (their session stays up, each line runs, the lab counts the steps done);
   the median proportional set size (PSS) of a session process; the p95 time from writing a key to
   the frame that shows it in the command line; the server process's peak RSS. Before the class, one
   student alone gives the CPU and output of a session idle and per key typed.
2. Burst: 30 students log in at the same moment to a fresh server (no --lab): the time from the
   start of their connection to the welcome screen.

The server runs as `labtui serve` in its own process (so its memory is its own), niced, so that the
students (asyncssh clients in this process, standing for the class's own machines) are not what waits
for a core; each student connects from their own loopback address (127.0.1.N), as from their own
machine. Screens are not emulated: a client keeps only the command line's row (found from the
cursor-position sequences Textual writes, with its cursor's style) and looks for expected text in the
bytes with the escape sequences stripped.

`LABTUI_BENCH_QUICK=1` runs a small class (3 students, 1 step, a burst of 3), and
LABTUI_BENCH_CLASSROOM_STUDENTS, _BURST and _STEPS set each size; `python -m benchmarks.classroom
--students N --burst N --steps N` runs these figures alone.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import os
import re
import resource
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

import asyncssh

from labtui.lab import library
from labtui.serve import classdir

from .harness import Check, Figure, info
from .suites import Line, labtui_script, process_env

LAB = "windows-image"
STUDENTS = 50
BURST = 30
STEPS = 3
KEYS_PER_SECOND = 5.0
COLUMNS, ROWS = 120, 40
WELCOME = "practise the Azure compute lifecycle"      # the welcome screen, without --lab
LAB_SCREEN = "Step 1"                                   # the lab's guide, with --lab
PLACEHOLDER = b"tab completes"                          # the empty command line's placeholder

PSS_TARGET = 40 * 2 ** 20           # 40 MiB
LATENCY_TARGET = 0.150
SERVER_RSS_TARGET = 100e6
BURST_TARGET = 5.0

ECHO_TAIL = 12                      # characters of the typed value that must show left of the cursor
ECHO_GIVE_UP = 5.0                  # a key not shown after this long counts as this long
LINE_TIMEOUT = 240.0                # a line (az waiting on a 10x clock) must finish within this
LOGIN_TIMEOUT = 60.0
NICE = 10                           # the server's niceness: the load generator comes first

CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")
SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMNOc])")
TICK = os.sysconf("SC_CLK_TCK")


def sizes() -> dict[str, int]:
    quick = os.environ.get("LABTUI_BENCH_QUICK", "") not in ("", "0")
    defaults = {"students": 3, "burst": 3, "steps": 1} if quick else \
        {"students": STUDENTS, "burst": BURST, "steps": STEPS}
    return {name: int(os.environ.get(f"LABTUI_BENCH_CLASSROOM_{name.upper()}", value))
            for name, value in defaults.items()}


# --- /proc ---------------------------------------------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (field 3, the state, is index 0)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def start_time(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
        return found
    except FileNotFoundError:       # no /proc/PID/task/TID/children on this kernel: scan for the parent
        pass
    except OSError:
        return []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def memory(pid: int) -> dict[str, int] | None:
    """Rss, Pss and private (Uss) bytes, from /proc/PID/smaps_rollup."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            kb[parts[0].rstrip(":")] = int(parts[1])
    return {"rss": kb.get("Rss", 0) * 1024, "pss": kb.get("Pss", 0) * 1024,
            "uss": (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) * 1024}


def status_bytes(pid: int, field: str) -> int:
    """VmRSS, VmHWM, ... from /proc/PID/status, in bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / TICK


@contextlib.contextmanager
def frozen_heap():
    """What this process already holds (the benchmarks' 10,000-resource world) stays out of the collector
    while the clients run, so that a collection of it does not delay the clients' clocks."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class LoopLag:
    """How late this process's event loop wakes (the load generator's own delay, part of every figure)."""

    def __init__(self, period: float = 0.01):
        self.period = period
        self.lags: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(self.period)
            self.lags.append(time.perf_counter() - start - self.period)

    def __enter__(self) -> "LoopLag":
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()


def _stop_with_parent() -> None:
    """In the server's process before it starts: SIGTERM (a clean stop) if this process dies first, even
    killed (Linux's PR_SET_PDEATHSIG; elsewhere nothing)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)       # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def terminate_as_interrupt():
    """SIGTERM stops the benchmark as Ctrl-C does, so that its cleanup runs."""
    def interrupt(number, frame):
        raise KeyboardInterrupt(f"signal {number}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- the server --------------------------------------------------------------------------------------------

class Server:
    """`labtui serve --open` in its own process, on a free loopback port, in a fresh class directory.

    It remembers every process it saw under it (the zygote, the sessions), so that ``stop`` can make
    sure none is left behind, killing by pid (checked against the process's start time) if needed."""

    def __init__(self, root: Path, env: dict[str, str], lab: str | None, max_sessions: int):
        self.class_dir = root / "class"
        self.log_path = root / "serve.log"
        # Niced, so that this process (which stands for the class's own machines) is not what waits for
        # a core: it needs a few percent of one, and the figures should be the server's delays, not its own.
        self.argv = ["nice", "-n", str(NICE), labtui_script(), "serve", "--open", "--class-dir", str(self.class_dir),
                     "--port", "0",
                     "--max-sessions", str(max_sessions), *(["--lab", lab] if lab else [])]
        self.env = env
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.ready_after = 0.0
        self.seen: dict[int, int] = {}          # pid -> start time, of the zygote and every session
        self.zygote = 0

    def start(self, timeout: float = 60.0) -> None:
        start = time.perf_counter()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            env=self.env, preexec_fn=_stop_with_parent)
        while time.perf_counter() - start < timeout:
            found = re.search(r"labtui classroom on [^\s:]+:(\d+)", self.log())
            if found:
                self.port = int(found[1])
                self.ready_after = time.perf_counter() - start
                self.sessions()
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"`labtui serve` exited {self.process.returncode}: {self.log()[-800:]}")
            time.sleep(0.05)
        raise RuntimeError(f"`labtui serve` printed no banner in {timeout:g} s: {self.log()[-800:]}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def crash_log(self) -> str:
        try:
            return (self.class_dir / "run" / "sessions.log").read_text(errors="replace")
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def sessions(self) -> list[int]:
        """The session processes now (the zygote's children), remembered for ``stop``."""
        if not self.zygote:
            under = children(self.pid)
            if under:
                self.zygote = under[0]
                self.seen[self.zygote] = start_time(self.zygote) or 0
        if not self.zygote:
            return []
        pids = children(self.zygote)
        for pid in pids:
            if pid not in self.seen:
                self.seen[pid] = start_time(pid) or 0
        return pids

    def summary_path(self, user: str, lab: str) -> Path:
        return library.lab_dir(classdir.student_dir(self.class_dir, user), lab) / library.SUMMARY_FILE

    def stop(self, timeout: float = 60.0) -> dict[str, Any]:
        """SIGTERM (the server saves and closes every session), then SIGKILL whatever is left."""
        result: dict[str, Any] = {"killed": [], "code": None, "seconds": 0.0}
        if self.process is None:
            return result
        self.sessions()
        start = time.perf_counter()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                result["killed"].append(("server", self.pid))
        result["code"] = self.process.returncode
        result["seconds"] = time.perf_counter() - start
        # Whatever outlived the server (sessions setsid() away from its process group): by pid only,
        # and only if it is still the process we saw.
        deadline = time.perf_counter() + 5.0
        while True:
            alive = [pid for pid, born in self.seen.items() if born and start_time(pid) == born]
            if not alive or time.perf_counter() > deadline:
                break
            time.sleep(0.1)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
                result["killed"].append(("zygote" if pid == self.zygote else "session", pid))
            except ProcessLookupError:
                pass
        return result


# --- a student ----------------------------------------------------------------------------------------------

class Student(asyncssh.SSHClientSession):
    """One SSH login with a pty. It keeps no screen: it looks for text in the bytes with the escape
    sequences stripped, and keeps the one row that holds the command line to see each key echoed."""

    def __init__(self, name: str, port: int, number: int, columns: int = COLUMNS, rows: int = ROWS):
        self.name, self.port, self.columns, self.rows = name, port, columns, rows
        # Each student from their own address (127.0.1.N, all loopback), as from their own machine: the
        # server limits the logins in progress per address.
        self.address = f"127.0.{1 + number // 250}.{1 + number % 250}"
        self.conn: asyncssh.SSHClientConnection | None = None
        self.chan: asyncssh.SSHClientChannel | None = None
        self.received = 0
        self.closed_at: float | None = None
        self.closed_by_us = False
        self.error: str | None = None
        # Looking for text.
        self._looking: tuple[bytes, asyncio.Future] | None = None
        self._carry = b""                               # an escape sequence cut off at the end of the last bytes
        self._text = b""                                # the end of the text drawn so far, escapes stripped
        self.since_enter = bytearray()                  # the text drawn since the last Enter (its first 64 kB)
        # The command line's row.
        self.input_row = 0
        self._all = bytearray()                         # every byte, until the command line's row is known
        self.cursor_style: bytes | None = None           # the SGR parameters of the command line's cursor
        self._tail = b""
        self._pending: list[tuple[float, str]] = []     # (when the key was written, the value's tail)
        self.echo: list[float] = []                     # seconds from writing a key to seeing it
        self.echo_written: list[float] = []             # when each of those keys was written (perf_counter)
        self.lost = 0                                   # keys never seen within ECHO_GIVE_UP
        self._first_after: float | None = None
        self._cleared: asyncio.Future | None = None
        self.first_bytes: list[float] = []              # seconds from writing a key to the next bytes
        # Timings of the login.
        self.began = self.authenticated = self.first_screen = 0.0

    # --- asyncssh callbacks ------------------------------------------------------------------------
    def data_received(self, data: bytes, datatype) -> None:
        now = time.perf_counter()
        self.received += len(data)
        if not self.input_row:
            self._all += data
        if self._first_after is not None:
            self.first_bytes.append(now - self._first_after)
            self._first_after = None
        self._read_text(data)
        if self._looking is not None:
            needle, found = self._looking
            if needle in self._text:
                self._looking = None
                if not found.done():
                    found.set_result(now)
        if self.input_row:
            self._track(data, now)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed_at = time.perf_counter()
        if not self.closed_by_us and self.error is None:
            self.error = f"the server closed the session ({exc or 'channel closed'})"
        if self._looking is not None and not self._looking[1].done():
            self._looking[1].set_exception(ConnectionError(self.error or "closed"))

    # --- logging in ------------------------------------------------------------------------------------
    async def login(self, needle: str, timeout: float = LOGIN_TIMEOUT) -> None:
        """Connect and wait for ``needle`` on the first screen; the command line's row is learnt from it."""
        self.began = time.perf_counter()
        self.conn = await asyncssh.connect("127.0.0.1", self.port, username=self.name, password=None,
                                           known_hosts=None, client_keys=None, agent_path=None,
                                           local_addr=(self.address, 0))
        self.authenticated = time.perf_counter()
        screen = self.look_for(needle.encode())
        self.chan, _ = await self.conn.create_session(lambda: self, term_type="xterm-256color",
                                                      term_size=(self.columns, self.rows), encoding=None)
        self.first_screen = await asyncio.wait_for(screen, timeout)

    def look_for(self, needle: bytes) -> asyncio.Future:
        """A future set to the time ``needle`` (under 4 kB) shows in the text drawn from now on."""
        found = asyncio.get_running_loop().create_future()
        found.add_done_callback(lambda future: future.cancelled() or future.exception())    # retrieved
        self._text = b""
        self._looking = (needle, found)
        return found

    async def find_command_line(self, timeout: float = LOGIN_TIMEOUT) -> None:
        """The command line's row (the cursor-position sequence before its placeholder) and the style of
        its cursor (on the placeholder's first character, while the line is empty and the cursor on)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            raw = bytes(self._all)
            at = raw.rfind(PLACEHOLDER)
            while at >= 0:
                rows = list(CUP.finditer(raw, 0, at))
                if rows:
                    runs = _runs(raw[rows[-1].end():].split(b"\n", 1)[0])
                    placeholder = next((n for n, (_, text) in enumerate(runs) if PLACEHOLDER in text), 0)
                    if placeholder > 0 and len(runs[placeholder - 1][1]) == 1:
                        self.cursor_style = runs[placeholder - 1][0]
                        self.input_row = int(rows[-1][1])
                        self._all = bytearray()
                        return
                at = raw.rfind(PLACEHOLDER, 0, at)      # drawn with the cursor blinked off: an earlier frame
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name}: no command line with a cursor on the screen in {timeout:g} s")

    # --- typing ------------------------------------------------------------------------------------------
    def key(self, char: str, value: str) -> None:
        now = time.perf_counter()
        self._expire(now)
        self._pending.append((now, value[-ECHO_TAIL:]))
        if self._first_after is None:
            self._first_after = now
        self.chan.write(char.encode())

    def enter(self) -> asyncio.Future:
        """Press Enter: a future set to the time the command line shows empty again (the line was taken)."""
        self._expire(time.perf_counter())
        self.since_enter = bytearray()
        self._cleared = asyncio.get_running_loop().create_future()
        self._cleared.add_done_callback(lambda future: future.cancelled() or future.exception())
        self.chan.write(b"\r")
        return self._cleared

    def failure(self, line: str) -> str | None:
        """What the Output pane said after ``line`` if it failed (the app writes "(exit status N)" after it)."""
        text = bytes(self.since_enter)
        start = text.find(("$ " + line[:30]).encode())
        at = text.find(b"(exit status", start) if start >= 0 else -1
        if at < 0:
            return None
        return " ".join(text[start:at + 20].decode("utf-8", "replace").split())[-240:]

    def _expire(self, now: float) -> None:
        while self._pending and now - self._pending[0][0] > ECHO_GIVE_UP:
            written, _ = self._pending.pop(0)
            self.lost += 1
            self.echo.append(ECHO_GIVE_UP)
            self.echo_written.append(written)

    def _track(self, data: bytes, now: float) -> None:
        """Each time the command line's row is drawn, see which of the keys written it shows."""
        buffer = self._tail + data
        last = None
        for found in CUP.finditer(buffer):
            if last is not None and int(last[1]) == self.input_row:
                self._echoed(buffer[last.end():found.start()], now)
            last = found
        # Keep the last row drawn (it may go on in the next bytes) and whatever follows it.
        self._tail = buffer[last.start():] if last is not None else buffer[-(1 << 16):]

    def _echoed(self, row: bytes, now: float) -> None:
        """The text left of the cursor on the command line's row, against the pending keys' values."""
        row = row.split(b"\n", 1)[0]
        if self._cleared is not None and PLACEHOLDER in row and not self._cleared.done():
            self._cleared.set_result(now)
        before = _left_of_cursor(row, self.cursor_style)
        if before is None or not self._pending:
            return
        for index in range(len(self._pending) - 1, -1, -1):
            if before.endswith(self._pending[index][1]):
                self.echo += [now - written for written, _ in self._pending[:index + 1]]
                self.echo_written += [written for written, _ in self._pending[:index + 1]]
                del self._pending[:index + 1]
                return

    def stop_looking(self) -> None:
        self._looking = None

    def last_text(self, size: int = 300) -> str:
        """The end of the text drawn, without escape sequences."""
        return self._text[-size:].decode("utf-8", "replace")

    def _read_text(self, data: bytes) -> None:
        """Add ``data`` to the text drawn, without its escape sequences (one cut at the end waits for the rest)."""
        raw = self._carry + data
        cut = raw.rfind(b"\x1b")
        self._carry = b""
        if cut >= 0 and len(raw) - cut < 64 and not ESCAPES.match(raw, cut):
            raw, self._carry = raw[:cut], raw[cut:]
        text = ESCAPES.sub(b"", raw)
        self._text = (self._text + text)[-4096:]
        if len(self.since_enter) < 1 << 16:
            self.since_enter += text

    def close(self) -> None:
        self.closed_by_us = True
        if self.conn is not None:
            self.conn.close()


def _runs(row: bytes) -> list[tuple[bytes, bytes]]:
    """A drawn row as (SGR parameters, text) runs; Textual sets each run's whole style after a reset."""
    runs = []
    style, position = b"", 0
    for found in SGR.finditer(row):
        if found.start() > position:
            runs.append((style, ESCAPES.sub(b"", row[position:found.start()])))
        style = b"" if found[1] in (b"", b"0") else found[1]
        position = found.end()
    if position < len(row):
        runs.append((style, ESCAPES.sub(b"", row[position:])))
    return [(style, text) for style, text in runs if text]


def _left_of_cursor(row: bytes, cursor: bytes | None) -> str | None:
    """The text drawn left of the cursor cell (the typed value's visible end), or None without a cursor
    (blinked off, or another screen)."""
    runs = _runs(row)
    for index, (style, text) in enumerate(runs):
        if style == cursor and len(text.decode("utf-8", "replace")) == 1:
            return b"".join(text for _, text in runs[:index]).decode("utf-8", "replace")
    return None


# --- 1. a class playing the lab ---------------------------------------------------------------------------

def plan(steps: int) -> list[tuple[int, str]]:
    """(step index, line) for the solution's lines of the first ``steps`` steps."""
    lab = library.find_lab(LAB)
    return [(index, line) for index, step in enumerate(lab.steps[:steps]) for line in step.solution]


def _summary_mark(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


async def _until_changed(path: Path, mark: tuple[int, int] | None, timeout: float, what: str) -> None:
    """The app writes the lab's summary after every line: wait for a write after ``mark``."""
    deadline = time.perf_counter() + timeout
    while _summary_mark(path) == mark:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what} did not finish within {timeout:g} s")
        await asyncio.sleep(0.1)


async def _play(student: Student, server: Server, lines: list[tuple[int, str]], steps: int, delay: float,
                record: dict[str, Any]) -> None:
    """Log in, then type every line at KEYS_PER_SECOND; Enter once the previous line has finished."""
    await asyncio.sleep(delay)
    try:
        await student.login(LAB_SCREEN)
        await student.find_command_line()
        summary = server.summary_path(student.name, LAB)
        interval = 1.0 / KEYS_PER_SECOND
        due = time.perf_counter()
        mark = None
        shown: list[asyncio.Future] = []
        for number, (_step, line) in enumerate(lines, 1):
            value = ""
            for char in line:
                now = time.perf_counter()
                if due > now:
                    await asyncio.sleep(due - now)
                due = max(due + interval, time.perf_counter() - interval)     # no catching up in a burst
                value += char
                student.key(char, value)
            if shown:
                await _until_changed(summary, mark, LINE_TIMEOUT, f"line {number - 1}")
                record["lines_done"] = number - 1
                _note_failure(student, record, number - 1, lines[number - 2][1])
            now = time.perf_counter()
            if due > now:
                await asyncio.sleep(due - now)
            mark = _summary_mark(summary)
            shown.append(student.look_for(("$ " + line[:30]).encode()))
            pressed = time.perf_counter()
            taken = student.enter()
            # A student types the next line once the command line has taken this one (it shows empty
            # again): keys that arrive with the Enter are not always kept apart from the line it ends.
            try:
                record["taken"].append(await asyncio.wait_for(taken, LINE_TIMEOUT) - pressed)
            except asyncio.TimeoutError:
                raise RuntimeError(f"the command line never took line {number}: {student.last_text()!r}") from None
            due = time.perf_counter() + interval
        await _until_changed(summary, mark, LINE_TIMEOUT, f"line {len(lines)}")
        record["lines_done"] = len(lines)
        await asyncio.sleep(0.5)            # the frame that shows the line's output
        _note_failure(student, record, len(lines), lines[-1][1])
        student.stop_looking()
        record["in_output"] = sum(1 for future in shown if future.done() and not future.exception())
        done = library.read_summary(summary.parent) or {}
        record["steps_done"] = int(done.get("steps_done", 0))
        if record["steps_done"] < steps:
            raise RuntimeError(f"the lab counts {record['steps_done']} of {steps} steps done"
                               + "".join(f"; {failed}" for failed in record.get("failed", [])))
        record["finished"] = time.perf_counter()
    except Exception as broken:  # noqa: BLE001 - one student's failure is a figure, not the end of the run
        record["error"] = student.error or f"{type(broken).__name__}: {broken}"


async def _solo(server: Server, idle: float = 10.0, keys: int = 50) -> dict[str, float]:
    """One student alone before the class: their session's CPU idle on the lab screen, then typing."""
    student = Student("s00", server.port, 0)
    await student.login(LAB_SCREEN)
    await student.find_command_line()
    await asyncio.sleep(2.0)                # the first screen's work done
    pids = server.sessions()
    if len(pids) != 1:
        raise RuntimeError(f"expected one session process, found {len(pids)}")
    pid = pids[0]
    cpu, received, start = cpu_seconds(pid), student.received, time.perf_counter()
    await asyncio.sleep(idle)
    idle_wall = time.perf_counter() - start
    idle_cpu, idle_bytes = cpu_seconds(pid) - cpu, student.received - received
    line = plan(1)[0][1][:keys]
    cpu, received, start = cpu_seconds(pid), student.received, time.perf_counter()
    value = ""
    for number, char in enumerate(line):
        await asyncio.sleep(max(0.0, start + number / KEYS_PER_SECOND - time.perf_counter()))
        value += char
        student.key(char, value)
    await asyncio.sleep(1.0 / KEYS_PER_SECOND + 0.5)
    wall = time.perf_counter() - start
    typing_cpu, typing_bytes = cpu_seconds(pid) - cpu, student.received - received
    student.close()
    gone = time.perf_counter()
    while pid in server.sessions() and time.perf_counter() - gone < 30:
        await asyncio.sleep(0.1)
    return {"idle": idle_cpu / idle_wall, "idle_bytes": idle_bytes / idle_wall, "typing": typing_cpu / wall,
            "per_key": (typing_cpu - idle_cpu / idle_wall * wall) / len(line),
            "bytes_per_key": (typing_bytes - idle_bytes / idle_wall * wall) / len(line),
            "echo": statistics.median(student.echo) if student.echo else float("nan"), "keys": len(line)}


def _note_failure(student: Student, record: dict[str, Any], number: int, line: str) -> None:
    failed = student.failure(line)
    if failed:
        record.setdefault("failed", []).append(f"line {number} failed: {failed}")


async def _class(server: Server, students: int, steps: int) -> dict[str, Any]:
    lines = plan(steps)
    clients = [Student(f"s{n:02d}", server.port, n) for n in range(1, students + 1)]
    records: list[dict[str, Any]] = [{"lines_done": 0, "in_output": 0, "steps_done": 0, "taken": []} for _ in clients]
    samples: list[dict[str, Any]] = []

    async def sample() -> None:
        while True:
            pids = server.sessions()
            sizes = [m for m in (memory(pid) for pid in pids) if m]
            samples.append({"rss": status_bytes(server.pid, "VmRSS"), "sessions": len(pids),
                            "pss": statistics.median(m["pss"] for m in sizes) if sizes else 0})
            await asyncio.sleep(5.0)

    solo = await _solo(server)
    server_cpu = cpu_seconds(server.pid)
    zygote_cpu = cpu_seconds(server.zygote)
    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
    busy = machine_busy()
    start = time.perf_counter()
    sampler = asyncio.create_task(sample())
    # The class arrives over a few seconds (0.1 s apart), which also spreads the keys over the 200 ms beat.
    with LoopLag() as lag:
        await asyncio.gather(*(_play(client, server, lines, steps, 0.1 * n, record)
                               for n, (client, record) in enumerate(zip(clients, records))))
    wall = time.perf_counter() - start
    busy = machine_busy() - busy
    sampler.cancel()
    await asyncio.gather(sampler, return_exceptions=True)
    # Everyone still connected: the memory and CPU of the class as it stands.
    pids = server.sessions()
    sizes = [m for m in (memory(pid) for pid in pids) if m]
    session_cpu = sum(cpu_seconds(pid) for pid in pids)
    zygote = memory(server.zygote) if server.zygote else None
    after = resource.getrusage(resource.RUSAGE_SELF)
    for client, record in zip(clients, records):
        record["alive"] = client.closed_at is None
        if not record["alive"] and "error" not in record:
            record["error"] = client.error
    result = {
        "solo": solo, "students": students, "steps": steps, "lines": len(lines),
        "keys": sum(len(line) for _, line in lines),
        "records": records, "clients": clients, "wall": wall, "start": start, "sizes": sizes, "zygote": zygote,
        "sessions": len(pids), "session_cpu": session_cpu, "server_cpu": cpu_seconds(server.pid) - server_cpu,
        "zygote_cpu": cpu_seconds(server.zygote) - zygote_cpu, "busy": busy, "lag": lag.lags,
        "own_cpu": (after.ru_utime + after.ru_stime) - (own_cpu.ru_utime + own_cpu.ru_stime),
        "server_rss": status_bytes(server.pid, "VmRSS"), "server_hwm": status_bytes(server.pid, "VmHWM"),
        "samples": samples, "alive": [c.name for c in clients if c.closed_at is None],
    }
    # Everyone hangs up at once: each session saves and exits.
    for client in clients:
        client.close()
    hung_up = time.perf_counter()
    while server.sessions() and time.perf_counter() - hung_up < 30:
        await asyncio.sleep(0.1)
    result["left"] = len(server.sessions())
    result["hang_up"] = time.perf_counter() - hung_up
    return result


def load(students: int | None = None, steps: int | None = None) -> Iterator[Line]:
    size = sizes()
    students = students or size["students"]
    steps = steps or size["steps"]
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix="labtui-bench-classroom-") as tmp:
        pycache = Path(tmp) / "pycache"
        server = Server(Path(tmp), process_env(pycache), LAB, max(100, students + 10))
        try:
            server.start()
            with frozen_heap():
                result = asyncio.run(_class(server, students, steps))
        finally:
            stopped = server.stop()
            crashes = server.crash_log()
            log = server.log()
    yield from _load_lines(result, server, stopped, crashes, log)


def _by_window(clients: list[Student], start: float, window: float = 10.0) -> str:
    """The p95 key echo of each ``window`` seconds from the start of the class, as "t=20 s 64 ms"."""
    windows: dict[int, list[float]] = collections.defaultdict(list)
    for client in clients:
        for written, echo in zip(client.echo_written, client.echo):
            windows[int((written - start) // window)].append(echo)
    return ", ".join(f"t={int(index * window)} s {_p95(values) * 1e3:.0f} ms" for index, values in sorted(windows.items()))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("inf")


def _mb(value: float) -> str:
    return f"{value / 1e6:.1f} MB"


def _load_lines(result: dict[str, Any], server: Server, stopped: dict[str, Any], crashes: str,
                log: str) -> Iterator[Line]:
    students, steps, records, clients = result["students"], result["steps"], result["records"], result["clients"]
    finished = [r for r in records if "finished" in r and r["alive"]]
    ran = sum(r["lines_done"] for r in records)
    in_output = sum(r["in_output"] for r in records)
    total = students * result["lines"]
    yield info(f"classroom load: {students} students in '{LAB}', steps 1-{steps} typed at {KEYS_PER_SECOND:g} keys/s "
               f"({result['keys']} keys in {result['lines']} lines each, az, guest and wait lines all at the "
               f"command line); {result['wall']:.0f} s from the first login to the last line done")
    yield Check(f"classroom: all {students} students finish", len(finished) == students,
                f"{len(finished)}/{students} done, {ran}/{total} lines ran")
    yield info(f"a student finishes when their session stayed up, each line ran (the lab's progress file was "
               f"written after it) and the lab counts {steps} steps done; the typed line was seen in the Output "
               f"pane for {in_output} of {ran} lines")
    for client, record in zip(clients, records):
        if "error" in record:
            yield info(f"  {client.name} did not finish: {record['error']}")
    taken = [value for record in records for value in record["taken"]]
    if taken:
        yield info(f"from Enter to the command line showing empty again (the line taken; the next line is typed "
                   f"only then): median {statistics.median(taken) * 1e3:.0f} ms, p95 {_p95(taken) * 1e3:.0f} ms")

    sizes = result["sizes"]
    if not sizes:
        raise RuntimeError("no session process to measure")
    pss = sorted(m["pss"] for m in sizes)
    uss = statistics.median(m["uss"] for m in sizes)
    rss = statistics.median(m["rss"] for m in sizes)
    zygote = result["zygote"] or {"pss": 0, "rss": 0}
    yield Figure(f"classroom: session PSS ({len(sizes)} sessions)", statistics.median(pss), PSS_TARGET, "MB",
                 note=f"target 40 MiB; max {_mb(pss[-1])}; private {_mb(uss)}, RSS {_mb(rss)} (median); zygote "
                      f"PSS {_mb(zygote['pss'])}, RSS {_mb(zygote['rss'])}; after the last line")
    samples = [s for s in result["samples"] if s["sessions"]]
    if samples:
        yield info("median session PSS while the class worked (every 5 s): "
                   + ", ".join(f"{s['pss'] / 1e6:.0f}" for s in samples) + " MB")

    solo = result["solo"]
    yield info(f"one student alone, before the class: their session uses {100 * solo['idle']:.1f}% of a core idle on "
               f"the lab screen ({solo['idle_bytes'] / 1e3:.1f} kB/s to the client) and {100 * solo['typing']:.0f}% "
               f"typing at {KEYS_PER_SECOND:g} keys/s: {solo['per_key'] * 1e3:.1f} ms of CPU and "
               f"{solo['bytes_per_key'] / 1e3:.1f} kB of output per key, key to screen median "
               f"{solo['echo'] * 1e3:.0f} ms. "
               f"{students} students typing at once need about {students * solo['typing']:.1f} cores; this machine "
               f"has {os.cpu_count()}")
    echo = [value for client in clients for value in client.echo]
    lost = sum(client.lost for client in clients)
    first = [value for client in clients for value in client.first_bytes]
    if not echo:
        raise RuntimeError("no key was seen on a screen")
    yield Figure("classroom: key to screen, p95", _p95(echo), LATENCY_TARGET, "ms", kind="p95",
                 note=f"{len(echo):,} keys; median {statistics.median(echo) * 1e3:.0f} ms, max "
                      f"{max(echo) * 1e3:.0f} ms, {lost} not shown within {ECHO_GIVE_UP:g} s (counted as "
                      f"{ECHO_GIVE_UP:g} s); until the command line's row shows the key")
    yield info("p95 key to screen by 10 s of the class (the class moves through the lab together, so its logins, "
               "Enters and finished operations come in bursts): " + _by_window(clients, result["start"]))
    yield info(f"from a key to the next bytes of any kind: median {statistics.median(first) * 1e3:.0f} ms, "
               f"p95 {_p95(first) * 1e3:.0f} ms; bytes per student per second: "
               f"{sum(c.received for c in clients) / len(clients) / result['wall'] / 1e3:.1f} kB")
    yield Figure("classroom: server process RSS", float(result["server_hwm"]), SERVER_RSS_TARGET, "MB",
                 kind="peak", note=f"VmHWM of `labtui serve`; {_mb(result['server_rss'])} at the end of the "
                                   f"load, the sessions and zygote not included")
    wall = result["wall"]
    ours = result["session_cpu"] + result["server_cpu"] + result["zygote_cpu"] + result["own_cpu"]
    yield info(f"CPU over the load ({wall:.0f} s, {os.cpu_count()} cores, {result['busy'] / wall:.2f} cores busy): "
               f"sessions {result['session_cpu'] / wall:.2f} cores in all "
               f"({result['session_cpu'] / max(1, len(sizes)):.1f} s each), server "
               f"{100 * result['server_cpu'] / wall:.0f}% of a core, this load generator "
               f"{100 * result['own_cpu'] / wall:.0f}%, other processes on the machine "
               f"{max(0.0, result['busy'] - ours) / wall:.2f} cores")
    lags = result["lag"]
    if lags:
        yield info(f"this load generator's event loop woke late by median {statistics.median(lags) * 1e3:.1f} ms, "
                   f"p95 {_p95(lags) * 1e3:.1f} ms, max {max(lags) * 1e3:.0f} ms (included in the key figure)")
    yield info(f"after everyone hung up at once, {result['sessions'] - result['left']} of {result['sessions']} "
               f"sessions saved and exited within {result['hang_up']:.1f} s"
               + (f"; {result['left']} still running after 30 s" if result["left"] else ""))
    yield from _stop_lines(server, stopped, crashes, log)


def _stop_lines(server: Server, stopped: dict[str, Any], crashes: str, log: str) -> Iterator[str]:
    yield info(f"`labtui serve` was ready {server.ready_after:.2f} s after it started (zygote preloaded); it "
               f"stopped {stopped['seconds']:.1f} s after SIGTERM, exit status {stopped['code']}")
    if stopped["killed"]:
        yield info("left behind and killed: " + ", ".join(f"{what} {pid}" for what, pid in stopped["killed"]))
    if crashes:
        yield info(f"sessions.log has {crashes.count('--- ')} crash report(s); the last: "
                   + " | ".join(crashes.strip().splitlines()[-3:]))
    problems = _problems(log)
    if problems:
        yield info(f"the server's log has {sum(problems.values())} error(s): "
                   + "; ".join(f"{count} x {text[:240]}" for text, count in problems.most_common(4)))


def _problems(log: str) -> collections.Counter:
    """The server log's errors: each traceback's last line, and each line logged as an error."""
    found: collections.Counter = collections.Counter()
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            rest = next((later for later in lines[index + 1:] if later and not later.startswith(" ")), "?")
            found[f"traceback: {rest.strip()}"] += 1
        elif re.search(r"\b(ERROR|error|did not exit|killed)\b", line):
            found[re.sub(r"^\d\d:\d\d:\d\d ", "", line.strip())] += 1
    return found


# --- 2. a class logging in at once ----------------------------------------------------------------------------

async def _burst(server: Server, students: int) -> dict[str, Any]:
    clients = [Student(f"s{n:02d}", server.port, n) for n in range(1, students + 1)]
    go = asyncio.Event()
    errors: dict[str, str] = {}

    async def arrive(client: Student) -> None:
        await go.wait()
        try:
            await client.login(WELCOME)
        except Exception as broken:  # noqa: BLE001
            errors[client.name] = client.error or f"{type(broken).__name__}: {broken}"

    tasks = [asyncio.create_task(arrive(client)) for client in clients]
    await asyncio.sleep(0.1)
    go.set()
    await asyncio.gather(*tasks)
    pids = server.sessions()
    spawned = len(pids)
    cpu = [cpu_seconds(pid) for pid in pids]
    for client in clients:
        client.close()
    hung_up = time.perf_counter()
    while server.sessions() and time.perf_counter() - hung_up < 30:
        await asyncio.sleep(0.1)
    return {"clients": clients, "errors": errors, "spawned": spawned, "left": len(server.sessions()), "cpu": cpu}


def burst(students: int | None = None) -> Iterator[Line]:
    students = students or sizes()["burst"]
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix="labtui-bench-classroom-") as tmp:
        server = Server(Path(tmp), process_env(Path(tmp) / "pycache"), None, max(100, students + 10))
        try:
            server.start()
            with frozen_heap():
                result = asyncio.run(_burst(server, students))
        finally:
            stopped = server.stop()
            crashes = server.crash_log()
            log = server.log()
    clients, errors = result["clients"], result["errors"]
    arrived = [c for c in clients if c.name not in errors]
    yield Check(f"classroom burst: all {students} get a screen", not errors,
                f"{len(arrived)}/{students} saw the welcome screen")
    for name, why in sorted(errors.items()):
        yield info(f"  {name}: {why}")
    if not arrived:
        raise RuntimeError("no student saw the welcome screen")
    screen = sorted(c.first_screen - c.began for c in arrived)
    auth = sorted(c.authenticated - c.began for c in arrived)
    slowest = screen[-1] if not errors else LOGIN_TIMEOUT
    yield Figure(f"classroom burst: {students} logins, slowest", slowest, BURST_TARGET, "s", kind="max",
                 note=f"connection start to the welcome screen; median {statistics.median(screen):.2f} s, fastest "
                      f"{screen[0]:.2f} s; SSH login alone median {statistics.median(auth):.2f} s, slowest "
                      f"{auth[-1]:.2f} s")
    if result["cpu"]:
        yield info(f"CPU of each session process up to its first screen (forked from the zygote): median "
                   f"{statistics.median(result['cpu']):.2f} s, {sum(result['cpu']):.1f} s for the {len(result['cpu'])} "
                   f"on {os.cpu_count()} cores")
    yield from _stop_lines(server, stopped, crashes, log)


def main(argv: list[str] | None = None) -> int:
    size = sizes()
    parser = argparse.ArgumentParser(prog="python -m benchmarks.classroom", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=size["students"])
    parser.add_argument("--burst", type=int, default=size["burst"])
    parser.add_argument("--steps", type=int, default=size["steps"])
    options = parser.parse_args(argv)
    for lines in (load(options.students, options.steps), burst(options.burst)):
        for line in lines:
            print(line if isinstance(line, str) else line.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
