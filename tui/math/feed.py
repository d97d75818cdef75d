"""When the open math view is computed: one computation at a time, only when what the view
shows changed, and while training is busy at ``MathSchedule``'s pace."""

from __future__ import annotations

from core.session import Snapshot

from ..widgets.base import same_picture
from .requests import MathRequest
from .schedule import MathSchedule


class MathFeed:
    """The math views' computations: ``busy`` while one runs, ``number`` the latest's (the
    answer of an older or dropped one is ignored), ``shown`` what the view shows now."""

    def __init__(self) -> None:
        self.schedule = MathSchedule()
        self.busy = False
        self.number = 0
        self.waiting = False                 # a timer waits to compute while training runs
        self.shown: tuple[MathRequest, Snapshot] | None = None

    @property
    def idle(self) -> bool:
        """Whether no computation is running or waiting."""
        return not (self.busy or self.waiting)

    def fresh(self, request: MathRequest, snapshot: Snapshot) -> bool:
        """Whether the view already shows ``request`` on ``snapshot``'s picture."""
        return self.shown is not None and self.shown[0] == request \
            and same_picture(self.shown[1], snapshot)

    def begin(self) -> int:
        """A computation begins now; returns its number."""
        self.busy = True
        self.number += 1
        self.schedule.began()
        return self.number

    def drop(self) -> None:
        """Forget the view shown and the computation running (another view is shown)."""
        self.shown, self.busy = None, False

    def answered(self, number: int, request: MathRequest, snapshot: Snapshot) -> bool:
        """Computation ``number`` ended: True if it is the one awaited (its view now shows
        ``request`` on ``snapshot``)."""
        if number != self.number or not self.busy:
            return False
        self.busy = False
        self.schedule.ended()
        self.shown = (request, snapshot)
        return True
