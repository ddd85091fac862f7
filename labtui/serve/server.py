"""`labtui serve`: an SSH server that gives every student their own labtui and nothing else.

Each login runs a session process (forked by the zygote) under a pty whose other end this server
relays to the SSH channel. The server itself never loads Textual: it authenticates, relays bytes,
enforces the limits, and keeps the class's state for the instructor's dashboard, which it hears
about over the control socket.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import fcntl
import logging
import os
import re
import secrets
import signal
import socket
import struct
import termios
import time
import tty
from pathlib import Path
from typing import Any

import asyncssh
import attrs

from ..host.workspace import last_session
from ..lab import library
from . import classdir, protocol
from .names import WATCH, BadName, student_name
from .roster import Roster, RosterError, check_password
from .zygote import Zygote, ZygoteGone

log = logging.getLogger("labtui.serve")

# Put the student's terminal back when the app could not (it was hung up, or killed): mouse reporting,
# bracketed paste and the alternate screen off. Sent once: leaving the alternate screen also moves
# the cursor back, so a second time would put the shell's prompt over the message that follows.
RESET_TERMINAL = b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?2004l\x1b[?1049l\x1b[?25h\x1b[0m"
FAILURES_ALLOWED = 5            # failed passwords for one name from one address ...
FAILURES_PER_ADDRESS = 30       # ... or for any names from one address (a class behind one NAT) ...
FAILURE_WINDOW = 60.0           # ... within this many seconds block them for as long
SSH_FPS = 20                    # a remote screen needs fewer frames than a local one: each crosses the network
HANG_UP_GRACE = 30.0            # seconds a hung-up session has to save before it is killed (a busy class is slow)
MESSAGE_LIMIT = 300             # characters in a broadcast
FOLLOWER_BACKLOG = 1 << 20      # bytes queued to a slow follower before it is dropped
INPUT_BACKLOG = 1 << 16         # bytes of a student's typing queued for their app before the channel pauses
MAX_COLUMNS, MAX_ROWS = 500, 200    # a window bigger than any screen is a claim, not a terminal
MAX_WATCHERS = 30               # `watch` logins, besides the class's seats
UNAUTHENTICATED_LIMIT = 100     # connections still logging in, in all ...
UNAUTHENTICATED_PER_ADDRESS = 60    # ... and from one address: a whole class behind one NAT logs in at once
PARALLEL_CHECKS = 3             # password checks at once from one address
EXIT_AFTER_HANG_UP = 3.0        # seconds to wait for an exit report once the pty has closed
_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")
_SUMMARY_KEYS = {"where", "lab", "lab_title", "status", "steps_done", "steps", "current_step", "step_title",
                 "score", "hints", "traps"}


@attrs.define
class ServeOptions:
    class_dir: Path
    host: str = "127.0.0.1"
    port: int = 2222
    lab: str | None = None
    max_sessions: int = 60
    idle_timeout: float = 30 * 60.0
    open_class: bool = False
    fps: int = SSH_FPS


@attrs.define(eq=False)
class StudentState:
    """One account as the dashboard shows it."""
    name: str
    connected: bool = False
    address: str | None = None
    summary: dict[str, Any] = attrs.Factory(dict)
    step_key: Any = None
    step_since: float = attrs.Factory(time.time)

    def record(self, summary: dict[str, Any]) -> None:
        """Keep what the dashboard shows, and only plain short values: a session reports it, and a
        session is not trusted to shape what the instructor reads."""
        summary = {key: (value[:120] if isinstance(value, str) else value) for key, value in summary.items()
                   if key in _SUMMARY_KEYS and (value is None or isinstance(value, (str, int, float)))}
        if summary.get("where") != "lab":
            # At the welcome screen or exploring: the last lab stays on the row, and its step's timer runs on.
            self.summary = {**{k: v for k, v in self.summary.items() if k != "where"}, **summary}
            return
        key = (summary.get("lab"), summary.get("current_step"))
        if key != self.step_key:        # a reconnect to the same step keeps its timer: stuck is still stuck
            self.step_key, self.step_since = key, time.time()
        self.summary = summary

    def view(self) -> dict[str, Any]:
        return {**self.summary, "name": self.name, "connected": self.connected, "address": self.address,
                "step_since": self.step_since}


@attrs.define(eq=False)
class Child:
    """One session process: its pty, its control connection, who follows its screen."""
    role: str
    token: str
    master: int
    size: tuple[int, int]
    pid: int = 0
    done: asyncio.Future = attrs.Factory(lambda: asyncio.get_running_loop().create_future())
    control: asyncio.StreamWriter | None = None
    followers: set = attrs.Factory(set)       # control writers of dashboards and watch sessions
    following: "Child | None" = None          # for a dashboard or watch session: whose screen it shows


class Classroom:
    """The server's state: live sessions, the class's progress, failed logins, the demo."""

    def __init__(self, options: ServeOptions, roster: Roster):
        self.options = options
        self.roster = roster
        self._roster_stamp = _stamp(roster.path)
        self.zygote = Zygote(self._child_exited, self._zygote_gone)
        self.sessions: set[AppSession] = set()
        self.by_user: dict[str, AppSession] = {}
        self.children: dict[int, Child] = {}
        self.tokens: dict[str, Child] = {}
        self.students: dict[str, StudentState] = {}
        self.failures: dict[tuple, collections.deque] = collections.defaultdict(collections.deque)
        self.demo: Child | None = None
        self.host_key = None
        self._control_server: asyncio.AbstractServer | None = None
        self._ssh_server: asyncssh.SSHAcceptor | None = None
        self._class_pending: asyncio.TimerHandle | None = None
        self._idle_task: asyncio.Task | None = None
        self._user_locks: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)
        self.logging_in: collections.Counter = collections.Counter()     # unauthenticated connections by address
        self.checking: collections.Counter = collections.Counter()       # password checks running, by address
        self._lock_file = None

    # --- start and stop -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Raises ServeError (another server has this class, the directory cannot be used) or OSError
        from listening."""
        os.umask(0o077)         # whatever the server writes (students' saves, logs) is the class's alone
        try:
            directory = classdir.prepare(self.options.class_dir)
            self._lock_file = classdir.lock_server(directory)
            self.host_key = classdir.host_key(directory)
        except classdir.ClassDirError as bad:
            raise ServeError(str(bad)) from bad
        except OSError as bad:
            raise ServeError(f"cannot use the class directory {self.options.class_dir}: {bad.strerror}") from bad
        self._load_students()
        # Listen while the zygote loads (a few seconds): an early login waits instead of being refused.
        zygote = asyncio.create_task(self.zygote.start())
        socket_path = classdir.control_socket(directory)
        socket_path.unlink(missing_ok=True)
        self._control_server = await asyncio.start_unix_server(self._control_connection, str(socket_path),
                                                               limit=protocol.LINE_LIMIT)
        os.chmod(socket_path, 0o600)
        self._ssh_server = await asyncssh.create_server(
            lambda: ClassroomSSH(self), self.options.host, self.options.port,
            server_host_keys=[self.host_key], encoding=None, line_editor=False,
            agent_forwarding=False, x11_forwarding=False, allow_scp=False, sftp_factory=None,
            kbdint_auth=False, login_timeout=60, keepalive_interval=30)
        self._idle_task = asyncio.create_task(self._close_idle())
        await zygote

    @property
    def port(self) -> int:
        return self._ssh_server.sockets[0].getsockname()[1]

    def fingerprint(self) -> str:
        return self.host_key.get_fingerprint("sha256")

    async def stop(self, reason: str = "The class is over: the server is stopping. Your work is saved.") -> None:
        if self._ssh_server is not None:
            self._ssh_server.close()
        if self._idle_task is not None:
            self._idle_task.cancel()
        await asyncio.gather(*(session.end(reason) for session in list(self.sessions)), return_exceptions=True)
        if self._control_server is not None:
            self._control_server.close()
            classdir.control_socket(self.options.class_dir).unlink(missing_ok=True)
        await self.zygote.stop()
        if self._lock_file is not None:
            self._lock_file.close()

    def _load_students(self) -> None:
        """Everyone the class knows, with where their saved work left them."""
        names = set(classdir.students(self.options.class_dir))
        names.update(name for name, member in self.roster.members.items() if not member.instructor)
        for name in sorted(names):
            self._recall(self.students.setdefault(name, StudentState(name)))

    def _recall(self, state: StudentState) -> None:
        """A student's last lab as their saved work has it."""
        directory = classdir.student_dir(self.options.class_dir, state.name)
        last = last_session(directory) or {}
        if last.get("lab"):
            summary = library.read_summary(library.lab_dir(directory, last["lab"]))
            if summary:
                state.record({"where": "lab", **summary})

    # --- logins -------------------------------------------------------------------------------------
    def current_roster(self) -> Roster:
        """The roster as the file says now: a student added or removed during class counts at once."""
        stamp = _stamp(self.roster.path)
        if stamp != self._roster_stamp:
            try:
                self.roster = Roster.load(self.options.class_dir)
                self._roster_stamp = stamp
            except RosterError as bad:
                log.error("keeping the roster as it was: %s", bad)
        return self.roster

    def blocked(self, address: str, name: str) -> bool:
        """Too many failed passwords lately: for this name from this address, or from this address at all.
        Per name first, so one student's typos do not lock out the rest of a class behind one address."""
        return (self._recent_failures((address, name.lower())) >= FAILURES_ALLOWED
                or self._recent_failures((address, None)) >= FAILURES_PER_ADDRESS)

    def _recent_failures(self, key: tuple[str, str | None]) -> int:
        recent = self.failures.get(key)
        if not recent:
            return 0
        while recent and recent[0] < time.monotonic() - FAILURE_WINDOW:
            recent.popleft()
        if not recent:
            del self.failures[key]
        return len(recent)

    def failed(self, address: str, name: str) -> None:
        now = time.monotonic()
        self.failures[(address, name.lower())].append(now)
        self.failures[(address, None)].append(now)
        log.warning("failed login for %s from %s", name, address)

    def role_of(self, name: str) -> str:
        if name == WATCH:
            return "watch"
        member = self.current_roster().get(name)
        return "instructor" if member is not None and member.instructor else "student"

    # --- sessions -----------------------------------------------------------------------------------
    async def run_child(self, session: "AppSession", role: str) -> int:
        """Run one session process for ``session`` until it exits; its exit code."""
        if not self.zygote.alive:
            log.error("the session zygote had stopped: starting a new one")
            await self.zygote.start()
        master, slave = os.openpty()
        try:
            tty.setraw(slave)       # raw before the app starts: nothing the student types is cooked or echoed
            set_window(master, session.size)
            os.set_blocking(master, False)
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        child = Child(role, secrets.token_urlsafe(16), master, session.size)
        user_dir = classdir.student_dir(self.options.class_dir, session.user)
        request = {"role": role, "user": session.user, "class_dir": str(self.options.class_dir),
                   "data_dir": str(user_dir), "lab": self.options.lab, "term": session.term,
                   "colorterm": session.colorterm, "fps": self.options.fps, "token": child.token,
                   "control": str(classdir.control_socket(self.options.class_dir))}
        self.tokens[child.token] = child
        try:
            child.pid = await self.zygote.spawn(request, slave)
        except BaseException:
            self.tokens.pop(child.token, None)
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.children[child.pid] = child
        session.child = child
        if session.ended:           # closed (taken over, shut down) while the process was starting
            await self.hang_up(child)
        session.relay(True)
        if role == "demo":
            self.demo = child
            for watcher in self._watch_children():
                self.follow(watcher, child)
        try:
            return await child.done
        finally:
            session.relay(False)
            session.child = None
            self._close_master(child)
            self.tokens.pop(child.token, None)
            self.children.pop(child.pid, None)
            for follower in list(child.followers):
                protocol.post(follower, {"type": "screen", "user": None})
            if child is self.demo:
                self.demo = None
            self._unfollow(child)

    def _watch_children(self) -> list[Child]:
        return [s.child for s in self.sessions if s.child is not None and s.child.role == "watch"]

    def _child_exited(self, pid: int, code: int) -> None:
        child = self.children.get(pid)
        if child is not None and not child.done.done():
            child.done.set_result(code)

    def terminal_closed(self, child: Child) -> None:
        """The session's pty has no one on the other end: it has exited, or is about to. Its exit report
        normally follows at once; if the zygote that would send it is gone, stop waiting soon."""
        asyncio.get_running_loop().call_later(
            EXIT_AFTER_HANG_UP, lambda: child.done.done() or child.done.set_result(1))

    def _zygote_gone(self) -> None:
        """No exit reports will come: hang every session up (each saves) and stop waiting for them."""
        log.error("the session zygote stopped; hanging up %d session(s)", len(self.children))
        for child in list(self.children.values()):
            self._close_master(child)
            self.terminal_closed(child)

    def _close_master(self, child: Child) -> None:
        if child.master >= 0:
            # Unregister first: a closed descriptor left in the selector confuses it once the number is reused.
            loop = asyncio.get_running_loop()
            loop.remove_reader(child.master)
            loop.remove_writer(child.master)
            try:
                os.close(child.master)
            except OSError:
                pass
            child.master = -1

    async def hang_up(self, child: Child) -> None:
        """Close the pty (the session gets SIGHUP, saves and exits); kill it if it will not go."""
        self._close_master(child)
        try:
            await asyncio.wait_for(asyncio.shield(child.done), HANG_UP_GRACE)
        except asyncio.TimeoutError:
            log.error("session %s did not exit after hang-up: killed", child.pid)
            try:
                os.killpg(child.pid, signal.SIGKILL)    # it leads its own session and process group
            except (ProcessLookupError, PermissionError):
                pass
            self.terminal_closed(child)
            await child.done

    def take_seat(self, session: "AppSession") -> str | None:
        """Count ``session`` in, or say why it cannot be. Watchers have seats of their own, so a room
        of projectors cannot keep a student out."""
        if session.role == "watch":
            if sum(1 for s in self.sessions if s.role == "watch") >= MAX_WATCHERS:
                return f"Too many are watching already ({MAX_WATCHERS}). Try again later."
        elif len([s for s in self.sessions if s.role != "watch" and s.user != session.user]) \
                >= self.options.max_sessions:
            return (f"The class is full ({self.options.max_sessions} sessions). Ask your instructor, or try "
                    "again in a few minutes.")
        self.sessions.add(session)
        return None

    async def take_over(self, session: "AppSession") -> None:
        """One writer per save: a second login by the same person closes the first. One at a time per
        person, so a third login cannot slip in while the first is still saving."""
        async with self._user_locks[session.user]:
            previous = self.by_user.get(session.user)
            if previous is not None and previous is not session:
                await previous.end("You logged in from somewhere else, so this session is closed. "
                                   "Your work is saved.")
            if not session.ended:
                self.by_user[session.user] = session

    def leave(self, session: "AppSession") -> None:
        self.sessions.discard(session)
        if self.by_user.get(session.user) is session:
            del self.by_user[session.user]
            state = self.students.get(session.user)
            if state is not None:
                state.connected = False
                self._recall(state)     # where they left off, not the welcome screen they left from
        self.class_changed()

    def arrived(self, session: "AppSession") -> None:
        if session.role == "student":
            state = self.students.setdefault(session.user, StudentState(session.user))
            state.connected, state.address = True, session.address
        self.class_changed()        # the dashboard counts sessions and watchers too

    async def _close_idle(self) -> None:
        timeout = self.options.idle_timeout
        while True:
            await asyncio.sleep(max(1.0, min(30.0, timeout / 4)))
            now = time.monotonic()
            for session in list(self.sessions):
                if session.role != "watch" and now - session.last_input > timeout:
                    asyncio.create_task(session.end(
                        f"Nothing was typed for {spoken_duration(timeout)}, so this session is closed. Your work "
                        "is saved: connect again to carry on."))

    # --- the control channel --------------------------------------------------------------------------
    async def _control_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        child: Child | None = None
        try:
            async for message in protocol.messages(reader):
                if child is None:
                    child = self._introduce(message, writer)
                    if child is None:
                        break           # not one of ours
                    self._greet(child)
                    continue
                self._heard(child, message)
        finally:
            if child is not None and child.control is writer:
                child.control = None
                self._unfollow(child)
            writer.close()

    def _introduce(self, message: dict[str, Any], writer: asyncio.StreamWriter) -> Child | None:
        """A session says hello with the token it was started with, once, from its own process."""
        if message.get("type") != "hello":
            return None
        child = self.tokens.pop(str(message.get("token")), None)
        if child is None or child.control is not None or _peer_pid(writer) != child.pid:
            return None
        child.control = writer
        return child

    def _greet(self, child: Child) -> None:
        if child.role == "instructor":
            self.send_class(child)
        elif child.role == "watch" and self.demo is not None:
            self.follow(child, self.demo)
        elif child.role == "watch":
            protocol.post(child.control, {"type": "screen", "user": None})

    def _heard(self, child: Child, message: dict[str, Any]) -> None:
        kind = message.get("type")
        session = next((s for s in self.sessions if s.child is child), None)
        if session is None:
            return
        if kind == "progress" and child.role == "student" and isinstance(message.get("summary"), dict):
            self.students.setdefault(session.user, StudentState(session.user)).record(message["summary"])
            self.class_changed()
        elif child.role != "instructor":
            return
        elif kind == "follow":
            target = self.by_user.get(str(message.get("user")))
            if target is not None and target.child is not None and target.child is not child:
                self.follow(child, target.child)
            else:
                protocol.post(child.control, {"type": "screen", "user": None,
                                              "why": f"{message.get('user')} is not connected"})
        elif kind == "unfollow":
            self._unfollow(child)
        elif kind == "broadcast":
            text = " ".join(str(message.get("text", "")).split())[:MESSAGE_LIMIT]
            if text:
                self.broadcast(text, session.user)
        elif kind == "demo":
            session.next_role = "demo"

    def follow(self, follower: Child, target: Child) -> None:
        self._unfollow(follower)
        if follower.control is None:
            return
        follower.following = target
        target.followers.add(follower.control)
        owner = next((s.user for s in self.sessions if s.child is target), "")
        protocol.post(follower.control, {"type": "screen", "user": owner, "cols": target.size[0],
                                         "rows": target.size[1]})
        if target.control is not None:
            protocol.post(target.control, {"type": "repaint"})

    def _unfollow(self, follower: Child) -> None:
        target, follower.following = follower.following, None
        if target is not None and follower.control is not None:
            target.followers.discard(follower.control)

    def screen_output(self, child: Child, data: bytes) -> None:
        if not child.followers:
            return
        message = {"type": "output", "data": base64.b64encode(data).decode()}
        for follower in list(child.followers):
            if follower.is_closing() or follower.transport.get_write_buffer_size() > FOLLOWER_BACKLOG:
                child.followers.discard(follower)
            else:
                protocol.post(follower, message)

    def screen_resized(self, child: Child) -> None:
        for follower in child.followers:
            protocol.post(follower, {"type": "screen", "cols": child.size[0], "rows": child.size[1]})

    def broadcast(self, text: str, sender: str) -> None:
        log.info("broadcast from %s: %s", sender, text)
        for session in self.sessions:
            child = session.child
            if child is not None and child.control is not None and child.role in ("student", "demo"):
                protocol.post(child.control, {"type": "broadcast", "text": text, "from": sender})

    # --- the dashboard's view ------------------------------------------------------------------------------
    def class_view(self) -> dict[str, Any]:
        return {"type": "class", "students": [state.view() for _, state in sorted(self.students.items())],
                "now": time.time(), "demo": self.demo is not None,
                "watchers": sum(1 for s in self.sessions if s.role == "watch"),
                "sessions": len(self.sessions), "max_sessions": self.options.max_sessions}

    def class_changed(self) -> None:
        """Tell the dashboards, at most a few times a second."""
        if self._class_pending is None:
            self._class_pending = asyncio.get_running_loop().call_later(0.25, self._send_class_all)

    def _send_class_all(self) -> None:
        self._class_pending = None
        for session in self.sessions:
            if session.child is not None and session.child.role == "instructor":
                self.send_class(session.child)

    def send_class(self, child: Child) -> None:
        if child.control is not None:
            protocol.post(child.control, self.class_view())


def spoken_duration(seconds: float) -> str:
    for size, unit in ((3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size and (seconds % size == 0 or size == 1 or seconds >= 10 * size):
            count = round(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds:g} seconds"


def window(columns: int, rows: int) -> tuple[int, int]:
    return max(20, min(columns, MAX_COLUMNS)), max(5, min(rows, MAX_ROWS))


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime, status.st_size


def _peer_pid(writer: asyncio.StreamWriter) -> int | None:
    """The pid of the process at the other end of a unix socket (the kernel says, not the peer)."""
    sock = writer.get_extra_info("socket")
    try:
        pid, _, _ = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    except (OSError, AttributeError):
        return None
    return pid


class ServeError(Exception):
    pass


def set_window(master: int, size: tuple[int, int]) -> None:
    columns, rows = size
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class ClassroomSSH(asyncssh.SSHServer):
    """One SSH connection: who it is and how they prove it. Everything but a session is refused
    (port forwarding, by asyncssh's defaults; agent and X11 forwarding, SFTP and SCP, by the options)."""

    def __init__(self, classroom: Classroom):
        self.classroom = classroom
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        self.user = ""
        self.authenticated = False
        self.crowded = False
        self.has_session = False

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.address = peer[0] if peer else "?"
        waiting = self.classroom.logging_in
        self.crowded = (sum(waiting.values()) >= UNAUTHENTICATED_LIMIT
                        or waiting[self.address] >= UNAUTHENTICATED_PER_ADDRESS)
        waiting[self.address] += 1

    def _done_logging_in(self) -> None:
        waiting = self.classroom.logging_in
        waiting[self.address] -= 1
        if waiting[self.address] <= 0:
            del waiting[self.address]

    def auth_completed(self) -> None:
        self.authenticated = True
        self._done_logging_in()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.authenticated:
            self._done_logging_in()

    def begin_auth(self, username: str) -> bool:
        classroom = self.classroom
        if self.crowded:
            self.conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS,
                                 "too many connections are logging in at once: try again in a moment")
            return True
        if classroom.blocked(self.address, username):
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                 "too many failed logins: wait a minute and try again")
            return True
        try:
            self.user = student_name(username)
        except BadName as bad:
            self.conn.send_auth_banner(f"labtui: {bad}\r\n")
            self.user = ""
            return True         # no login for a bad name: every method will fail
        member = classroom.current_roster().get(self.user)
        if self.user == WATCH:
            return False
        if member is None:
            return not classroom.options.open_class
        if member.keys:
            self.conn.set_authorized_keys(asyncssh.import_authorized_keys("\n".join(member.keys)))
        return True

    def password_auth_supported(self) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        classroom = self.classroom
        # A blocked address, or one already guessing on several connections at once, gets no check at all.
        if classroom.blocked(self.address, username) or classroom.checking[self.address] >= PARALLEL_CHECKS:
            classroom.failed(self.address, username)
            return False
        member = classroom.current_roster().get(self.user) if self.user else None
        stored = member.password if member is not None else None
        # Checked in a thread (scrypt takes tens of milliseconds); an unknown name costs the same.
        classroom.checking[self.address] += 1
        try:
            ok = await asyncio.to_thread(check_password, stored, password)
        finally:
            classroom.checking[self.address] -= 1
            if classroom.checking[self.address] <= 0:
                del classroom.checking[self.address]
        if not ok:
            self.classroom.failed(self.address, username)
            if self.classroom.blocked(self.address, username):
                self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                     "too many failed logins: wait a minute and try again")
        return ok

    def session_requested(self) -> "AppSession | bool":
        if self.has_session:
            return False        # one session per connection: a second channel is a second login
        self.has_session = True
        return AppSession(self.classroom, self.user, self.classroom.role_of(self.user), self.address)


class AppSession(asyncssh.SSHServerSession):
    """One SSH session channel: the student's terminal, relayed to and from their session process."""

    def __init__(self, classroom: Classroom, user: str, role: str, address: str):
        self.classroom, self.user, self.role, self.address = classroom, user, role, address
        self.chan: asyncssh.SSHServerChannel | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.colorterm = ""
        self.child: Child | None = None
        self.next_role: str | None = None
        self.last_input = time.monotonic()
        self._relaying = False
        self._paused = False
        self._to_pty = bytearray()
        self._ended = False
        self._task: asyncio.Task | None = None
        self._command_refused = False

    # --- what the client asks for --------------------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    @property
    def ended(self) -> bool:
        return self._ended

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes) -> bool:
        # TERM goes into the session's environment: a name, not whatever the client sends.
        self.term = term_type if _TERM.fullmatch(term_type or "") else "xterm-256color"
        if term_size[0] and term_size[1]:
            self.size = window(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Taken, so that the student reads why instead of OpenSSH's bare "exec request failed"; the
        # command is never run (session_started says so and ends the channel).
        log.info("refused a command from %s (%s)", self.user, self.address)
        self._command_refused = True
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused the %s subsystem for %s (%s)", subsystem, self.user, self.address)
        return False

    def session_started(self) -> None:
        if self._command_refused:
            self.chan.write_stderr(f"labtui: this server runs labtui and nothing else, so it does not run "
                                   f"commands. Log in without one: ssh -p {self.classroom.port} "
                                   f"{self.user}@<this host>\r\n".encode())
            self.chan.exit(1)
            return
        colorterm = self.chan.get_environment().get("COLORTERM", "")
        self.colorterm = colorterm if colorterm in ("truecolor", "24bit") else ""
        self._task = asyncio.create_task(self._run())

    # --- the session ---------------------------------------------------------------------------------
    async def _run(self) -> None:
        classroom = self.classroom
        if self.term is None:
            self._say("this is labtui, which needs a terminal: connect with `ssh -t`.")
            self.chan.exit(1)
            return
        refusal = classroom.take_seat(self)
        if refusal is not None:
            log.warning("refused %s (%s): the class is full", self.user, self.address)
            self._say(refusal)
            self.chan.exit(1)
            return
        code = 0
        try:
            if self.role != "watch":
                await classroom.take_over(self)
            if self._ended:
                return
            log.info("%s (%s) started a session (%s) from %s", self.user, self.term, self.role, self.address)
            classroom.arrived(self)
            role = self.role
            while not self._ended:
                code = await classroom.run_child(self, role)
                if self._ended:
                    break
                if role == "instructor" and self.next_role == "demo":
                    role, self.next_role = "demo", None
                elif role == "demo":
                    role = "instructor"
                else:
                    break
        except ZygoteGone:
            self._say("labtui cannot start a session right now: the server is stopping.")
            code = 1
        finally:
            classroom.leave(self)
        if not self._ended:
            self._ended = True
            self._finish(code)

    async def end(self, reason: str) -> None:
        """Close this session from the server's side (takeover, idle, shutdown): the student's app
        saves, their terminal is put back, and they read why."""
        if self._ended:
            return
        self._ended = True
        self.relay(False)
        child = self.child
        if child is not None:
            await self.classroom.hang_up(child)
        log.info("closed %s's session: %s", self.user, reason)
        self._say(reason, restore=child is not None)
        self._finish(0)
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def _finish(self, code: int) -> None:
        """The app has exited: it put the terminal back itself, unless a signal killed it (code < 0)."""
        try:
            if code < 0 and self.term is not None:
                self.chan.write(RESET_TERMINAL)
            self.chan.exit(max(code, 0) if code >= 0 else 1)
        except (OSError, asyncssh.Error):
            pass

    def _say(self, text: str, *, restore: bool = False) -> None:
        try:
            reset = RESET_TERMINAL if restore and self.term is not None else b""
            self.chan.write(reset + f"\r\nlabtui: {text}\r\n".encode())
        except (OSError, asyncssh.Error):
            pass

    # --- relaying ------------------------------------------------------------------------------------
    def relay(self, on: bool) -> None:
        loop = asyncio.get_running_loop()
        child = self.child
        if on and not self._relaying and child is not None and child.master >= 0:
            self._relaying = True
            if not self._paused:
                loop.add_reader(child.master, self._pty_readable)
        elif not on and self._relaying:
            self._relaying = False
            if child is not None and child.master >= 0:
                loop.remove_reader(child.master)
                loop.remove_writer(child.master)

    def _pty_readable(self) -> None:
        child = self.child
        if child is None or child.master < 0:
            return
        try:
            data = os.read(child.master, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:                    # the session process closed its terminal: it is ending
            self.relay(False)
            self.classroom.terminal_closed(child)
            return
        try:
            self.chan.write(data)
        except (OSError, asyncssh.Error):
            return          # the client has gone; connection_lost hangs the session up
        self.classroom.screen_output(child, data)

    def pause_writing(self) -> None:
        """The client is slow: stop reading the pty, so the app waits instead of the server buffering."""
        self._paused = True
        if self._relaying and self.child is not None and self.child.master >= 0:
            asyncio.get_running_loop().remove_reader(self.child.master)

    def resume_writing(self) -> None:
        self._paused = False
        if self._relaying and self.child is not None and self.child.master >= 0:
            asyncio.get_running_loop().add_reader(self.child.master, self._pty_readable)

    def data_received(self, data: bytes, datatype) -> None:
        self.last_input = time.monotonic()
        child = self.child
        if child is None or child.master < 0 or not self._relaying:
            return
        waiting = bool(self._to_pty)
        self._to_pty += data
        if len(self._to_pty) > INPUT_BACKLOG:
            self.chan.pause_reading()       # SSH flow control holds the rest at the client
        if not waiting:
            self._write_pty()

    def _write_pty(self) -> None:
        child = self.child
        loop = asyncio.get_running_loop()
        if child is None or child.master < 0:
            self._to_pty.clear()
            return
        try:
            written = os.write(child.master, self._to_pty)
        except BlockingIOError:
            written = 0
        except OSError:
            self._to_pty.clear()
            self.chan.resume_reading()
            return
        del self._to_pty[:written]
        if self._to_pty:
            loop.add_writer(child.master, self._write_pty)
        else:
            loop.remove_writer(child.master)
            self.chan.resume_reading()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if not (width and height):
            return
        self.size = window(width, height)
        child = self.child
        if child is not None and child.master >= 0:
            child.size = self.size
            set_window(child.master, self.size)     # the kernel tells the app with SIGWINCH
            self.classroom.screen_resized(child)

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        """The student went away: hang their session up (it saves and exits)."""
        if self._ended:
            return
        self._ended = True
        self.relay(False)
        if self.child is not None:
            asyncio.create_task(self.classroom.hang_up(self.child))
