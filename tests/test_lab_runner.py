"""The lab runner: order, event clauses from activation, traps, hints, skip, score, resume, explore."""

from __future__ import annotations

import textwrap

import pytest

from labtui.engine import persist
from labtui.lab.loader import parse_lab
from labtui.lab.runner import LabCompleted, LabRunner, SkipFailed, StepCompleted, TrapHit
from labtui.lab.setup import build_world

from lab_play import play

HEAD = '''\
format = 1
id = "runner-test"
title = "Runner test"
summary = "s"
objective = "AZ-104 3.1"
difficulty = "beginner"
minutes = 5
{extra}

[[setup]]
create = "group"
name = "rg"
location = "eastus"

[[setup]]
create = "vm"
name = "vm1"
group = "rg"
image = "Ubuntu2204"
security_type = "Standard"
'''

STEPS = '''
[[steps]]
id = "stop"
title = "Stop the bill"
instructions = "Deallocate vm1."
hints = ["one", "two"]
solution = ["az vm deallocate -g rg -n vm1"]
check = { resource = "vm", group = "rg", name = "vm1", where = { power_state = "deallocated" } }

[[steps]]
id = "look"
title = "Look at it"
instructions = "Show vm1's instance view."
solution = ["az vm get-instance-view -g rg -n vm1 -o none"]
check = { command = "vm get-instance-view" }

[[steps]]
id = "generalize"
title = "Generalize"
instructions = "Mark vm1 generalized."
solution = ["az vm generalize -g rg -n vm1"]
check = { resource = "vm", group = "rg", name = "vm1", where = { os_state = "Generalized" } }

[[traps]]
id = "stopped-not-deallocated"
title = "Stopped is billed"
during = ["stop"]
when = { resource = "vm", group = "rg", name = "vm1", where = { power_state = "stopped" } }
feedback = "Deallocate instead."

[[traps]]
id = "generalize-running"
title = "Not while running"
when = { command = "vm generalize", error = "OperationNotAllowed" }
feedback = "Stop it first."
'''


def make_lab(steps: str = STEPS, extra: str = ""):
    return parse_lab(HEAD.format(extra=extra) + textwrap.dedent(steps))


class Host:
    """The smallest host: a world, a runner, and the notices it heard."""

    def __init__(self, lab=None, world=None):
        from labtui.az.shell import ShellSession
        import io

        self.lab = lab or make_lab()
        self.world = world or build_world(self.lab, speed=0)
        self.notices: list = []
        self.now = 0.0
        self.session = ShellSession(self.world, io.StringIO(), io.StringIO())
        self.runner = LabRunner(self.lab, self.world, notify=self.notices.append,
                                run_commands=self.session.run_lines, real_clock=self.clock)

    def clock(self) -> float:
        return self.now

    def run(self, *lines: str) -> None:
        self.session.run_lines(list(lines))

    def done(self) -> list[str]:
        return [n.step.id for n in self.notices if isinstance(n, StepCompleted)]

    def traps(self) -> list[str]:
        return [n.trap.id for n in self.notices if isinstance(n, TrapHit)]


def test_steps_complete_in_order_and_the_next_is_checked_at_once():
    host = Host()
    host.run("az vm generalize -g rg -n vm1")            # refused: running
    assert host.done() == [] and host.traps() == ["generalize-running"]
    host.run("az vm deallocate -g rg -n vm1", "az vm generalize -g rg -n vm1")
    # generalize is done, but 'look' stands between: it must not complete early
    assert host.done() == ["stop"]
    host.run("az vm get-instance-view -g rg -n vm1 -o none")
    assert host.done() == ["stop", "look", "generalize"]   # generalize was already true: at once
    assert isinstance(host.notices[-1], LabCompleted)
    assert host.notices[-1].score.points == 90                # one trap


def test_event_clauses_count_only_events_after_their_step_became_active():
    host = Host()
    host.run("az vm get-instance-view -g rg -n vm1 -o none", "az vm deallocate -g rg -n vm1")
    assert host.done() == ["stop"]
    assert host.runner.unmet() == ["run az vm get-instance-view (not yet seen)"]
    host.run("az vm get-instance-view -g rg -n vm1 -o none")
    assert host.done() == ["stop", "look"]


def test_unmet_names_the_clause_and_the_value_now():
    host = Host()
    assert host.runner.unmet() == ["vm 'vm1' in 'rg' with power state = 'deallocated' (now power state is 'running')"]


def test_a_state_trap_fires_when_it_becomes_true_and_only_during_its_steps():
    host = Host()
    host.run("az vm stop -g rg -n vm1")
    assert host.traps() == ["stopped-not-deallocated"]
    host.run("az vm start -g rg -n vm1", "az vm stop -g rg -n vm1")
    assert host.traps() == ["stopped-not-deallocated", "stopped-not-deallocated"]   # false in between
    host.run("az vm deallocate -g rg -n vm1", "az vm start -g rg -n vm1", "az vm stop -g rg -n vm1")
    assert host.traps() == ["stopped-not-deallocated"] * 2                          # 'stop' is done


def test_stop_then_deallocate_is_a_correct_route_without_the_trap_when_never_left_stopped():
    lab = make_lab(STEPS.replace('power_state = "stopped"', 'power_state = "stopped", os_state = "Generalized"'))
    host = Host(lab)
    host.run("az vm stop -g rg -n vm1", "az vm deallocate -g rg -n vm1")
    assert host.done() == ["stop"] and host.traps() == []


def test_hints_one_at_a_time_and_they_cost_points():
    host = Host()
    assert [host.runner.hint(), host.runner.hint(), host.runner.hint()] == ["one", "two", None]
    assert host.runner.hints_shown(host.lab.steps[0]) == ["one", "two"]
    host.run("az vm deallocate -g rg -n vm1", "az vm get-instance-view -g rg -n vm1 -o none",
             "az vm generalize -g rg -n vm1")
    assert host.runner.score().points == 90 and host.runner.score().hints == 2


def test_progress_that_changes_with_no_cloud_event_says_so_for_the_autosave():
    from labtui.engine.events import AnnexChanged

    world = build_world(make_lab(), seed=1)
    changed: list[str] = []
    world.subscribe(lambda event: changed.append(event.key), (AnnexChanged,))
    runner = LabRunner(make_lab(), world)
    assert changed == ["lab"]                   # a fresh start
    runner.hint()
    runner.answer_quiz([])
    assert changed == ["lab", "lab", "lab"]
    LabRunner(make_lab(), world)                # resuming the same lab changes nothing
    assert changed == ["lab", "lab", "lab"]


def test_skip_runs_the_solution_through_the_host_and_counts_as_skipped():
    host = Host()
    host.runner.skip()
    assert host.done() == ["stop"] and host.runner.was_skipped(host.lab.steps[0])
    assert host.runner.transcript()[-1] == {"at": host.runner.transcript()[-1]["at"], "source": "az",
                                            "line": "az vm deallocate -g rg -n vm1", "exit_status": 0,
                                            "error_code": None, "skipped": True}
    host.run("az vm get-instance-view -g rg -n vm1 -o none", "az vm generalize -g rg -n vm1")
    score = host.runner.score()
    assert (score.points, score.steps_done, score.steps_skipped, score.steps_required) == (67, 2, 1, 3)


def test_skip_reports_a_solution_that_no_longer_works():
    host = Host()
    host.run("az vm delete -g rg -n vm1 --yes")
    with pytest.raises(SkipFailed, match="still not met: vm 'vm1' in 'rg' .* \\(none exists yet\\)"):
        host.runner.skip()


def test_traps_stay_quiet_while_a_solution_runs():
    lab = make_lab(STEPS.replace('solution = ["az vm deallocate -g rg -n vm1"]',
                                 'solution = ["az vm stop -g rg -n vm1", "az vm deallocate -g rg -n vm1"]'))
    host = Host(lab)
    host.runner.skip()
    assert host.traps() == [] and host.done() == ["stop"]


def test_progress_saves_with_the_world_and_resumes_where_it_stopped():
    host = Host()
    host.runner.hint()
    host.run("az vm deallocate -g rg -n vm1")
    host.now = 42.0
    host.runner.sync_time()
    world, _ = persist.loads(persist.dumps(host.world))
    again = Host(host.lab, world)
    assert again.done() == []                         # nothing re-announced on resume
    assert again.runner.current_step.id == "look" and again.runner.progress["hints"] == {"stop": 1}
    assert again.runner.progress["real_seconds"] == 42.0
    assert [e["line"] for e in again.runner.transcript()] == ["az vm deallocate -g rg -n vm1"]
    again.run("az vm get-instance-view -g rg -n vm1 -o none", "az vm generalize -g rg -n vm1")
    assert again.done() == ["look", "generalize"] and again.runner.completed


def test_met_event_clauses_survive_a_save():
    steps = STEPS.replace('check = { command = "vm get-instance-view" }',
                          'check = { all = [{ command = "vm get-instance-view" }, { command = "vm show" }] }')
    host = Host(make_lab(steps))
    host.run("az vm deallocate -g rg -n vm1", "az vm get-instance-view -g rg -n vm1 -o none")
    world, _ = persist.loads(persist.dumps(host.world))
    again = Host(host.lab, world)
    again.run("az vm show -g rg -n vm1 -o none")
    assert again.done() == ["look"]


def test_an_optional_step_can_be_passed_by():
    steps = STEPS.replace('id = "look"', 'id = "look"\noptional = true')
    host = Host(make_lab(steps))
    host.run("az vm deallocate -g rg -n vm1", "az vm generalize -g rg -n vm1")
    assert host.done() == ["stop", "generalize"] and host.runner.completed
    assert host.runner.progress["passed_over"] == ["look"]
    assert host.runner.score().points == 100


def test_explore_mode_takes_goals_in_any_order():
    host = Host(make_lab(extra='mode = "explore"'))
    host.run("az vm get-instance-view -g rg -n vm1 -o none")
    assert host.done() == ["look"]
    host.run("az vm deallocate -g rg -n vm1", "az vm generalize -g rg -n vm1")
    assert host.done() == ["look", "stop", "generalize"] and host.runner.completed


def test_the_transcript_holds_failures_and_guest_lines_in_order():
    host = Host()
    host.run("az vm nope", "guest -g rg -n vm1 hostname", "az vm deallocate -g rg -n vm1")
    lines = [(e["source"], e["line"], e["exit_status"], e["error_code"], e.get("vm"))
             for e in host.runner.transcript()]
    assert lines == [("az", "az vm nope", 2, "CommandNotFound", None), ("guest", "hostname", 0, None, "vm1"),
                     ("az", "az vm deallocate -g rg -n vm1", 0, None, None)]


def test_quiz_passes_at_sixty_percent():
    quiz = "".join(f'''
[[quiz]]
question = "Q{i}"
choices = [{{ text = "yes", correct = true, explanation = "." }}, {{ text = "no", explanation = "." }}]
''' for i in range(5))
    host = Host(make_lab(STEPS + quiz))
    assert host.runner.answer_quiz([0, 0, 0, 1, 1]).passed
    result = host.runner.answer_quiz([0, 0, 1, 1, 1])
    assert (result.correct, result.percent, result.passed) == (2, 40, False)
    assert host.runner.progress["quiz"]["passed"] is False


def test_time_is_kept_simulated_and_real():
    host = Host()
    host.now = 10.0
    host.run("az vm deallocate -g rg -n vm1", "wait 5m", "az vm get-instance-view -g rg -n vm1 -o none",
             "az vm generalize -g rg -n vm1")
    score = host.runner.score()
    assert score.simulated_seconds == host.runner.elapsed >= 360 and score.real_seconds == 10.0
    host.now = 99.0
    assert host.runner.score().real_seconds == 10.0        # the clock stops at completion


def test_the_shell_lab_builtins_and_reset():
    lab = make_lab()
    played = play(lab, ["lab status", "lab hint", "az vm deallocate -g rg -n vm1", "lab reset", "lab status",
                        "lab steps", "lab bogus"])
    assert [e["event"] for e in played.events] == ["lab_started", "unmet", "hint", "step_completed", "lab_reset",
                                                  "lab_started", "unmet", "steps"]
    assert played.host.runner.current_step.id == "stop"             # a fresh world and runner
    assert played.host.world.find(__import__("labtui.engine.resources", fromlist=["x"]).VirtualMachine, "rg",
                                  "vm1").power_state == "running"


def test_command_target_reads_names_and_ids_after_expansion():
    from labtui.lab.checks import command_targets

    assert command_targets(("vm", "generalize", "-g", "rg", "-n", "VM1")) == {"vm1"}
    assert command_targets(("vm", "deallocate", "--ids", "/s/x/providers/Microsoft.Compute/virtualMachines/a",
                            "/s/x/providers/Microsoft.Compute/virtualMachines/b", "-o", "none")) == {"a", "b"}
    assert command_targets(("vm", "disk", "attach", "--vm-name=v2", "--name", "d1")) == {"v2", "d1"}
    steps = STEPS.replace('check = { command = "vm get-instance-view" }',
                          'check = { command = "vm get-instance-view", target = "vm1", line = "rg" }')
    host = Host(make_lab(steps))
    host.run("az vm deallocate -g rg -n vm1", "ID=$(az vm show -g rg -n vm1 --query id -o tsv)",
             "az vm get-instance-view --ids $ID -o none")
    assert host.done() == ["stop", "look"]         # target from --ids, line regex on the expanded command


def test_a_once_trap_costs_once():
    lab = make_lab(STEPS.replace('feedback = "Stop it first."', 'feedback = "Stop it first."\nonce = true'))
    host = Host(lab)
    host.run("az vm generalize -g rg -n vm1", "az vm generalize -g rg -n vm1")
    assert host.traps() == ["generalize-running"]


def test_the_transcript_keeps_the_command_that_completed_the_lab():
    host = Host()
    host.run("az vm deallocate -g rg -n vm1", "az vm get-instance-view -g rg -n vm1 -o none",
             "az vm generalize -g rg -n vm1", "az vm show -g rg -n vm1 -o none")
    assert host.runner.completed
    assert [e["line"] for e in host.runner.transcript()][-2:] == ["az vm generalize -g rg -n vm1",
                                                                  "az vm show -g rg -n vm1 -o none"]


def test_explore_goals_can_be_named_for_hints_and_skips():
    lab = make_lab(extra='mode = "explore"')
    played = play(lab, ["lab hint generalize", "lab hint stop", "lab skip look", "lab status nope"])
    hints = played.of("hint")
    assert [(h["step"], h["hint"]) for h in hints] == [("stop", "one")]    # 'generalize' has no hints
    assert played.steps == ["look"] and played.host.runner.was_skipped(lab.step("look"))


def test_vm_image_kind_and_version_fields():
    from labtui.lab import fields
    from labtui.engine.resources import VirtualMachine

    host = Host()
    vm = host.world.find(VirtualMachine, "rg", "vm1")
    assert fields.read(host.world, vm, "image_kind") == "marketplace"
    assert fields.read(host.world, vm, "image_version") is None
    assert fields.read(host.world, vm, "guest.files") == []


def test_a_lab_line_after_a_guest_question_is_not_taken_as_its_answer():
    played = play(make_lab(), ["guest -g rg -n vm1 sudo waagent -deprovision+user", "lab status", "y"])
    assert [e["event"] for e in played.events] == ["lab_started", "unmet"]
    from labtui.engine.resources import VirtualMachine

    vm = played.host.world.find(VirtualMachine, "rg", "vm1")
    assert played.host.world.vms.guest_state(vm).prepared == "none"       # no answer: waagent did nothing
    assert "the question got no answer" in played.host.session.err.getvalue()


def test_unmet_lists_say_what_is_missing_instead_of_dumping_the_list():
    steps = STEPS.replace('where = { power_state = "deallocated" }', 'where = { "guest.installed" = "nginx" }')
    host = Host(make_lab(steps))
    assert host.runner.unmet() == ["vm 'vm1' in 'rg' with guest installed = 'nginx' (now guest installed has no "
                                   "'nginx')"]
