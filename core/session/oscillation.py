"""Noticing a training loss that has stopped falling and swings instead.

A learning rate a little too high for the valley training has reached makes each step jump
across it: the loss bounces up and down around a level it no longer gets below, without
growing enough to count as a divergence (xor at learning rate 50 bounces between 0.18 and
0.24 for good). The loss oscillates when, over the last ``WINDOW`` epochs, it set no new low,
turned between rising and falling at least ``TURNS`` times, and spanned at least ``SWING`` of
its mean. A loss that has settled (its range a rounding error) or one that creeps down
slowly does neither.
"""

from __future__ import annotations

import math

import numpy as np

WINDOW = 50
"""The epochs looked at: the latest this many of the loss history."""
TURNS = 12
"""The fewest turns (a rise after a fall or a fall after a rise) in the window."""
SWING = 0.1
"""The smallest range of the window's loss, as a fraction of its mean."""


def oscillating(losses: np.ndarray) -> bool:
    """True if ``losses`` (the training loss, one value an epoch, oldest first) has set no
    new low over its last ``WINDOW`` values while swinging up and down."""
    if len(losses) <= WINDOW:
        return False
    window, before = losses[-WINDOW:], losses[:-WINDOW]
    if not (np.isfinite(window).all() and window.min() >= before.min()):
        return False
    steps = np.diff(window)
    turns = np.count_nonzero(steps[1:] * steps[:-1] < 0)
    return bool(turns >= TURNS and window.max() - window.min() >= SWING * window.mean())


def calmer_learning_rate(learning_rate: float) -> float:
    """A learning rate to suggest for an oscillating loss: the largest of 1 or 3 times a
    power of ten that is at most a third of ``learning_rate``."""
    third = learning_rate / 3
    exponent = math.floor(math.log10(third))
    mantissa = 3 if 3 * 10.0 ** exponent <= third * (1 + 1e-9) else 1
    return float(f"{mantissa}e{exponent}")
