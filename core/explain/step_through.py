"""One batch of training taken apart: forward layer by layer, backward layer by layer, update.

Each ``advance`` computes one layer of the engine's own record of the pass
(``core.engine.network.Pass``), the record ``core.engine.training.train_batch`` makes at
once, so a batch stepped to the end leaves the parameters (and the optimizer's state)
bitwise equal to one ordinary step. Layers are counted as in the notes: a(0) = X, and layer
l = 1..L computes a(l) (1.6.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.network import Network, Pass
from ..engine.optimizers import Optimizer
from .equations import forward

PHASES = ("forward", "backward", "update", "done")


@dataclass(frozen=True)
class Step:
    """One phase of a stepped batch: ``phase`` (see PHASES), ``layer`` (1..L, None for the
    update and when done) and a one-line ``description`` of what it computes."""

    phase: str
    layer: int | None
    description: str


class BatchStepper:
    """A gradient step on one batch (X, Y), performed one phase per ``advance``.

    Phases, in order: forward 1..L, backward L..1, update, then done. ``phase``, ``layer``
    and ``description`` tell what the next ``advance`` does; ``last`` is the step just done.
    ``activations`` holds a(0..l) computed so far; ``grad_w``, ``grad_b`` and ``deltas``
    (∂_{z(l)} C) hold one entry per layer, None until computed; ``record`` is the
    engine's ``Pass`` they come from. The network must not change between steps except
    through this stepper.
    """

    def __init__(self, net: Network, optimizer: Optimizer, X, Y, learning_rate: float) -> None:
        self.net = net
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        Y = net.as_rows("Y", Y, net.sizes[-1])
        self.record = Pass(net, X, Y, keep_z=False)
        if Y.shape[0] != self.record.a[0].shape[0]:
            raise ValueError(f"Y: expected {self.record.a[0].shape[0]} rows to match X, "
                             f"got {Y.shape[0]}")
        self.cost: float | None = None
        self.last: Step | None = None
        self._phase = "forward"
        self._layer: int | None = 1

    @property
    def activations(self) -> list[np.ndarray]:
        """a(0..l) computed so far."""
        return self.record.a

    @property
    def deltas(self) -> list[np.ndarray | None]:
        """∂_{z(l)} C for l = 1..L (list index l - 1), None until computed."""
        return self.record.delta[1:]

    @property
    def grad_w(self) -> list[np.ndarray | None]:
        """∂_{w(l)} C for l = 1..L (list index l - 1), None until computed."""
        return self.record.dW[1:]

    @property
    def grad_b(self) -> list[np.ndarray | None]:
        """∂_{b(l)} C for l = 1..L (list index l - 1), None until computed."""
        return self.record.db[1:]

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
        """One line for the UI: the equation the next ``advance`` evaluates, in the notes'
        notation (``∂_{z(l)} C`` is the engine's dC/dz(l), the mean's 1/n included)."""
        net, l = self.net, self._layer
        if self._phase == "forward":
            activation = net.sigmas[l - 1].name
            number = "  (1.6.1)" if activation == "sigmoid" else ""
            return f"forward: {forward(l, activation, net.bias)}{number}"
        if self._phase == "backward":
            parts = []
            if l == net.n_layers:
                error = (f"2(a({l}) − y)/n ⊙ σ'(z({l}))" if net.loss_name == "mse"
                         else f"(a({l}) − y)/n")
                parts.append(f"∂_{{z({l})}} C = {error}")
            parts.append(f"∂_{{w({l})}} C = a({l - 1})ᵀ ∂_{{z({l})}} C")
            if net.bias:
                parts.append(f"∂_{{b({l})}} C = Σ_i ∂_{{z_i({l})}} C")
            if l > 1:
                parts.append(f"∂_{{z({l - 1})}} C = (∂_{{z({l})}} C w({l})ᵀ) ⊙ σ'(z({l - 1}))")
            return ("backward: " + ", ".join(parts)
                    + "  (the notes' 1.7.2-1.7.4, σ' included)")
        if self._phase == "update":
            rule = self.optimizer.rule
            return f"update: {rule}  ({self.optimizer.title}, eta = {self.learning_rate:g})"
        return "done: the batch's update is applied"

    def advance(self) -> Step:
        """Perform the next phase and return it (ValueError once done)."""
        step = Step(self._phase, self._layer, self.description)
        record = self.record
        if self._phase == "forward":
            record.forward_layer()
            self._layer = record.next_forward
            if self._layer is None:
                self.cost = record.cost()
                self._phase, self._layer = "backward", record.next_backward
        elif self._phase == "backward":
            record.backward_layer()
            self._layer = record.next_backward
            if self._layer is None:
                self._phase = "update"
        elif self._phase == "update":
            self.optimizer.step(self.net.weights + self.net.biases, self.grad_w + self.grad_b,
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
