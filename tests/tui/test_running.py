"""Pilot tests of the app while training runs free (``space``) and of what can end a run:
quitting stops the session's thread, a divergence is told once each time, and narrow or
small terminals keep working.

Running training is started and stopped by calling the action directly (see test_app.py).
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from tui.messages import SnapshotReady

from .conftest import settle, status_text, training


def session_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t is not threading.main_thread()}


async def test_training_advances_while_running_and_quitting_stops_the_thread(make_app):
    before = session_threads()
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_run_pause()                      # space, without pilot.press
        assert "running" in status_text(app) and app.session.running
        start = app.session.snapshot().epoch
        deadline = time.monotonic() + 10
        while app.session.snapshot().epoch < start + 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert app.session.snapshot().epoch >= start + 5      # the counter moves without keys
        assert "running" in status_text(app) and "epochs/s" in status_text(app)
        app.action_run_pause()
        await pilot.pause()
        assert "paused" in status_text(app) and not app.session.running
        app.action_run_pause()                      # run again, then quit while running
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await app.action_quit()                     # the trained network is not saved:
        await pilot.pause()
        await pilot.press("y")                      # yes, quit
    assert time.monotonic() - started < 5
    assert not app.session.running
    time.sleep(0.2)
    leftover = [t for t in session_threads() - before if t.is_alive() and not t.daemon]
    assert leftover == []


async def test_the_status_bar_says_stepping_or_running_as_the_session_does(make_app):
    """A step (n, N, b) and a free run (space) both train in the session's thread; the
    status bar tells them apart from the snapshot, at once."""
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_step(10_000_000)                     # a step that will not end by itself
        assert "» stepping" in status_text(app) and app.session.running
        app.action_run_pause()                          # space during a step: runs on
        assert "▶ running" in status_text(app) and app.session.running
        app.action_run_pause()
        await settle(pilot)
        assert "‖ paused" in status_text(app) and not app.session.running


async def test_a_snapshot_from_before_a_reset_is_not_shown_after_it(make_app):
    """A snapshot still on its way from the session's thread when r is pressed is dropped:
    the screen stays on the new weights."""
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        late = app.session.snapshot()
        await pilot.press("r")
        await settle(pilot)
        app.post_message(SnapshotReady(late))
        await pilot.pause()
        await pilot.pause()
        assert "epoch 0 " in status_text(app) and training(app).snapshot.epoch == 0
        assert training(app).diagram.snapshot.epoch == 0


async def test_each_divergence_shows_in_the_status_bar_with_one_notification(make_app):
    app = make_app("twice", learning_rate=10)
    async with app.run_test(size=(120, 40)) as pilot:
        warnings: list[str] = []
        original = app.notify

        def record(message, *args, **kwargs):
            if kwargs.get("title") == "Diverged":
                warnings.append(str(message))
            return original(message, *args, **kwargs)

        app.notify = record
        for _ in range(3):
            await pilot.press("N")
            await settle(pilot)
        assert app.session.snapshot().state == "diverged"
        assert "diverged at epoch" in status_text(app)
        assert "diverged" in status_text(app)
        assert len(warnings) == 3 and all("Try learning rate" in w for w in warnings)
        await pilot.press("minus", "minus", "r", "n")  # a lower rate, new weights: trains on
        await settle(pilot)
        now = app.session.snapshot()
        assert now.state == "paused" and now.learning_rate == 1.0 and "lr 1 " in status_text(app)
        assert app.session.snapshot().epoch == 1 and "paused" in status_text(app)
        assert "diverged" not in status_text(app)


async def test_a_narrow_status_bar_keeps_the_most_important_fields(make_app):
    app = make_app("spiral")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        text = status_text(app)
        assert len(text) <= 60
        assert "paused" in text and "epoch 1" in text and "loss" in text and "lr 0.02" in text
        assert "test acc" not in text


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20), (40, 12)])
async def test_small_terminals_do_not_crash(make_app, size):
    app = make_app("spiral")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "y", "g")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape", "p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.snapshot().epoch == 1
