"""Playing lines against a lab in-process, as `labtui shell --lab ID --json` does, for the lab tests."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import attrs

from labtui.host.lab_host import LabHost
from labtui.lab.model import Lab
from labtui.lab.setup import build_world

SCRIPTS = Path(__file__).parent / "labs"
EXPECT = re.compile(r"^#\s*expect:\s*(.*)$")


@attrs.frozen
class Played:
    events: list[dict]
    host: LabHost

    @property
    def steps(self) -> list[str]:
        return [e["step"] for e in self.events if e["event"] == "step_completed"]

    @property
    def traps(self) -> list[str]:
        return [e["trap"] for e in self.events if e["event"] == "trap"]

    @property
    def completed(self) -> bool:
        return any(e["event"] == "lab_completed" for e in self.events)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e["event"] == kind]


def play(lab: Lab, lines: list[str] | str, *, seed: int | None = None) -> Played:
    if isinstance(lines, str):
        lines = lines.splitlines()
    out, err = io.StringIO(), io.StringIO()
    host = LabHost(lab, build_world(lab, seed=seed, speed=0), out, err, as_json=True, seed=seed)
    host.start()
    host.session.run_lines(lines)
    events = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return Played(events, host)


def solution_lines(lab: Lab) -> list[str]:
    return [line for step in lab.steps for line in step.solution]


@attrs.frozen
class Expectation:
    steps: tuple[str, ...] | None
    traps: tuple[str, ...] | None
    complete: bool
    after: str | None = None         # play the solutions of the steps up to this one first


def script_lines(lab: Lab, script: Path) -> list[str]:
    """The script's lines, after the solutions its `after=` names (so scripts need not repeat them)."""
    expected = expectation(script)
    prefix: list[str] = []
    if expected.after is not None:
        ids = [step.id for step in lab.steps]
        if expected.after not in ids:
            raise ValueError(f"{script}: after={expected.after} is not a step of {lab.id}")
        for step in lab.steps[:ids.index(expected.after) + 1]:
            prefix.extend(step.solution)
    return prefix + script.read_text().splitlines()


def expectation(script: Path) -> Expectation:
    """The `# expect: steps=a,b traps=x complete` line at the top of a lab test script."""
    for line in script.read_text().splitlines():
        match = EXPECT.match(line.strip())
        if match:
            steps = traps = after = None
            complete = False
            for word in match.group(1).split():
                if word == "complete":
                    complete = True
                elif word.startswith("steps="):
                    steps = tuple(filter(None, word[6:].split(",")))
                elif word.startswith("traps="):
                    traps = tuple(filter(None, word[6:].split(",")))
                elif word.startswith("after="):
                    after = word[6:]
                else:
                    raise ValueError(f"{script}: unknown expectation '{word}'")
            return Expectation(steps, traps, complete, after)
    raise ValueError(f"{script}: no '# expect:' line")
