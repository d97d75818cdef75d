"""One epoch of training: mini-batches in a seeded order, a gradient step on each.

A step's gradients come from backprop (``train_batch``) or, as the notes start, from finite
differences (``numeric_train_batch``, eq. 1.0.1): slow, several cost evaluations per
parameter, but independent of backprop, so it shows what backprop buys.
"""

from __future__ import annotations

import numpy as np

from .finite_differences import numerical_gradients
from .network import Network
from .optimizers import Optimizer


def batch_slices(n: int, batch_size: int, seed: int, epoch: int) -> list[np.ndarray] | list[slice]:
    """The batches of epoch ``epoch`` as index arrays (a single full slice when batch_size is 0
    or covers the data). The order depends only on (seed, epoch), so runs are reproducible
    and can resume anywhere."""
    if batch_size <= 0 or batch_size >= n:
        return [slice(None)]
    order = np.random.default_rng((seed, epoch)).permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def train_batch(net: Network, optimizer: Optimizer, X: np.ndarray, Y: np.ndarray,
                learning_rate: float) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """One gradient step on a batch; returns the batch's cost before the step and the
    gradients (dW, db) that the step used."""
    cost, grad_w, grad_b = net.loss_and_gradients(X, Y)
    optimizer.step(net.weights + net.biases, grad_w + grad_b, learning_rate)
    return cost, grad_w, grad_b


def numeric_train_batch(net: Network, optimizer: Optimizer, X, Y,
                        learning_rate: float) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """One gradient step on a batch with the finite-difference referee's gradients; returns,
    like ``train_batch``, the cost before the step and the gradients it used."""
    cost = net.loss(X, Y)
    grad_w, grad_b = numerical_gradients(net, X, Y)
    optimizer.step(net.weights + net.biases, grad_w + grad_b, learning_rate)
    return cost, grad_w, grad_b


def train_epoch(net: Network, optimizer: Optimizer, X: np.ndarray, Y: np.ndarray,
                learning_rate: float, batch_size: int, seed: int, epoch: int) -> float:
    """Train one epoch over (X, Y); returns the mean batch cost during the epoch."""
    total = 0.0
    batches = batch_slices(X.shape[0], batch_size, seed, epoch)
    for index in batches:
        total += train_batch(net, optimizer, X[index], Y[index], learning_rate)[0]
    return total / len(batches)
