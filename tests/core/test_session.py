"""The training session: deterministic, prompt, thread-safe, bounded, and safe from divergence."""

import itertools
import math
import random
import re
import threading
import time

import numpy as np
import pytest

import core.session.editing
import core.session.trainer
from core.session import Session, SessionError

from .conftest import same_weights, wait_until

# --- determinism --------------------------------------------------------------------------

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


# --- prompt control -----------------------------------------------------------------------

def test_run_with_epochs_stops_paused_after_exactly_that_many(make):
    session = make("spiral", batch_size=32)
    seen = []
    session.subscribe(seen.append, max_rate=1000.0)
    session.step_batch()                  # an unfinished epoch counts as the first
    session.run(epochs=3)
    wait_until(lambda: session.snapshot().state == "paused" and not session.running)
    ran = session.snapshot()
    assert (ran.epoch, ran.batch) == (3, 0)
    wait_until(lambda: seen and seen[-1].epoch == 3 and seen[-1].state == "paused")
    stepped = make("spiral", batch_size=32)
    stepped.step(3)
    assert same_weights(ran, stepped.snapshot())
    session.run(epochs=2)                 # again, from where it stopped
    wait_until(lambda: not session.running)
    assert session.epoch == 5


def test_run_with_epochs_can_be_paused_or_rearmed(make):
    session = make("spiral")
    session.run(epochs=10_000_000)
    wait_until(lambda: session.epoch >= 1)
    session.run(epochs=1)                 # a new target from where the run stands
    wait_until(lambda: not session.running)
    stopped = session.epoch
    time.sleep(0.05)
    assert session.epoch == stopped and session.snapshot().state == "paused"
    session.run(epochs=10_000_000)
    session.pause()
    assert not session.running
    with pytest.raises(ValueError, match="epochs"):
        session.run(epochs=0)


def test_pause_during_a_batch_makes_it_the_last_one(make, monkeypatch):
    session = make("spiral", batch_size=32)
    calls, paused = [], []
    real_train_batch = core.session.trainer.train_batch

    def counting_train_batch(*args):
        calls.append(1)
        if len(calls) == 25:
            pausing = threading.Thread(target=lambda: (session.pause(), paused.append(1)))
            pausing.start()
            time.sleep(0.05)    # the pause is now waiting for this batch to end
        return real_train_batch(*args)

    monkeypatch.setattr(core.session.trainer, "train_batch", counting_train_batch)
    session.run()
    wait_until(lambda: paused)
    time.sleep(0.05)
    assert len(calls) == 25
    assert session.snapshot().state == "paused"


def test_pause_interrupts_a_long_step_in_another_thread(make):
    session = make("spiral")
    result = []
    stepping = threading.Thread(target=lambda: result.append(session.step(10**9)))
    stepping.start()
    wait_until(lambda: session.epoch >= 3)
    session.pause()
    stepping.join(timeout=5)
    assert result and result[0].state == "paused" and result[0].epoch < 10**9
    assert not session.running


def test_step_pauses_a_run(make):
    session = make("xor")
    session.run()
    snapshot = session.step(2)
    epoch = session.epoch
    time.sleep(0.02)
    assert snapshot.state == "paused" and session.epoch == epoch


def test_a_failing_batch_pauses_the_run_and_run_starts_again(make, monkeypatch):
    session = make("xor")
    real_train_batch = core.session.trainer.train_batch
    failures, reported = [RuntimeError("out of memory")], []

    def failing_once(*args):
        if failures:
            raise failures.pop()
        return real_train_batch(*args)

    monkeypatch.setattr(core.session.trainer, "train_batch", failing_once)
    monkeypatch.setattr(threading, "excepthook", reported.append)
    session.run()
    wait_until(lambda: reported)
    assert str(reported[0].exc_value) == "out of memory" and not session.running
    session.run()
    wait_until(lambda: session.epoch > 100)


def test_a_failing_step_leaves_the_session_paused(make, monkeypatch):
    session = make("xor")

    def failing(*args):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(core.session.trainer, "train_batch", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        session.step(3)
    assert not session.running and session.snapshot().state == "paused"


# --- thread safety ------------------------------------------------------------------------

def check_consistent(snapshot, template):
    """Invariants every snapshot must satisfy, whatever happens around it."""
    assert snapshot.sizes == (2, 16, 16, 1)
    assert [w.shape for w in snapshot.weights] == [(2, 16), (16, 16), (16, 1)]
    assert [g.shape for g in snapshot.gradients_w] == [w.shape for w in snapshot.weights]
    assert [a.shape for a in snapshot.activations] == [(320, 2), (320, 16), (320, 16), (320, 1)]
    assert 0 <= snapshot.batch < snapshot.batches_per_epoch == 10
    assert snapshot.state in ("paused", "running")
    assert not snapshot.weights[0].flags.writeable
    for history in (snapshot.history_loss, *snapshot.grad_norm_history):
        assert len(history) == len(snapshot.history_epochs)
    if len(snapshot.history_epochs):
        assert snapshot.history_epochs[-1] == snapshot.epoch
    for live, weights in zip(template.parameters(), snapshot.weights + snapshot.biases):
        live[...] = weights
    assert template.loss(snapshot.X_train, snapshot.Y_train) == snapshot.loss


def test_an_edit_and_a_load_from_two_threads_leave_a_consistent_session(make, monkeypatch):
    session = make("xor")
    real_edit_preset = core.session.editing.edit_preset
    loaded = []

    def edit_preset_while_another_thread_loads(preset, **fields):
        loading = threading.Thread(target=lambda: (session.load("iris"), loaded.append(1)))
        loading.start()
        loading.join(timeout=0.2)
        return real_edit_preset(preset, **fields)

    monkeypatch.setattr(core.session.editing, "edit_preset",
                        edit_preset_while_another_thread_loads)
    session.editing.edit(batch_size=2)
    wait_until(lambda: loaded)
    snapshot = session.snapshot()
    assert snapshot.preset_name == "iris"
    assert snapshot.sizes[0] == snapshot.X_train.shape[1] == 4


def test_random_commands_from_many_threads_keep_the_session_consistent(make, tmp_path):
    session = make("spiral", batch_size=32)
    template = session.preset.build_network()
    seen, errors, seeds = [], [], iter(range(1, 10**6))
    session.subscribe(seen.append, max_rate=200)
    session.run()

    def command(rng):
        choice = rng.random()
        if choice < 0.15:
            session.run()
        elif choice < 0.25:
            session.pause()
        elif choice < 0.35:
            return session.step(rng.randint(1, 3))
        elif choice < 0.50:
            return session.step_batch()
        elif choice < 0.65:
            session.set_learning_rate(rng.uniform(0.001, 0.05))
        elif choice < 0.75:
            session.set_optimizer(rng.choice(["gd", "momentum", "adam"]))
        elif choice < 0.77:
            session.reset(seed=next(seeds))
        elif choice < 0.775:
            assert len(session.views.gradient_check()) == 3
        elif choice < 0.78:
            session.files.save(tmp_path / "stress.npz", overwrite=True)
        elif choice < 0.79:
            session.subscribe(lambda snapshot: None, max_rate=50)()
        else:
            return session.snapshot()

    def worker(seed):
        rng = random.Random(seed)
        try:
            for _ in range(500):
                snapshot = command(rng)
                if snapshot is not None:
                    check_consistent(snapshot, template.copy())
        except Exception as error:  # reported below with its traceback
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    session.close()
    assert not errors, errors[0]
    assert len(seen) > 100
    for before, after in itertools.pairwise(seen):
        check_consistent(after, template)
        assert after.epoch >= before.epoch or after.seed != before.seed, "epoch went backward"
    assert not [t for t in threading.enumerate() if t.name.startswith("session-")]


# --- bounded memory -----------------------------------------------------------------------

def test_a_long_run_keeps_a_bounded_history(make):
    session = make("xor")
    snapshot = session.step(25_000)
    assert len(snapshot.history_epochs) <= 10_000
    assert np.array_equal(snapshot.history_epochs[-2_000:], np.arange(23_001, 25_001))
    assert snapshot.history_epochs[0] < 10


# --- divergence ---------------------------------------------------------------------------

@pytest.mark.parametrize(("preset", "batch_size", "too_high", "lower"),
                         [("plane", 0, 1000.0, 0.2), ("plane", 16, 1000.0, 0.05),
                          ("twice", 0, 0.17, 0.08), ("twice", 0, 10.0, 0.05)])
def test_divergence_restores_finite_weights_and_a_lower_rate_trains_on(make, preset, batch_size,
                                                                        too_high, lower):
    session = make(preset, learning_rate=too_high, batch_size=batch_size)
    states = []
    session.subscribe(lambda snapshot: states.append(snapshot.state))
    session.run()
    wait_until(lambda: "diverged" in states, timeout=10)
    diverged = session.snapshot()
    match = re.fullmatch(r"diverged at epoch (\d+) with learning rate (.+); restored epoch (\d+)",
                         diverged.message)
    assert match and int(match[1]) == diverged.epoch + 1 and float(match[2]) == too_high
    assert int(match[3]) == diverged.epoch
    assert diverged.state == "diverged" and not session.running
    assert all(np.isfinite(w).all() for w in diverged.weights + diverged.biases)
    assert math.isfinite(diverged.loss)
    assert np.isfinite(diverged.history_loss).all()
    assert np.array_equal(diverged.history_epochs, np.arange(1, diverged.epoch + 1))

    session.set_learning_rate(lower)
    session.run()
    wait_until(lambda: session.epoch >= diverged.epoch + 3000, timeout=10)
    session.pause()
    recovered = session.snapshot()
    assert recovered.state == "paused" and recovered.message == ""
    assert recovered.loss < 0.01


@pytest.mark.parametrize(("preset", "too_high", "steps"), [("twice", 0.17, 118),
                                                           ("spiral", 1e9, 1)])
def test_a_step_that_diverges_says_so_at_once_and_the_suggested_rate_trains_on(
        make, preset, too_high, steps):
    session = make(preset, learning_rate=too_high)
    for _ in range(steps):
        snapshot = session.step(1)
    assert snapshot.state == "diverged"
    assert snapshot.message == (f"diverged at epoch {steps} with learning rate {too_high:g}; "
                                f"restored epoch {steps - 1}")
    suggested = snapshot.suggested_learning_rate
    assert suggested is not None and suggested <= too_high / 10
    session.set_learning_rate(suggested)
    after = session.step(session.preset.epochs)
    assert after.state == "paused" and after.loss < snapshot.loss


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


# --- subscribers --------------------------------------------------------------------------

def test_subscribers_get_a_snapshot_after_each_command_and_a_bounded_rate_while_running(make):
    session = make("xor")
    got = []
    session.subscribe(got.append, max_rate=20)
    wait_until(lambda: len(got) == 1)
    session.set_learning_rate(0.5)
    wait_until(lambda: got[-1].learning_rate == 0.5)
    count = len(got)
    session.run()
    time.sleep(0.5)
    session.pause()
    wait_until(lambda: got[-1].state == "paused")
    assert 5 <= len(got) - count <= 0.5 * 20 + 3
    assert any(s.state == "running" and s.epochs_per_second > 0 for s in got)


def test_a_stuck_subscriber_does_not_stop_training(make):
    session = make("xor")
    release = threading.Event()
    session.subscribe(lambda snapshot: release.wait(5))
    session.run()
    wait_until(lambda: session.epoch > 1000)
    release.set()


def test_unsubscribed_callbacks_are_not_called_again(make):
    session = make("xor")
    got = []
    unsubscribe = session.subscribe(got.append)
    wait_until(lambda: len(got) == 1)
    unsubscribe()
    session.step(5)
    time.sleep(0.05)
    assert len(got) == 1


# --- the other commands -------------------------------------------------------------------

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
