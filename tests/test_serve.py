"""The classroom server end to end: a real SSH server on loopback, real session processes under ptys,
clients from asyncssh and OpenSSH, screens read through a terminal emulator."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
from pathlib import Path

import asyncssh
import pytest

from labtui.engine.persist import Sandbox
from labtui.engine.resources import ResourceGroup
from labtui.lab import library
from labtui.serve import forker
from labtui.serve.session import give_back_at_first_screen, take_start_slot
from labtui.serve.server import RESET_TERMINAL
from serve_helpers import Terminal, connect, login, make_roster, running_classroom

WELCOME = "practise the Azure compute lifecycle"
LAB = "windows-image"



def groups_saved(class_dir, user: str, lab: str | None = None) -> set[str]:
    directory = class_dir / "students" / user
    if lab:
        directory = library.lab_dir(directory, lab)
    world = Sandbox(directory).load()
    return {group.name for group in world.list(ResourceGroup)}


async def run_line(terminal: Terminal, line: str, expect: str) -> str:
    terminal.type(line + "\r")
    return await terminal.wait_for(expect)


async def test_a_student_gets_the_app_and_nothing_else(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        alice.type("\x11")
        assert await alice.closed() == 0
        # The app put the terminal back itself; the server adds no second reset (which would move the
        # cursor back over whatever the shell printed).
        assert bytes(alice.raw).count(b"\x1b[?1049l") == 1


async def test_two_students_get_separate_worlds_and_a_reconnect_resumes(tmp_path):
    async with running_classroom(tmp_path, lab=LAB) as classroom:
        alice, bob = await login(classroom, "alice"), await login(classroom, "bob")
        await alice.wait_for("Step 1")
        await bob.wait_for("Step 1")
        await run_line(alice, "az group create -n rg-alice -l westus -o none", "$ az group create -n rg-alice")
        await run_line(bob, "az group create -n rg-bob -l westus -o none", "$ az group create -n rg-bob")
        await asyncio.sleep(0.2)
        # Alice's connection drops straight after a command: the hang-up saves her world.
        alice.conn.close()
        bob.type("\x11")
        await bob.closed()
        await _sessions_gone(classroom)
        assert "rg-alice" in groups_saved(tmp_path, "alice", LAB)
        assert "rg-alice" not in groups_saved(tmp_path, "bob", LAB)
        assert "rg-bob" in groups_saved(tmp_path, "bob", LAB)
        again = await login(classroom, "alice")
        await again.wait_for("Step 1")
        screen = await run_line(again, "az group list --query [].name -o tsv", "rg-alice")
        assert "rg-bob" not in screen
        again.type("\x11")
        await again.closed()


def _caught_signals(pid: int) -> set[int]:
    status = Path(f"/proc/{pid}/status").read_text()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return {number for number in range(1, 65) if mask & (1 << (number - 1))}


async def test_a_session_leaves_the_sigcont_of_a_hangup_alone(tmp_path):
    """The kernel sends SIGCONT with a hangup; Textual would re-enter application mode and lay the
    screen out again at the fallback 80x24 before the session could save and exit."""
    async with running_classroom(tmp_path, lab=LAB) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for("Step 1")
        (pid,) = classroom.children
        caught = _caught_signals(pid)
        assert signal.SIGHUP in caught and signal.SIGCONT not in caught
        alice.type("\x11")
        await alice.closed()


async def test_a_student_who_comes_back_lands_where_they_were(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        alice.type("e")                                     # free exploration, from the welcome screen
        await alice.wait_for("Type az commands below")
        await run_line(alice, "az group create -n rg-mine -l westus -o none", "$ az group create -n rg-mine")
        alice.type("\x11")
        await alice.closed()
        await _sessions_gone(classroom)
        again = await login(classroom, "alice")
        screen = await again.wait_for("Type az commands below")     # straight back in, no welcome screen
        assert WELCOME not in screen
        await run_line(again, "az group list --query [].name -o tsv", "rg-mine")
        again.type("\x11")
        await again.closed()


async def _sessions_gone(classroom, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if not classroom.sessions and not classroom.children:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"sessions still open: {classroom.sessions}")


async def test_a_second_login_takes_the_session_over(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        first = await login(classroom, "alice")
        await first.wait_for(WELCOME)
        second = await login(classroom, "alice")
        await first.wait_for("You logged in from somewhere else")
        await first.closed()
        # The hung-up app could not put the terminal back: the server did, once, before the message.
        raw = bytes(first.raw)
        assert raw.count(RESET_TERMINAL) == 1 and raw.endswith(b"Your work is saved.\r\n")
        assert raw.index(RESET_TERMINAL) < raw.index(b"You logged in from somewhere else")
        await second.wait_for(WELCOME)
        assert len([s for s in classroom.sessions if s.user == "alice"]) == 1
        second.type("\x11")
        await second.closed()


async def test_wrong_passwords_and_bad_names_are_refused(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(classroom, "alice", password="not-her-password")
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(classroom, "mallory", password="anything")
        for bad in ("../alice", ".", "..", "a/b", "x" * 40, "-rf", ""):
            with pytest.raises(asyncssh.PermissionDenied):
                await connect(classroom, bad, password="anything")
        assert not (tmp_path / "students" / "..").resolve().joinpath("alice").exists()
        assert sorted(p.name for p in (tmp_path / "students").iterdir()) == []


async def test_failed_logins_are_rate_limited_per_address(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        for _ in range(5):
            with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
                await connect(classroom, "alice", password="guess")
        # Now even the right password is turned away for her from this address, for a while; a
        # classmate behind the same address still gets in.
        with pytest.raises(asyncssh.DisconnectError, match="too many failed logins"):
            await connect(classroom, "alice")
        async with await connect(classroom, "bob"):
            pass


async def test_commands_subsystems_and_forwarding_are_refused(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        async with await connect(classroom, "alice") as conn:
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", classroom.port)
            with pytest.raises(asyncssh.ChannelListenError):
                await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
            with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError)):
                await asyncio.wait_for(conn.start_sftp_client(), 10)
        async with await connect(classroom, "alice") as conn:
            result = await asyncio.wait_for(conn.run("cat /etc/passwd"), 10)
            assert result.exit_status == 1 and "root:" not in result.stdout
            assert "does not run commands" in result.stderr
        async with await connect(classroom, "alice") as conn:
            # A session without a terminal gets a reason, not an app.
            result = await asyncio.wait_for(conn.run(), 10)
            assert "needs a terminal" in result.stdout
        assert not classroom.sessions


async def test_the_class_has_a_maximum_size(tmp_path):
    async with running_classroom(tmp_path, max_sessions=1) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        bob = await login(classroom, "bob")
        await bob.wait_for("The class is full (1 sessions)")
        assert await bob.closed() == 1
        # Alice logging in again takes her own seat over; it is not a newcomer.
        again = await login(classroom, "alice")
        await again.wait_for(WELCOME)
        again.type("\x11")
        await again.closed()


async def test_idle_sessions_are_saved_and_closed(tmp_path):
    async with running_classroom(tmp_path, idle_timeout=1.5, lab=LAB) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for("Step 1")
        await run_line(alice, "az group create -n rg-kept -l westus -o none", "$ az group create -n rg-kept")
        await alice.wait_for("Nothing was typed for 2 seconds", timeout=30)
        await alice.closed()
        await _sessions_gone(classroom)
        assert "rg-kept" in groups_saved(tmp_path, "alice", LAB)


async def test_the_window_size_follows_the_client(tmp_path):
    async with running_classroom(tmp_path, lab=LAB) as classroom:
        alice = await login(classroom, "alice", columns=120, rows=40)
        await alice.wait_for("Step 1")
        alice.resize(80, 24)
        await asyncio.sleep(1.0)
        # At 80x24 the app lays itself out again: its status line is on the last row.
        await _until(lambda: "simulated" in alice.screen.display[22] + alice.screen.display[23], alice)
        alice.type("\x11")
        await alice.closed()


async def _until(condition, terminal: Terminal, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never true; the screen:\n{terminal.text()}")


async def test_the_instructor_sees_the_class_follows_a_student_and_broadcasts(tmp_path):
    async with running_classroom(tmp_path, lab=LAB) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for("Step 1")
        teacher = await login(classroom, "teacher", columns=140, rows=36)
        await teacher.wait_for("1 of 2 students connected")
        await teacher.wait_for("Create the source VM")
        # Alice finishes step 1: the dashboard shows her on step 2.
        lab = library.find_lab(LAB)
        for line in lab.steps[0].solution:
            await run_line(alice, line, "$ " + line[:30])
        await alice.wait_for("Step 2", timeout=60)
        await teacher.wait_for(lab.steps[1].title[:30], timeout=30)
        await teacher.wait_for("1/" + str(len(lab.steps)))
        # Follow her screen: the mirror shows what she sees.
        teacher.type("f")
        await teacher.wait_for("Watching alice's screen")
        await teacher.wait_for(lab.steps[1].title[:25])
        teacher.type("\x1b")
        await teacher.wait_for("students connected")
        # A message to everyone.
        teacher.type("b")
        await teacher.wait_for("A message for every student")
        teacher.type("Five minutes left\r")
        await alice.wait_for("Five minutes left")
        await alice.wait_for("From teacher")
        for terminal in (alice, teacher):
            terminal.type("\x11")
            await terminal.closed()


async def test_the_class_watches_the_instructors_demo(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        watcher = await login(classroom, "watch", password="")
        await watcher.wait_for("No demo is running")
        teacher = await login(classroom, "teacher")
        await teacher.wait_for("students connected")
        teacher.type("d")
        await teacher.wait_for(WELCOME)
        await watcher.wait_for("Watching the instructor's demo")
        await watcher.wait_for(WELCOME)
        # Quitting the demo brings the instructor back to the dashboard; the watcher waits again.
        teacher.type("\x11")
        await teacher.wait_for("students connected")
        await watcher.wait_for("No demo is running")
        watcher.type("\x11")
        await watcher.closed()
        teacher.type("\x11")
        await teacher.closed()


async def test_the_openssh_client_logs_in_with_a_key(tmp_path):
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("no OpenSSH client on this machine")
    key = tmp_path / "alice_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    roster = make_roster(tmp_path / "class")
    roster.add("alice", key=(tmp_path / "alice_key.pub").read_text())
    roster.save()
    base = ["ssh", "-F", "/dev/null", "-i", str(key), "-p", "PORT", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={tmp_path / 'known'}",
            "-o", "IdentitiesOnly=yes"]
    async with running_classroom(tmp_path / "class", roster=roster) as classroom:
        command = [part if part != "PORT" else str(classroom.port) for part in base]
        session = await asyncio.create_subprocess_exec(
            *command, "-tt", "alice@127.0.0.1", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env={**os.environ, "TERM": "xterm-256color"})
        seen = b""
        while WELCOME.encode() not in seen:
            chunk = await asyncio.wait_for(session.stdout.read(65536), 20)
            assert chunk, f"ssh ended before the welcome screen: {seen[-300:]!r}"
            seen += chunk
        session.stdin.write(b"q")
        await asyncio.wait_for(session.wait(), 20)
        refused = await asyncio.create_subprocess_exec(
            *command, "alice@127.0.0.1", "id", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(refused.communicate(), 20)
        assert refused.returncode != 0 and b"uid=" not in out and b"does not run commands" in err
        sftp = await asyncio.create_subprocess_exec(
            "sftp", "-F", "/dev/null", "-i", str(key), "-P", str(classroom.port), "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={tmp_path / 'known'}",
            "alice@127.0.0.1", stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        await asyncio.wait_for(sftp.communicate(), 20)
        assert sftp.returncode != 0


async def test_logins_racing_for_one_name_leave_one_session(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        first = await login(classroom, "alice")
        await first.wait_for(WELCOME)
        racing = await asyncio.gather(login(classroom, "alice"), login(classroom, "alice"))
        await _until(lambda: len([c for c in classroom.children.values() if c.role == "student"]) == 1
                     and any(t.process.is_closing() for t in racing), first)
        survivors = [t for t in racing if not t.process.is_closing()]
        assert len(survivors) == 1
        await survivors[0].wait_for(WELCOME)
        survivors[0].type("\x11")
        await survivors[0].closed()


async def test_what_a_client_claims_is_bounded(tmp_path):
    async with running_classroom(tmp_path) as classroom:
        conn = await connect(classroom, "alice")
        # A TERM no terminal has and a window no screen has: the app still starts, at a sane size.
        terminal = Terminal(conn, 500, 200)      # the size the server allows, which the app then draws
        terminal.process = await conn.create_process(term_type="\x01" * 20000, term_size=(100000, 100000),
                                                     encoding=None)
        terminal._reader = asyncio.create_task(terminal._read())
        await terminal.wait_for(WELCOME)
        session = next(iter(classroom.sessions))
        assert session.size == (500, 200) and session.term == "xterm-256color"
        # A second session channel on the same connection is a second login: refused.
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_process(term_type="xterm")
        terminal.type("\x11")
        await terminal.closed()
        # The zygote survived: the next student still gets in.
        bob = await login(classroom, "bob")
        await bob.wait_for(WELCOME)
        bob.type("\x11")
        await bob.closed()


async def test_parallel_guessing_gets_no_more_password_checks(tmp_path, monkeypatch):
    import labtui.serve.server as server

    checks = []
    real_check = server.check_password

    def counting(stored, password):
        checks.append(password)
        return real_check(stored, password)

    monkeypatch.setattr(server, "check_password", counting)
    async with running_classroom(tmp_path) as classroom:
        attempts = [connect(classroom, "alice", password=f"guess-{n}") for n in range(20)]
        outcomes = await asyncio.gather(*attempts, return_exceptions=True)
        assert all(isinstance(o, (asyncssh.PermissionDenied, asyncssh.DisconnectError)) for o in outcomes)
        assert len(checks) <= server.FAILURES_ALLOWED + server.PARALLEL_CHECKS


async def test_watchers_do_not_take_the_students_seats(tmp_path):
    async with running_classroom(tmp_path, max_sessions=1) as classroom:
        watchers = [await login(classroom, "watch", password="") for _ in range(2)]
        for watcher in watchers:
            await watcher.wait_for("No demo is running")
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        for terminal in (*watchers, alice):
            terminal.type("\x11")
            await terminal.closed()


async def test_one_class_directory_has_one_server(tmp_path):
    from labtui.serve.server import Classroom, ServeError, ServeOptions

    async with running_classroom(tmp_path) as classroom:
        second = Classroom(ServeOptions(tmp_path, port=0), classroom.roster)
        with pytest.raises(ServeError, match="another labtui serve"):
            await second.start()
        await second.stop()
        # The first one still serves.
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        alice.type("\x11")
        await alice.closed()


async def test_sessions_yield_the_processor_to_the_server(tmp_path):
    """The server relays every student's screen: a session runs niced below it, and so does the
    session's own scheduling group where Linux makes one per login session (autogroup)."""
    async with running_classroom(tmp_path) as classroom:
        alice = await login(classroom, "alice")
        await alice.wait_for(WELCOME)
        (pid,) = classroom.children
        assert os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0) + forker.SESSION_NICENESS
        autogroup = Path(f"/proc/{pid}/autogroup")
        if autogroup.exists():
            for _ in range(50):
                if autogroup.read_text().split()[-1] == str(forker.SESSION_NICENESS):
                    break
                await asyncio.sleep(0.1)
            assert autogroup.read_text().split()[-1] == str(forker.SESSION_NICENESS)


def test_the_groups_nice_value_waits_its_turn_and_gives_up_where_there_is_none():
    attempts = []

    def busy_twice(niceness: int) -> None:
        attempts.append(niceness)
        if len(attempts) < 3:
            raise BlockingIOError("EAGAIN: another process set its group's nice value within 100 ms")

    assert forker.nice_own_group(5, busy_twice, pause=0) is True and attempts == [5, 5, 5]

    def missing(niceness: int) -> None:
        attempts.append(niceness)
        raise FileNotFoundError("/proc/self/autogroup")

    attempts.clear()
    assert forker.nice_own_group(5, missing, pause=0) is False and attempts == [5]


def test_the_zygotes_warm_up_parses_the_css_every_session_then_shares(tmp_path, monkeypatch):
    """The zygote starts the app once before any login; a session's app then parses almost no CSS of
    its own, and no thread is left running to be forked."""
    import threading

    from labtui.tui import css_cache
    from labtui.tui.app import LabtuiApp
    from textual.css.stylesheet import Stylesheet

    monkeypatch.setattr(Stylesheet, "_parse_rules", Stylesheet._parse_rules)     # put back afterwards
    monkeypatch.setattr(css_cache, "_parsed", {})
    parsed: list[object] = []
    own_parse = css_cache._own_parse
    monkeypatch.setattr(css_cache, "_own_parse", lambda *args: (parsed.append(args[2]), own_parse(*args))[1])

    forker.warm_up(tmp_path / "zygote", [library.find_lab(LAB)])
    assert css_cache.installed() and threading.active_count() == 1
    cold = len(parsed)

    parsed.clear()
    session = LabtuiApp(tmp_path / "student", lab=library.find_lab(LAB), speed=0)

    async def start() -> None:
        async with session.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

    asyncio.run(start())
    assert cold > 30 and len(parsed) <= 2, parsed


def test_a_failed_warm_up_slows_logins_but_does_not_stop_the_zygote(monkeypatch, capsys):
    def broken(data_dir, labs):
        raise RuntimeError("no terminal here")

    monkeypatch.setattr(forker, "warm_up", broken)
    forker.preload()
    assert "warm-up failed (RuntimeError: no terminal here); logins will be slower" in capsys.readouterr().err


def test_a_login_burst_starts_a_few_sessions_at_a_time(tmp_path):
    taken = [take_start_slot(tmp_path, slots=2, wait=0.05) for _ in range(2)]
    assert None not in taken
    assert take_start_slot(tmp_path, slots=2, wait=0.05) is None       # both slots busy: waits, then goes
    os.close(taken[0])                                                          # a session drew its first screen
    again = take_start_slot(tmp_path, slots=2, wait=0.05)
    assert again is not None
    for slot in (taken[1], again):
        os.close(slot)
    # A class directory the session cannot write to never stops it from starting.
    assert take_start_slot(tmp_path / "missing", wait=0.05) is None


def test_a_session_gives_its_start_slot_back_at_its_first_screen(tmp_path):
    class App:
        screen = type("Screen", (), {"id": "_default"})()

        def post_display_hook(self) -> None:
            pass

    app = App()
    slot = take_start_slot(tmp_path, slots=1, wait=0.05)
    give_back_at_first_screen(app, slot)
    app.post_display_hook()                     # the blank screen Textual draws first: still starting
    assert take_start_slot(tmp_path, slots=1, wait=0.05) is None
    app.screen = type("Screen", (), {"id": None})()
    app.post_display_hook()                     # the app's own first screen
    freed = take_start_slot(tmp_path, slots=1, wait=0.05)
    assert freed is not None
    os.close(freed)
