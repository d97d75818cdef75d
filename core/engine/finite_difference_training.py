"""Training as the notes start it: gradients by finite differences (1.0.1), not backprop.

Slow (several cost evaluations per parameter) but independent of backprop, so a run trained
this way shows what backprop buys: the same descent for far fewer cost evaluations.
"""

from __future__ import annotations

import numpy as np

from .finite_differences import numerical_gradients
from .network import Network
from .optimizers import Optimizer


def numeric_train_batch(net: Network, optimizer: Optimizer, X, Y,
                        learning_rate: float) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """One gradient step on a batch with the finite-difference referee's gradients; returns,
    like ``core.training.train_batch``, the cost before the step and the gradients it used."""
    cost = net.loss(X, Y)
    grad_w, grad_b = numerical_gradients(net, X, Y)
    optimizer.step(net.weights + net.biases, grad_w + grad_b, learning_rate)
    return cost, grad_w, grad_b
