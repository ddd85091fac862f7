"""Reading and validating lab files: TOML text in, a `Lab` or every problem with its line out.

Validation collects every problem rather than stopping at the first, so a teacher fixes a file in
one pass. Each problem names the file, the field path (``steps[2].check.all[0].where.power_stat``)
and the line: the key's own where the TOML scanner finds it, else the line of the table holding it.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs

from ..engine.clock import parse_duration
from . import fields
from .model import (
    DIFFICULTIES, FORMAT_VERSION, MODES, OPERATION_OUTCOMES, OUTCOMES, AllOf, AnyOf, Choice, Clause,
    CommandMatch, Condition, Lab, NotOf, OperationMatch, Question, ResourceMatch, SetupAction, Step, Trap,
)
from .tomllines import Path as KeyPath
from .tomllines import key_lines, line_of, render

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CONDITION_OPS = ("not", "in", "min", "max", "contains", "exists")
LEAF_HEADS = ("resource", "command", "guest", "operation")
COMBINATORS = ("all", "any", "not")
VM_ACTIONS = ("start", "stop", "deallocate", "generalize", "restart", "delete")
DELETABLE = ("vm", "disk", "snapshot", "image")

_STR, _INT, _BOOL, _LIST, _DICT, _STRS, _INTS = "a string", "an integer", "true or false", "an array", \
    "a table", "an array of strings", "an array of integers"


def _fields(*required: str, **optional: str) -> dict[str, tuple[str, bool]]:
    spec = {name: (_STR, True) for name in required}
    spec.update({name: (kind, False) for name, kind in optional.items()})
    return spec


_COMMON = {"location": _STR, "tags": _DICT}
SETUP_CREATE: dict[str, dict[str, tuple[str, bool]]] = {
    "group": _fields("name", "location", tags=_DICT),
    "vm": _fields("name", "group", image=_STR, from_image=_STR, size=_STR, admin_username=_STR,
                  admin_password=_STR, security_type=_STR, os_disk_name=_STR, os_disk_size_gb=_INT,
                  data_disk_sizes_gb=_INTS, zone=_STR, power=_STR, **_COMMON),
    "disk": _fields("name", "group", size_gb=_INT, sku=_STR, source=_STR, zone=_STR, os_type=_STR,
                    hyper_v_generation=_STR, **_COMMON),
    "snapshot": _fields("name", "group", "source", incremental=_BOOL, sku=_STR, **_COMMON),
    "image": _fields("name", "group", "source", hyper_v_generation=_STR, os_type=_STR, **_COMMON),
    "gallery": _fields("name", "group", description=_STR, **_COMMON),
    "image-definition": _fields("name", "group", "gallery", "publisher", "offer", "sku", "os_type", os_state=_STR,
                                hyper_v_generation=_STR, security_type=_STR, end_of_life_date=_STR, **_COMMON),
    "image-version": _fields("name", "group", "gallery", "definition", "source", regions=_STRS, replica_count=_INT,
                             exclude_from_latest=_BOOL, end_of_life_date=_STR, **_COMMON),
}
SETUP_OTHER: dict[str, dict[str, tuple[str, bool]]] = {
    "guest": {"guest": (_STR, True), "group": (_STR, True), "run": (_STRS, True)},
    "vm": {"vm": (_STR, True), "group": (_STR, True), "action": (_STR, True)},
    "attach": {"attach": (_STR, True), "vm": (_STR, True), "group": (_STR, True), "lun": (_INT, False)},
    "delete": {"delete": (_STR, True), "name": (_STR, True), "group": (_STR, True)},
    "wait": {"wait": (_STR, True)},
}
TOP_LEVEL = ("format", "id", "title", "summary", "objective", "difficulty", "minutes", "mode", "seed", "setup",
             "steps", "traps", "quiz")
STEP_KEYS = ("id", "title", "instructions", "hints", "check", "explanation", "solution", "optional")
TRAP_KEYS = ("id", "title", "when", "feedback", "during", "once")


@attrs.frozen
class Problem:
    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(file)'}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "path": self.path, "line": self.line, "message": self.message}


class LabInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _type_ok(value: Any, kind: str) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _LIST:
        return isinstance(value, list)
    if kind == _DICT:
        return isinstance(value, dict)
    if kind == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == _INTS:
        return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    raise ValueError(kind)


def _type_name(value: Any) -> str:
    return {str: "a string", int: "an integer", bool: "a boolean", float: "a number", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Reader:
    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text
        self._lines: dict[KeyPath, int] | None = None
        self.problems: list[Problem] = []

    @property
    def lines(self) -> dict[KeyPath, int]:
        """Key lines, scanned only once a problem needs one (a valid file never pays for them)."""
        if self._lines is None:
            self._lines = key_lines(self.text)
        return self._lines

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.file, render(path), line_of(self.lines, path), message))

    # --- typed access ---------------------------------------------------------------------------
    def unknown_keys(self, table: dict, path: KeyPath, allowed: tuple[str, ...] | list[str], what: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(path + (key,), f"unknown key '{key}' in {what}{_suggest(key, allowed)}")

    def get(self, table: dict, path: KeyPath, key: str, kind: str, required: bool = False, default: Any = None):
        if key not in table:
            if required:
                self.problem(path + (key,), f"missing required key '{key}'")
            return default
        value = table[key]
        if not _type_ok(value, kind):
            self.problem(path + (key,), f"'{key}' must be {kind}, not {_type_name(value)}")
            return default
        return value

    def choice(self, table: dict, path: KeyPath, key: str, options: tuple[str, ...], default: str | None = None,
               required: bool = False) -> str | None:
        value = self.get(table, path, key, _STR, required, default)
        if value is not None and value not in options:
            self.problem(path + (key,), f"'{value}' is not one of {', '.join(options)}{_suggest(value, options)}")
            return default
        return value

    def table_list(self, data: dict, key: str, what: str) -> list[tuple[KeyPath, dict]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be an array of tables ([[{key}]]), not {_type_name(value)}")
            return []
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem((key, index), f"each {what} must be a table, not {_type_name(item)}")
                continue
            out.append(((key, index), item))
        return out

    # --- the lab ---------------------------------------------------------------------------------
    def lab(self, data: dict, path_hint: Path | None) -> Lab | None:
        self.unknown_keys(data, (), TOP_LEVEL, "a lab")
        version = self.get(data, (), "format", _INT, True, FORMAT_VERSION)
        if isinstance(version, int) and version > FORMAT_VERSION:
            self.problem(("format",), f"format {version} is newer than this labtui reads ({FORMAT_VERSION}); "
                         "upgrade labtui")
        lab_id = self.get(data, (), "id", _STR, True, "")
        if lab_id and not ID_PATTERN.match(lab_id):
            self.problem(("id",), f"id '{lab_id}' must be lower-case letters, digits and dashes")
        title = self.get(data, (), "title", _STR, True, "")
        summary = self.get(data, (), "summary", _STR, True, "")
        objective = self.get(data, (), "objective", _STR, True, "")
        difficulty = self.choice(data, (), "difficulty", DIFFICULTIES, required=True) or "beginner"
        minutes = self.get(data, (), "minutes", _INT, True, 0)
        if isinstance(minutes, int) and minutes <= 0 and "minutes" in data:
            self.problem(("minutes",), "'minutes' must be a positive number of minutes")
        mode = self.choice(data, (), "mode", MODES, "guided") or "guided"
        seed = self.get(data, (), "seed", _INT, False, 0)
        setup = tuple(filter(None, (self.setup_action(path, item) for path, item in
                                    self.table_list(data, "setup", "setup entry"))))
        steps = tuple(filter(None, (self.step(path, item) for path, item in self.table_list(data, "steps", "step"))))
        if "steps" in data and not steps and not self.problems:
            self.problem(("steps",), "a lab needs at least one step")
        elif "steps" not in data:
            self.problem(("steps",), "a lab needs at least one step ([[steps]])")
        self.unique([s.id for s in steps], "steps")
        step_ids = [step.id for step in steps]
        traps = tuple(filter(None, (self.trap(path, item, step_ids) for path, item in
                                    self.table_list(data, "traps", "trap"))))
        self.unique([t.id for t in traps], "traps")
        quiz = tuple(filter(None, (self.question(path, item) for path, item in
                                   self.table_list(data, "quiz", "quiz question"))))
        if self.problems:
            return None
        return Lab(id=lab_id, title=title, summary=summary, objective=objective, difficulty=difficulty,
                   minutes=minutes, steps=steps, setup=setup, traps=traps, quiz=quiz, mode=mode, format=version,
                   path=path_hint, seed=seed)

    def unique(self, ids: list[str], key: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.problem((key, index, "id"), f"id '{item}' is used twice in [[{key}]]")
            seen.add(item)

    def an_id(self, item: dict, path: KeyPath) -> str:
        value = self.get(item, path, "id", _STR, True, "")
        if value and not ID_PATTERN.match(value):
            self.problem(path + ("id",), f"id '{value}' must be lower-case letters, digits and dashes")
        return value

    def step(self, path: KeyPath, item: dict) -> Step | None:
        self.unknown_keys(item, path, STEP_KEYS, "a step")
        step_id = self.an_id(item, path)
        title = self.get(item, path, "title", _STR, True, "")
        instructions = self.get(item, path, "instructions", _STR, True, "")
        hints = tuple(self.get(item, path, "hints", _STRS, False, []))
        explanation = self.get(item, path, "explanation", _STR, False, "")
        solution = tuple(self.get(item, path, "solution", _STRS, True, []))
        if "solution" in item and not solution and isinstance(item["solution"], list):
            self.problem(path + ("solution",), "a solution needs at least one command line")
        optional = self.get(item, path, "optional", _BOOL, False, False)
        check = self.clause(item.get("check"), path + ("check",)) if "check" in item else None
        if "check" not in item:
            self.problem(path + ("check",), "missing required key 'check'")
        if check is None:
            return None
        return Step(id=step_id, title=title, instructions=instructions, check=check, hints=hints,
                    explanation=explanation, solution=solution, optional=optional)

    def trap(self, path: KeyPath, item: dict, step_ids: list[str]) -> Trap | None:
        self.unknown_keys(item, path, TRAP_KEYS, "a trap")
        trap_id = self.an_id(item, path)
        title = self.get(item, path, "title", _STR, True, "")
        feedback = self.get(item, path, "feedback", _STR, True, "")
        during = tuple(self.get(item, path, "during", _STRS, False, []))
        for index, step_id in enumerate(during):
            if step_id not in step_ids:
                self.problem(path + ("during", index), f"no step has the id '{step_id}'{_suggest(step_id, step_ids)}")
        if "when" not in item:
            self.problem(path + ("when",), "missing required key 'when'")
            return None
        when = self.clause(item["when"], path + ("when",))
        if when is None:
            return None
        return Trap(id=trap_id, title=title, when=when, feedback=feedback, during=during,
                    once=self.get(item, path, "once", _BOOL, False, False))

    def question(self, path: KeyPath, item: dict) -> Question | None:
        self.unknown_keys(item, path, ("question", "choices"), "a quiz question")
        text = self.get(item, path, "question", _STR, True, "")
        choices = []
        for choice_path, choice in self.table_list_at(item, path, "choices", "choice"):
            self.unknown_keys(choice, choice_path, ("text", "correct", "explanation"), "a choice")
            choices.append(Choice(text=self.get(choice, choice_path, "text", _STR, True, ""),
                                  correct=self.get(choice, choice_path, "correct", _BOOL, False, False),
                                  explanation=self.get(choice, choice_path, "explanation", _STR, True, "")))
        if len(choices) < 2:
            self.problem(path + ("choices",), "a question needs at least two choices")
        elif sum(choice.correct for choice in choices) != 1:
            self.problem(path + ("choices",), "exactly one choice must have correct = true")
        return Question(question=text, choices=tuple(choices)) if choices else None

    def table_list_at(self, item: dict, path: KeyPath, key: str, what: str) -> list[tuple[KeyPath, dict]]:
        value = item.get(key)
        if value is None:
            self.problem(path + (key,), f"missing required key '{key}'")
            return []
        if not isinstance(value, list):
            self.problem(path + (key,), f"'{key}' must be an array of tables, not {_type_name(value)}")
            return []
        out = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append((path + (key, index), entry))
            else:
                self.problem(path + (key, index), f"each {what} must be a table, not {_type_name(entry)}")
        return out

    # --- setup -----------------------------------------------------------------------------------
    def setup_action(self, path: KeyPath, item: dict) -> SetupAction | None:
        index = path[-1]
        assert isinstance(index, int)
        if "create" in item:
            kind = item["create"]
            if not isinstance(kind, str) or kind not in SETUP_CREATE:
                self.problem(path + ("create",), f"cannot create '{kind}' in a setup; one of "
                             f"{', '.join(SETUP_CREATE)}{_suggest(str(kind), list(SETUP_CREATE))}")
                return None
            spec = SETUP_CREATE[kind]
            return self.setup_fields(path, item, "create", kind, {"create": (_STR, True), **spec}, index)
        for verb in ("guest", "attach", "delete", "wait", "vm"):
            if verb in item:
                spec = SETUP_OTHER[verb]
                action = self.setup_fields(path, item, verb, str(item.get(verb, "")), spec, index)
                if action is None:
                    return None
                if verb == "vm" and self.choice(item, path, "action", VM_ACTIONS) is None:
                    return None
                if verb == "delete" and item["delete"] not in DELETABLE:
                    self.problem(path + ("delete",), f"a setup can delete {', '.join(DELETABLE)}")
                    return None
                if verb == "wait" and parse_duration(item["wait"]) is None:
                    self.problem(path + ("wait",), f"'{item['wait']}' is not a duration such as 90s, 5m or 2h")
                    return None
                return action
        self.problem(path, "a setup entry needs one of create, guest, vm, attach, delete or wait")
        return None

    def setup_fields(self, path: KeyPath, item: dict, verb: str, kind: str, spec: dict[str, tuple[str, bool]],
                     index: int) -> SetupAction | None:
        before = len(self.problems)
        self.unknown_keys(item, path, list(spec), f"a setup '{verb}' entry" + (f" for a {kind}" if verb == "create"
                                                                                else ""))
        for key, (kind_name, required) in spec.items():
            self.get(item, path, key, kind_name, required)
        if len(self.problems) > before:
            return None
        return SetupAction(verb=verb, kind=kind, fields=dict(item), index=index)

    # --- checks ----------------------------------------------------------------------------------
    def clause(self, data: Any, path: KeyPath) -> Clause | None:
        key = render(path)
        if not isinstance(data, dict):
            self.problem(path, f"a check must be a table, not {_type_name(data)}")
            return None
        heads = [head for head in COMBINATORS + LEAF_HEADS if head in data]
        if len(heads) != 1:
            found = f" (found {', '.join(heads)})" if heads else ""
            self.problem(path, "a check needs exactly one of all, any, not, resource, command, guest or operation"
                         + found)
            return None
        head = heads[0]
        describe = self.get(data, path, "describe", _STR)
        if head in ("all", "any"):
            self.unknown_keys(data, path, (head, "describe"), f"an '{head}' check")
            items = data[head]
            if not isinstance(items, list) or not items:
                self.problem(path + (head,), f"'{head}' must be a non-empty array of checks")
                return None
            parsed = [self.clause(item, path + (head, index)) for index, item in enumerate(items)]
            if any(p is None for p in parsed):
                return None
            return (AllOf if head == "all" else AnyOf)(key=key, items=tuple(parsed), describe=describe)  # type: ignore
        if head == "not":
            self.unknown_keys(data, path, ("not", "describe"), "a 'not' check")
            inner = self.clause(data["not"], path + ("not",))
            return NotOf(key=key, item=inner, describe=describe) if inner else None
        if head == "resource":
            return self.resource_match(data, path, describe)
        if head == "operation":
            return self.operation_match(data, path, describe)
        return self.command_match(data, path, head, describe)

    def resource_match(self, data: dict, path: KeyPath, describe: str | None) -> ResourceMatch | None:
        allowed = ("resource", "name", "group", "where", "count", "min", "max", "distinct", "describe")
        self.unknown_keys(data, path, allowed, "a resource check")
        kind = data["resource"]
        if kind not in fields.KINDS:
            self.problem(path + ("resource",), f"unknown resource type '{kind}'; one of {', '.join(fields.KINDS)}"
                         f"{_suggest(str(kind), list(fields.KINDS))}")
            return None
        names = fields.field_names(kind)
        where: list[tuple[str, Condition]] = []
        raw_where = self.get(data, path, "where", _DICT, False, {})
        for field, value in raw_where.items():
            if field not in names:
                self.problem(path + ("where", field), f"a {kind} has no field '{field}'{_suggest(field, names)}")
                continue
            condition = self.condition(value, path + ("where", field))
            if condition is not None:
                where.append((field, condition))
        distinct = tuple(self.get(data, path, "distinct", _STRS, False, []))
        for index, field in enumerate(distinct):
            if field not in names:
                self.problem(path + ("distinct", index), f"a {kind} has no field '{field}'{_suggest(field, names)}")
        counts = {name: self.get(data, path, name, _INT) for name in ("count", "min", "max")}
        return ResourceMatch(key=render(path), kind=kind, name=self.get(data, path, "name", _STR),
                             group=self.get(data, path, "group", _STR), where=tuple(where), distinct=distinct,
                             describe=describe, **counts)

    def condition(self, value: Any, path: KeyPath) -> Condition | None:
        if not isinstance(value, dict):
            return Condition("eq", value)
        if len(value) != 1 or next(iter(value)) not in CONDITION_OPS:
            self.problem(path, f"a condition table has exactly one of {', '.join(CONDITION_OPS)}")
            return None
        op, operand = next(iter(value.items()))
        if op in ("min", "max") and not isinstance(operand, (int, float)):
            self.problem(path + (op,), f"'{op}' must be a number")
            return None
        if op == "in" and not isinstance(operand, list):
            self.problem(path + (op,), "'in' must be an array of values")
            return None
        if op == "exists" and not isinstance(operand, bool):
            self.problem(path + (op,), "'exists' must be true or false")
            return None
        return Condition(op, operand)

    def event_common(self, data: dict, path: KeyPath, outcomes: tuple[str, ...]) -> tuple[str, str | None]:
        outcome = self.choice(data, path, "outcome", outcomes, "succeeded") or "succeeded"
        error = self.get(data, path, "error", _STR)
        if error and "outcome" not in data:
            outcome = "failed"
        elif error and outcome not in ("failed", "any"):
            self.problem(path + ("error",), "'error' only applies to outcome = \"failed\"")
        return outcome, error

    def regex(self, data: dict, path: KeyPath, key: str) -> re.Pattern | None:
        text = self.get(data, path, key, _STR)
        if text is None:
            return None
        try:
            return re.compile(text, re.I)
        except re.error as bad:
            self.problem(path + (key,), f"not a valid regular expression: {bad}")
            return None

    def command_match(self, data: dict, path: KeyPath, head: str, describe: str | None) -> CommandMatch | None:
        if head == "command":
            self.unknown_keys(data, path, ("command", "line", "target", "outcome", "error", "describe"),
                              "a command check")
            words = self.get(data, path, "command", _STR, True, "")
            if words.split()[:1] == ["az"]:
                self.problem(path + ("command",), "write the command without 'az' (\"vm deallocate\")")
            outcome, error = self.event_common(data, path, OUTCOMES)
            return CommandMatch(key=render(path), source="az", words=tuple(words.lower().split()),
                                pattern=self.regex(data, path, "line"), target=self.get(data, path, "target", _STR),
                                outcome=outcome, error=error, describe=describe)
        self.unknown_keys(data, path, ("guest", "vm", "outcome", "error", "describe"), "a guest command check")
        outcome, error = self.event_common(data, path, OUTCOMES)
        return CommandMatch(key=render(path), source="guest", pattern=self.regex(data, path, "guest"),
                            vm=self.get(data, path, "vm", _STR), outcome=outcome, error=error, describe=describe)

    def operation_match(self, data: dict, path: KeyPath, describe: str | None) -> OperationMatch | None:
        self.unknown_keys(data, path, ("operation", "target", "outcome", "error", "describe"), "an operation check")
        operation = self.get(data, path, "operation", _STR, True, "")
        if operation and not re.match(r"^[a-z_-]+\.[a-z_.*-]+$", operation):
            self.problem(path + ("operation",), f"'{operation}' is not an operation name such as vm.generalize")
        outcome, error = self.event_common(data, path, OPERATION_OUTCOMES)
        return OperationMatch(key=render(path), operation=operation.lower(), outcome=outcome, error=error,
                              target=self.get(data, path, "target", _STR), describe=describe)


def parse_lab(text: str, file: str = "<lab>", path: Path | None = None) -> Lab:
    """A lab from TOML text, or `LabInvalid` with every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as bad:
        line = re.search(r"line (\d+)", str(bad))
        raise LabInvalid([Problem(file, "", int(line.group(1)) if line else None, f"not valid TOML: {bad}")])
    reader = _Reader(file, text)
    lab = reader.lab(data, path)
    if lab is None:
        raise LabInvalid(reader.problems)
    return lab


def load_lab(path: Path | str) -> Lab:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as bad:
        reason = bad.strerror if isinstance(bad, OSError) and bad.strerror else str(bad)
        raise LabInvalid([Problem(str(path), "", None, f"cannot read the file: {reason}")])
    return parse_lab(text, str(path), path)



def locate(file: str, text: str, path: KeyPath, message: str) -> Problem:
    """A problem found after loading (by running the setup, say), placed on its line of ``text``."""
    return Problem(file, render(path), line_of(key_lines(text), path), message)
