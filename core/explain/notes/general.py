"""Sections 1.6 and 1.7: the forward pass and backpropagation through any number of layers.

Every equation appears once per layer l = 1..L. Per sample, a_i(l) is a row of layer l's
outputs; weight-shaped values are (inputs, outputs) like w(l). In the notes' bookkeeping
(the line before 1.7.1) ∂_{a_i(L)} C(L+1) = a_i(L) − y_i, and one layer down
∂_{a_i(l-1)} C(l) = (∂_{a_i(l)} C(l+1) ⊙ a_i(l)(1 − a_i(l))) w(l)ᵀ: the error passed back,
with the 2 and the 1/n kept outside the sums. The target of layer l is then
e_i = a_i(l) − ∂_{a_i(l)} C(l+1) (y_i at the output).

Where the notes err, their formula is evaluated as written: 1.7.2 has x_i where a_i(l-1)
belongs and, like 1.7.3, no factor a_i(l)(1 − a_i(l)); both, and 1.7.4, use a_i(l) − y_i
at every layer, which is right only at the output layer (1.7.4 agrees there).
"""

from __future__ import annotations

import numpy as np

from ..equations import FORMULAS, forward_row
from ..numbers import mean_line, rows_text, vec
from .live import Live
from .worksheet import Equation, Named, Worksheet

TITLE_1_6 = "The forward pass, any depth"
TITLE_1_7 = "Backpropagation, any depth"
ERRORS = ("g_i(l) is what the notes write ∂_{a_i(l)} C(l+1), the error that reaches a_i(l) "
          "(n/2 times the true ∂C/∂a_i(l)): g_i(L) = a_i(L) − y_i, and one layer down "
          "g_i(l) = δ_i(l+1) w(l+1)ᵀ, where δ_i(l) = g_i(l) ⊙ a_i(l)(1 − a_i(l)) and ⊙ "
          "multiplies entry by entry.")
MAX_PARAMETERS = 100
"""The largest network (weights and biases) whose every equation a worksheet shows."""


def _named(live: Live) -> list[Named]:
    named = []
    for l in range(1, live.L + 1):
        W, dW = live.W[l - 1], live.dW[l - 1]
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                named.append(Named(f"w({l})[{j + 1},{k + 1}]", float(W[j, k]),
                                   float(dW[j, k]), True))
        for k in range(W.shape[1]):
            named.append(Named(f"b({l})[{k + 1}]", float(live.B[l - 1][k]),
                               float(live.dB[l - 1][k]), False))
    return named


def _worksheet(live: Live, section: str, title: str, eqs: list[Equation]) -> Worksheet:
    inputs = ", ".join(f"x{j + 1}" for j in range(live.sizes[0]))
    notation = (
        f"a_i(0) = x_i, the input row ({inputs}); a_i(l) is layer l's output row, "
        f"l = 1..{live.L} (l = {live.L} is the output layer).",
        "w(l)[j,k] connects neuron j of layer l−1 to neuron k of layer l; b(l)[k] is "
        "neuron k's bias.",
        "Per-sample values follow the rows; weight-shaped values are laid out like w(l).",
    ) + ((ERRORS,) if section == "1.7" else ())
    return live.worksheet(section, title, notation=notation, equations=tuple(eqs),
                          named=tuple(_named(live)))


def _fd_weights(live: Live, l: int) -> np.ndarray:
    """∂a_ik(l)/∂w(l)[j,k] by central differences, shape (n, inputs, outputs)."""
    W, a_prev = live.W[l - 1], live.a[l - 1]
    out = np.zeros((live.n, *W.shape))
    for j in range(W.shape[0]):
        for k in range(W.shape[1]):
            def moved(h, j=j, k=k):
                Wh = W.copy()
                Wh[j, k] += h
                return live.sigma(l, live.z(l, a_prev, w=Wh))[:, k]
            out[:, j, k] = live.central(moved)
    return out


def _fd_biases(live: Live, l: int) -> np.ndarray:
    """∂a_ik(l)/∂b(l)[k], shape (n, outputs)."""
    b, a_prev = live.B[l - 1], live.a[l - 1]
    out = np.zeros((live.n, b.size))
    for k in range(b.size):
        def moved(h, k=k):
            bh = b.copy()
            bh[k] += h
            return live.sigma(l, live.z(l, a_prev, b=bh))[:, k]
        out[:, k] = live.central(moved)
    return out


def _fd_inputs(live: Live, l: int) -> np.ndarray:
    """∂a_ik(l)/∂a_ij(l−1), shape (n, inputs, outputs)."""
    W, a_prev = live.W[l - 1], live.a[l - 1]
    out = np.zeros((live.n, *W.shape))
    for j in range(W.shape[0]):
        def moved(h, j=j):
            ah = a_prev.copy()
            ah[:, j] += h
            return live.sigma(l, live.z(l, ah))
        out[:, j, :] = live.central(moved)
    return out


def section_1_6(live: Live) -> Worksheet:
    """Equations 1.6.1-1.6.4 for every layer of an all-sigmoid network with biases."""
    live.require("1.6", sigmoid_only=True, bias=True, max_parameters=MAX_PARAMETERS)
    eqs: dict[str, list[Equation]] = {k: [] for k in ("1.6.1", "1.6.2", "1.6.3", "1.6.4")}
    for l in range(1, live.L + 1):
        a_prev, a, s, W = live.a[l - 1], live.a[l], live.slope(l), live.W[l - 1]
        z = live.z(l, a_prev)
        rng = range(live.n)
        eqs["1.6.1"].append(Equation(
            "1.6.1", FORMULAS["1.6.1"], rows_text(
                [forward_row(l, i, a_prev[i], z[i], a[i]) for i in rng]), a, layer=l))
        dw = s[:, None, :] * a_prev[:, :, None]
        eqs["1.6.2"].append(Equation(
            "1.6.2", FORMULAS["1.6.2"], rows_text(
                [f"i={i + 1}: [j,k] = a_ik(1 − a_ik)·a_ij(l−1) = {vec(dw[i])}" for i in rng]),
            dw, layer=l, finite_difference=_fd_weights(live, l)))
        eqs["1.6.3"].append(Equation(
            "1.6.3", FORMULAS["1.6.3"], rows_text(
                [f"i={i + 1}: {vec(a[i])}⊙(1 − {vec(a[i])}) = {vec(s[i])}" for i in rng]),
            s, layer=l, finite_difference=_fd_biases(live, l)))
        da = s[:, None, :] * W[None, :, :]
        eqs["1.6.4"].append(Equation(
            "1.6.4", FORMULAS["1.6.4"], rows_text(
                [f"i={i + 1}: [j,k] = a_ik(1 − a_ik)·w(l)[j,k] = {vec(da[i])}" for i in rng]),
            da, layer=l, finite_difference=_fd_inputs(live, l)))
    return _worksheet(live, "1.6", TITLE_1_6, [e for group in eqs.values() for e in group])


def _deltas(live: Live, l: int, e: np.ndarray, D: dict[int, np.ndarray]) -> str:
    """Layer l's δ_i(l) worked twice, from the notes' target e_i and by the recursion
    δ(l) = (δ(l+1) w(l+1)ᵀ) ⊙ σ'(z(l)) (the output layer: from its target y_i only)."""
    a, s, rng = live.a[l], live.slope(l), range(live.n)
    text = (f"δ_i({l}) = (a_i({l}) − e_i) ⊙ a_i({l})(1 − a_i({l})), from the target:\n"
            + rows_text([f"  i={i + 1}: {vec(a[i] - e[i])}⊙{vec(s[i])} = {vec(D[l][i])}"
                         for i in rng]))
    if l < live.L:
        after = vec(live.W[l].T)
        text += (f"\nδ_i({l}) = (δ_i({l + 1}) w({l + 1})ᵀ) ⊙ a_i({l})(1 − a_i({l})), "
                 f"the recursion:\n"
                 + rows_text([f"  i={i + 1}: ({vec(D[l + 1][i])}·{after})⊙{vec(s[i])} = "
                              f"{vec(D[l][i])}" for i in rng]))
    return text


def section_1_7(live: Live) -> Worksheet:
    """Equations 1.7.1-1.7.4 for every layer of an all-sigmoid, one-output network with
    biases and the notes' cost, beside the notes' formulas as written where they err."""
    live.require("1.7", sigmoid_only=True, bias=True, outputs=1,
                 max_parameters=MAX_PARAMETERS)
    n, L = live.n, live.L
    d: dict[int, np.ndarray] = {L: live.a[L] - live.Y}    # ∂_{a_i(l)} C(l+1), notes' sense
    D: dict[int, np.ndarray] = {}
    for l in range(L, 0, -1):
        D[l] = d[l] * live.slope(l)
        d[l - 1] = D[l] @ live.W[l - 1].T
    num_w, num_b = live.numerical()
    eqs: dict[str, list[Equation]] = {k: [] for k in ("1.7.1", "1.7.2", "1.7.3", "1.7.4")}
    for l in range(1, L + 1):
        a_prev, a, s, W = live.a[l - 1], live.a[l], live.slope(l), live.W[l - 1]
        e = a - d[l]
        rng = range(n)
        c_l = float(np.sum(d[l] ** 2)) / n
        target = "y_i" if l == L else f"a_i({l}) − g_i({l})"
        eqs["1.7.1"].append(Equation(
            "1.7.1", "C(l) = (1/n) Σ_{i=1}^{n} (a_i(l) − e_i)²",
            f"e_i = {target}:\n" + rows_text(
                [f"i={i + 1}: ({vec(a[i])} − {vec(e[i])})² summed = {vec(np.sum(d[l][i] ** 2))}"
                 for i in rng]) + f"\n= {vec(c_l)}\n" + _deltas(live, l, e, D), c_l, layer=l))
        true_w = 2.0 * (a_prev.T @ D[l]) / n
        wrong_a = a - live.Y                                  # a_i(l) − y_i at every layer
        notes_w = 2.0 * (live.X.T @ wrong_a) / n
        dwr = "" if l == L else f"; a_i({l}) − y_i stands where the error passed back belongs"
        eqs["1.7.2"].append(Equation(
            "1.7.2", "∂_{w(l)} C(l) = (1/n) Σ_{i=1}^{n} 2(∂_{a_i(l)} C(l+1)) x_i",
            mean_line(n, [f"2·{vec(a_prev[i])}ᵀ({vec(d[l][i])}⊙{vec(s[i])})" for i in rng])
            + f"\n= {vec(true_w)}\n  notes: (1/n) Σ 2 x_iᵀ(a_i({l}) − y_i) = {vec(notes_w)}",
            true_w, layer=l, notes_as_written=notes_w,
            wrong=("a_i(l)(1 − a_i(l)) is missing" if l == 1 else
                   f"x_i stands where a_i({l - 1}) belongs and a_i(l)(1 − a_i(l)) is "
                   f"missing") + dwr,
            corrected="(1/n) Σ 2 a_i(l−1)ᵀ (∂_{a_i(l)} C(l+1) ⊙ a_i(l)(1 − a_i(l)))",
            finite_difference=num_w[l - 1]))
        true_b = 2.0 * D[l].sum(axis=0) / n
        notes_b = 2.0 * wrong_a.sum(axis=0) / n
        eqs["1.7.3"].append(Equation(
            "1.7.3", "∂_{b(l)} C(l) = (1/n) Σ_{i=1}^{n} 2(∂_{a_i(l)} C(l+1))",
            mean_line(n, [f"2·{vec(d[l][i])}⊙{vec(s[i])}" for i in rng])
            + f"\n= {vec(true_b)}\n  notes: (1/n) Σ 2(a_i({l}) − y_i) = {vec(notes_b)}",
            true_b, layer=l, notes_as_written=notes_b,
            wrong=f"a_i(l)(1 − a_i(l)) is missing{dwr}",
            corrected="(1/n) Σ 2(∂_{a_i(l)} C(l+1) ⊙ a_i(l)(1 − a_i(l)))",
            finite_difference=num_b[l - 1]))
        true_a = 2.0 * (D[l] @ W.T).sum(axis=0) / n
        notes_a = None if l == L else 2.0 * ((wrong_a * s) @ W.T).sum(axis=0) / n

        def shifted(h, l=l, a_prev=a_prev):
            return np.array([live.cost_from(l - 1, a_prev + h * np.eye(a_prev.shape[1])[j])
                             for j in range(a_prev.shape[1])])

        eqs["1.7.4"].append(Equation(
            "1.7.4", "∂_{a_i(l−1)} C(l) = (1/n) Σ_{i=1}^{n} 2(a_i(l) − y_i) a_i(l)(1 − a_i(l)) "
                     "w(l)",
            mean_line(n, [f"2·({vec(d[l][i])}⊙{vec(s[i])})·w({l})ᵀ" for i in rng])
            + f"\n= {vec(true_a)}  (one entry per neuron of layer {l - 1}: C's change when "
              f"that a(l−1) moves on every row)"
            + ("" if notes_a is None else
               f"\n  notes: (1/n) Σ 2((a_i({l}) − y_i)⊙a(1 − a))·w({l})ᵀ = {vec(notes_a)}"),
            true_a, layer=l, notes_as_written=notes_a,
            wrong=None if notes_a is None else
            f"a_i({l}) − y_i is used below the output layer: the error passed back, "
            f"∂_{{a_i({l})}} C({l + 1}), belongs there",
            corrected=None if notes_a is None else
            "(1/n) Σ 2(∂_{a_i(l)} C(l+1) ⊙ a_i(l)(1 − a_i(l))) w(l)ᵀ",
            finite_difference=live.central(shifted)))
    return _worksheet(live, "1.7", TITLE_1_7, [e for group in eqs.values() for e in group])
