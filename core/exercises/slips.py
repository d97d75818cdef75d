"""The known slips of a backprop derivation, as the code exercises find them: how each one
changes a true result.

One list with the lessons' formula questions (``core.explain.formula.slips``): a slip both
graders know keeps its key, title and advice there; the three only code makes (the
transpose, the bias gradient not summed, the wrong axis) are added here. The code exercises
test each slip's transformation of the engine's true value against the learner's.
"""

from __future__ import annotations

import numpy as np

from ..explain.formula.slips import SLIPS as FORMULA_SLIPS
from ..explain.formula.slips import Slip

_CODE_SLIPS = {slip.key: slip for slip in (
    Slip("transpose", "the transpose",
         "a matrix is used the wrong way round: check which side each factor goes on, and "
         "where ᵀ belongs (a(l−1)ᵀ Δ(l), Δ(l+1) w(l+1)ᵀ)"),
    Slip("bias_not_summed", "the bias gradient not summed over samples",
         "∂C/∂b is one number per bias: add up the rows' contributions (1.3.7, 1.5.5), "
         "do not return one per sample"),
    Slip("wrong_axis", "summed over the wrong axis",
         "the sum runs over the neurons instead of the samples: sum over axis 0, the rows"),
)}
SLIPS: dict[str, Slip] = {key: FORMULA_SLIPS.get(key) or _CODE_SLIPS[key] for key in (
    "sigma_prime", "transpose", "one_over_n", "factor_two", "sign", "bias_not_summed",
    "wrong_axis", "x_for_a")}
"""The slips the code exercises diagnose, in the order a report lists them."""

MATCH = 1e-6
"""How close (relative) a learner's value must be to a slip's result to be explained by it."""


def matches(theirs: np.ndarray, candidate: np.ndarray) -> bool:
    """Whether ``theirs`` is ``candidate`` (same shape once length-1 axes are dropped, every
    entry within ``MATCH`` relative, with a floor of 1e-12)."""
    if theirs.size != candidate.size or np.squeeze(theirs).shape != np.squeeze(candidate).shape:
        return False
    a, b = np.squeeze(theirs), np.squeeze(candidate)
    if not np.all(np.isfinite(a)) or not np.all(np.isfinite(b)):
        return False
    if np.array_equal(b, np.zeros_like(b)):
        return False                     # a slip that leaves nothing explains nothing
    scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
    return bool(np.all(np.abs(a - b) <= MATCH * scale))


def scaled(true: np.ndarray, n: int, halved: bool = True) -> dict[str, list[np.ndarray]]:
    """The slips that scale a result: the 1/n missing or taken twice, the 2 missing (if
    ``halved``), the sign."""
    found = {"one_over_n": [true * n, true / n], "sign": [-true]}
    if halved:
        found["factor_two"] = [true / 2]
    return found


def weight_gradient(true: np.ndarray, delta: np.ndarray, below: np.ndarray,
                    slope: np.ndarray | None, inputs: np.ndarray | None = None,
                    matrix: bool = True) -> dict[str, list[np.ndarray]]:
    """The slips of the true dC/dw(l) = a(l−1)ᵀ Δ(l), given the true Δ(l) (n × m), the
    layer below a(l−1) (``below``, n × k) and σ'(z(l)) (``slope``; None where σ is linear).
    ``inputs``: x, where using it for a(l−1) is a slip; ``matrix``: the result is a matrix
    (it can be transposed) rather than a number."""
    found = scaled(true, delta.shape[0])
    if slope is not None:
        found["sigma_prime"] = [below.T @ (delta / slope)]
    if matrix:
        found["transpose"] = [true.T]
    if inputs is not None:
        found["x_for_a"] = [inputs.T @ delta]
    return found


def bias_gradient(true: np.ndarray, delta: np.ndarray, slope: np.ndarray | None,
                  matrix: bool = True) -> dict[str, list[np.ndarray]]:
    """The slips of the true dC/db(l) = Σ_i Δ_i(l), given the true Δ(l) (n × m) and
    σ'(z(l))."""
    found = scaled(true, delta.shape[0])
    found["bias_not_summed"] = [delta]
    if slope is not None:
        found["sigma_prime"] = [(delta / slope).sum(axis=0)]
    if matrix:
        found["wrong_axis"] = [delta.sum(axis=1)]
    return found


def error_signal(delta: np.ndarray, slope: np.ndarray, upstream: np.ndarray | None = None,
                 weights: np.ndarray | None = None) -> dict[str, list[np.ndarray]]:
    """The slips of Δ(l) = ∂C/∂Z(l), from the true Δ(l), σ'(z(l)), and for a hidden layer
    the true Δ(l+1) (``upstream``) and w(l+1)."""
    found = scaled(delta, delta.shape[0])
    found["sigma_prime"] = [delta / slope]
    if upstream is not None and weights is not None and weights.shape[0] == weights.shape[1]:
        found["transpose"] = [(upstream @ weights) * slope]
    return found


def pre_activation(below: np.ndarray, weights: np.ndarray,
                   biases: np.ndarray) -> dict[str, list[np.ndarray]]:
    """The slips of Z(l) = A(l−1) w(l) + b(l): w(l) used the wrong way round (which only
    runs when w(l) is square)."""
    if weights.shape[0] != weights.shape[1]:
        return {}
    return {"transpose": [below @ weights.T + biases]}


def diagnose(theirs: np.ndarray, candidates: dict[str, list[np.ndarray]]) -> set[str]:
    """The keys of the slips whose result ``theirs`` is."""
    return {key for key, results in candidates.items()
            if any(matches(theirs, result) for result in results)}
