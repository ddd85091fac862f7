"""The event stream: every change is an event, in order, delivered to subscribers as it happens."""

from __future__ import annotations

import pytest

from engine_helpers import D, create_vm, done, image_of, linux_spec, linux_vm
from labtui.engine.compute_vms import VmSource
from labtui.engine.errors import ArmError
from labtui.engine.events import (
    ClockAdvanced, Event, OperationAccepted, OperationFailed, OperationSucceeded, ResourceCreated, ResourceDeleted,
    StateChanged,
)


def record(world, *types):
    seen: list[Event] = []
    unsubscribe = world.subscribe(seen.append, *types)
    return seen, unsubscribe


def summary(events, resource_id):
    out = []
    for e in events:
        if getattr(e, "resource_id", None) != resource_id:
            continue
        if isinstance(e, StateChanged):
            out.append(("StateChanged", e.field, e.old, e.new))
        elif isinstance(e, (OperationAccepted, OperationSucceeded)):
            out.append((type(e).__name__, e.operation))
        elif isinstance(e, OperationFailed):
            out.append(("OperationFailed", e.operation, e.code))
        else:
            out.append((type(e).__name__,))
    return out


def test_deallocate_emits_accepted_state_changes_and_succeeded_in_order(world):
    vm = linux_vm(world)
    seen, _ = record(world)
    start = world.now
    done(world, world.vms.deallocate(vm))
    assert summary(seen, vm.id) == [
        ("OperationAccepted", "vm.deallocate"),
        ("StateChanged", "provisioningState", "Succeeded", "Updating"),
        ("StateChanged", "powerState", "running", "deallocating"),
        ("StateChanged", "powerState", "deallocating", "deallocated"),
        ("StateChanged", "provisioningState", "Updating", "Succeeded"),
        ("OperationSucceeded", "vm.deallocate"),
    ]
    final = [e for e in seen if isinstance(e, StateChanged) and e.new == "deallocated"][0]
    assert final.time == start + D["vm.deallocate"]
    disk_changes = [(e.old, e.new) for e in seen if isinstance(e, StateChanged) and e.resource_id == vm.os_disk_id]
    assert disk_changes == [("Attached", "Reserved")]


def test_stop_and_start_events(world):
    vm = linux_vm(world)
    seen, _ = record(world, StateChanged)
    done(world, world.vms.stop(vm))
    done(world, world.vms.start(vm))
    powers = [(e.old, e.new) for e in seen if e.field == "powerState"]
    assert powers == [("running", "stopping"), ("stopping", "stopped"), ("stopped", "starting"),
                      ("starting", "running")]


def test_failed_operation_emits_operation_failed_with_code(world):
    source = linux_vm(world, "src")
    done(world, world.vms.deallocate(source))
    done(world, world.vms.generalize(source))
    image = image_of(world, "img", source)
    seen, _ = record(world)
    vm, op = create_vm(world, linux_spec("new", source=VmSource("image", image.id)))
    assert op.status == "Failed"
    failed = [e for e in seen if isinstance(e, OperationFailed)]
    assert len(failed) == 1
    assert (failed[0].operation, failed[0].resource_id, failed[0].code) == ("vm.create", vm.id,
                                                                            "OSProvisioningTimedOut")
    assert failed[0].message == op.error["message"]
    assert not any(isinstance(e, OperationSucceeded) and e.operation_id == op.id for e in seen)
    assert summary(seen, vm.id)[-2:] == [("StateChanged", "provisioningState", "Creating", "Failed"),
                                         ("OperationFailed", "vm.create", "OSProvisioningTimedOut")]


def test_refused_request_emits_nothing(world):
    vm = linux_vm(world)
    seen, _ = record(world)
    with pytest.raises(ArmError):
        world.vms.generalize(vm)
    assert seen == []


def test_vm_create_state_changes_follow_acceptance(world):
    seen, _ = record(world)
    vm, op = create_vm(world, linux_spec("vm1"))
    accepted = next(i for i, e in enumerate(seen) if isinstance(e, OperationAccepted))
    succeeded = next(i for i, e in enumerate(seen) if isinstance(e, OperationSucceeded))
    created = {e.resource_id for e in seen if isinstance(e, ResourceCreated)}
    assert {vm.id, vm.os_disk_id} <= created
    changes = [i for i, e in enumerate(seen) if isinstance(e, StateChanged)]
    assert changes and all(accepted < i < succeeded for i in changes), \
        [(type(e).__name__, getattr(e, "field", "")) for e in seen]


def test_subscribers_see_events_as_the_clock_runs_without_polling(world):
    vm = linux_vm(world)
    when = []
    world.subscribe(lambda e: when.append((e.new, world.now, vm.power_state)), StateChanged)
    world.vms.stop(vm)
    assert when[-1] == ("stopping", world.now, "stopping")      # delivered inside the call
    world.advance(D["vm.stop"] + 100)
    stopped = [w for w in when if w[0] == "stopped"]
    assert stopped == [("stopped", D["vm.create.Linux"] + D["vm.stop"], "stopped")]   # at the phase's time


def test_type_filter(world):
    seen, _ = record(world, ResourceCreated, ResourceDeleted)
    vm = linux_vm(world)
    done(world, world.vms.delete(vm))
    assert seen and all(isinstance(e, (ResourceCreated, ResourceDeleted)) for e in seen)
    assert [e.resource_id for e in seen if isinstance(e, ResourceDeleted)] == [vm.id]


def test_unsubscribe_stops_delivery(world):
    seen, unsubscribe = record(world)
    vm = linux_vm(world)
    count = len(seen)
    assert count > 0
    unsubscribe()
    done(world, world.vms.stop(vm))
    assert len(seen) == count
    unsubscribe()                                                # idempotent


def test_a_broken_subscriber_does_not_break_the_world(world):
    def broken(event):
        raise RuntimeError("subscriber bug")

    world.subscribe(broken)
    seen, _ = record(world)
    vm = linux_vm(world)
    assert vm.power_state == "running"
    assert any(isinstance(e, OperationSucceeded) for e in seen)


def test_sequence_numbers_increase_and_time_never_goes_back(world):
    seen, _ = record(world)
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.start(vm))
    assert [e.seq for e in seen] == sorted({e.seq for e in seen})
    assert [e.time for e in seen] == sorted(e.time for e in seen)
    clocks = [e for e in seen if isinstance(e, ClockAdvanced)]
    assert clocks and all(e.previous < e.time for e in clocks)


def test_every_operation_is_accepted_once_and_finishes_once(world):
    seen, _ = record(world)
    vm = linux_vm(world)
    done(world, world.vms.stop(vm))
    done(world, world.vms.deallocate(vm))
    done(world, world.vms.generalize(vm))
    image_of(world, "img", vm)
    accepted = [e.operation_id for e in seen if isinstance(e, OperationAccepted)]
    finished = [e.operation_id for e in seen if isinstance(e, (OperationSucceeded, OperationFailed))]
    assert len(accepted) == len(set(accepted)) and sorted(accepted) == sorted(finished)
    for op_id in accepted:
        a = next(i for i, e in enumerate(seen) if isinstance(e, OperationAccepted) and e.operation_id == op_id)
        f = next(i for i, e in enumerate(seen) if isinstance(e, (OperationSucceeded, OperationFailed))
                 and e.operation_id == op_id)
        assert a < f
