"""Run every benchmark and print its figures: `python -m benchmarks [--profile] [--only az|labs|tui|classroom]`."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from labtui.engine import persist

from . import classroom, labs, suites, tui
from .harness import info
from .world import WorldShape, build_world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--profile", action="store_true",
                        help="after each in-process figure, show where its time goes (cProfile, own time)")
    parser.add_argument("--process-runs", type=int, default=10, help="runs of the whole-process figure (10)")
    parser.add_argument("--show-runs", type=int, default=200, help="different VMs for az vm show (200)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the other figures (5)")
    parser.add_argument("--only", choices=("az", "labs", "tui", "classroom"), help="run only these figures")
    options = parser.parse_args(argv)

    began = time.perf_counter()
    shape = WorldShape()
    start = time.perf_counter()
    peak_before = _peak_rss_mb(resource.RUSAGE_SELF)
    world = build_world(shape)
    print(info(f"built the seeded world: {len(world.resources):,} resources ({shape.vms:,} VMs in {shape.groups} "
               f"groups over {len(shape.regions)} regions) in {time.perf_counter() - start:.2f} s; peak memory "
               f"grew by {_peak_rss_mb(resource.RUSAGE_SELF) - peak_before:.0f} MB"), flush=True)

    failures = errors = 0

    def report(lines) -> None:
        """Print each figure as it comes; a benchmark that breaks is reported and the others still run."""
        nonlocal failures, errors
        try:
            for line in lines:
                if not isinstance(line, str):
                    failures += not line.passed
                    line = line.line()
                print(line, flush=True)
        except Exception as broken:  # noqa: BLE001 - report it, go on with the next benchmark
            errors += 1
            print(f"ERROR: a benchmark could not run: {type(broken).__name__}: {broken}", flush=True)

    if options.only in (None, "az"):
        with tempfile.TemporaryDirectory(prefix="labtui-bench-sandbox-") as tmp:
            directory = Path(tmp)
            persist.Sandbox(directory).save(world)
            report(suites.az_process(directory, options.process_runs))
        children = _peak_rss_mb(resource.RUSAGE_CHILDREN)
        print(info(f"peak memory of a `labtui az` process on this sandbox: {children:.0f} MB"), flush=True)
        report(suites.az_vm_show(world, options.show_runs, options.profile))
        report(suites.az_vm_list(world, options.runs, options.profile))
        report(suites.persistence(world, options.runs, options.profile))
    if options.only in (None, "labs"):
        report(labs.check_per_event(options.runs))
        report(labs.loading(options.runs))
    if options.only in (None, "tui"):
        with tempfile.TemporaryDirectory(prefix="labtui-bench-pycache-") as pycache:
            env = suites.process_env(Path(pycache))       # every TUI figure runs in its own process
            report(tui.first_paint(env, max(options.runs, 11)))    # a start-up time varies: more samples
            report(tui.refresh(env, options.profile))
            report(tui.idle(env, options.profile))
            report(tui.opening(world, env, max(1, (options.runs + 1) // 2), options.profile))
    if options.only in (None, "classroom"):
        report(classroom.load())            # `labtui serve` in its own process, 50 students typing
        report(classroom.burst())           # 30 students logging in at once

    verdict = "all targets met" if not failures else f"{failures} target(s) missed"
    if errors:
        verdict += f", {errors} benchmark(s) broken"
    print(info(f"{verdict}; benchmarks took {time.perf_counter() - began:.0f} s"))
    # A missed target is a report, not a failure; only a benchmark that could not run fails.
    return 1 if errors else 0


def _peak_rss_mb(who: int) -> float:
    """Peak resident memory in MB (ru_maxrss is in kB on Linux, in bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


if __name__ == "__main__":
    sys.exit(main())
