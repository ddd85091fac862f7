"""az's generic update: ``--set path=value``, ``--add path value``, ``--remove path [index]`` applied
to the resource's JSON; the changed paths are then handed to the engine, which knows which ones
Azure lets you change."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .parser import AzUsageError

_INDEX = re.compile(r"^(.*)\[(-?\d+)\]$")


def update_arguments(p) -> None:
    p.add_argument("--set", nargs="+", action="append", dest="set", default=[],
                   help="Update an object by specifying a property path and value to set. Example: "
                   "--set property1.property2=<value>")
    p.add_argument("--add", nargs="+", action="append", dest="add", default=[],
                   help="Add an object to a list of objects by specifying a path and key value pairs. Example: "
                   "--add property.listProperty <key=value, string or JSON string>")
    p.add_argument("--remove", nargs="+", action="append", dest="remove", default=[],
                   help="Remove a property or an element from a list. Example: --remove property.list <indexToRemove>")
    p.add_argument("--force-string", action="store_true", dest="force_string",
                   help="When using 'set' or 'add', preserve string literals instead of attempting to convert to JSON.")


def _value(text: str, force_string: bool) -> Any:
    if force_string:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _walk(obj: Any, path: str, create: bool = False) -> tuple[Any, str | int]:
    parts = path.split(".")
    for part in parts[:-1]:
        obj = _step(obj, part, create)
    last = parts[-1]
    match = _INDEX.match(last)
    if match:
        obj = _step(obj, match.group(1), create)
        return obj, int(match.group(2))
    return obj, _key(obj, last)


def _key(obj: Any, name: str) -> str:
    if isinstance(obj, dict):
        for key in obj:
            if key.lower() == name.lower():
                return key
    return name


def _step(obj: Any, part: str, create: bool) -> Any:
    match = _INDEX.match(part)
    if match:
        obj = _step(obj, match.group(1), create)
        try:
            return obj[int(match.group(2))]
        except (IndexError, TypeError, KeyError):
            raise AzUsageError(f"index {match.group(2)} doesn't exist on {match.group(1)}", 1) from None
    if not isinstance(obj, dict):
        raise AzUsageError(f"Couldn't find '{part}' in ''. Available options: []", 1)
    key = _key(obj, part)
    if key not in obj or obj[key] is None:
        if not create:
            raise AzUsageError(f"Couldn't find '{part}' in '{'.'.join([])}'. Available options: "
                               f"{sorted(obj)}", 1)
        obj[key] = {}
    return obj[key]


def apply(document: dict, sets: list[list[str]], adds: list[list[str]], removes: list[list[str]],
          force_string: bool = False) -> dict:
    changed = copy.deepcopy(document)
    for group in sets:
        for expression in group:
            path, eq, text = expression.partition("=")
            if not eq:
                raise AzUsageError(f"usage error: --set property=value: '{expression}' has no value", 1)
            parent, key = _walk(changed, path, create=True)
            try:
                parent[key] = _value(text, force_string)
            except (IndexError, TypeError):
                raise AzUsageError(f"index {key} doesn't exist on {path}", 1) from None
    for group in adds:
        path, *values = group
        parent, key = _walk(changed, path, create=True)
        target = parent.setdefault(key, []) if isinstance(parent, dict) else parent[key]
        if target is None:
            target = parent[key] = []
        if not isinstance(target, list):
            raise AzUsageError(f"invalid syntax: --add {path}: '{path}' is not a list", 1)
        if values and all("=" in v for v in values):
            target.append({k: _value(v, force_string) for k, _, v in (item.partition("=") for item in values)})
        else:
            target.extend(_value(v, force_string) for v in values)
    for group in removes:
        path, *rest = group
        parent, key = _walk(changed, path)
        if rest:
            target = parent[key]
            try:
                target.pop(int(rest[0]))
            except (IndexError, ValueError, AttributeError):
                raise AzUsageError(f"index {rest[0]} doesn't exist on {path}", 1) from None
        else:
            if isinstance(parent, dict):
                parent.pop(key, None)
            else:
                parent.pop(int(key))
    return changed


def changed_paths(before: Any, after: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf paths whose value differs, with the new value (lists compare whole)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: dict[str, Any] = {}
        for key in set(before) | set(after):
            path = f"{prefix}.{key}" if prefix else key
            out.update(changed_paths(before.get(key), after.get(key), path))
        return out
    return {} if before == after else {prefix: after}
