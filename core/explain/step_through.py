"""One batch of training taken apart: forward layer by layer, backward layer by layer, update.

Each ``advance`` makes the engine calls that ``core.training.train_batch`` makes, in the same
order and on the same arrays, so a batch stepped to the end leaves the parameters (and the
optimizer's state) bitwise equal to one ordinary step. Layers are counted as in the notes:
a(0) = X, and layer l = 1..L computes a(l) (1.6.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.network import Network
from ..engine.optimizers import Optimizer

PHASES = ("forward", "backward", "update", "done")

UPDATE_RULES = {
    "gd": "w <- w - eta dC/dw, b <- b - eta dC/db",
    "momentum": "v <- beta v + dC/dw, w <- w - eta v (and so for b)",
    "adam": "w <- w - eta m_hat / (sqrt(v_hat) + eps) (and so for b)",
}
"""The update rule of each optimizer, as the step-through mode describes it."""


@dataclass(frozen=True)
class Step:
    """One phase of a stepped batch: ``phase`` (see PHASES), ``layer`` (1..L, None for the
    update and when done) and a one-line ``description`` of what it computes."""

    phase: str
    layer: int | None
    description: str


def _as_rows(name: str, array, width: int) -> np.ndarray:
    array = np.asarray(array, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != width:
        raise ValueError(f"{name}: expected an array of shape (n, {width}), "
                         f"got shape {array.shape}")
    return array


class BatchStepper:
    """A gradient step on one batch (X, Y), performed one phase per ``advance``.

    Phases, in order: forward 1..L, backward L..1, update, then done. ``phase``, ``layer``
    and ``description`` tell what the next ``advance`` does; ``last`` is the step just done.
    ``activations`` holds a(0..l) computed so far; ``grad_w``, ``grad_b`` and ``deltas``
    (delta(l) = dC/dz(l)) hold one entry per layer, None until computed. The network must
    not change between steps except through this stepper.
    """

    def __init__(self, net: Network, optimizer: Optimizer, X, Y, learning_rate: float) -> None:
        self.net = net
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        X = _as_rows("X", X, net.sizes[0])
        self.Y = _as_rows("Y", Y, net.sizes[-1])
        if self.Y.shape[0] != X.shape[0]:
            raise ValueError(f"Y: expected {X.shape[0]} rows to match X, got {self.Y.shape[0]}")
        n_layers = net.n_layers
        self.activations: list[np.ndarray] = [X]
        self.deltas: list[np.ndarray | None] = [None] * n_layers
        self.grad_w: list[np.ndarray | None] = [None] * n_layers
        self.grad_b: list[np.ndarray | None] = [None] * n_layers
        self.cost: float | None = None
        self.last: Step | None = None
        self._phase = "forward"
        self._layer: int | None = 1
        self._delta: np.ndarray | None = None

    @property
    def phase(self) -> str:
        """The phase the next ``advance`` performs: forward, backward, update or done."""
        return self._phase

    @property
    def layer(self) -> int | None:
        """The layer (1..L) the next ``advance`` computes; None for the update and when done."""
        return self._layer

    @property
    def done(self) -> bool:
        """True once the update has been applied."""
        return self._phase == "done"

    @property
    def description(self) -> str:
        """One line for the UI: the equation the next ``advance`` evaluates."""
        net, l = self.net, self._layer
        if self._phase == "forward":
            sigma = "softmax" if net.sigmas[l - 1].name == "softmax" else "sigma"
            bias = f" + b({l})" if net.bias else ""
            return (f"forward: a({l}) = {sigma}(a({l - 1}) w({l}){bias})  "
                    f"(1.6.1, sigma = {net.sigmas[l - 1].name})")
        if self._phase == "backward":
            parts = []
            if l == net.n_layers:
                error = "2(a - y)/n sigma'(z)" if net.loss_name == "mse" else "(a - y)/n"
                parts.append(f"delta({l}) = {error}")
            parts.append(f"dC/dw({l}) = a({l - 1})^T delta({l})")
            if net.bias:
                parts.append(f"dC/db({l}) = sum_k delta({l})_k")
            if l > 1:
                parts.append(f"delta({l - 1}) = (delta({l}) w({l})^T) sigma'(z({l - 1}))")
            return "backward: " + ", ".join(parts) + "  (1.7.2-1.7.4, corrected)"
        if self._phase == "update":
            rule = UPDATE_RULES.get(self.optimizer.name, "every w and b moved against dC/dw")
            return f"update: {rule}  ({self.optimizer.title}, eta = {self.learning_rate:g})"
        return "done: the batch's update is applied"

    def advance(self) -> Step:
        """Perform the next phase and return it (ValueError once done)."""
        step = Step(self._phase, self._layer, self.description)
        net, L = self.net, self.net.n_layers
        if self._phase == "forward":
            self.activations.append(net.forward_layer(self._layer - 1, self.activations[-1]))
            if self._layer < L:
                self._layer += 1
            else:
                self.cost = net.cost_of(self.activations, self.Y)
                self._phase = "backward"
        elif self._phase == "backward":
            index = self._layer - 1
            if self._layer == L:
                self._delta = net.output_delta(self.activations[-1], self.Y)
            self.deltas[index] = self._delta
            self.grad_w[index], self.grad_b[index], self._delta = net.backward_layer(
                index, self._delta, self.activations[index])
            if self._layer > 1:
                self._layer -= 1
            else:
                self._phase, self._layer = "update", None
        elif self._phase == "update":
            self.optimizer.step(net.weights + net.biases, self.grad_w + self.grad_b,
                                self.learning_rate)
            self._phase = "done"
        else:
            raise ValueError("advance: the batch is done; start a new BatchStepper")
        self.last = step
        return step

    def run(self) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Perform every remaining phase; returns (cost, grad_w, grad_b) like ``train_batch``."""
        while not self.done:
            self.advance()
        return self.cost, self.grad_w, self.grad_b
