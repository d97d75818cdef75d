"""Section 2.1 (ours, beyond the notes): where paths fork, a network with several outputs.

A hidden neuron feeds every output, so its error is a sum over the outputs, one term a
path; a first-layer weight's gradient is then a sum of one share a path. Per row i the
cost is C_i = Σ_k (a_i(2)[k] − y_i[k])² and C = (1/n) Σ_i C_i; the equations keep each
row's own derivative (with its 2) and average over the rows only at the gradient.
"""

from __future__ import annotations

import numpy as np

from ...engine.finite_differences import numerical_gradients
from ..numbers import factor, mean_line, num, rows_text, terms, vec
from .general import _named
from .live import Live
from .worksheet import Equation, LiveValue, Worksheet

TITLE = "Where paths fork: several outputs"
MAX_PARAMETERS = 100


def _row_referee(live: Live) -> tuple[np.ndarray, np.ndarray]:
    """∂C_i/∂b(2) and ∂C_i/∂b(1) = ∂C_i/∂z_i(l) on every row, by central differences of
    each row's own cost (the engine's referee on that row alone)."""
    out2, out1 = [], []
    for i in range(live.n):
        _, db = numerical_gradients(live.net, live.X[i:i + 1], live.Y[i:i + 1])
        out1.append(db[0])
        out2.append(db[1])
    return np.array(out2), np.array(out1)


def _fd_hidden(live: Live) -> np.ndarray:
    """∂C_i/∂a_i(1)[j] by central differences of row i's cost with a_i(1)[j] moved."""
    out = np.zeros_like(live.a[1])
    for i, j in np.ndindex(out.shape):
        def moved(h, i=i, j=j):
            a1 = live.a[1][i:i + 1].copy()
            a1[0, j] += h
            a2 = live.sigma(2, live.z(2, a1))
            return float(np.sum((a2 - live.Y[i:i + 1]) ** 2))
        out[i, j] = live.central(moved)
    return out


def _path_referee(live: Live, k: int) -> float:
    """dC/dw(1)[1,1] along output k alone: finite differences with every other output's
    target set to its output, so only output k's error flows back."""
    Y = live.a[2].copy()
    Y[:, k] = live.Y[:, k]
    nW, _ = numerical_gradients(live.net, live.X, Y)
    return float(nW[0][0, 0])


def section_2_1(live: Live) -> Worksheet:
    """Equations 2.1.1-2.1.7 on a two-layer sigmoid network with several outputs."""
    live.require("2.1", n_layers=2, sigmoid_only=True, bias=True,
                 max_parameters=MAX_PARAMETERS, what="two weight layers")
    if live.sizes[-1] < 2:
        raise live.refuse("2.1", "it needs at least two outputs, so that paths fork")
    n, X, Y, a1, a2 = live.n, live.X, live.Y, live.a[1], live.a[2]
    W2, outputs, hidden = live.W[1], live.sizes[2], live.sizes[1]
    r = n - 1                                            # the row worked term by term
    s1, s2 = live.slope(1), live.slope(2)
    e2 = 2.0 * (a2 - Y) * s2                             # ∂C_i/∂z_i(2)
    g1 = e2 @ W2.T                                       # ∂C_i/∂a_i(1)
    e1 = g1 * s1                                         # ∂C_i/∂z_i(1)
    fd_e2, fd_e1 = _row_referee(live)
    num_w, num_b = live.numerical()
    rows = range(n)
    eqs = [Equation(
        "2.1.1", "∂C_i/∂z_i(2)[k] = 2(a_i(2)[k] − y_i[k]) a_i(2)[k](1 − a_i(2)[k])",
        rows_text([f"i={i + 1}: " + ", ".join(
            f"k={k + 1}: 2·({num(a2[i, k])} − {num(Y[i, k])})·{num(s2[i, k])} = "
            f"{num(e2[i, k])}" for k in range(outputs)) for i in rows]), e2,
        finite_difference=fd_e2)]
    lines = []
    for j in range(hidden):
        parts = [f"output {k + 1}: {factor(e2[r, k])}·{factor(W2[j, k])}"
                 for k in range(outputs)]
        lines.append(f"i={r + 1}, j={j + 1}: {terms(parts)} = {num(g1[r, j])}")
    lines += [f"i={i + 1}: {vec(g1[i])}" for i in rows if i != r]
    eqs.append(Equation(
        "2.1.2", "∂C_i/∂a_i(1)[j] = Σ_k ∂C_i/∂z_i(2)[k] w(2)[j,k]   (one term per output)",
        "\n".join(lines), g1, finite_difference=_fd_hidden(live)))
    eqs.append(Equation(
        "2.1.3", "∂C_i/∂z_i(1)[j] = ∂C_i/∂a_i(1)[j] a_i(1)[j](1 − a_i(1)[j])",
        rows_text([f"i={i + 1}: {vec(g1[i])}⊙{vec(s1[i])} = {vec(e1[i])}" for i in rows]),
        e1, finite_difference=fd_e1))
    paths = np.array([float(np.mean(e2[:, k] * W2[0, k] * s1[:, 0] * X[:, 0]))
                      for k in range(outputs)])
    eqs.append(Equation(
        "2.1.4", "∂C/∂w(1)[1,1] through output k = (1/n) Σ_i ∂C_i/∂z_i(2)[k] w(2)[1,k] "
                 "a_i(1)[1](1 − a_i(1)[1]) x_i[1]",
        "\n".join(f"output {k + 1}: " + mean_line(n, [
            f"{factor(e2[i, k])}·{factor(W2[0, k])}·{num(s1[i, 0])}·{num(X[i, 0])}"
            for i in rows]) + f" = {num(paths[k], 6)}" for k in range(outputs))
        + f"\nthe shares add up: {terms([num(p, 6) for p in paths])} = "
          f"{num(paths.sum(), 6)} = ∂C/∂w(1)[1,1]",
        paths, finite_difference=[_path_referee(live, k) for k in range(outputs)]))
    dW1, dW2 = X.T @ e1 / n, a1.T @ e2 / n
    eqs.append(Equation(
        "2.1.5", "∂C/∂w(1)[j,k] = (1/n) Σ_i x_i[j] ∂C_i/∂z_i(1)[k]",
        f"(1/{n}) Xᵀ·(2.1.3) = {vec(dW1, 6)}", dW1, finite_difference=num_w[0]))
    eqs.append(Equation(
        "2.1.6", "∂C/∂w(2)[j,k] = (1/n) Σ_i a_i(1)[j] ∂C_i/∂z_i(2)[k]",
        f"(1/{n}) a(1)ᵀ·(2.1.1) = {vec(dW2, 6)}", dW2, finite_difference=num_w[1]))
    for l, e in ((1, e1), (2, e2)):
        eqs.append(Equation(
            "2.1.7", "∂C/∂b(l)[k] = (1/n) Σ_i ∂C_i/∂z_i(l)[k]",
            f"the mean of each column of (2.1.{1 if l == 2 else 3}) = {vec(e.mean(axis=0), 6)}",
            e.mean(axis=0), layer=l, finite_difference=num_b[l - 1]))
    bigger = int(np.argmax(np.abs(paths)))
    extra = {"larger path": LiveValue(
        f"output {bigger + 1}", "\n".join(f"|share through output {k + 1}| = "
                                          f"{num(abs(p), 6)}" for k, p in enumerate(paths)),
        tuple((f"output {k + 1}", abs(float(p))) for k, p in enumerate(paths)))}
    notation = (
        f"Row i's cost is C_i = Σ_k (a_i(2)[k] − y_i[k])² over the {outputs} outputs; "
        "C = (1/n) Σ_i C_i.",
        "a_i(1)[j] is hidden neuron j on row i; w(2)[j,k] joins hidden neuron j to "
        "output k, w(1)[j,k] input j to hidden neuron k.",
        f"Row {r + 1} is worked term by term; the other rows show their totals.",
    )
    return live.worksheet("2.1", TITLE, notation=notation, equations=tuple(eqs),
                          named=tuple(_named(live)), extra=extra)
