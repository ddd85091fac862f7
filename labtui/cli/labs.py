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
from typing import Any, Callable, TextIO

from ..az.script import logical_lines
from ..az.shell import ShellSession
from ..engine.persist import Sandbox
from ..engine.world import World
from ..lab import library
from ..lab.loader import LabInvalid, Problem, locate
from ..lab.model import Lab, Step
from ..lab.runner import LabCompleted, LabRunner, Notice, SkipFailed, StepCompleted, TrapHit
from ..lab.setup import SetupFailed, build_world
from .sandbox import DEFAULT_SPEED, ask, data_dir, open_sandbox, prompt_lines, seed_of

LAB_HELP = """lab commands (in a free-exploration lab, name the goal: lab hint GOAL-ID):
  lab status        what the current step still needs
  lab hint          reveal the next hint (each hint costs 5 points)
  lab show          the current step's instructions again
  lab steps         every step, with the ones done ticked
  lab skip          run the current step's solution (the step counts as skipped)
  lab reset         start the lab again from its first step, on a fresh world
  lab transcript    the commands you ran, in order
  lab score         the score so far
  lab quiz          the closing quiz; answer with: lab answer b a c ...
"""


def run(options: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "list": cmd_list, "validate": cmd_validate, "shell": cmd_shell, "lab": cmd_lab, "author": cmd_author}
    return handlers[options.command](options)


def _minutes(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


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

class LabHost:
    """One lab played through shell lines: the session, the runner, and how notices are shown."""

    def __init__(self, lab: Lab, world: World, out: TextIO, err: TextIO, *, as_json: bool = False,
                 echo: bool = False, interactive: bool = False, seed: int | None = None,
                 saved: Callable[[], None] | None = None):
        self.lab = lab
        self.out, self.err = out, err
        self.as_json = as_json
        self.interactive = interactive
        self.seed = seed
        self.saved = saved
        self.pending: list[Notice] = []
        sink = io.StringIO() if as_json else None
        self.session = ShellSession(world, sink or out, err if not as_json else sink, echo=echo,
                                    interactive=interactive, ask=ask if interactive else None,
                                    after_line=self.after_line, builtins={"lab": self.lab_command})
        self.runner = self._runner(world)

    def _runner(self, world: World) -> LabRunner:
        return LabRunner(self.lab, world, notify=self.pending.append, run_commands=self._run_solution)

    @property
    def world(self) -> World:
        return self.session.world

    def _run_solution(self, lines: list[str]) -> int:
        echo = self.session.echo
        self.session.echo = not self.as_json
        try:
            return self.session.run_lines(lines)
        finally:
            self.session.echo = echo

    # --- output ------------------------------------------------------------------------------
    def emit(self, event: str, **fields: Any) -> None:
        self.out.write(json.dumps({"event": event, **fields}) + "\n")

    def after_line(self) -> None:
        notices, self.pending[:] = list(self.pending), []
        for notice in notices:
            self.show(notice)
        # The step to do next, once, after every completion this line brought about.
        following = self.runner.current_step
        if (not self.as_json and following is not None and self.lab.mode == "guided"
                and any(isinstance(n, StepCompleted) for n in notices)):
            self.show_step(following, instructions=self.interactive)
        if self.saved is not None:
            self.saved()

    def show(self, notice: Notice) -> None:
        total = len(self.lab.steps)
        if isinstance(notice, StepCompleted):
            step = notice.step
            if self.as_json:
                self.emit("step_completed", step=step.id, index=notice.index + 1, title=step.title,
                          skipped=notice.skipped, at=notice.at)
                return
            mark = "skipped" if notice.skipped else "done"
            self.out.write(f"✓ Step {notice.index + 1}/{total} {mark}: {step.title} "
                           f"(at {_minutes(notice.at)} simulated)\n")
            if step.explanation:
                self.out.write(_indent(step.explanation) + "\n")
        elif isinstance(notice, TrapHit):
            trap = notice.trap
            if self.as_json:
                self.emit("trap", trap=trap.id, title=trap.title, step=notice.step_id, at=notice.at,
                          feedback=trap.feedback.strip())
                return
            self.out.write(f"⚠ Trap: {trap.title} (−10 points; keep going)\n{_indent(trap.feedback)}\n")
        elif isinstance(notice, LabCompleted):
            score = notice.score
            if self.as_json:
                self.emit("lab_completed", lab=self.lab.id, score=score.to_json())
                return
            self.out.write(f"★ Lab complete: {self.lab.title}\n"
                           f"  Score {score.points}/100 · {score.steps_done}/{score.steps_required} steps by you"
                           f"{f', {score.steps_skipped} skipped' if score.steps_skipped else ''} · "
                           f"{score.hints} hint{'s' if score.hints != 1 else ''} · {score.traps} "
                           f"trap{'s' if score.traps != 1 else ''} · {_minutes(score.simulated_seconds)} simulated, "
                           f"{_minutes(score.real_seconds)} real\n")
            if self.lab.quiz:
                self.out.write(f"  One more thing: the closing quiz ({len(self.lab.quiz)} questions). "
                               "Type `lab quiz`.\n")

    def show_step(self, step: Step, instructions: bool = True) -> None:
        index = self.lab.steps.index(step)
        optional = " (optional)" if step.optional else ""
        self.out.write(f"→ Step {index + 1}/{len(self.lab.steps)}{optional}: {step.title}\n")
        if instructions:
            self.out.write(_indent(step.instructions) + "\n")

    def start(self) -> None:
        if self.as_json:
            self.emit("lab_started", lab=self.lab.id, title=self.lab.title, steps=[s.id for s in self.lab.steps])
        else:
            self.out.write(f"Lab: {self.lab.title} ({self.lab.objective}, {self.lab.difficulty}, about "
                           f"{self.lab.minutes} min) · {len(self.lab.steps)} steps. Type `lab help` for help.\n")
            if self.lab.mode == "explore":
                self.out.write(_indent(self.lab.summary) + "\nGoals, in any order:\n")
                for step in self.lab.steps:
                    self.out.write(f"  {'✓' if self.runner.is_done(step) else '·'} {step.title}   [{step.id}]\n")
                self.out.write("Name a goal to ask about it: lab status GOAL, lab hint GOAL, lab skip GOAL.\n")
            elif self.runner.current_step is not None:
                self.show_step(self.runner.current_step, instructions=self.interactive)
        self.after_line()

    # --- the `lab` builtin --------------------------------------------------------------------
    def lab_command(self, argv: list[str]) -> int:
        verb = argv[1] if len(argv) > 1 else "help"
        handler = getattr(self, f"_lab_{verb}", None)
        if handler is None:
            self.err.write(f"labtui: lab {verb}: unknown; {LAB_HELP}")
            return 2
        return handler(argv[2:])

    def _lab_help(self, args: list[str]) -> int:
        self.out.write(LAB_HELP)
        return 0

    def _chosen(self, args: list[str]) -> tuple[bool, Step | None]:
        """The step a `lab` verb is about: the one named (explore mode's goals), else the current one."""
        if not args:
            return True, self.runner.current_step
        step = self.lab.step(args[0])
        if step is None:
            self.err.write(f"labtui: no step '{args[0]}' in this lab; the steps are "
                           f"{', '.join(s.id for s in self.lab.steps)}\n")
            return False, None
        if self.lab.mode == "guided" and step is not self.runner.current_step:
            self.err.write("labtui: steps complete in order: only the current step can be asked about\n")
            return False, None
        return True, step

    def _lab_status(self, args: list[str]) -> int:
        runner = self.runner
        if args:
            ok, step = self._chosen(args)
            if not ok:
                return 2
            clauses = runner.unmet(step)
            if self.as_json:
                self.emit("unmet", step=step.id, clauses=clauses)
            else:
                self.out.write(f"{step.title}: {'done' if runner.is_done(step) else 'still needs'}\n")
                for clause in clauses if not runner.is_done(step) else []:
                    self.out.write(f"  · {clause}\n")
            return 0
        if runner.completed:
            if self.as_json:
                self.emit("unmet", step=None, clauses=[])
            else:
                self.out.write("The lab is complete. `lab score` shows how it went.\n")
            return 0
        for step in runner.active_steps if self.lab.mode == "explore" else runner.active_steps[:1]:
            clauses = runner.unmet(step)
            if self.as_json:
                self.emit("unmet", step=step.id, clauses=clauses)
                continue
            self.out.write(f"Step {self.lab.steps.index(step) + 1}: {step.title}: still needs\n")
            for clause in clauses:
                self.out.write(f"  · {clause}\n")
        return 0

    def _lab_show(self, args: list[str]) -> int:
        ok, step = self._chosen(args)
        if not ok:
            return 2
        if self.as_json:
            self.emit("step", step=step.id if step else None, title=step.title if step else None,
                      instructions=step.instructions if step else None)
            return 0
        if step is None:
            self.out.write("No step left: the lab is complete.\n")
        else:
            self.show_step(step)
        return 0

    def _lab_steps(self, args: list[str]) -> int:
        current = self.runner.current_step
        if self.as_json:
            self.emit("steps", steps=[{"step": s.id, "title": s.title, "optional": s.optional,
                                       "done": self.runner.is_done(s), "skipped": self.runner.was_skipped(s),
                                       "current": s is current} for s in self.lab.steps])
            return 0
        for index, step in enumerate(self.lab.steps):
            if self.runner.is_done(step):
                mark = "»" if self.runner.was_skipped(step) else "✓"
            else:
                mark = "→" if step is current and self.lab.mode == "guided" else "·"
            optional = " (optional)" if step.optional else ""
            goal = f"   [{step.id}]" if self.lab.mode == "explore" else ""
            self.out.write(f"{mark} {index + 1}. {step.title}{optional}{goal}\n")
        return 0

    def _lab_hint(self, args: list[str]) -> int:
        ok, step = self._chosen(args)
        if not ok:
            return 2
        hint = self.runner.hint(step) if step else None
        if hint is None:
            self.err.write("labtui: no more hints for this step. `lab skip` runs its solution.\n")
            return 1
        number = self.runner.progress["hints"][step.id]
        if self.as_json:
            self.emit("hint", step=step.id, number=number, hint=hint)
        else:
            self.out.write(f"Hint {number}/{len(step.hints)}: {hint}\n")
        return 0

    def _lab_skip(self, args: list[str]) -> int:
        ok, step = self._chosen(args)
        if not ok:
            return 2
        try:
            self.runner.skip(step)
        except SkipFailed as failed:
            self.err.write(f"labtui: cannot skip: {failed}\n")
            return 1
        return 0

    def _lab_reset(self, args: list[str]) -> int:
        self.runner.detach()
        world = build_world(self.lab, seed=self.seed, speed=self.world.clock.speed)
        self.session.use_world(world)
        self.runner = self._runner(world)
        self.pending.clear()
        if self.as_json:
            self.emit("lab_reset", lab=self.lab.id)
        else:
            self.out.write("The lab starts again on a fresh world.\n")
        self.start()
        return 0

    def _lab_transcript(self, args: list[str]) -> int:
        entries = self.runner.transcript()
        if self.as_json:
            self.emit("transcript", commands=entries)
            return 0
        for entry in entries:
            where = f"[{entry['vm']}] " if entry.get("vm") else ""
            status = "" if entry["exit_status"] == 0 else f"   # exit {entry['exit_status']}" + \
                (f", {entry['error_code']}" if entry.get("error_code") else "")
            skipped = "   # from the solution" if entry.get("skipped") else ""
            self.out.write(f"{_minutes(entry['at']):>8}  {where}{entry['line']}{status}{skipped}\n")
        return 0

    def _lab_score(self, args: list[str]) -> int:
        score = self.runner.score()
        if self.as_json:
            self.emit("score", completed=self.runner.completed, score=score.to_json())
        else:
            state = "final" if self.runner.completed else "so far"
            self.out.write(f"Score {state}: {score.points}/100 ({score.steps_done}/{score.steps_required} steps, "
                           f"{score.hints} hints, {score.traps} traps)\n")
        return 0

    def _lab_quiz(self, args: list[str]) -> int:
        if not self.lab.quiz:
            self.out.write("This lab has no quiz.\n")
            return 0
        if self.as_json:
            self.emit("quiz", questions=[{"question": q.question.strip(), "choices": [c.text for c in q.choices]}
                                         for q in self.lab.quiz])
            return 0
        for number, question in enumerate(self.lab.quiz, 1):
            self.out.write(f"{number}. {question.question.strip()}\n")
            for letter, choice in zip("abcdefgh", question.choices):
                self.out.write(f"   {letter}) {choice.text}\n")
        self.out.write(f"Answer with one letter per question, in order: lab answer "
                       f"{' '.join('abc'[i % 3] for i in range(len(self.lab.quiz)))}\n")
        return 0

    def _lab_answer(self, args: list[str]) -> int:
        quiz = self.lab.quiz
        letters = [a.lower() for a in args]
        if len(letters) != len(quiz) or any(len(a) != 1 or a not in "abcdefgh"[:len(q.choices)]
                                            for a, q in zip(letters, quiz)):
            self.err.write(f"labtui: lab answer: give one letter per question ({len(quiz)} questions), "
                           "e.g. lab answer " + " ".join("a" for _ in quiz) + "\n")
            return 2
        answers = ["abcdefgh".index(a) for a in letters]
        result = self.runner.answer_quiz(answers)
        if self.as_json:
            self.emit("quiz_result", correct=result.correct, total=result.total, percent=result.percent,
                      passed=result.passed)
            return 0
        for number, (question, answer) in enumerate(zip(quiz, answers), 1):
            chosen = question.choices[answer]
            verdict = "✓" if chosen.correct else f"✗ (the answer is {'abcdefgh'[question.answer]})"
            self.out.write(f"{number}. {verdict} {chosen.explanation.strip()}\n")
        self.out.write(f"Quiz: {result.correct}/{result.total} ({result.percent}%): "
                       f"{'passed' if result.passed else 'not passed; 60% passes'}\n")
        return 0


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.strip().splitlines())


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
        host = LabHost(lab, saved.world, sys.stdout, sys.stderr, interactive=True, seed=seed, saved=saved.save)
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
