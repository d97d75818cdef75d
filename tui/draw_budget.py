"""The drawing budget: how often the panels redraw while training runs, so that the screen
costs the training little on any machine.

Training and drawing share one interpreter: every second the main thread spends drawing is
taken from training. The budget measures the main thread's busy share of wall time (its CPU
time over a window of a second, or of two redraws when they are rarer) and steers the
panels' redraw interval so that share stays under ``BUSY_SHARE``: a slower machine, a larger
network or a busier neighbour makes each redraw cost more, and the panels then redraw less
often; when there is room they redraw more often again, up to ``FASTEST``. The status bar
is not budgeted (it follows every snapshot, a few a second), and at a watchable pace the
screen draws every epoch anyway.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

BUSY_SHARE = 0.15   # the most of wall time the main thread should be busy while training runs
AIM = 0.6           # steer towards this fraction of BUSY_SHARE, to stay under it despite noise
TICK = 0.1          # seconds between two looks at whether the panels are due
FASTEST = 0.2       # seconds between panel redraws at the least
SLOWEST = 4.0       # seconds between panel redraws at the most
START = 0.3         # the interval before anything was measured
WINDOW = 1.0        # seconds of running over which the busy share is measured, at least
MOST_CHANGE = 2.0   # the interval changes at most this factor per window


class DrawBudget:
    """When the panels are due, given what drawing has cost the main thread lately.

    ``clock`` gives wall time and ``cpu`` the main thread's CPU time, both in seconds (a test
    hands in its own). Call ``due`` on every tick while training runs, ``drawn`` after the
    panels were given a snapshot, and ``pause`` when training stops (idle time is not counted).
    """

    def __init__(self, share: float = BUSY_SHARE,
                 clock: Callable[[], float] = time.perf_counter,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        self.share = share
        self.clock, self.cpu = clock, cpu
        self.interval = START
        """Seconds between two panel redraws now."""
        self.busy_share: float | None = None
        """The busy share measured over the last full window (None before one)."""
        self._last_drawn = -math.inf
        self._window: tuple[float, float] | None = None   # (wall, cpu) at its start

    def due(self) -> bool:
        """Whether the panels should redraw now (and, once a window is full, steer)."""
        now = self.clock()
        self._measure(now)
        return now - self._last_drawn >= self.interval - TICK / 2   # the tick that is nearest

    def drawn(self) -> None:
        """The panels were just given the newest snapshot."""
        self._last_drawn = self.clock()

    def pause(self) -> None:
        """Training stopped: the next run measures afresh (the interval learnt is kept)."""
        self._window = None

    def _measure(self, now: float) -> None:
        """Close the window when it is full: its busy share moves the interval by that
        share over the aim (at most ``MOST_CHANGE`` either way), within the limits."""
        if self._window is None:
            self._window = (now, self.cpu())
            return
        start, cpu_start = self._window
        if now - start < max(WINDOW, 2 * self.interval):   # two redraws at least
            return
        cpu = self.cpu()
        self.busy_share = max(0.0, cpu - cpu_start) / (now - start)
        self._window = (now, cpu)
        factor = self.busy_share / (AIM * self.share)
        factor = min(MOST_CHANGE, max(1 / MOST_CHANGE, factor))
        self.interval = min(SLOWEST, max(FASTEST, self.interval * factor))
