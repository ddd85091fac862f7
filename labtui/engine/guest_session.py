"""A console on a running VM's guest OS: runs lines in the guest and applies what they do to the
platform (a guest shutdown stops the VM, writes dirty the OS disk's blocks). Every line is recorded
as a guest command event."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from . import catalog
from .clock import date_of
from .guest_state import DiskWrite, GuestOutcome, Reboot, Shutdown
from .resources import VirtualMachine

if TYPE_CHECKING:
    from .guest import GuestConsole
    from .world import World


class GuestUnreachable(Exception):
    """The guest cannot be reached (VM not running, at the Windows setup screen, deleted)."""


@attrs.frozen
class GuestResult:
    output: str
    exit_status: int
    prompt: str            # what the console shows next: the shell prompt or a question
    awaiting_answer: bool


class GuestSession:
    def __init__(self, world: "World", vm_id: str):
        self.world = world
        self.vm_id = vm_id
        self._console: GuestConsole | None = None
        self._guest_identity: int | None = None

    def _vm(self) -> VirtualMachine:
        vm = self.world.get(self.vm_id)
        if not isinstance(vm, VirtualMachine):
            raise GuestUnreachable(f"The VM '{self.vm_id.rsplit('/', 1)[-1]}' no longer exists.")
        return vm

    def console(self) -> GuestConsole:
        """The console, after checking the guest can be reached right now."""
        vm = self._vm()
        if vm.power_state != "running":
            state = f"VM {vm.power_state}"
            raise GuestUnreachable(f"Cannot connect to '{vm.name}': the VM is not running ({state}). "
                                   "Its console is reachable only while it runs.")
        guest = self.world.vms.guest_state(vm)
        if guest is None:
            raise GuestUnreachable(f"Cannot connect to '{vm.name}': it has no OS disk.")
        if any(op.name == "vm.guest_shutdown" and op.resource_id.lower() == vm.id.lower()
               and op.params.get("going_down_at", op.accepted_at) <= self.world.now for op in self.world.pending()):
            # Azure still says 'VM running' until the guest has powered off; the console is already gone.
            why = "Sysprep ran with /shutdown" if guest.prepared == "sysprepped" else "a shutdown was started in it"
            raise GuestUnreachable(f"Cannot connect to '{vm.name}': the guest OS is shutting down ({why}).\n"
                                   "In a moment the VM shows 'VM stopped' (still allocated and billed).")
        if guest.os_type == "Windows" and guest.prepared == "sysprepped" and guest.oobe:
            raise GuestUnreachable(f"Cannot connect to '{vm.name}': Windows is waiting at the setup screen (OOBE)\n"
                                   "after Sysprep, so Remote Desktop is not available.")
        # Reconnect when the disk under the VM changed (OS disk swap) or the guest rebooted.
        identity = id(guest) ^ guest.boot_count
        if self._console is None or self._guest_identity != identity:
            from .guest import GuestConsole     # the consoles' code loads with the first guest line

            self._console = GuestConsole(guest, catalog.DURATIONS, clock=lambda: date_of(self.world.now))
            self._guest_identity = identity
        return self._console

    @property
    def prompt(self) -> str:
        return self.console().prompt

    def run(self, line: str) -> GuestResult:
        vm = self._vm()
        try:
            console = self.console()
        except GuestUnreachable as unreachable:
            self.world.record_command("guest", line, 255, error_code="GuestUnreachable", target=vm.id,
                                      output=str(unreachable))
            raise
        outcome = console.run(line)
        apply_effects(self.world, vm, outcome)
        self.world.record_command("guest", line, outcome.exit_status, target=vm.id, output=outcome.output,
                                  error_code=None if outcome.exit_status == 0 else f"exit {outcome.exit_status}")
        prompt = outcome.prompt if outcome.prompt is not None else (
            console.prompt if vm.power_state == "running" else "")
        return GuestResult(outcome.output, outcome.exit_status, prompt, outcome.prompt is not None)


def apply_effects(world: "World", vm: VirtualMachine, outcome: GuestOutcome) -> None:
    for effect in outcome.effects:
        if isinstance(effect, DiskWrite):
            disk = world.vms.os_disk(vm)
            if disk is not None:
                world.store.write(disk.content, disk.size_gb, effect.bytes_written)
        elif isinstance(effect, Shutdown):
            world.vms.guest_shutdown(vm, effect.after_seconds, effect.scheduled_in)
        elif isinstance(effect, Reboot):
            world.vms.guest_reboot(vm, effect.after_seconds)


def run_script(world: "World", vm: VirtualMachine, scripts: list[str]) -> tuple[str, str]:
    """Run script lines without a terminal, as Run Command does: a prompt reads end-of-input."""
    guest = world.vms.guest_state(vm)
    if guest is None:
        return "", "no OS disk"
    from .guest import GuestConsole

    console = GuestConsole(guest, catalog.DURATIONS, as_service=True, clock=lambda: date_of(world.now))
    stdout: list[str] = []
    stderr: list[str] = []
    for script in scripts:
        for line in script.splitlines() or [""]:
            outcome = console.run(line)
            if outcome.prompt is not None:
                outcome = _merge(outcome, console.run(""))
            apply_effects(world, vm, outcome)
            world.record_command("guest", line, outcome.exit_status, target=vm.id, output=outcome.output,
                                 error_code=None if outcome.exit_status == 0 else f"exit {outcome.exit_status}")
            if outcome.output:
                (stdout if outcome.exit_status == 0 else stderr).append(outcome.output)
    return "\n".join(stdout), "\n".join(stderr)


def _merge(first: GuestOutcome, second: GuestOutcome) -> GuestOutcome:
    text = "\n".join(part for part in (first.output, first.prompt or "", second.output) if part)
    return GuestOutcome(output=text, exit_status=second.exit_status, effects=first.effects + second.effects)
