"""A fully connected network in the notes' row-vector convention.

Forward (1.6.1): a(0) = x, a(l) = sigma(a(l-1) w(l) + b(l)), one row per sample.
Backward: the true chain rule. With delta(l) = dC/dz(l) for z(l) = a(l-1) w(l) + b(l):

    dC/dw(l) = a(l-1)^T delta(l)          dC/db(l) = sum over samples of delta(l)
    delta(l-1) = (delta(l) w(l)^T) * sigma'(z(l-1))

The notes' general formulas differ: 1.5.12 and 1.7.2 drop the sigma' factor, and 1.7.2
writes x_i where a(l-1) is meant. Only for the first layer of the chain is a(0) = x.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from .losses import CROSS_ENTROPY_OUTPUTS, LOSSES

INITS = ("default", "uniform", "glorot", "he")
PENALTIES = (None, "l1", "l2")


def _choice(argument: str, value, allowed: Sequence) -> None:
    if value not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{argument}: expected one of {names}, got {value!r}")


class Network:
    """A multilayer perceptron: weights, biases, activations and the cost C it is trained on.

    ``weights[l]`` has shape ``(sizes[l], sizes[l+1])`` and ``biases[l]`` shape
    ``(sizes[l+1],)``; both are the live parameters, so updating them in place trains the
    network. ``penalty`` ("l1" or "l2") adds ``penalty_rate * sum |w|`` or
    ``penalty_rate * sum w^2`` over the weights to C and its gradient.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str = "sigmoid",
        loss: str = "mse",
        bias: bool = True,
        init: str = "default",
        seed: int | None = 0,
        penalty: str | None = None,
        penalty_rate: float = 0.0,
    ) -> None:
        sizes = list(sizes)
        if len(sizes) < 2 or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0 for s in sizes
        ):
            raise ValueError(f"sizes: expected at least two positive integers, got {sizes}")
        if activation == "softmax":
            raise ValueError("activation: softmax is for the output layer only "
                             "(output_activation='softmax')")
        _choice("activation", activation, HIDDEN_ACTIVATIONS)
        _choice("output_activation", output_activation, tuple(ACTIVATIONS))
        _choice("loss", loss, tuple(LOSSES))
        if output_activation == "softmax" and loss != "cross_entropy":
            raise ValueError(f"output_activation: softmax needs loss='cross_entropy', "
                             f"got loss={loss!r}")
        if loss == "cross_entropy" and output_activation not in CROSS_ENTROPY_OUTPUTS:
            raise ValueError(f"loss: cross_entropy needs output_activation 'sigmoid' or "
                             f"'softmax', got {output_activation!r}")
        if output_activation == "softmax" and sizes[-1] < 2:
            raise ValueError(f"output_activation: softmax needs at least 2 outputs, "
                             f"got {sizes[-1]}")
        _choice("init", init, INITS)
        _choice("penalty", penalty, PENALTIES)
        if not (np.isfinite(penalty_rate) and penalty_rate >= 0):
            raise ValueError(f"penalty_rate: expected a finite number >= 0, got {penalty_rate!r}")

        self.sizes = tuple(int(s) for s in sizes)
        self.activation = activation
        self.output_activation = output_activation
        self.loss_name = loss
        self.bias = bool(bias)
        self.init = init
        self.seed = seed
        self.penalty = penalty
        self.penalty_rate = float(penalty_rate)
        self.sigmas = [ACTIVATIONS[activation]] * (len(sizes) - 2) + [ACTIVATIONS[output_activation]]
        self.cost_function = LOSSES[loss]
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        self.initialize(seed)

    @property
    def n_layers(self) -> int:
        """The number of weight layers L (the input layer is not counted)."""
        return len(self.sizes) - 1

    def initialize(self, seed: int | None) -> None:
        """Draw new initial weights from ``seed`` (same seed, bitwise-identical weights).

        ``default`` is He for relu and Glorot otherwise; ``uniform`` draws weights and biases
        from U(-1, 1). Other initialisations start the biases at 0.
        """
        rng = np.random.default_rng(seed)
        self.seed = seed
        weights, biases = [], []
        for fan_in, fan_out, sigma in zip(self.sizes[:-1], self.sizes[1:], self.sigmas):
            init = self.init
            if init == "default":
                init = "he" if sigma.name == "relu" else "glorot"
            if init == "uniform":
                w = rng.uniform(-1.0, 1.0, (fan_in, fan_out))
                b = rng.uniform(-1.0, 1.0, fan_out) if self.bias else np.zeros(fan_out)
            elif init == "he":
                w = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))
                b = np.zeros(fan_out)
            else:
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                w = rng.uniform(-limit, limit, (fan_in, fan_out))
                b = np.zeros(fan_out)
            weights.append(w)
            biases.append(b)
        if self.weights:
            for live, new in zip(self.weights + self.biases, weights + biases):
                live[...] = new
        else:
            self.weights, self.biases = weights, biases

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays: all weights, then all biases."""
        return self.weights + self.biases

    def copy(self) -> Network:
        """An independent network with the same settings and parameter values."""
        other = Network.__new__(Network)
        other.__dict__.update(self.__dict__)
        other.weights = [w.copy() for w in self.weights]
        other.biases = [b.copy() for b in self.biases]
        return other

    def _check(self, name: str, array, width: int) -> np.ndarray:
        if type(array) is np.ndarray and array.dtype == np.float64 and array.ndim == 2 \
                and array.shape[1] == width:
            return array
        array = np.asarray(array, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != width:
            raise ValueError(f"{name}: expected an array of shape (n, {width}), "
                             f"got shape {array.shape}")
        return array

    def forward_layer(self, layer: int, a_prev: np.ndarray) -> np.ndarray:
        """a(l) = sigma(a(l-1) w(l) + b(l)) (1.6.1) for weight layer ``layer`` (0-based)."""
        z = np.dot(a_prev, self.weights[layer])
        if self.bias:
            z += self.biases[layer]
        return self.sigmas[layer].apply(z)

    def forward_layers(self, X) -> list[np.ndarray]:
        """Every layer's activations a(0) = X, a(1), ..., a(L), each of shape (n, size)."""
        a = self._check("X", X, self.sizes[0])
        activations = [a]
        bias = self.bias
        for w, b, sigma in zip(self.weights, self.biases, self.sigmas):
            z = np.dot(a, w)
            if bias:
                z += b
            a = sigma.apply(z)
            activations.append(a)
        return activations

    def forward(self, X) -> np.ndarray:
        """The outputs a(L), shape (n, sizes[-1]), for inputs X of shape (n, sizes[0])."""
        return self.forward_layers(X)[-1]

    def _penalty_cost(self) -> float:
        if self.penalty is None or self.penalty_rate == 0.0:
            return 0.0
        if self.penalty == "l1":
            return self.penalty_rate * sum(float(np.abs(w).sum()) for w in self.weights)
        return self.penalty_rate * sum(float(np.vdot(w, w)) for w in self.weights)

    def cost_of(self, activations: list[np.ndarray], Y) -> float:
        """C for a forward pass already made (``forward_layers``), penalty included."""
        Y = self._check("Y", Y, self.sizes[-1])
        a_prev, a_out = activations[-2], activations[-1]
        z = np.dot(a_prev, self.weights[-1])
        if self.bias:
            z += self.biases[-1]
        return self.cost_function.cost(z, a_out, Y, self.sigmas[-1]) + self._penalty_cost()

    def loss(self, X, Y) -> float:
        """The cost C of the network on inputs X and targets Y (penalty included)."""
        return self.cost_of(self.forward_layers(X), Y)

    def output_delta(self, a_out: np.ndarray, Y) -> np.ndarray:
        """delta(L) = dC/dz(L) at the output layer for outputs ``a_out`` and targets ``Y``."""
        Y = self._check("Y", Y, self.sizes[-1])
        if Y.shape[0] != a_out.shape[0]:
            raise ValueError(f"Y: expected {a_out.shape[0]} rows to match X, got {Y.shape[0]}")
        return self.cost_function.output_delta(a_out, Y, self.sigmas[-1])

    def backward_layer(
        self, layer: int, delta: np.ndarray, a_prev: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """One step back through weight layer ``layer``: (dC/dw(l), dC/db(l), delta(l-1)).

        ``delta`` is dC/dz(l) and ``a_prev`` is a(l-1); delta(l-1) is None for the first layer.
        """
        grad_w = np.dot(a_prev.T, delta)
        if self.penalty is not None:
            if self.penalty == "l2":
                grad_w += (2.0 * self.penalty_rate) * self.weights[layer]
            else:
                grad_w += self.penalty_rate * np.sign(self.weights[layer])
        grad_b = np.add.reduce(delta, axis=0) if self.bias else np.zeros(delta.shape[1])
        if layer == 0:
            return grad_w, grad_b, None
        delta_prev = np.dot(delta, self.weights[layer].T)
        return grad_w, grad_b, self.sigmas[layer - 1].scale_by_derivative(delta_prev, a_prev)

    def backward(self, activations: list[np.ndarray], Y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradients (dW, db) by backprop from a forward pass already made (``forward_layers``)."""
        delta = self.output_delta(activations[-1], Y)
        n_layers = len(self.weights)
        grad_w: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        grad_b: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        for layer in range(n_layers - 1, -1, -1):
            grad_w[layer], grad_b[layer], delta = self.backward_layer(
                layer, delta, activations[layer])
        return grad_w, grad_b

    def gradients(self, X, Y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The exact gradients (dC/dW, dC/db) of ``loss(X, Y)``, shaped like weights and biases."""
        return self.backward(self.forward_layers(X), Y)

    def loss_and_gradients(self, X, Y) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """C and its gradients from a single forward pass (C before any update)."""
        activations = self.forward_layers(X)
        grad_w, grad_b = self.backward(activations, Y)
        return self.cost_of(activations, Y), grad_w, grad_b

    def __repr__(self) -> str:
        shape = "-".join(str(s) for s in self.sizes)
        return (f"Network({shape}, {self.activation}/{self.output_activation}, "
                f"{self.loss_name}, bias={self.bias})")
