"""Section 2.2 (ours, beyond the notes): one step of backprop as matrices over the batch.

Every equation appears once per layer l = 1..L with its matrices' live shapes (rows are
samples), and 2.2.5 works one entry of ∂C/∂W(l) as the per-weight sum over the rows that
1.7.2 (corrected) writes. Δ(l) = ∂C/∂Z(l) carries the mean's 1/n, so Δ(l) = (2/n) δ(l) in
lesson 1.7's terms and ∂C/∂W(l) = A(l−1)ᵀ Δ(l) has no /n of its own. Any activation and
either cost; a network too large to list shows shapes and one entry.
"""

from __future__ import annotations

import numpy as np

from ..numbers import factor, num, rows_text, terms, vec
from .live import Live
from .matrices_pass import SLOPE_TEXT, MatrixPass, activate, matrix_pass, slope
from .worksheet import Equation, LiveValue, Worksheet

TITLE = "The matrix form"
LISTED = 100
"""Networks with at most this many parameters get every matrix listed and refereed; larger
ones (digits) show shapes and one entry."""
SHOWN_ENTRIES = 32
"""A matrix with at most this many entries is printed row by row."""


def shape(array: np.ndarray) -> str:
    """``4×2``: rows × columns."""
    rows, cols = np.atleast_2d(array).shape
    return f"{rows}×{cols}"


def matrix_text(name: str, array: np.ndarray) -> str:
    """``name`` (rows × columns) and, if small, its rows."""
    array = np.atleast_2d(array)
    if array.size > SHOWN_ENTRIES:
        return f"{name} is {shape(array)}"
    return f"{name} ({shape(array)}) =\n" + rows_text([f"  {vec(row)}" for row in array])


def cost_of(live: Live, activations: list[str], l: int, Z: np.ndarray) -> float:
    """C with the batch run on from Z(l) (the live network's cost)."""
    A = activate(activations[l - 1], Z)
    for m in range(l + 1, live.L + 1):
        A = activate(activations[m - 1], A @ live.W[m - 1] + (live.B[m - 1] if live.bias else 0))
    if live.net.loss_name == "mse":
        return float(np.sum((A - live.Y) ** 2)) / live.n
    if activations[-1] == "softmax":
        return float(-np.sum(live.Y * np.log(A))) / live.n
    return float(-np.sum(live.Y * np.log(A) + (1 - live.Y) * np.log(1 - A))) / live.n


def fd_errors(live: Live, activations: list[str], p: MatrixPass, l: int) -> np.ndarray:
    """∂C/∂Z(l) entry by entry by central differences."""
    out = np.zeros_like(p.Z[l])
    for index in np.ndindex(out.shape):
        def moved(h, index=index):
            Z = p.Z[l].copy()
            Z[index] += h
            return cost_of(live, activations, l, Z)
        out[index] = live.central(moved)
    return out


def chosen_entry(live: Live, p: MatrixPass, l: int) -> tuple[int, int]:
    """The entry of ∂C/∂W(l) that 2.2.5 works: [1,1] on a listed network, else the largest."""
    if live_parameters(live) <= LISTED:
        return 0, 0
    j, k = np.unravel_index(int(np.argmax(np.abs(p.dW[l]))), p.dW[l].shape)
    return int(j), int(k)


def live_parameters(live: Live) -> int:
    """Weights and biases of the live network."""
    return sum(w.size + (b.size if live.bias else 0) for w, b in zip(live.W, live.B))


def _output_formula(loss: str, output: str) -> str:
    if loss == "cross_entropy":
        return "Δ(L) = (A(L) − Y) / n   (cross-entropy: the slope cancels)"
    return f"Δ(L) = (2/n)(A(L) − Y) ⊙ σ'(Z(L)),  σ' = {SLOPE_TEXT[output]}"


def section_2_2(live: Live) -> Worksheet:
    """Equations 2.2.1-2.2.5 for every layer: Z, Δ, ∂C/∂W, ∂C/∂b and one entry worked."""
    if live.net.penalty is not None and live.net.penalty_rate > 0:
        raise live.refuse("2.2", f"its cost has no {live.net.penalty} penalty")
    acts, L, n = list(live.activations), live.L, live.n
    p = matrix_pass(live.W, live.B, live.X, live.Y, acts, bias=live.bias,
                    loss=live.net.loss_name)
    listed = live_parameters(live) <= LISTED
    num_w, num_b = live.numerical() if listed else (None, None)
    eqs: dict[str, list[Equation]] = {k: [] for k in ("2.2.1", "2.2.2", "2.2.3", "2.2.4",
                                                       "2.2.5")}
    extra: dict[str, LiveValue] = {}
    for l in range(1, L + 1):
        A0, W, Z, D = p.A[l - 1], live.W[l - 1], p.Z[l], p.D[l]
        z11 = [f"{factor(A0[0, j])}·{factor(W[j, 0])}" for j in range(W.shape[0])]
        bias = f" + b({l})[1] {num(live.B[l - 1][0])}" if live.bias else ""
        eqs["2.2.1"].append(Equation(
            "2.2.1", "Z(l) = A(l−1) W(l) + b(l)   (b(l) added to every row)",
            f"A({l - 1}) {shape(A0)} · W({l}) {shape(W)}"
            + (f" + b({l}) 1×{W.shape[1]}" if live.bias else "") + f" → Z({l}) {shape(Z)}\n"
            f"entry [1,1]: row 1 of A({l - 1}) against column 1 of W({l}): "
            f"{terms(z11)}{bias} = {num(Z[0, 0], 6)}\n" + matrix_text(f"Z({l})", Z),
            Z, layer=l))
        if l == L:
            formula = _output_formula(live.net.loss_name, acts[-1])
            a, y = p.A[L][0, 0], live.Y[0, 0]
            if live.net.loss_name == "cross_entropy":
                how = (f"A({L}) − Y {shape(p.A[L])}, / n → Δ({L}) {shape(D)}\n"
                       f"entry [1,1]: ({num(a)} − {num(y)})/{n} = {num(D[0, 0], 6)}")
            else:
                how = (f"A({L}) − Y {shape(p.A[L])}, ⊙ σ'(Z({L})) {shape(Z)} → Δ({L}) "
                       f"{shape(D)}\nentry [1,1]: (2/{n})·({num(a)} − {num(y)})·"
                       f"{factor(slope(acts[-1], Z, p.A[L])[0, 0])} = {num(D[0, 0], 6)}")
        else:
            formula = (f"Δ(l) = (Δ(l+1) W(l+1)ᵀ) ⊙ σ'(Z(l)),  σ' = {SLOPE_TEXT[acts[l - 1]]}")
            back = [f"{factor(d)}·{factor(w)}" for d, w in zip(p.D[l + 1][0], live.W[l][0])]
            s = slope(acts[l - 1], Z, p.A[l])[0, 0]
            how = (f"Δ({l + 1}) {shape(p.D[l + 1])} · W({l + 1})ᵀ {shape(live.W[l].T)} → "
                   f"{shape(D)}, ⊙ σ'(Z({l})) {shape(Z)} → Δ({l}) {shape(D)}\n"
                   f"entry [1,1]: row 1 of Δ({l + 1}) against row 1 of W({l + 1}), times "
                   f"the slope: ({terms(back)} = {num(p.D[l + 1][0] @ live.W[l][0])})·"
                   f"{factor(s)} = {num(D[0, 0], 6)}")
        eqs["2.2.2"].append(Equation(
            "2.2.2", formula, how + "\n" + matrix_text(f"Δ({l})", D), D, layer=l,
            finite_difference=fd_errors(live, acts, p, l) if listed else None))
        extra[f"multiplications 2.2.3 l={l}"] = LiveValue(
            A0.shape[1] * n * D.shape[1],
            f"A({l - 1})ᵀ {shape(A0.T)} · Δ({l}) {shape(D)}: {A0.shape[1] * D.shape[1]} "
            f"entries, each a sum of {n} products: {A0.shape[1]}·{D.shape[1]}·{n} = "
            f"{A0.shape[1] * n * D.shape[1]}")
        eqs["2.2.3"].append(Equation(
            "2.2.3", "∂C/∂W(l) = A(l−1)ᵀ Δ(l)   (no /n: Δ carries it)",
            f"A({l - 1})ᵀ {shape(A0.T)} · Δ({l}) {shape(D)} → {shape(p.dW[l])}, the shape of "
            f"W({l})\n" + matrix_text(f"∂C/∂W({l})", p.dW[l]),
            p.dW[l], layer=l, finite_difference=None if num_w is None else num_w[l - 1]))
        if live.bias:
            eqs["2.2.4"].append(Equation(
                "2.2.4", "∂C/∂b(l) = 1ᵀ Δ(l)   (each column of Δ(l) summed over the rows)",
                f"1ᵀ 1×{n} · Δ({l}) {shape(D)} → 1×{D.shape[1]}\n= {vec(p.db[l], 6)}",
                p.db[l], layer=l, finite_difference=None if num_b is None else num_b[l - 1]))
        j, k = chosen_entry(live, p, l)
        products = [f"{factor(A0[i, j])}·{factor(D[i, k])}" for i in range(n)]
        eqs["2.2.5"].append(Equation(
            "2.2.5", "∂C/∂W(l)[j,k] = Σ_i A(l−1)[i,j] Δ(l)[i,k]",
            f"[j,k] = [{j + 1},{k + 1}]: column {j + 1} of A({l - 1}) against column {k + 1} "
            f"of Δ({l}), one product a row:\n{terms(products)}\n= {num(p.dW[l][j, k], 6)}"
            + (f"\nwith Δ = (2/n) δ this is 1.7.2 corrected: (1/n) Σ 2 a_i({l - 1})[{j + 1}] "
               f"δ_i({l})[{k + 1}]" if live.net.loss_name == "mse" else ""),
            p.dW[l][j, k], layer=l,
            finite_difference=None if num_w is None else num_w[l - 1][j, k]))
    notation = (
        "Rows are samples: A(0) = X is n × inputs, A(l) and Z(l) are n × m(l), W(l) is "
        "m(l−1) × m(l) and b(l) is added to every row.",
        "Δ(l) = ∂C/∂Z(l): entry [i,k] is how the cost moves with z_i(l)[k]. It carries the "
        "mean's 1/n and the squared error's 2, so Δ(l) = (2/n) δ(l) with lesson 1.7's δ; "
        "texts that divide A(l−1)ᵀ Δ(l) by n keep the 1/n out of Δ.",
        "⊙ multiplies entry by entry; ᵀ swaps rows and columns.",
    )
    eqs["2.2.2"].reverse()                       # Δ is passed down: the output layer first
    return live.worksheet("2.2", TITLE, notation=notation, extra=extra,
                          equations=tuple(e for group in eqs.values() for e in group))
