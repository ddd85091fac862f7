"""Runs one az command line against a world, exactly as az would print it, and records it.

Global flags, command lookup with az's "misspelled" errors, ``--help`` for every group and command,
argument parsing, the handler, ARM errors in az's three-line form with az's exit statuses, output
formatting, and a CommandRun event on the world for every line, whatever happened to it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Sequence

import attrs

from ..engine.errors import ArmError
from . import help as helptext
from .framework import FAST_FORWARD, Command, Context, DeploymentFailed, Waits
from .output import OUTPUT_FORMATS, QueryError, compile_query, render
from .parser import REFERENCE_FOOTER, AzArgumentParser, AzUsageError, did_you_mean

if TYPE_CHECKING:
    from ..engine.world import World

log = logging.getLogger(__name__)

_PARSERS: dict[str, AzArgumentParser] = {}


@attrs.frozen
class AzResult:
    stdout: str
    stderr: str
    exit_status: int
    error_code: str | None = None
    value: Any = None


@attrs.define
class Globals:
    output: str = "json"
    query: str | None = None
    help: bool = False
    only_show_errors: bool = False
    subscription: str | None = None


def split_globals(argv: Sequence[str]) -> tuple[list[str], Globals]:
    """Take az's global arguments out of ``argv`` wherever they stand."""
    rest: list[str] = []
    found = Globals()
    index = 0
    while index < len(argv):
        word = argv[index]
        flag, eq, inline = word.partition("=")
        takes_value = flag in ("--output", "-o", "--query", "--subscription")
        if takes_value:
            if eq:
                value = inline
            elif index + 1 < len(argv):
                index += 1
                value = argv[index]
            else:
                raise AzUsageError(f"argument {'--output/-o' if flag in ('--output', '-o') else flag}: expected one "
                                   "argument", 2)
            if flag in ("--output", "-o"):
                found.output = value        # checked once the command is known: az names it
            elif flag == "--query":
                found.query = value
            else:
                found.subscription = value
        elif word in ("-h", "--help"):
            found.help = True
        elif word == "--only-show-errors":
            found.only_show_errors = True
        elif word in ("--verbose", "--debug"):
            pass
        else:
            rest.append(word)
        index += 1
    return rest, found


def parser_for(command: Command) -> AzArgumentParser:
    parser = _PARSERS.get(command.path)
    if parser is None:
        parser = AzArgumentParser(prog=f"az {command.path}",
                                  examples=[(e.text.split("\n")[0], e.summary) for e in command.examples])
        command.arguments(parser)
        _PARSERS[command.path] = parser
    return parser


def find_command(words: list[str], extensions: list[str]) -> tuple[Command | None, int]:
    """The command named by the leading words, and how many words its path takes."""
    from .registry import COMMANDS      # here, as in help: the command modules load on the first command

    for length in range(min(len(words), 4), 0, -1):
        command = COMMANDS.get(" ".join(words[:length]))
        if command is not None and (command.extension is None or command.extension in extensions):
            return command, length
    return None, 0


class AzCli:
    def __init__(self, world: "World", *, interactive: bool = False, ask: Callable[[str], str] | None = None,
                 color: bool = False, waits: Waits = FAST_FORWARD):
        self.world = world
        self.waits = waits
        self.interactive = interactive
        self.ask = ask
        self.color = color

    def run(self, argv: Sequence[str], line: str | None = None) -> AzResult:
        argv = list(argv)
        if argv and argv[0] == "az":
            argv = argv[1:]
        line = line if line is not None else "az " + " ".join(argv)
        result = self._run(argv)
        self.world.record_command("az", line, result.exit_status, error_code=result.error_code, argv=argv,
                                  output=result.stdout)
        return result

    def _run(self, argv: list[str]) -> AzResult:
        try:
            words, flags = split_globals(argv)
        except AzUsageError as usage:
            return AzResult("", usage.render(), usage.exit_status, "InvalidArgumentValue")
        from .framework import az_state

        extensions = az_state(self.world)["extensions"]
        command, length = find_command([w for w in words if not w.startswith("-")][:4] if words else [], extensions)
        if command is None or (length and words[:length] != list(command.words)):
            return self._no_command(words, flags, extensions)
        if flags.help:
            return AzResult(helptext.command_help(command, parser_for(command)), "", 0)
        if flags.output not in OUTPUT_FORMATS:
            usage = AzUsageError(f"az {command.path}: '{flags.output}' is not a valid value for '--output'. Allowed "
                                 "values: json, jsonc, yaml, yamlc, table, tsv, none.", 2,
                                 examples=parser_for(command).examples, footer=True)
            return AzResult("", usage.render(), 2, "InvalidArgumentValue")
        try:
            args = parser_for(command).parse_args(words[length:])
            if flags.query:
                compile_query(flags.query)      # a bad --query is a parse error, before anything runs
        except AzUsageError as usage:
            return AzResult("", usage.render(), usage.exit_status, _usage_code(usage.message))
        except QueryError as bad_query:
            return AzResult("", f"ERROR: {bad_query}\n{bad_query.recommendation}\n", 2, "InvalidArgumentValue")
        if flags.subscription is not None and not self._is_this_subscription(flags.subscription) \
                and command.words[0] not in ("configure", "extension"):
            # az resolves --subscription against the signed-in account's subscriptions; this one has one.
            return AzResult("", f"ERROR: Subscription '{flags.subscription}' not found. Check the spelling and "
                            "casing and try again.\n", 1, "SubscriptionNotFound")
        context = Context(self.world, command, args, interactive=self.interactive, ask=self.ask, waits=self.waits)
        if command.preview:
            context.warn(command.preview)
        try:
            value = command.handler(context)
            stdout = render(value, flags.output, flags.query, table_transformer=command.table, color=self.color)
        except AzUsageError as usage:
            if usage.exit_status == 2 and not usage.footer:
                # A parse-level error found by the handler (a flag that a configured default may fill).
                usage.footer, usage.examples = True, parser_for(command).examples
            return AzResult("", self._warnings(context, flags) + usage.render(), usage.exit_status,
                            _usage_code(usage.message))
        except ArmError as error:
            status = 3 if error.not_found else 1
            if error.not_found and getattr(context, "validating", False):
                status = command.validator_exit
            if isinstance(error, DeploymentFailed):
                status, text = 1, error.render()
            else:
                text = f"ERROR: ({error.code}) {error.message}\nCode: {error.code}\nMessage: {error.message}\n"
            return AzResult("", self._warnings(context, flags) + text, status, error.code)
        except Exception as unexpected:  # noqa: BLE001 - a student never sees a traceback
            log.exception("az command failed unexpectedly: %s", argv)
            return AzResult("", f"ERROR: labtui could not run this command ({type(unexpected).__name__}: "
                            f"{unexpected}). This is a bug in labtui; please report it with the command line.\n",
                            1, "InternalError")
        return AzResult(stdout, self._warnings(context, flags), 0, value=value)

    def _is_this_subscription(self, given: str) -> bool:
        wanted = given.strip().lower()
        return wanted in (self.world.subscription_id.lower(), self.world.settings.subscription_name.lower())

    @staticmethod
    def _warnings(context: Context, flags: Globals) -> str:
        if flags.only_show_errors:
            return ""
        return "".join(f"WARNING: {w}\n" for w in context.warnings)

    def _no_command(self, words: list[str], flags: Globals, extensions: list[str]) -> AzResult:
        from .registry import COMMANDS, GROUPS, is_group

        path: list[str] = []
        for word in words:
            if word.startswith("-"):
                break
            if is_group(" ".join([*path, word])):
                path.append(word)
                continue
            choices = [c.split()[-1] for c in GROUPS.get(" ".join(path), {}).get("children", [])
                       if c not in COMMANDS or COMMANDS[c].extension in (None, *extensions)]
            text = f"ERROR: '{word}' is misspelled or not recognized by the system.\n"
            hint = did_you_mean(word, choices)
            if hint:
                text += f"{hint}\n"
            text += "\n" + REFERENCE_FOOTER
            return AzResult("", text, 2, "CommandNotFound")
        if not path and not words:
            return AzResult(helptext.welcome(), "", 0)
        if words and words[len(path):] and not flags.help:
            # A group followed by flags only: az shows the group's help and fails the parse.
            return AzResult("", f"ERROR: unrecognized arguments: {' '.join(words[len(path):])}\n", 2,
                            "UnrecognizedArguments")
        return AzResult(helptext.group_help(" ".join(path), extensions), "", 0)


def _usage_code(message: str) -> str:
    if message.startswith("unrecognized arguments"):
        return "UnrecognizedArguments"
    if message.startswith("the following arguments are required") or "Missing required" in message \
            or "are required" in message:
        return "RequiredArgumentMissing"
    if message == "Operation cancelled.":
        return "OperationCancelled"
    return "InvalidArgumentValue"
