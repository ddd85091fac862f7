"""The classroom's pieces that need no server: names, the roster, the host key, results, the CLI."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys

import asyncssh
import pytest
from hypothesis import given, strategies as st

from labtui.cli import main
from labtui.lab import library
from labtui.serve import classdir, results
from labtui.serve.names import BadName, student_name
from labtui.serve.roster import Roster, RosterError, check_password, hash_password
from labtui.serve.session import colour_system


@pytest.mark.parametrize("raw, name", [("alice", "alice"), ("Alice", "alice"), ("s01", "s01"),
                                       ("mary-jane_2", "mary-jane_2")])
def test_good_names_become_their_lower_case_form(raw, name):
    assert student_name(raw) == name


@pytest.mark.parametrize("raw", ["", ".", "..", "../x", "a/b", "a\\b", ".hidden", "-rf", "_x", "x" * 33,
                                 "al ice", "ünï", "a\x00b", "alice\n"])
def test_names_that_could_touch_the_file_system_are_refused(raw):
    with pytest.raises(BadName):
        student_name(raw)


@given(st.text(max_size=40))
def test_an_accepted_name_is_always_one_plain_directory_entry(raw):
    try:
        name = student_name(raw)
    except BadName:
        return
    assert "/" not in name and "\\" not in name and not name.startswith(".") and 0 < len(name) <= 32


def test_passwords_are_salted_and_checked():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and "correct horse" not in first
    assert check_password(first, "correct horse")
    assert not check_password(first, "correct horsf")
    assert not check_password(None, "anything")
    assert not check_password("plain-text", "plain-text")


def test_the_roster_file_is_private_and_round_trips(tmp_path):
    roster = Roster.load(tmp_path)
    roster.add("alice", password="secret-1")
    roster.add("teacher", role="instructor", password="secret-2")
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    roster.add("bob", key=key)
    roster.save()
    assert stat.S_IMODE((tmp_path / "roster.json").stat().st_mode) == 0o600
    again = Roster.load(tmp_path)
    assert again.get("teacher").instructor and not again.get("alice").instructor
    assert check_password(again.get("alice").password, "secret-1")
    assert again.get("bob").keys and again.get("bob").password is None
    again.remove("alice")
    assert again.get("alice") is None
    with pytest.raises(RosterError, match="not in the roster"):
        again.remove("alice")


def test_the_roster_refuses_what_would_not_work(tmp_path):
    roster = Roster.load(tmp_path)
    with pytest.raises(RosterError, match="password or a public key"):
        roster.add("carol")
    with pytest.raises(RosterError, match="at least 6"):
        roster.add("carol", password="abc")
    with pytest.raises(RosterError, match="not an OpenSSH public key"):
        roster.add("carol", key="ssh-rsa not-a-key")
    with pytest.raises(RosterError, match="read-only account"):
        roster.add("watch", password="whatever1")
    (tmp_path / "roster.json").write_text(json.dumps({"members": {"../x": {"role": "student"}}}))
    with pytest.raises(RosterError, match="not a valid name"):
        Roster.load(tmp_path)
    (tmp_path / "roster.json").write_text("{not json")
    with pytest.raises(RosterError, match="cannot read the roster"):
        Roster.load(tmp_path)


def test_the_host_key_is_made_once_private_and_reused(tmp_path):
    classdir.prepare(tmp_path)
    first = classdir.host_key(tmp_path)
    assert stat.S_IMODE((tmp_path / "host_key").stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    assert classdir.host_key(tmp_path).get_fingerprint() == first.get_fingerprint()


@pytest.mark.parametrize("term, colorterm, system", [("xterm-256color", "truecolor", "truecolor"),
                                                      ("xterm-256color", "", "256"), ("xterm", "", "standard"),
                                                      ("screen", "24bit", "truecolor"), ("vt100", "", "standard")])
def test_the_colour_depth_follows_the_clients_terminal(term, colorterm, system):
    assert colour_system(term, colorterm) == system


def _saved_progress(class_dir, student, lab_id, **summary):
    directory = library.lab_dir(classdir.student_dir(class_dir, student), lab_id)
    library.write_summary(directory, {"lab": lab_id, "status": "in progress", "steps_done": 0, "steps": 8,
                                      "hints": 0, "traps": 0, "score": None, **summary})


def test_results_export_every_students_labs(tmp_path):
    _saved_progress(tmp_path, "alice", "windows-image", status="completed", steps_done=8, hints=2, traps=1,
                    score=84, quiz={"correct": 3, "total": 4}, real_seconds=1500.0, simulated_seconds=5400,
                    done=[{"step": "a", "at": 10, "skipped": True}])
    _saved_progress(tmp_path, "bob", "snapshots", steps_done=3)
    rows = list(__import__("csv").DictReader(io.StringIO(results.render(tmp_path, "csv"))))
    assert [(r["student"], r["lab"]) for r in rows] == [("alice", "windows-image"), ("bob", "snapshots")]
    assert rows[0]["score"] == "84" and rows[0]["minutes"] == "25.0" and rows[0]["skipped"] == "1"
    assert rows[0]["quiz_correct"] == "3" and rows[1]["status"] == "in progress"
    records = json.loads(results.render(tmp_path, "json"))
    assert records[0]["student"] == "alice" and records[0]["done"][0]["step"] == "a"


def test_the_roster_and_results_commands(tmp_path, monkeypatch, capsys):
    class_dir = tmp_path / "class"
    monkeypatch.setattr(sys, "stdin", io.StringIO("pass-word-1\n"))
    assert main(["serve", "roster", "add", "Alice", "--password-stdin", "--class-dir", str(class_dir)]) == 0
    assert "alice (student) can log in" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("pass-word-2\n"))
    assert main(["serve", "roster", "add", "teacher", "--instructor", "--password-stdin",
                 "--class-dir", str(class_dir)]) == 0
    assert main(["serve", "roster", "list", "--class-dir", str(class_dir)]) == 0
    listing = capsys.readouterr().out
    assert "alice" in listing and "teacher                  instructor  password" in listing
    assert main(["serve", "roster", "add", "../evil", "--password-stdin", "--class-dir", str(class_dir)]) == 2
    assert "not a valid name" in capsys.readouterr().err
    assert main(["serve", "roster", "add", "carol", "--no-password", "--class-dir", str(class_dir)]) == 2
    assert "--no-password needs --key" in capsys.readouterr().err
    _saved_progress(class_dir, "alice", "windows-image", score=50)
    assert main(["serve", "results", "--format", "json", "--class-dir", str(class_dir)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["score"] == 50


def test_serve_will_not_start_a_class_nobody_can_join(tmp_path):
    done = subprocess.run([sys.executable, "-m", "labtui", "serve", "--class-dir", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "the roster in" in done.stderr and "--open" in done.stderr
    done = subprocess.run([sys.executable, "-m", "labtui", "serve", "--idle-timeout", "soon"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not a duration" in done.stderr


def test_a_sessions_progress_cannot_reshape_the_dashboard():
    from labtui.serve.server import StudentState

    state = StudentState("alice", connected=True, address="10.0.0.5")
    state.record({"where": "lab", "lab": "windows-image", "name": "mallory", "connected": False,
                  "step_title": "x" * 5000, "evil": {"nested": True}, "hints": 2})
    view = state.view()
    assert view["name"] == "alice" and view["connected"] is True and view["address"] == "10.0.0.5"
    assert "evil" not in view and len(view["step_title"]) == 120 and view["hints"] == 2


def test_results_leave_instructors_out_and_name_students_who_have_not_started(tmp_path):
    roster = Roster.load(tmp_path)
    roster.add("teacher", role="instructor", password="secret-2")
    roster.add("zoe", password="secret-3")
    roster.save()
    _saved_progress(tmp_path, "teacher", "windows-image", score=10)
    _saved_progress(tmp_path, "alice", "windows-image", score_now=42)
    rows = list(__import__("csv").DictReader(io.StringIO(results.render(tmp_path, "csv"))))
    assert [(r["student"], r["lab"], r["status"], r["score"]) for r in rows] == [
        ("alice", "windows-image", "in progress", "42"), ("zoe", "", "not started", "")]


def test_a_teachers_mistakes_get_one_clear_line(tmp_path, capsys):
    missing = tmp_path / "no-such-class"
    for argv in (["serve", "results", "--class-dir", str(missing)], ["serve", "roster", "list", "--class-dir",
                                                                      str(missing)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "there is no class directory" in err and f"--class-dir {missing}" in err
    key = asyncssh.generate_private_key("ssh-ed25519").export_private_key().decode()
    with pytest.raises(RosterError, match="private key"):
        Roster.load(tmp_path).add("bob", key=key)
    for bad in (["--port", "99999"], ["--max-sessions", "0"]):
        done = subprocess.run([sys.executable, "-m", "labtui", "serve", *bad], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 2 and "Traceback" not in done.stderr


def test_durations_are_spoken_as_a_teacher_would():
    from labtui.cli.serve import _duration
    from labtui.serve.server import spoken_duration

    assert _duration("30") == 1800 and _duration("90s") == 90 and _duration("1h") == 3600
    assert [spoken_duration(s) for s in (1800, 60, 90, 2, 7200)] == [
        "30 minutes", "1 minute", "90 seconds", "2 seconds", "2 hours"]


def test_the_dashboard_marks_a_student_stuck_only_when_it_means_something():
    from labtui.serve.dashboard import STUCK_AFTER, is_stuck, row_of

    now = 10_000.0
    long_ago = now - STUCK_AFTER - 1
    stuck = {"name": "alice", "connected": True, "where": "lab", "status": "in progress", "step_since": long_ago}
    assert is_stuck(stuck, now) and "stuck" in row_of(stuck, now)[7].plain
    assert not is_stuck({**stuck, "connected": False}, now)
    assert not is_stuck({**stuck, "status": "completed"}, now)
    assert not is_stuck({**stuck, "step_since": now - 60}, now)
