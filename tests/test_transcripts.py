"""Transcript tests: whole az workflows, written the way a student follows Microsoft's docs.

Each ``tests/transcripts/NAME.az`` is a script for ``labtui shell``; ``NAME.out`` beside it is the
combined stdout and stderr that ``labtui shell --echo --seed 7`` must print for it: every line
echoed as ``$ line``, then what it printed. The expected output is what real ``az``/Azure would
print (checked against shared/azure-reference.md), not whatever labtui happens to print today, so a
failing transcript is either a labtui bug or a reference fact that changed. Lines starting with
``#`` in a ``.az`` file are comments.

The scripts run in-process, in a fresh ``World(seed=7)``, with one buffer for both streams, so
warnings and errors interleave with results exactly as on a terminal.

On a mismatch the test prints a unified diff (expected ``.out`` against labtui's actual output).

To rewrite the ``.out`` files from labtui's current output (for a new transcript, or after a
deliberate change), run::

    LABTUI_UPDATE_TRANSCRIPTS=1 .venv/bin/python -m pytest tests/test_transcripts.py

then review the diff line by line against the reference before keeping it: an updated ``.out``
records labtui's behaviour, which is only right where labtui matches Azure.
"""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

import pytest

from labtui.az.shell import ShellSession
from labtui.engine.world import World

TRANSCRIPTS = Path(__file__).parent / "transcripts"
SEED = 7
UPDATE = os.environ.get("LABTUI_UPDATE_TRANSCRIPTS") == "1"


def run_transcript(script: Path) -> str:
    """What ``labtui shell --echo --seed 7 < script`` prints, stdout and stderr interleaved."""
    buffer = io.StringIO()
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    ShellSession(World(seed=SEED), buffer, buffer, echo=True).run_lines(lines)
    return buffer.getvalue()


SCRIPTS = sorted(TRANSCRIPTS.glob("*.az"))


def test_every_script_has_expected_output():
    assert SCRIPTS, f"no transcripts in {TRANSCRIPTS}"
    if UPDATE:
        return
    missing = [s.name for s in SCRIPTS if not s.with_suffix(".out").exists()]
    assert not missing, f"no .out for {missing}; run with LABTUI_UPDATE_TRANSCRIPTS=1 to create them"
    orphans = [o.name for o in TRANSCRIPTS.glob("*.out") if not o.with_suffix(".az").exists()]
    assert not orphans, f".out files without a script: {orphans}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_transcript(script: Path):
    actual = run_transcript(script)
    expected_path = script.with_suffix(".out")
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(f"{expected_path.name} is missing; run with LABTUI_UPDATE_TRANSCRIPTS=1 to create it")
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"{expected_path.name} (expected: real az)", tofile=f"{script.name} (labtui)"))
        pytest.fail(f"transcript {script.name} differs from {expected_path.name}:\n{diff}", pytrace=False)
