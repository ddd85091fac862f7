"""A lab as data: what `loader.load_lab` builds from a TOML file and the runner follows.

Checks are trees of clauses. Leaves look at the World (`ResourceMatch`) or at events
(`CommandMatch`, `OperationMatch`); `AllOf`, `AnyOf` and `NotOf` combine them. Every clause
carries ``key``, its path inside the lab file, which the runner uses to remember event leaves
that have been met and which error messages show.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Union

import attrs

FORMAT_VERSION = 1
DIFFICULTIES = ("beginner", "intermediate", "advanced")
MODES = ("guided", "explore")
OUTCOMES = ("succeeded", "failed", "any")
OPERATION_OUTCOMES = ("accepted", "succeeded", "failed", "any")


@attrs.frozen
class Condition:
    """One field test in a resource matcher's ``where``: ``op`` is eq, not, in, min, max, contains or exists."""

    op: str
    value: Any


@attrs.frozen
class ResourceMatch:
    key: str
    kind: str
    name: str | None = None
    group: str | None = None
    where: tuple[tuple[str, Condition], ...] = ()
    count: int | None = None
    min: int | None = None
    max: int | None = None
    distinct: tuple[str, ...] = ()
    describe: str | None = None


@attrs.frozen
class CommandMatch:
    """A command the student ran: an az command (``command`` words) or a guest console line (``guest`` regex)."""

    key: str
    source: str                                  # "az" | "guest"
    words: tuple[str, ...] = ()                  # az: "vm deallocate" -> ("vm", "deallocate")
    pattern: re.Pattern | None = None            # the whole line (az) or the guest line
    vm: str | None = None                        # guest: the VM's name
    target: str | None = None                    # az: the name given by -n/--name/--vm-name or --ids
    outcome: str = "succeeded"
    error: str | None = None
    describe: str | None = None


@attrs.frozen
class OperationMatch:
    key: str
    operation: str                               # "vm.generalize"; "vm.*" matches every VM operation
    outcome: str = "succeeded"
    error: str | None = None
    target: str | None = None                    # the resource's name
    describe: str | None = None


@attrs.frozen
class AllOf:
    key: str
    items: tuple["Clause", ...]
    describe: str | None = None


@attrs.frozen
class AnyOf:
    key: str
    items: tuple["Clause", ...]
    describe: str | None = None


@attrs.frozen
class NotOf:
    key: str
    item: "Clause"
    describe: str | None = None


Clause = Union[ResourceMatch, CommandMatch, OperationMatch, AllOf, AnyOf, NotOf]
EventClause = Union[CommandMatch, OperationMatch]


@attrs.frozen
class Step:
    id: str
    title: str
    instructions: str
    check: Clause
    hints: tuple[str, ...] = ()
    explanation: str = ""
    solution: tuple[str, ...] = ()
    optional: bool = False


@attrs.frozen
class Trap:
    id: str
    title: str
    when: Clause
    feedback: str
    during: tuple[str, ...] = ()                 # step ids; empty: the whole lab
    once: bool = False                           # fire only the first time (one mistake, many events)


@attrs.frozen
class Choice:
    text: str
    correct: bool = False
    explanation: str = ""


@attrs.frozen
class Question:
    question: str
    choices: tuple[Choice, ...]

    @property
    def answer(self) -> int:
        return next(index for index, choice in enumerate(self.choices) if choice.correct)


@attrs.frozen
class SetupAction:
    """One entry of ``[[setup]]``: ``verb`` is create, guest, vm, attach, delete or wait."""

    verb: str
    kind: str                                    # what is created or deleted, or the VM action
    fields: dict[str, Any]
    index: int                                   # position in [[setup]], for messages


@attrs.frozen
class Lab:
    id: str
    title: str
    summary: str
    objective: str
    difficulty: str
    minutes: int
    steps: tuple[Step, ...]
    setup: tuple[SetupAction, ...] = ()
    traps: tuple[Trap, ...] = ()
    quiz: tuple[Question, ...] = ()
    mode: str = "guided"
    format: int = FORMAT_VERSION
    path: Path | None = None
    seed: int = 0

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    @property
    def required_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.optional)
