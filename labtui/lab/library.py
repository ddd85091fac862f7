"""The shipped labs (``scenarios/*.toml``) and the student's progress through them.

Each lab a student opens lives in its own sandbox directory, ``<data dir>/labs/<lab id>/``: the
world with the runner's progress in its annex, and ``progress.json``, a small summary the host
writes beside it so that listing the labs never has to load a world.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..engine.persist import write_atomic
from .loader import LabInvalid, Problem, load_lab
from .model import Lab

SUMMARY_FILE = "progress.json"


def scenarios_dir() -> Path:
    """Where the shipped labs are: $LABTUI_SCENARIOS, else ``scenarios/`` beside the package."""
    override = os.environ.get("LABTUI_SCENARIOS")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent.parent / "scenarios"       # inside a wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "scenarios"     # a source checkout


def lab_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or scenarios_dir()).glob("*.toml"))


def load_library(directory: Path | None = None) -> tuple[list[Lab], list[Problem]]:
    """Every lab that loads, in file order, and the problems of those that do not."""
    labs: list[Lab] = []
    problems: list[Problem] = []
    for path in lab_files(directory):
        try:
            labs.append(load_lab(path))
        except LabInvalid as invalid:
            problems.extend(invalid.problems)
    return labs, problems


class UnknownLab(Exception):
    pass


def find_lab(name: str, directory: Path | None = None) -> Lab:
    """A shipped lab by id, or any lab file by path. Raises `UnknownLab` or `LabInvalid`."""
    candidate = Path(name)
    if name.endswith(".toml") or candidate.is_file():
        if not candidate.is_file():
            raise UnknownLab(f"no lab file '{name}'")
        return load_lab(candidate)
    labs, _problems = load_library(directory)
    for lab in labs:
        if lab.id == name:
            return lab
    known = ", ".join(lab.id for lab in labs)
    raise UnknownLab(f"no lab with the id '{name}'. The labs are: {known}")


def lab_dir(data_dir: Path, lab_id: str) -> Path:
    return data_dir / "labs" / lab_id


def write_summary(directory: Path, summary: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    write_atomic(directory / SUMMARY_FILE, json.dumps(summary, indent=1).encode())


def read_summary(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((directory / SUMMARY_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
