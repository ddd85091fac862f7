"""Every shipped lab: it validates, its solution completes it with no trap, every trap has a script
that fires exactly that trap, wrong orders complete nothing early, and other correct routes pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from labtui.cli.labs import validate_lab
from labtui.lab import library

from lab_play import SCRIPTS, expectation, play, script_lines, solution_lines

LABS, PROBLEMS = library.load_library()
BY_ID = {lab.id: lab for lab in LABS}
SCRIPT_FILES = sorted(SCRIPTS.glob("*/*.sh"))


def test_every_shipped_lab_loads():
    assert PROBLEMS == []
    assert len(LABS) >= 1
    assert len({lab.id for lab in LABS}) == len(LABS)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.id)
def test_lab_validates_with_its_setup(lab):
    assert validate_lab(lab, Path(lab.path).read_text(), str(lab.path)) == []


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.id)
def test_solution_completes_every_step_in_order_with_no_trap(lab):
    played = play(lab, solution_lines(lab))
    assert played.traps == []
    assert played.steps == [step.id for step in lab.steps]
    assert played.completed
    assert not any(e["skipped"] for e in played.of("step_completed"))
    assert played.of("lab_completed")[0]["score"]["points"] == 100


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.id)
def test_every_trap_has_a_script_and_each_step_a_solution(lab):
    scripts = {path.stem for path in (SCRIPTS / lab.id).glob("*.sh")}
    missing = [trap.id for trap in lab.traps if f"trap-{trap.id}" not in scripts]
    assert missing == [], f"traps with no tests/labs/{lab.id}/trap-<id>.sh"
    assert lab.traps, "every lab teaches at least one mistake"
    assert "wrong-order" in scripts, f"tests/labs/{lab.id}/wrong-order.sh is missing"
    assert any(name.startswith("alt-") for name in scripts), "another correct route (alt-*.sh) is tested"
    assert all(step.solution for step in lab.steps)


@pytest.mark.parametrize("script", SCRIPT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_script_meets_its_expectation(script):
    lab = BY_ID.get(script.parent.name)
    assert lab is not None, f"{script.parent.name} is not a shipped lab id"
    expected = expectation(script)
    played = play(lab, script_lines(lab, script))
    if expected.steps is not None:
        assert played.steps == list(expected.steps)
    if expected.traps is not None:
        assert played.traps == list(expected.traps)
    if script.stem.startswith("trap-"):
        assert set(played.traps) == {script.stem[5:]}, "a trap script fires exactly its trap"
    if script.stem.startswith("alt-"):
        assert expected.complete and played.traps == [], "another correct route completes with no trap"
    assert played.completed == expected.complete
    # A step never completes before the ones ahead of it (guided labs).
    if lab.mode == "guided":
        order = [step.id for step in lab.steps]
        indexes = [order.index(step) for step in played.steps]
        assert indexes == sorted(indexes)
