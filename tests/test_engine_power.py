"""VM power states, their transitions on the virtual clock, their billing, and the refusals of
reference §2.4 (one operation at a time per VM included)."""

from __future__ import annotations

import pytest

from engine_helpers import D, create_vm, done, linux_spec, linux_vm, os_disk, raises_arm, vm_power_trace
from labtui.engine import catalog

LINUX_D2S_V5_HOUR = catalog.VM_SIZES["Standard_D2s_v5"].price_linux_hour


# --- transitions and the transitional states seen mid-operation ---------------------------------

def test_create_is_starting_until_booted_then_running(world):
    vm, op = create_vm(world, linux_spec("vm1"), wait=False)
    assert (vm.power_state, vm.provisioning_state) == ("starting", "Creating")
    world.advance(D["vm.create.Linux"] - 1)
    assert (vm.power_state, vm.provisioning_state, op.status) == ("starting", "Creating", "InProgress")
    world.advance(1)
    assert (vm.power_state, vm.provisioning_state, op.status) == ("running", "Succeeded", "Succeeded")


def test_stop_goes_through_stopping_to_stopped(world):
    vm = linux_vm(world)
    op = world.vms.stop(vm)
    world.advance(D["vm.stop"] / 2)
    assert (vm.power_state, vm.provisioning_state) == ("stopping", "Updating")
    world.advance(D["vm.stop"] / 2)
    assert (vm.power_state, vm.provisioning_state, op.status) == ("stopped", "Succeeded", "Succeeded")


def test_deallocate_goes_through_deallocating_to_deallocated(world):
    vm = linux_vm(world)
    op = world.vms.deallocate(vm)
    world.advance(D["vm.deallocate"] - 1)
    assert (vm.power_state, vm.provisioning_state) == ("deallocating", "Updating")
    world.advance(1)
    assert (vm.power_state, op.status) == ("deallocated", "Succeeded")


def test_start_from_deallocated_goes_through_starting(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    op = world.vms.start(vm)
    assert vm_power_trace(world, vm, op) == ["starting", "running"]
    assert op.status == "Succeeded"


def test_start_from_stopped_returns_to_running(world):
    vm = linux_vm(world)
    done(world, world.vms.stop(vm))
    op = world.vms.start(vm)
    assert vm_power_trace(world, vm, op)[-1] == "running"
    assert op.status == "Succeeded"


def test_deallocate_from_stopped(world):
    vm = linux_vm(world)
    done(world, world.vms.stop(vm))
    op = world.vms.deallocate(vm)
    assert vm_power_trace(world, vm, op) == ["deallocating", "deallocated"]


def test_restart_keeps_vm_allocated_and_ends_running(world):
    vm = linux_vm(world)
    op = world.vms.restart(vm)
    trace = vm_power_trace(world, vm, op)
    assert trace[-1] == "running"
    assert not {"stopped", "deallocating", "deallocated"} & set(trace)   # same host: never released
    assert op.status == "Succeeded"


@pytest.mark.parametrize("before", ["running", "stopped", "deallocated"])
def test_redeploy_moves_the_vm_and_ends_running_whatever_its_state(world, before):
    vm = linux_vm(world)
    if before != "running":
        done(world, world.vms.stop(vm) if before == "stopped" else world.vms.deallocate(vm))
    disks = [d.id for d in world.vms.disks_of(vm)]
    op = world.vms.redeploy(vm)
    assert vm_power_trace(world, vm, op) == ["starting", "running"]
    assert op.status == "Succeeded" and [d.id for d in world.vms.disks_of(vm)] == disks


def test_start_on_running_vm_is_a_quiet_success(world):
    # §2.4 [U]: believed a no-op.
    vm = linux_vm(world)
    op = done(world, world.vms.start(vm))
    assert vm.power_state == "running" and op.status == "Succeeded"


def test_deallocate_on_deallocated_vm_is_a_quiet_success(world):
    # §2.4 [U]: "no-op success".
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    op = done(world, world.vms.deallocate(vm))
    assert vm.power_state == "deallocated" and op.status == "Succeeded"


def test_generalize_allowed_from_stopped_and_from_deallocated(world):
    stopped, deallocated = linux_vm(world, "a"), linux_vm(world, "b")
    done(world, world.vms.stop(stopped))
    done(world, world.vms.deallocate(deallocated))
    for vm in (stopped, deallocated):
        assert vm.generalized is False
        done(world, world.vms.generalize(vm))
        assert vm.generalized is True
    assert (stopped.power_state, deallocated.power_state) == ("stopped", "deallocated")


# --- billing (§2.1, §8) -------------------------------------------------------------------------

def test_running_vm_billed_for_compute(world):
    vm = linux_vm(world)
    assert world.rate_of(vm) == pytest.approx(LINUX_D2S_V5_HOUR)


def test_stopped_vm_is_still_billed_for_compute(world):
    vm = linux_vm(world)
    before = world.hourly_cost
    done(world, world.vms.stop(vm))
    assert vm.power_state == "stopped"
    assert world.rate_of(vm) == pytest.approx(LINUX_D2S_V5_HOUR)
    assert world.hourly_cost == pytest.approx(before)


def test_stopping_and_starting_vm_billed(world):
    vm = linux_vm(world)
    world.vms.stop(vm)
    world.advance(1)
    assert vm.power_state == "stopping" and world.rate_of(vm) == pytest.approx(LINUX_D2S_V5_HOUR)
    world.run_until_idle()
    world.vms.start(vm)
    world.advance(1)
    assert vm.power_state == "starting" and world.rate_of(vm) == pytest.approx(LINUX_D2S_V5_HOUR)


def test_deallocated_vm_not_billed_for_compute_but_disk_and_ip_are(world):
    vm = linux_vm(world)
    before = world.hourly_cost
    done(world, world.vms.deallocate(vm))
    assert world.rate_of(vm) == 0.0
    assert world.hourly_cost == pytest.approx(before - LINUX_D2S_V5_HOUR)
    assert world.rate_of(os_disk(world, vm)) > 0
    pip = world.get(world.resource_id("rg", "Microsoft.Network/publicIPAddresses", "vm1PublicIP"))
    assert world.rate_of(pip) == pytest.approx(catalog.PUBLIC_IP_PRICE_HOUR["Standard"])


def test_deallocating_vm_not_billed_for_compute(world):
    vm = linux_vm(world)
    world.vms.deallocate(vm)
    world.advance(1)
    assert vm.power_state == "deallocating"
    assert world.rate_of(vm) == 0.0


def test_accrued_cost_follows_billing_of_each_state(world):
    vm = linux_vm(world)
    done(world, world.vms.stop(vm))
    spent = world.total_cost()
    world.advance(3600)
    assert world.total_cost() - spent == pytest.approx(world.hourly_cost)
    done(world, world.vms.deallocate(vm))
    spent = world.total_cost()
    world.advance(3600)
    assert world.total_cost() - spent == pytest.approx(world.hourly_cost)
    assert world.rate_of(vm) == 0.0


# --- refusals (§2.4, ERRTAB) ----------------------------------------------------------------------

def test_stop_refused_when_deallocated(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    with raises_arm("OperationNotAllowed", "Operation 'powerOff' is not allowed on VM 'vm1' since the VM is either "
                    "deallocated or marked to be deallocated.", 409):
        world.vms.stop(vm)
    assert vm.power_state == "deallocated" and not world.pending()


def test_restart_refused_when_deallocated(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    with raises_arm("OperationNotAllowed", "The operation requires the VM to be running (or set to run).", 409):
        world.vms.restart(vm)
    assert vm.power_state == "deallocated" and not world.pending()


@pytest.mark.parametrize("operation", ["start", "redeploy"])
def test_start_and_redeploy_refused_when_generalized(world, operation):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.generalize(vm))
    with raises_arm("OperationNotAllowed", f"Operation '{operation}' is not allowed on VM 'vm1' since the VM is "
                    "generalized.", 409):
        getattr(world.vms, operation)(vm)
    assert vm.power_state == "deallocated"


def test_generalize_refused_when_running(world):
    vm = linux_vm(world)
    with raises_arm("OperationNotAllowed", "Operation 'generalize' is not allowed on VM 'vm1' since the VM is "
                    "running. Please power off explicitly in case you shut down the VM from inside the guest "
                    "operating system.", 409):
        world.vms.generalize(vm)
    assert vm.generalized is False


def test_run_command_refused_when_not_running(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    with raises_arm("OperationNotAllowed", "The operation requires the VM to be running (or set to run)."):
        world.vms.run_command(vm, "RunShellScript", ["hostname"])


@pytest.mark.parametrize("second, verb", [
    ("start", "start"), ("stop", "powerOff"), ("deallocate", "deallocate"), ("restart", "restart"),
    ("generalize", "generalize"),
])
def test_second_operation_while_one_in_flight_is_refused(world, second, verb):
    vm = linux_vm(world)
    first = world.vms.stop(vm)
    world.advance(1)
    assert vm.power_state == "stopping"
    with raises_arm("OperationNotAllowed", f"Operation '{verb}' is not allowed on VM 'vm1' since another "
                    "operation is in progress.", 409):
        getattr(world.vms, second)(vm)
    assert world.pending() == [first]
    world.finish(first)
    assert (first.status, vm.power_state) == ("Succeeded", "stopped")


def test_operation_allowed_again_once_the_first_finished(world):
    vm = linux_vm(world)
    done(world, world.vms.stop(vm))
    op = done(world, world.vms.deallocate(vm))
    assert op.status == "Succeeded" and vm.power_state == "deallocated"


def test_operations_on_different_vms_run_concurrently(world):
    a, b = linux_vm(world, "a"), linux_vm(world, "b")
    op_a, op_b = world.vms.stop(a), world.vms.deallocate(b)
    world.advance(1)
    assert (a.power_state, b.power_state) == ("stopping", "deallocating")
    world.run_until_idle()
    assert (op_a.status, op_b.status) == ("Succeeded", "Succeeded")


def test_a_busy_resource_is_named_by_its_own_kind(world) -> None:
    """A VM request that runs into a disk still being created names it as a disk, not as a VM."""
    from labtui.engine.errors import ArmError
    from tests.engine_helpers import attach_spec

    pending = world.disks.create("rg", "d1", size_gb=30, os_type="Linux")
    disk = world.get(pending.resource_id)
    with pytest.raises(ArmError) as refused:
        world.vms.create(attach_spec("vm-on-d1", disk))
    assert refused.value.message == ("Operation 'create' on disk 'd1' cannot be performed since another operation "
                                     "is in progress. Please retry after the ongoing operation completes.")
    assert world.find(type(disk), "rg", "d1").managed_by is None    # refused: nothing changed


def test_recreating_a_deleted_vm_reuses_its_left_behind_nic(world):
    import attrs

    from labtui.engine.resources import NetworkInterface

    vm = linux_vm(world, "again")
    nic_id = vm.nic_ids[0]
    done(world, world.vms.delete(vm))
    assert world.get(nic_id).vm_id is None          # the NIC stays behind, detached, as on Azure
    again, _ = create_vm(world, linux_spec("again"))
    assert again.nic_ids == [nic_id] and world.get(nic_id).vm_id == again.id
    assert len(world.list(NetworkInterface)) == 1
    stealing = attrs.evolve(linux_spec("thief"), network=attrs.evolve(linux_spec("again").network))
    with raises_arm("InvalidResourceReference"):
        world.vms.create(stealing)
