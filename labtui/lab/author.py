"""`labtui author`: turn a recorded session into a draft lab a teacher trims.

The teacher plays the lab's solution once. Every line that changed the World becomes a step:
its solution is that line (with the lines before it that only read, such as ``VAR=$(az ... show)``),
and its check asks for the state the line left behind, field by field, read right after it ran.
Guest console lines on one VM are gathered into one step checked by the last line's command
event. The setup is the starting lab's (``--from``) or empty. What cannot be guessed (titles,
instructions, hints, traps, the quiz) is left as TODO for the teacher.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol

from ..engine.events import CommandRun, Event, ResourceCreated, ResourceDeleted, StateChanged
from ..engine.resources import BY_TYPE
from . import fields
from .model import Lab

if TYPE_CHECKING:
    from ..engine.world import World


class Line(Protocol):
    text: str


# The fields a draft check asks about, per kind; network resources come with VMs and are left out.
DRAFT_FIELDS = {
    "group": ("location",),
    "vm": ("power_state", "os_state"),
    "disk": ("sku", "size_gb", "disk_state", "source"),
    "snapshot": ("incremental", "sku", "source"),
    "image": ("source", "hyper_v_generation"),
    "gallery": (),
    "image-definition": ("os_type", "os_state", "hyper_v_generation"),
    "image-version": ("source", "regions", "exclude_from_latest"),
}


class _Recorder:
    """Yields the session's lines and remembers each one taken, answers to guest prompts included."""

    def __init__(self, lines: Iterable[Line]):
        self._lines = iter(lines)
        self.taken: list[Line] = []

    def __iter__(self) -> "_Recorder":
        return self

    def __next__(self) -> Line:
        line = next(self._lines)
        self.taken.append(line)
        return line


def record_draft(world: "World", lines: Iterable[Line], run_line: Callable[[Line, Iterator[Line]], int], *,
                 lab_id: str, title: str, base: Lab | None = None) -> str:
    """Run ``lines`` through ``run_line`` on ``world`` and return the draft lab's TOML text."""
    started = world.now
    recorder = _Recorder(lines)
    steps: list[dict[str, Any]] = []
    waiting: list[str] = []                  # lines that changed nothing yet: they lead into the next step
    for line in recorder:
        before = len(recorder.taken) - 1
        events: list[Event] = []
        unsubscribe = world.subscribe(events.append)
        try:
            run_line(line, recorder)
        finally:
            unsubscribe()
        texts = [taken.text for taken in recorder.taken[before:]]
        step = _draft_step(world, events, texts)
        if step is None:
            waiting.extend(texts)
            continue
        step["solution"] = waiting + step["solution"]
        waiting = []
        previous = steps[-1] if steps else None
        if previous and step.get("guest_vm") and previous.get("guest_vm") == step["guest_vm"]:
            previous["solution"] += step["solution"]
            previous["check"] = step["check"]
            continue
        steps.append(step)
    if steps and waiting:
        steps[-1]["solution"] += waiting
    return _render(lab_id, title, base, steps, world.now - started)


def _draft_step(world: "World", events: list[Event], texts: list[str]) -> dict[str, Any] | None:
    commands = [e for e in events if isinstance(e, CommandRun)]
    if not commands or any(c.exit_status != 0 for c in commands if c.source == "az"):
        return None
    touched: dict[str, str] = {}             # resource id -> "created" | "changed" | "deleted"
    for event in events:
        if isinstance(event, ResourceCreated):
            touched[event.resource_id.lower()] = "created"
        elif isinstance(event, ResourceDeleted):
            touched[event.resource_id.lower()] = "deleted"
        elif isinstance(event, StateChanged):
            touched.setdefault(event.resource_id.lower(), "changed")
    guest = [c for c in commands if c.source == "guest"]
    if guest and not any(c.source == "az" for c in commands):
        last = guest[-1]
        vm = (last.target or "").rsplit("/", 1)[-1]
        check = {"guest": f"^{re.escape(guest[0].line.strip())}$", "vm": vm}
        return {"id": "guest-" + _slug(guest[0].line), "title": f"In the guest of {vm}: {guest[0].line.strip()}",
                "solution": texts, "check": check, "guest_vm": vm}
    clauses = []
    for resource_id, how in touched.items():
        clause = _resource_clause(world, resource_id, how)
        if clause is not None:
            clauses.append(clause)
    if not clauses:
        return None
    words = [w for w in commands[-1].argv if not w.startswith("-")][:3]
    words = words[1:] if words[:1] == ["az"] else words
    return {"id": _slug(" ".join(words[:2])), "title": "az " + " ".join(words[:2]), "solution": texts,
            "check": {"all": clauses} if len(clauses) > 1 else clauses[0]}


def _resource_clause(world: "World", resource_id: str, how: str) -> dict[str, Any] | None:
    parts = resource_id.split("/")
    if how == "deleted":
        cls = _class_of_id(resource_id)
        kind = fields.KIND_OF.get(cls) if cls else None
        if kind not in DRAFT_FIELDS:
            return None
        return {"not": {"resource": kind, "group": _group_of(resource_id), "name": parts[-1]}}
    resource = world.get(resource_id)
    if resource is None:
        return None
    kind = fields.KIND_OF.get(type(resource))
    if kind not in DRAFT_FIELDS:
        return None
    where = {}
    for field in DRAFT_FIELDS[kind]:
        value = fields.read(world, resource, field)
        if value is None or value == []:
            continue
        if isinstance(value, str) and fields.is_id_field(field):
            value = value.rsplit("/", 1)[-1]
        where[field] = value
    clause: dict[str, Any] = {"resource": kind, "name": resource.name.rsplit("/", 1)[-1]}
    if kind != "group":
        clause["group"] = resource.resource_group
    if where:
        clause["where"] = where
    return clause


def _class_of_id(resource_id: str) -> type | None:
    lowered = resource_id.lower()
    if "/providers/" not in lowered:
        return BY_TYPE.get("microsoft.resources/resourcegroups")
    tail = lowered.split("/providers/", 1)[1].split("/")    # namespace, type, name, type, name...
    return BY_TYPE.get(f"{tail[0]}/{'/'.join(tail[1::2])}")


def _group_of(resource_id: str) -> str:
    parts = resource_id.split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else ""


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (slug or "step")[:40].rstrip("-")


# --- writing TOML --------------------------------------------------------------------------------

def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def _key(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else json.dumps(key)


def _multiline(text: str) -> str:
    return '"""\n' + text.replace("\\", "\\\\").replace('"""', '\\"""') + '\n"""'


def _render(lab_id: str, title: str, base: Lab | None, steps: list[dict[str, Any]], seconds: float) -> str:
    out = [
        "# A draft made by `labtui author`. Fill in every TODO, trim the checks to the fields that",
        "# matter, add traps, then run: labtui validate THIS_FILE",
        "format = 1",
        f"id = {_value(lab_id)}",
        f"title = {_value(title)}",
        'summary = "TODO: one or two sentences for the lab list."',
        f'objective = {_value(base.objective if base else "AZ-104")}',
        f'difficulty = {_value(base.difficulty if base else "intermediate")}',
        f"minutes = {max(5, 3 * len(steps))}",
        "",
    ]
    if base is not None:
        out.append(f"# The setup of '{base.id}'.")
        for action in base.setup:
            out.append("[[setup]]")
            out.extend(f"{_key(k)} = {_value(v)}" for k, v in action.fields.items())
            out.append("")
    used: set[str] = set()
    for number, step in enumerate(steps, 1):
        step_id = step["id"]
        while step_id in used:
            step_id = f"{step['id']}-{number}"
        used.add(step_id)
        out += ["[[steps]]", f"id = {_value(step_id)}", f"title = {_value(step['title'])}",
                "instructions = " + _multiline("TODO: what the student should do, and why."),
                'hints = ["TODO: a first nudge", "TODO: the command, nearly"]',
                'explanation = "TODO: the rule this step teaches."',
                "solution = [" + "".join(f"\n  {_value(line)}," for line in step["solution"]) + "\n]",
                f"check = {_value(step['check'])}", ""]
    out += ["# Traps: a known mistake and the lesson it teaches. For example:",
            "# [[traps]]",
            '# id = "stop-is-not-deallocate"',
            '# title = "Stopped is still billed"',
            '# when = { command = "vm stop" }',
            '# feedback = "az vm stop powers the guest off but keeps the VM allocated and billed."',
            f"# (recorded in {int(seconds)} simulated seconds)", ""]
    return "\n".join(out)
