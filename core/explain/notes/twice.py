"""Section 1.1, "twice": one weight, no bias, no activation; C(w) and C'(w) step by step.

The model is a_i = x_i w. The derivation 1.1.2-1.1.6 moves the derivative inside the mean
and the sum, then applies the chain rule to each square; every line has the same value,
C'(w), and each line shows its own terms.
"""

from __future__ import annotations

import numpy as np

from ..numbers import factor, mean_line, num
from .live import Live
from .worksheet import Equation, Named, Worksheet

TITLE = '"Twice": one weight and its derivative'


def section_1_1(live: Live) -> Worksheet:
    """Equations 1.1.1-1.1.6 for a 1-1 linear model without bias (the preset ``twice``)."""
    live.require("1.1", sizes=(1, 1), bias=False, what="one input and one weight (1-1)")
    if live.activations != ["linear"]:
        raise live.refuse("1.1", "its model has no activation (linear output)")
    x, y = live.X[:, 0], live.Y[:, 0]
    w = float(live.W[0][0, 0])
    n = live.n
    r = x * w - y                      # x_i w − y_i
    cost = float(np.mean(r * r))
    slope = float(np.mean(2 * r * x))  # C'(w), 1.1.6
    fd = float(live.numerical()[0][0][0, 0])
    inner = [f"({num(xi)}·{factor(w)} − {factor(yi)})" for xi, yi in zip(x, y)]
    d_terms = [2 * ri * xi for ri, xi in zip(r, x)]
    total = num(slope, 6)
    chain = [f'2·{factor(ri)}·{factor(xi)}' for ri, xi in zip(r, x)]

    eqs = [
        Equation("1.1.1", "C(w) = (1/n) Σ_{i=1}^{n} (x_i w − y_i)²",
                 "\n".join([f"= {mean_line(n, [t + '²' for t in inner])}",
                            f"= {mean_line(n, [num(ri * ri) for ri in r])}",
                            f"= {num(cost, 6)}"]), cost),
        Equation("1.1.2", "C'(w) = ((1/n) Σ_{i=1}^{n} (x_i w − y_i)²)'",
                 f"= d/dw of C(w) = {num(cost, 6)} at w = {num(w, 6)}\n= {total}",
                 slope, finite_difference=fd),
        Equation("1.1.3", "= (1/n) (Σ_{i=1}^{n} (x_i w − y_i)²)'",
                 f"= (1/{n})·({num(n * slope, 6)})\n= {total}", slope, finite_difference=fd),
        Equation("1.1.4", "= (1/n) Σ_{i=1}^{n} ((x_i w − y_i)²)'",
                 "\n".join([f"= {mean_line(n, [f'({t}²)' + chr(39) for t in inner])}",
                            f"= {mean_line(n, [factor(t) for t in d_terms])}",
                            f"= {total}"]), slope, finite_difference=fd),
        Equation("1.1.5", "= (1/n) Σ_{i=1}^{n} 2(x_i w − y_i)(x_i w − y_i)'",
                 "\n".join([f"= {mean_line(n, chain)}",
                            "  ((x_i w − y_i)' = x_i: y_i does not depend on w)",
                            f"= {total}"]), slope, finite_difference=fd),
        Equation("1.1.6", "= (1/n) Σ_{i=1}^{n} 2(x_i w − y_i) x_i",
                 "\n".join([f"= {mean_line(n, [f'2{t}·{factor(xi)}' for t, xi in zip(inner, x)])}",
                            f"= {mean_line(n, [factor(t) for t in d_terms])}",
                            f"= {total}"]), slope, finite_difference=fd),
    ]
    notation = (
        f"x_i is the input and y_i the target of row i (n = {n} rows); w is the only weight.",
        "The model is x_i w: no activation and no bias.",
    )
    return live.worksheet("1.1", TITLE, notation=notation, equations=tuple(eqs),
                          named=(Named("w", w, slope, True),))
