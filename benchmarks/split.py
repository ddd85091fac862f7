"""Where one `labtui az group list -o none` spends its time, measured in a fresh process.

``python -m benchmarks.split DIR`` prints a JSON object of seconds: the imports `labtui.cli.run_az`
does, then each step it takes (lock, load, command, save), and the time the cyclic garbage
collector ran during each step (from ``gc.callbacks``). The steps are the same calls run_az makes,
with the collector off as the console script turns it off for an az command (so the gc figures
show that it stays off).
"""

from __future__ import annotations

import gc
import json
import sys
import time

_gc_seconds = 0.0
_gc_started = 0.0


def _gc_timer(phase: str, info: dict) -> None:
    global _gc_seconds, _gc_started
    if phase == "start":
        _gc_started = time.perf_counter()
    else:
        _gc_seconds += time.perf_counter() - _gc_started


def main(directory: str) -> dict[str, float]:
    gc.callbacks.append(_gc_timer)
    gc.disable()        # as labtui.cli.entry does for `labtui az`
    split: dict[str, float] = {}

    def step(name: str, fn):
        gc_before = _gc_seconds
        start = time.perf_counter()
        value = fn()
        split[name] = time.perf_counter() - start
        split[f"{name} (gc)"] = _gc_seconds - gc_before
        return value

    def imports():
        import labtui.cli  # noqa: F401
        from labtui.az import runner
        from labtui.engine import persist
        return runner, persist

    runner, persist = step("imports", imports)
    from pathlib import Path

    sandbox = persist.Sandbox(Path(directory))
    step("lock", sandbox.lock)
    try:
        world = step("load", lambda: sandbox.load(seed=0, speed=10.0))
        args = ["group", "list", "-o", "none"]
        result = step("command", lambda: runner.AzCli(world).run(args, line="az " + " ".join(args)))
        if result.exit_status != 0:
            raise SystemExit(result.stderr)
        step("save", lambda: sandbox.save(world))
    finally:
        sandbox.unlock()
    return split


if __name__ == "__main__":
    json.dump(main(sys.argv[1]), sys.stdout)
