"""argparse, made to fail the way az fails: az's messages, az's exit statuses, never a traceback."""

from __future__ import annotations

import argparse
import difflib
from typing import Any, Iterable, NoReturn, Sequence


class AzUsageError(Exception):
    """A command-line error az reports before anything reaches Azure.

    ``exit_status`` is 2 for argparse-level errors (unknown command or flag, bad value), 1 for
    az's own validation errors (CLIError), 3 for client-side not-found errors."""

    def __init__(self, message: str, exit_status: int = 2, *, recommendation: str | None = None,
                 prefix: str = "ERROR: "):
        super().__init__(message)
        self.message = message
        self.exit_status = exit_status
        self.recommendation = recommendation
        self.prefix = prefix

    def render(self) -> str:
        text = f"{self.prefix}{self.message}\n"
        if self.recommendation:
            text += f"{self.recommendation}\n"
        return text


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f"Did you mean '{close[0]}' ?" if close else None


class AzArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise AzUsageError with argparse's (= az's) wording."""

    def __init__(self, *args: Any, examples: Sequence[str] = (), **kwargs: Any):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", True)
        super().__init__(*args, **kwargs)
        self.examples = list(examples)

    def error(self, message: str) -> NoReturn:
        hint = None
        if self.examples:
            hint = "\nExamples from command's help:\n" + "\n".join(self.examples[:2])
        raise AzUsageError(message, 2, recommendation=hint)

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
            f"{', '.join(self.allowed)}.", 2, recommendation=did_you_mean(value, self.allowed))

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
