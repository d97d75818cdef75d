"""The networks the notes' sections work on, and the names each gives its quantities.

A ``Model`` is a network shape (``twice`` 1-1 linear, the single neuron of 1.2 and of 1.3,
the ``chain`` 1-1-1 and ``xor`` 2-2-1, all sigmoid with biases but ``twice``) with the
canonical names of its section, their spellings, and a function that binds every name on a
``Worked`` state: the state run forward, with the engine's own gradients row by row (the
referee a formula question's truth is taken from).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ...engine.network import Network
from .names import Vocabulary, layered, row_name
from .state import NetworkState
from .tree import Value, sigmoid


class Worked:
    """A state run forward by 1.6.1 (``a[0]`` = X, then a(l) = σ(a(l−1) w(l) + b(l)), or
    the identity for a linear model), with the engine's gradients of each row's cost
    C_i = (a_i(L) − y_i)² on demand."""

    def __init__(self, state: NetworkState, *, sigmoid_layers: bool) -> None:
        self.state = state
        self.sigmoid_layers = sigmoid_layers
        self.a = [state.X]
        self.z: list[np.ndarray] = [state.X]
        for w, b in zip(state.weights, state.biases):
            z = self.a[-1] @ w + (b if state.bias else 0.0)
            self.z.append(z)
            self.a.append(sigmoid(z) if sigmoid_layers else z)

    @functools.cached_property
    def row_gradients(self) -> list[tuple[list[np.ndarray], list[np.ndarray]]]:
        """(dC_i/dW, dC_i/db) for each row i, from the engine (``Network.gradients`` on that
        row alone)."""
        state = self.state
        kind = "sigmoid" if self.sigmoid_layers else "linear"
        net = Network(state.sizes, activation=kind, output_activation=kind, loss="mse",
                      bias=state.bias, seed=0)
        for live, value in zip(net.weights + net.biases,
                               list(state.weights) + list(state.biases)):
            live[...] = value
        return [net.gradients(state.X[i:i + 1], state.Y[i:i + 1]) for i in range(state.n)]

    def weight_rows(self, layer: int, j: int, k: int) -> np.ndarray:
        """dC_i/dw(layer)[j,k] on every row (1-based indices)."""
        return np.array([dW[layer - 1][j - 1, k - 1] for dW, _ in self.row_gradients])

    def bias_rows(self, layer: int, k: int) -> np.ndarray:
        """dC_i/db(layer)[k] on every row (1-based indices)."""
        return np.array([dB[layer - 1][k - 1] for _, dB in self.row_gradients])

    def common(self) -> dict[str, Value]:
        """The names every section shares: n and η."""
        return {"n": float(self.state.n), "η": self.state.eta}


@dataclass(frozen=True)
class Model:
    """A network shape of the notes and the names its section uses: ``spellings`` maps
    each canonical name to the ways to write it, ``row_names`` are those that differ by
    row, ``bias`` whether it has biases, and ``bind`` gives every name's value on a worked state."""

    name: str
    sizes: tuple[int, ...]
    sigmoid_layers: bool
    bias: bool
    spellings: Mapping[str, tuple[str, ...]]
    row_names: frozenset[str]
    bind: Callable[[Worked], dict[str, Value]]

    def vocabulary(self, names: Iterable[str] | None = None,
                   functions: tuple[str, ...] | None = None) -> Vocabulary:
        """The vocabulary of ``names`` (default: all of the model's)."""
        whole = Vocabulary(self.spellings) if functions is None else \
            Vocabulary(self.spellings, functions)
        return whole if names is None else whole.only(names)

    def fits(self, state: NetworkState) -> str | None:
        """None if ``state`` has this model's shape, else why not (one line)."""
        if state.sizes != self.sizes or state.bias != self.bias:
            shape = "-".join(map(str, self.sizes))
            return (f"the question is asked on the {self.name} network ({shape}), not a "
                    f"{'-'.join(map(str, state.sizes))} one")
        return None

    def work(self, state: NetworkState) -> Worked:
        """``state`` run forward."""
        return Worked(state, sigmoid_layers=self.sigmoid_layers)


COMMON = {"n": ("n",), "η": ("η", "eta")}


def _twice(w: Worked) -> dict[str, Value]:
    s = w.state
    return {"x": s.X[:, 0], "y": s.Y[:, 0], "w": float(s.weights[0][0, 0]), **w.common()}


def _neuron_1_2(w: Worked) -> dict[str, Value]:
    s = w.state
    return {"x1": s.X[:, 0], "x2": s.X[:, 1], "w1": float(s.weights[0][0, 0]),
            "w2": float(s.weights[0][1, 0]), "b": float(s.biases[0][0]),
            "z": w.z[1][:, 0], "a": w.a[1][:, 0]}


def _neuron_1_3(w: Worked) -> dict[str, Value]:
    s = w.state
    return {"x": s.X[:, 0], "y": s.X[:, 1], "z": s.Y[:, 0], "a": w.a[1][:, 0],
            "w1": float(s.weights[0][0, 0]), "w2": float(s.weights[0][1, 0]),
            "b": float(s.biases[0][0]), **w.common()}


def _chain(w: Worked) -> dict[str, Value]:
    s = w.state
    out: dict[str, Value] = {"x": s.X[:, 0], "y": s.Y[:, 0], **w.common()}
    for l in (1, 2):
        out[f"a({l})"], out[f"z({l})"] = w.a[l][:, 0], w.z[l][:, 0]
        out[f"w({l})"], out[f"b({l})"] = float(s.weights[l - 1][0, 0]), float(s.biases[l - 1][0])
    return out


def _xor(w: Worked) -> dict[str, Value]:
    s = w.state
    out: dict[str, Value] = {"x1": s.X[:, 0], "x2": s.X[:, 1], "y": s.Y[:, 0],
                             "a(2)": w.a[2][:, 0], "z(2)": w.z[2][:, 0],
                             "b(2)": float(s.biases[1][0]), **w.common()}
    for k in (1, 2):
        out[f"a(1)[{k}]"], out[f"z(1)[{k}]"] = w.a[1][:, k - 1], w.z[1][:, k - 1]
        out[f"b(1)[{k}]"] = float(s.biases[0][k - 1])
        out[f"w(2)[{k},1]"] = float(s.weights[1][k - 1, 0])
        for j in (1, 2):
            out[f"w(1)[{j},{k}]"] = float(s.weights[0][j - 1, k - 1])
    return out


def _xor_spellings() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for j in (1, 2):
        out[f"x{j}"] = (f"x{j}", f"x[{j}]", f"x_i[{j}]", *layered("a", 0, entry=f"[{j}]"))
    out["y"] = row_name("y")
    for k in (1, 2):
        out[f"a(1)[{k}]"] = layered("a", 1, entry=f"[{k}]")
        out[f"z(1)[{k}]"] = layered("z", 1, entry=f"[{k}]")
    out["a(2)"] = layered("a", 2) + layered("a", 2, entry="[1]")
    out["z(2)"] = layered("z", 2) + layered("z", 2, entry="[1]")
    for j in (1, 2):
        for k in (1, 2):
            out[f"w(1)[{j},{k}]"] = layered("w", 1, row=False, entry=f"[{j},{k}]")
    for k in (1, 2):
        out[f"w(2)[{k},1]"] = layered("w", 2, row=False, entry=f"[{k},1]",
                                      short_entries=(f"[{k}]",))
        out[f"b(1)[{k}]"] = layered("b", 1, row=False, entry=f"[{k}]")
    out["b(2)"] = layered("b", 2, row=False) + layered("b", 2, row=False, entry="[1]")
    return {**out, **COMMON}


def _chain_spellings() -> dict[str, tuple[str, ...]]:
    out = {"x": row_name("x") + layered("a", 0), "y": row_name("y")}
    for l in (1, 2):
        out[f"a({l})"] = layered("a", l)
        out[f"z({l})"] = layered("z", l)
        out[f"w({l})"] = layered("w", l, row=False)
        out[f"b({l})"] = layered("b", l, row=False)
    return {**out, **COMMON}


TWICE = Model("twice", (1, 1), False, False,
              {"x": row_name("x"), "y": row_name("y"), "w": ("w",), **COMMON},
              frozenset({"x", "y"}), _twice)
NEURON_1_2 = Model("single-neuron", (2, 1), True, True,
                   {"x1": ("x1",), "x2": ("x2",), "w1": ("w1",), "w2": ("w2",), "b": ("b",),
                    "z": row_name("z"), "a": row_name("a")},
                   frozenset({"x1", "x2", "z", "a"}), _neuron_1_2)
NEURON_1_3 = Model("single-neuron", (2, 1), True, True,
                   {"x": row_name("x"), "y": row_name("y"), "z": row_name("z"),
                    "a": row_name("a"), "w1": ("w1",), "w2": ("w2",), "b": ("b",), **COMMON},
                   frozenset({"x", "y", "z", "a"}), _neuron_1_3)
CHAIN = Model("chain", (1, 1, 1), True, True, _chain_spellings(),
              frozenset({"x", "y", "a(1)", "a(2)", "z(1)", "z(2)"}), _chain)
XOR = Model("xor", (2, 2, 1), True, True, _xor_spellings(),
            frozenset({"x1", "x2", "y", "a(1)[1]", "a(1)[2]", "a(2)", "z(1)[1]", "z(1)[2]",
                       "z(2)"}), _xor)
