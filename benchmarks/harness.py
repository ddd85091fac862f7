"""Timing and reporting: medians of time.perf_counter over repeated runs, one line per figure."""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable

import attrs


def timings(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds per call of ``fn``, ``repeat`` times, after ``warmup`` untimed calls.

    The cyclic garbage collector stays on, as in a real labtui process (it is a good part of the
    cost of building or walking 10,000 resources); a collection before each call keeps garbage
    left by one call from being charged to the next."""
    for _ in range(warmup):
        fn()
    results = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        results.append(time.perf_counter() - start)
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)


_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "MB": 1e6, "kB": 1e3, "%": 1e-2, "x": 1.0}


@attrs.frozen
class Figure:
    """A measured value against a target (``value < target``), both in base units (seconds, bytes; a share
    of a core as a fraction, shown in %; a ratio, shown as x)."""

    name: str
    value: float
    target: float
    unit: str                 # display unit: s, ms, us, MB, kB, %, x
    kind: str = "median"      # what the value is: "median", "size", ...
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.value < self.target

    def line(self) -> str:
        scale = _UNITS[self.unit]
        value = _number(self.value / scale)
        target = f"{self.target / scale:g}"
        text = (f"{self.name:<40} {self.kind:<6} {value:>8} {self.unit:<2}   target < {target:>3} {self.unit:<2}   "
                f"{'PASS' if self.passed else 'MISS'}")
        return text + (f"   ({self.note})" if self.note else "")


@attrs.frozen
class Check:
    """A yes/no property, e.g. "the az path does not import textual"."""

    name: str
    ok: bool
    detail: str

    @property
    def passed(self) -> bool:
        return self.ok

    def line(self) -> str:
        return f"{self.name:<40} {self.detail:<34}   {'PASS' if self.ok else 'MISS'}"


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def info(text: str) -> str:
    return f"  · {text}"
