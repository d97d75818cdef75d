"""The cost landscape: the notes' closed forms, the engine's own C, an untouched network."""

import time

import numpy as np
import pytest

from core.engine.finite_differences import ComputationCancelled
from core.engine.network import Network
from core.explain.cost_landscape import (
    contour_cells,
    contour_levels,
    cost_curve,
    cost_surface,
    default_range,
    partial_derivatives,
    value_of,
)

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])
TWICE_X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
TWICE_Y = 2.0 * TWICE_X


def twice(bias=False):
    """The notes' first model (1.1): y = x w (+ b), linear, mse."""
    return Network((1, 1), output_activation="linear", bias=bias, init="uniform", seed=0)


def parameters(net):
    return [p.copy() for p in net.parameters()]


def same(params, net):
    return all(np.array_equal(p, q) for p, q in zip(params, net.parameters()))


def test_twice_curve_is_1_1_1():
    net, values = twice(), np.linspace(-1.0, 5.0, 61)
    x, y = TWICE_X[:, 0], TWICE_Y[:, 0]
    expected = [np.mean((x * w - y) ** 2) for w in values]                  # 1.1.1
    np.testing.assert_allclose(cost_curve(net, TWICE_X, TWICE_Y, ("w", 1, 0, 0), values),
                               expected, rtol=1e-13, atol=1e-300)
    assert cost_curve(net, TWICE_X, TWICE_Y, ("w", 1, 0, 0), [2.0])[0] == 0.0


def test_curve_points_are_the_engines_cost():
    net = Network((2, 3, 1), init="uniform", seed=2)
    values = [-1.0, 0.25, 3.0]
    curve = cost_curve(net, XOR_X, XOR_Y, ("b", 2, 0), values)
    for value, cost in zip(values, curve):
        other = net.copy()
        other.biases[1][0] = value
        assert cost == other.loss(XOR_X, XOR_Y)


def test_twice_with_bias_surface_orientation_and_values():
    net = twice(bias=True)
    ws, bs = np.linspace(0.0, 4.0, 5), np.linspace(-1.0, 1.0, 3)
    surface = cost_surface(net, TWICE_X, TWICE_Y, ("w", 1, 0, 0), ("b", 1, 0), ws, bs)
    x, y = TWICE_X[:, 0], TWICE_Y[:, 0]
    expected = [[np.mean((x * w + b - y) ** 2) for b in bs] for w in ws]
    assert surface.shape == (5, 3)
    np.testing.assert_allclose(surface, expected, rtol=1e-13)


def test_xor_surface_48x48_is_fast_and_leaves_the_network_as_it_was():
    net = Network((2, 3, 1), init="uniform", seed=5)
    before = parameters(net)
    values = np.linspace(-4.0, 4.0, 48)
    start = time.perf_counter()
    surface = cost_surface(net, XOR_X, XOR_Y, ("w", 1, 0, 1), ("w", 2, 1, 0), values, values)
    elapsed = time.perf_counter() - start
    assert surface.shape == (48, 48) and np.all(np.isfinite(surface))
    assert elapsed < 0.5, f"48x48 surface took {elapsed:.3f} s"
    assert same(before, net)


def test_parameters_restored_when_the_cost_raises():
    net = Network((2, 3, 1), init="uniform", seed=5)
    before = parameters(net)
    bad_Y = np.zeros((4, 2))
    with pytest.raises(ValueError):
        cost_curve(net, XOR_X, bad_Y, ("w", 1, 0, 0), [9.0])
    with pytest.raises(ValueError):
        cost_surface(net, XOR_X, bad_Y, ("w", 1, 0, 0), ("b", 1, 2), [9.0], [7.0])
    assert same(before, net)


def test_a_cancelled_landscape_stops_between_points_and_restores_the_network(monkeypatch):
    """Cancelled after three points of a curve (or three rows of a map), the landscape stops
    with ComputationCancelled after exactly their costs, every parameter as it was."""
    net = Network((2, 3, 1), init="uniform", seed=5)
    before = parameters(net)
    calls = []
    loss = Network.loss
    monkeypatch.setattr(Network, "loss", lambda self, X, Y: calls.append(1) or loss(self, X, Y))

    def after(n):
        asked = []
        return lambda: asked.append(1) or len(asked) > n

    with pytest.raises(ComputationCancelled):
        cost_curve(net, XOR_X, XOR_Y, ("w", 1, 0, 0), np.linspace(-1, 1, 10), after(3))
    assert len(calls) == 3 and same(before, net)
    with pytest.raises(ComputationCancelled):
        cost_surface(net, XOR_X, XOR_Y, ("w", 1, 0, 0), ("b", 1, 2), np.linspace(-1, 1, 10),
                     np.linspace(-1, 1, 4), after(3))
    assert len(calls) == 3 + 3 * 4 and same(before, net)


def test_bad_parameters_are_refused():
    net = Network((2, 3, 1), bias=False)
    for param in [("w", 0, 0, 0), ("w", 3, 0, 0), ("w", 1, 2, 0), ("w", 1, 0), ("b", 1, 0),
                  ("x", 1, 0, 0)]:
        with pytest.raises(ValueError, match="param"):
            cost_curve(net, XOR_X, XOR_Y, param, [0.0])
    with pytest.raises(ValueError, match="param2"):
        cost_surface(net, XOR_X, XOR_Y, ("w", 1, 0, 0), ("w", 1, 0, 0), [0.0], [0.0])


def test_the_partial_derivative_is_1_1_6_for_twice():
    net = twice()
    w = value_of(net, ("w", 1, 0, 0))
    x, y = TWICE_X[:, 0], TWICE_Y[:, 0]
    gradient = np.mean(2 * (x * w - y) * x)                                  # 1.1.6
    assert partial_derivatives(net, TWICE_X, TWICE_Y, [("w", 1, 0, 0)]) == pytest.approx(
        [gradient], rel=1e-14)


def test_partial_derivatives_are_the_engine_gradient():
    net = Network((2, 3, 1), init="uniform", seed=5)
    grad_w, grad_b = net.gradients(XOR_X, XOR_Y)
    derivatives = partial_derivatives(net, XOR_X, XOR_Y, [("w", 2, 1, 0), ("b", 1, 2)])
    assert derivatives.tolist() == [grad_w[1][1, 0], grad_b[0][2]]


def test_default_range_holds_current_and_path():
    lo, hi = default_range(1.0, [0.0, 5.0, np.nan, np.inf], margin=0.2)
    assert (lo, hi) == pytest.approx((-1.0, 6.0))
    lo, hi = default_range(2.0, min_width=2.0)
    assert (lo, hi) == (1.0, 3.0)
    with pytest.raises(ValueError, match="current"):
        default_range(np.nan)


def test_contours():
    surface = np.add.outer(np.arange(5.0), np.zeros(4))                   # rows 0..4
    levels = contour_levels(surface, 3)
    assert np.all(np.diff(levels) > 0) and levels[0] > 0 and levels[-1] < 4
    cells = contour_cells(surface, np.array([1.5, 2.5]))
    assert cells[:, 0].tolist() == [-1, 0, 1, -1, -1]
    assert np.all(cells == cells[:, :1])
    surface[3, 2] = np.nan
    assert contour_cells(surface, np.array([1.5, 2.5]))[2:4, 2].tolist() == [-1, -1]
    assert contour_levels(np.full((2, 2), np.nan), 3).size == 0
