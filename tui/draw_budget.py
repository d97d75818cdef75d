"""The drawing budget: how often the panels redraw while training runs, so that the screen
costs the training little on any machine.

Training and drawing share one interpreter: every second the main thread spends drawing is
taken from training. The budget measures the main thread's busy share of wall time (its CPU
time over a window of a second of training, or of two redraws when they are rarer, summed
over short runs when training stops and starts) and steers the
panels' redraw interval so that share stays under ``BUSY_SHARE``: a slower machine, a larger
network or a busier neighbour makes each redraw cost more, and the panels then redraw less
often; when there is room they redraw more often again, up to ``FASTEST``. The status bar
is not budgeted (it follows every snapshot, a few a second), and at a watchable pace the
screen draws as the epochs come, up to ``PERSON`` apart (every epoch still reaches the loss
plot and the history: a snapshot carries them).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

BUSY_SHARE = 0.15   # the most of wall time the main thread should be busy while training runs
# Steer towards this fraction of BUSY_SHARE: training loses more than the main thread's busy
# share (GIL hand-offs; on a loaded machine the main thread's time comes from training's cores).
AIM = 0.6
TICK = 0.1          # seconds between two looks at whether the panels are due
FASTEST = 0.2       # seconds between panel redraws at the least
PERSON = 1 / 15     # seconds between two redraws at a watchable pace, at the least: a person
                    # follows no more (a served tab sharing the machine waits longer)
SLOWEST = 4.0       # seconds between panel redraws at the most
START = 0.3         # the interval before anything was measured
WINDOW = 1.0        # seconds of running over which the busy share is measured, at least
MOST_CHANGE = 2.0   # the interval changes at most this factor per window


class DrawBudget:
    """When the panels are due, given what drawing has cost the main thread lately.

    ``clock`` gives wall time and ``cpu`` the main thread's CPU time, both in seconds (a test
    hands in its own). Call ``due`` on every tick while training runs, ``drawn`` after the
    panels were given a snapshot, and ``pause`` when training stops: time paused is not
    counted, neither in the interval between redraws (the screen drew the pause itself) nor
    in the measurement, whose window fills up over several short runs (steps) as well as
    over one long run.
    """

    def __init__(self, share: float = BUSY_SHARE,
                 clock: Callable[[], float] = time.perf_counter,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        self.share = share
        self.clock, self.cpu = clock, cpu
        self.interval = START
        """Seconds between two panel redraws now."""
        self.fastest = FASTEST
        """Seconds between two panel redraws at the least (more where the machine is shared)."""
        self.busy_share: float | None = None
        """The busy share measured over the last full window (None before one)."""
        self._since_drawn = math.inf                          # running time since a redraw
        self._last_look: tuple[float, float] | None = None   # (wall, cpu) at the last tick
        self._window_wall = self._window_cpu = 0.0            # running time in this window

    def due(self) -> bool:
        """Whether the panels should redraw now (and, once a window is full, steer)."""
        self._measure(self.clock())
        return self._since_drawn >= self.interval - TICK / 2   # the tick that is nearest

    def drawn(self) -> None:
        """The panels were just given the newest snapshot."""
        self._since_drawn = 0.0

    def pause(self) -> None:
        """Training stopped: the time until it runs again is not counted (the window so far,
        the running time since the last redraw and the interval learnt are kept)."""
        self._last_look = None

    def _measure(self, now: float) -> None:
        """Add the time since the last tick to the window; when the window is full, its busy
        share moves the interval by that share over the aim (at most ``MOST_CHANGE`` either
        way), within the limits."""
        cpu = self.cpu()
        if self._last_look is not None:
            wall_then, cpu_then = self._last_look
            self._since_drawn += now - wall_then
            self._window_wall += now - wall_then
            self._window_cpu += max(0.0, cpu - cpu_then)
        self._last_look = (now, cpu)
        if self._window_wall < max(WINDOW, 2 * self.interval):   # two redraws at least
            return
        self.busy_share = self._window_cpu / self._window_wall
        self._window_wall = self._window_cpu = 0.0
        factor = self.busy_share / (AIM * self.share)
        factor = min(MOST_CHANGE, max(1 / MOST_CHANGE, factor))
        self.interval = min(max(SLOWEST, self.fastest), max(self.fastest,
                                                            self.interval * factor))
