"""Evaluating checks: resource matchers against the World, event matchers against events.

`holds(clause, world, met)` answers whether a check is satisfied now. ``met`` tells whether an
event leaf has been matched (the runner remembers which, per step). `unmet` explains, in words a
student reads, which leaves stand between the check and success, with the values seen now.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..engine.events import CommandRun, Event, OperationAccepted, OperationFailed, OperationSucceeded
from ..engine.resources import Resource, ResourceGroup
from . import fields
from .model import AllOf, AnyOf, Clause, CommandMatch, Condition, EventClause, NotOf, OperationMatch, ResourceMatch

if TYPE_CHECKING:
    from ..engine.world import World

Met = Callable[[EventClause], bool]


# --- walking -----------------------------------------------------------------------------------

def event_leaves(clause: Clause) -> Iterator[EventClause]:
    if isinstance(clause, (CommandMatch, OperationMatch)):
        yield clause
    elif isinstance(clause, (AllOf, AnyOf)):
        for item in clause.items:
            yield from event_leaves(item)
    elif isinstance(clause, NotOf):
        yield from event_leaves(clause.item)


def holds(clause: Clause, world: "World", met: Met) -> bool:
    if isinstance(clause, AllOf):
        return all(holds(item, world, met) for item in clause.items)
    if isinstance(clause, AnyOf):
        return any(holds(item, world, met) for item in clause.items)
    if isinstance(clause, NotOf):
        return not holds(clause.item, world, met)
    if isinstance(clause, ResourceMatch):
        return _resource_holds(clause, world)
    return met(clause)


# --- resources ---------------------------------------------------------------------------------

def _name_matches(resource: Resource, wanted: str) -> bool:
    name = resource.name.lower()
    wanted = wanted.lower()
    if "*" in wanted or "?" in wanted:
        return fnmatch.fnmatchcase(name, wanted)
    # Nested resources (gallery/definition/version) answer to their own last name too.
    return name == wanted or name.rsplit("/", 1)[-1] == wanted


def candidates(match: ResourceMatch, world: "World") -> list[Resource]:
    cls = fields.KINDS[match.kind]
    if cls is ResourceGroup:                  # a group's group is itself
        wanted = match.name or match.group
        return [g for g in world.list(ResourceGroup) if not wanted or _name_matches(g, wanted)]
    if match.name and match.group and "*" not in match.name and "?" not in match.name and "/" not in match.name \
            and cls.TYPE.count("/") == 1:
        found = world.find(cls, match.group, match.name)
        return [found] if found is not None else []
    found_all = world.list(cls, match.group) if match.group else world.list(cls)
    return [r for r in found_all if not match.name or _name_matches(r, match.name)]


def _normal(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _equal(actual: Any, expected: Any, id_field: bool) -> bool:
    if isinstance(actual, list) and not isinstance(expected, list):
        return any(_equal(item, expected, id_field) for item in actual)
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False
        return sorted(map(str, map(_normal, actual))) == sorted(map(str, map(_normal, expected)))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and float(actual) == float(expected)
    if not isinstance(actual, str) or not isinstance(expected, str):
        return actual == expected
    if id_field and not expected.startswith("/"):
        return actual.rsplit("/", 1)[-1].lower() == expected.lower()
    return actual.lower() == expected.lower()


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def test(condition: Condition, actual: Any, id_field: bool = False) -> bool:
    op, value = condition.op, condition.value
    if op == "eq":
        return _equal(actual, value, id_field)
    if op == "not":
        return not _equal(actual, value, id_field)
    if op == "in":
        return any(_equal(actual, option, id_field) for option in value)
    if op == "exists":
        return (not _empty(actual)) is value
    if op in ("min", "max"):
        if isinstance(actual, (list, dict, str)):
            actual = len(actual)
        if not isinstance(actual, (int, float)) or isinstance(actual, bool):
            return False
        return actual >= value if op == "min" else actual <= value
    if op == "contains":
        if isinstance(actual, dict):
            return any(_equal(key, value, False) for key in actual)
        if isinstance(actual, list):
            return any(_equal(item, value, id_field) for item in actual)
        return isinstance(actual, str) and isinstance(value, str) and value.lower() in actual.lower()
    raise ValueError(op)


def _passes(match: ResourceMatch, world: "World", resource: Resource) -> bool:
    return all(test(condition, fields.read(world, resource, field), fields.is_id_field(field))
               for field, condition in match.where)


def _count_ok(match: ResourceMatch, found: int) -> bool:
    if match.count is None and match.min is None and match.max is None:
        return found >= 1
    return ((match.count is None or found == match.count) and (match.min is None or found >= match.min)
            and (match.max is None or found <= match.max))


def _distinct_ok(match: ResourceMatch, world: "World", matching: list[Resource]) -> bool:
    for field in match.distinct:
        values = [fields.read(world, resource, field) for resource in matching]
        if any(_empty(value) for value in values):
            return False
        normal = [repr(_normal(value)) for value in values]
        if len(set(normal)) != len(normal):
            return False
    return True


def _resource_holds(match: ResourceMatch, world: "World") -> bool:
    matching = [r for r in candidates(match, world) if _passes(match, world, r)]
    return _count_ok(match, len(matching)) and _distinct_ok(match, world, matching)


# --- events ------------------------------------------------------------------------------------

def _last_name(resource_id: str | None) -> str:
    return (resource_id or "").rstrip("/").rsplit("/", 1)[-1].lower()


def command_words(argv: tuple[str, ...]) -> tuple[str, ...]:
    words = []
    for word in argv[1:] if argv[:1] == ("az",) else argv:
        if word.startswith("-"):
            break
        words.append(word.lower())
    return tuple(words)


NAME_FLAGS = ("-n", "--name", "--vm-name")


def command_targets(argv: tuple[str, ...]) -> set[str]:
    """The resource names an az command line names: -n/--name/--vm-name values and --ids' last segments."""
    names: set[str] = set()
    words = list(argv)
    for index, word in enumerate(words):
        flag, _, inline = word.partition("=")
        if flag in NAME_FLAGS:
            value = inline or (words[index + 1] if index + 1 < len(words) else "")
            names.add(value.lower())
        elif flag == "--ids":
            values = [inline] if inline else []
            for following in words[index + 1:] if not inline else []:
                if following.startswith("-"):
                    break
                values.append(following)
            names.update(_last_name(value) for value in values)
    names.discard("")
    return names


def event_matches(leaf: EventClause, event: Event) -> bool:
    if isinstance(leaf, CommandMatch):
        if not isinstance(event, CommandRun) or event.source != leaf.source:
            return False
        if leaf.words and command_words(event.argv)[:len(leaf.words)] != leaf.words:
            return False
        if leaf.pattern is not None and not (leaf.pattern.search(event.line)
                                             or leaf.pattern.search(" ".join(event.argv))):
            return False
        if leaf.target is not None and leaf.target.lower() not in command_targets(event.argv):
            return False
        if leaf.vm is not None and _last_name(event.target) != leaf.vm.lower():
            return False
        return _outcome_ok(leaf.outcome, leaf.error, event.exit_status == 0, event.error_code)
    if not isinstance(event, (OperationAccepted, OperationSucceeded, OperationFailed)):
        return False
    if not fnmatch.fnmatchcase(event.operation.lower(), leaf.operation):
        return False
    if leaf.target is not None and not fnmatch.fnmatchcase(_last_name(event.resource_id), leaf.target.lower()):
        return False
    if leaf.outcome == "accepted":
        return isinstance(event, OperationAccepted)
    if isinstance(event, OperationAccepted):
        return False
    failed = isinstance(event, OperationFailed)
    return _outcome_ok(leaf.outcome, leaf.error, not failed, event.code if failed else None)


def _outcome_ok(outcome: str, error: str | None, succeeded: bool, code: str | None) -> bool:
    if outcome == "succeeded" and not succeeded:
        return False
    if outcome == "failed" and succeeded:
        return False
    return error is None or (code or "").lower() == error.lower()


# --- words for students ------------------------------------------------------------------------

def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "nothing"
    return str(value)


def field_words(field: str) -> str:
    """A field as a student reads it: "power state", not the engine's power_state."""
    return field.replace("_", " ").replace(".", " ")


def _condition_text(field: str, condition: Condition) -> str:
    words = {"eq": "=", "not": "≠", "in": "in", "min": "≥", "max": "≤", "contains": "contains"}
    field = field_words(field)
    if condition.op == "exists":
        return f"{field} {'is set' if condition.value else 'is not set'}"
    return f"{field} {words[condition.op]} {_show(condition.value)}"


def describe(clause: Clause) -> str:
    if clause.describe:
        return clause.describe
    if isinstance(clause, ResourceMatch):
        subject = clause.kind
        if clause.name:
            subject += f" '{clause.name}'"
        if clause.group:
            subject += f" in '{clause.group}'"
        conditions = ", ".join(_condition_text(field, condition) for field, condition in clause.where)
        amount = ""
        if clause.count is not None:
            amount = f"exactly {clause.count} × "
        elif clause.min is not None:
            amount = f"at least {clause.min} × "
        elif clause.max is not None:
            amount = f"at most {clause.max} × "
        text = amount + subject + (f" with {conditions}" if conditions else "")
        if clause.distinct:
            text += f", each with its own {', '.join(clause.distinct)}"
        return text
    if isinstance(clause, CommandMatch):
        if clause.source == "az":
            what = f"az {' '.join(clause.words)}".strip()
            if clause.pattern is not None:
                what += f" (matching /{clause.pattern.pattern}/)"
        else:
            what = f"a guest command matching /{clause.pattern.pattern if clause.pattern else '.*'}/"
            if clause.vm:
                what += f" on '{clause.vm}'"
        if clause.target:
            what += f" on '{clause.target}'"
        return f"run {what}" + _outcome_text(clause.outcome, clause.error)
    if isinstance(clause, OperationMatch):
        target = f" on '{clause.target}'" if clause.target else ""
        return f"operation {clause.operation}{target}" + _outcome_text(clause.outcome, clause.error)
    if isinstance(clause, NotOf):
        return f"not ({describe(clause.item)})"
    joiner = " and " if isinstance(clause, AllOf) else " or "
    return joiner.join(describe(item) for item in clause.items)


def _outcome_text(outcome: str, error: str | None) -> str:
    if error:
        return f", failing with {error}"
    return {"succeeded": "", "failed": ", and fail", "any": "", "accepted": " (accepted)"}[outcome]


def unmet(clause: Clause, world: "World", met: Met) -> list[str]:
    """What stands between ``clause`` and success, leaf by leaf, with what is there now."""
    if holds(clause, world, met):
        return []
    if isinstance(clause, AllOf) and not clause.describe:
        return [line for item in clause.items for line in unmet(item, world, met)]
    if isinstance(clause, AnyOf) and not clause.describe:
        return ["one of: " + "; or ".join(describe(item) for item in clause.items)]
    if isinstance(clause, ResourceMatch):
        return [describe(clause) + _resource_detail(clause, world)]
    if isinstance(clause, (CommandMatch, OperationMatch)):
        return [describe(clause) + " (not yet seen)"]
    return [describe(clause)]


def _resource_detail(match: ResourceMatch, world: "World") -> str:
    found = candidates(match, world)
    if not found:
        return " (none exists yet)" if match.name else f" (no {match.kind} found)"
    matching = [r for r in found if _passes(match, world, r)]
    if match.name and len(found) == 1 and not matching:
        resource = found[0]
        now = [_now_text(field, condition, fields.read(world, resource, field))
               for field, condition in match.where
               if not test(condition, fields.read(world, resource, field), fields.is_id_field(field))]
        return f" (now {', '.join(now)})"
    if not _count_ok(match, len(matching)):
        return f" (found {len(matching)})"
    return " (some share the same value)" if match.distinct else ""


def _now_text(field: str, condition: Condition, actual: Any) -> str:
    """What a field holds now, in a line a student can read (a long list is not dumped whole)."""
    words = field_words(field)
    if isinstance(actual, list) and condition.op in ("eq", "contains") and not isinstance(condition.value, list):
        return f"{words} has no {_show(condition.value)}"
    shown = _display(actual, field)
    if isinstance(shown, list) and len(shown) > 4:
        return f"{words} is {_show(shown[:4])[:-1]}, … ({len(shown)} in all)]"
    return f"{words} is {_show(shown)}"


def _display(value: Any, field: str) -> Any:
    if isinstance(value, list):
        return [_display(item, field) for item in value]
    if isinstance(value, str) and fields.is_id_field(field) and value.startswith("/"):
        return value.rsplit("/", 1)[-1]
    return value
