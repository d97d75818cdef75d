"""Safe from divergence: a run or a step whose learning rate is too high says so at once,
restores the last finite weights, and a lower rate (the suggested one) trains on."""

import math
import re

import numpy as np
import pytest

from .conftest import wait_until


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
