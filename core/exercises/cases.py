"""The networks an exercise is graded on: every built-in preset it fits (its initial
weights, its training data) and random networks of several shapes, drawn from a fixed seed
so that a grade can be repeated."""

from __future__ import annotations

import numpy as np

from ..engine import Network
from ..presets import builtin_presets
from .expected import GradingCase, fits

SEED = 27
RANDOM_SHAPES = {
    "twice": ((1, 1), (1, 1), (1, 1)),
    "neuron": ((2, 1), (2, 1), (2, 1)),
    "chain": ((1, 1, 1), (1, 1, 1), (1, 1, 1)),
    "fork": ((2, 3, 2), (3, 2, 4), (2, 2, 3)),
    "network": ((3, 4, 2), (2, 5, 3, 4), (4, 3, 3, 1, 2)),
}
"""The random networks' layer sizes, per exercise."""
RANDOM_ROWS = (5, 7, 6)
"""Samples of the random networks' data, in turn."""


def preset_cases(exercise: str) -> list[GradingCase]:
    """Every built-in preset ``exercise`` fits: its initial network on its training data."""
    found = []
    for preset in builtin_presets():
        net = preset.build_network()
        if fits(exercise, net) is None:
            data = preset.load_data()
            found.append(GradingCase(preset.name, net, data.X_train, data.Y_train))
    return found


def random_cases(exercise: str, count: int | None = None) -> list[GradingCase]:
    """``count`` random networks for ``exercise`` (all of ``RANDOM_SHAPES`` by default):
    weights and biases from U(−1, 1), inputs from N(0, 1), targets from U(0, 1)."""
    shapes = RANDOM_SHAPES[exercise][:count]
    rng = np.random.default_rng(SEED)
    found = []
    for number, sizes in enumerate(shapes):
        if exercise == "twice":
            net = Network(sizes, "linear", "linear", bias=False, init="uniform", seed=number)
            net.weights[0] *= 3.0
        else:
            net = Network(sizes, init="uniform", seed=number)
        rows = RANDOM_ROWS[number % len(RANDOM_ROWS)]
        X = rng.normal(size=(rows, sizes[0]))
        Y = (2.0 * X + rng.normal(scale=0.3, size=X.shape) if exercise == "twice"
             else rng.uniform(size=(rows, sizes[-1])))
        name = f"random {'-'.join(map(str, sizes))}, n={rows}"
        found.append(GradingCase(name, net, X, Y))
    return found
