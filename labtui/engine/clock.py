"""The virtual clock: simulated seconds that run at ``speed`` times real time, or only on demand.

Long-running operations schedule timers on the clock instead of sleeping, so a whole world can be
fast-forwarded, saved with its pending work, and replayed deterministically in tests. The clock
itself fires nothing: the World pops due timers and runs their phases (see ``World.advance``).
"""

from __future__ import annotations

import heapq
import re
import time
from datetime import datetime, timedelta, timezone

import attrs

# Simulated time zero. Fixed, so that timestamps in saves, tests and screenshots repeat exactly.
EPOCH = datetime(2026, 11, 2, 9, 0, 0, tzinfo=timezone.utc)


def timestamp(seconds: float) -> str:
    """ARM's timestamp form (seven fractional digits, explicit offset), for simulated ``seconds``."""
    moment = EPOCH + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0+00:00"


def date_of(seconds: float) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def seconds_of(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH).total_seconds()


@attrs.define(order=True)
class Timer:
    """A phase of an operation that runs when the simulated time reaches ``due``."""

    due: float
    seq: int
    operation_id: str = attrs.field(order=False)
    phase: str = attrs.field(order=False)
    cancelled: bool = attrs.field(default=False, order=False)


@attrs.define
class Clock:
    """Simulated time. ``speed`` 0 means paused; the clock is manual unless ``start_realtime`` ran."""

    now: float = 0.0
    speed: float = 10.0
    timers: list[Timer] = attrs.Factory(list)
    next_seq: int = 0
    # Real-time anchor: while running, simulated time = now + (monotonic - anchor) * speed.
    _anchor: float | None = attrs.field(default=None, init=False, repr=False, eq=False)

    # --- reading the time ------------------------------------------------------------------
    def current(self) -> float:
        """The simulated time now, including real time flowing since the last advance."""
        if self._anchor is None or self.speed <= 0:
            return self.now
        return self.now + (time.monotonic() - self._anchor) * self.speed

    def start_realtime(self) -> None:
        self._anchor = time.monotonic()

    def stop_realtime(self) -> None:
        self.now = self.current()
        self._anchor = None

    def set_speed(self, speed: float) -> None:
        if speed < 0:
            raise ValueError("speed must be zero (paused) or positive")
        if self._anchor is not None:
            self.now = self.current()
            self._anchor = time.monotonic()
        self.speed = speed

    def real_seconds_until(self, due: float) -> float | None:
        """How long, in real seconds, until ``due`` arrives at the current speed (None if paused)."""
        if self.speed <= 0:
            return None
        return max(0.0, (due - self.current()) / self.speed)

    # --- timers ----------------------------------------------------------------------------
    def schedule(self, delay: float, operation_id: str, phase: str) -> Timer:
        timer = Timer(self.now + max(0.0, delay), self.next_seq, operation_id, phase)
        self.next_seq += 1
        heapq.heappush(self.timers, timer)
        return timer

    def next_due(self) -> float | None:
        while self.timers and self.timers[0].cancelled:
            heapq.heappop(self.timers)
        return self.timers[0].due if self.timers else None

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the earliest timer due at or before ``until``, moving time to it."""
        due = self.next_due()
        if due is None or due > until:
            return None
        timer = heapq.heappop(self.timers)
        self.now = max(self.now, timer.due)
        if self._anchor is not None:
            self._anchor = time.monotonic() - (until - self.now) / self.speed if self.speed > 0 else time.monotonic()
        return timer

    def settle_at(self, moment: float) -> None:
        """Set the time once every timer up to ``moment`` has run."""
        self.now = max(self.now, moment)
        if self._anchor is not None:
            self._anchor = time.monotonic()


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float | None:
    """Seconds in "90", "30s", "5m", "2h" or "1d" (how the shell's `wait` and a lab's setup say it)."""
    match = _DURATION.match(text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None
