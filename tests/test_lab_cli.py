"""The lab commands end to end: list, shell --lab (fresh and saved), lab answers, author."""

from __future__ import annotations

import io
import json
import sys

from labtui.cli import main
from labtui.lab import library
from labtui.lab.loader import load_lab

from lab_play import play, solution_lines

WINDOWS = library.find_lab("windows-image")


def run(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_list_shows_every_shipped_lab_not_started(monkeypatch, capsys, tmp_path):
    status, out, _ = run(monkeypatch, capsys, ["--data-dir", str(tmp_path), "list", "--json"])
    rows = json.loads(out)
    assert status == 0 and [r["id"] for r in rows] == [lab.id for lab in library.load_library()[0]]
    row = next(r for r in rows if r["id"] == "windows-image")
    assert (row["objective"], row["difficulty"], row["minutes"], row["status"]) == ("AZ-104 3.1", "intermediate",
                                                                                   30, "not started")
    status, out, _ = run(monkeypatch, capsys, ["--data-dir", str(tmp_path), "list"])
    assert "windows-image" in out and "Capture a generalized Windows image" in out and "not started" in out


def test_shell_lab_saves_progress_resumes_and_lists_it(monkeypatch, capsys, tmp_path):
    lines = solution_lines(WINDOWS)
    first, rest = lines[:3], lines[3:]
    argv = ["--data-dir", str(tmp_path), "shell", "--lab", "windows-image", "--json"]
    status, out, _ = run(monkeypatch, capsys, argv, "\n".join(first) + "\nlab hint\n")
    assert status == 1                                    # not complete yet
    assert [e["step"] for e in events(out) if e["event"] == "step_completed"] == ["create-source", "install-iis"]
    _, out, _ = run(monkeypatch, capsys, ["--data-dir", str(tmp_path), "list", "--json"])
    row = next(r for r in json.loads(out) if r["id"] == "windows-image")
    assert (row["status"], row["steps_done"]) == ("in progress", 2)
    status, out, _ = run(monkeypatch, capsys, argv, "\n".join(rest) + "\n")
    done = [e["step"] for e in events(out) if e["event"] == "step_completed"]
    assert status == 0 and done == [s.id for s in WINDOWS.steps][2:]
    [completed] = [e for e in events(out) if e["event"] == "lab_completed"]
    assert completed["score"]["points"] == 95 and completed["score"]["hints"] == 1
    _, out, _ = run(monkeypatch, capsys, ["--data-dir", str(tmp_path), "list"])
    assert "completed, score 95" in out


def test_shell_lab_text_shows_steps_traps_and_the_score(monkeypatch, capsys):
    script = "az vm generalize -g rg-images -n vm-golden\nlab skip\nlab status\n"
    status, out, err = run(monkeypatch, capsys, ["shell", "--lab", "windows-image"], script)
    assert status == 1
    assert "→ Step 1/8: Create the source VM" in out
    assert "✓ Step 1/8 skipped: Create the source VM" in out
    assert "$ az vm create -g rg-images -n vm-golden" in out            # the solution is shown as it runs
    assert "Step 2: Install IIS in the guest: still needs" in out
    assert "ERROR: (ResourceNotFound)" in err


def test_unknown_lab_and_bad_lab_builtins(monkeypatch, capsys):
    status, _, err = run(monkeypatch, capsys, ["shell", "--lab", "no-such-lab"])
    assert status == 2 and "no lab with the id 'no-such-lab'. The labs are: " in err
    status, _, err = run(monkeypatch, capsys, ["shell", "--lab", "windows-image"], "lab fly\nlab answer z\n")
    assert "lab fly: unknown" in err and "give one letter per question (3 questions)" in err


def test_quiz_answers_are_scored_with_explanations(monkeypatch, capsys):
    status, out, _ = run(monkeypatch, capsys, ["shell", "--lab", "windows-image"], "lab quiz\nlab answer b a b\n")
    assert "1. Sysprep ran with /shutdown" in out and "   b) Compute and disks" in out
    assert "2. ✗ (the answer is b) Sysprep runs inside the guest" in out and "Quiz: 2/3 (67%): passed" in out


def test_author_records_a_draft_that_validates_and_replays(monkeypatch, capsys, tmp_path):
    script = """az group create -n rg-draft -l eastus -o none
az vm create -g rg-draft -n vm1 --image Ubuntu2204 --security-type Standard --generate-ssh-keys -o none
guest -g rg-draft -n vm1 sudo apt-get install -y nginx
OSDISK=$(az vm show -g rg-draft -n vm1 --query storageProfile.osDisk.name -o tsv)
az snapshot create -g rg-draft -n snap1 --source $OSDISK --incremental true -o none
az vm deallocate -g rg-draft -n vm1
"""
    draft = tmp_path / "my-draft.toml"
    status, _, err = run(monkeypatch, capsys, ["author", "--out", str(draft), "--title", "Draft"], script)
    assert status == 0 and "wrote the draft lab" in err
    text = draft.read_text()
    assert 'id = "my-draft"' in text and "TODO" in text
    status, out, _ = run(monkeypatch, capsys, ["validate", str(draft)])
    assert status == 0, out
    lab = load_lab(draft)
    assert [s.id for s in lab.steps] == ["group-create", "vm-create", "guest-sudo-apt-get-install-y-nginx",
                                         "snapshot-create", "vm-deallocate"]
    snapshot_step = lab.step("snapshot-create")
    assert snapshot_step.solution[0].startswith("OSDISK=$(az vm show")
    played = play(lab, solution_lines(lab))
    assert played.completed and played.traps == []


def test_author_from_a_lab_keeps_its_setup(monkeypatch, capsys, tmp_path):
    draft = tmp_path / "from.toml"
    status, out, _ = run(monkeypatch, capsys, ["author", "--out", str(draft), "--from", "windows-image", "--json"],
                         "az disk create -g rg-images -n d1 --size-gb 8\n")          # prints JSON to stderr
    assert status == 0 and json.loads(out) == {"file": str(draft), "id": "from", "steps": ["disk-create"]}
    lab = load_lab(draft)
    assert [a.kind for a in lab.setup] == [a.kind for a in WINDOWS.setup]
    assert lab.steps[0].check.kind == "disk" and dict(lab.steps[0].check.where)["sku"].value == "Premium_LRS"
