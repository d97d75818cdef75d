"""A whole batch through a network as matrices, with plain numpy, for sections 2.2-2.4.

Rows are samples: A(0) = X (n × inputs), Z(l) = A(l−1) W(l) + b(l) and A(l) = f(Z(l)) for
the layer's activation f; Δ(l) = ∂C/∂Z(l) is passed down by Δ(l) = (Δ(l+1) W(l+1)ᵀ) ⊙
f'(Z(l)). Δ carries the mean's 1/n (and the squared error's 2): Δ(l) = (2/n) δ(l) in lesson
1.7's terms. Activations: sigmoid, tanh, relu, linear, and softmax at the output; costs:
the notes' squared error and cross-entropy. The engine is not asked: tests compare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .live import sigmoid


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """f(z) for the activation ``name``, row by row for softmax."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        shifted = np.exp(z - z.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)
    return np.array(z, dtype=np.float64)


def slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f'(z) entry by entry, from z and a = f(z) (sigmoid a(1 − a), tanh 1 − a², relu 0
    or 1, linear 1)."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(np.float64)
    return np.ones_like(z)


SLOPE_TEXT = {"sigmoid": "a(1 − a)", "tanh": "1 − a²", "relu": "1 if z > 0 else 0",
              "linear": "1"}
"""f'(z) as each layer's worksheet writes it."""


@dataclass(frozen=True)
class MatrixPass:
    """One forward and backward pass: ``A[l]`` (A[0] = X), ``Z[l]`` (Z[0] unused), ``D[l]``
    = Δ(l) and the gradients ``dW[l]``, ``db[l]`` for l = 1..L (index 0 unused)."""

    A: list[np.ndarray]
    Z: list[np.ndarray]
    D: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]


def output_error(loss: str, output: str, A: np.ndarray, Z: np.ndarray,
                 Y: np.ndarray) -> np.ndarray:
    """Δ(L) = ∂C/∂Z(L): (2/n)(A − Y) ⊙ f'(Z) for the squared error, (A − Y)/n for
    cross-entropy on a sigmoid or softmax output (the slope cancels)."""
    n = A.shape[0]
    if loss == "cross_entropy":
        return (A - Y) / n
    return 2.0 / n * (A - Y) * slope(output, Z, A)


def matrix_pass(W, B, X, Y, activations: list[str], *, bias: bool = True,
                loss: str = "mse") -> MatrixPass:
    """The batch X, Y through the weights W[l−1], biases B[l−1] and ``activations`` (one a
    layer, the output's last), forward and back."""
    A, Z = [np.asarray(X, dtype=np.float64)], [np.zeros((0,))]
    for l, (w, b) in enumerate(zip(W, B), start=1):
        z = A[-1] @ w + (b if bias else 0.0)
        Z.append(z)
        A.append(activate(activations[l - 1], z))
    L = len(W)
    D: list[np.ndarray] = [np.zeros((0,))] * (L + 1)
    D[L] = output_error(loss, activations[-1], A[L], Z[L], np.asarray(Y, dtype=np.float64))
    for l in range(L - 1, 0, -1):
        D[l] = (D[l + 1] @ W[l].T) * slope(activations[l - 1], Z[l], A[l])
    dW = [np.zeros((0,))] + [A[l - 1].T @ D[l] for l in range(1, L + 1)]
    db = [np.zeros((0,))] + [D[l].sum(axis=0) for l in range(1, L + 1)]
    return MatrixPass(A, Z, D, dW, db)
