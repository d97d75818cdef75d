"""The notes' equations written once, in the notes' notation, for the inspector, the
worksheets and ``python -m core explain``.

Notation: layers l = 1..L with a(0) = x; rows (samples) i and neurons k numbered from 1;
a_i(l)[k] is neuron k of layer l on row i, z_i(l)[k] the sum it applies σ to, w(l)[j,k]
the weight from neuron j of layer l−1 to neuron k of layer l and b(l)[k] the bias of
neuron k; ∂_{w} C is the derivative of C by w. The name helpers take 0-based indices, as
the arrays hold them, and print them from 1.

``FORMULAS`` holds an equation's formula as the notes write it where more than one view
shows it; the ``*_row`` functions write one row of an equation with its numbers, the same
line wherever it is shown.
"""

from __future__ import annotations

from .numbers import RESULT_DIGITS, checked, factor, mean_line, num, vec

FORMULAS = {
    "1.2.3": "σ'(x) = σ(x)(1 − σ(x))",
    "1.5.4": "= (1/n) Σ_{i=1}^{n} 2(a_i(2) − y_i) a_i(2)(1 − a_i(2)) a_i(1)",
    "1.5.5": "∂_{b(2)} C(2) = (1/n) Σ_{i=1}^{n} 2(a_i(2) − y_i) a_i(2)(1 − a_i(2))",
    "1.6.1": "a(l) = σ(a(l−1) w(l) + b(l))",
    "1.6.2": "∂_{w(l)} a_i(l) = a_i(l)(1 − a_i(l)) a_i(l−1)",
    "1.6.3": "∂_{b(l)} a_i(l) = a_i(l)(1 − a_i(l))",
    "1.6.4": "∂_{a_i(l−1)} a_i(l) = a_i(l)(1 − a_i(l)) w(l)",
}
"""The formulas of the equations both the inspector and a worksheet show."""

SYMBOLS = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "linear": "", "softmax": "softmax"}
"""How a layer's activation is written in a(l) = σ(...)."""


def neuron(symbol: str, l: int, k: int, row: int | str | None = None) -> str:
    """``a_2(1)[3]``: entry ``k`` of ``symbol`` (a or z) of layer ``l`` on row ``row`` (a
    name such as ``"i"`` is written as it is); without a row, the neuron ``a(1)[3]``."""
    where = "" if row is None else f"_{row}" if isinstance(row, str) else f"_{row + 1}"
    return f"{symbol}{where}({l})[{k + 1}]"


def weight(l: int, j: int, k: int) -> str:
    """``w(l)[j,k]``: the weight from neuron j of layer l−1 to neuron k of layer l."""
    return f"w({l})[{j + 1},{k + 1}]"


def bias(l: int, k: int) -> str:
    """``b(l)[k]``: the bias of neuron k of layer l."""
    return f"b({l})[{k + 1}]"


def applied(activation: str, inner: str) -> str:
    """``σ(inner)`` with a layer's own activation in place of σ (``inner`` alone for a
    linear layer)."""
    symbol = SYMBOLS.get(activation, activation)
    return f"{symbol}({inner})" if symbol else inner


def forward(l: int, activation: str, has_bias: bool) -> str:
    """Layer ``l``'s forward equation: ``a(2) = σ(a(1) w(2) + b(2))``, the layer's own
    activation in place of σ."""
    return f"a({l}) = " + applied(activation, f"a({l - 1}) w({l})"
                                  + (f" + b({l})" if has_bias else ""))


def forward_row(l: int, row: int, a_prev, z, a) -> str:
    """1.6.1 on one row: ``i=2: σ([0, 1]·w(1) + b(1)) = σ([0.3, 0.087]) = [0.57, 0.52]``."""
    return f"i={row + 1}: σ({vec(a_prev)}·w({l}) + b({l})) = σ({vec(z)}) = {vec(a)}"


def sigmoid_slope_row(row: int, z: float, a: float) -> str:
    """1.2.3 on one row: ``i=2: σ'(0.087) = 0.521737·(1 − 0.521737) = 0.2495`` (a to six
    digits or more, so 1 − a stays readable and the product checks out near a = 1)."""
    a_text, slope = checked(a * (1.0 - a), lambda x: x * (1.0 - x), a, digits=RESULT_DIGITS)
    return f"i={row + 1}: σ'({num(z)}) = {a_text}·(1 − {a_text}) = {slope}"


def slope_row(activation: str, row: int, z: float, a: float, slope: float) -> str:
    """σ'(z) on one row for any element-wise activation (1.2.3's line for a sigmoid)."""
    if activation == "sigmoid":
        return sigmoid_slope_row(row, z, a)
    head = f"i={row + 1}: σ'({num(z)})"
    if activation == "tanh":
        a_text, result = checked(slope, lambda x: 1.0 - x * x, a)
        return f"{head} = 1 − {a_text}² = {result}  (σ = tanh)"
    if activation == "relu":
        return f"{head} = {num(slope)}  (σ = relu: 1 where z > 0, else 0)"
    return f"{head} = 1  (linear: no σ)"


def mean_rows(n: int, values, total: float) -> tuple[str, str]:
    """The last two lines of a mean over the samples as 1.5.4 writes it, the terms and the
    total: ``= (1/4)[0.1 + (-0.2) + ...]`` and ``= 0.0123457``."""
    return (f"= {mean_line(n, [factor(v) for v in values])}",
            f"= {num(total, RESULT_DIGITS)}")


def mean_working(full: list[str], values, total: float) -> list[str]:
    """A mean over the samples worked in three lines: each row's term written out
    (``full``), their values, and the total."""
    n = len(values)
    return [f"= {mean_line(n, full)}", *mean_rows(n, values, total)]


def chain_output_terms(a2, y, a1=None) -> list[str]:
    """The rows' terms of 1.5.4, ``2·(a_i(2) − y_i)·a_i(2)(1 − a_i(2))·a_i(1)``, or of 1.5.5
    without ``a1``, with the chain's numbers."""
    return [f"2·({num(a)} − {num(t)})·{num(a)}(1 − {num(a)})"
            + ("" if a1 is None else f"·{num(a1[i])}") for i, (a, t) in enumerate(zip(a2, y))]


def chain_rule(name: str, l: int, k: int, j: int | None, upstream: str) -> list[str]:
    """∂_{name} C as the chain rule over the rows, for the weight w(l)[j,k] (``j`` None: the
    bias b(l)[k]); ``upstream`` says where ∂_{a_i(l)[k]} C_i comes from: "output" (squared
    error), "cross-entropy" (σ' cancels) or "hidden" (passed back from layer l+1). Ends
    with where the notes omit σ'."""
    z_i, a_i = neuron("z", l, k, "i"), neuron("a", l, k, "i")
    per_row = f"∂_{{{z_i}}} C_i" + ("" if j is None else f" · {neuron('a', l - 1, j, 'i')}")
    lines = [f"∂_{{{name}}} C = (1/n) Σ_{{i=1}}^{{n}} {per_row}",
             "  (C_i: row i's term of the cost, C = (1/n) Σ_{i=1}^{n} C_i)"]
    if upstream == "cross-entropy":
        lines.append(f"∂_{{{z_i}}} C_i = {a_i} − y_i[{k + 1}]  (cross-entropy: σ' cancels)")
    else:
        lines.append(f"∂_{{{z_i}}} C_i = ∂_{{{a_i}}} C_i · σ'({z_i})")
        lines.append(f"∂_{{{a_i}}} C_i = 2({a_i} − y_i[{k + 1}])" if upstream == "output" else
                     f"∂_{{{a_i}}} C_i = Σ_m ∂_{{z_i({l + 1})[m]}} C_i · w({l + 1})[{k + 1},m]")
    if j is None:
        lines.append("The notes' 1.5.13 and 1.7.3 omit the σ' factor; it is included here.")
    else:
        lines.append("The notes' 1.5.12 and 1.7.2 omit the σ' factor (and 1.7.2 writes x_i "
                     "where a_i(l−1) belongs); it is included here.")
    return lines
