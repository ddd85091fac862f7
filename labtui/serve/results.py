"""`labtui serve results`: every student's labs, as the instructor takes them away (CSV or JSON).

Read from what the sessions saved (each lab's summary), so it works with the server stopped."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..lab import library
from . import classdir
from .roster import Roster

CSV_COLUMNS = ("student", "lab", "status", "steps_done", "steps", "skipped", "hints", "traps", "score",
               "quiz_correct", "quiz_total", "minutes", "simulated_minutes")


def collect(class_dir: Path) -> list[dict[str, Any]]:
    """One record per student and lab they opened, in name and lab order; a student on the roster
    who opened none has one record that says so. Instructors (their demos) are not students."""
    roster = Roster.load(class_dir)
    instructors = {name for name, member in roster.members.items() if member.instructor}
    names = (set(classdir.students(class_dir)) | set(roster.members)) - instructors
    records = []
    for name in sorted(names):
        labs = classdir.student_dir(class_dir, name) / "labs"
        found = [summary for summary_dir in (sorted(p for p in labs.glob("*") if p.is_dir()) if labs.is_dir() else ())
                 if (summary := library.read_summary(summary_dir)) is not None]
        records += [{"student": name, **summary} for summary in found] or [{"student": name, "lab": None,
                                                                             "status": "not started"}]
    return records


def _row(record: dict[str, Any]) -> dict[str, Any]:
    quiz = record.get("quiz") or {}
    done = record.get("done") or []
    return {"student": record["student"], "lab": record.get("lab"), "status": record.get("status"),
            "steps_done": record.get("steps_done"), "steps": record.get("steps"),
            "skipped": sum(1 for entry in done if entry.get("skipped")), "hints": record.get("hints"),
            "traps": record.get("traps"),
            "score": record.get("score") if record.get("score") is not None else record.get("score_now"),
            "quiz_correct": quiz.get("correct"), "quiz_total": quiz.get("total"),
            "minutes": _minutes(record.get("real_seconds")),
            "simulated_minutes": _minutes(record.get("simulated_seconds"))}


def _minutes(seconds: Any) -> float | None:
    return round(seconds / 60, 1) if isinstance(seconds, (int, float)) else None


def render(class_dir: Path, fmt: str) -> str:
    records = collect(class_dir)
    if fmt == "json":
        return json.dumps(records, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(_row(record))
    return out.getvalue()
