"""Run every benchmark and print its figures: `python -m benchmarks [--profile]`."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from labtui.engine import persist

from . import suites
from .harness import info
from .world import WorldShape, build_world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--profile", action="store_true",
                        help="after each in-process figure, show where its time goes (cProfile, own time)")
    parser.add_argument("--process-runs", type=int, default=10, help="runs of the whole-process figure (10)")
    parser.add_argument("--show-runs", type=int, default=200, help="different VMs for az vm show (200)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the other figures (5)")
    options = parser.parse_args(argv)

    began = time.perf_counter()
    shape = WorldShape()
    start = time.perf_counter()
    world = build_world(shape)
    print(info(f"built the seeded world: {len(world.resources):,} resources ({shape.vms:,} VMs in {shape.groups} "
               f"groups over {len(shape.regions)} regions) in {time.perf_counter() - start:.2f} s"), flush=True)

    failures = 0

    def report(lines) -> None:
        nonlocal failures
        for line in lines:
            if not isinstance(line, str):
                failures += not line.passed
                line = line.line()
            print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="labtui-bench-sandbox-") as tmp:
        directory = Path(tmp)
        persist.Sandbox(directory).save(world)
        report(suites.az_process(directory, options.process_runs))
    report(suites.az_vm_show(world, options.show_runs, options.profile))
    report(suites.az_vm_list(world, options.runs, options.profile))
    report(suites.persistence(world, options.runs, options.profile))

    verdict = "all targets met" if not failures else f"{failures} target(s) missed"
    print(info(f"{verdict}; benchmarks took {time.perf_counter() - began:.0f} s"))
    return 0        # benchmarks report, they do not fail CI


if __name__ == "__main__":
    sys.exit(main())
