"""Random lab sessions against the engine, checked against a small model of what must always hold.

Steps: create VM (marketplace Gen1/Gen2, managed image, attached disk), start / stop / deallocate /
restart / generalize / delete VM, full or incremental snapshot, cross-region copy, disk from
snapshot, empty disk, attach / detach / delete disk, OS-disk swap, snapshot delete, image capture
(with or without deprovisioning first), guest lines (writes, apt, waagent, shutdown), delete and
re-create the West US group, advance time, run until idle.

Only ArmError (Azure refusing a request) is an acceptable outcome of a step; any other exception
is a bug. Invariants:

* a disk restored from a snapshot equals it (blocks and guest) until something boots or writes it;
* a snapshot never changes, and its billed bytes are what ``storage.differing_bytes`` gave against
  its predecessor (the previous incremental of the same disk) when it was taken, or all used
  blocks for a full one;
* no reference dangles except where Azure allows it: a disk's ``managed_by`` VM exists and lists
  the disk, a VM's disks and NICs exist (images may point at deleted sources);
* the hourly cost is the sum of every resource's rate, each rate up to date;
* every operation in flight has a phase scheduled, and none stays InProgress after run_until_idle;
* a refused request (ArmError) changes nothing.
"""

from __future__ import annotations

import copy

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from engine_helpers import DEPROVISION, UBUNTU_GEN1, UBUNTU_GEN2, linux_spec, make_world, net
from labtui.engine.compute_vms import VmSource, VmSpec
from labtui.engine.cost import hourly_rate
from labtui.engine.errors import ArmError
from labtui.engine.guest_session import GuestUnreachable
from labtui.engine.resources import Disk, Image, NetworkInterface, Snapshot, VirtualMachine
from labtui.engine.storage import BLOCK_BYTES, differing_bytes

SIZE = "Standard_B1s"          # Gen1 + Gen2, 1 vCPU: many VMs fit in the regional quota
PICK = st.one_of(st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=1_000))


def pick(items: list, index: int):
    return items[index % len(items)] if items else None


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = make_world(seed=11)
        self.counter = 0
        self.frozen: dict[str, tuple[dict, object]] = {}     # snapshot id -> (blocks, guest) when taken
        self.billed: dict[str, int | None] = {}               # snapshot id -> expected billed bytes
        self.family: dict[str, list[str]] = {}                # disk unique id -> incremental snapshot ids, in order
        self.restored: dict[str, str] = {}                    # pristine restored disk id -> its snapshot id

    # --- helpers ------------------------------------------------------------------------------------
    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def footprint(self):
        world = self.world
        return (sorted(world.resources), sorted(op.id for op in world.pending()),
                sorted((d.id, d.managed_by) for d in world.list(Disk)), round(world.hourly_cost, 9))

    def attempt(self, call, atomic: bool = True):
        """Run a request; Azure refusing it is fine, but then nothing may have changed (ARM validates
        a request before it touches anything). A guest that cannot be reached (shutting down) is a
        refusal too."""
        before = self.footprint() if atomic else None
        try:
            return call()
        except (ArmError, GuestUnreachable) as refused:
            if atomic:
                assert self.footprint() == before, f"refused request ({refused}) still changed the world"
            return None

    def vms(self) -> list[VirtualMachine]:
        return self.world.list(VirtualMachine)

    def disks(self) -> list[Disk]:
        return self.world.list(Disk)

    def free_disks(self) -> list[Disk]:
        return [d for d in self.disks() if not d.managed_by]

    def settle_if(self, op, wait: bool) -> None:
        if op is not None and wait:
            self.world.finish(op)

    # --- rules --------------------------------------------------------------------------------------
    @initialize()
    def two_running_vms(self):
        for urn in (UBUNTU_GEN1, UBUNTU_GEN2):
            op = self.world.vms.create(linux_spec(self.name("vm"), urn=urn, size=SIZE))
            self.world.finish(op)
            assert op.status == "Succeeded", op.error

    @rule(kind=st.sampled_from(["gen1", "gen2", "image", "attach"]), index=PICK, wait=st.booleans())
    def create_vm(self, kind, index, wait):
        name = self.name("vm")
        if kind in ("gen1", "gen2"):
            spec = linux_spec(name, urn=UBUNTU_GEN1 if kind == "gen1" else UBUNTU_GEN2, size=SIZE)
        elif kind == "image":
            image = pick(self.world.list(Image), index)
            if image is None:
                return
            spec = linux_spec(name, source=VmSource("image", image.id), size=SIZE)
        else:
            disk = pick(self.free_disks(), index)
            if disk is None:
                return
            spec = VmSpec(group="rg", name=name, source=VmSource("attach", disk.id, os_type="Linux"), size=SIZE,
                          network=net(name))
        op = self.attempt(lambda: self.world.vms.create(spec))
        if op is not None and kind == "attach":
            self.restored.pop(spec.source.ref, None)          # it boots now: no longer a pristine copy
        self.settle_if(op, wait)

    @rule(action=st.sampled_from(["start", "stop", "deallocate", "restart", "generalize", "delete"]), index=PICK,
          wait=st.booleans())
    def vm_operation(self, action, index, wait):
        vm = pick(self.vms(), index)
        if vm is None:
            return
        op = self.attempt(lambda: getattr(self.world.vms, action)(vm))
        self.settle_if(op, wait)

    @rule(index=PICK, incremental=st.booleans(), prefix=st.sampled_from(["z", "m", "a"]))
    def take_snapshot(self, index, incremental, prefix="s"):
        disk = pick(self.disks(), index)
        if disk is None:
            return
        blocks = dict(disk.content.blocks)
        chain = [s for s in self.family.get(disk.unique_id, []) if self.world.get(s) is not None]
        previous = self.frozen[chain[-1]][0] if chain else None
        op = self.attempt(lambda: self.world.snapshots.create("rg", self.name(prefix), source_id=disk.id,
                                                              incremental=incremental))
        if op is None:
            return
        snap = self.world.get(op.resource_id)
        assert isinstance(snap, Snapshot)
        assert snap.content.blocks == blocks
        self.frozen[snap.id] = (dict(snap.content.blocks), copy.deepcopy(snap.content.guest))
        self.billed[snap.id] = differing_bytes(blocks, previous) if incremental else len(blocks) * BLOCK_BYTES
        if incremental:
            self.family.setdefault(disk.unique_id, []).append(snap.id)

    @rule(index=PICK)
    def copy_snapshot_to_west_us(self, index):
        snap = pick(self.world.list(Snapshot), index)
        if snap is None:
            return
        op = self.attempt(lambda: self.world.snapshots.create("rgw", self.name("copy"), source_id=snap.id,
                                                              location="westus", incremental=True, copy_start=True))
        if op is None:
            return
        copy_ = self.world.get(op.resource_id)
        assert isinstance(copy_, Snapshot) and snap.incremental, "only incremental snapshots copy across regions"
        assert copy_.content.blocks == snap.content.blocks
        self.frozen[copy_.id] = (dict(copy_.content.blocks), copy.deepcopy(copy_.content.guest))
        self.billed[copy_.id] = None          # billing in the target region is not modelled here

    @rule(index=PICK, wait=st.booleans())
    def delete_snapshot(self, index, wait):
        snap = pick(self.world.list(Snapshot), index)
        if snap is None:
            return
        self.settle_if(self.attempt(lambda: self.world.snapshots.delete(snap)), wait)

    @rule(vm_index=PICK, disk_index=PICK, wait=st.booleans())
    def swap_os_disk(self, vm_index, disk_index, wait):
        vm, disk = pick(self.vms(), vm_index), pick(self.free_disks(), disk_index)
        if vm is None or disk is None:
            return
        op = self.attempt(lambda: self.world.vms.swap_os_disk(vm, disk))
        if op is not None:
            self.restored.pop(disk.id, None)
        self.settle_if(op, wait)

    @rule(wait=st.booleans())
    def delete_west_group(self, wait):
        if self.world.group("rgw") is None:
            self.attempt(lambda: self.world.groups.create("rgw", "westus"))
            return
        self.settle_if(self.attempt(lambda: self.world.groups.delete("rgw")), wait)

    @rule(index=PICK, wait=st.booleans())
    def disk_from_snapshot(self, index, wait):
        snap = pick(self.world.list(Snapshot), index)
        if snap is None:
            return
        op = self.attempt(lambda: self.world.disks.create(snap.resource_group, self.name("disk"), source_id=snap.id,
                                                          location=snap.location))
        if op is None:
            return
        disk = self.world.get(op.resource_id)
        assert isinstance(disk, Disk)
        assert disk.content.blocks == snap.content.blocks and disk.content.guest == snap.content.guest
        self.restored[disk.id] = snap.id
        self.settle_if(op, wait)

    @rule(size=st.sampled_from([4, 8, 32]), group=st.sampled_from(["rg", "rgw"]))
    def empty_disk(self, size, group):
        # rgw is in West US; its disk still lives in East US, so rg's VMs can attach it.
        self.attempt(lambda: self.world.disks.create(group, self.name("empty"), size_gb=size, location="eastus"))

    @rule(vm_index=PICK, disk_index=PICK, wait=st.booleans())
    def attach(self, vm_index, disk_index, wait):
        vm, disk = pick(self.vms(), vm_index), pick(self.free_disks(), disk_index)
        if vm is None or disk is None:
            return
        self.settle_if(self.attempt(lambda: self.world.vms.attach_disk(vm, disk)), wait)

    @rule(vm_index=PICK, disk_index=PICK, wait=st.booleans())
    def detach(self, vm_index, disk_index, wait):
        vm = pick([v for v in self.vms() if v.data_disks], vm_index)
        if vm is None:
            return
        entry = pick(vm.data_disks, disk_index)
        self.settle_if(self.attempt(lambda: self.world.vms.detach_disk(vm, entry.disk_id)), wait)

    @rule(index=PICK, wait=st.booleans())
    def delete_disk(self, index, wait):
        disk = pick(self.disks(), index)
        if disk is None:
            return
        self.settle_if(self.attempt(lambda: self.world.disks.delete(disk)), wait)

    @rule(index=PICK, generation=st.sampled_from(["match", "V1", "V2"]))
    def create_image(self, index, generation):
        vm = pick(self.vms(), index)
        if vm is None:
            return
        gen = vm.hyper_v_generation if generation == "match" else generation
        self.attempt(lambda: self.world.images.create("rg", self.name("img"), source_id=vm.id,
                                                      hyper_v_generation=gen))

    @rule(index=PICK, deprovision=st.booleans())
    def capture_image(self, index, deprovision):
        """The whole capture flow on one VM (§6.1), deprovisioned first or not (then VMs from the image
        fail provisioning, as on Azure)."""
        vm = pick([v for v in self.vms() if not self.world.busy(v)], index)
        if vm is None:
            return
        world = self.world
        if deprovision and vm.power_state == "running" and world.vms.guest_state(vm) is not None:
            self.restored.pop(vm.os_disk_id, None)
            self.attempt(lambda: world.guest(vm.id).run(DEPROVISION), atomic=False)
        for step in (world.vms.deallocate, world.vms.generalize):
            op = self.attempt(lambda: step(vm))
            if op is None:
                return
            world.finish(op)
        op = self.attempt(lambda: world.images.create("rg", self.name("img"), source_id=vm.id,
                                                      hyper_v_generation=vm.hyper_v_generation))
        self.settle_if(op, True)

    @rule(index=PICK, line=st.sampled_from(["echo data >> /tmp/notes.txt", "sudo apt-get install -y nginx",
                                            DEPROVISION, "sudo shutdown -h now"]))
    def guest(self, index, line):
        vm = pick([v for v in self.vms() if v.power_state == "running"
                   and self.world.vms.guest_state(v) is not None], index)
        if vm is None:
            return
        self.restored.pop(vm.os_disk_id, None)
        self.attempt(lambda: self.world.guest(vm.id).run(line), atomic=False)

    @rule(seconds=st.sampled_from([1, 5, 20, 60, 300, 1500]))
    def advance(self, seconds):
        self.world.advance(seconds)

    @rule()
    def settle(self):
        self.world.run_until_idle()
        stuck = [(op.name, op.resource_id.rsplit("/", 1)[-1]) for op in self.world.pending()]
        assert stuck == [], f"operations still InProgress after run_until_idle: {stuck}"

    # --- invariants ----------------------------------------------------------------------------------
    @invariant()
    def snapshots_are_frozen_and_billed_for_their_delta(self):
        for snap in self.world.list(Snapshot):
            blocks, guest = self.frozen[snap.id]
            assert snap.content.blocks == blocks, f"{snap.name} changed after it was taken"
            assert snap.content.guest == guest, f"the guest in {snap.name} changed after it was taken"
            expected = self.billed[snap.id]
            for family in self.family.values():
                if snap.id in family:
                    # the delta against the newest earlier snapshot of the family that still exists
                    earlier = [i for i in family[:family.index(snap.id)] if self.world.get(i) is not None]
                    expected = differing_bytes(blocks, self.frozen[earlier[-1]][0] if earlier else None)
            assert expected is None or snap.billed_bytes == expected, (
                f"{snap.name} ({'incremental' if snap.incremental else 'full'}) billed {snap.billed_bytes}, "
                f"expected {expected}")

    @invariant()
    def restored_disks_equal_their_snapshot(self):
        for disk_id, snap_id in self.restored.items():
            disk, snap = self.world.get(disk_id), self.world.get(snap_id)
            if isinstance(disk, Disk) and isinstance(snap, Snapshot):
                assert disk.content.blocks == snap.content.blocks
                assert disk.content.guest == snap.content.guest

    @invariant()
    def no_dangling_references(self):
        world = self.world
        for disk in world.list(Disk):
            if disk.managed_by:
                vm = world.get(disk.managed_by)
                assert isinstance(vm, VirtualMachine), f"{disk.name} is managed by missing VM {disk.managed_by}"
                listed = {vm.os_disk_id.lower(), *(d.disk_id.lower() for d in vm.data_disks)}
                assert disk.id.lower() in listed, f"{disk.name} claims {vm.name}, which does not list it"
        for vm in world.list(VirtualMachine):
            for disk_id in [vm.os_disk_id, *(d.disk_id for d in vm.data_disks)]:
                disk = world.get(disk_id)
                assert isinstance(disk, Disk), f"{vm.name} lists missing disk {disk_id}"
                assert (disk.managed_by or "").lower() == vm.id.lower(), f"{disk.name} not owned by {vm.name}"
            for nic_id in vm.nic_ids:
                nic = world.get(nic_id)
                assert isinstance(nic, NetworkInterface) and nic.vm_id == vm.id

    @invariant()
    def cost_is_the_sum_of_current_rates(self):
        world = self.world
        fresh = sum(hourly_rate(world, r) for r in world.resources.values())
        booked = sum(world.rate_of(r) for r in world.resources.values())
        assert abs(world.hourly_cost - fresh) < 1e-9
        assert abs(booked - fresh) < 1e-9

    @invariant()
    def work_in_flight_has_a_phase_scheduled(self):
        scheduled = {t.operation_id for t in self.world.clock.timers if not t.cancelled}
        orphans = [(op.name, op.resource_id.rsplit("/", 1)[-1]) for op in self.world.pending()
                   if op.id not in scheduled]
        assert orphans == [], f"operations InProgress with nothing scheduled: {orphans}"

    def teardown(self):
        self.settle()


EngineMachine.TestCase.settings = settings(
    max_examples=400, stateful_step_count=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestEngineStateful = EngineMachine.TestCase


def test_model_copies_are_independent():
    # The model's frozen guests are deep copies: a later change in the engine cannot pass unseen.
    machine = EngineMachine()
    machine.two_running_vms()
    machine.take_snapshot(0, False)
    snap = machine.world.list(Snapshot)[0]
    assert machine.frozen[snap.id][1] is not snap.content.guest
    assert attrs.asdict(machine.frozen[snap.id][1]) == attrs.asdict(snap.content.guest)
