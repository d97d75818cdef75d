"""The networks of sections 2.1 and 2.4 (ours, beyond the notes) as formula models: ``fork``
(2-2-2, two outputs, so the targets are y[1] and y[2]) and ``deep-chain`` (six sigmoid
neurons in a row, named like the chain's: a(1) ... a(6), w(1) ... w(6))."""

from __future__ import annotations

from .models import COMMON, Model, Worked
from .names import layered, row_name
from .tree import Value

DEPTH = 6
"""Neurons in the deep chain."""


def _fork(w: Worked) -> dict[str, Value]:
    s = w.state
    out: dict[str, Value] = {"x1": s.X[:, 0], "x2": s.X[:, 1], **w.common()}
    for k in (1, 2):
        out[f"y[{k}]"] = s.Y[:, k - 1]
        for l in (1, 2):
            out[f"a({l})[{k}]"], out[f"z({l})[{k}]"] = w.a[l][:, k - 1], w.z[l][:, k - 1]
            out[f"b({l})[{k}]"] = float(s.biases[l - 1][k - 1])
            for j in (1, 2):
                out[f"w({l})[{j},{k}]"] = float(s.weights[l - 1][j - 1, k - 1])
    return out


def _fork_spellings() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for j in (1, 2):
        out[f"x{j}"] = (f"x{j}", f"x[{j}]", f"x_i[{j}]", *layered("a", 0, entry=f"[{j}]"))
    for k in (1, 2):
        out[f"y[{k}]"] = (f"y[{k}]", f"y_i[{k}]", f"y{k}")
    for l in (1, 2):
        for k in (1, 2):
            out[f"a({l})[{k}]"] = layered("a", l, entry=f"[{k}]")
            out[f"z({l})[{k}]"] = layered("z", l, entry=f"[{k}]")
            out[f"b({l})[{k}]"] = layered("b", l, row=False, entry=f"[{k}]")
            for j in (1, 2):
                out[f"w({l})[{j},{k}]"] = layered("w", l, row=False, entry=f"[{j},{k}]")
    return {**out, **COMMON}


def _deep(w: Worked) -> dict[str, Value]:
    s = w.state
    out: dict[str, Value] = {"x": s.X[:, 0], "y": s.Y[:, 0], **w.common()}
    for l in range(1, DEPTH + 1):
        out[f"a({l})"], out[f"z({l})"] = w.a[l][:, 0], w.z[l][:, 0]
        out[f"w({l})"], out[f"b({l})"] = float(s.weights[l - 1][0, 0]), float(s.biases[l - 1][0])
    return out


def _deep_spellings() -> dict[str, tuple[str, ...]]:
    out = {"x": row_name("x") + layered("a", 0), "y": row_name("y")}
    for l in range(1, DEPTH + 1):
        out[f"a({l})"] = layered("a", l)
        out[f"z({l})"] = layered("z", l)
        out[f"w({l})"] = layered("w", l, row=False)
        out[f"b({l})"] = layered("b", l, row=False)
    return {**out, **COMMON}


FORK_ROW_NAMES = frozenset({"x1", "x2", "y[1]", "y[2]", "a(1)[1]", "a(1)[2]", "a(2)[1]",
                            "a(2)[2]", "z(1)[1]", "z(1)[2]", "z(2)[1]", "z(2)[2]"})
FORK = Model("fork", (2, 2, 2), True, True, _fork_spellings(), FORK_ROW_NAMES, _fork)
DEEP_CHAIN = Model("deep-chain", (1,) * (DEPTH + 1), True, True, _deep_spellings(),
                   frozenset({"x", "y", *(f"{q}({l})" for q in "az"
                                          for l in range(1, DEPTH + 1))}), _deep)
