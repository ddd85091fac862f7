"""The terminal UI driven by keys and commands, as a student would (Textual's Pilot)."""

from __future__ import annotations

import gc

import pytest

from labtui.engine.resources import Disk, Image, Snapshot, VirtualMachine
from labtui.lab.library import find_lab
from labtui.tui.screens.command_log import CommandLogScreen
from labtui.tui.screens.completion import CompletionScreen, QuizScreen
from labtui.tui.screens.confirm import ConfirmScreen
from labtui.tui.screens.console import ConsoleScreen
from labtui.tui.screens.form import FormScreen
from labtui.tui.screens.main import MainScreen
from labtui.tui.screens.storage import StorageScreen
from labtui.tui.screens.welcome import WelcomeScreen
from labtui.tui.startup import pause_collector
from labtui.tui.widgets.command_line import CommandLine, CompletionHint
from textual.widgets import TabbedContent
from labtui.tui.widgets.details import Details
from labtui.tui.widgets.fact_sheet import FactSheet
from labtui.tui.widgets.lab_guide import LabGuide
from labtui.tui.widgets.line_log import LineLog
from labtui.tui.widgets.resource_list import ResourceList
from labtui.tui.widgets.trap_panel import TrapPanel
from tui_helpers import SIZE, main_screen, make_app, output_text, settle, type_line, until

GOLDEN_VM = "az vm create -g rg -n vm1 --image Ubuntu2204 --security-type Standard --generate-ssh-keys -o none"


async def free_with_vm(pilot):
    await main_screen(pilot)
    await type_line(pilot, "az group create -n rg -l eastus -o none")
    await type_line(pilot, GOLDEN_VM)
    return pilot.app.workspace.world.find(VirtualMachine, "rg", "vm1")


async def key_on_new_vm(pilot, key: str, screen_type):
    """A VM in a fresh sandbox, selected, and ``key`` pressed on it: the VM and the screen it opened."""
    vm = await free_with_vm(pilot)
    await select(pilot, vm)
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    return vm, pilot.app.screen


async def select(pilot, resource) -> None:
    tree = pilot.app.screen.query_one(ResourceList)
    tree.focus()
    assert tree.select(resource.id)
    await pilot.pause()


async def test_welcome_lists_every_lab_free_exploration_and_opens_a_lab(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        options = app.screen.query_one("#labs")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[0] == "lab:windows-image" and ids[-1] == "free" and len(ids) == 11
        await pilot.press("enter")
        screen = await main_screen(pilot)
        assert app.workspace.lab.id == "windows-image"
        assert screen.query_one(LabGuide).runner.current_step.id == app.workspace.lab.steps[0].id
    # the welcome screen offers to resume what was opened last
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(again.screen, WelcomeScreen))
        first = again.screen.query_one("#labs").get_option_at_index(0)
        assert first.id == "resume" and "Windows" in str(first.prompt)
    # `e` opens free exploration from anywhere in the list (at 80x24 its entry is out of sight)
    small = make_app(tmp_path)
    async with small.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(small.screen, WelcomeScreen))
        await pilot.press("e")
        await main_screen(pilot)
        assert small.workspace.lab is None
        await pilot.press("escape", "ctrl+w")          # from the command line: to a pane, then welcome
        await until(pilot, lambda: isinstance(small.screen, WelcomeScreen))


async def test_az_lines_wait_on_the_live_clock_and_the_tree_follows(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        await type_line(pilot, "az group create -n rg -l eastus -o none")
        await type_line(pilot, GOLDEN_VM, finish=False)
        # The clock stands still (speed 0): az waits, the VM shows as creating, the status bar says so.
        assert app.workspace.running == GOLDEN_VM
        app.flush()
        await pilot.pause()
        tree = app.screen.query_one(ResourceList)
        vm_row = next(row for row in tree.rows if row.label == "vm1")
        assert "creating" in tree.row_text(tree.index_of[vm_row.key], 100).plain
        await settle(pilot)
        assert app.workspace.running is None
        assert "running" in tree.row_text(tree.index_of[vm_row.key], 100).plain


async def test_az_vm_wait_polls_on_the_live_clock_instead_of_jumping_it(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        await type_line(pilot, "az vm deallocate -g rg -n vm1 --no-wait", finish=False)
        await until(pilot, lambda: app.workspace.running is None)
        assert vm.power_state == "deallocating"         # --no-wait: az did not wait
        line = "az vm wait -g rg -n vm1 --custom \"instanceView.statuses[?code=='PowerState/deallocated']\""
        await type_line(pilot, line, finish=False)
        await pilot.pause(0.3)
        # The clock stands still (speed 0), so the wait waits: az polls, and the simulated time stays put.
        assert app.workspace.running == line and vm.power_state == "deallocating"
        before = app.workspace.world.now
        await pilot.pause(0.3)
        assert app.workspace.world.now == before
        await settle(pilot)                             # fast-forward: the operation, then the wait's poll
        assert app.workspace.running is None and vm.power_state == "deallocated"
        assert "ERROR" not in output_text(app)


async def test_esc_stops_waiting_and_the_operation_goes_on(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        await type_line(pilot, "az vm deallocate -g rg -n vm1", finish=False)
        assert app.workspace.running
        await pilot.press("escape")
        await until(pilot, lambda: app.workspace.running is None)
        assert "Stopped waiting" in output_text(app)
        assert vm.power_state == "deallocating"
        await settle(pilot)
        assert vm.power_state == "deallocated"


async def test_a_right_click_on_a_resource_opens_its_actions_with_what_each_runs(tmp_path):
    from labtui.tui.screens.action_menu import ActionMenu

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        tree = app.screen.query_one(ResourceList)
        row = tree.index_of[vm.id.lower()] - tree.scroll_offset.y
        await pilot.click(ResourceList, offset=(8, row), button=3)
        await until(pilot, lambda: isinstance(app.screen, ActionMenu))
        menu = app.screen.query_one("OptionList")
        options = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert any("Stop" in text and "az vm stop --resource-group rg --name vm1" in text for text in options)
        assert any("console" in text for text in options)
        await pilot.press("escape")                        # esc closes it and runs nothing
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert vm.power_state == "running"
        await pilot.click(ResourceList, offset=(8, row), button=3)
        await until(pilot, lambda: isinstance(app.screen, ActionMenu))
        menu = app.screen.query_one("OptionList")
        menu.highlighted = next(i for i in range(menu.option_count) if menu.get_option_at_index(i).id == "x")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert vm.power_state == "stopped"
        assert "$ az vm stop" in output_text(app)


async def test_bad_input_shows_azs_error_and_nothing_breaks(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        for line in ("az vm strat -g rg -n vm1", "az vm start -g nowhere -n vm1", "az group create -n rg --bogus x",
                     "kubectl get pods", "lab hint", "az vm create -g rg -n 'unterminated"):
            await type_line(pilot, line)
        text = output_text(app)
        assert "'strat' is misspelled or not recognized" in text
        assert "(ResourceGroupNotFound)" in text
        assert "unrecognized arguments: --bogus x" in text
        assert "kubectl: command not found here" in text
        assert "free exploration, with no lab running" in text
        assert isinstance(app.screen, MainScreen)


async def test_keys_on_a_resource_run_and_show_their_az_command(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        await select(pilot, vm)
        await pilot.press("d")
        await settle(pilot)
        assert "$ az vm deallocate --resource-group rg --name vm1" in output_text(app)
        assert vm.power_state == "deallocated"
        # Generalize is irreversible: it asks first; "n" runs nothing.
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert not vm.generalized and "az vm generalize" not in output_text(app)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
        assert vm.generalized
        # Starting a generalized VM is refused by Azure, and the student sees Azure's words.
        await pilot.press("s")
        await settle(pilot)
        assert "OperationNotAllowed" in output_text(app)


async def test_the_footer_is_rebuilt_only_when_the_keys_on_offer_change(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        await type_line(pilot, "az vm create -g rg -n vm2 --image Ubuntu2204 --generate-ssh-keys -o none")
        await settle(pilot)
        world = app.workspace.world
        vm2 = world.find(VirtualMachine, "rg", "vm2")
        disk = world.vms.os_disk(vm)
        refreshed: list[str] = []
        screen = app.screen
        original = screen.refresh_bindings
        screen.refresh_bindings = lambda: (refreshed.append("bindings"), original())[1]
        await select(pilot, vm)
        count = len(refreshed)
        await select(pilot, vm2)            # another VM: the same keys
        assert len(refreshed) == count
        await select(pilot, disk)           # a disk offers other keys
        assert len(refreshed) == count + 1
        await pilot.press("s")              # "s" starts a VM; on a disk it does nothing
        await settle(pilot)
        assert "az vm start" not in output_text(app)


@pytest.mark.parametrize("toasts", [True, False])
async def test_a_done_step_is_said_in_the_output_and_notified_unless_the_app_is_a_classroom_session(tmp_path, toasts):
    lab = find_lab("windows-image")
    app = make_app(tmp_path, lab=lab)
    app.STEP_TOASTS = toasts            # a ClassroomApp has it off
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        for line in lab.steps[0].solution:
            await type_line(pilot, line)
        await settle(pilot)
        assert app.workspace.runner.is_done(lab.steps[0])
        assert f"✓ Step 1/{len(lab.steps)} done: {lab.steps[0].title}" in output_text(app)
        assert any(n.title == "✓ Step done" for n in app._notifications) is toasts


async def test_delete_typed_without_yes_asks_in_a_dialog(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await free_with_vm(pilot)
        await type_line(pilot, "az vm delete -g rg -n vm1", finish=False)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Are you sure" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert app.workspace.world.find(VirtualMachine, "rg", "vm1") is None


async def test_the_guest_console_runs_the_vms_own_shell_only_while_it_runs(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm, console = await key_on_new_vm(pilot, "o", ConsoleScreen)
        field = console.query_one("#console-input")
        await pilot.press("f1")     # what the simulated guest understands
        await pilot.pause()
        known = "\n".join(line.plain for line in console.query_one("#console-log", LineLog).lines)
        assert "understands:" in known and "waagent" in known and "Install-WindowsFeature" not in known
        for line in ("hostname", "sudo waagent -deprovision+user", "y"):
            field.value = line
            await pilot.press("enter")
            await pilot.pause()
        log = "\n".join(line.plain for line in console.query_one("#console-log", LineLog).lines)
        assert "student@vm1:~$ hostname\nvm1" in log
        assert "Do you want to proceed (y/n)? y" in log or "(y/n)y" in log.replace(" ", "")
        assert app.workspace.world.vms.guest_state(vm).prepared == "deprovisioned"
        await pilot.press("escape")
        await type_line(pilot, "az vm deallocate -g rg -n vm1")
        await select(pilot, vm)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)       # refused: not running
        assert any("not running" in n.message for n in app._notifications)


async def test_a_shutdown_from_inside_drops_the_console_and_says_why_once(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm, console = await key_on_new_vm(pilot, "o", ConsoleScreen)
        field = console.query_one("#console-input")
        for line in ("sudo shutdown -h now", "hostname"):
            field.value = line
            await pilot.press("enter")
            await pilot.pause()
        log = "\n".join(line.plain for line in console.query_one("#console-log", LineLog).lines)
        # once when the connection goes, once more for the line tried after it
        assert log.count("the guest OS is shutting down") == 2
        assert str(console.query_one("#console-prompt").render()) == "(disconnected) "
        assert vm.power_state == "running"          # until the guest has powered off


async def test_forms_build_the_az_line_as_fields_fill_in(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm, form = await key_on_new_vm(pilot, "n", FormScreen)
        line = str(form.query_one("#form-line").render())
        disk = app.workspace.world.vms.os_disk(vm)
        assert f"az snapshot create --resource-group rg --name vm1-snap --source {disk.id} --incremental" in line
        form.query_one("#f__name").value = "before-change"
        await pilot.pause()
        assert "--name before-change" in str(form.query_one("#form-line").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        snap = app.workspace.world.find(Snapshot, "rg", "before-change")
        assert snap is not None and snap.incremental
        # A form with a required field left empty does not run.
        await pilot.press("escape")
        app.screen.open_form("disk", None)
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "Name" in str(app.screen.query_one("#form-missing").render())
        # the field that has the keys shows it in its label, and the label follows tab
        def bold_labels() -> list[str]:
            return [str(label.render()).split("   ")[0] for label in app.screen.query("Label")
                    if label.styles.text_style.bold]

        app.screen.query_one("#f__name").focus()
        await pilot.pause()
        assert bold_labels() == ["Name *"]
        await pilot.press("tab")
        await pilot.pause()
        assert len(bold_labels()) == 1 and bold_labels() != ["Name *"]


async def test_completion_jump_filter_log_and_storage(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        screen = app.screen
        command = screen.query_one(CommandLine)
        command.focus()
        command.value = "az vm dea"
        await pilot.press("tab")
        assert command.value == "az vm deallocate "
        command.value = "az vm deallocate -g "
        await pilot.press("space")
        await pilot.press("backspace")
        await pilot.pause(0.1)
        assert "rg" in str(screen.query_one(CompletionHint).render())
        command.value = ""
        # history
        await pilot.press("up")
        assert command.value == GOLDEN_VM
        command.value = ""
        # ":" from the tree, typed key by key, jumps (the prefilled ":" is not selected away)
        tree = screen.query_one(ResourceList)
        tree.focus()
        await pilot.press("colon", "v", "m", "enter")
        await pilot.pause()
        assert isinstance(app.workspace.world.get(tree.selected.resource_id), VirtualMachine)
        await type_line(pilot, ":disk")
        assert isinstance(app.workspace.world.get(tree.selected.resource_id), Disk)
        await type_line(pilot, "/vm1_OsDisk")
        assert not any(row.label == "vm1" for row in tree.rows)
        await type_line(pilot, "/")
        await select(pilot, vm)
        await pilot.press("at")
        await until(pilot, lambda: isinstance(app.screen, CommandLogScreen))
        logged = "\n".join(line.plain for line in app.screen.query_one(LineLog).lines)
        assert "az group create -n rg -l eastus -o none" in logged and GOLDEN_VM in logged
        await pilot.press("escape")
        await type_line(pilot, "az snapshot create -g rg -n s1 --source vm1_OsDisk_1_placeholder -o none")
        disk = app.workspace.world.vms.os_disk(vm)
        await type_line(pilot, f"az snapshot create -g rg -n s1 --source {disk.name} --incremental -o none")
        await type_line(pilot, f"az snapshot create -g rg -n s2 --source {disk.name} -o none")
        screen.query_one(ResourceList).focus()
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, StorageScreen))
        from labtui.tui.screens.storage import chains

        chain = dict(chains(app.workspace.world))[disk.name]
        assert [s.name for s in chain] == ["s1", "s2"]


async def test_details_show_overview_json_and_activity(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        await select(pilot, vm)
        await type_line(pilot, "az vm stop -g rg -n vm1")
        details = app.screen.query_one(Details)
        overview = details.query_one("#overview-body", FactSheet).text()
        assert details.resource_id == vm.id.lower()
        assert "Power state         VM stopped (compute billed)" in overview
        assert details.query_one("#json-body").content == ""      # highlighted only when its tab shows
        details.query_one(TabbedContent).active = "json"
        await pilot.pause()
        assert '"name": "vm1"' in details.query_one("#json-body").content.code
        log = details.query_one("#activity-log", LineLog)
        assert log.row_count() == 0                                 # drawn only when its tab shows
        details.query_one(TabbedContent).active = "activity"
        await pilot.pause()
        newest_first = [log.row_text(index, 80).plain for index in range(log.row_count())]
        assert newest_first[0].endswith("vm.stop succeeded")
        assert any(line.endswith("powerState: stopping → stopped") for line in newest_first[:3])
        assert newest_first[-1].endswith("vm.create accepted")
    # the activity is the sandbox's own: opened again later, the tab still has the first session's lines
    again = make_app(tmp_path, free=True)
    async with again.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        await select(pilot, again.workspace.world.get(vm.id))
        details = again.screen.query_one(Details)
        details.query_one(TabbedContent).active = "activity"
        await pilot.pause()
        log = details.query_one("#activity-log", LineLog)
        assert [log.row_text(index, 80).plain for index in range(log.row_count())][0].endswith("vm.stop succeeded")


async def test_speed_keys_and_fast_forward(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        app.screen.query_one(ResourceList).focus()
        world = app.workspace.world
        await pilot.press("plus")
        assert world.clock.speed == 1
        await pilot.press("plus", "plus", "plus")
        assert world.clock.speed == 60
        await pilot.press("p")
        assert world.clock.speed == 0
        await pilot.press("p")
        assert world.clock.speed == 60


async def test_the_spinner_and_the_cursor_redraw_their_rows_not_the_whole_resource_list(tmp_path):
    """A spinner steps once a second while anything is in flight; each step drew the whole tree."""
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        await type_line(pilot, "az group create -n rg -l eastus -o none")
        tree = app.screen.query_one(ResourceList)
        whole: list[bool] = []
        original = tree.refresh
        tree.refresh = lambda *regions, **kwargs: (whole.append(not regions), original(*regions, **kwargs))[1]
        tree.frame += 1
        tree.cursor = 1
        await pilot.pause()
        assert whole and not any(whole), whole


async def test_details_with_nothing_selected_leave_the_hidden_json_alone(tmp_path):
    """Setting the JSON tab's text, even to the same empty text, lays the screen out: the Details pane
    is redrawn after every change in Azure."""
    from textual.widgets import Static

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        details = screen.query_one(Details)
        body = details.query_one("#json-body", Static)
        updates: list[object] = []
        body.update = lambda content="", **kwargs: updates.append(content)
        details.show(None)
        details.redraw()
        assert updates == []


async def test_the_guides_buttons_ask_for_a_hint_and_a_skip(tmp_path):
    lab = find_lab("windows-image")
    app = make_app(tmp_path, lab=lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        runner = app.workspace.runner
        first = runner.current_step
        await pilot.click("#guide-hint")
        await settle(pilot)
        assert runner.hints_shown(first) == list(first.hints[:1])
        assert "$ lab hint" in output_text(app)
        await pilot.click("#guide-skip")
        await settle(pilot)
        assert runner.current_step is not first and "$ lab skip" in output_text(app)
        assert screen.query_one(LabGuide).text().count("Step 2: ") == 1


async def test_a_hint_redraws_the_guide_without_rendering_the_steps_markdown_again(tmp_path):
    from labtui.tui.widgets.lab_guide import GuideText

    app = make_app(tmp_path, lab=find_lab("windows-image"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        text = screen.query_one(GuideText)
        rendered: list[str] = []
        original = text._rows_of
        text._rows_of = lambda name, part, width: (rendered.append(name), original(name, part, width))[1]
        await type_line(pilot, "lab hint")
        await pilot.pause()
        assert "Hint 1/" in text.text() and "hints" in rendered and "instructions" not in rendered, rendered


async def test_the_guide_follows_the_lab_without_laying_the_screen_out(tmp_path, monkeypatch):
    """A hint, a step done, the next step's instructions, output overflowing its pane: rows change,
    nothing on the screen moves (a layout of the screen was most of what a command cost to draw)."""
    from textual.screen import Screen

    lab = find_lab("windows-image")
    app = make_app(tmp_path, lab=lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        guide = screen.query_one(LabGuide)
        assert "Step 1: " in guide.text() and "Still needed:" in guide.text()
        # The command's echo is wider than the Output pane: its horizontal scrollbar comes, once.
        await type_line(pilot, lab.steps[0].solution[0])
        await pilot.pause(0.3)
        assert "Step 2: " in guide.text() and "Step 1: " not in guide.text()
        layouts: list[str] = []
        original = Screen._refresh_layout

        def counting(self, *args, **kwargs):
            layouts.append(type(self).__name__)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        output = screen.query_one("#output", LineLog)
        for line in ("az group list -o table", "az vm list -o table"):     # the output overflows its pane
            await type_line(pilot, line)
        assert output.virtual_size.height > output.scrollable_content_region.height
        await type_line(pilot, "lab hint")
        await pilot.pause(0.3)
        assert "Hint 1/" in guide.text()
        for line in lab.steps[1].solution:
            await type_line(pilot, line)
        await pilot.pause(0.3)
        assert "Step 3: " in guide.text() and "Hint 1/" not in guide.text()
        assert layouts == []


@pytest.mark.parametrize("lab_id", ["windows-image"])
async def test_a_whole_lab_played_by_commands_and_keys(tmp_path, lab_id):
    lab = find_lab(lab_id)
    app = make_app(tmp_path, lab=lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        world = app.workspace.world
        guide = screen.query_one(LabGuide)
        # A trap first: capturing the running VM before Sysprep is refused, and the panel says why.
        await type_line(pilot, lab.steps[0].solution[0])
        await type_line(pilot, "az image create -g rg-images -n too-early --source vm-golden")
        assert app.workspace.runner.progress["traps"], "capturing a running VM is one of the lab's traps"
        assert screen.query_one(TrapPanel).has_class("-shown")
        await pilot.press("escape")
        assert not screen.query_one(TrapPanel).has_class("-shown")
        # A hint by key, from the resource list.
        screen.query_one(ResourceList).focus()
        await pilot.press("h")
        await settle(pilot)
        assert app.workspace.runner.score().hints == 1
        for step in lab.steps[1:]:
            for line in step.solution:
                if line.startswith("az vm deallocate"):
                    await select(pilot, world.find(VirtualMachine, "rg-images", "vm-golden"))
                    await pilot.press("d")            # the same command, by key
                    await settle(pilot)
                    continue
                await type_line(pilot, line)
            guide.redraw()
            assert app.workspace.runner.is_done(step), (step.id, app.workspace.runner.unmet(step))
        await until(pilot, lambda: isinstance(app.screen, CompletionScreen))
        assert world.find(Image, "rg-images", "img-web") is not None
        score = app.workspace.runner.score()
        assert (score.hints, score.traps, score.steps_done) == (1, 1, len(lab.required_steps))
        transcript = str(app.screen.query_one("#done-transcript").render())
        assert "az vm deallocate --resource-group rg-images --name vm-golden" in transcript
        await pilot.press("z")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        for number, question in enumerate(lab.quiz, 1):
            radios = quiz.query_one(f"#q{number}")
            list(radios.query("RadioButton"))[question.answer].value = True
        await pilot.pause()
        quiz.query_one("#check").press()
        await pilot.pause()
        assert app.workspace.runner.progress["quiz"]["passed"]
    # progress is saved: the summary says completed
    from labtui.lab import library

    summary = library.read_summary(library.lab_dir(tmp_path, lab.id))
    assert summary["status"] == "completed"


async def test_lab_reset_from_the_command_line_rebinds_every_pane(tmp_path):
    lab = find_lab("windows-image")
    app = make_app(tmp_path, lab=lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await main_screen(pilot)
        await type_line(pilot, lab.steps[0].solution[0])
        old = app.workspace.world
        await type_line(pilot, "lab reset")
        assert app.workspace.world is not old
        assert app.workspace.world.find(VirtualMachine, "rg-images", "vm-golden") is None
        tree = screen.query_one(ResourceList)
        assert tree.world is app.workspace.world and not any(r.label == "vm-golden" for r in tree.rows)
        await type_line(pilot, lab.steps[0].solution[0])
        assert any(r.label == "vm-golden" for r in tree.rows)
        # what is saved from now on is the new world, not the one the reset dropped
        assert app.workspace.saver.world is app.workspace.world


async def test_a_second_app_on_the_same_sandbox_is_told_and_nothing_is_lost(tmp_path):
    first = make_app(tmp_path, free=True)
    async with first.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        second = make_app(tmp_path, free=True)
        async with second.run_test(size=SIZE) as other:
            # the lock is waited for a few seconds (another labtui may be just leaving), then refused
            await until(other, lambda: any("in use" in n.message for n in second._notifications), tries=600)
            # opened straight into that sandbox, it is left on the welcome screen, not an empty one
            await until(other, lambda: isinstance(second.screen, WelcomeScreen))


@pytest.mark.parametrize("start", ["free", "welcome", "refused"])
async def test_the_collector_paused_for_start_up_runs_again_once_a_screen_is_up(tmp_path, start):
    async def started(app) -> None:
        async with app.run_test(size=SIZE) as pilot:
            if start == "refused":
                await until(pilot, lambda: any("in use" in n.message for n in app._notifications), tries=600)
            else:
                await until(pilot, lambda: isinstance(app.screen, MainScreen if start == "free" else WelcomeScreen))
            await until(pilot, gc.isenabled)

    try:
        if start == "refused":          # another session holds the sandbox's lock
            holder = make_app(tmp_path, free=True)
            async with holder.run_test(size=SIZE) as pilot:
                await main_screen(pilot)
                pause_collector()
                await started(make_app(tmp_path, free=True))
        else:
            pause_collector()
            await started(make_app(tmp_path, free=start == "free"))
    finally:
        gc.enable()


def test_the_labs_markdown_shows_as_styles_in_the_output():
    from labtui.tui.screens.main import output_line

    line = output_line("  Create **vm-golden** with `az vm create`, then 2 * 3 = 6")
    assert line.plain == "  Create vm-golden with az vm create, then 2 * 3 = 6"
    assert [(line.plain[s.start:s.end], s.style) for s in line.spans] == [("vm-golden", "bold"),
                                                                           ("az vm create", "cyan")]
    assert output_line("ERROR: (NotFound) x").style == "red"


async def test_keys_that_arrive_together_keep_their_order(tmp_path):
    """Over SSH (or in a paste) a line, its enter and the next keys come in one read: each line runs
    as typed, and what follows the enter starts the next line."""
    from textual import events

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        command = app.screen.query_one(CommandLine)
        command.focus()
        burst = "az group create -n rg-one -l eastus -o none\raz group list --query [].name -o tsv\rnext"
        for character in burst:
            key = "enter" if character == "\r" else events.Key(character, character).key
            app.post_message(events.Key(key, None if character == "\r" else character))
        await settle(pilot)
        await until(pilot, lambda: "rg-one" in output_text(app))
        assert "$ az group create -n rg-one -l eastus -o none" in output_text(app)
        assert "$ az group list --query [].name -o tsv" in output_text(app)
        assert command.value == "next"


async def test_the_command_line_suggests_and_lists_candidates_as_you_type(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        command = app.screen.query_one(CommandLine)
        command.focus()
        for key in "az vm cr":
            await pilot.press(key if key != " " else "space")
        await pilot.pause()
        assert command._suggestion == "az vm create"        # the ghost text; right arrow takes it
        assert "create" in str(app.screen.query_one(CompletionHint).render())
        await pilot.press("right")
        assert command.value == "az vm create"


async def test_the_candidates_line_is_drawn_again_only_when_the_candidates_change(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        command = app.screen.query_one(CommandLine)
        hint = app.screen.query_one(CompletionHint)
        command.focus()
        shown: list[str] = []
        original = hint.update
        hint.update = lambda content, **kwargs: (shown.append(str(content)), original(content, **kwargs))[1]
        for key in "az vm re":
            await pilot.press(key if key != " " else "space")
        await pilot.pause()
        assert "restart" in shown[-1] and "redeploy" in shown[-1] and "create" not in shown[-1]
        drawn = len(shown)
        await pilot.press("s")          # "res": resize and restart, fewer candidates: drawn again
        await pilot.press("t")          # "rest": restart alone: drawn again
        await pilot.pause()
        assert shown[drawn:] == ["resize  restart", "restart"]
        await pilot.press("a")          # "resta": the same candidate: nothing to draw
        await pilot.pause()
        assert len(shown) == drawn + 2 and "restart" in str(hint.render())


def _cells(strip) -> list:
    return [(character, segment.style) for segment in strip for character in segment.text]


async def test_the_command_line_draws_its_text_as_textual_input_does(tmp_path):
    """The command line draws its typed text itself (cheaper than Input's console render); every
    state of it gives the cells Input's own drawing gives."""
    from textual.widgets import Input

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_screen(pilot)
        command = app.screen.query_one(CommandLine)
        command.focus()
        await pilot.pause()

        def same() -> None:
            command._looks = None
            assert _cells(command.render_line(0)) == _cells(Input.render_line(command, 0)), \
                (command.value, command.cursor_position, command._suggestion, command.has_focus)

        for key in "az vm cr":
            await pilot.press(key if key != " " else "space")
        await pilot.pause()
        assert command._suggestion == "az vm create"
        same()                                          # the cursor on the ghost text's first cell
        for position in (0, 3, len(command.value)):
            command.cursor_position = position
            same()
        command._cursor_visible = False                 # blinked off
        same()
        command._cursor_visible = True
        command.value = "az vm list --query \"[].{name:name, size:hardwareProfile.vmSize}\" -o table --subscription x"
        command.cursor_position = len(command.value)    # longer than the line: scrolled sideways
        await pilot.pause()
        assert command.scroll_x > 0
        same()
        command.cursor_position = 5
        await pilot.pause()
        same()
        app.screen.query_one(ResourceList).focus()      # no cursor, no ghost text
        await pilot.pause()
        same()


async def test_a_key_draws_the_command_lines_text_row_alone(tmp_path, monkeypatch):
    """Not its border rows: a class of 50 types on two cores."""
    from textual.widget import Widget

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        command = app.screen.query_one(CommandLine)
        command.focus()
        await pilot.pause(0.3)
        heights: list[int] = []
        original = Widget.render_lines

        def counting(self, crop):
            if self is command:
                heights.append(crop.height)
            return original(self, crop)

        monkeypatch.setattr(Widget, "render_lines", counting)
        await pilot.press("a", "z", "space")
        await pilot.pause(0.2)
        assert command.region.height == 3 and heights and set(heights) == {1}, heights
        assert command.value == "az "


async def test_the_overview_fits_its_pane_at_80x24_and_keeps_its_message_through_a_resize(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await main_screen(pilot)
        sheet = app.screen.query_one("#overview-body", FactSheet)
        assert sheet.text() == "Select a resource."
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert sheet.text() == "Select a resource."
        await pilot.resize_terminal(80, 24)
        vm = await free_with_vm(pilot)
        await select(pilot, vm)
        await pilot.pause()
        width = sheet.scrollable_content_region.width
        assert sheet.virtual_size.height > sheet.scrollable_content_region.height      # it scrolls here
        assert all(line.cell_len <= width for line in sheet.lines)                    # and nothing is cut
        name_row = sheet.lines[0]
        value_at = name_row.plain.index("vm1")
        assert name_row.plain.startswith("Name") and any(
            span.start == 0 and span.end <= value_at and "bold" in str(span.style) for span in name_row.spans)
        assert "bold" not in str(name_row.style)                  # the value keeps its own look


def test_fact_sheet_wraps_each_value_under_itself_and_keeps_key_hints_whole():
    from rich.console import Console
    from rich.text import Text

    from labtui.tui.widgets.fact_sheet import Chunks, wrap_rows

    console = Console(width=80)
    rows = [("Name", Text("vm1")), ("Image", Text("Canonical:ubuntu-jammy:22_04-lts-gen2:latest")),
            ("Keys", Chunks([Text("s start"), Text("x stop"), Text("d deallocate")]))]
    lines = [line.plain for line in wrap_rows(rows, 30, console)]
    assert lines[0] == "Name   vm1"
    assert lines[1].startswith("Image  Canonical") and all(len(line) <= 30 for line in lines)
    continued = lines[2:lines.index(next(line for line in lines if line.startswith("Keys")))]
    assert continued and all(line.startswith(" " * 7) for line in continued)       # hanging indent
    assert lines[-2:] == ["Keys   s start  x stop", "       d deallocate"]          # no hint split in two
    narrow = [line.plain for line in wrap_rows(rows, 14, console)]
    assert narrow[0] == "Name" and narrow[1] == "  vm1"                              # values under labels


def test_a_log_line_never_shares_a_cache_key_with_a_line_it_replaced():
    # (keys were id()s, which the next lines reused once a cleared log's lines were freed: the Activity
    # tab then drew another resource's old lines from the strip cache)
    log = LineLog()
    for text in ("a", "b", "c"):
        log.write(text)
    before = {log.row_key(index) for index in range(log.row_count())}
    log.clear()
    for text in ("d", "e", "f"):
        log.write(text)
    after = {log.row_key(index) for index in range(log.row_count())}
    assert len(after) == 3 and not before & after


async def test_the_activity_tab_keeps_up_when_the_worlds_log_is_full(tmp_path):
    from labtui.engine import activity

    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        vm = await free_with_vm(pilot)
        world = app.workspace.world
        for _ in range(activity.KEEP):      # fill the log with this VM's entries (the oldest go first)
            world.activity.entries.append(activity.ActivityEntry(world.now, vm.id.lower(), "filler"))
        await select(pilot, vm)
        details = app.screen.query_one(Details)
        details.query_one(TabbedContent).active = "activity"
        await pilot.pause()
        await type_line(pilot, "az vm stop -g rg -n vm1")
        app.flush()
        await pilot.pause()
        log = details.query_one("#activity-log", LineLog)
        assert log.row_text(0, 80).plain.endswith("vm.stop succeeded")
        assert log.row_count() == activity.KEEP


async def test_tsv_columns_line_up_in_the_output_pane_without_raw_tabs(tmp_path):
    app = make_app(tmp_path, free=True)
    async with app.run_test(size=SIZE) as pilot:
        await main_screen(pilot)
        await type_line(pilot, "az group create -n rg -l eastus --query [[name,location]] -o tsv")
        lines = output_text(app).splitlines()
        assert "rg      eastus" in lines and not any("\t" in line for line in lines)
