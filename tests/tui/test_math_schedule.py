"""An open math view keeps up with training: the schedule's promises, checked on a fake clock
with fake computation costs, and the views following the session's epoch in the app."""

from __future__ import annotations

import asyncio
import time

import pytest

from tui.math.schedule import (
    BUSY_BUDGET,
    DUTY,
    LAG,
    PAUSED_BUDGET,
    MathSchedule,
)

from .conftest import settle, status_text, training


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run_busy(cost: float, computations: int = 20) -> tuple[float, float]:
    """Computations of ``cost`` seconds each while training runs, each begun as soon as the
    schedule allows. Returns (how old the view gets at most just before the next one is
    shown, the share of the time spent computing)."""
    clock = FakeClock()
    schedule = MathSchedule(clock)
    oldest, start, computing = 0.0, clock.now, 0.0
    previous_start = None
    for _ in range(computations):
        schedule.began()
        start = clock.now
        clock.now += cost
        computing += cost
        if previous_start is not None:
            oldest = max(oldest, clock.now - previous_start)
        assert schedule.ended() == pytest.approx(cost)
        previous_start = start
        clock.now += schedule.wait(busy=True)
    return oldest, computing / (clock.now - 100.0)


@pytest.mark.parametrize("cost", [0.005, 0.03, BUSY_BUDGET])
def test_views_within_the_busy_budget_stay_within_half_a_second(cost):
    """Within the busy budget a view is never more than LAG behind, and computes at most a
    quarter of the time."""
    oldest, share = run_busy(cost)
    assert oldest <= LAG + 1e-9
    assert share <= 1 / (1 + DUTY) + 1e-9                  # training keeps three quarters


@pytest.mark.parametrize("cost", [0.12, 0.16])
def test_the_wait_shrinks_so_that_slower_views_keep_up(cost):
    """Waiting three durations would leave these views more than half a second behind."""
    assert 5 * cost > LAG
    oldest, share = run_busy(cost)
    assert oldest <= LAG + 1e-9
    assert share <= 0.5 + 1e-9                              # training keeps half at least


def test_a_computation_of_0_3_s_keeps_as_close_as_half_the_time_allows():
    """It cannot keep within half a second without taking training's time: it waits one
    duration (0.9 s behind at most, not 1.5 s), and training keeps half the time."""
    oldest, share = run_busy(0.3)
    assert oldest == pytest.approx(0.9)
    assert share == pytest.approx(0.5)


def test_the_wait_is_the_duty_share_when_that_keeps_up():
    """A fast computation waits three times its duration, then the next may begin."""
    clock = FakeClock()
    schedule = MathSchedule(clock)
    schedule.began()
    clock.now += 0.02
    schedule.ended()
    assert schedule.wait(busy=True) == pytest.approx(DUTY * 0.02)
    clock.now += DUTY * 0.02
    assert schedule.wait(busy=True) == 0.0


def test_paused_a_view_never_waits():
    """Paused, every change is computed at once."""
    clock = FakeClock()
    schedule = MathSchedule(clock)
    schedule.began()
    clock.now += 0.02
    schedule.ended()
    assert schedule.wait(busy=False) == 0.0


@pytest.mark.parametrize("point_cost", [1e-5, 1e-4, 5e-4, 2e-3])
@pytest.mark.parametrize("dims", [1, 2])
def test_the_landscape_is_coarser_while_training_runs_and_fits_its_budget(point_cost, dims):
    """Running, the grid fits the busy budget (coarser when the full one would not);
    paused, the full budget."""
    schedule = MathSchedule(FakeClock())
    wanted = 400 if dims == 1 else 64
    schedule.measured(point_cost * (wanted ** dims + 2), wanted ** dims)   # a paused map
    running = schedule.grid(wanted, dims, busy=True)
    paused = schedule.grid(wanted, dims, busy=False)
    assert running <= paused <= wanted
    if running > 5:                                         # above the smallest grid
        assert (running ** dims + 2) * point_cost <= BUSY_BUDGET * 1.05
    assert (paused ** dims + 2) * point_cost <= PAUSED_BUDGET * 1.05 or paused == 8
    if paused ** dims * point_cost > BUSY_BUDGET:           # the full picture costs too much
        assert running < paused


def test_a_first_landscape_is_small_while_training_runs():
    """Before a point's cost is known, a first map or curve is smaller while running."""
    schedule = MathSchedule(FakeClock())
    assert schedule.grid(64, 2, busy=True) < schedule.grid(64, 2, busy=False) <= 12
    assert schedule.grid(300, 1, busy=True) < schedule.grid(300, 1, busy=False) == 300


def landscape_epoch(app) -> int:
    """The epoch the landscape's legend says its picture is of."""
    panel = training(app).query_one("#landscape")
    text = "\n".join(panel.render_line(y).text for y in range(panel.size.height))
    return int(text.split(", epoch ", 1)[1].split()[0])


@pytest.mark.parametrize("preset", ["spiral", "digits"])
async def test_the_landscape_shows_the_status_bars_epoch_after_each_step(make_app, preset):
    """After each step the landscape's legend names the status bar's epoch."""
    app = make_app(preset)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await settle(pilot)
        for key in ("n", "N", "n"):
            await pilot.press(key)
            await settle(pilot)
            epoch = app.session.epoch
            assert f"epoch {epoch} " in status_text(app) + " "
            assert landscape_epoch(app) == epoch


async def test_an_open_landscape_follows_training_between_panel_redraws(make_app):
    """The panels may redraw seldom while training runs (the drawing budget); the open
    landscape follows the status bar's snapshots all the same."""
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await settle(pilot)
        assert landscape_epoch(app) == 0
        app.controller.budget.due = lambda: False    # the panels are never fed while busy
        app.action_run_pause()
        deadline = time.monotonic() + 20
        while landscape_epoch(app) < 50 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        shown = landscape_epoch(app)
        app.action_run_pause()
        assert shown >= 50
