"""The live lab: follows the World's events, checks the active step, fires traps, keeps the score.

The runner never polls and never changes the World itself. After each event it remembers which
event clauses of the active step(s) the event met, checks the traps, then checks the active step
against the World as it is now; a step that passes hands over to the next, which is checked at
once (its event clauses only count events from then on). Progress lives in ``world.annex["lab"]``
as plain data, so it is saved with the world and resumes exactly where it stopped.

A host (the shell, the TUI) creates the runner with a ``notify`` callback for `Notice`s and,
to let the student skip a step, ``run_commands``: a function that runs command lines the way the
host runs the student's own.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Union

import attrs

from ..engine.events import AnnexChanged, CommandRun, Event, OperationAccepted, OperationFailed, OperationSucceeded
from .checks import event_leaves, event_matches, holds, unmet
from .model import Clause, EventClause, Lab, Question, Step, Trap

if TYPE_CHECKING:
    from ..engine.world import World

ANNEX_KEY = "lab"
HINT_COST = 5
TRAP_COST = 10
QUIZ_PASS_PERCENT = 60


@attrs.frozen
class Score:
    """See docs/authoring-labs.md#scoring: 100 × (required steps done without skipping) / (required
    steps), minus 5 per hint and 10 per trap, kept within 0..100."""

    points: int
    steps_done: int
    steps_skipped: int
    steps_required: int
    hints: int
    traps: int
    simulated_seconds: float
    real_seconds: float

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class StepCompleted:
    step: Step
    index: int
    skipped: bool
    at: float                                    # simulated seconds since the lab started


@attrs.frozen
class TrapHit:
    trap: Trap
    step_id: str | None
    at: float


@attrs.frozen
class LabCompleted:
    score: Score


@attrs.frozen
class QuizResult:
    correct: int
    total: int
    passed: bool
    answers: tuple[int, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 100


Notice = Union[StepCompleted, TrapHit, LabCompleted]


class SkipFailed(Exception):
    """The step's solution ran but the step still does not pass (the world has moved elsewhere)."""


def fresh_progress(lab: Lab, world: "World") -> dict[str, Any]:
    return {"lab": lab.id, "format": lab.format, "started_at": world.now, "active": 0, "done": {},
            "passed_over": [], "met": {}, "hints": {}, "traps": [], "trap_states": {}, "transcript": [],
            "real_seconds": 0.0, "completed_at": None, "score": None, "quiz": None}


class LabRunner:
    def __init__(self, lab: Lab, world: "World", *, notify: Callable[[Notice], None] | None = None,
                 run_commands: Callable[[list[str]], int] | None = None,
                 real_clock: Callable[[], float] = time.monotonic):
        self.lab = lab
        self.world = world
        self.notify = notify
        self.run_commands = run_commands
        self.real_clock = real_clock
        self._real_mark = real_clock()
        saved = world.annex.get(ANNEX_KEY)
        if not (isinstance(saved, dict) and saved.get("lab") == lab.id):
            saved = fresh_progress(lab, world)
            world.annex[ANNEX_KEY] = saved
            world.annex_changed(ANNEX_KEY)
        self.progress: dict[str, Any] = saved
        self.progress["active"] = min(self.progress["active"], len(lab.steps))
        self._skipping: str | None = None
        self._event_traps = [t for t in lab.traps if any(True for _ in event_leaves(t.when))]
        self._state_traps = [t for t in lab.traps if not any(True for _ in event_leaves(t.when))]
        self._unsubscribe = world.subscribe(self._on_event)
        self._advance()

    def detach(self) -> None:
        """Stop following the world (before the host drops it or builds a fresh one for a reset)."""
        self.sync_time()
        self._unsubscribe()

    # --- what the host reads -------------------------------------------------------------------
    @property
    def completed(self) -> bool:
        return self.progress["completed_at"] is not None

    @property
    def active_steps(self) -> list[Step]:
        if self.completed:
            return []
        if self.lab.mode == "explore":
            return [s for s in self.lab.steps if s.id not in self.progress["done"]]
        # The current step, and while it is optional the steps after it up to the next required one:
        # the student may pass an optional step by.
        active = []
        for step in self.lab.steps[self.progress["active"]:]:
            active.append(step)
            if not step.optional:
                break
        return active

    @property
    def current_step(self) -> Step | None:
        active = self.active_steps
        return active[0] if active else None

    def is_done(self, step: Step) -> bool:
        return step.id in self.progress["done"]

    def was_skipped(self, step: Step) -> bool:
        return bool(self.progress["done"].get(step.id, {}).get("skipped"))

    def unmet(self, step: Step | None = None) -> list[str]:
        """The clauses of ``step`` (default: the current one) that are not met yet, in words."""
        step = step or self.current_step
        if step is None:
            return []
        return unmet(step.check, self.world, self._met_for(step))

    def hints_shown(self, step: Step) -> list[str]:
        return list(step.hints[:self.progress["hints"].get(step.id, 0)])

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the lab started (until it completed)."""
        end = self.progress["completed_at"]
        return (self.world.now if end is None else end) - self.progress["started_at"]

    def transcript(self, include_skipped: bool = True) -> list[dict[str, Any]]:
        return [entry for entry in self.progress["transcript"] if include_skipped or not entry.get("skipped")]

    def score(self) -> Score:
        self.sync_time()
        required = self.lab.required_steps
        done = [s for s in required if self.is_done(s) and not self.was_skipped(s)]
        skipped = [s for s in self.lab.steps if self.was_skipped(s)]
        hints = sum(self.progress["hints"].values())
        traps = len(self.progress["traps"])
        base = 100 * len(done) / len(required) if required else 100
        points = max(0, min(100, round(base - HINT_COST * hints - TRAP_COST * traps)))
        return Score(points=points, steps_done=len(done), steps_skipped=len(skipped), steps_required=len(required),
                     hints=hints, traps=traps, simulated_seconds=self.elapsed,
                     real_seconds=round(self.progress["real_seconds"], 1))

    def summary(self) -> dict[str, Any]:
        """A small record for the lab list: where the student is and how it went."""
        current = self.current_step
        score = self.progress["score"]
        return {"lab": self.lab.id, "status": "completed" if self.completed else "in progress",
                "steps_done": len(self.progress["done"]), "steps": len(self.lab.steps),
                "current_step": current.id if current else None, "score": score,
                "hints": sum(self.progress["hints"].values()), "traps": len(self.progress["traps"]),
                "quiz": self.progress["quiz"],
                "done": [{"step": step_id, "at": round(done["at"]), "skipped": bool(done.get("skipped"))}
                         for step_id, done in self.progress["done"].items()],
                "trap_ids": [hit["id"] for hit in self.progress["traps"]],
                "real_seconds": round(self.progress["real_seconds"], 1), "simulated_seconds": round(self.elapsed),
                "score_now": self.score().points}

    # --- what the student asks for ------------------------------------------------------------
    def hint(self, step: Step | None = None) -> str | None:
        """Reveal the next hint of ``step`` (default: the current one); None when none is left."""
        step = step or self.current_step
        if step is None:
            return None
        shown = self.progress["hints"].get(step.id, 0)
        if shown >= len(step.hints):
            return None
        self.progress["hints"][step.id] = shown + 1
        self.world.annex_changed(ANNEX_KEY)
        return step.hints[shown]

    def skip(self, step: Step | None = None) -> None:
        """Run the step's solution through the host (the step counts as skipped)."""
        step = step or self.current_step
        if step is None:
            raise SkipFailed("there is no step left to skip")
        if self.run_commands is None:
            raise SkipFailed("this host cannot run a solution")
        if self.lab.mode == "guided" and step is not self.current_step:
            raise SkipFailed("steps complete in order: only the current step can be skipped")
        self._skipping = step.id
        try:
            self.run_commands(list(step.solution))
            self.world.run_until_idle()
        finally:
            self._skipping = None
        if not self.is_done(step):
            reasons = "; ".join(self.unmet(step)) or "its check does not pass"
            raise SkipFailed(f"the solution ran but step '{step.id}' is still not met: {reasons}")

    def answer_quiz(self, answers: list[int]) -> QuizResult:
        questions: tuple[Question, ...] = self.lab.quiz
        correct = sum(1 for q, a in zip(questions, answers) if a == q.answer)
        total = len(questions)
        result = QuizResult(correct=correct, total=total,
                            passed=total == 0 or 100 * correct / total >= QUIZ_PASS_PERCENT,
                            answers=tuple(answers))
        self.progress["quiz"] = {"answers": list(answers), "correct": correct, "total": total,
                                 "passed": result.passed}
        self.world.annex_changed(ANNEX_KEY)
        return result

    def sync_time(self) -> None:
        now = self.real_clock()
        if not self.completed:
            self.progress["real_seconds"] += max(0.0, now - self._real_mark)
        self._real_mark = now

    # --- following the world -------------------------------------------------------------------
    def _met_for(self, step: Step) -> Callable[[EventClause], bool]:
        met = set(self.progress["met"].get(step.id, ()))
        return lambda leaf: leaf.key in met

    def _on_event(self, event: Event) -> None:
        if isinstance(event, AnnexChanged):
            return      # the runner's own bookkeeping (or az's): nothing in the cloud moved
        at = event.time - self.progress["started_at"]
        if isinstance(event, CommandRun):
            # Recorded even once the lab is complete: the command that completed it reports after its
            # operation did.
            entry = {"at": at, "source": event.source, "line": event.line, "exit_status": event.exit_status,
                     "error_code": event.error_code}
            if event.target:
                entry["vm"] = event.target.rsplit("/", 1)[-1]
            if self._skipping:
                entry["skipped"] = True
            self.progress["transcript"].append(entry)
        if self.completed:
            return
        if isinstance(event, (CommandRun, OperationAccepted, OperationSucceeded, OperationFailed)):
            for step in self.active_steps:
                for leaf in event_leaves(step.check):
                    if event_matches(leaf, event):
                        met = self.progress["met"].setdefault(step.id, [])
                        if leaf.key not in met:
                            met.append(leaf.key)
            if not self._skipping:
                self._event_trap_check(event, at)
        if not self._skipping:
            self._state_trap_check(at)
        self._advance()

    def _trap_applies(self, trap: Trap) -> bool:
        if not trap.during:
            return True
        return any(step.id in trap.during for step in self.active_steps)

    def _event_trap_check(self, event: Event, at: float) -> None:
        for trap in self._event_traps:
            if self._trap_applies(trap) and holds(trap.when, self.world, lambda leaf: event_matches(leaf, event)):
                self._fire(trap, at)

    def _state_trap_check(self, at: float) -> None:
        states = self.progress["trap_states"]
        for trap in self._state_traps:
            if not self._trap_applies(trap):
                states.pop(trap.id, None)
                continue
            now = holds(trap.when, self.world, _never)
            if now and not states.get(trap.id, False):
                self._fire(trap, at)
            states[trap.id] = now

    def _fire(self, trap: Trap, at: float) -> None:
        if trap.once and any(hit["id"] == trap.id for hit in self.progress["traps"]):
            return
        current = self.current_step
        self.progress["traps"].append({"id": trap.id, "step": current.id if current else None, "at": at})
        self._tell(TrapHit(trap=trap, step_id=current.id if current else None, at=at))

    def _advance(self) -> None:
        if self.completed:
            return
        if self.lab.mode == "explore":
            for step in list(self.active_steps):
                if holds(step.check, self.world, self._met_for(step)):
                    self._complete(step, self.lab.steps.index(step))
        else:
            while self.progress["active"] < len(self.lab.steps):
                index = self._next_passing(self.progress["active"])
                if index is None:
                    break
                for passed_over in self.lab.steps[self.progress["active"]:index]:
                    self.progress["passed_over"].append(passed_over.id)
                self._complete(self.lab.steps[index], index)
                self.progress["active"] = index + 1
        if all(self.is_done(step) for step in self.lab.required_steps) and \
                (self.lab.mode == "explore" or self.progress["active"] >= len(self.lab.steps)
                 or all(s.optional for s in self.lab.steps[self.progress["active"]:])):
            self.progress["active"] = len(self.lab.steps)
            self.sync_time()
            self.progress["completed_at"] = self.world.now
            score = self.score()
            self.progress["score"] = score.points
            self._tell(LabCompleted(score=score))

    def _next_passing(self, start: int) -> int | None:
        """The step at ``start`` if it passes, or a later one reached across optional steps."""
        for index in range(start, len(self.lab.steps)):
            step = self.lab.steps[index]
            if holds(step.check, self.world, self._met_for(step)):
                return index
            if not step.optional:
                return None
        return None

    def _complete(self, step: Step, index: int) -> None:
        at = self.world.now - self.progress["started_at"]
        skipped = self._skipping == step.id
        self.progress["done"][step.id] = {"at": at, "skipped": skipped}
        self.progress["met"].pop(step.id, None)
        self._tell(StepCompleted(step=step, index=index, skipped=skipped, at=at))

    def _tell(self, notice: Notice) -> None:
        if self.notify is not None:
            self.notify(notice)


def _never(leaf: Clause) -> bool:
    return False
