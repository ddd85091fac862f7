"""Completion for the command line: az's command groups and commands, a command's flags, and values
for the flag being typed (resource names from the World, locations, SKUs and other allowed values).

Pure: it reads the az command table and the World, and knows nothing of widgets.
"""

from __future__ import annotations

import argparse

import attrs

from ..az.runner import parser_for
from ..engine import catalog
from ..engine.resources import (Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, Resource,
                                ResourceGroup, Snapshot, VirtualMachine)
from ..engine.world import World

FIRST_WORDS = ("az", "lab", "guest", "wait")
LAB_VERBS = ("status", "hint", "show", "steps", "skip", "reset", "transcript", "score", "quiz", "answer", "help")

# The resource a command's --name means, by the command's group.
NAME_KIND: dict[str, type[Resource]] = {
    "group": ResourceGroup, "vm": VirtualMachine, "vm disk": Disk, "disk": Disk, "snapshot": Snapshot,
    "image": Image, "sig": Gallery, "sig image-definition": GalleryImageDefinition,
    "sig image-version": GalleryImageVersion,
}
VALUE_KIND: dict[str, tuple[type[Resource], ...]] = {
    "--resource-group": (ResourceGroup,), "-g": (ResourceGroup,), "--target-resource-group": (ResourceGroup,),
    "--vm-name": (VirtualMachine,), "--gallery-name": (Gallery,), "-r": (Gallery,),
    "--gallery-image-definition": (GalleryImageDefinition,), "-i": (GalleryImageDefinition,),
    "--source": (Disk, Snapshot, VirtualMachine), "--disk": (Disk,), "--os-disk": (Disk,),
    "--attach-os-disk": (Disk,), "--managed-image": (Image,), "--disks": (Disk,),
    "--image": (Image, GalleryImageDefinition),
}
LOCATION_FLAGS = ("--location", "-l", "--target-location")


@attrs.frozen
class Completion:
    start: int                      # where the word being completed starts in the text
    prefix: str                     # the part of that word already typed
    candidates: tuple[str, ...]     # whole words that fit, best first

    def applied(self, text: str, candidate: str) -> str:
        return text[:self.start] + candidate + " "


def complete(text: str, world: World) -> Completion:
    start = len(text) - len(text.split(" ")[-1]) if text else 0
    prefix = text[start:]
    words = text[:start].split()
    return Completion(start, prefix, tuple(_fits(prefix, _candidates(words, prefix, world))))


def _fits(prefix: str, candidates: list[str]) -> list[str]:
    lowered = prefix.lower()
    seen: dict[str, None] = {}
    for candidate in candidates:
        if candidate.lower().startswith(lowered) and candidate != prefix:
            seen.setdefault(candidate)
    return list(seen)


def _candidates(words: list[str], prefix: str, world: World) -> list[str]:
    if not words:
        return list(FIRST_WORDS)
    head = words[0]
    if head == "lab":
        return list(LAB_VERBS) if len(words) == 1 else []
    if head != "az":
        return []
    from ..az.registry import COMMANDS, GROUPS     # here: the TUI draws its first frame before az's commands load

    path: list[str] = []
    for word in words[1:]:
        if word.startswith("-"):
            break
        if " ".join([*path, word]) in GROUPS or " ".join([*path, word]) in COMMANDS:
            path.append(word)
        else:
            break
    command = COMMANDS.get(" ".join(path))
    if command is None:
        children = GROUPS.get(" ".join(path), {}).get("children", [])
        return [child.split()[-1] for child in children if not COMMANDS.get(child) or
                COMMANDS[child].extension is None]
    parser = parser_for(command)
    previous = words[-1] if len(words) > len(path) + 1 else None
    if previous is not None and previous.startswith("-"):
        values = _values(parser, previous, path, words, world)
        if values is not None:
            return values
    if prefix.startswith("-") or not prefix:
        used = {w for w in words if w.startswith("-")}
        required: list[str] = []
        optional: list[str] = []
        for action in parser._actions:
            longs = [o for o in action.option_strings if o.startswith("--")]
            if not longs or any(o in used for o in action.option_strings):
                continue
            (required if action.required else optional).append(longs[0])
        return required + optional + ["--output", "--query", "--help"]
    return []


def _values(parser: argparse.ArgumentParser, flag: str, path: list[str], words: list[str],
            world: World) -> list[str] | None:
    action = next((a for a in parser._actions if flag in a.option_strings), None)
    if action is None or action.nargs == 0:
        return None
    if action.choices:
        return [str(choice) for choice in action.choices]
    if flag in ("--output", "-o"):
        return ["json", "jsonc", "table", "tsv", "yaml", "none"]
    if flag in LOCATION_FLAGS:
        return sorted(catalog.LOCATIONS)
    group = _flag_value(words, ("--resource-group", "-g"))
    if flag in ("--name", "-n"):
        kind = NAME_KIND.get(" ".join(path[:-1]))
        if kind is None:
            return None
        if kind is ResourceGroup:
            return [g.name for g in world.list(ResourceGroup)]
        return [r.name for r in world.list(kind, group)]
    kinds = VALUE_KIND.get(flag)
    if kinds is None:
        return None
    names: list[str] = []
    for kind in kinds:
        names += [r.name for r in world.list(kind, None if kind is ResourceGroup else group)]
    if flag == "--image":
        names += list(catalog.ALIASES)
    return names


def _flag_value(words: list[str], flags: tuple[str, ...]) -> str | None:
    for index, word in enumerate(words[:-1]):
        if word in flags:
            return words[index + 1]
    return None
