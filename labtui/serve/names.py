"""Who may be named: SSH usernames become directory names under the class directory, so they are
checked before anything touches the file system."""

from __future__ import annotations

import re

MAX_NAME = 32
WATCH = "watch"          # the read-only account that follows the instructor's demo
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


class BadName(ValueError):
    pass


def student_name(raw: str) -> str:
    """The canonical form of a login name (lower case), or BadName saying what is wrong with it.
    No path separators, no dot names, nothing a shell or a file system would read specially."""
    name = raw.lower() if raw.isascii() else raw     # "K" (the Kelvin sign) must not become "k"
    if not name:
        raise BadName("a name is needed")
    if len(name) > MAX_NAME:
        raise BadName(f"'{raw[:MAX_NAME]}…' is longer than {MAX_NAME} characters")
    if not _NAME.fullmatch(name):
        raise BadName(f"'{raw}' is not a valid name: use letters, digits, '-' and '_', starting with a letter "
                      "or digit")
    return name
