"""The finite-difference referee: central differences (eq. 1.0.1, taken symmetrically).

    D(h) = (C(w + h) - C(w - h)) / (2h)            error O(h^2)
    dC/dw ~ (4 D(h) - D(2h)) / 3                   Richardson: error O(h^4)

Two central differences combined, so h can be large enough (``FINITE_DIFFERENCE_STEP``,
1e-3) that rounding stays near 1e-13 while the truncation error stays near 1e-12: precise
enough to referee backprop at 1e-6. Slow (four cost evaluations per parameter), but
independent of backprop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..constants import AGREEMENT_THRESHOLD, FINITE_DIFFERENCE_STEP
from .network import Network


class ComputationCancelled(Exception):
    """A long computation (a gradient check, a cost landscape) stopped because its
    ``cancelled`` callback said so."""


def numerical_gradients(net: Network, X, Y, eps: float = FINITE_DIFFERENCE_STEP,
                        entries: list | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Finite-difference estimates of (dC/dW, dC/db), shaped like the parameters.

    ``entries`` may name, per parameter array (weights, then biases), the flat indices to
    estimate; the others stay 0. The network is left exactly as it was. Biases of a network
    without bias get zeros. ``cancelled`` is asked before each parameter; once it answers
    True, ``ComputationCancelled`` is raised.
    """
    def central(flat: np.ndarray, i: int, h: float) -> float:
        original = flat[i]
        try:
            flat[i] = original + h
            up = net.loss(X, Y)
            flat[i] = original - h
            down = net.loss(X, Y)
        finally:
            flat[i] = original
        return (up - down) / (2.0 * h)

    def estimate(array: np.ndarray, indices) -> np.ndarray:
        grad = np.zeros_like(array)
        flat, out = array.reshape(-1), grad.reshape(-1)
        for i in range(flat.size) if indices is None else indices:
            if cancelled is not None and cancelled():
                raise ComputationCancelled
            out[i] = (4.0 * central(flat, i, eps) - central(flat, i, 2.0 * eps)) / 3.0
        return grad

    n_layers = len(net.weights)
    chosen = entries if entries is not None else [None] * (2 * n_layers)
    grad_w = [estimate(w, chosen[l]) for l, w in enumerate(net.weights)]
    grad_b = [estimate(b, chosen[n_layers + l]) if net.bias else np.zeros_like(b)
              for l, b in enumerate(net.biases)]
    return grad_w, grad_b


GRADIENT_FLOOR = 1e-4
"""Gradients smaller than this are compared against it, not against their own size."""


def relative_error(exact: np.ndarray, estimate: np.ndarray) -> float:
    """The largest |exact - estimate| / max(|exact| + |estimate|, 1e-4) over the entries.

    Central differences carry an absolute error near 1e-11 on costs of order 1, so gradients
    smaller than the 1e-4 floor are compared against the floor instead of their own size.
    """
    if exact.size == 0:
        return 0.0
    scale = np.maximum(np.abs(exact) + np.abs(estimate), GRADIENT_FLOOR)
    return float(np.max(np.abs(exact - estimate) / scale))


@dataclass(frozen=True)
class LayerCheck:
    """The gradient check of one weight layer: its largest relative errors (``layer`` is
    0-based: ``layer + 1`` is the notes' l)."""

    layer: int
    weight_error: float
    bias_error: float | None       # None for a network without biases

    @property
    def error(self) -> float:
        """The larger of the weight and bias errors (NaN if either is NaN, so that a check
        that produced NaN never agrees)."""
        errors = [self.weight_error] if self.bias_error is None else \
            [self.weight_error, self.bias_error]
        return float(np.max(errors))

    @property
    def agrees(self) -> bool:
        """Whether backprop and finite differences agree here (``AGREEMENT_THRESHOLD``)."""
        return self.error <= AGREEMENT_THRESHOLD


def gradient_check(net: Network, X, Y, eps: float = FINITE_DIFFERENCE_STEP,
                   per_array: int | None = None,
                   cancelled: Callable[[], bool] | None = None) -> list[LayerCheck]:
    """Per layer, the largest relative error between backprop and finite differences.

    With ``per_array``, arrays larger than that are checked on that many entries drawn
    (seeded) at random, so the check of a large network takes seconds, not hours.
    ``cancelled`` is asked before each parameter: once it answers True the check stops
    with ``ComputationCancelled`` (a check nobody waits for any more need not run to its end).
    """
    grad_w, grad_b = net.gradients(X, Y)
    entries = [None if per_array is None or p.size <= per_array
               else np.random.default_rng(i).choice(p.size, per_array, replace=False)
               for i, p in enumerate(net.weights + net.biases)]
    num_w, num_b = numerical_gradients(net, X, Y, eps, entries, cancelled)

    def error(exact: np.ndarray, estimate: np.ndarray, indices) -> float:
        if indices is None:
            return relative_error(exact, estimate)
        return relative_error(exact.reshape(-1)[indices], estimate.reshape(-1)[indices])

    n_layers = len(net.weights)
    return [
        LayerCheck(layer, error(grad_w[layer], num_w[layer], entries[layer]),
                   error(grad_b[layer], num_b[layer], entries[n_layers + layer])
                   if net.bias else None)
        for layer in range(n_layers)
    ]
