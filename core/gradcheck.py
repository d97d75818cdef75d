"""The finite-difference referee: central differences (eq. 1.0.1, taken symmetrically).

    dC/dw ~ (C(w + eps) - C(w - eps)) / (2 eps)

Slow (two forward passes per parameter) and only approximate, but independent of backprop,
so it checks the engine's gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network


def numerical_gradients(net: Network, X, Y, eps: float = 1e-6) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central finite-difference estimates of (dC/dW, dC/db), shaped like the parameters.

    The network is left exactly as it was. Biases of a network without bias get zeros.
    """
    def estimate(array: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(array)
        flat, out = array.reshape(-1), grad.reshape(-1)
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            up = net.loss(X, Y)
            flat[i] = original - eps
            down = net.loss(X, Y)
            flat[i] = original
            out[i] = (up - down) / (2.0 * eps)
        return grad

    grad_w = [estimate(w) for w in net.weights]
    grad_b = [estimate(b) if net.bias else np.zeros_like(b) for b in net.biases]
    return grad_w, grad_b


def relative_error(exact: np.ndarray, estimate: np.ndarray) -> float:
    """The largest |exact - estimate| / max(|exact| + |estimate|, 1e-8) over the entries."""
    if exact.size == 0:
        return 0.0
    scale = np.maximum(np.abs(exact) + np.abs(estimate), 1e-8)
    return float(np.max(np.abs(exact - estimate) / scale))


@dataclass(frozen=True)
class LayerCheck:
    """The gradient check of one weight layer: its largest relative errors."""

    layer: int
    weight_error: float
    bias_error: float

    @property
    def error(self) -> float:
        """The larger of the weight and bias errors."""
        return max(self.weight_error, self.bias_error)


def gradient_check(net: Network, X, Y, eps: float = 1e-6) -> list[LayerCheck]:
    """Per layer, the largest relative error between backprop and finite differences."""
    grad_w, grad_b = net.gradients(X, Y)
    num_w, num_b = numerical_gradients(net, X, Y, eps)
    return [
        LayerCheck(layer, relative_error(gw, nw), relative_error(gb, nb))
        for layer, (gw, gb, nw, nb) in enumerate(zip(grad_w, grad_b, num_w, num_b))
    ]
