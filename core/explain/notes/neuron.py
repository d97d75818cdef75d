"""Sections 1.2 and 1.3: one sigmoid neuron, its output, and the gradients of its cost.

1.2 writes the neuron as y = sigma(xw + b) with x the input row; 1.3 renames the output a
and calls the two inputs x and y and the target z. For the app's presets: x = x1, y = x2,
z = the target column, w1 and w2 the two weights of w(1), b = b(1).
"""

from __future__ import annotations

import numpy as np

from ..equations import FORMULAS, sigmoid_slope_row
from ..numbers import factor, mean_line, num, rows_text
from .live import Live
from .worksheet import Equation, Named, Worksheet

TITLE_1_2 = "One sigmoid neuron"
TITLE_1_3 = "The neuron's cost and its gradients"


def _require_neuron(live: Live, section: str) -> None:
    live.require(section, n_layers=1, outputs=1, sigmoid_only=True, bias=True,
                 what="a single neuron (no hidden layer)")


def _named(live: Live) -> list[Named]:
    k = live.sizes[0]
    named = [Named(f"w{j + 1}", float(live.W[0][j, 0]), float(live.dW[0][j, 0]), True)
             for j in range(k)]
    return named + [Named("b", float(live.B[0][0]), float(live.dB[0][0]), False)]


def section_1_2(live: Live) -> Worksheet:
    """Equations 1.2.1-1.2.3 for a single sigmoid neuron with biases (any number of inputs)."""
    _require_neuron(live, "1.2")
    X, k = live.X, live.sizes[0]
    w, b = live.W[0][:, 0], float(live.B[0][0])
    z = live.z(1, X)[:, 0]
    a = live.a[1][:, 0]
    s = a * (1 - a)
    fd = live.central(lambda h: live.sigma(1, z + h))
    names = [f"w{j + 1}" for j in range(k)]

    def weighted(row) -> str:
        return " + ".join(f"{num(xj)}·{factor(wj)}" for xj, wj in zip(row, w))

    rows_1 = [f"i={i + 1}: σ({weighted(X[i])} + {factor(b)}) = σ({num(z[i])}) = {num(a[i])}"
              for i in range(live.n)]
    rows_2 = [f"i={i + 1}: σ({num(z[i])}) = 1 / (1 + e^(−{factor(z[i])})) = {num(a[i])}"
              for i in range(live.n)]
    rows_3 = [sigmoid_slope_row(i, z[i], a[i]) for i in range(live.n)]
    eqs = [
        Equation("1.2.1", "y = σ(xw + b)", rows_text(rows_1), a),
        Equation("1.2.2", "σ(x) = 1 / (1 + e^(−x))", rows_text(rows_2), a),
        Equation("1.2.3", FORMULAS["1.2.3"], rows_text(rows_3), s, finite_difference=fd),
    ]
    inputs = ", ".join(f"x{j + 1}" for j in range(k))
    notation = [
        f"In 1.2, x is one input row ({inputs}), w the weights ({', '.join(names)}) and b "
        f"the bias; y here is the neuron's output, not a target.",
        "σ(x) in 1.2.2-1.2.3 is evaluated at each row's z = xw + b.",
    ]
    return live.worksheet("1.2", TITLE_1_2, notation=tuple(notation), equations=tuple(eqs),
                          named=tuple(_named(live)))


def section_1_3(live: Live) -> Worksheet:
    """Equations 1.3.1-1.3.7 for a two-input sigmoid neuron with bias and the notes' cost."""
    _require_neuron(live, "1.3")
    if live.sizes[0] != 2:
        raise live.refuse("1.3", "it names exactly two inputs, x and y")
    n = live.n
    x, y, zt = live.X[:, 0], live.X[:, 1], live.Y[:, 0]
    w1, w2, b = float(live.W[0][0, 0]), float(live.W[0][1, 0]), float(live.B[0][0])
    a = live.a[1][:, 0]
    s = a * (1 - a)
    r = a - zt
    cost = float(np.mean(r * r))
    g1, g2, gb = (float(np.mean(2 * r * s * v)) for v in (x, y, np.ones(n)))
    num_w, num_b = live.numerical()
    f1, f2, fb = float(num_w[0][0, 0]), float(num_w[0][1, 0]), float(num_b[0][0])

    rows_1 = [f"a_{i + 1} = σ({factor(w1)}·{num(x[i])} + {factor(w2)}·{num(y[i])} + "
              f"{factor(b)}) = {num(a[i])}" for i in range(n)]
    diff = [f"({num(a[i])} − {num(zt[i])})" for i in range(n)]

    def gradient_lines(v, label) -> str:
        full = [f"2·{diff[i]}·{num(a[i])}·(1 − {num(a[i])})" + (f"·{num(v[i])}" if label else "")
                for i in range(n)]
        values = [factor(2 * r[i] * s[i] * (v[i] if label else 1.0)) for i in range(n)]
        total = float(np.mean(2 * r * s * (v if label else 1.0)))
        return "\n".join([f"= {mean_line(n, full)}", f"= {mean_line(n, values)}",
                          f"= {num(total, 6)}"])

    da = s * x   # ∂_{w1} a_i
    eqs = [
        Equation("1.3.1", "a_i = σ(wx + b)", rows_text(rows_1), a),
        Equation("1.3.2", "C = (1/n) Σ_{i=0}^{n} (a_i − z_i)²",
                 "\n".join([f"= {mean_line(n, [d + '²' for d in diff])}",
                            f"= {mean_line(n, [num(v * v) for v in r])}",
                            f"= {num(cost, 6)}"]), cost),
        Equation("1.3.3", "∂_{w1} C = ∂_w ((1/n) Σ_{i=0}^{n} (a_i − z_i)²)",
                 f"= how fast C = {num(cost, 6)} changes with w1 = {num(w1, 6)}\n"
                 f"= {num(g1, 6)}", g1, finite_difference=f1),
        Equation("1.3.4", "= (1/n) Σ_{i=0}^{n} 2(a_i − z_i) ∂_{w1} a_i",
                 "\n".join([f"= {mean_line(n, [f'2·{diff[i]}·{factor(da[i])}' for i in range(n)])}",
                            f"  (∂_{{w1}} a_i = a_i(1 − a_i) x_i = "
                            f"{', '.join(num(v) for v in da)})",
                            f"= {num(g1, 6)}"]), g1, finite_difference=f1),
        Equation("1.3.5", "= (1/n) Σ_{i=0}^{n} 2(a_i − z_i) a_i(1 − a_i) x_i",
                 gradient_lines(x, "x"), g1, finite_difference=f1),
        Equation("1.3.6", "∂_{w2} C = (1/n) Σ_{i=0}^{n} 2(a_i − z_i) a_i(1 − a_i) y_i",
                 gradient_lines(y, "y"), g2, finite_difference=f2),
        Equation("1.3.7", "∂_b C = (1/n) Σ_{i=0}^{n} 2(a_i − z_i) a_i(1 − a_i)",
                 gradient_lines(np.ones(n), ""), gb, finite_difference=fb),
    ]
    notation = [
        "The notes call the two inputs x and y and the target z: x is the app's x1, y is "
        "x2, z is the target column.",
        "w1 and w2 are the weights of x and y (w(1) in the app), b the bias (b(1)); a_i is "
        "the neuron's output on row i.",
        f"The sums run over the n = {n} rows; the notes write the bounds i = 0..n, read "
        f"them as one term a row.",
    ]
    return live.worksheet("1.3", TITLE_1_3, notation=tuple(notation), equations=tuple(eqs),
                          named=tuple(_named(live)))
