"""What the guest OS does to the platform (§2.5, §6.1): sysprep powers the VM off (stopped, still
allocated), waagent leaves it running, and VMs made from images get, or keep, a machine identity."""

from __future__ import annotations

import pytest

from engine_helpers import (
    D, DEPROVISION, SYSPREP, attach_spec, create_vm, deprovisioned_and_generalized, disk_from, done, empty_disk,
    guest_run,
    image_of, linux_spec, linux_vm, os_disk, snapshot, sysprepped_and_generalized, windows_spec, windows_vm,
)
from labtui.engine import catalog, errors
from labtui.engine.compute_vms import PROVISIONING_TIMEOUT, VmSource
from labtui.engine.events import CommandRun
from labtui.engine.guest_session import GuestUnreachable


# --- sysprep and waagent -----------------------------------------------------------------------

def test_sysprep_shutdown_leaves_vm_stopped_not_deallocated(world):
    vm = windows_vm(world)
    result = guest_run(world, vm, SYSPREP)
    assert result.exit_status == 0
    assert vm.power_state == "running"           # sysprep is still working
    world.advance(D["guest.sysprep"] - 1)
    assert vm.power_state == "running"
    world.advance(1 + D["guest.shutdown"])
    assert vm.power_state == "stopped"
    world.run_until_idle()
    assert vm.power_state == "stopped"             # Stopped (allocated), never deallocated by the guest
    assert world.rate_of(vm) == pytest.approx(catalog.VM_SIZES[vm.size].price_windows_hour)


def test_sysprep_stops_vm_within_the_observed_two_to_five_minutes(world):
    vm = windows_vm(world)
    guest_run(world, vm, SYSPREP)
    world.advance(119)
    assert vm.power_state == "running"
    world.advance(300 - 119)
    assert vm.power_state == "stopped"


def test_sysprep_does_not_mark_the_vm_generalized(world):
    # §2.5: "no OSState until az vm generalize is called".
    vm = windows_vm(world)
    guest_run(world, vm, SYSPREP)
    world.run_until_idle()
    assert vm.generalized is False
    assert world.vms.guest_state(vm).prepared == "sysprepped"


def test_waagent_deprovision_keeps_vm_running(world):
    vm = linux_vm(world)
    result = guest_run(world, vm, DEPROVISION)
    assert result.exit_status == 0
    assert "WARNING! The waagent service will be stopped." in result.output
    world.run_until_idle()
    assert vm.power_state == "running"
    guest = world.vms.guest_state(vm)
    assert guest.prepared == "deprovisioned" and guest.agent_running is False


def test_guest_shutdown_leaves_vm_stopped_and_billed(world):
    vm = linux_vm(world)
    guest_run(world, vm, "sudo shutdown -h now")
    world.run_until_idle()
    assert vm.power_state == "stopped"
    assert world.rate_of(vm) > 0


def test_guest_shutdown_during_an_arm_operation_still_stops_the_vm(world):
    # §2.1: a shutdown from inside the guest ends in "VM stopped"; the guest OS is not an ARM caller,
    # so ARM's one-operation-at-a-time rule cannot refuse it.
    vm = linux_vm(world)
    world.vms.attach_disk(vm, empty_disk(world, "data"))          # an ARM update in flight
    result = guest_run(world, vm, "sudo shutdown -h now")
    assert result.exit_status == 0
    world.run_until_idle()
    assert vm.power_state == "stopped"


def test_sysprep_during_an_arm_operation_still_stops_the_vm(world):
    vm = windows_vm(world)
    world.vms.attach_disk(vm, empty_disk(world, "data"))
    guest_run(world, vm, SYSPREP)
    world.run_until_idle()
    assert world.vms.guest_state(vm).prepared == "sysprepped"
    assert vm.power_state == "stopped"


# --- identity of VMs made from images and disks --------------------------------------------------

def test_never_prepared_image_fails_provisioning_with_os_provisioning_timed_out(world):
    source = linux_vm(world, "src")
    done(world, world.vms.deallocate(source))
    done(world, world.vms.generalize(source))      # marked generalized, never deprovisioned
    image = image_of(world, "img", source)
    vm, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)), wait=False)
    world.advance(D["vm.create.Linux"] + PROVISIONING_TIMEOUT - 1)
    assert op.status == "InProgress"
    world.finish(op)
    assert op.status == "Failed"
    assert op.error == errors.os_provisioning_timed_out("new").to_json()
    assert op.error["code"] == "OSProvisioningTimedOut"
    assert op.error["message"].startswith(
        "OS Provisioning for VM 'new' did not finish in the allotted time. However, the VM guest agent was detected "
        "running. This suggests the guest OS has not been properly prepared to be used as a VM image (with "
        "CreateOption=FromImage). To resolve this issue, either use the VHD as is with CreateOption=Attach or "
        "prepare it properly for use as an image:")
    assert vm.provisioning_state == "Failed"


def test_never_prepared_linux_image_vm_keeps_the_old_identity(world):
    source = linux_vm(world, "src")
    old = world.vms.guest_state(source)
    old_name, old_keys, old_machine = old.computer_name, dict(old.ssh_host_keys), old.machine_id
    done(world, world.vms.deallocate(source))
    done(world, world.vms.generalize(source))
    image = image_of(world, "img", source)
    vm, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)))
    assert op.status == "Failed"
    guest = world.vms.guest_state(vm)
    assert guest.computer_name == old_name == "src"
    assert guest.ssh_host_keys == old_keys
    assert guest.machine_id == old_machine


def test_never_prepared_windows_image_vm_keeps_the_old_sid(world):
    source = windows_vm(world, "src")
    old_sid = world.vms.guest_state(source).sid
    assert old_sid
    done(world, world.vms.deallocate(source))
    done(world, world.vms.generalize(source))
    image = image_of(world, "img", source)
    vm, op = create_vm(world, windows_spec("new", source=VmSource("image", image.id)))
    assert op.status == "Failed" and op.error["code"] == "OSProvisioningTimedOut"
    guest = world.vms.guest_state(vm)
    assert (guest.sid, guest.computer_name) == (old_sid, "src")


def test_sysprepped_image_gives_fresh_sid_and_computer_name(world):
    source = windows_vm(world, "src")
    old_sid = world.vms.guest_state(source).sid
    image = image_of(world, "img", sysprepped_and_generalized(world, source))
    a, op_a = create_vm(world, windows_spec("new1", source=VmSource("image", image.id)))
    b, op_b = create_vm(world, windows_spec("new2", source=VmSource("image", image.id)))
    assert (op_a.status, op_b.status) == ("Succeeded", "Succeeded")
    sid_a, sid_b = world.vms.guest_state(a).sid, world.vms.guest_state(b).sid
    assert sid_a and sid_b and len({old_sid, sid_a, sid_b}) == 3
    assert world.vms.guest_state(a).computer_name == "new1"
    assert a.power_state == "running"
    assert "new1\\azureuser" in guest_run(world, a, "whoami").output


def test_deprovisioned_image_gives_new_hostname_and_ssh_host_keys(world):
    source = linux_vm(world, "src")
    old_keys = dict(world.vms.guest_state(source).ssh_host_keys)
    image = image_of(world, "img", deprovisioned_and_generalized(world, source))
    vm, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)))
    assert op.status == "Succeeded" and vm.power_state == "running"
    guest = world.vms.guest_state(vm)
    assert guest.computer_name == "new"
    assert guest.ssh_host_keys and guest.ssh_host_keys != old_keys
    assert "azureuser" in guest.users and guest.agent_running
    assert guest_run(world, vm, "hostname").output == "new"


def test_vm_from_copied_os_disk_keeps_the_old_identity(world):
    source = linux_vm(world, "src")
    old = world.vms.guest_state(source)
    disk = disk_from(world, "copy", snapshot(world, "snap", os_disk(world, source)))
    vm, op = create_vm(world, attach_spec("clone", disk))
    assert op.status == "Succeeded" and vm.os_disk_create_option == "Attach"
    assert vm.has_os_profile is False
    guest = world.vms.guest_state(vm)
    assert (guest.computer_name, guest.ssh_host_keys, guest.machine_id) == (
        "src", old.ssh_host_keys, old.machine_id)


def test_windows_vm_from_copied_os_disk_keeps_the_old_sid(world):
    source = windows_vm(world, "src")
    old_sid = world.vms.guest_state(source).sid
    disk = disk_from(world, "copy", snapshot(world, "snap", os_disk(world, source)))
    vm, op = create_vm(world, attach_spec("clone", disk, "Windows"))
    assert op.status == "Succeeded"
    assert world.vms.guest_state(vm).sid == old_sid


# --- the console is reachable only while the VM runs --------------------------------------------

@pytest.mark.parametrize("operation, state", [("stop", "stopped"), ("deallocate", "deallocated")])
def test_guest_console_unreachable_when_not_running(world, operation, state):
    vm = linux_vm(world)
    done(world, getattr(world.vms, operation)(vm))
    seen = []
    world.subscribe(seen.append, CommandRun)
    with pytest.raises(GuestUnreachable):
        world.guest(vm.id).run("hostname")
    assert vm.power_state == state
    assert [(e.source, e.line, e.exit_status) for e in seen] == [("guest", "hostname", 255)]


def test_guest_console_unreachable_mid_transition(world):
    vm = linux_vm(world)
    world.vms.deallocate(vm)
    world.advance(1)
    with pytest.raises(GuestUnreachable):
        world.guest(vm.id).run("hostname")


@pytest.mark.parametrize("os_type, line, why", [
    ("Windows", r"C:\Windows\System32\Sysprep\sysprep.exe /generalize /oobe /shutdown", "Sysprep ran with /shutdown"),
    ("Linux", "sudo shutdown -h now", "a shutdown was started in it")])
def test_a_guest_that_is_shutting_down_says_so_not_that_it_waits_at_setup(world, os_type, line, why):
    vm = windows_vm(world) if os_type == "Windows" else linux_vm(world)
    world.guest(vm.id).run(line)
    assert vm.power_state == "running"          # Azure shows it running until the guest has powered off
    with pytest.raises(GuestUnreachable, match=f"shutting down \\({why}\\)"):
        world.guest(vm.id).run("hostname")
    world.run_until_idle()
    assert vm.power_state == "stopped"


@pytest.mark.parametrize("os_type, line, minutes", [("Linux", "sudo shutdown -h +30", 30),
                                                    ("Windows", "shutdown /s /t 600", 10)])
def test_a_scheduled_shutdown_keeps_the_console_until_the_os_goes_down(world, os_type, line, minutes):
    vm = windows_vm(world) if os_type == "Windows" else linux_vm(world)
    world.guest(vm.id).run(line)
    world.advance(minutes * 60 - 5)
    assert world.guest(vm.id).run("hostname").exit_status == 0      # still up: the OS goes down later
    world.advance(10)
    with pytest.raises(GuestUnreachable, match="shutting down"):
        world.guest(vm.id).run("hostname")
    world.run_until_idle()
    assert vm.power_state == "stopped"


def test_guest_console_reachable_again_after_start(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.start(vm))
    assert guest_run(world, vm, "hostname").output == "vm1"


def test_an_emptied_machine_id_is_written_anew_at_the_next_boot(world):
    vm = linux_vm(world)
    first = world.vms.guest_state(vm).machine_id
    assert guest_run(world, vm, "sudo truncate -s 0 /etc/machine-id").exit_status == 0
    assert guest_run(world, vm, "cat /etc/machine-id").output == ""
    assert world.vms.guest_state(vm).machine_id == ""
    done(world, world.vms.restart(vm))
    renewed = world.vms.guest_state(vm).machine_id
    assert renewed and renewed != first and guest_run(world, vm, "cat /etc/machine-id").output == renewed


def test_cloud_init_clean_machine_id_then_a_reboot_gives_the_source_a_new_id(world):
    vm = linux_vm(world)
    first = world.vms.guest_state(vm).machine_id
    guest_run(world, vm, "sudo cloud-init clean --machine-id")
    assert guest_run(world, vm, "cat /etc/machine-id").output == "uninitialized"
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.start(vm))
    assert world.vms.guest_state(vm).machine_id not in (None, "", first)


def test_writing_the_machine_id_file_is_the_machine_id(world):
    vm = linux_vm(world)
    guest_run(world, vm, "echo 0123456789abcdef0123456789abcdef | sudo tee /etc/machine-id")
    assert world.vms.guest_state(vm).machine_id == "0123456789abcdef0123456789abcdef"
    assert guest_run(world, vm, "truncate -s 5 /tmp/x").exit_status == 1
