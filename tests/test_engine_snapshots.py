"""Copy-on-write disk content: guest writes, frozen snapshots, full vs incremental billing (§6.3),
disks restored from snapshots, and cross-region CopyStart copies (XREG, §5.3)."""

from __future__ import annotations

import attrs
import pytest

from engine_helpers import (
    D, disk_from, done, empty_disk, guest_run, linux_vm, os_disk, raises_arm, snapshot,
)
from labtui.engine import catalog
from labtui.engine.errors import ArmError
from labtui.engine.resources import Disk, Snapshot
from labtui.engine.storage import BLOCK_BYTES, GIB, differing_bytes


def write(world, vm, text="data"):
    result = guest_run(world, vm, f"echo {text} >> /tmp/notes.txt")
    assert result.exit_status == 0


@pytest.fixture
def vm(world):
    return linux_vm(world)


# --- guest writes and frozen snapshots ------------------------------------------------------------

def test_guest_write_changes_the_os_disk_blocks(world, vm):
    disk = os_disk(world, vm)
    before = dict(disk.content.blocks)
    write(world, vm)
    after = disk.content.blocks
    assert after != before
    assert len(after) == len(before) + 1                       # a new block...
    assert after[0] != before[0]                               # ...and the rewritten journal block
    assert {i: b for i, b in after.items() if i in before and before[i] != b} == {0: after[0]}


def test_snapshot_is_frozen_after_later_writes(world, vm):
    disk = os_disk(world, vm)
    snap = snapshot(world, "snap", disk)
    frozen_blocks = dict(snap.content.blocks)
    frozen_guest = attrs.evolve(snap.content.guest)
    assert frozen_blocks == disk.content.blocks
    write(world, vm)
    guest_run(world, vm, "sudo useradd -m extra")
    assert disk.content.blocks != frozen_blocks
    assert snap.content.blocks == frozen_blocks
    assert snap.content.guest == frozen_guest


def test_disk_writes_do_not_leak_into_a_snapshot_of_a_stopped_vm(world, vm):
    done(world, world.vms.stop(vm))
    snap = snapshot(world, "snap", os_disk(world, vm))
    frozen = dict(snap.content.blocks)
    done(world, world.vms.start(vm))
    write(world, vm)
    assert snap.content.blocks == frozen


# --- billing (§6.3, §8) ------------------------------------------------------------------------------

def test_full_snapshot_billed_for_every_used_block(world, vm):
    disk = os_disk(world, vm)
    write(world, vm)
    snap = snapshot(world, "full", disk)
    assert snap.billed_bytes == len(disk.content.blocks) * BLOCK_BYTES == disk.content.used_bytes
    assert snap.billed_bytes < disk.size_gb * GIB                # used size, not provisioned size
    expected = catalog.SNAPSHOT_PRICE_GIB_MONTH["Standard_LRS"] * snap.billed_bytes / GIB / catalog.HOURS_PER_MONTH
    assert world.rate_of(snap) == pytest.approx(expected)


def test_first_incremental_is_a_full_copy(world, vm):
    disk = os_disk(world, vm)
    inc = snapshot(world, "inc1", disk, incremental=True)
    assert inc.billed_bytes == disk.content.used_bytes


def test_incremental_billed_for_blocks_differing_from_previous_incremental(world, vm):
    disk = os_disk(world, vm)
    first = snapshot(world, "inc1", disk, incremental=True)
    write(world, vm, "one")
    write(world, vm, "two")
    second = snapshot(world, "inc2", disk, incremental=True)
    assert second.billed_bytes == differing_bytes(second.content.blocks, first.content.blocks)
    assert second.billed_bytes == 3 * BLOCK_BYTES              # two new blocks + the journal block
    third = snapshot(world, "inc3", disk, incremental=True)
    assert third.billed_bytes == 0                             # nothing changed since inc2
    assert second.family_id == first.family_id == third.family_id


def test_full_snapshot_in_between_does_not_reset_the_incremental_chain(world, vm):
    disk = os_disk(world, vm)
    first = snapshot(world, "inc1", disk, incremental=True)
    write(world, vm)
    snapshot(world, "full", disk)
    second = snapshot(world, "inc2", disk, incremental=True)
    assert second.billed_bytes == differing_bytes(second.content.blocks, first.content.blocks) == 2 * BLOCK_BYTES


def test_incremental_chains_are_per_disk(world, vm):
    other = linux_vm(world, "vm2")
    a1 = snapshot(world, "a1", os_disk(world, vm), incremental=True)
    b1 = snapshot(world, "b1", os_disk(world, other), incremental=True)
    write(world, vm)
    a2 = snapshot(world, "a2", os_disk(world, vm), incremental=True)
    b2 = snapshot(world, "b2", os_disk(world, other), incremental=True)
    assert (a2.billed_bytes, b2.billed_bytes) == (2 * BLOCK_BYTES, 0)
    assert a1.family_id != b1.family_id


def test_incremental_predecessor_is_the_most_recent_one_even_at_the_same_instant(world, vm):
    # Virtual time does not move between these calls, and the names do not sort in creation order
    # ("snap10" < "snap9"): the previous incremental is still the one created last.
    disk = os_disk(world, vm)
    world.snapshots.create("rg", "snap9", source_id=disk.id, incremental=True)
    write(world, vm)
    world.snapshots.create("rg", "snap10", source_id=disk.id, incremental=True)
    op = world.snapshots.create("rg", "snap11", source_id=disk.id, incremental=True)
    world.run_until_idle()
    latest = world.get(op.resource_id)
    assert latest.billed_bytes == 0, "snap11 = snap10 (nothing written in between): no delta to bill"


# --- restoring -----------------------------------------------------------------------------------------

def test_disk_from_snapshot_has_the_snapshot_blocks_and_guest(world, vm):
    write(world, vm)
    snap = snapshot(world, "snap", os_disk(world, vm))
    write(world, vm, "later")
    disk = disk_from(world, "restored", snap)
    assert disk.content.blocks == snap.content.blocks
    assert disk.content.guest == snap.content.guest
    assert disk.content.guest is not snap.content.guest        # its own copy, not a shared object
    assert (disk.os_type, disk.hyper_v_generation, disk.create_option) == ("Linux", "V2", "Copy")
    assert disk.source_resource_id == snap.id


def test_writes_to_a_restored_disk_do_not_change_the_snapshot(world, vm):
    snap = snapshot(world, "snap", os_disk(world, vm))
    frozen = dict(snap.content.blocks)
    disk = disk_from(world, "restored", snap)
    world.store.write(disk.content, disk.size_gb, 10 * BLOCK_BYTES)
    assert snap.content.blocks == frozen and disk.content.blocks != frozen


def test_deleting_the_source_disk_leaves_its_snapshots_whole(world):
    data = empty_disk(world, "data")
    world.store.write(data.content, data.size_gb, 5 * BLOCK_BYTES)
    full = snapshot(world, "full", data)
    inc = snapshot(world, "inc", data, incremental=True)
    blocks = dict(data.content.blocks)
    done(world, world.disks.delete(data))
    assert world.get(data.id) is None
    for snap in (full, inc):
        assert world.get(snap.id) is snap
        assert snap.content.blocks == blocks
        assert snap.billed_bytes == 5 * BLOCK_BYTES
        assert disk_from(world, f"from-{snap.name}", snap).content.blocks == blocks


# --- cross-region copy (CopyStart) -------------------------------------------------------------------

def _copy_start(world, vm):
    source = snapshot(world, "inc", os_disk(world, vm), incremental=True)
    op = world.snapshots.create("rgw", "inc-west", source_id=source.id, location="westus", incremental=True,
                                copy_start=True)
    copy = world.get(op.resource_id)
    assert isinstance(copy, Snapshot) and copy.create_option == "CopyStart"
    return source, copy, op


def test_copy_start_creation_succeeds(world, vm):
    _, copy, op = _copy_start(world, vm)
    world.advance(D["snapshot.create"] + 1)
    assert op.status == "Succeeded", op.error
    assert copy.provisioning_state == "Succeeded"


def test_copy_start_completion_percent_rises_from_zero_to_100(world, vm):
    _, copy, _ = _copy_start(world, vm)
    seen = [world.snapshots.completion_percent(copy)]
    while seen[-1] < 100.0 and world.now < 10 * 24 * 3600:
        world.advance(60)
        seen.append(world.snapshots.completion_percent(copy))
    assert seen[0] == 0.0
    assert seen == sorted(seen) and seen[-1] == 100.0
    assert any(0.0 < p < 100.0 for p in seen)


def test_copy_start_announces_completion_and_leaves_no_work_behind(world, vm):
    _, copy, _ = _copy_start(world, vm)
    changes = []
    world.subscribe(lambda e: changes.append((e.field, e.new)) if getattr(e, "resource_id", None) == copy.id
                    and hasattr(e, "field") else None)
    world.run_until_idle()
    assert ("completionPercent", 100.0) in changes
    assert not world.pending()
    names = [op.name for op in world.operations.values() if op.resource_id == copy.id]
    assert "snapshot.copy" in names


def test_disk_cannot_be_created_from_a_copy_mid_copy(world, vm):
    _, copy, _ = _copy_start(world, vm)
    world.advance(D["snapshot.create"] + 60)
    assert 0.0 < world.snapshots.completion_percent(copy) < 100.0
    with pytest.raises(ArmError):
        world.disks.create("rgw", "too-early", source_id=copy.id, location="westus")
    assert world.find(Disk, "rgw", "too-early") is None
    world.advance(2 * D["snapshot.copy_start"])
    assert world.snapshots.completion_percent(copy) == 100.0
    restored = disk_from(world, "in-time", copy, group="rgw", location="westus")
    assert restored.content.blocks == copy.content.blocks


def test_disk_cannot_be_created_from_a_copy_just_accepted(world, vm):
    # The copy has not started yet: completionPercent is 0, not 100 (XREG: wait for 100).
    _, copy, _ = _copy_start(world, vm)
    assert world.snapshots.completion_percent(copy) < 100.0
    with pytest.raises(ArmError):
        world.disks.create("rgw", "too-early", source_id=copy.id, location="westus")
    assert world.find(Disk, "rgw", "too-early") is None


def test_full_snapshot_cannot_be_copied_to_another_region(world, vm):
    full = snapshot(world, "full", os_disk(world, vm))
    # §1 iv, XREG: only incremental snapshots copy across regions (exact text unknown, §7).
    for incremental in (False, True):
        with pytest.raises(ArmError):
            world.snapshots.create("rgw", "full-west", source_id=full.id, location="westus", incremental=incremental)
    assert world.find(Snapshot, "rgw", "full-west") is None


def test_disk_source_in_another_region_is_not_found(world, vm):
    snap = snapshot(world, "snap", os_disk(world, vm))
    with raises_arm("NotFound", "Resource snap is not found.", 404):
        world.disks.create("rgw", "west", source_id=snap.id, location="westus")


# --- re-creating a snapshot with the same name (§3.4: PUT updates in place) --------------------------

def test_recreating_a_snapshot_with_the_same_name_updates_it_in_place(world, vm):
    disk = os_disk(world, vm)
    snap = snapshot(world, "snap", disk)
    unique_id, blocks = snap.unique_id, dict(snap.content.blocks)
    write(world, vm)
    done(world, world.snapshots.create("rg", "snap", source_id=disk.id))
    again = world.find(Snapshot, "rg", "snap")
    assert again.unique_id == unique_id
    assert again.content.blocks == blocks


def test_recreating_a_snapshot_from_another_source_is_refused(world, vm):
    snap = snapshot(world, "snap", os_disk(world, vm))
    other = empty_disk(world, "other")
    with raises_arm("PropertyChangeNotAllowed", "Changing property 'creationData.sourceResourceId' is not allowed."):
        world.snapshots.create("rg", "snap", source_id=other.id)
    assert world.find(Snapshot, "rg", "snap").source_resource_id == snap.source_resource_id


def test_recreating_a_full_snapshot_as_incremental_is_refused(world, vm):
    disk = os_disk(world, vm)
    snap = snapshot(world, "snap", disk)
    with raises_arm("PropertyChangeNotAllowed", "Changing property 'incremental' is not allowed."):
        world.snapshots.create("rg", "snap", source_id=disk.id, incremental=True)
    assert snap.incremental is False


def test_deleting_an_incremental_snapshot_moves_its_data_to_the_next_one(world, vm):
    disk = os_disk(world, vm)
    first = snapshot(world, "inc1", disk, incremental=True)
    write(world, vm, "one")
    second = snapshot(world, "inc2", disk, incremental=True)
    write(world, vm, "two")
    third = snapshot(world, "inc3", disk, incremental=True)
    billed_before = first.billed_bytes + second.billed_bytes + third.billed_bytes
    done(world, world.snapshots.delete(second))
    assert third.billed_bytes == differing_bytes(third.content.blocks, first.content.blocks)
    assert first.billed_bytes + third.billed_bytes <= billed_before
    done(world, world.snapshots.delete(first))
    assert third.billed_bytes == third.content.used_bytes      # the only one left holds everything
    assert world.rate_of(third) > 0
