"""The pace of a run: how many epochs a second the session trains, kept by its clock.

A pace is one of ``PACES`` (epochs per second, or None for as fast as it goes). Only a free
run keeps a pace; steps and scripted training always go at full speed. The clock is the
session's own, so a test can hand it a clock whose time it controls.
"""

from __future__ import annotations

import threading
import time

from ..checks import is_number
from ..limits import PACES, WATCHABLE_PACE

PACE_RULE = "one of " + ", ".join(str(p) for p in PACES if p is not None) + " or max"
"""What a pace must be, as error messages say it."""


def check_pace(value) -> int | None:
    """``value`` as a pace (an int of ``PACES``, or None for max); else ``ValueError``
    naming the field and the paces allowed."""
    if value is None or value == "max":
        return None
    if not is_number(value) or value not in PACES:
        raise ValueError(f"pace: expected {PACE_RULE}, got {value!r}")
    return int(value)


def parse_pace(text: str) -> int | None:
    """The pace typed as ``text`` ("10" or "max"), checked as ``check_pace`` checks it."""
    word = text.strip().lower()
    if word == "max":
        return None
    try:
        return check_pace(float(word))
    except ValueError:
        raise ValueError(f"pace: expected {PACE_RULE}, got {text.strip()!r}") from None


def pace_label(pace: int | None) -> str:
    """The pace for people: "10 epochs/s" or "max"."""
    return "max" if pace is None else f"{pace} epoch{'s' if pace != 1 else ''}/s"


def faster(pace: int | None) -> int | None:
    """The next pace up (max stays max)."""
    return PACES[min(PACES.index(pace) + 1, len(PACES) - 1)]


def slower(pace: int | None) -> int | None:
    """The next pace down (1 stays 1)."""
    return PACES[max(PACES.index(pace) - 1, 0)]


def watchable(pace: int | None) -> bool:
    """Whether at ``pace`` every epoch's state should reach the screen."""
    return pace is not None and pace <= WATCHABLE_PACE


class Clock:
    """The session's time: ``now()`` in seconds, and ``wait`` that lets commands in."""

    def now(self) -> float:
        """Seconds since some fixed moment."""
        return time.monotonic()

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        """Wait up to ``seconds`` on ``condition`` (held by the caller; released while
        waiting, so commands may act)."""
        condition.wait(seconds)


def check_share(value) -> float:
    """``value`` as a share of wall time (a number in (0, 1]); else ``ValueError`` naming
    the field."""
    if not is_number(value) or not 0 < value <= 1:
        raise ValueError(f"share: expected a number above 0 and at most 1, got {value!r}")
    return float(value)


class Pacer:
    """When a paced run may start its next epoch: epoch k of a run starts ``k / pace``
    seconds after the first (a run that falls behind starts counting again). At pace max a
    run trains at most ``share`` of the time: after an epoch that took t seconds it rests
    t (1/share - 1) seconds."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.pace: int | None = None
        self.share = 1.0
        self.restart()

    def restart(self) -> None:
        """Count from the next epoch on (a new run, or a new pace)."""
        self._origin: float | None = None
        self._started = 0
        self._epoch_began: float | None = None     # when the epoch at max pace began
        self._rest_until: float | None = None      # when the rest after it ends

    def wait_for_turn(self, condition: threading.Condition) -> bool:
        """Before an epoch's first batch: True if it may start now (it is then counted),
        else wait on ``condition`` until its time or a command and return False."""
        if self.pace is None:
            return self._take_share(condition)
        now = self.clock.now()
        if self._origin is None or now - self.due() > 1.0 / self.pace:
            self._origin, self._started = now, 0
        due = self.due()
        if now < due:
            self.clock.wait(condition, due - now)
            return False
        self._started += 1
        return True

    def due(self) -> float:
        """When the next epoch may start."""
        return (self._origin or 0.0) + self._started / self.pace

    def _take_share(self, condition: threading.Condition) -> bool:
        """``wait_for_turn`` at pace max: rest after each epoch so that training takes at
        most ``share`` of the time."""
        if self.share >= 1:
            return True
        now = self.clock.now()
        if self._epoch_began is not None:
            took = now - self._epoch_began
            self._epoch_began = None
            self._rest_until = now + took * (1 / self.share - 1)
        if self._rest_until is not None and now < self._rest_until:
            self.clock.wait(condition, self._rest_until - now)
            return False
        self._epoch_began, self._rest_until = now, None
        return True
