"""The lab commands: `labtui list`, `validate`, `shell --lab`, `lab` and `author`.

This is where a lab meets the az layer: `LabHost` runs the student's lines through a
`ShellSession` and hands the lab runner a function that runs solution lines the same way, so the
lab package itself never imports az.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Callable

from ..az.script import logical_lines
from ..az.shell import ShellSession
from ..engine.persist import Sandbox
from ..engine.world import World
from ..host.lab_host import LabHost
from ..lab import library
from ..lab.loader import LabInvalid, Problem, locate
from ..lab.model import Lab
from ..lab.runner import LabRunner, StepCompleted
from ..lab.setup import SetupFailed, build_world
from .sandbox import DEFAULT_SPEED, ask, data_dir, open_sandbox, prompt_lines, seed_of

def run(options: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "list": cmd_list, "validate": cmd_validate, "shell": cmd_shell, "lab": cmd_lab, "author": cmd_author}
    return handlers[options.command](options)


# --- list ----------------------------------------------------------------------------------------

def cmd_list(options: argparse.Namespace) -> int:
    labs, problems = library.load_library()
    for problem in problems:
        sys.stderr.write(f"labtui: skipping a lab that does not load: {problem}\n")
    base = data_dir(options.data_dir)
    rows = []
    for lab in labs:
        summary = library.read_summary(library.lab_dir(base, lab.id)) or {}
        rows.append({"id": lab.id, "title": lab.title, "objective": lab.objective, "difficulty": lab.difficulty,
                     "minutes": lab.minutes, "steps": len(lab.steps), "mode": lab.mode,
                     "status": summary.get("status", "not started"), "steps_done": summary.get("steps_done", 0),
                     "score": summary.get("score")})
    if options.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    print(f"{'ID':<28} {'TITLE':<52} {'OBJECTIVE':<11} {'LEVEL':<12} {'MIN':>3}  PROGRESS")
    for row in rows:
        progress = row["status"]
        if row["status"] == "in progress":
            progress = f"{row['steps_done']}/{row['steps']} steps"
        elif row["status"] == "completed":
            progress = f"completed, score {row['score']}"
        print(f"{row['id']:<28} {row['title'][:52]:<52} {row['objective']:<11} {row['difficulty']:<12} "
              f"{row['minutes']:>3}  {progress}")
    print("\nStart one with: labtui lab ID   (or play a script: labtui shell --lab ID < lines.sh)")
    return 0


# --- validate ------------------------------------------------------------------------------------

def validate_lab(lab: Lab, text: str, file: str, play: bool = True) -> list[Problem]:
    """What only running the lab shows: a setup Azure would refuse, a step already met at the start,
    and (with ``play``) a solution that does not complete its step or that springs a trap."""
    try:
        world = build_world(lab, speed=0)
    except SetupFailed as failed:
        return [locate(file, text, ("setup", failed.index), failed.message)]
    order = [step.id for step in lab.steps]
    met: list[str] = []
    runner = LabRunner(lab, world, notify=lambda n: met.append(n.step.id) if isinstance(n, StepCompleted) else None)
    runner.detach()
    problems = [locate(file, text, ("steps", order.index(step_id), "check"),
                       f"step '{step_id}' is already met when the lab starts: its check must ask for something "
                       "the student has yet to do") for step_id in met]
    if problems or not play:
        return problems
    host = LabHost(lab, build_world(lab, speed=0), io.StringIO(), io.StringIO(), as_json=True)
    for index, step in enumerate(lab.steps):
        sprung = len(host.runner.progress["traps"])
        host.session.run_lines(list(step.solution))
        host.session.world.run_until_idle()
        for trap in host.runner.progress["traps"][sprung:]:
            problems.append(locate(file, text, ("steps", index, "solution"),
                                   f"the solution of step '{step.id}' springs the trap '{trap['id']}'"))
        if not host.runner.is_done(step):
            unmet = "; ".join(host.runner.unmet(step)) or "an earlier step is not done"
            problems.append(locate(file, text, ("steps", index, "solution"),
                                   f"after the solutions so far, step '{step.id}' is not complete: {unmet}"))
            break
    return problems


def cmd_validate(options: argparse.Namespace) -> int:
    files = [Path(f) for f in options.files] or library.lab_files()
    problems: list[Problem] = []
    valid = 0
    for path in files:
        try:
            lab = library.load_lab(path)
        except LabInvalid as invalid:
            problems.extend(invalid.problems)
            continue
        found = validate_lab(lab, path.read_text(encoding="utf-8"), str(path), play=not options.no_play)
        problems.extend(found)
        valid += not found
    if options.json:
        sys.stdout.write(json.dumps([p.to_json() for p in problems], indent=2) + "\n")
    else:
        for problem in problems:
            print(problem)
        print(f"{valid} of {len(files)} lab file{'s' if len(files) != 1 else ''} valid"
              + (f", {len(problems)} problem{'s' if len(problems) != 1 else ''}" if problems else ""),
              file=sys.stderr if problems else sys.stdout)
    return 1 if problems or not files else 0


# --- playing a lab -------------------------------------------------------------------------------

def _load(name: str) -> Lab | None:
    try:
        return library.find_lab(name)
    except library.UnknownLab as unknown:
        sys.stderr.write(f"labtui: {unknown}\n")
    except LabInvalid as invalid:
        sys.stderr.write(f"labtui: the lab does not load:\n{invalid}\n")
    return None


class _LabSandbox:
    """A lab's own saved world under the data directory, or nothing (a fresh world each run)."""

    def __init__(self, lab: Lab, directory: Path | None, seed: int, restart: bool = False):
        self.lab = lab
        self.directory = directory
        self.sandbox: Sandbox | None = None
        self.host: LabHost | None = None
        if directory is None:
            self.world = build_world(lab, seed=seed, speed=DEFAULT_SPEED)
            return
        self.sandbox, world = open_sandbox(directory, seed)
        if self.sandbox is None:
            raise SystemExit(1)
        if restart or world.annex.get("lab", {}).get("lab") != lab.id:
            world = build_world(lab, seed=seed, speed=DEFAULT_SPEED)
        self.world = world

    def save(self) -> None:
        if self.sandbox is not None and self.host is not None:
            self.host.runner.sync_time()
            self.sandbox.save(self.host.world)
            library.write_summary(self.sandbox.directory, self.host.runner.summary())

    def close(self) -> None:
        if self.sandbox is not None:
            self.save()
            self.sandbox.unlock()


def cmd_shell(options: argparse.Namespace) -> int:
    lab = _load(options.lab)
    if lab is None:
        return 2
    seed = seed_of(options.seed) if options.seed is not None else lab.seed
    directory = options.shell_data_dir or options.data_dir
    try:
        saved = _LabSandbox(lab, library.lab_dir(Path(directory), lab.id) if directory else None, seed)
    except SetupFailed as failed:
        sys.stderr.write(f"labtui: the lab's setup failed: {failed}\n")
        return 1
    try:
        host = LabHost(lab, saved.world, sys.stdout, sys.stderr, as_json=options.json, echo=options.echo and
                       not options.json, seed=seed, saved=saved.save if saved.sandbox else None)
        saved.host = host
        host.start()
        host.session.run_lines(sys.stdin)
        return 0 if host.runner.completed else 1
    finally:
        saved.close()


def cmd_lab(options: argparse.Namespace) -> int:
    """An interactive prompt for one lab, saved under the data directory (until the TUI lands)."""
    lab = _load(options.lab)
    if lab is None:
        return 2
    seed = seed_of(options.seed) if options.seed is not None else lab.seed
    try:
        saved = _LabSandbox(lab, library.lab_dir(data_dir(options.data_dir), lab.id), seed, options.restart)
    except SetupFailed as failed:
        sys.stderr.write(f"labtui: the lab's setup failed: {failed}\n")
        return 1
    try:
        host = LabHost(lab, saved.world, sys.stdout, sys.stderr, interactive=True, seed=seed, saved=saved.save, ask=ask)
        saved.host = host
        host.start()
        for line in prompt_lines("lab$ "):
            host.session.run_line(line)
            host.after_line()
    finally:
        saved.close()
    return 0


def cmd_author(options: argparse.Namespace) -> int:
    from ..lab.author import record_draft

    base = None
    if options.from_lab:
        base = _load(options.from_lab)
        if base is None:
            return 2
    out = Path(options.out)
    lab_id = options.lab_id or out.stem.lower().replace("_", "-")
    world = build_world(base, speed=DEFAULT_SPEED) if base else World(seed=seed_of(options.seed),
                                                                      speed=DEFAULT_SPEED)
    interactive = sys.stdin.isatty()
    # With --json, standard output carries only the JSON; the session's own output goes to stderr.
    session = ShellSession(world, sys.stderr if options.json else sys.stdout, sys.stderr)
    if interactive:
        print("Recording: type the lab's solution (az commands, guest lines; answer a guest's question on the "
              "next line). `exit` ends the draft.")
    lines = prompt_lines("author$ ") if interactive else logical_lines(sys.stdin)
    draft = record_draft(world, lines, session.run_line, lab_id=lab_id,
                         title=options.title or lab_id.replace("-", " ").capitalize(), base=base)
    out.write_text(draft, encoding="utf-8")
    if options.json:
        import tomllib

        steps = tomllib.loads(draft).get("steps", [])
        sys.stdout.write(json.dumps({"file": str(out), "id": lab_id, "steps": [s["id"] for s in steps]}) + "\n")
    sys.stderr.write(f"labtui: wrote the draft lab {out}. Trim it, then check it with: labtui validate {out}\n")
    return 0
