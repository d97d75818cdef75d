"""Section 2.4 (ours, beyond the notes): depth, activations and the loss, on a chain of
neurons (one a layer, ``deep-chain``).

A weight's gradient in a chain is a product: the output's error, every slope from its own
neuron up to the output, and every weight above it. Each slope is at most ``SLOPE_MAX``
(1/4 for the sigmoid), so the product bounds how fast the gradient shrinks with depth.
The same weights are worked with tanh and relu hidden layers, and the output's error
with the squared error and with cross-entropy, where the sigmoid's slope cancels.
"""

from __future__ import annotations

import numpy as np

from ...engine.finite_differences import numerical_gradients
from ...engine.network import Network
from ..numbers import factor, mean_line, num, rows_text, vec
from .live import Live
from .matrices_pass import SLOPE_TEXT, matrix_pass, slope
from .worksheet import Equation, Named, Worksheet

TITLE = "Depth, activations and the loss"
SLOPE_MAX = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "linear": 1.0}
"""The largest slope f'(z) of each activation."""
HIDDEN = ("sigmoid", "tanh", "relu")
"""The hidden activations 2.4.3 compares on the same weights."""


def _twin(live: Live, hidden: str, loss: str = "mse") -> Network:
    """The live network's weights with ``hidden`` activations and ``loss`` (engine)."""
    net = Network(live.sizes, activation=hidden, output_activation="sigmoid", loss=loss,
                  bias=live.bias, seed=0)
    for mine, value in zip(net.weights + net.biases, live.W + live.B):
        mine[...] = value
    return net


def _row_output_fd(net: Network, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """∂C/∂z_i(L) on every row by central differences: row i's own b(L) gradient over n."""
    n = X.shape[0]
    return np.array([numerical_gradients(net, X[i:i + 1], Y[i:i + 1])[1][-1][0] / n
                     for i in range(n)])


def section_2_4(live: Live) -> Worksheet:
    """Equations 2.4.1-2.4.5 on a chain with a sigmoid output and the squared error."""
    live.require("2.4", notes_cost=True)
    if any(s != 1 for s in live.sizes):
        raise live.refuse("2.4", "it needs a chain, one neuron a layer")
    if live.activations[-1] != "sigmoid" or live.activations[0] not in HIDDEN:
        raise live.refuse("2.4", "it needs sigmoid, tanh or relu hidden neurons and a "
                                 "sigmoid output")
    n, L, acts = live.n, live.L, list(live.activations)
    p = matrix_pass(live.W, live.B, live.X, live.Y, acts, bias=live.bias)
    a = [A[:, 0] for A in p.A]
    s = [np.zeros(n)] + [slope(acts[m - 1], p.Z[m], p.A[m])[:, 0] for m in range(1, L + 1)]
    w = [0.0] + [float(W[0, 0]) for W in live.W]
    err = 2.0 * (a[L] - live.Y[:, 0])
    num_w, _ = live.numerical()
    grads, products = [], []
    eqs: dict[str, list[Equation]] = {k: [] for k in ("2.4.1", "2.4.2", "2.4.3")}
    for l in range(1, L + 1):
        slopes = np.prod([s[m] for m in range(l, L + 1)], axis=0)
        weights = float(np.prod(w[l + 1:])) if l < L else 1.0
        terms_ = err * slopes * weights * a[l - 1]
        grads.append(float(terms_.mean()))
        products.append(slopes)
        above = "" if l == L else (f"·w({l + 1})" + (f"…w({L})" if l + 1 < L else "")
                                    + f" {factor(weights)}")
        eqs["2.4.1"].append(Equation(
            "2.4.1", "∂C/∂w(l) = (1/n) Σ_i 2(a_i(L) − y_i) [slopes l..L] [w(l+1)…w(L)] "
                     "a_i(l−1)",
            rows_text([f"i={i + 1}: 2·({num(a[L][i])} − {num(live.Y[i, 0])})·{num(slopes[i])}"
                       f"{above}·{num(a[l - 1][i])} = {num(terms_[i])}" for i in range(n)])
            + f"\n{mean_line(n, [factor(t) for t in terms_])} = {num(grads[-1], 6)}",
            grads[-1], layer=l, finite_difference=num_w[l - 1][0, 0]))
        bound = float(np.prod([SLOPE_MAX[acts[m - 1]] for m in range(l, L + 1)]))
        eqs["2.4.2"].append(Equation(
            "2.4.2", "Π_{m=l}^{L} σ'(z_i(m)) ≤ Π max σ'   (sigmoid: 1/4 a layer)",
            rows_text([f"i={i + 1}: " + "·".join(num(s[m][i]) for m in range(l, L + 1))
                       + f" = {num(slopes[i])}" for i in range(n)])
            + f"\nbound: {L - l + 1} slopes, at most {num(bound, 6)}",
            slopes, layer=l))
    twins = {hidden: _twin(live, hidden) for hidden in HIDDEN}
    for l in range(1, L + 1):
        values, fds, lines = [], [], []
        for hidden, net in twins.items():
            other = matrix_pass(live.W, live.B, live.X, live.Y, [hidden] * (L - 1)
                                + ["sigmoid"], bias=live.bias)
            values.append(float(other.dW[l][0, 0]))
            fds.append(float(numerical_gradients(net, live.X, live.Y)[0][l - 1][0, 0]))
            first = np.prod([slope(hidden if m < L else "sigmoid", other.Z[m],
                                   other.A[m])[0, 0] for m in range(l, L + 1)])
            lines.append(f"{hidden} (slope {SLOPE_TEXT[hidden]}): row 1's slopes multiply "
                         f"to {num(first)}; ∂C/∂w({l}) = {num(values[-1], 6)}")
        eqs["2.4.3"].append(Equation(
            "2.4.3", "∂C/∂w(l) with sigmoid, tanh, relu hidden neurons (same weights)",
            "\n".join(lines), values, layer=l, finite_difference=fds))
    mse_out = 2.0 / n * (a[L] - live.Y[:, 0]) * s[L]
    ce_out = (a[L] - live.Y[:, 0]) / n
    rows = range(n)
    tail = [
        Equation("2.4.4", "squared error: ∂C/∂z_i(L) = (2/n)(a_i(L) − y_i) a_i(L)(1 − a_i(L))",
                 rows_text([f"i={i + 1}: (2/{n})·({num(a[L][i])} − {num(live.Y[i, 0])})·"
                            f"{num(s[L][i])} = {num(mse_out[i])}" for i in rows]),
                 mse_out, finite_difference=_row_output_fd(twins[acts[0]], live.X, live.Y)),
        Equation("2.4.5", "cross-entropy: ∂C/∂z_i(L) = (1/n)(a_i(L) − y_i)   (the slope "
                          "cancels)",
                 rows_text([f"i={i + 1}: ({num(a[L][i])} − {num(live.Y[i, 0])})/{n} = "
                            f"{num(ce_out[i])}" for i in rows])
                 + f"\nsquared error's / cross-entropy's: {vec(mse_out / ce_out)}",
                 ce_out, finite_difference=_row_output_fd(
                     _twin(live, acts[0], "cross_entropy"), live.X, live.Y)),
    ]
    named = [Named(f"w({l})", w[l], float(live.dW[l - 1][0, 0]), True)
             for l in range(1, L + 1)]
    if live.bias:
        named += [Named(f"b({l})", float(live.B[l - 1][0]), float(live.dB[l - 1][0]), False)
                  for l in range(1, L + 1)]
    notation = (
        f"A chain of {L} neurons: a_i(0) = x_i, a_i(l) = f(a_i(l−1) w(l) + b(l)), "
        f"hidden f = {acts[0]}, the output a sigmoid.",
        "σ'(z_i(m)) is neuron m's slope on row i: sigmoid a(1 − a) ≤ 1/4, tanh 1 − a² ≤ 1, "
        "relu 0 or 1.",
        "2.4.3 to 2.4.5 rework the same weights and rows with another activation or cost.",
    )
    return live.worksheet("2.4", TITLE, notation=notation, named=tuple(named),
                          equations=tuple([e for g in eqs.values() for e in g] + tail))
