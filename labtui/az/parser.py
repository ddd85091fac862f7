"""argparse, made to fail the way az fails: az's messages, az's exit statuses, never a traceback."""

from __future__ import annotations

import argparse
import difflib
from typing import Any, Iterable, NoReturn, Sequence


REFERENCE_FOOTER = "https://aka.ms/cli_ref\nRead more about the command in reference docs\n"


class AzUsageError(Exception):
    """A command-line error az reports before anything reaches Azure.

    ``exit_status`` is 2 for argparse-level errors (unknown command or flag, bad value), 1 for
    az's own validation errors (CLIError), 3 for client-side not-found errors. Parse errors end
    with az's pointer to the reference docs, and (for a missing or bad value) up to three of the
    command's examples, as az's parser prints them."""

    def __init__(self, message: str, exit_status: int = 2, *, recommendation: str | None = None,
                 examples: Sequence[tuple[str, str]] | None = None, footer: bool = False,
                 prefix: str = "ERROR: "):
        super().__init__(message)
        self.message = message
        self.exit_status = exit_status
        self.recommendation = recommendation
        self.examples = list(examples or [])
        self.footer = footer or bool(examples)
        self.prefix = prefix

    def render(self) -> str:
        text = f"{self.prefix}{self.message}\n"
        if self.recommendation:
            text += f"{self.recommendation}\n"
        if self.footer:
            text += "\n"
            if self.examples:
                text += "Examples from command's help:\n"
                text += "".join(f"{command}\n{summary}\n\n" for command, summary in self.examples[:3])
            text += REFERENCE_FOOTER
        return text


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f"Did you mean '{close[0]}' ?" if close else None


class AzArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise AzUsageError with argparse's (= az's) wording."""

    def __init__(self, *args: Any, examples: Sequence[tuple[str, str]] = (), **kwargs: Any):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", True)
        super().__init__(*args, **kwargs)
        self.examples = list(examples)

    def error(self, message: str) -> NoReturn:
        # An unknown argument is caught by az's top-level parser, which shows no examples.
        examples = [] if message.startswith("unrecognized arguments") else self.examples
        raise AzUsageError(message, 2, examples=examples, footer=True)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise AzUsageError(message or "", status)


TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")


class EnumAction(argparse.Action):
    """A value from a fixed set, matched case-insensitively and stored in its canonical spelling;
    a bad value gets az's "is not a valid value" message."""

    def __init__(self, option_strings: list[str], dest: str, choices: Sequence[str] = (), **kwargs: Any):
        self.allowed = list(choices)
        super().__init__(option_strings, dest, **kwargs)

    def canonical(self, value: str, parser: argparse.ArgumentParser) -> str:
        for allowed in self.allowed:
            if allowed.lower() == value.lower():
                return allowed
        flag = max(self.option_strings, key=len)
        raise AzUsageError(
            f"{parser.prog}: '{value}' is not a valid value for '{flag}'. Allowed values: "
            f"{', '.join(self.allowed)}.", 2, recommendation=did_you_mean(value, self.allowed),
            examples=getattr(parser, "examples", None), footer=True)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if isinstance(values, list):
            setattr(namespace, self.dest, [self.canonical(v, parser) for v in values])
        else:
            setattr(namespace, self.dest, self.canonical(values, parser))


class BoolAction(EnumAction):
    """az's three-state booleans: ``--flag`` alone means true; ``--flag false`` and friends."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any):
        kwargs.setdefault("nargs", "?")
        kwargs.setdefault("const", "true")
        super().__init__(option_strings, dest, choices=("false", "true"), **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        word = str(values).lower()
        if word in TRUE_WORDS:
            setattr(namespace, self.dest, True)
        elif word in FALSE_WORDS:
            setattr(namespace, self.dest, False)
        else:
            self.canonical(word, parser)  # raises az's message


def int_type(value: str) -> int:
    return int(value)


int_type.__name__ = "int"   # argparse names the type in "invalid int value: 'abc'"


class NotSimulated(argparse.Action):
    """A flag real az has and labtui does not simulate: saying so is truer than "unrecognized
    arguments", which would teach that the flag does not exist."""

    def __init__(self, option_strings: list[str], dest: str, what: str = "", **kwargs: Any):
        self.what = what
        kwargs.setdefault("nargs", "?")
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        raise not_simulated(option_string or self.dest, self.what)


def not_simulated(option: str, what: str, value: str | None = None) -> AzUsageError:
    """The error for a flag (or one value of it) that real az accepts and labtui does not simulate."""
    given = f"{option} {value}" if value is not None else option
    return AzUsageError(f"{given}: real az accepts this {'value' if value is not None else 'flag'}, but labtui does "
                        f"not simulate {what}. Leave it out to go on.", 1)
