"""The line interpreter behind `labtui shell` (and the TUI's command line): az commands, the shell
idioms Microsoft's docs use (VAR=$(az ... -o tsv), $VAR, quoting, continuations), `wait 5m` to move
the simulated clock, `guest -g RG -n VM COMMAND` for a line in a VM's console, `echo`, `export`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TextIO

from ..engine.clock import parse_duration
from ..engine.guest_session import GuestSession, GuestUnreachable
from ..engine.resources import VirtualMachine
from .framework import FAST_FORWARD, Waits
from .runner import AzCli
from .script import LogicalLine, ShellSyntaxError, logical_lines, parse

if TYPE_CHECKING:
    from ..engine.world import World

GUEST_LINE = re.compile(r"^\s*guest((?:\s+(?:-g|--resource-group|-n|--name)\s+\S+)*)\s*(.*)$", re.S)
BUILTINS = "az, wait, sleep, guest, echo, export and VAR=value"


class ShellSession:
    def __init__(self, world: "World", out: TextIO, err: TextIO, *, echo: bool = False,
                 interactive: bool = False, ask: Callable[[str], str] | None = None,
                 after_line: Callable[[], None] | None = None,
                 builtins: dict[str, Callable[[list[str]], int]] | None = None, waits: Waits = FAST_FORWARD):
        self.out, self.err = out, err
        self.echo = echo
        self.env: dict[str, str] = {"?": "0"}
        self.interactive = interactive
        self.after_line = after_line
        self.ask = ask if interactive else None
        # Commands a host adds (the lab's `lab hint`, `lab skip`, ...): name -> f(argv) -> exit status.
        self.builtins = dict(builtins or {})
        self.waits = waits
        self.use_world(world)

    def use_world(self, world: "World") -> None:
        """Point the session at another world (a lab reset builds a fresh one); variables stay."""
        self.world = world
        self.cli = AzCli(world, interactive=self.interactive, ask=self.ask, waits=self.waits)
        self.guests: dict[str, GuestSession] = {}

    # --- driving ---------------------------------------------------------------------------
    def run_lines(self, lines: Iterable[str]) -> int:
        """Run every line; returns the exit status of the last command, as a script would."""
        iterator = _Lookahead(logical_lines(lines))
        for line in iterator:
            self.run_line(line, iterator)
            if self.after_line is not None:
                self.after_line()
        return int(self.env["?"])

    def run_line(self, line: LogicalLine, following: Iterator[LogicalLine] | None = None) -> int:
        if self.echo:
            self.out.write(f"$ {line.text}\n")
        status = self._dispatch(line, following)
        self.env["?"] = str(status)
        return status

    def _dispatch(self, line: LogicalLine, following: Iterator[LogicalLine] | None) -> int:
        text = line.text
        if re.match(r"^\s*guest(\s|$)", text):
            return self._guest(text, following)
        try:
            command = parse(text, self.env, self._substitute)
        except ShellSyntaxError as bad:
            self.err.write(f"labtui: line {line.lineno}: {bad}\n")
            return 2
        for name, value in command.assignments:
            self.env[name] = value
        argv = list(command.argv)
        if not argv:
            return 0
        head = argv[0]
        if head == "az":
            result = self.cli.run(argv, line=text)
            # az prints warnings while it works, the result at the end.
            self.err.write(result.stderr)
            self.out.write(result.stdout)
            return result.exit_status
        if head == "echo":
            self.out.write(" ".join(argv[1:]) + "\n")
            return 0
        if head in self.builtins:
            return self.builtins[head](argv)
        if head in ("wait", "sleep"):
            return self._wait(argv)
        extra = "".join(f", {name}" for name in self.builtins)
        self.err.write(f"labtui: {head}: command not found here (lines can be {BUILTINS}{extra})\n")
        return 127

    def _substitute(self, inner: str) -> str:
        """$(...): run the inner line and capture what it prints, as bash does."""
        command = parse(inner, self.env, self._substitute)
        argv = list(command.argv)
        if argv and argv[0] == "az":
            result = self.cli.run(argv, line=inner)
            self.err.write(result.stderr)
            self.env["?"] = str(result.exit_status)
            return result.stdout
        if argv and argv[0] == "echo":
            return " ".join(argv[1:]) + "\n"
        self.err.write(f"labtui: {argv[0] if argv else ''}: command not found here\n")
        return ""

    def _wait(self, argv: list[str]) -> int:
        seconds = parse_duration(argv[1]) if len(argv) == 2 else None
        if seconds is None:
            self.err.write(f"labtui: usage: {argv[0]} DURATION (e.g. 90, 30s, 5m, 2h): moves the simulated clock "
                           "on, running whatever falls due\n")
            return 2
        self.world.advance(seconds)
        return 0

    def _host_line_next(self, following: Iterator[LogicalLine] | None) -> bool:
        upcoming = following.peek() if isinstance(following, _Lookahead) else None
        return upcoming is not None and upcoming.text.split(maxsplit=1)[:1] in ([name] for name in self.builtins)

    # --- guest consoles -----------------------------------------------------------------------
    def _guest(self, text: str, following: Iterator[LogicalLine] | None) -> int:
        match = GUEST_LINE.match(text)
        options = match.group(1).split() if match else []
        pairs = dict(zip(options[::2], options[1::2]))
        group = pairs.get("-g") or pairs.get("--resource-group")
        name = pairs.get("-n") or pairs.get("--name")
        command = match.group(2) if match else ""
        if not group or not name:
            self.err.write("labtui: usage: guest -g RESOURCE_GROUP -n VM_NAME COMMAND\n")
            return 2
        try:
            group = parse(group, self.env, self._substitute).argv[0]
            name = parse(name, self.env, self._substitute).argv[0]
        except (ShellSyntaxError, IndexError):
            self.err.write("labtui: usage: guest -g RESOURCE_GROUP -n VM_NAME COMMAND\n")
            return 2
        vm = self.world.find(VirtualMachine, group, name)
        if vm is None:
            self.err.write(f"labtui: no VM '{name}' in resource group '{group}'\n")
            return 3
        session = self.guests.setdefault(vm.id.lower(), GuestSession(self.world, vm.id))
        try:
            result = session.run(command)
            self.out.write(result.output + ("\n" if result.output and not result.output.endswith("\n") else ""))
            while result.awaiting_answer:
                if following is None and self.ask is not None:
                    answer = self.ask(result.prompt)
                elif self._host_line_next(following):
                    # `lab status` after a guest question is meant for the host, never as the answer.
                    answer = ""
                    self.out.write(f"{result.prompt}\n")
                    self.err.write("labtui: the guest asked a question and the next line is a host command, so "
                                   "the question got no answer; put the answer on the line after the guest line\n")
                else:
                    answer = next(following).text if following is not None else ""
                    self.out.write(f"{result.prompt}{answer}\n")
                result = session.run(answer)
                self.out.write(result.output + ("\n" if result.output and not result.output.endswith("\n") else ""))
        except GuestUnreachable as unreachable:
            self.err.write(f"{unreachable}\n")
            return 255
        except StopIteration:
            return 1
        return result.exit_status


class _Lookahead:
    """An iterator of lines that can show the next one without taking it."""

    def __init__(self, lines: Iterable[LogicalLine]):
        self._lines = iter(lines)
        self._next: list[LogicalLine] = []

    def __iter__(self) -> "_Lookahead":
        return self

    def __next__(self) -> LogicalLine:
        return self._next.pop() if self._next else next(self._lines)

    def peek(self) -> LogicalLine | None:
        if not self._next:
            try:
                self._next.append(next(self._lines))
            except StopIteration:
                return None
        return self._next[-1]
