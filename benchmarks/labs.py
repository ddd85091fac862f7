"""The lab figures: checking a step per event in a 1,000-resource world, and loading every shipped lab."""

from __future__ import annotations

import io
import time
from typing import Iterator

from labtui.az.shell import ShellSession
from labtui.lab.library import load_library
from labtui.lab.runner import LabRunner
from labtui.lab.setup import apply_setup

from .harness import Check, Figure, info, median, timings
from .world import WorldShape, build_world

# About 1,000 resources: 200 VMs with their disks, NICs and public IPs, snapshots and images.
THOUSAND = WorldShape(vms=200, groups=4, snapshots=120, images=24)


def check_per_event(runs: int) -> Iterator[Figure | Check | str]:
    """Every shipped lab's solution played in a world of ~1,000 other resources, timing the runner's
    work for each event it receives (latching event clauses, traps, the active step's check)."""
    labs, _problems = load_library()
    per_event: list[float] = []
    for lab in labs:
        world = build_world(THOUSAND)
        apply_setup(world, lab.setup)
        size = len(world.resources)
        runner = LabRunner(lab, world)
        on_event = runner._on_event

        def timed(event, on_event=on_event) -> None:
            start = time.perf_counter()
            on_event(event)
            per_event.append(time.perf_counter() - start)

        runner._unsubscribe()
        runner._unsubscribe = world.subscribe(timed)
        session = ShellSession(world, io.StringIO(), io.StringIO())
        for step in lab.steps:
            session.run_lines(list(step.solution))
        yield Check(f"{lab.id}: solution completes in the big world", runner.completed,
                    f"{size:,} resources before the lab")
    ordered = sorted(per_event)
    yield Figure("lab check per event (1k resources)", median(per_event), 0.5e-3, "ms",
                 note=f"{len(per_event):,} events over {len(labs)} labs; p95 "
                      f"{ordered[int(0.95 * len(ordered))] * 1e3:.3f} ms, max {ordered[-1] * 1e3:.2f} ms")


def loading(runs: int) -> Iterator[Figure | str]:
    labs, problems = load_library()
    values = timings(load_library, repeat=runs)
    yield Figure("load + validate every shipped lab", median(values), 0.100, "ms",
                 note=f"{len(labs)} labs, {len(problems)} problems")
    yield info(f"  per lab: {median(values) / max(1, len(labs)) * 1e3:.1f} ms")
