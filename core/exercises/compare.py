"""How a learner's array is held against the engine's: the shape it must have, the
relative error of each entry and the tolerance it must be within, and the
finite-difference estimate of one gradient entry."""

from __future__ import annotations

import numpy as np

from ..engine import Network, numerical_gradients
from ..engine.finite_differences import GRADIENT_FLOOR

TOLERANCE = 1e-7
"""A value is right when its relative error is at most this."""


def same_shape(theirs: np.ndarray, expected: np.ndarray) -> bool:
    """Whether ``theirs`` has the shape of ``expected``: exactly, for a matrix (a
    transposed one would not update its weights); up to axes of length 1 for a number or
    a vector (a column of n values is the n values)."""
    if expected.ndim >= 2:
        return theirs.shape == expected.shape
    return theirs.size == expected.size and np.squeeze(theirs).shape == np.squeeze(expected).shape


def relative_errors(theirs: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """|theirs − expected| / (|theirs| + |expected|) entry by entry (the denominator at least
    the engine's gradient floor; inf where either is not finite)."""
    with np.errstate(all="ignore"):
        errors = np.abs(theirs - expected) / np.maximum(np.abs(theirs) + np.abs(expected),
                                                        GRADIENT_FLOOR)
    return np.where(np.isfinite(errors), errors, np.inf)


def estimate(net: Network, X: np.ndarray, Y: np.ndarray, index: int, flat: int) -> float:
    """The finite-difference estimate of dC/d(entry ``flat`` of ``net.parameters()[index]``)
    on data (X, Y)."""
    entries = [[flat] if i == index else [] for i in range(len(net.parameters()))]
    grad_w, grad_b = numerical_gradients(net, X, Y, entries=entries)
    return float((grad_w + grad_b)[index].reshape(-1)[flat])
