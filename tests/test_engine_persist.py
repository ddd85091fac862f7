"""Saving and loading worlds: work in flight survives, unreadable files are kept aside, and one
process at a time holds a sandbox."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine_helpers import (
    D, create_vm, decode_save, done, encode_save, linux_spec, linux_vm, make_world, raises_arm, saved_fields, scenario,
    without_saved_at,
)
from labtui.engine import activity, persist
from labtui.engine.events import OperationSucceeded, StateChanged
from labtui.engine.persist import Sandbox, SandboxLocked
from labtui.engine.resources import VirtualMachine
from labtui.engine.world import World


def reload(world: World) -> World:
    loaded, _ = persist.loads(persist.dumps(world))
    return loaded


# --- round trips --------------------------------------------------------------------------------------

def test_operation_in_flight_resumes_and_completes_after_load(world):
    vm = linux_vm(world)
    op = world.vms.deallocate(vm)
    world.advance(D["vm.deallocate"] / 2)
    loaded = reload(world)
    vm2 = loaded.get(vm.id)
    assert isinstance(vm2, VirtualMachine) and vm2.power_state == "deallocating"
    assert [o.id for o in loaded.pending()] == [op.id]
    assert loaded.now == world.now
    seen = []
    loaded.subscribe(seen.append)
    loaded.run_until_idle()
    assert vm2.power_state == "deallocated" and vm2.provisioning_state == "Succeeded"
    assert loaded.operations[op.id].status == "Succeeded"
    assert loaded.now == pytest.approx(op.accepted_at + D["vm.deallocate"])
    assert any(isinstance(e, StateChanged) and e.new == "deallocated" for e in seen)
    assert any(isinstance(e, OperationSucceeded) and e.operation_id == op.id for e in seen)


def test_create_in_flight_resumes_after_load(world):
    vm, op = create_vm(world, linux_spec("vm1"), wait=False)
    world.advance(1)
    loaded = reload(world)
    loaded.run_until_idle()
    assert loaded.get(vm.id).power_state == "running"
    assert loaded.operations[op.id].status == "Succeeded"


def test_locks_survive_a_load(world):
    vm = linux_vm(world)
    world.vms.stop(vm)
    world.advance(1)
    loaded = reload(world)
    with raises_arm("OperationNotAllowed", "Operation 'start' is not allowed on VM 'vm1' since another operation is "
                    "in progress."):
        loaded.vms.start(loaded.get(vm.id))


def test_round_trip_keeps_everything(world):
    scenario(world)
    data = persist.dumps(world)
    loaded = reload(world)
    assert without_saved_at(persist.dumps(loaded)) == without_saved_at(data)
    assert sorted(loaded.resources) == sorted(world.resources)
    assert loaded.hourly_cost == pytest.approx(world.hourly_cost)
    assert loaded.total_cost() == pytest.approx(world.total_cost())
    for key, resource in world.resources.items():
        assert loaded.resources[key] == resource


def test_loaded_guest_and_blocks_are_independent_of_the_original(world):
    vm = linux_vm(world)
    loaded = reload(world)
    loaded.guest(vm.id).run("echo x >> /tmp/f")
    assert loaded.vms.os_disk(loaded.get(vm.id)).content.blocks != world.vms.os_disk(vm).content.blocks


def test_a_written_disk_saves_as_several_block_runs_and_loads_equal(world):
    scenario(world)
    lin_disk = world.vms.os_disk(world.find(VirtualMachine, "rg", "lin"))
    raw, _ = decode_save(persist.dumps(world))
    saved = next(saved_fields(raw, "Disk", body) for kind, body in raw["resources"] if body[0] == lin_disk.id)
    runs = saved_fields(raw, "Content", saved["content"])["blocks"]
    # The image's blocks, then the guest's writes after them, and block 0 rewritten by the file system.
    assert runs[1][0] == 1 and len(runs) > 2 and sum(length for _, _, length in runs) == len(lin_disk.content.blocks)
    assert reload(world).resources[lin_disk.id.lower()].content.blocks == lin_disk.content.blocks


@given(st.dictionaries(st.integers(0, 5000), st.integers(1, 10**9), max_size=200))
def test_any_block_map_survives_its_runs(blocks):
    assert persist._blocks_from(persist._block_runs(blocks), None) == blocks


@pytest.mark.parametrize("damage", ["saved_at", "clock", "run", "no schema", "schema not names", "record too short"])
def test_well_formed_files_with_values_of_the_wrong_kind_are_kept_aside(tmp_path, damage):
    world = make_world(seed=2)
    linux_vm(world)
    raw, compressed = decode_save(persist.dumps(world))
    disk = next(body for kind, body in raw["resources"] if kind == "Microsoft.Compute/disks")
    if damage == "saved_at":
        raw["saved_at"] = "yesterday"
    elif damage == "clock":
        raw["clock"] = 7
    elif damage == "run":
        at = raw["schema"]["Disk"].index("content")
        disk[at][raw["schema"]["Content"].index("blocks")] = [[0, 1, 2 ** 40]]
    elif damage == "no schema":
        del raw["schema"]
    elif damage == "schema not names":
        raw["schema"]["Disk"] = [1, 2]
    else:
        disk.pop()
    (tmp_path / persist.SAVE_NAME).write_bytes(encode_save(raw, compressed))
    sandbox = Sandbox(tmp_path)
    assert sandbox.load().resources == {} and "could not be read" in sandbox.notice
    assert any(path.name.startswith(persist.SAVE_NAME + ".corrupt-") for path in tmp_path.iterdir())


# Written by labtui with format 2 (every record a dict) from engine_helpers.scenario on make_world(seed=7).
FORMAT_2_SAVE = Path(__file__).parent / "data" / "sandbox-format2.msgpack"


def check_format_2_scenario(loaded: World) -> None:
    """What FORMAT_2_SAVE holds, checked on a world loaded from it (or from its format 1 form)."""
    assert len(loaded.resources) == 22
    entries = list(loaded.activity.entries)
    assert len(entries) == 90 and entries[0].what == "created" and entries[0].resource_id.endswith("/resourcegroups/rg")
    lin = loaded.find(VirtualMachine, "rg", "lin")
    assert lin.generalized
    new = loaded.find(VirtualMachine, "rg", "fromimg")
    assert new.power_state == "stopping" and [op.name for op in loaded.pending()] == ["vm.stop"]
    assert loaded.vms.guest_state(new).sid == "S-1-5-21-2565380553-2939089446-2281194397"
    lin_disk = loaded.vms.os_disk(lin)
    assert len(lin_disk.content.blocks) > 1 and any("notes.txt" in path for path in lin_disk.content.guest.files)
    loaded.run_until_idle()
    assert new.power_state == "stopped"


def test_a_format_2_save_still_loads():
    loaded, _ = persist.loads(FORMAT_2_SAVE.read_bytes())
    check_format_2_scenario(loaded)
    again, _ = persist.loads(persist.dumps(loaded))     # saved again as format 3
    assert again.resources == loaded.resources


def test_a_format_1_save_with_block_maps_as_dicts_still_loads():
    raw, compressed = decode_save(FORMAT_2_SAVE.read_bytes())
    assert raw["version"] == 2
    raw["version"] = 1

    def as_dicts(value):
        if isinstance(value, dict):
            return {key: (as_dicts(item) if key not in ("blocks",) else
                          {i + n: b + n for i, b, length in item for n in range(length)})
                    for key, item in value.items()}
        if isinstance(value, list):
            return [as_dicts(item) for item in value]
        return value

    raw["resources"] = as_dicts(raw["resources"])
    raw["store"]["marketplace"] = {urn: {i + n: b + n for i, b, length in runs for n in range(length)}
                                   for urn, runs in raw["store"]["marketplace"].items()}
    loaded, _ = persist.loads(encode_save(raw, compressed))
    check_format_2_scenario(loaded)


def test_a_record_whose_fields_changed_since_the_save_loads_by_name(world):
    """A field added to a class since the save takes its default; a removed one is dropped."""
    scenario(world)
    raw, compressed = decode_save(persist.dumps(world))
    fields = raw["schema"]["VirtualMachine"]
    at = fields.index("ultra_ssd_enabled")
    raw["schema"]["VirtualMachine"] = [*fields[:at], *fields[at + 1:], "a_field_since_removed"]
    for kind, body in raw["resources"]:
        if kind == "Microsoft.Compute/virtualMachines":
            body.pop(at)
            body.append("gone")
    loaded, _ = persist.loads(encode_save(raw, compressed))
    assert sorted(loaded.resources) == sorted(world.resources)
    assert all(vm.ultra_ssd_enabled is False for vm in loaded.resources.values() if isinstance(vm, VirtualMachine))
    assert loaded.find(VirtualMachine, "rg", "win") == world.find(VirtualMachine, "rg", "win")


# --- the sandbox on disk --------------------------------------------------------------------------------

def test_sandbox_save_and_load(tmp_path):
    world = make_world(seed=2)
    world.set_speed(0)                     # paused: loading does not move the clock on
    vm = linux_vm(world)
    sandbox = Sandbox(tmp_path)
    sandbox.save(world)
    loaded = Sandbox(tmp_path).load()
    assert loaded.get(vm.id).power_state == "running"
    assert sandbox.notice is None


def test_sandbox_without_file_gives_a_fresh_world(tmp_path):
    sandbox = Sandbox(tmp_path)
    world = sandbox.load(seed=4)
    assert world.resources == {} and sandbox.notice is None


def test_corrupt_sandbox_is_kept_aside_with_a_notice(tmp_path):
    path = tmp_path / persist.SAVE_NAME
    path.write_bytes(b"\x93not a sandbox at all\xff")
    sandbox = Sandbox(tmp_path)
    world = sandbox.load(seed=4)
    assert world.resources == {}                                  # a fresh world
    assert not path.exists()
    kept = list(tmp_path.glob(f"{persist.SAVE_NAME}.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x93not a sandbox at all\xff"
    assert sandbox.notice and "could not be read" in sandbox.notice and str(kept[0]) in sandbox.notice


def test_truncated_sandbox_is_kept_aside(tmp_path):
    world = make_world()
    linux_vm(world)
    data = persist.dumps(world)
    (tmp_path / persist.SAVE_NAME).write_bytes(data[: len(data) // 2])
    sandbox = Sandbox(tmp_path)
    assert sandbox.load().resources == {}
    assert len(list(tmp_path.glob(f"{persist.SAVE_NAME}.corrupt-*"))) == 1
    assert sandbox.notice


def test_newer_format_sandbox_is_kept_aside_with_a_notice(tmp_path):
    raw, compressed = decode_save(persist.dumps(make_world()))
    raw["version"] = persist.FORMAT_VERSION + 1
    path = tmp_path / persist.SAVE_NAME
    path.write_bytes(encode_save(raw, compressed))
    sandbox = Sandbox(tmp_path)
    world = sandbox.load()
    assert world.resources == {}
    kept = list(tmp_path.glob(f"{persist.SAVE_NAME}.newer-*"))
    assert len(kept) == 1 and not path.exists()
    assert sandbox.notice and "newer labtui" in sandbox.notice and f"format {persist.FORMAT_VERSION + 1}" in \
        sandbox.notice


_LOCKER = textwrap.dedent("""
    import sys
    from labtui.engine.persist import Sandbox, SandboxLocked
    try:
        Sandbox(sys.argv[1]).lock(wait_seconds=0.3)
    except SandboxLocked as locked:
        print("LOCKED", locked)
        sys.exit(3)
    print("GOT IT")
""")


def _lock_in_other_process(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _LOCKER, str(directory)], capture_output=True, text=True,
                          timeout=60)


def test_lock_keeps_out_a_second_process(tmp_path):
    sandbox = Sandbox(tmp_path)
    sandbox.lock()
    try:
        other = _lock_in_other_process(tmp_path)
        assert other.returncode == 3, other.stderr
        assert "LOCKED" in other.stdout and "in use by labtui (pid" in other.stdout
    finally:
        sandbox.unlock()
    again = _lock_in_other_process(tmp_path)
    assert again.returncode == 0 and "GOT IT" in again.stdout


def test_lock_held_by_another_process_refuses_this_one(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from labtui.engine.persist import Sandbox
        held = Sandbox(sys.argv[1])
        held.lock()
        print("ready", flush=True)
        sys.stdin.readline()
    """), str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(SandboxLocked):
            Sandbox(tmp_path).lock(wait_seconds=0.2)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    mine = Sandbox(tmp_path)
    mine.lock(wait_seconds=2)
    mine.unlock()


def test_each_resources_activity_is_logged_and_kept_across_a_save(world):
    vm = linux_vm(world)
    done(world, world.vms.deallocate(vm))
    world.record_command("guest", "hostname", 255, target=vm.id)     # a refused guest line is logged too
    lines = [entry.what for entry in world.activity.of(vm.id)]
    assert lines[0] == "vm.create accepted" and "created" in lines
    assert "vm.deallocate accepted" in lines and "vm.deallocate succeeded" in lines
    assert "powerState: deallocating → deallocated" in lines
    assert lines[-1] == "guest$ hostname  (exit 255)"
    loaded, _ = persist.loads(persist.dumps(world))
    assert [entry.what for entry in loaded.activity.of(vm.id)] == lines
    done(loaded, loaded.vms.start(loaded.get(vm.id)))      # the loaded world goes on logging
    assert loaded.activity.of(vm.id)[-1].what == "vm.start succeeded"
    # bounded: the oldest entries go first
    for n in range(activity.KEEP + 10):
        loaded.activity.record(StateChanged(time=0.0, seq=n, resource_id=vm.id, resource_type=vm.TYPE, field="f",
                                            old="a", new="b"))
    assert len(loaded.activity.entries) == activity.KEEP
