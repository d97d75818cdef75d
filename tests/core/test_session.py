"""The training session's commands: running and stepping give bitwise the same weights, the
same commands the same weights; reset, load and close; bad values change nothing; snapshots
are read-only and hold what the panels draw; the history stays bounded.

Control from threads: test_session_control.py and test_session_threads.py; divergence:
test_session_divergence.py; subscribers: test_session_subscribers.py."""

import threading

import numpy as np
import pytest

from core.session import Session, SessionError

from .conftest import same_weights, wait_until


@pytest.mark.parametrize("preset", ["xor", "digits"])
def test_run_and_steps_give_bitwise_identical_weights(make, preset):
    running = make(preset)
    running.run()
    wait_until(lambda: running.epoch >= 3)
    running.pause()
    ran = running.snapshot()
    stepping = make(preset)
    stepping.step(ran.epoch)
    for _ in range(ran.batch):
        stepping.step_batch()
    stepped = stepping.snapshot()
    assert (stepped.epoch, stepped.batch) == (ran.epoch, ran.batch)
    assert same_weights(ran, stepped)
    assert np.array_equal(ran.history_loss, stepped.history_loss)


def test_the_same_commands_give_the_same_weights(make):
    def train(session):
        session.step(3)
        session.set_learning_rate(0.05)
        session.step_batch()
        session.set_optimizer("momentum")
        return session.step(2)
    assert same_weights(train(make("spiral", batch_size=32)), train(make("spiral", batch_size=32)))


def test_reset_starts_over_from_the_seeds_weights(make):
    session = make("moons")
    first = session.snapshot()
    session.step(20)
    session.reset()
    again = session.snapshot()
    assert again.epoch == 0 and len(again.history_epochs) == 0
    assert same_weights(first, again)
    session.reset(seed=7)
    seeded = session.snapshot()
    assert seeded.seed == 7
    assert all(np.array_equal(w, v) for w, v in zip(seeded.weights,
                                                     session.preset.build_network(7).weights))


def test_load_switches_to_another_preset(make):
    session = make("xor")
    session.step(10)
    session.load("iris")
    snapshot = session.snapshot()
    assert (snapshot.preset_name, snapshot.sizes, snapshot.epoch) == ("iris", (4, 8, 3), 0)
    assert snapshot.class_names == ("setosa", "versicolor", "virginica")
    assert snapshot.test_loss is not None and snapshot.test_accuracy is not None


def test_a_closed_session_refuses_commands(make):
    session = make("xor")
    session.run()
    session.close()
    session.close()
    for command in (session.run, session.step, lambda: session.set_learning_rate(1.0)):
        with pytest.raises(SessionError, match="closed"):
            command()
    assert not [t for t in threading.enumerate() if t.name.startswith("session-")]


def test_bad_values_raise_and_change_nothing(make):
    session = make("xor")
    before = session.step(3)
    for bad in (-1.0, 0.0, float("nan"), float("inf"), "0.1", True):
        with pytest.raises(ValueError, match="^learning_rate: "):
            session.set_learning_rate(bad)
    with pytest.raises(ValueError, match="^optimizer: "):
        session.set_optimizer("rmsprop")
    with pytest.raises(ValueError, match="^epochs: "):
        session.step(0)
    with pytest.raises(ValueError, match="^seed: "):
        session.reset(seed=-1)
    with pytest.raises(ValueError, match="^learning_rate: "):
        Session("xor", learning_rate=-2)
    after = session.snapshot()
    assert (after.learning_rate, after.optimizer, after.epoch) == (2.0, "gd", 3)
    assert same_weights(before, after)


def test_snapshot_arrays_are_read_only_and_accuracy_is_reported(make):
    snapshot = make("spiral").step(50)
    for array in (snapshot.weights[0], snapshot.activations[1], snapshot.gradients_w[0],
                  snapshot.history_loss, snapshot.test_outputs):
        with pytest.raises(ValueError):
            array[...] = 0
    assert 0.0 <= snapshot.accuracy <= 1.0 and 0.0 <= snapshot.test_accuracy <= 1.0
    assert snapshot.history_test_epochs[-1] == 50


def test_gradient_check_agrees_with_backprop(make):
    session = make("spiral")
    session.step(5)
    checks = session.views.gradient_check()
    assert [check.layer for check in checks] == [0, 1, 2]
    assert max(check.error for check in checks) < 1e-6


def test_snapshots_show_the_outputs_over_the_input_space(make):
    grid = make("spiral").step(5)
    xmin, xmax, ymin, ymax = grid.grid_extent
    assert grid.decision_grid.shape == (48, 48, 1)
    assert xmin < grid.X_train[:, 0].min() and grid.X_train[:, 1].max() < ymax
    network = make("spiral").preset.build_network()
    for live, weights in zip(network.parameters(), grid.weights + grid.biases):
        live[...] = weights
    assert np.allclose(grid.decision_grid[0, -1], network.forward([[xmax, ymin]])[0])
    curve = make("sine").step(5)
    assert curve.curve_x.shape == (200,) and curve.curve_y.shape == (200, 1)
    assert curve.decision_grid is None
    wide = make("iris").step(1)
    assert wide.decision_grid is None and wide.curve_x is None


def test_a_long_run_keeps_a_bounded_history(make):
    session = make("xor")
    snapshot = session.step(25_000)
    assert len(snapshot.history_epochs) <= 10_000
    assert np.array_equal(snapshot.history_epochs[-2_000:], np.arange(23_001, 25_001))
    assert snapshot.history_epochs[0] < 10
