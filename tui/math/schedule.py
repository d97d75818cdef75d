"""When the math views compute, and how large a landscape may be, so that an open view stays
within ``LAG`` seconds of the status bar while training runs, and training keeps most of the
interpreter.

A view on screen was computed from the network as it was when its computation began, c
seconds before it was shown (c: the computation's duration). The next computation begins
after a wait w and is shown c later: just before that the view is 2c + w old. While
training runs the schedule waits ``DUTY`` times c (the views then take at most a quarter of
the time), but never longer than ``LAG`` - 2c, and never less than c: a computation longer
than a sixth of a second cannot keep within ``LAG`` without taking more than half the time
from training. The landscape gets a budget (``BUSY_BUDGET``) small enough that both hold at
once: a coarser grid while running, the full one when paused.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

LAG = 0.5              # seconds an open view may be behind the status bar while training runs
DUTY = 3.0             # while training runs: wait 3x a computation's duration before the next
BUSY_BUDGET = LAG / (2 + DUTY)   # seconds a landscape may take while training runs
PAUSED_BUDGET = 0.25   # seconds a landscape may take while paused
SMALLEST = 8           # grid points an axis, at the least, while paused
BUSY_SMALLEST = 5      # ... while training runs
FIRST_MAP = 12         # a first map's points an axis (paused), before a point's cost is known
BUSY_FIRST_MAP = 6     # ... while training runs
BUSY_FIRST_CURVE = 24  # a first curve's points while training runs (paused: the room there is)


def wait_after(elapsed: float) -> float:
    """Seconds to wait, while training runs, after a computation that took ``elapsed``."""
    return min(DUTY * elapsed, max(LAG - 2 * elapsed, elapsed))


class MathSchedule:
    """The math views' timing: call ``began`` when a computation starts and ``ended`` when
    its numbers are shown; ``wait`` says how long the next one must wait, ``grid`` how many
    landscape points an axis to ask for. ``clock`` gives seconds (a test hands in its own)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started: float | None = None
        self.not_before = -math.inf
        self.point_cost: float | None = None
        """Seconds a landscape point took, measured (None: nothing measured yet)."""

    def began(self) -> None:
        """A computation starts now."""
        self.started = self.clock()

    def ended(self) -> float:
        """The computation begun last is shown now; returns how long it took."""
        now = self.clock()
        elapsed = 0.0 if self.started is None else now - self.started
        self.not_before = now + wait_after(elapsed)
        return elapsed

    def wait(self, busy: bool) -> float:
        """Seconds until the next computation may begin (none while training is not busy)."""
        return max(0.0, self.not_before - self.clock()) if busy else 0.0

    def measured(self, elapsed: float, points: int) -> None:
        """A landscape of ``points`` grid points took ``elapsed`` seconds (two more points
        are computed besides the grid: now and the next step)."""
        self.point_cost = max(elapsed / (points + 2), 1e-7)

    def grid(self, wanted: int, dims: int, busy: bool) -> int:
        """Points an axis for a landscape of ``dims`` axes: ``wanted`` (the room there is)
        or fewer, so that it takes about its budget, ``BUSY_BUDGET`` while training runs,
        ``PAUSED_BUDGET`` when paused (a first map is small: it tells what a point costs)."""
        if self.point_cost is None:
            if dims == 2:
                return min(wanted, BUSY_FIRST_MAP if busy else FIRST_MAP)
            return min(wanted, BUSY_FIRST_CURVE) if busy else wanted
        points = (BUSY_BUDGET if busy else PAUSED_BUDGET) / self.point_cost
        per_axis = points if dims == 1 else math.sqrt(points)
        return max(BUSY_SMALLEST if busy else SMALLEST, min(wanted, int(per_axis)))
