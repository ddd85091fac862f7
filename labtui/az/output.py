"""What ``az`` prints on stdout for a command result.

``render`` reproduces azure-cli 2.x output (knack 0.11 ``OutputProducer`` plus
azure-cli-core's ``AzOutputProducer``) for every ``--output`` format, after the
global ``--query``:

* ``--query`` is compiled at argument-parsing time (an invalid expression is an
  argparse error, exit status 2) and applied to the command result before any
  formatting, with ``jmespath.Options(dict_cls=OrderedDict)``: the objects a
  multiselect hash (``{a: x}``) builds are ordered, every other dict is not, and
  tsv/table treat the two differently (see below).
* A result of ``None`` (after the query) prints nothing at all, whatever the
  format; ``-o none`` prints nothing but still applies the query.
* json: ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False,
  separators=(',', ': '))`` plus a newline.  orjson produces the same bytes for
  most data and is used whenever it provably does (see ``_orjson_safe``).
* jsonc / yamlc: the json / yaml text highlighted the way Pygments'
  ``TerminalFormatter`` highlights it (knack calls ``pygments.highlight``); az
  only colours when stdout is a terminal, so without ``color=True`` they are
  plain json / yaml.
* yaml: ``yaml.safe_dump(result, default_flow_style=False)``; azure-cli does not
  pass ``allow_unicode``, so non-ASCII text is escaped (``"\\xE9"``).
* tsv: one line per list item (a non-list result is one item); see
  ``_format_tsv``.
* table: knack's ``_TableOutput`` feeding ``tabulate(tablefmt="simple",
  disable_numparse=True)``; see ``_format_table``.

The returned string is exactly what az writes to stdout.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import OrderedDict
from io import StringIO
from typing import Any, Callable

import jmespath
import jmespath.exceptions
import orjson

__all__ = [
    "OUTPUT_FORMATS",
    "QUERY_REFERENCE",
    "QueryError",
    "QueryRuntimeError",
    "TableOutputError",
    "compile_query",
    "render",
]

OUTPUT_FORMATS = ("json", "jsonc", "none", "table", "tsv", "yaml", "yamlc")

#: The hint az prints on the line after any --query error.
QUERY_REFERENCE = (
    "To learn more about --query, please visit: "
    "'https://learn.microsoft.com/cli/azure/query-azure-cli'"
)

_TABLE_UNAVAILABLE = (
    "Table output unavailable. Use the --query option to specify an appropriate "
    "query. Use --debug for more info."
)


class QueryError(Exception):
    """A ``--query`` value JMESPath cannot compile.

    az reports it as an argparse error: ``ERROR: <str(e)>`` followed by
    ``QUERY_REFERENCE`` on stderr, exit status 2, before the command runs.
    """

    exit_code = 2
    recommendation = QUERY_REFERENCE

    def __init__(self, expression: str):
        self.expression = expression
        # argparse: "argument --query: invalid %(type)s value: %(value)r" with
        # the type callable knack registers, CLIQuery.jmespath_type.
        super().__init__(f"argument --query: invalid jmespath_type value: {expression!r}")


class QueryRuntimeError(Exception):
    """A compiled ``--query`` that fails while searching the result.

    (e.g. ``length(missing)`` or an unknown function).  az's exception handler
    prints ``ERROR: <str(e)>`` and ``QUERY_REFERENCE``; exit status 1.
    """

    exit_code = 1
    recommendation = QUERY_REFERENCE

    def __init__(self, error: Exception):
        self.error = error
        super().__init__(f"Invalid jmespath query supplied for `--query`: {error}")


class TableOutputError(Exception):
    """``-o table`` could not lay the result out; az: ``ERROR: <str(e)>``, exit 1."""

    exit_code = 1

    def __init__(self) -> None:
        super().__init__(_TABLE_UNAVAILABLE)


# --------------------------------------------------------------------------- query

_SEARCH_OPTIONS = jmespath.Options(dict_cls=OrderedDict)


@functools.lru_cache(maxsize=512)
def compile_query(expression: str):
    """Compile a ``--query`` value as az's argument type does, or raise QueryError.

    argparse turns ValueError/TypeError from the type callable into the
    "invalid ... value" error, and knack turns jmespath's KeyError into a
    ValueError; every jmespath parse/lex error is a ValueError.
    """
    try:
        return jmespath.compile(expression)
    except (ValueError, TypeError, KeyError) as ex:
        raise QueryError(expression) from ex


def _apply_query(result: Any, query: str) -> Any:
    compiled = compile_query(query)
    try:
        return compiled.search(result, _SEARCH_OPTIONS)
    except jmespath.exceptions.JMESPathError as ex:
        raise QueryRuntimeError(ex) from ex


# --------------------------------------------------------------------------- render


def render(
    result: Any,
    output: str = "json",
    query: str | None = None,
    *,
    table_transformer: Callable[[Any], Any] | str | None = None,
    color: bool = False,
) -> str:
    """Return exactly what ``az ... -o OUTPUT [--query QUERY]`` writes to stdout.

    ``table_transformer`` is the command's own table transformer (a callable or
    a JMESPath string); az uses it only for ``-o table`` and only when no
    ``--query`` was given.  ``color`` says whether az would colour (stdout is a
    terminal): it only affects ``jsonc`` and ``yamlc``.

    Raises QueryError / QueryRuntimeError for a bad ``--query`` and
    TableOutputError when ``-o table`` cannot show the result.
    """
    output = output.lower()  # the --output argument's type is str.lower
    if output not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {output!r}")
    if output in ("yaml", "yamlc"):
        # az's results are trees freshly built by knack's todict(), so PyYAML
        # never sees one object twice and writes no &id001 anchors, unless the
        # --query itself repeats an object.  Callers may share sub-objects.
        result = _tree_copy(result)
    query_active = query is not None
    if query_active:
        result = _apply_query(result, query)
    if result is None:
        return ""
    if output == "json" or (output == "jsonc" and not color):
        return _format_json(result)
    if output == "jsonc":
        return _highlight(_format_json(result), _json_tokens)
    if output == "yaml" or (output == "yamlc" and not color):
        return _format_yaml(result)
    if output == "yamlc":
        return _highlight(_format_yaml(result), _yaml_tokens)
    if output == "tsv":
        return _format_tsv(result)
    if output == "table":
        return _format_table(result, query_active, table_transformer)
    return ""  # none


# --------------------------------------------------------------------------- json

_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1


def _orjson_safe(obj: Any) -> bool:
    """True when orjson's output for ``obj`` is byte-identical to knack's json.dumps.

    Both escape only '"', '\\\\' and control characters and sort keys by code
    point.  They differ on: floats outside [1e-4, 1e16) (json writes ``1e-05``,
    ``1e+16``; orjson ``0.00001``, ``1e16``), NaN/Infinity, integers beyond 64
    bits, non-string keys and lone surrogates (orjson raises on the last ones,
    which ``_format_json`` catches).
    """
    stack = [obj]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        kind = type(value)
        if kind is str or kind is bool or value is None:
            continue
        if kind is dict or kind is OrderedDict:
            for key, item in value.items():
                if type(key) is not str:
                    return False
                push(item)
        elif kind is list:
            stack.extend(value)
        elif kind is int:
            if not _INT64_MIN <= value <= _UINT64_MAX:
                return False
        elif kind is float:
            magnitude = abs(value)
            if not (magnitude == 0.0 or 1e-4 <= magnitude < 1e16):
                return False
        else:  # tuples, subclasses, bytes...: let json decide
            return False
    return True


class _Encoder(json.JSONEncoder):
    """knack's _ComplexEncoder: bytes are written as their decoded text."""

    def default(self, o):  # noqa: D401 - json API
        if isinstance(o, (bytes, bytearray)):
            return o.decode()
        return super().default(o)


def _format_json(result: Any) -> str:
    if _orjson_safe(result):
        try:
            return orjson.dumps(result, option=_ORJSON_OPTIONS).decode() + "\n"
        except orjson.JSONEncodeError:  # e.g. a lone surrogate in a string
            pass
    return (
        json.dumps(
            result,
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
            cls=_Encoder,
            separators=(",", ": "),
        )
        + "\n"
    )


# --------------------------------------------------------------------------- yaml


def _plain_data(obj: Any) -> Any:
    return json.loads(json.dumps(obj, cls=_Encoder))


def _tree_copy(obj: Any) -> Any:
    if isinstance(obj, dict):
        copied = {key: _tree_copy(value) for key, value in obj.items()}
        return copied if type(obj) is dict else type(obj)(copied)
    if isinstance(obj, list):
        return [_tree_copy(value) for value in obj]
    return obj


def _format_yaml(result: Any) -> str:
    # azure-cli: safe_dump(result, default_flow_style=False); an OrderedDict from
    # --query makes SafeDumper raise, and az then dumps a json round-trip instead.
    import yaml  # only -o yaml pays for importing it

    try:
        return yaml.safe_dump(result, default_flow_style=False)
    except yaml.representer.RepresenterError:
        return yaml.safe_dump(_plain_data(result), default_flow_style=False)


# --------------------------------------------------------------------------- tsv


def _tsv_cell(value: Any) -> str:
    # A nested list shows its length, a nested dict shows nothing (keeps the
    # column count stable), anything else is str(): True, None, 1.5.
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        return ""
    return value if isinstance(value, str) else str(value)


def _format_tsv(result: Any) -> str:
    rows = result if isinstance(result, list) else [result]
    out = StringIO()
    write = out.write
    for row in rows:
        if isinstance(row, dict):
            # Plain dicts are printed in key order; only ordered dicts (built by
            # a --query multiselect hash) keep their own order.
            if isinstance(row, OrderedDict):
                values = row.values()
            else:
                values = [value for _, value in sorted(row.items())]
            write("\t".join([_tsv_cell(v) for v in values]))
        elif isinstance(row, list):
            write("\t".join([_tsv_cell(v) for v in row]))
        elif isinstance(row, bool):
            write("true" if row else "false")  # only a top-level bool is lower-cased
        else:
            write(_tsv_cell(row))
        write("\n")
    return out.getvalue()


# --------------------------------------------------------------------------- table

_TABLE_SKIP_KEYS = frozenset(("id", "type", "etag"))


def _table_row(item: Any, sort_keys: bool) -> dict:
    """knack's _auto_table_item: the columns one result item contributes."""
    row: dict = {}
    if isinstance(item, dict):
        keys = sorted(item) if sort_keys else item.keys()
        for key in keys:
            if key in _TABLE_SKIP_KEYS:
                continue
            value = item[key]
            if value is not None and not isinstance(value, (list, dict, set)):
                row[key[0].upper() + key[1:] if key else key] = value
    elif isinstance(item, list):
        for index, value in enumerate(item, 1):
            row[f"Column{index}"] = value
    else:
        row["Result"] = item
    return row


def _format_table(result: Any, query_active: bool, transformer: Any) -> str:
    try:
        if transformer and not query_active:
            if isinstance(transformer, str):
                result = jmespath.compile(transformer).search(result, _SEARCH_OPTIONS)
            else:
                result = transformer(result)
        items = result if isinstance(result, list) else [result]
        sort_keys = not query_active and not transformer
        rows = [_table_row(item, sort_keys) for item in items]
        return (_tabulate_simple(rows) if rows else "") + "\n"
    except Exception as ex:  # az turns any failure here into one message
        raise TableOutputError() from ex


def _char_width(char: str) -> int:
    """Terminal cells of one character, as wcwidth 0.1.7 (bundled with az) counts."""
    code = ord(char)
    if (
        code == 0
        or code == 0x034F
        or 0x200B <= code <= 0x200F
        or code in (0x2028, 0x2029)
        or 0x202A <= code <= 0x202E
        or 0x2060 <= code <= 0x2063
    ):
        return 0
    if code < 32 or 0x7F <= code < 0xA0:
        return -1
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return 0
    if category == "Cn":
        return 2 if 0x20000 <= code <= 0x2FFFD or 0x30000 <= code <= 0x3FFFD else 1
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _text_width(text: str) -> int:
    """wcwidth.wcswidth: -1 as soon as one character is non-printable."""
    if text.isascii() and text.isprintable():
        return len(text)
    total = 0
    for char in text:
        width = _char_width(char)
        if width < 0:
            return -1
        total += width
    return total


_LINE_BREAK = re.compile(r"\r|\n|\r\n")
_CELL_LINES = re.compile("[\r\n]")


def _tabulate_simple(rows: list[dict]) -> str:
    """tabulate 0.8.9, headers="keys", tablefmt="simple", disable_numparse=True.

    All cells are text: left-aligned, stripped, "{}".format()-ed, None blank.
    A column is as wide as its widest cell and at least its header + 2; the
    dashed rule under the header is exactly that wide; columns are joined by
    two spaces and every line is right-stripped.  A cell or header with a line
    break switches the whole table to multi-line rows.
    """
    headers: list[str] = []
    seen: set = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                headers.append(key)
    headers = [str(h) for h in headers]
    if not headers:
        return ""
    matrix = [[row.get(key) for key in headers] for row in rows]

    plain = "\t".join(["\t".join(headers)] + ["\t".join(map(str, r)) for r in matrix])
    multiline = _LINE_BREAK.search(plain) is not None

    if multiline:

        def width_of(text: str) -> int:
            return max(_text_width(part) for part in _CELL_LINES.split(text))

    else:
        width_of = _text_width

    columns = []
    widths = []
    for index, header in enumerate(headers):
        cells = ["" if r[index] is None else "{0}".format(r[index]).strip() for r in matrix]
        min_width = width_of(header) + 2
        if multiline:
            line_widths = [[_text_width(p) for p in _CELL_LINES.split(c)] for c in cells]
            width = max(max(w for ws in line_widths for w in ws), min_width)
            padded = []
            for cell, cell_widths in zip(cells, line_widths):
                lengths = [len(p) for p in _CELL_LINES.split(cell)]
                targets = [width - (w - n) for w, n in zip(cell_widths, lengths)]
                parts = cell.splitlines() or cell
                padded.append("\n".join(p.ljust(t) for p, t in zip(parts, targets)))
        else:
            cell_widths = [_text_width(c) for c in cells]
            width = max(max(cell_widths), min_width)
            padded = [c.ljust(width - (w - len(c))) for c, w in zip(cells, cell_widths)]
        width = max(min_width, max(width_of(p) for p in padded))
        columns.append(padded)
        widths.append(width)

    def pad_header(text: str, width: int) -> str:
        return text.ljust(width + len(text) - _text_width(text))

    if multiline:
        header_cells = [
            "\n".join(pad_header(part, w) for part in _LINE_BREAK.split(h))
            for h, w in zip(headers, widths)
        ]
    else:
        header_cells = [pad_header(h, w) for h, w in zip(headers, widths)]

    lines: list[str] = []

    def emit(cells: list[str]) -> None:
        if not multiline:
            lines.append("  ".join(cells).rstrip())
            return
        split = [cell.splitlines() for cell in cells]
        height = max(map(len, split))
        split = [part + [" " * w] * (height - len(part)) for part, w in zip(split, widths)]
        for index in range(height):
            lines.append("  ".join(part[index] for part in split).rstrip())

    emit(header_cells)
    lines.append("  ".join("-" * w for w in widths).rstrip())
    for row_cells in zip(*columns):
        emit(list(row_cells))
    return "\n".join(lines)


# --------------------------------------------------------------------------- colour
# knack/azure-cli colour jsonc/yamlc with pygments.highlight(text, JsonLexer() or
# YamlLexer(), TerminalFormatter()).  The tokenisers below reproduce those two
# lexers on the text they are given, and _highlight reproduces the formatter
# (light-background palette): every token is wrapped in its colour's escape and
# the reset sequence line by line, the line breaks themselves left bare.

_ESC = "\x1b["
_RESET = _ESC + "39;49;00m"
_COLOURS = {
    "ws": _ESC + "37m",  # Text.Whitespace: gray
    "comment": _ESC + "37m",  # Comment: gray
    "tag": _ESC + "94m",  # Name.Tag: brightblue
    "str": _ESC + "33m",  # String (and String.Double/Escape): yellow
    "num": _ESC + "34m",  # Number: blue
    "kw": _ESC + "34m",  # Keyword (Keyword.Constant): blue
    "ktype": _ESC + "36m",  # Keyword.Type: cyan
    "var": _ESC + "31m",  # Name.Variable: red
    "nconst": _ESC + "31m",  # Name.Constant: red
    "ns": _ESC + "04m" + _ESC + "36m",  # Name.Namespace: _cyan_ (underlined)
    "err": _ESC + "04m" + _ESC + "91m",  # Error: _brightred_
    # Punctuation, Punctuation.Indicator, Literal.Scalar.Plain, Name.Label and
    # Text have no colour.
}


def _highlight(text: str, tokenizer: Callable[[str], Any]) -> str:
    # pygments' input preprocessing
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.endswith("\n"):
        text += "\n"
    out: list[str] = []
    append = out.append
    for kind, value in tokenizer(text):
        colour = _COLOURS.get(kind)
        for line in value.splitlines(True):
            body = line.rstrip("\n")
            append(colour + body + _RESET if colour else body)
            if line.endswith("\n"):
                append("\n")
    return "".join(out)


_JSON_NUMBER = frozenset("-0123456789")
_JSON_FLOAT = frozenset(".eE+")
_JSON_CONSTANT = frozenset("truefalsenull")
_JSON_HEX = frozenset("0123456789abcdefABCDEF")
_JSON_PUNCT = frozenset("{}[],")
_JSON_SPACE = frozenset(" \n\r\t")


def _json_tokens(text: str):
    """Pygments' JsonLexer (character state machine) on json.dumps output.

    A string is held back until the next significant character: a ':' makes it
    (and the whitespace after it) a key (Name.Tag).  Runs of punctuation,
    whitespace, number characters and constant letters are single tokens;
    anything else is an Error character.  json.dumps never writes comments,
    so the lexer's comment states are not needed.
    """
    mode = ""  # "", "str", "ws", "const", "num", "punct"
    escape = False
    unicode_left = 0
    start = 0
    queue: list[tuple[str, str]] = []
    for stop, char in enumerate(text):
        if mode == "str":
            if unicode_left:
                if char in _JSON_HEX:
                    unicode_left -= 1
                    if not unicode_left:
                        escape = False
                else:
                    unicode_left = 0
                    escape = False
            elif escape:
                if char == "u":
                    unicode_left = 4
                else:
                    escape = False
            elif char == "\\":
                escape = True
            elif char == '"':
                queue.append(("str", text[start : stop + 1]))
                mode = ""
                escape = False
                unicode_left = 0
            continue
        if mode == "ws":
            if char in _JSON_SPACE:
                continue
            if queue:
                queue.append(("ws", text[start:stop]))
            else:
                yield "ws", text[start:stop]
        elif mode == "const":
            if char in _JSON_CONSTANT:
                continue
            yield "kw", text[start:stop]
        elif mode == "num":
            if char in _JSON_NUMBER or char in _JSON_FLOAT:
                continue
            yield "num", text[start:stop]
        elif mode == "punct":
            if char in _JSON_PUNCT:
                continue
            yield "punct", text[start:stop]
        mode = ""
        start = stop
        if char == '"':
            mode = "str"
        elif char in _JSON_SPACE:
            mode = "ws"
        elif char in "fnt":
            yield from queue
            queue.clear()
            mode = "const"
        elif char in _JSON_NUMBER:
            yield from queue
            queue.clear()
            mode = "num"
        elif char == ":":
            for kind, value in queue:
                yield ("tag" if kind == "str" else kind), value
            queue.clear()
            mode = "punct"
        elif char in _JSON_PUNCT:
            yield from queue
            queue.clear()
            mode = "punct"
        else:
            yield from queue
            queue.clear()
            yield "err", char
    yield from queue
    tail = text[start:]
    if mode == "str":
        yield "err", tail
    elif mode == "num":
        yield "num", tail
    elif mode == "const":
        yield "kw", tail
    elif mode == "ws":
        yield "ws", tail
    elif mode == "punct":
        yield "punct", tail


class _YamlContext:
    __slots__ = ("text", "pos", "stack", "indent_stack", "indent", "next_indent", "block_indent")

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.stack = ["root"]
        self.indent_stack: list[int] = []
        self.indent = -1
        self.next_indent = 0
        self.block_indent: int | None = None


# Callback actions of the YAML lexer: each gets (match, ctx) and yields tokens;
# unlike plain token actions they move ctx.pos themselves (or leave it).


def _y_something(kind):
    def action(m, ctx):
        text = m.group()
        if not text:
            return
        yield kind, text
        ctx.pos = m.end()

    return action


def _y_reset_indent(kind):
    def action(m, ctx):
        ctx.indent_stack = []
        ctx.indent = -1
        ctx.next_indent = 0
        ctx.block_indent = None
        yield kind, m.group()
        ctx.pos = m.end()

    return action


def _y_save_indent(kind, start=False):
    def action(m, ctx):
        text = m.group()
        extra = ""
        if start:
            ctx.next_indent = len(text)
            if ctx.next_indent < ctx.indent:
                while ctx.next_indent < ctx.indent:
                    ctx.indent = ctx.indent_stack.pop()
                if ctx.next_indent > ctx.indent:
                    extra = text[ctx.indent :]
                    text = text[: ctx.indent]
        else:
            ctx.next_indent += len(text)
        if text:
            yield kind, text
        if extra:
            yield kind, extra  # Whitespace.Error: coloured as Whitespace
        ctx.pos = m.end()

    return action


def _y_set_indent(kind, implicit=False):
    def action(m, ctx):
        text = m.group()
        if ctx.indent < ctx.next_indent:
            ctx.indent_stack.append(ctx.indent)
            ctx.indent = ctx.next_indent
        if not implicit:
            ctx.next_indent += len(text)
        yield kind, text
        ctx.pos = m.end()

    return action


def _y_set_block_indent(kind):
    def action(m, ctx):
        text = m.group()
        ctx.block_indent = None
        if not text:
            return
        increment = m.group(1)
        if increment:
            ctx.block_indent = max(ctx.indent, 0) + int(increment)
        yield kind, text
        ctx.pos = m.end()

    return action


def _y_block_empty_line(indent_kind, content_kind):
    def action(m, ctx):
        text = m.group()
        if ctx.block_indent is None or len(text) <= ctx.block_indent:
            if text:
                yield indent_kind, text
        else:
            yield indent_kind, text[: ctx.block_indent]
            yield content_kind, text[ctx.block_indent :]
        ctx.pos = m.end()

    return action


def _y_block_indent(kind):
    def action(m, ctx):
        text = m.group()
        if ctx.block_indent is None:
            if len(text) <= max(ctx.indent, 0):
                ctx.stack.pop()
                ctx.stack.pop()
                return
            ctx.block_indent = len(text)
        elif len(text) < ctx.block_indent:
            ctx.stack.pop()
            ctx.stack.pop()
            return
        if text:
            yield kind, text
            ctx.pos = m.end()

    return action


def _y_plain_indent(kind):
    def action(m, ctx):
        text = m.group()
        if len(text) <= ctx.indent:
            ctx.stack.pop()
            ctx.stack.pop()
            return
        if text:
            yield kind, text
            ctx.pos = m.end()

    return action


class _Groups:
    """Token kinds (or actions) for each group of one match."""

    def __init__(self, *parts):
        self.parts = parts

    def __call__(self, m, ctx):
        for index, part in enumerate(self.parts, 1):
            data = m.group(index)
            if isinstance(part, str):
                if data:
                    yield part, data
            elif data is not None:
                ctx.pos = m.start(index)
                yield from part(_SubMatch(m.start(index), data), ctx)
        ctx.pos = m.end()


class _SubMatch:
    __slots__ = ("_start", "_text")

    def __init__(self, start: int, text: str):
        self._start = start
        self._text = text

    def group(self, *_):
        return self._text

    def start(self, *_):
        return self._start

    def end(self, *_):
        return self._start + len(self._text)


def _yaml_rules():
    """The YAML grammar of Pygments' YamlLexer, state by state."""
    plain_ws = "ws"
    descriptors = [
        (r"!<[\w#;/?:@&=+$,.!~*\'()\[\]%-]+>", "ktype", None),
        (r"!(?:[\w-]+!)?[\w#;/?:@&=+$,.!~*\'()\[\]%-]*", "ktype", None),
        (r"&[\w-]+", "label", None),
        (r"\*[\w-]+", "var", None),
    ]
    block_nodes = [
        (r":(?=[ ]|$)", _y_set_indent("ind", implicit=True), None),
        (r"[|>]", "ind", ("block-scalar-content", "block-scalar-header")),
    ]
    flow_nodes = [
        (r"\[", "ind", ("flow-sequence",)),
        (r"\{", "ind", ("flow-mapping",)),
        (r"\'", "str", ("single-quoted-scalar",)),
        (r"\"", "str", ("double-quoted-scalar",)),
    ]
    flow_collection = [
        (r"[ ]+", plain_ws, None),
        (r"\n+", plain_ws, None),
        (r"#[^\n]*", "comment", None),
        (r"[?:,]", "ind", None),
        *descriptors,
        *flow_nodes,
        (
            r"(?=[^\s?:,\[\]{}#&*!|>\'\"%@`])",
            _y_something("var"),
            ("plain-scalar-in-flow-context",),
        ),
    ]
    quoted_ws = [
        (r"^[ ]+", plain_ws, None),
        (r"[ ]+$", plain_ws, None),
        (r"\n+", plain_ws, None),
        (r"[ \xa0]+", "var", None),
    ]
    rules = {
        "root": [
            (r"[ ]+(?=#|$)", plain_ws, None),
            (r"\n+", plain_ws, None),
            (r"#[^\n]*", "comment", None),
            (r"^%YAML(?=[ ]|$)", _y_reset_indent("tag"), ("yaml-directive",)),
            (r"^%TAG(?=[ ]|$)", _y_reset_indent("tag"), ("tag-directive",)),
            (r"^(?:---|\.\.\.)(?=[ ]|$)", _y_reset_indent("ns"), ("block-line",)),
            (r"[ ]*(?!\s|$)", _y_save_indent(plain_ws, start=True), ("block-line", "indentation")),
        ],
        "ignored-line": [
            (r"[ ]+(?=#|$)", plain_ws, None),
            (r"#[^\n]*", "comment", None),
            (r"\n", plain_ws, -2),
        ],
        "yaml-directive": [
            (r"([ ]+)([0-9]+\.[0-9]+)", _Groups(plain_ws, "num"), ("ignored-line",)),
        ],
        "tag-directive": [
            (
                r"([ ]+)(!|![\w-]*!)([ ]+)(!|!?[\w;/?:@&=+$,.!~*\'()\[\]%-]+)",
                _Groups(plain_ws, "ktype", plain_ws, "ktype"),
                ("ignored-line",),
            ),
        ],
        "indentation": [
            (r"[ ]*$", _y_something(plain_ws), -2),
            (r"[ ]+(?=[?:-](?:[ ]|$))", _y_save_indent(plain_ws), None),
            (r"[?:-](?=[ ]|$)", _y_set_indent("ind"), None),
            (r"[ ]*", _y_save_indent(plain_ws), -1),
        ],
        "block-line": [
            (r"[ ]*(?=#|$)", _y_something(plain_ws), -1),
            (r"[ ]+", plain_ws, None),
            (
                r"""([^#,?\[\]{}"'\n]+)(:)(?=[ ]|$)""",
                _Groups("tag", _y_set_indent("punct", implicit=True)),
                None,
            ),
            *descriptors,
            *block_nodes,
            *flow_nodes,
            (
                r"(?=[^\s?:,\[\]{}#&*!|>\'\"%@`-]|[?:-]\S)",
                _y_something("var"),
                ("plain-scalar-in-block-context",),
            ),
        ],
        "flow-sequence": [*flow_collection, (r"\]", "ind", -1)],
        "flow-mapping": [
            (r"""([^,:?\[\]{}"'\n]+)(:)(?=[ ]|$)""", _Groups("tag", "punct"), None),
            *flow_collection,
            (r"\}", "ind", -1),
        ],
        "block-scalar-content": [
            (r"\n", plain_ws, None),
            (r"^[ ]+$", _y_block_empty_line(plain_ws, "nconst"), None),
            (r"^[ ]*", _y_block_indent(plain_ws), None),
            (r"[\S\t ]+", "nconst", None),
        ],
        "block-scalar-header": [
            (r"([1-9])?[+-]?(?=[ ]|$)", _y_set_block_indent("ind"), ("ignored-line",)),
            (r"[+-]?([1-9])?(?=[ ]|$)", _y_set_block_indent("ind"), ("ignored-line",)),
        ],
        "single-quoted-scalar": [
            *quoted_ws,
            (r"\'\'", "str", None),  # String.Escape
            (r"[^\s\']+", "str", None),
            (r"\'", "str", -1),
        ],
        "double-quoted-scalar": [
            *quoted_ws,
            (r'\\[0abt\tn\nvfre "\\N_LP]', "str", None),
            (r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", "str", None),
            (r'[^\s"\\]+', "str", None),
            (r'"', "str", -1),
        ],
        "plain-scalar-in-block-context-new-line": [
            (r"^[ ]+$", plain_ws, None),
            (r"\n+", plain_ws, None),
            (r"^(?=---|\.\.\.)", _y_something("ns"), -3),
            (r"^[ ]*", _y_plain_indent(plain_ws), -1),
        ],
        "plain-scalar-in-block-context": [
            (r"[ ]*(?=:[ ]|:$)", _y_something(plain_ws), -1),
            (r"[ ]+(?=#)", plain_ws, -1),
            (r"[ ]+$", plain_ws, None),
            (r"\n+", plain_ws, ("plain-scalar-in-block-context-new-line",)),
            (r"[ \xa0]+", "plain", None),
            (r"(?::(?!\s)|[^\s:])+", "plain", None),
        ],
        "plain-scalar-in-flow-context": [
            (r"[ ]*(?=[,:?\[\]{}])", _y_something(plain_ws), -1),
            (r"[ ]+(?=#)", plain_ws, -1),
            (r"^[ ]+", plain_ws, None),
            (r"[ ]+$", plain_ws, None),
            (r"\n+", plain_ws, None),
            (r"[ \xa0]+", "var", None),
            (r"[^\s,:?\[\]{}]+", "var", None),
        ],
    }
    return {
        state: [(re.compile(pattern, re.MULTILINE).match, action, new) for pattern, action, new in defs]
        for state, defs in rules.items()
    }


_YAML_RULES = _yaml_rules()


def _yaml_tokens(text: str):
    """Run the YAML lexer's state machine over ``text``."""
    ctx = _YamlContext(text)
    end = len(text)
    rules = _YAML_RULES
    current = rules["root"]
    while True:
        for match, action, new_state in current:
            m = match(text, ctx.pos, end)
            if not m:
                continue
            if isinstance(action, str):
                yield action, m.group()
                ctx.pos = m.end()
            else:
                yield from action(m, ctx)
                if not new_state:
                    current = rules[ctx.stack[-1]]
            if new_state is not None:
                if isinstance(new_state, tuple):
                    ctx.stack.extend(new_state)
                elif -new_state >= len(ctx.stack):
                    del ctx.stack[1:]
                else:
                    del ctx.stack[new_state:]
                current = rules[ctx.stack[-1]]
            break
        else:
            if ctx.pos >= end:
                return
            if text[ctx.pos] == "\n":
                ctx.stack = ["root"]
                current = rules["root"]
                yield "text", "\n"
            else:
                yield "err", text[ctx.pos]
            ctx.pos += 1
