"""The network a formula is graded on: its parameters and rows, and random ones like it.

``NetworkState`` is one state of a network (weights, biases, input and target rows,
learning rate). ``random_states`` draws further states of the same shape from a fixed seed
(random weights, inputs, targets and number of rows), so an answer is checked beyond the
one state on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

RANDOM_STATES = 20
"""How many random states an answer is checked on, besides the live one."""
SEED = 2025
"""The random states' seed: the same states for every answer."""
ROWS = (2, 6)
"""A random state has between this many rows (inclusive)."""


@dataclass(frozen=True)
class NetworkState:
    """A network's weights ``(inputs, outputs)`` and biases per layer, its rows ``X``
    (n, inputs) and ``Y`` (n, outputs), whether it has biases, and η."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    X: np.ndarray
    Y: np.ndarray
    bias: bool = True
    eta: float = 0.1

    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer, inputs first."""
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))

    @property
    def n(self) -> int:
        """The number of rows."""
        return self.X.shape[0]

    @classmethod
    def from_plain(cls, document: Mapping[str, Any]) -> NetworkState:
        """A state from plain lists: ``{"parameters": {"w(1)": [[...]], "b(1)": [...]},
        "inputs": [[...]], "targets": [[...]], "eta": η}`` (the worksheet's live network;
        biases only where the model has them)."""
        parameters = document["parameters"]
        layers = sum(1 for name in parameters if name.startswith("w("))
        weights = tuple(np.array(parameters[f"w({l})"], dtype=np.float64)
                        for l in range(1, layers + 1))
        bias = "b(1)" in parameters
        biases = tuple(np.array(parameters[f"b({l})"], dtype=np.float64) if bias
                       else np.zeros(w.shape[1]) for l, w in enumerate(weights, start=1))
        X = np.array(document["inputs"], dtype=np.float64).reshape(len(document["inputs"]), -1)
        Y = np.array(document["targets"], dtype=np.float64).reshape(X.shape[0], -1)
        eta = document.get("eta")
        return cls(weights, biases, X, Y, bias, 0.1 if eta is None else float(eta))

    def randomized(self, rng: np.random.Generator, *, sigmoid: bool) -> NetworkState:
        """A random state of the same shape: weights and biases N(0, 1), inputs U(−2, 2),
        targets U(0, 1) for a sigmoid output (else N(0, 2)), 2-6 rows, η U(0.01, 1)."""
        n = int(rng.integers(ROWS[0], ROWS[1] + 1))
        weights = tuple(rng.normal(0.0, 1.0, w.shape) for w in self.weights)
        biases = tuple(rng.normal(0.0, 1.0, b.shape) if self.bias else np.zeros(b.shape)
                       for b in self.biases)
        X = rng.uniform(-2.0, 2.0, (n, self.X.shape[1]))
        Y = (rng.uniform(0.0, 1.0, (n, self.Y.shape[1])) if sigmoid
             else rng.normal(0.0, 2.0, (n, self.Y.shape[1])))
        return NetworkState(weights, biases, X, Y, self.bias, float(rng.uniform(0.01, 1.0)))


def random_states(state: NetworkState, *, sigmoid: bool,
                  count: int = RANDOM_STATES) -> list[NetworkState]:
    """``count`` random states shaped like ``state``, always the same ones (seed SEED)."""
    rng = np.random.default_rng(SEED)
    return [state.randomized(rng, sigmoid=sigmoid) for _ in range(count)]
