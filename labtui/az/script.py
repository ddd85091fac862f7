"""The bash subset that az scripts are written in, turned into argv lists.

``labtui shell`` and the TUI command line accept the idioms found in the
Azure CLI documentation and in classroom demos::

    RG=lab-rg
    VM_ID=$(az vm show -g $RG -n vm1 --query id -o tsv)
    az snapshot create -g $RG -n snap \\
        --source "$DISK_ID"   # trailing comment
    az vm list --query "[?name=='vm1'].id" -o tsv

Two layers:

* :func:`logical_lines` turns physical lines into logical ones (continuations,
  comments, quoted newlines), remembering where each one started.
* :func:`parse` turns one logical line into a :class:`ShellCommand`: quote
  removal, ``$VAR``/``${VAR}``/``$(...)`` expansion, field splitting of unquoted
  expansions and ``VAR=value`` assignments.

Everything else in bash (pipes, redirections, lists, globbing, arithmetic...)
is rejected with a :class:`ShellSyntaxError` rather than silently misread.
Pure standard library; nothing here knows about az.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "LogicalLine",
    "ShellCommand",
    "ShellSyntaxError",
    "logical_lines",
    "parse",
]


class ShellSyntaxError(Exception):
    """A line that bash would reject, or that uses syntax we do not support.

    ``str(e)`` is a bash-like message, e.g.
    ``unexpected EOF while looking for matching `"'``.
    """


@dataclass(frozen=True)
class LogicalLine:
    text: str
    lineno: int  # 1-based number of the first physical line


@dataclass(frozen=True)
class ShellCommand:
    assignments: tuple[tuple[str, str], ...]
    argv: tuple[str, ...]
    exported: bool = False


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ASSIGN_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
_BLANK = " \t"
_IFS_RE = re.compile(r"[ \t\n]+")
_BACKTICKS = "backticks are not supported; use $(...)"


def _eof(closer: str) -> ShellSyntaxError:
    return ShellSyntaxError(f"unexpected EOF while looking for matching `{closer}'")


# ---------------------------------------------------------------------------
# Physical -> logical lines
# ---------------------------------------------------------------------------


@dataclass
class _ScanState:
    open: bool  # a quote or $( is still open at the end of the text
    comment: int | None  # index of an unquoted word-initial "#"
    # index of a trailing unquoted "\" (+ blanks); when ``open`` (inside
    # $( ... )), the index just after that backslash
    continuation: int | None


def _scan(text: str) -> _ScanState:
    """A tolerant pass over ``text`` that only tracks quoting.

    It never raises: syntax errors are :func:`parse`'s job, which also knows
    the line number the caller attaches to them.
    """
    stack: list[str] = []  # "'", '"' or "(" (inside $( ... ))
    word_start = True
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        top = stack[-1] if stack else None
        if top == "'":
            if c == "'":
                stack.pop()
            i += 1
            continue
        if c == "\\":
            if top != '"' and text[i + 1 :].strip(_BLANK) == "":
                if top is None:
                    return _ScanState(False, None, i)
                # Inside $( ... ): drop the blanks so the newline that joins
                # the next line makes a real backslash-newline continuation.
                return _ScanState(True, None, i + 1)
            word_start = False
            i += 2
            continue
        if top == '"':
            if c == '"':
                stack.pop()
            elif c == "$" and text.startswith("(", i + 1):
                stack.append("(")
                i += 1
            i += 1
            continue
        # Unquoted, at top level or inside $( ... ).
        if c in " \t\n":
            word_start = True
            i += 1
            continue
        if c == "#" and word_start and top is None:
            return _ScanState(False, i, None)
        word_start = False
        if c in "'\"":
            stack.append(c)
        elif c == "$" and text.startswith("(", i + 1):
            stack.append("(")
            i += 1
        elif c == "(" and top == "(":
            stack.append("(")
        elif c == ")" and top == "(":
            stack.pop()
        i += 1
    return _ScanState(bool(stack), None, None)


def _rstrip_blanks(text: str) -> str:
    """Strip trailing blanks, but keep a blank that a backslash escapes."""
    stripped = text.rstrip(_BLANK)
    if len(stripped) < len(text):
        backslashes = len(stripped) - len(stripped.rstrip("\\"))
        if backslashes % 2:
            stripped = text[: len(stripped) + 1]
    return stripped


def logical_lines(lines: Iterable[str]) -> Iterator[LogicalLine]:
    """Join physical lines into the logical lines bash would read.

    * ``\\`` at the end of a line (optionally followed by blanks, a common
      copy-paste accident) continues the line; the backslash and the newline
      are dropped.
    * A line whose quotes (or ``$(``) are still open continues onto the next
      physical line, joined with ``"\\n"`` so the newline ends up in the word.
    * ``\\r`` line endings are removed; blank lines and whole-line comments are
      skipped; a ``#`` starting a word outside quotes starts a trailing comment,
      while a ``#`` inside quotes or inside a word is ordinary text.
    * A quote still open at the end of input is yielded as is, so that
      :func:`parse` reports bash's "unexpected EOF" error with its line number.
    """
    buf: str | None = None
    start = 0
    sep = ""
    lineno = 0
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\n").rstrip("\r")
        if buf is None:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            buf, start = line, lineno
        else:
            buf = buf + sep + line
        state = _scan(buf)
        if state.open:
            if state.continuation is not None:
                buf = buf[: state.continuation]
            sep = "\n"
            continue
        if state.continuation is not None:
            buf = buf[: state.continuation]
            sep = ""
            continue
        if state.comment is not None:
            buf = buf[: state.comment]
        text = _rstrip_blanks(buf).lstrip(_BLANK)
        buf = None
        if text:
            yield LogicalLine(text, start)
    if buf is not None:
        # Input ended inside a continuation or an open quote.
        state = _scan(buf)
        if not state.open:
            if state.comment is not None:
                buf = buf[: state.comment]
        text = _rstrip_blanks(buf).lstrip(_BLANK)
        if text:
            yield LogicalLine(text, start)


# ---------------------------------------------------------------------------
# One logical line -> ShellCommand
# ---------------------------------------------------------------------------

# A word is parsed into segments before anything is expanded, so that a syntax
# error anywhere in the line is reported before any command substitution runs
# (bash parses the whole command first, too).
#   ("lit", text, quoted)   literal text; quoted=False text was escaped/plain
#   ("var", name, quoted)   $NAME, ${NAME}, $?
#   ("cmd", inner, quoted)  $( inner )
_Segment = tuple[str, str, bool]


@dataclass
class _Word:
    raw: str
    segments: list[_Segment]


def _skip_single(text: str, i: int) -> int:
    """``text[i]`` is an opening ``'``; return the index after the closing one."""
    end = text.find("'", i + 1)
    if end < 0:
        raise _eof("'")
    return end + 1


def _skip_double(text: str, i: int) -> int:
    """``text[i]`` is an opening ``"``; return the index after the closing one."""
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        elif c == "$" and text.startswith("(", i + 1):
            i = _skip_cmdsub(text, i + 2)
        elif c == "`":
            raise ShellSyntaxError(_BACKTICKS)
        else:
            i += 1
    raise _eof('"')


def _skip_cmdsub(text: str, i: int) -> int:
    """``i`` is just after ``$(``; return the index after the matching ``)``.

    Parentheses inside quotes (or escaped) do not count.
    """
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "'":
            i = _skip_single(text, i)
        elif c == '"':
            i = _skip_double(text, i)
        elif c == "`":
            raise ShellSyntaxError(_BACKTICKS)
        elif c == "(":
            depth += 1
            i += 1
        elif c == ")":
            depth -= 1
            i += 1
            if depth == 0:
                return i
        else:
            i += 1
    raise _eof(")")


def _parse_dollar(text: str, i: int, quoted: bool) -> tuple[_Segment, int]:
    """``text[i]`` is ``$``; return the segment and the index after it."""
    n = len(text)
    nxt = text[i + 1] if i + 1 < n else ""
    if nxt == "(":
        if text.startswith("((", i + 1):
            raise ShellSyntaxError("arithmetic expansion $((...)) is not supported here")
        end = _skip_cmdsub(text, i + 2)
        return ("cmd", text[i + 2 : end - 1], quoted), end
    if nxt == "{":
        end = text.find("}", i + 2)
        if end < 0:
            raise _eof("}")
        name = text[i + 2 : end]
        if name != "?" and not _NAME_RE.match(name):
            raise ShellSyntaxError(
                f"${{{name}}}: bad substitution (only ${{NAME}} is supported here)"
            )
        return ("var", name, quoted), end + 1
    if nxt == "?":
        return ("var", "?", quoted), i + 2
    if nxt in _NAME_START and nxt:
        j = i + 1
        while j < n and text[j] in _NAME_CHARS:
            j += 1
        return ("var", text[i + 1 : j], quoted), j
    # "$" followed by a non-name character ($1, $$, a lone "$"...) is literal.
    return ("lit", "$", quoted), i + 1


_DQ_ESCAPES = frozenset('"\\$`')


def _parse_double(text: str, i: int, out: list[_Segment]) -> int:
    """``text[i]`` is ``"``; append segments, return the index after the quote."""
    i += 1
    n = len(text)
    lit: list[str] = []

    def flush() -> None:
        if lit:
            out.append(("lit", "".join(lit), True))
            lit.clear()

    out.append(("lit", "", True))  # "" is still a (empty) word
    while i < n:
        c = text[i]
        if c == '"':
            flush()
            return i + 1
        if c == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "\n":
                pass  # line continuation inside double quotes
            elif nxt in _DQ_ESCAPES:
                lit.append(nxt)
            else:
                lit.append(c + nxt)  # other backslashes are kept
            i += 2
        elif c == "`":
            raise ShellSyntaxError(_BACKTICKS)
        elif c == "$":
            seg, i = _parse_dollar(text, i, quoted=True)
            if seg[0] == "lit":
                lit.append(seg[1])
            else:
                flush()
                out.append(seg)
        else:
            lit.append(c)
            i += 1
    raise _eof('"')


_OPERATOR_CHARS = "|&;<>"


def _operator_error(op: str) -> ShellSyntaxError:
    if op == "\n":
        return ShellSyntaxError(
            "multiple commands on one line are not supported here: newline"
        )
    if ">" in op or "<" in op or op in ("|", "|&"):
        kind = "pipes and redirections"
    elif op == "&":
        kind = "background jobs"
    else:
        kind = "command lists"
    return ShellSyntaxError(f"{kind} are not supported here: '{op}'")


def _tokenize(text: str) -> list[_Word]:
    words: list[_Word] = []
    segments: list[_Segment] | None = None
    lit: list[str] = []
    raw_start = 0
    after_newline = False
    i, n = 0, len(text)

    def flush_lit() -> None:
        if lit:
            assert segments is not None
            segments.append(("lit", "".join(lit), False))
            lit.clear()

    def end_word(at: int) -> None:
        nonlocal segments
        if segments is not None:
            flush_lit()
            words.append(_Word(text[raw_start:at], segments))
            segments = None

    while i < n:
        c = text[i]
        if c in " \t\n":
            end_word(i)
            if c == "\n" and words:
                after_newline = True
            i += 1
            continue
        if segments is None:
            if c == "#":
                break  # comment to the end of the text
            if after_newline:
                raise _operator_error("\n")
            segments, raw_start = [], i
        if c == "\\":
            if i + 1 >= n:
                lit.append("\\")  # a lone trailing backslash is literal
                i += 1
            elif text[i + 1] == "\n":
                i += 2  # line continuation
            else:
                lit.append(text[i + 1])
                i += 2
        elif c == "'":
            end = _skip_single(text, i)
            flush_lit()
            segments.append(("lit", text[i + 1 : end - 1], True))
            i = end
        elif c == '"':
            flush_lit()
            i = _parse_double(text, i, segments)
        elif c == "`":
            raise ShellSyntaxError(_BACKTICKS)
        elif c == "$":
            seg, i = _parse_dollar(text, i, quoted=False)
            if seg[0] == "lit":
                lit.append(seg[1])
            else:
                flush_lit()
                segments.append(seg)
        elif c in _OPERATOR_CHARS:
            j = i
            while j < n and text[j] in _OPERATOR_CHARS:
                j += 1
            raise _operator_error(text[i:j])
        elif c in "()":
            raise ShellSyntaxError(f"syntax error near unexpected token `{c}'")
        else:
            lit.append(c)
            i += 1
    end_word(i)
    return words


class _Expander:
    def __init__(self, env: Mapping[str, str], substitute: Callable[[str], str]):
        self.env = env
        self.substitute = substitute

    def segment(self, seg: _Segment, env: Mapping[str, str]) -> str:
        kind, value, _quoted = seg
        if kind == "lit":
            return value
        if kind == "var":
            if value == "?":
                return str(env.get("?", "0"))
            return str(env.get(value, ""))
        if not value.strip():
            return ""  # $() runs nothing and expands to nothing
        return str(self.substitute(value)).rstrip("\n")

    def joined(self, segments: list[_Segment], env: Mapping[str, str]) -> str:
        """Expansion without field splitting (assignment values)."""
        return "".join(self.segment(seg, env) for seg in segments)

    def fields(self, segments: list[_Segment], env: Mapping[str, str]) -> list[str]:
        """Expansion with bash field splitting of unquoted expansions."""
        fields: list[str] = []
        cur: list[str] = []
        exists = False  # a quoted part or literal text makes the field real

        def terminate() -> None:
            nonlocal exists
            if exists:
                fields.append("".join(cur))
            cur.clear()
            exists = False

        for seg in segments:
            value = self.segment(seg, env)
            kind, _, quoted = seg
            if kind == "lit" or quoted:
                cur.append(value)
                exists = True
                continue
            if not value:
                continue
            pieces = _IFS_RE.split(value)
            # Leading/trailing separators give empty first/last pieces.
            for k, piece in enumerate(pieces):
                if k:
                    terminate()
                if piece:
                    cur.append(piece)
                    exists = True
        terminate()
        return fields


def _split_assignment(word: _Word) -> tuple[str, bool] | None:
    """``(name, append)`` if ``word`` is ``NAME=...``/``NAME+=...`` as written."""
    m = _ASSIGN_RE.match(word.raw)
    if not m:
        return None
    return m.group(1), bool(m.group(2))


def parse(
    text: str, env: Mapping[str, str], substitute: Callable[[str], str]
) -> ShellCommand:
    """Parse and expand one logical line.

    ``env`` supplies variable values (unset ones expand to ``""``; ``$?`` is
    ``env.get("?", "0")``); ``substitute(inner)`` runs the text of a ``$(...)``
    and returns its output, whose trailing newlines are removed.  Nested
    substitutions are left in ``inner`` for the callee to expand, as a bash
    subshell would.
    """
    words = _tokenize(text)
    exported = False
    if words and words[0].raw == "export":
        exported = True
        words = words[1:]
        for word in words:
            if _split_assignment(word) is None and not _NAME_RE.match(word.raw):
                raise ShellSyntaxError(f"export: `{word.raw}': not a valid identifier")

    # Leading NAME=value words are assignments (all words, after `export`).
    assign_words: list[tuple[str, bool, _Word]] = []
    for word in words:
        if exported and _NAME_RE.match(word.raw):
            assign_words.append((word.raw, False, word))
            continue
        split = _split_assignment(word)
        if split is None:
            break
        assign_words.append((split[0], split[1], word))
    command_words = words[len(assign_words) :]

    expander = _Expander(env, substitute)
    # Like bash: the command's words are expanded first, with the old values;
    # then the assignments, left to right, each seeing the earlier ones.
    argv: list[str] = []
    for word in command_words:
        argv.extend(expander.fields(word.segments, env))

    local: dict[str, str] = {}
    scope: Mapping[str, str] = _Chain(local, env)
    assignments: list[tuple[str, str]] = []
    for name, append, word in assign_words:
        if exported and word.raw == name:  # `export NAME` keeps its value
            value = scope.get(name, "")
        else:
            prefix = len(name) + (2 if append else 1)
            value = expander.joined(word.segments, scope)[prefix:]
            if append:
                value = scope.get(name, "") + value
        local[name] = value
        assignments.append((name, value))
    return ShellCommand(tuple(assignments), tuple(argv), exported)


class _Chain(Mapping[str, str]):
    """A read-only view of ``first`` over ``second`` (a tiny ChainMap)."""

    def __init__(self, first: Mapping[str, str], second: Mapping[str, str]):
        self._first = first
        self._second = second

    def __getitem__(self, key: str) -> str:
        if key in self._first:
            return self._first[key]
        return self._second[key]

    def __iter__(self) -> Iterator[str]:
        seen = set(self._first)
        yield from self._first
        yield from (k for k in self._second if k not in seen)

    def __len__(self) -> int:
        return len(set(self._first) | set(self._second))
