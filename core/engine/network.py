"""A fully connected network in the notes' row-vector convention.

Forward (1.6.1): a(0) = x, a(l) = sigma(a(l-1) w(l) + b(l)), one row per sample, l = 1..L.
Backward: the true chain rule. With delta(l) = dC/dz(l) for z(l) = a(l-1) w(l) + b(l):

    dC/dw(l) = a(l-1)^T delta(l)          dC/db(l) = sum over samples of delta(l)
    delta(l-1) = (delta(l) w(l)^T) * sigma'(z(l-1))

The notes' general formulas differ: 1.5.12 and 1.7.2 drop the sigma' factor, and 1.7.2
writes x_i where a(l-1) is meant. Only for the first layer of the chain is a(0) = x.

A ``Pass`` records one forward and backward pass layer by layer (z, a, delta, dW, db); the
network's gradients, the chain-rule inspector and the step-through all come from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..checks import is_integer
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
            is_integer(s) and s > 0 for s in sizes
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
        self.sigmas = ([ACTIVATIONS[activation]] * (len(sizes) - 2)
                       + [ACTIVATIONS[output_activation]])
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

    def as_rows(self, name: str, array, width: int) -> np.ndarray:
        """``array`` as float64 rows of ``width`` values (itself when it is one already);
        a ValueError naming ``name`` and the shape otherwise."""
        if type(array) is np.ndarray and array.dtype == np.float64 and array.ndim == 2 \
                and array.shape[1] == width:
            return array
        array = np.asarray(array, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != width:
            raise ValueError(f"{name}: expected an array of shape (n, {width}), "
                             f"got shape {array.shape}")
        return array

    def pre_activation(self, l: int, a_prev: np.ndarray) -> np.ndarray:
        """z(l) = a(l-1) w(l) + b(l) (1.6.1) for layer l = 1..L, a new array."""
        z = np.dot(a_prev, self.weights[l - 1])
        if self.bias:
            z += self.biases[l - 1]
        return z

    def penalty_gradient(self, w):
        """The l1/l2 penalty's share of dC/dw at weights ``w`` (0 without a penalty)."""
        if self.penalty == "l2":
            return (2.0 * self.penalty_rate) * w
        if self.penalty == "l1":
            return self.penalty_rate * np.sign(w)
        return 0.0

    def forward_layers(self, X) -> list[np.ndarray]:
        """Every layer's activations a(0) = X, a(1), ..., a(L), each of shape (n, size)."""
        a = [self.as_rows("X", X, self.sizes[0])]
        _forward(self, a, None, self.n_layers)
        return a

    def forward(self, X) -> np.ndarray:
        """The outputs a(L), shape (n, sizes[-1]), for inputs X of shape (n, sizes[0])."""
        return self.forward_layers(X)[-1]

    def _penalty_cost(self) -> float:
        if self.penalty is None or self.penalty_rate == 0.0:
            return 0.0
        if self.penalty == "l1":
            return self.penalty_rate * sum(float(np.abs(w).sum()) for w in self.weights)
        return self.penalty_rate * sum(float(np.vdot(w, w)) for w in self.weights)

    def cost_of(self, activations: list[np.ndarray], Y,
                z_out: np.ndarray | None = None) -> float:
        """C for a forward pass already made (``forward_layers``), penalty included;
        ``z_out`` is z(L) if it was kept."""
        Y = self.as_rows("Y", Y, self.sizes[-1])
        if z_out is None:
            z_out = self.pre_activation(self.n_layers, activations[-2])
        return (self.cost_function.cost(z_out, activations[-1], Y, self.sigmas[-1])
                + self._penalty_cost())

    def loss(self, X, Y) -> float:
        """The cost C of the network on inputs X and targets Y (penalty included)."""
        return self.cost_of(self.forward_layers(X), Y)

    def output_delta(self, a_out: np.ndarray, Y) -> np.ndarray:
        """delta(L) = dC/dz(L) at the output layer for outputs ``a_out`` and targets ``Y``."""
        Y = self.as_rows("Y", Y, self.sizes[-1])
        if Y.shape[0] != a_out.shape[0]:
            raise ValueError(f"Y: expected {a_out.shape[0]} rows to match X, got {Y.shape[0]}")
        return self.cost_function.output_delta(a_out, Y, self.sigmas[-1])

    def backward(self, activations: list[np.ndarray],
                 Y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradients (dW, db) by backprop from a forward pass already made (``forward_layers``)."""
        size = len(self.weights) + 1
        grad_w, grad_b = [None] * size, [None] * size
        _backward(self, activations, Y, [None] * size, grad_w, grad_b, size - 1, 1)
        return grad_w[1:], grad_b[1:]

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


class Pass:
    """One forward and backward pass of a network over a batch (X, Y), recorded as in the
    notes: ``a[0]`` = X and, for each layer l = 1..L,

        z[l] = a[l-1] w(l) + b(l),   a[l] = sigma(z[l])                          (1.6.1)
        delta[l] = dC/dz(l)  (at l = L from the loss; below it
                   delta[l] = (delta[l+1] w(l+1)^T) * sigma'(z[l]))
        dW[l] = a[l-1]^T delta[l] (+ the penalty's share),   db[l] = sum over samples of delta[l]

    The lists are indexed by l, so entry 0 of ``z``, ``delta``, ``dW`` and ``db`` is None.
    ``forward_layer`` and ``backward_layer`` compute one layer each (forward 1..L, then
    backward L..1); ``forward`` and ``backward`` compute the rest. Without ``keep_z`` the
    z(l) are not kept (sigma overwrites them), which is what training does.
    """

    __slots__ = ("L", "Y", "a", "dW", "db", "delta", "keep_z", "net", "z")

    def __init__(self, net: Network, X, Y=None, keep_z: bool = True) -> None:
        self.L = n_layers = len(net.weights)
        self.net = net
        self.Y = Y
        self.keep_z = keep_z
        self.a: list[np.ndarray] = [net.as_rows("X", X, net.sizes[0])]
        self.z: list[np.ndarray | None] = [None] * (n_layers + 1)
        self.delta: list[np.ndarray | None] = [None] * (n_layers + 1)
        self.dW: list[np.ndarray | None] = [None] * (n_layers + 1)
        self.db: list[np.ndarray | None] = [None] * (n_layers + 1)

    @property
    def next_forward(self) -> int | None:
        """The layer ``forward_layer`` computes next; None once a(L) is known."""
        l = len(self.a)
        return l if l <= self.L else None

    @property
    def next_backward(self) -> int | None:
        """The layer ``backward_layer`` computes next; None once dC/dw(1) is known."""
        l = self.L
        while l and self.delta[l] is not None:
            l -= 1
        return l or None

    def forward_layer(self) -> int:
        """Compute z(l) and a(l) for the next layer l and return l."""
        l = len(self.a)
        if l > self.L:
            raise ValueError("forward_layer: every layer is computed already")
        self._forward_through(l)
        return l

    def forward(self) -> Pass:
        """Compute the layers still to come, up to a(L); returns this pass."""
        self._forward_through(self.L)
        return self

    def _forward_through(self, last: int) -> None:
        _forward(self.net, self.a, self.z if self.keep_z else None, last)

    def cost(self) -> float:
        """C on the batch (penalty included), once the forward pass is complete."""
        if len(self.a) <= self.L:
            raise ValueError("cost: the forward pass is not complete")
        return self.net.cost_of(self.a, self.Y, self.z[-1])

    def backward_layer(self) -> int:
        """Compute delta(l), dC/dw(l) and dC/db(l) for the next layer back l and return l."""
        l = self.next_backward
        if l is None:
            raise ValueError("backward_layer: every layer is computed already")
        self._backward_to(l)
        return l

    def backward(self) -> Pass:
        """Compute the layers still to go back through, down to dC/dw(1); returns this pass."""
        self._backward_to(1)
        return self

    def _backward_to(self, first: int) -> None:
        if len(self.a) <= self.L:
            raise ValueError("backward: the forward pass is not complete")
        start = self.next_backward
        if start is not None:
            _backward(self.net, self.a, self.Y, self.delta, self.dW, self.db, start, first)


def _forward(net: Network, a: list, z: list | None, last: int) -> None:
    """The forward pass (1.6.1) from the layer after a[-1] up to ``last``: appends a(l) to
    ``a`` and, if ``z`` is a list, keeps z(l) in it."""
    sigmas = net.sigmas
    for l in range(len(a), last + 1):
        z_l = net.pre_activation(l, a[-1])
        if z is not None:
            z[l] = z_l.copy()          # sigma overwrites z_l with a(l)
        a.append(sigmas[l - 1].apply(z_l))


def _backward(net: Network, a: list, Y, deltas: list, dW: list, db: list, start: int,
              first: int) -> None:
    """The backward pass from layer ``start`` down to ``first`` (delta(start + 1) is in
    ``deltas`` already): fills delta(l), dC/dw(l) and dC/db(l) into the lists at index l."""
    weights, sigmas, L = net.weights, net.sigmas, len(net.weights)
    penalty, bias = net.penalty is not None, net.bias
    for l in range(start, first - 1, -1):
        if l == L:
            delta = net.output_delta(a[L], Y)
        else:
            delta = sigmas[l - 1].scale_by_derivative(np.dot(deltas[l + 1], weights[l].T), a[l])
        deltas[l] = delta
        grad_w = np.dot(a[l - 1].T, delta)
        if penalty:
            grad_w += net.penalty_gradient(weights[l - 1])
        dW[l] = grad_w
        db[l] = np.add.reduce(delta, axis=0) if bias else np.zeros(delta.shape[1])
