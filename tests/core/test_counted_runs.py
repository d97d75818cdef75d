"""Counted runs in the session's own thread: ``run(batches=N)`` like ``run(epochs=N)``, runs
that add up (``add``), and what a snapshot says about the run (``counted``, ``sequence``)."""

import pytest

from .conftest import same_weights, wait_until


def test_run_with_batches_trains_exactly_those_batches_each_undoable(make):
    session = make("digits", seed=3)
    session.run(batches=2)
    session.run(batches=3, add=True)     # while it trains or after: five batches in all
    wait_until(lambda: not session.running)
    ran = session.snapshot()
    assert (ran.epoch, ran.batch, ran.state) == (0, 5, "paused")
    stepped = make("digits", seed=3)
    for _ in range(5):
        stepped.step_batch()
    assert same_weights(ran, stepped.snapshot())
    assert session.undo().batch == 4      # each batch is a step of its own


def test_added_epochs_count_on_from_the_run_in_progress(make):
    session = make("spiral", batch_size=32)
    session.step_batch()                  # an unfinished epoch counts as the first
    session.run(epochs=2)
    session.run(epochs=1, add=True)
    wait_until(lambda: not session.running)
    assert (session.epoch, session.snapshot().batch) == (3, 0)


def test_a_snapshot_says_whether_the_run_is_counted_and_which_came_later(make):
    session = make("spiral")
    first = session.snapshot()
    session.run(epochs=10_000_000)
    counted = session.snapshot()
    session.run()
    free = session.snapshot()
    session.pause()
    paused = session.snapshot()
    assert (counted.state, counted.counted) == ("running", True)
    assert (free.state, free.counted) == ("running", False)
    assert (paused.state, paused.counted) == ("paused", False)
    assert first.sequence < counted.sequence < free.sequence < paused.sequence


@pytest.mark.parametrize("arguments", [{"batches": 0}, {"batches": True},
                                       {"epochs": 1, "batches": 1}])
def test_run_refuses_a_bad_count(make, arguments):
    session = make("xor")
    with pytest.raises(ValueError, match="batches"):
        session.run(**arguments)
    assert not session.running
