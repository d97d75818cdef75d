"""The session's math views: the numbers are the engine's, a stepped batch is an
ordinary step bitwise, finite-difference training follows backprop, the landscape's path."""

import time

import numpy as np
import pytest

import core.session.trainer
from core.explain import default_parameters
from core.presets import load_preset

from .conftest import parameters, same_weights

# --- the inspector ------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["chain", "xor", "iris"])
def test_inspected_gradients_are_the_snapshots_bitwise(make, preset):
    session = make(preset, seed=3)
    session.step(3)
    snap = session.snapshot()
    for l, w in enumerate(snap.weights, start=1):
        for i in range(min(w.shape[0], 3)):
            for j in range(min(w.shape[1], 3)):
                report = session.views.inspect_weight(l, i, j, sample=1)
                assert report.gradient == snap.gradients_w[l - 1][i, j]
                assert report.relative_error < 1e-6
                assert sum(report.contributions) == pytest.approx(report.gradient, abs=1e-15)
            bias = session.views.inspect_bias(l, 0, sample=0)
            assert bias.gradient == snap.gradients_b[l - 1][0]


def test_inspected_neuron_is_the_snapshots_activation(make):
    session = make("xor", seed=3)
    snap = session.snapshot()
    for sample in range(4):
        report = session.views.inspect_neuron(1, 1, sample)
        assert report.a == snap.activations[1][sample, 1]
        assert report.inputs == tuple(snap.X_train[sample])
        assert report.sigma_prime == report.a * (1 - report.a)
    with pytest.raises(ValueError):
        session.views.inspect_neuron(3, 0, 0)
    with pytest.raises(ValueError):
        session.views.inspect_weight(1, 0, 0, sample=4)


def test_the_views_work_while_training_runs(make):
    session = make("spiral", seed=3)
    session.run()
    try:
        start = time.monotonic()
        report = session.views.inspect_weight(2, 0, 0, sample=5)
        landscape = session.views.cost_landscape([("w", 1, 0, 0)], size=16)
        checks = session.views.gradient_check()
        assert time.monotonic() - start < 5
        assert np.isfinite(report.gradient) and landscape.costs.shape == (16,)
        assert len(checks) == 3 and session.running
    finally:
        session.pause()


# --- stepping inside an epoch ------------------------------------------------------------

@pytest.mark.parametrize("preset,optimizer,batches", [
    ("xor", "gd", 3), ("chain", "momentum", 2), ("digits", "adam", 3), ("spiral", "gd", 1)])
def test_a_stepped_batch_is_step_batch_bitwise(make, preset, optimizer, batches):
    stepped = make(preset, seed=3, optimizer=optimizer)
    plain = make(preset, seed=3, optimizer=optimizer)
    if preset == "digits":          # end an epoch inside the stepped batches
        per_epoch = plain.snapshot().batches_per_epoch
        for session in (stepped, plain):
            for _ in range(per_epoch - 2):
                session.step_batch()
    n_layers = plain.snapshot().n_layers
    for _ in range(batches):
        state = stepped.views.begin_step_through()
        assert (state.phase, state.layer, state.last) == ("forward", 1, None)
        descriptions = [stepped.views.advance_step_through() for _ in range(2 * n_layers + 1)]
        assert descriptions[0].startswith("forward: a(1)")
        assert descriptions[n_layers].startswith(f"backward: ∂_{{z({n_layers})}} C")
        assert descriptions[-1].startswith("update:")
        plain.step_batch()
        a, b = stepped.snapshot(), plain.snapshot()
        assert (a.epoch, a.batch) == (b.epoch, b.batch)
        assert same_weights(a, b)
        assert np.array_equal(a.history_loss, b.history_loss)
        assert np.array_equal(a.history_epochs, b.history_epochs)
        assert stepped.views.step_through().done
    assert stepped.snapshot().epoch == plain.snapshot().epoch


def test_step_through_shows_each_layer_as_the_engine_computes_it(make):
    session = make("xor", seed=3)
    snap = session.snapshot()
    session.views.begin_step_through()
    session.views.advance_step_through()
    state = session.views.step_through()
    assert state.last.phase == "forward" and state.last.layer == 1
    assert (state.phase, state.layer) == ("forward", 2)
    assert np.array_equal(state.activations[1], snap.activations[1])
    assert np.array_equal(state.rows, np.arange(4)) and state.batches == 1
    session.views.advance_step_through()
    session.views.advance_step_through()
    state = session.views.step_through()
    assert state.phase == "backward" and state.layer == 1
    assert np.array_equal(state.grad_w[1], snap.gradients_w[1])
    assert state.grad_w[0] is None
    session.views.advance_step_through()
    session.views.advance_step_through()
    state = session.views.step_through()
    assert state.done and state.last.phase == "update"
    assert np.array_equal(state.weights_before[0], snap.weights[0])
    after = session.snapshot()
    assert np.array_equal(after.weights[0], snap.weights[0] - 2.0 * snap.gradients_w[0])


def test_advance_begins_a_batch_and_training_otherwise_ends_it(make):
    session = make("xor", seed=3)
    assert session.views.step_through() is None
    assert session.views.advance_step_through().startswith("forward: a(1)")
    assert session.views.step_through().phase == "forward"
    session.step_batch()                     # trained another way: the stepped batch is gone
    assert session.views.step_through() is None
    session.views.advance_step_through()
    session.set_optimizer("adam")            # a new optimizer: so is this one
    assert session.views.step_through() is None
    session.views.advance_step_through()
    session.reset()
    assert session.views.step_through() is None


def test_begin_step_through_pauses_a_run(make):
    session = make("spiral", seed=3)
    session.run()
    state = session.views.begin_step_through()
    assert not session.running and state.phase == "forward"
    epoch, batch = session.snapshot().epoch, session.snapshot().batch
    assert (state.epoch, state.batch) == (epoch, batch)


# --- finite-difference training ----------------------------------------------------------

def test_finite_difference_training_follows_backprop(make):
    numeric = make("xor", seed=3)
    plain = make("xor", seed=3)
    assert numeric.views.gradient_method == "backprop"
    numeric.views.set_gradient_method("finite_differences")
    assert numeric.views.gradient_method == "finite_differences"
    numeric.step(20)
    plain.step(20)
    a, b = numeric.snapshot(), plain.snapshot()
    assert a.epoch == 20
    assert not same_weights(a, b)                            # different arithmetic ...
    for x, y in zip(parameters(a), parameters(b)):   # ... the same descent
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-8)
    numeric.reset()
    assert numeric.views.gradient_method == "finite_differences"
    numeric.views.set_gradient_method("backprop")
    with pytest.raises(ValueError):
        numeric.views.set_gradient_method("guess")


def test_finite_difference_training_calls_the_numeric_trainer(make, monkeypatch):
    calls = []
    real = core.session.trainer.numeric_train_batch
    monkeypatch.setattr(core.session.trainer, "numeric_train_batch",
                        lambda *args: calls.append(1) or real(*args))
    session = make("chain", seed=3)
    session.step(2)
    assert calls == []
    session.views.set_gradient_method("finite_differences")
    session.step(2)
    assert len(calls) == 2


# --- the cost landscape ------------------------------------------------------------------

def test_twice_curve_current_point_and_next_step(make):
    session = make("twice", seed=3)
    snap = session.snapshot()
    landscape = session.views.cost_landscape([("w", 1, 0, 0)], size=41)
    x, y = snap.X_train[:, 0], snap.Y_train[:, 0]
    w = snap.weights[0][0, 0]
    assert landscape.dims == 1 and not landscape.is_slice and landscape.names == ("w(1)[0,0]",)
    assert landscape.costs.shape == (41,)
    expected = [np.mean((x * v - y) ** 2) for v in landscape.axes[0]]      # 1.1.1
    np.testing.assert_allclose(landscape.costs, expected, rtol=1e-12)
    assert landscape.current == (w,) and landscape.current_cost == snap.loss
    assert landscape.gradient == (snap.gradients_w[0][0, 0],)
    assert landscape.gradient[0] == pytest.approx(np.mean(2 * (x * w - y) * x))   # 1.1.6
    lo, hi = landscape.axes[0][0], landscape.axes[0][-1]
    assert lo <= w <= hi and lo <= landscape.next_point[0] <= hi
    assert lo < 2.0 < hi       # widened to show the valley's bottom, w = 2
    assert abs(landscape.axes[0][np.argmin(landscape.costs)] - 2.0) < (hi - lo) / 40
    after = session.step_batch()
    assert landscape.next_point == (after.weights[0][0, 0],)     # the step gd takes, bitwise
    assert landscape.next_cost == after.loss


def test_the_path_is_recorded_every_epoch_from_the_start(make):
    session = make("twice", seed=3, learning_rate=0.16)     # overshoots: a zig-zag
    values = [session.snapshot().weights[0][0, 0]]
    for _ in range(6):
        values.append(session.step().weights[0][0, 0])
    landscape = session.views.cost_landscape([("w", 1, 0, 0)])
    assert landscape.path_epochs.tolist() == list(range(7))
    assert landscape.path[:, 0].tolist() == values
    signs = np.sign(np.array(values) - 2.0)
    assert np.all(signs[1:] == -signs[:-1])                   # each step overshoots w = 2


def test_chain_watches_its_two_weights_for_a_surface(make):
    session = make("chain", seed=3)
    params = session.views.watched_parameters()
    assert params == (("w", 1, 0, 0), ("w", 2, 0, 0))
    session.step(3)
    landscape = session.views.cost_landscape(params, size=12)
    assert landscape.dims == 2 and landscape.is_slice and landscape.costs.shape == (12, 12)
    assert landscape.path.shape == (4, 2)
    snap = session.snapshot()
    assert tuple(landscape.path[-1]) == (snap.weights[0][0, 0], snap.weights[1][0, 0])
    net = load_preset("chain").build_network(3)
    for live, value in zip(net.parameters(), parameters(snap)):
        live[...] = value
    r, c = 3, 7
    net.weights[0][0, 0], net.weights[1][0, 0] = landscape.axes[0][r], landscape.axes[1][c]
    assert landscape.costs[r, c] == net.loss(snap.X_train, snap.Y_train)
    # one of them, or another pair, works too; the path follows what is watched
    one = session.views.cost_landscape([("w", 2, 0, 0)], size=5)
    assert one.path.shape == (4, 1)
    other = session.views.cost_landscape([("b", 2, 0)], size=5)
    assert other.path.shape == (0, 1)
    session.views.watch_parameters([("b", 2, 0)])
    session.step(2)
    assert session.views.cost_landscape([("b", 2, 0)], size=5).path_epochs.tolist() == [3, 4, 5]


def test_default_parameters():
    from core.engine.network import Network
    assert default_parameters(Network([1, 1], bias=False)) == (("w", 1, 0, 0),)
    assert default_parameters(Network([1, 1])) == (("w", 1, 0, 0), ("b", 1, 0))
    assert default_parameters(Network([2, 2, 1])) == (("w", 1, 0, 0), ("w", 1, 0, 1))
    assert default_parameters(Network([1, 1, 1])) == (("w", 1, 0, 0), ("w", 2, 0, 0))
    net = Network([2, 2, 1], init="uniform", seed=1)
    X, Y = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0], [0.0]])
    grad_w, _ = net.gradients(X, Y)
    chosen = default_parameters(net, X, Y)
    sizes = {("w", l + 1, i, j): abs(g[i, j]) for l, g in enumerate(grad_w)
             for i in range(g.shape[0]) for j in range(g.shape[1])}
    assert sorted(sizes.values())[-2:] == sorted(sizes[p] for p in chosen)


def test_the_path_is_bounded_and_drops_undone_epochs(make, monkeypatch):
    monkeypatch.setattr(core.session.trainer, "PATH_LENGTH", 5)
    session = make("twice", seed=3)
    session.step(12)
    landscape = session.views.cost_landscape([("w", 1, 0, 0)])
    assert landscape.path_epochs.tolist() == [8, 9, 10, 11, 12]
    diverging = make("twice", seed=3, learning_rate=10)
    diverging.step(300)
    snap = diverging.snapshot()
    assert snap.state == "diverged"
    path = diverging.views.cost_landscape([("w", 1, 0, 0)]).path_epochs
    assert path.max() <= snap.epoch
    diverging.step(1)
    path = diverging.views.cost_landscape([("w", 1, 0, 0)]).path_epochs
    assert path[-1] == diverging.snapshot().epoch and np.all(np.diff(path) == 1)


def test_bad_landscape_requests_are_refused(make):
    session = make("chain", seed=3)
    for params in ([], [("w", 1, 0, 0)] * 2, [("w", 3, 0, 0)], [("w", 1, 0, 0)] * 3,
                   [("x", 1, 0)]):
        with pytest.raises(ValueError):
            session.views.cost_landscape(params)
    with pytest.raises(ValueError):
        session.views.cost_landscape([("w", 1, 0, 0)], size=1)
    with pytest.raises(ValueError):
        session.views.cost_landscape([("w", 1, 0, 0)], span=0)
    with pytest.raises(ValueError):
        session.views.watch_parameters([("b", 5, 0)])
    span = session.views.cost_landscape([("w", 1, 0, 0)], size=3, span=0.5)
    w = session.snapshot().weights[0][0, 0]
    assert span.axes[0].tolist() == [w - 0.5, w, w + 0.5]
