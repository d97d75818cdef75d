"""The live network a worksheet is computed from: private copies, the notes' forward pass.

``Live`` holds a copy of the network and its data and evaluates the notes' formulas with
plain numpy (σ(z) = 1 / (1 + e^-z), a(0) = x, a(l) = σ(a(l−1) w(l) + b(l))). The
engine's backprop and finite-difference referee are asked through the public API only
(``Network.gradients``, ``Network.loss``, ``core.numerical_gradients``), so a worksheet
shows the notes' arithmetic and its tests compare it with the engine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ...engine.finite_differences import numerical_gradients
from ...engine.network import Network
from .worksheet import ExplainError, Worksheet

FD_STEP = 1e-5
"""h of the central differences (C(w + h) − C(w − h)) / 2h for quantities other than C."""


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^-z) (1.2.2), as (1 + tanh(z/2)) / 2 so no exp overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


class Live:
    """A network and the rows its cost is taken over, copied, with the notes' forward pass.

    ``a[l]`` is a(l) for l = 0..L (a(0) = X), one row per sample; ``W[l-1]``, ``B[l-1]`` are
    w(l), b(l); ``dW``, ``dB`` the engine's exact gradients of C.
    """

    def __init__(self, net: Network, X, Y, *, preset: str = "", epoch: int = 0,
                 learning_rate: float | None = None) -> None:
        self.net = net.copy()
        self.X = np.array(X, dtype=np.float64).reshape(len(X), -1)
        self.Y = np.array(Y, dtype=np.float64).reshape(len(Y), -1)
        self.preset = preset
        self.epoch = int(epoch)
        self.learning_rate = None if learning_rate is None else float(learning_rate)
        self.W = [np.array(w, dtype=np.float64) for w in net.weights]
        self.B = [np.array(b, dtype=np.float64) for b in net.biases]
        self.L = len(self.W)
        self.n = self.X.shape[0]
        self.sizes = tuple(int(s) for s in net.sizes)
        self.bias = bool(net.bias)
        self.activations = [net.activation] * (self.L - 1) + [net.output_activation]
        if self.n == 0 or self.X.shape[1] != self.sizes[0] or self.Y.shape != (self.n,
                                                                                 self.sizes[-1]):
            raise ExplainError(f"data: expected rows of {self.sizes[0]} inputs and "
                               f"{self.sizes[-1]} targets, got shapes {self.X.shape} and "
                               f"{self.Y.shape}")
        arrays = [self.X, self.Y, *self.W, *self.B]
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise ExplainError("the network or its data is not finite (has training diverged?)")
        self.cost = float(self.net.loss(self.X, self.Y))
        self.dW, self.dB = self.net.gradients(self.X, self.Y)
        self._numerical: tuple[list[np.ndarray], list[np.ndarray]] | None = None

    # --- the notes' forward pass -----------------------------------------------------------

    @functools.cached_property
    def a(self) -> list[np.ndarray]:
        """[a(0), ..., a(L)] on the rows by 1.6.1 (sigmoid and linear layers only)."""
        return self.forward(0, self.X)

    def sigma(self, l: int, z: np.ndarray) -> np.ndarray:
        """Layer l's activation (l = 1..L) applied to z."""
        name = self.activations[l - 1]
        if name == "sigmoid":
            return sigmoid(z)
        if name == "linear":
            return np.asarray(z, dtype=np.float64).copy()
        raise ExplainError(f"layer {l}: activation {name!r} is not one the notes use")

    def z(self, l: int, a_prev: np.ndarray, w: np.ndarray | None = None,
          b: np.ndarray | None = None) -> np.ndarray:
        """a(l-1) w(l) + b(l) for layer l (b only where the model has biases)."""
        w = self.W[l - 1] if w is None else w
        z = a_prev @ w
        if self.bias:
            z = z + (self.B[l - 1] if b is None else b)
        return z

    def forward(self, start: int, a_start: np.ndarray) -> list[np.ndarray]:
        """[a(start), ..., a(L)] from a(start) by 1.6.1."""
        out = [np.asarray(a_start, dtype=np.float64)]
        for l in range(start + 1, self.L + 1):
            out.append(self.sigma(l, self.z(l, out[-1])))
        return out

    def cost_from(self, start: int, a_start: np.ndarray) -> float:
        """C = (1/n) sum of (a_i(L) − y_i)² with the network run on from a(start)."""
        diff = self.forward(start, a_start)[-1] - self.Y
        return float(np.sum(diff * diff)) / self.n

    def slope(self, l: int) -> np.ndarray:
        """σ'(z(l)) = a(l)(1 − a(l)) for a sigmoid layer (1.2.3)."""
        a = self.a[l]
        return a * (1.0 - a)

    # --- the referee -----------------------------------------------------------------------

    @staticmethod
    def central(f: Callable[[float], np.ndarray], h: float = FD_STEP) -> np.ndarray:
        """(f(h) − f(−h)) / 2h: the central difference of f at displacement 0."""
        return (np.asarray(f(h)) - np.asarray(f(-h))) / (2.0 * h)

    def numerical(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The engine's finite-difference estimates of (dC/dW, dC/db) (computed once)."""
        if self._numerical is None:
            self._numerical = numerical_gradients(self.net, self.X, self.Y)
        return self._numerical

    def parameters_json(self) -> dict[str, list]:
        """``{"w(1)": [[...]], "b(1)": [...], ...}``: biases only where the model has them."""
        out: dict[str, list] = {}
        for l in range(1, self.L + 1):
            out[f"w({l})"] = self.W[l - 1].tolist()
            if self.bias:
                out[f"b({l})"] = self.B[l - 1].tolist()
        return out

    def worksheet(self, section: str, title: str, **parts) -> Worksheet:
        """Section ``section``'s worksheet on this network and its rows; ``parts`` are the
        section's own fields (``notation``, ``equations``, ``named``, ...)."""
        return Worksheet(
            section=section, title=title, preset=self.preset, epoch=self.epoch,
            learning_rate=self.learning_rate, sizes=self.sizes,
            parameters=self.parameters_json(), inputs=self.X.tolist(), targets=self.Y.tolist(),
            **parts)

    # --- fitting a section -----------------------------------------------------------------

    def refuse(self, section: str, reason: str) -> ExplainError:
        """The one-line error of a section that does not fit this network."""
        shape = "-".join(map(str, self.sizes))
        return ExplainError(f"section {section} does not fit preset {self.preset or '?'} "
                            f"({shape}): {reason}")

    def require(self, section: str, *, sizes: tuple[int, ...] | None = None,
                n_layers: int | None = None, outputs: int | None = None,
                sigmoid_only: bool = False, bias: bool | None = None,
                notes_cost: bool = True, max_parameters: int | None = None,
                what: str = "") -> None:
        """Raise ExplainError unless the network has the shape the section's notation needs
        (and, with ``max_parameters``, no more parameters than a worksheet can show)."""
        if sizes is not None and self.sizes != sizes:
            raise self.refuse(section, f"it needs {what or '-'.join(map(str, sizes))}")
        if n_layers is not None and n_layers != self.L:
            raise self.refuse(section, f"it needs {what or f'{n_layers} weight layer(s)'}")
        if outputs is not None and self.sizes[-1] != outputs:
            raise self.refuse(section, f"it needs {outputs} output (the notes' y_i is one "
                                       f"number)")
        if sigmoid_only and any(name != "sigmoid" for name in self.activations):
            raise self.refuse(section, "its formulas use the sigmoid's a(1 − a); this model "
                                       f"uses {'/'.join(sorted(set(self.activations)))}")
        if bias is True and not self.bias:
            raise self.refuse(section, "the notes' b needs a model with biases")
        if bias is False and self.bias:
            raise self.refuse(section, "the notes' model here has no bias")
        count = sum(w.size + (b.size if self.bias else 0) for w, b in zip(self.W, self.B))
        if max_parameters is not None and count > max_parameters:
            raise self.refuse(section, f"it shows every weight, for at most {max_parameters} "
                                       f"parameters; this network has {count}")
        if notes_cost:
            if self.net.loss_name != "mse":
                raise self.refuse(section, f"the notes' cost is the mean squared error, not "
                                           f"{self.net.loss_name}")
            if self.net.penalty is not None and self.net.penalty_rate > 0:
                raise self.refuse(section, f"the notes' cost has no {self.net.penalty} "
                                           f"penalty")
