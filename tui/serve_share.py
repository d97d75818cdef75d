"""Each served tab's share of the machine: how often its screen redraws while training runs,
and at what priority its app runs.

The server counts the tabs that train (their status says so, ``tui.serve_status``) and
tells every tab in a ``classroom`` packet (``share_packet``) whenever that changes; each
tab's driver applies it (``apply_share``). Redrawing is what a running tab costs (its
training, at a watchable pace, costs a few per cent of a core): the machine affords about
``REDRAWS_PER_CORE`` redraws a second per core, shared out among the tabs, and no tab
redraws more often than a person follows (``PERSON``) nor less often than every
``SLOWEST_SHARE`` seconds. Every epoch
still reaches the loss plot and the history; only how often they are drawn changes. A
student's run at pace max trains at most its part of ``TRAINING_PER_CORE`` of the machine
(``Session.set_share``: it rests between epochs), so that a class running at full speed
leaves room for keys, redraws and the teacher; a watchable pace and steps are not capped.

The teacher's tab (the one opened with the teacher's token, or the first one when no
teacher's tab is open) runs at normal priority; students' apps run ``STUDENT_NICENESS``
lower, so the teacher's projected screen stays smooth when the class is busy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .draw_budget import FASTEST, PERSON

PACKET = "classroom"
REDRAWS_PER_CORE = 6.0    # redraws a second one core affords, over all the tabs it runs
TRAINING_PER_CORE = 0.3   # of each core, what students' runs at pace max take in a full class
LEAST_TRAINING = 0.02     # of a core, the least a student's run at pace max gets
TEACHER_TRAINING = 0.5    # of a core, the most the teacher's run at pace max takes in a class
SLOWEST_SHARE = 2.0       # seconds between two redraws at the most, however many tabs run
STUDENT_NICENESS = 10     # how much lower a student's app runs than the teacher's


@dataclass(frozen=True)
class Share:
    """A tab's share: ``tabs`` running on this machine (``cores`` of them), and whether this
    is the teacher's tab."""

    tabs: int
    cores: int
    teacher: bool = False

    @property
    def redraw_interval(self) -> float:
        """Seconds between two redraws of this tab's screen while it trains, at the least."""
        if self.teacher:
            return PERSON
        fair = max(1, self.tabs) / (REDRAWS_PER_CORE * max(1, self.cores))
        return min(SLOWEST_SHARE, max(PERSON, fair))


    @property
    def training_share(self) -> float:
        """The most of the time this tab's run at pace max may train (1: no limit). The
        students' runs together may take the whole machine while no more tabs run than it
        has cores, and less the more run, towards ``TRAINING_PER_CORE`` of it."""
        if self.teacher:
            return 1.0 if self.tabs <= 1 else TEACHER_TRAINING
        cores, tabs = max(1, self.cores), max(1, self.tabs)
        together = cores * (TRAINING_PER_CORE + (1 - TRAINING_PER_CORE) * min(1, cores / tabs))
        return min(1.0, max(LEAST_TRAINING, together / tabs))


def machine_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def share_packet(share: Share) -> dict[str, Any]:
    """The ``classroom`` packet that tells a tab its share."""
    return {"type": PACKET, "tabs": share.tabs, "cores": share.cores,
            "teacher": share.teacher}


def share_from_packet(payload: dict[str, object]) -> Share | None:
    """The share a ``classroom`` packet gives; None if it is not one."""
    tabs, cores, teacher = payload.get("tabs"), payload.get("cores"), payload.get("teacher")
    if not (type(tabs) is int and type(cores) is int and type(teacher) is bool):
        return None
    return Share(tabs, cores, teacher)


def apply_share(app: Any, share: Share) -> None:
    """Pace ``app``'s redraws (a ``BackpropApp``) and its runs at pace max to ``share``; on
    the app's thread."""
    interval = share.redraw_interval
    app.controller.person = interval
    app.controller.budget.fastest = max(interval, FASTEST)
    if not app.session_closed:
        app.session.set_share(share.training_share)
