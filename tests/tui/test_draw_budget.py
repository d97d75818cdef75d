"""The drawing budget, run against a simulated machine (a fake clock and a fake main-thread
CPU time, where each panel redraw costs what the test says), and the screen's rule that at a
watchable pace every epoch is drawn."""

from __future__ import annotations

import asyncio
import threading
import time

from core.session import Clock
from tests.tui.conftest import settle, training
from tui.draw_budget import BUSY_SHARE, FASTEST, SLOWEST, TICK, DrawBudget
from tui.widgets.loss_plot import LossPlot


class Machine:
    """Wall time and the main thread's CPU time; ``redraw_cost`` seconds per panel redraw
    and ``baseline`` of every second spent on other work (the status bar, keys)."""

    def __init__(self, redraw_cost: float, baseline: float = 0.02) -> None:
        self.wall = self.cpu = 0.0
        self.redraw_cost, self.baseline = redraw_cost, baseline
        self.budget = DrawBudget(clock=lambda: self.wall, cpu=lambda: self.cpu)
        self.redraws = 0

    def run(self, seconds: float) -> float:
        """Train for ``seconds`` with the budget ticking; the busy share over that time."""
        wall, cpu = self.wall, self.cpu
        for _ in range(round(seconds / TICK)):
            if self.budget.due():
                self.cpu += self.redraw_cost
                self.redraws += 1
                self.budget.drawn()
            self.wall += TICK
            self.cpu += self.baseline * TICK
        return (self.cpu - cpu) / (self.wall - wall)


def test_costly_redraws_are_spaced_out_until_the_share_is_kept():
    """Redraws of 150 ms (a slow machine) end up rare enough to keep the main thread busy
    at most BUSY_SHARE of the time."""
    machine = Machine(redraw_cost=0.15)
    assert machine.run(3) > BUSY_SHARE          # at the starting rate it costs too much
    machine.run(10)
    assert machine.run(20) <= BUSY_SHARE
    assert machine.redraws > 0


def test_cheap_redraws_come_at_the_fastest_rate():
    """Redraws of 2 ms (a fast machine) come every FASTEST seconds."""
    machine = Machine(redraw_cost=0.002)
    machine.run(10)
    assert machine.budget.interval == FASTEST
    before = machine.redraws
    machine.run(10)
    assert machine.redraws - before >= 10 / FASTEST - 1


def test_the_budget_follows_a_machine_that_slows_down_and_recovers():
    """When another process makes every redraw ten times dearer, the panels slow down and
    the share is kept; when the machine is fast again they speed up again."""
    machine = Machine(redraw_cost=0.005)
    machine.run(10)
    fast = machine.budget.interval
    machine.redraw_cost = 0.05
    machine.run(10)
    assert machine.run(20) <= BUSY_SHARE
    assert machine.budget.interval > fast
    machine.redraw_cost = 0.005
    machine.run(20)
    assert machine.budget.interval == fast


def test_other_work_beyond_the_share_leaves_the_panels_at_the_slowest_rate():
    """If the main thread is busier than the share without any panel, panels redraw only
    every SLOWEST seconds (still now and then, never stopped)."""
    machine = Machine(redraw_cost=0.02, baseline=0.3)
    machine.run(30)
    assert machine.budget.interval == SLOWEST
    before = machine.redraws
    machine.run(3 * SLOWEST)
    assert machine.redraws - before >= 2


def test_time_paused_is_not_counted():
    """A pause in training (no CPU spent, the budget told) does not make room for more
    redraws afterwards: the interval learnt is kept."""
    machine = Machine(redraw_cost=0.15)
    machine.run(20)
    learnt = machine.budget.interval
    machine.budget.pause()
    machine.wall += 60                          # idle: no ticks while paused
    machine.run(TICK)
    assert machine.budget.interval == learnt


def test_short_runs_add_up_to_a_window():
    """Training in runs shorter than a window (steps, a learner pressing N) still steers the
    interval: the running time adds up across pauses, and the pauses are left out."""
    machine = Machine(redraw_cost=0.15)
    for _ in range(40):
        machine.run(0.5)
        machine.budget.pause()
        machine.wall += 5                       # paused: no ticks, no CPU
    assert machine.budget.interval > 2 * FASTEST
    assert machine.run(20) <= BUSY_SHARE


def test_a_pause_does_not_make_a_redraw_due():
    """The interval between redraws counts running time: resuming after a long pause (the
    screen drew the pause itself) does not redraw at once, but after the interval's rest."""
    machine = Machine(redraw_cost=0.01)
    machine.run(10)
    machine.budget.interval = 1.0
    while not machine.budget.due():
        machine.wall += TICK
    machine.budget.drawn()
    machine.run(0.5)
    machine.budget.pause()
    machine.wall += 60
    before = machine.redraws
    machine.run(0.3)
    assert machine.redraws == before
    machine.run(0.4)
    assert machine.redraws == before + 1


class StepClock(Clock):
    """A session clock that stands still until the test moves it on."""

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        """The time the test set."""
        return self.time

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        """Let commands in for a moment (the time stands still meanwhile)."""
        condition.wait(0.005)


async def test_at_a_watchable_pace_every_epoch_is_drawn_as_it_arrives(make_app):
    """Running xor at 10 epochs a second, each epoch reaches the loss plot together with the
    status bar, not at the budget's next redraw."""
    clock = StepClock()
    app = make_app("xor", pace=10, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = training(app)
        plot = screen.query_one(LossPlot)
        shown: list[int] = []
        original = plot.show

        def recording(snapshot):
            shown.append(snapshot.epoch)
            original(snapshot)

        plot.show = recording
        app.action_run_pause()
        for epoch in range(1, 6):
            deadline = time.monotonic() + 30
            while screen.snapshot.epoch < epoch and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            assert screen.snapshot.epoch == epoch
            assert shown[-1] == epoch             # drawn at once, with the status bar
            clock.time += 0.1                     # the next epoch is due
        app.action_run_pause()
        await settle(pilot)
