"""A lab hosted on the command line: the student's lines run through a `ShellSession`, the lab runner
watches the world, and `lab ...` lines ask it for hints, skips, the score. `labtui shell --lab`,
`labtui lab` and the TUI's command line all host a lab this way.

This sits above both the lab package and the az layer, which never import each other: it hands the
lab runner a function that runs solution lines through the shell.
"""

from __future__ import annotations

import io
import json
from typing import Any, Callable, TextIO

from ..az.framework import FAST_FORWARD, Waits
from ..az.shell import ShellSession
from ..engine.world import World
from ..lab.model import Lab, Step
from ..lab.runner import LabCompleted, LabRunner, Notice, SkipFailed, StepCompleted, TrapHit
from ..lab.setup import build_world

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


def minutes(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class LabHost:
    """One lab played through shell lines: the session, the runner, and how notices are shown."""

    def __init__(self, lab: Lab, world: World, out: TextIO, err: TextIO, *, as_json: bool = False,
                 echo: bool = False, interactive: bool = False, seed: int | None = None,
                 saved: Callable[[], None] | None = None, ask: Callable[[str], str] | None = None,
                 waits: Waits = FAST_FORWARD, real_clock: Callable[[], float] | None = None,
                 on_notice: Callable[[Notice], None] | None = None):
        self.lab = lab
        self.out, self.err = out, err
        self.as_json = as_json
        self.interactive = interactive
        self.seed = seed
        self.saved = saved
        self.real_clock = real_clock
        self.on_notice = on_notice      # a front end that shows notices its own way as well (the TUI)
        self.pending: list[Notice] = []
        sink = io.StringIO() if as_json else None
        self.session = ShellSession(world, sink or out, err if not as_json else sink, echo=echo,
                                    interactive=interactive, ask=ask,
                                    after_line=self.after_line, builtins={"lab": self.lab_command}, waits=waits)
        self.runner = self._runner(world)

    def _runner(self, world: World) -> LabRunner:
        return LabRunner(self.lab, world, notify=self.pending.append, run_commands=self._run_solution,
                         **({"real_clock": self.real_clock} if self.real_clock else {}))

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
            if self.on_notice is not None:
                self.on_notice(notice)
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
                           f"(at {minutes(notice.at)} simulated)\n")
            if step.explanation:
                self.out.write(indent(step.explanation) + "\n")
        elif isinstance(notice, TrapHit):
            trap = notice.trap
            if self.as_json:
                self.emit("trap", trap=trap.id, title=trap.title, step=notice.step_id, at=notice.at,
                          feedback=trap.feedback.strip())
                return
            self.out.write(f"⚠ Trap: {trap.title} (−10 points; keep going)\n{indent(trap.feedback)}\n")
        elif isinstance(notice, LabCompleted):
            score = notice.score
            if self.as_json:
                self.emit("lab_completed", lab=self.lab.id, score=score.to_json())
                return
            self.out.write(f"★ Lab complete: {self.lab.title}\n"
                           f"  Score {score.points}/100 · {score.steps_done}/{score.steps_required} steps by you"
                           f"{f', {score.steps_skipped} skipped' if score.steps_skipped else ''} · "
                           f"{score.hints} hint{'s' if score.hints != 1 else ''} · {score.traps} "
                           f"trap{'s' if score.traps != 1 else ''} · {minutes(score.simulated_seconds)} simulated, "
                           f"{minutes(score.real_seconds)} real\n")
            if self.lab.quiz:
                self.out.write(f"  One more thing: the closing quiz ({len(self.lab.quiz)} questions). "
                               "Type `lab quiz`.\n")

    def show_step(self, step: Step, instructions: bool = True) -> None:
        index = self.lab.steps.index(step)
        optional = " (optional)" if step.optional else ""
        self.out.write(f"→ Step {index + 1}/{len(self.lab.steps)}{optional}: {step.title}\n")
        if instructions:
            self.out.write(indent(step.instructions) + "\n")

    def start(self) -> None:
        if self.as_json:
            self.emit("lab_started", lab=self.lab.id, title=self.lab.title, steps=[s.id for s in self.lab.steps])
        else:
            self.out.write(f"Lab: {self.lab.title} ({self.lab.objective}, {self.lab.difficulty}, about "
                           f"{self.lab.minutes} min) · {len(self.lab.steps)} steps. Type `lab help` for help.\n")
            if self.lab.mode == "explore":
                self.out.write(indent(self.lab.summary) + "\nGoals, in any order:\n")
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
            self.out.write(f"{minutes(entry['at']):>8}  {where}{entry['line']}{status}{skipped}\n")
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


def indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.strip().splitlines())
