"""A served tab's share of the machine: its redraws are paced for a person, and further
apart the more tabs share the machine; the teacher's stay at a person's pace."""

from __future__ import annotations

import asyncio
import time

from core.session import Session
from tui.app import BackpropApp
from tui.controller import JITTER
from tui.draw_budget import PERSON
from tui.serve_share import (
    LEAST_TRAINING,
    SLOWEST_SHARE,
    Share,
    apply_share,
    share_from_packet,
    share_packet,
)


def test_redraws_grow_apart_with_the_tabs_but_not_the_teachers() -> None:
    """One tab redraws at most 15 times a second (and more than 10); 30 tabs on 2 cores
    redraw each under once a second and never less often than SLOWEST_SHARE; the teacher's
    tab keeps a person's pace however many run."""
    assert 1 / PERSON <= 15 and PERSON <= Share(1, 2).redraw_interval < 0.1
    intervals = [Share(tabs, 2).redraw_interval for tabs in (1, 5, 10, 30, 1000)]
    assert intervals == sorted(intervals) and intervals[1] < intervals[3]
    assert intervals[3] >= 1.0 and intervals[-1] == SLOWEST_SHARE
    assert Share(30, 2, teacher=True).redraw_interval == PERSON


def test_runs_at_pace_max_share_part_of_the_machine_among_the_students() -> None:
    """As many runs at pace max as cores are not capped; the more run, the less each and
    all of them together train, 30 on 2 cores under 0.4 of the machine; never less than
    LEAST_TRAINING of a core each; the teacher's run takes at most half a core while
    others run."""
    shares = [Share(tabs, 2).training_share for tabs in (1, 2, 3, 10, 30, 1000)]
    assert shares[:2] == [1.0, 1.0] and shares == sorted(shares, reverse=True)
    totals = [share * tabs for share, tabs in zip(shares, (1, 2, 3, 10, 30), strict=False)]
    assert totals[1:] == sorted(totals[1:], reverse=True) and totals[-1] < 0.4 * 2
    assert shares[-1] == LEAST_TRAINING
    assert Share(1, 2, teacher=True).training_share == 1.0
    assert Share(30, 2, teacher=True).training_share == 0.5


def test_the_packet_carries_the_share_and_refuses_anything_else() -> None:
    """A share goes through the server's packet unchanged; a packet with a missing or
    mistyped field gives no share (the tab keeps its pace)."""
    share = Share(7, 2, teacher=True)
    assert share_from_packet(share_packet(share)) == share
    for bad in ({"tabs": "7", "cores": 2, "teacher": True}, {"tabs": 7, "cores": 2},
                {"tabs": True, "cores": 2, "teacher": False}):
        assert share_from_packet(bad) is None


async def test_a_tab_sharing_the_machine_draws_its_screen_once_an_interval() -> None:
    """With 30 tabs running on 2 cores, a running tab at pace 50 draws its panels with its
    status bar, about once every redraw interval (a quarter sooner or later at the most, so
    that tabs started together do not redraw together; not once for each and again between),
    and a key's effect once (not again when the same state comes back from the session)."""
    session = Session("xor")
    session.set_pace(50)
    app = BackpropApp(session)
    share = Share(30, 2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        apply_share(app, share)
        drawn = []
        draw = app.controller.draw
        app.controller.draw = lambda viewer: (drawn.append(viewer.snapshot), draw(viewer))
        started = time.perf_counter()
        app.action_run_pause()
        await asyncio.sleep(3 * share.redraw_interval)
        app.action_run_pause()
        elapsed = time.perf_counter() - started
    app.close_session()
    fastest = (1 - JITTER) * share.redraw_interval            # redraws are spread out
    assert len(drawn) <= elapsed / fastest + 2                  # the run and the pause
