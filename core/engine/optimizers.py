"""Update rules w <- w - eta * step: plain gradient descent (the notes), momentum and Adam.

Each optimizer updates the parameter arrays in place and keeps its own state (velocities,
moments, step count) as arrays, so a session can be saved and resumed bit for bit. The
learning rate eta is an argument of every step, so it may change between any two steps.
"""

from __future__ import annotations

import math

import numpy as np

from ..checks import is_number
from ..text import quoted

LEARNING_RATE_RULE = "a finite number > 0"
"""What a learning rate eta must be, as error messages say it."""


def check_learning_rate(value) -> float:
    """``value`` as a learning rate eta (a float), if it is a finite number > 0; else
    ``ValueError("learning_rate: expected a finite number > 0, got ...")``."""
    if not is_number(value) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"learning_rate: expected {LEARNING_RATE_RULE}, got {value!r}")
    return float(value)


def parse_learning_rate(text: str) -> float:
    """The learning rate typed as ``text`` (such as ``"0.03"``), checked as
    ``check_learning_rate`` checks a number."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"learning_rate: expected {LEARNING_RATE_RULE}, "
                         f"got {quoted(text.strip())}") from None
    return check_learning_rate(value)


class Optimizer:
    """Updates a fixed list of parameter arrays in place from their gradients; ``name`` is
    its key, ``title`` its name for people, ``rule`` its update rule in the notes' symbols."""

    name = ""
    title = ""
    rule = ""

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], learning_rate: float) -> None:
        """Apply one update to ``params`` (in place) from ``grads``."""
        raise NotImplementedError

    def state(self) -> dict[str, np.ndarray]:
        """The optimizer's internal state as named arrays (empty for plain descent)."""
        return {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore what ``state()`` returned."""


class GradientDescent(Optimizer):
    """w <- w - eta dC/dw, the notes' rule."""

    name = "gd"
    title = "gradient descent"
    rule = "w <- w - eta dC/dw, b <- b - eta dC/db"

    def step(self, params, grads, learning_rate):
        for p, g in zip(params, grads):
            p -= learning_rate * g


class Momentum(Optimizer):
    """v <- beta v + dC/dw; w <- w - eta v (heavy-ball momentum, beta = 0.9)."""

    name = "momentum"
    title = "momentum"
    rule = "v <- beta v + dC/dw, w <- w - eta v (and so for b)"

    def __init__(self, beta: float = 0.9) -> None:
        self.beta = beta
        self.velocities: list[np.ndarray] | None = None

    def step(self, params, grads, learning_rate):
        if self.velocities is None:
            self.velocities = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocities):
            v *= self.beta
            v += g
            p -= learning_rate * v

    def state(self):
        if self.velocities is None:
            return {}
        return {f"v{i}": v.copy() for i, v in enumerate(self.velocities)}

    def load_state(self, state):
        keys = sorted((k for k in state if k.startswith("v")), key=lambda k: int(k[1:]))
        self.velocities = [np.array(state[k], dtype=np.float64) for k in keys] or None


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias-corrected moments; beta1 0.9, beta2 0.999.

    Computed in the paper's efficient form, w <- w - eta_t m / (sqrt(v) + eps) with
    eta_t = eta sqrt(1 - beta2^t) / (1 - beta1^t): the same as ``rule`` with eps scaled by
    sqrt(1 - beta2^t) (PyTorch's Adam adds eps to sqrt(v_hat) instead).
    """

    name = "adam"
    title = "Adam"
    rule = "w <- w - eta m_hat / (sqrt(v_hat) + eps) (and so for b)"

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] | None = None

    def step(self, params, grads, learning_rate):
        if self.m is None or self.v is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        scale = learning_rate * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            p -= scale * m / (np.sqrt(v) + self.eps)

    def state(self):
        if self.m is None or self.v is None:
            return {"t": np.array(self.t)}
        arrays = {f"m{i}": m.copy() for i, m in enumerate(self.m)}
        arrays.update({f"v{i}": v.copy() for i, v in enumerate(self.v)})
        arrays["t"] = np.array(self.t)
        return arrays

    def load_state(self, state):
        self.t = int(state.get("t", 0))
        count = sum(1 for k in state if k.startswith("m"))
        if count == 0:
            self.m = self.v = None
            return
        self.m = [np.array(state[f"m{i}"], dtype=np.float64) for i in range(count)]
        self.v = [np.array(state[f"v{i}"], dtype=np.float64) for i in range(count)]


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (GradientDescent, Momentum, Adam)
}
"""The optimizers by name, in the order a learner meets them: gd, momentum, adam."""
OPTIMIZER_TITLES: dict[str, str] = {name: cls.title for name, cls in OPTIMIZERS.items()}
"""Each optimizer's name for people: "gradient descent", "momentum", "Adam"."""


def make_optimizer(name: str) -> Optimizer:
    """A fresh optimizer by name: ``gd``, ``momentum`` or ``adam`` (``sgd`` means ``gd``)."""
    key = "gd" if name == "sgd" else name
    if key not in OPTIMIZERS:
        names = ", ".join(repr(n) for n in OPTIMIZERS)
        raise ValueError(f"optimizer: expected one of {names}, got {name!r}")
    return OPTIMIZERS[key]()
