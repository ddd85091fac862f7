"""Line numbers for the keys of a TOML document, which tomllib does not report.

`key_lines(text)` maps each key path (``("steps", 2, "check", "all", 0, "where")``) to the line
where it is written: table headers, ``key = value`` lines, the keys of inline tables and the
elements of arrays. tomllib has already accepted the document when this runs, so the scanner can
be lenient; it only has to find where things start.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"?')      # a one-line "basic" string, escapes kept as written
_LITERAL = re.compile(r"'[^'\n]*'?")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.array_tables: dict[Path, int] = {}     # resolved path of an array of tables -> its length

    # --- characters -----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        end = min(self.pos + count, len(self.text))
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.peek()
            if char == "#":
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            elif char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            else:
                return

    # --- pieces ---------------------------------------------------------------------------------
    def string(self) -> str:
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.advance(3)
            start = self.pos
            end = self.text.find(quote * 3, self.pos)
            end = len(self.text) if end < 0 else end
            # A closing delimiter may be followed by up to two more quotes that belong to the string.
            while self.text.startswith(quote, end + 3):
                end += 1
            value = self.text[start:end]
            self.advance(end + 3 - self.pos)
            return value
        match = (_BASIC if quote == '"' else _LITERAL).match(self.text, self.pos)
        end = match.end() if match else self.pos + 1
        value = self.text[self.pos + 1:end - 1]
        self.advance(end - self.pos)
        return value

    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in "\"'":
                parts.append(self.string())
            else:
                start = self.pos
                while self.pos < len(self.text) and (self.peek().isalnum() or self.peek() in "-_"):
                    self.advance()
                parts.append(self.text[start:self.pos])
            self.skip_blank(newlines=False)
            if self.peek() == ".":
                self.advance()
                continue
            return parts

    def value(self, path: Path) -> None:
        self.skip_blank(newlines=False)
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("]", ""):
                    self.advance()
                    return
                self.lines.setdefault(path + (index,), self.line)
                self.value(path + (index,))
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                index += 1
        elif char == "{":
            self.advance()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("}", ""):
                    self.advance()
                    return
                self.key_value(path)
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
        else:
            while self.pos < len(self.text) and self.peek() not in ",]}\n#":
                self.advance()

    def key_value(self, table: Path) -> None:
        line = self.line
        parts = self.key()
        path = table + tuple(parts)
        for depth in range(len(table) + 1, len(path) + 1):
            self.lines.setdefault(path[:depth], line)
        if self.peek() == "=":
            self.advance()
        self.value(path)

    def resolve(self, parts: list[str]) -> Path:
        """A header's keys with each array of tables on the way replaced by its last element."""
        resolved: Path = ()
        for part in parts:
            resolved += (part,)
            if resolved in self.array_tables:
                resolved += (self.array_tables[resolved] - 1,)
        return resolved

    def header(self) -> Path:
        array = self.text.startswith("[[", self.pos)
        self.advance(2 if array else 1)
        line = self.line
        parts = self.key()
        self.advance(2 if array else 1)
        if array:
            parent = self.resolve(parts[:-1]) + (parts[-1],)
            self.array_tables[parent] = self.array_tables.get(parent, 0) + 1
            self.lines.setdefault(parent, line)
            path = parent + (self.array_tables[parent] - 1,)
        else:
            path = self.resolve(parts)
        self.lines.setdefault(path, line)
        return path

    def document(self) -> dict[Path, int]:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return self.lines
            if self.peek() == "[":
                table = self.header()
            else:
                before = self.pos
                self.key_value(table)
                if self.pos == before:        # not TOML after all; never loop forever
                    self.advance()


def key_lines(text: str) -> dict[Path, int]:
    return _Scanner(text).document()


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for depth in range(len(path), 0, -1):
        if path[:depth] in lines:
            return lines[path[:depth]]
    return None


def render(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
