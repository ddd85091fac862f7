"""``--help`` text in az's layout, made from the command table and its argparse parser."""

from __future__ import annotations

import argparse
import textwrap

from .framework import Command
from .parser import AzArgumentParser

GLOBAL_ARGUMENTS = (
    ("--debug", "Increase logging verbosity to show all debug logs."),
    ("--help -h", "Show this help message and exit."),
    ("--only-show-errors", "Only show errors, suppressing warnings."),
    ("--output -o", "Output format.  Allowed values: json, jsonc, none, table, tsv, yaml, yamlc.  Default: json."),
    ("--query", "JMESPath query string. See http://jmespath.org/ for more information and examples."),
    ("--subscription", "Name or ID of subscription."),
    ("--verbose", "Increase logging verbosity. Use --debug for full debug logs."),
)


def _row(left: str, text: str, width: int = 24) -> str:
    body = textwrap.wrap(text, 76 - width) or [""]
    lines = [f"    {left:<{width}}: {body[0]}"]
    lines += [" " * (width + 6) + rest for rest in body[1:]]
    return "\n".join(lines)


def command_help(command: Command, parser: AzArgumentParser) -> str:
    out = ["", "Command", f"    az {command.path} : {command.summary}"]
    if command.long_summary:
        out += textwrap.wrap(command.long_summary, 76, initial_indent="        ", subsequent_indent="        ")
    out += ["", "Arguments"]
    actions = [a for a in parser._actions if a.option_strings and a.help != argparse.SUPPRESS]
    def required(action: argparse.Action) -> bool:
        return action.required or getattr(action, "needed", False)

    for action in sorted(actions, key=lambda a: (not required(a), a.option_strings[0])):
        flags = " ".join(action.option_strings)
        text = ("[Required] " if required(action) else "") + (action.help or "")
        if action.default not in (None, False, argparse.SUPPRESS) and "Default" not in text:
            text += f"  Default: {action.default}."
        out.append(_row(flags, text))
    out += ["", "Global Arguments"]
    out += [_row(flags, text) for flags, text in GLOBAL_ARGUMENTS]
    if command.examples:
        out += ["", "Examples"]
        for example in command.examples:
            out += [f"    {example.summary}", f"        {example.text}", ""]
    return "\n".join(out).rstrip("\n") + "\n\n"


def group_help(path: str, extensions: list[str]) -> str:
    from .registry import COMMANDS, GROUPS

    entry = GROUPS.get(path, {"summary": "", "children": []})
    out = ["", "Group", f"    az {path} : {entry['summary']}"]
    groups = [c for c in entry["children"] if c not in COMMANDS]
    commands = [c for c in entry["children"] if c in COMMANDS and
                (COMMANDS[c].extension is None or COMMANDS[c].extension in extensions)]
    if groups:
        out += ["", "Subgroups:"]
        out += [_row(g.split()[-1], GROUPS.get(g, {}).get("summary", ""), 20) for g in groups]
    if commands:
        out += ["", "Commands:"]
        out += [_row(c.split()[-1], COMMANDS[c].summary, 20) for c in commands]
    return "\n".join(out) + "\n\nFor more specific examples, use: az find \"az " + path + "\"\n\n"


def welcome() -> str:
    from .registry import GROUPS

    out = ["", "     /\\", "    /  \\    _____   _ _  ___ _", "   / /\\ \\  |_  / | | | \\'__/ _\\",
           "  / ____ \\  / /| |_| | | |  __/", " /_/    \\_\\/___|\\__,_|_|  \\___|", "",
           "Welcome to the cool new Azure CLI! (simulated by labtui: nothing here touches a real subscription)",
           "", "Here are the base commands:", ""]
    out += [_row(c, GROUPS.get(c, {}).get("summary", ""), 20) for c in GROUPS[""]["children"]]
    return "\n".join(out) + "\n\n"
