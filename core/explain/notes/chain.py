"""Sections 1.4 and 1.5: the chain of two sigmoid neurons, forward and back.

a_i(1) = sigma(x_i w(1) + b(1)), a_i(2) = sigma(a_i(1) w(2) + b(2)), C(2) the mean squared
error of a(2) against y. Where the notes err, the notes' formula is evaluated beside the
true quantity and the finite-difference referee:

- 1.4.2-1.4.3 give neuron 1's slope as a cost derivative, without sigma' = a(1)(1 − a(1));
- 1.5.7's parentheses cancel a_i(1), so e_i is the gradient, not a target near a_i(1);
- 1.5.12-1.5.13 drop the factor a_i(1)(1 − a_i(1)) of neuron 1.

The notes' per-sample ∂_{a_i(1)} C(2) is g_i = (a_i(2) − y_i) a_i(2)(1 − a_i(2)) w(2):
sample i's share of 1.5.6 with the 2 and the 1/n written outside the sum (1.7 states the
same convention), so n/2 times the true ∂C(2)/∂a_i(1); the worksheet calls it g_i. The
notes' unindexed ∂_{a(1)} C(2) is 1.5.6 itself.
"""

from __future__ import annotations

import numpy as np

from ..equations import FORMULAS, chain_output_terms, mean_working
from ..numbers import factor, mean_line, num, rows_text
from .live import Live
from .worksheet import Equation, LiveValue, Named, Worksheet

TITLE_1_4 = "Two neurons in a chain: the forward pass"
TITLE_1_5 = "Two neurons in a chain: backpropagation"
NOTES_CONVENTION = ("g_i = (a_i(2) − y_i) a_i(2)(1 − a_i(2)) w(2) is what the notes write "
                    "∂_{a_i(1)} C(2): row i's term of 1.5.6 without the 2 and the 1/n, so "
                    "n/2 times the true ∂C(2)/∂a_i(1)")


class _Chain:
    """The chain's numbers, shared by 1.4 and 1.5."""

    def __init__(self, live: Live, section: str) -> None:
        live.require(section, sizes=(1, 1, 1), sigmoid_only=True, bias=True,
                     what="a chain of two neurons with one input (1-1-1)")
        self.live = live
        self.n = live.n
        self.x, self.y = live.X[:, 0], live.Y[:, 0]
        self.w1, self.b1 = float(live.W[0][0, 0]), float(live.B[0][0])
        self.w2, self.b2 = float(live.W[1][0, 0]), float(live.B[1][0])
        self.a1, self.a2 = live.a[1][:, 0], live.a[2][:, 0]
        self.s1, self.s2 = self.a1 * (1 - self.a1), self.a2 * (1 - self.a2)
        self.r = self.a2 - self.y
        self.d = self.r * self.s2 * self.w2           # g_i, the notes' ∂_{a_i(1)} C(2)
        self.G = float(np.mean(2 * self.d))           # 1.5.6, the notes' ∂_{a(1)} C(2)
        num_w, num_b = live.numerical()
        self.fd = {"w(1)": float(num_w[0][0, 0]), "b(1)": float(num_b[0][0]),
                   "w(2)": float(num_w[1][0, 0]), "b(2)": float(num_b[1][0])}
        self.exact = {"w(1)": float(live.dW[0][0, 0]), "b(1)": float(live.dB[0][0]),
                      "w(2)": float(live.dW[1][0, 0]), "b(2)": float(live.dB[1][0])}

    def named(self) -> list[Named]:
        """The chain's four parameters with their values and exact gradients."""
        values = {"w(1)": self.w1, "b(1)": self.b1, "w(2)": self.w2, "b(2)": self.b2}
        return [Named(k, values[k], self.exact[k], k.startswith("w")) for k in values]

    def worksheet(self, section: str, title: str, eqs: list[Equation],
                  extra: dict[str, LiveValue] | None = None) -> Worksheet:
        """The worksheet of ``section`` (1.4 or 1.5): its equations, with the chain's
        notation and parameters (1.4 names neither the cost nor 1.5's g_i)."""
        live = self.live
        now = ", ".join(f"{p.name} = {num(p.value, 6)}" for p in self.named())
        notation = (
            f"x_i is the input and y_i the target of row i (n = {self.n}); a_i(1), a_i(2) "
            f"are the two neurons' outputs (the app's hidden and output neuron).",
            "w(1), b(1) are neuron 1's weight and bias, w(2), b(2) neuron 2's"
            + ("; C(2) is the training cost." if section == "1.5" else "."),
            f"Now {now}.",
        ) + ((f"{NOTES_CONVENTION}.",) if section == "1.5" else ())
        return live.worksheet(section, title, notation=notation, equations=tuple(eqs),
                              named=tuple(self.named()), extra=extra or {})

    def weight_steps(self) -> LiveValue:
        """Which weight moves more in the next step, argued from the rows' terms of the
        two gradients (w(1)'s row 1 has x = 0; w(2)'s rows pull opposite ways)."""
        n, rows = self.n, range(self.n)
        terms = {"w(1)": 2 * self.d * self.s1 * self.x, "w(2)": 2 * self.r * self.s2 * self.a1}
        sizes = {name: abs(float(np.mean(t))) for name, t in terms.items()}
        best = max(sizes, key=sizes.get)
        lines = [f"|dC/d{name}| = |{mean_line(n, [factor(v) for v in t])}| = "
                 f"{num(sizes[name], 6)}" for name, t in terms.items()]
        zero = [str(i + 1) for i in rows if self.x[i] == 0]
        if zero:
            lines.append(f"w(1): row {', '.join(zero)} has x = 0 and adds nothing")
        pull = np.sign(terms["w(2)"])
        if pull.min() < 0 < pull.max():
            lines.append("w(2): its rows pull opposite ways and cancel in part")
        lines.append(f"each weight moves by η·|dC/d·|: the larger is {best}")
        return LiveValue(best, "\n".join(lines), tuple(sizes.items()))


def section_1_4(live: Live) -> Worksheet:
    """Equations 1.4.1-1.4.7 for a 1-1-1 sigmoid chain (the preset ``chain``)."""
    c = _Chain(live, "1.4")
    n, x, a1, a2, s1, s2 = c.n, c.x, c.a1, c.a2, c.s1, c.s2
    fd_w1 = live.central(lambda h: live.sigma(1, x * (c.w1 + h) + c.b1))
    fd_b1 = live.central(lambda h: live.sigma(1, x * c.w1 + c.b1 + h))
    fd_w2 = live.central(lambda h: live.sigma(2, a1 * (c.w2 + h) + c.b2))
    fd_b2 = live.central(lambda h: live.sigma(2, a1 * c.w2 + c.b2 + h))
    fd_a1 = live.central(lambda h: live.sigma(2, (a1 + h) * c.w2 + c.b2))
    G = c.G
    rng = range(n)
    eqs = [
        Equation("1.4.1", "a_i(1) = σ(x_i w(1) + b(1))", rows_text(
            [f"a_{i + 1}(1) = σ({num(x[i])}·{factor(c.w1)} + {factor(c.b1)}) = {num(a1[i])}"
             for i in rng]), a1),
        Equation("1.4.2", "∂_{w(1)} a_i(1) = 2(∂_{a(1)} C(2)) x_i", rows_text(
            [f"i={i + 1}: a(1)(1 − a(1)) x = {num(a1[i])}·(1 − {num(a1[i])})·{num(x[i])}"
             f" = {num(s1[i] * x[i])}   notes: 2·{factor(G)}·{num(x[i])} = "
             f"{num(2 * G * x[i])}" for i in rng]), s1 * x,
                 notes_as_written=2 * G * x,
                 wrong="neuron 1's own slope is asked for, but the right side borrows "
                       "the cost's derivative, which the notes only define later (1.5.6), "
                       "and lacks σ' = a_i(1)(1 − a_i(1))",
                 corrected="∂_{w(1)} a_i(1) = a_i(1)(1 − a_i(1)) x_i", finite_difference=fd_w1),
        Equation("1.4.3", "∂_{b(1)} a_i(1) = 2(∂_{a(1)} C(2))", rows_text(
            [f"i={i + 1}: a(1)(1 − a(1)) = {num(a1[i])}·(1 − {num(a1[i])}) = {num(s1[i])}"
             f"   notes: 2·{factor(G)} = {num(2 * G)}" for i in rng]), s1,
                 notes_as_written=np.full(n, 2 * G),
                 wrong="as in 1.4.2: a cost derivative where neuron 1's slope "
                       "a_i(1)(1 − a_i(1)) belongs",
                 corrected="∂_{b(1)} a_i(1) = a_i(1)(1 − a_i(1))", finite_difference=fd_b1),
        Equation("1.4.4", "a(2) = σ(a(1) w(2) + b(2))", rows_text(
            [f"a_{i + 1}(2) = σ({num(a1[i])}·{factor(c.w2)} + {factor(c.b2)}) = {num(a2[i])}"
             for i in rng]), a2),
        Equation("1.4.5", "∂_{w(2)} a_i(2) = a_i(2)(1 − a_i(2)) a_i(1)", rows_text(
            [f"i={i + 1}: {num(a2[i])}·(1 − {num(a2[i])})·{num(a1[i])} = {num(s2[i] * a1[i])}"
             for i in rng]), s2 * a1, finite_difference=fd_w2),
        Equation("1.4.6", "∂_{b(2)} a_i(2) = a_i(2)(1 − a_i(2))", rows_text(
            [f"i={i + 1}: {num(a2[i])}·(1 − {num(a2[i])}) = {num(s2[i])}" for i in rng]),
                 s2, finite_difference=fd_b2),
        Equation("1.4.7", "∂_{a_i(1)} a_i(2) = a_i(2)(1 − a_i(2)) w(2)", rows_text(
            [f"i={i + 1}: {num(a2[i])}·(1 − {num(a2[i])})·{factor(c.w2)} = "
             f"{num(s2[i] * c.w2)}" for i in rng]), s2 * c.w2, finite_difference=fd_a1),
    ]
    return c.worksheet("1.4", TITLE_1_4, eqs)


def section_1_5(live: Live) -> Worksheet:
    """Equations 1.5.1-1.5.13 for a 1-1-1 sigmoid chain: the output neuron's gradients, the
    notes' target e_i for neuron 1 (1.5.7-1.5.11) and neuron 1's gradients."""
    c = _Chain(live, "1.5")
    n, x, y, a1, a2, s1, s2, r, d = c.n, c.x, c.y, c.a1, c.a2, c.s1, c.s2, c.r, c.d
    rng = range(n)
    cost = float(np.mean(r * r))
    diff = [f"({num(a2[i])} − {num(y[i])})" for i in rng]
    sl2 = [f"{num(a2[i])}(1 − {num(a2[i])})" for i in rng]

    def mean_lines(full: list[str], values: np.ndarray) -> str:
        return "\n".join(mean_working(full, values, float(np.mean(values))))

    gw2 = 2 * r * s2 * a1
    gb2 = 2 * r * s2
    ga1 = 2 * d
    fd_shift = float(live.central(lambda h: live.cost_from(1, live.a[1] + h)))

    def cost_with_row(i: int, h: float) -> float:
        shifted = live.a[1].copy()
        shifted[i, 0] += h
        return live.cost_from(1, shifted)

    fd_share = np.array([live.central(lambda h, i=i: cost_with_row(i, h)) for i in rng])
    e = a1 - d                     # the target the derivation needs
    e_fd = a1 - (n / 2.0) * fd_share
    c1 = float(np.mean((a1 - e) ** 2))
    gw1_terms = 2 * d * s1 * x
    gb1_terms = 2 * d * s1
    gw1, gb1 = c.exact["w(1)"], c.exact["b(1)"]
    eqs = [
        Equation("1.5.1", "C(2) = (1/n) Σ_{i=1}^{n} (a_i(2) − y_i)²",
                 mean_lines([t + "²" for t in diff], r * r), cost),
        Equation("1.5.2", "∂_{w(2)} C(2) = (1/n) Σ_{i=1}^{n} ∂_{w(2)} ((a_i(2) − y_i)²)",
                 mean_lines([f"∂_{{w(2)}}({t}²)" for t in diff], gw2), c.exact["w(2)"],
                 finite_difference=c.fd["w(2)"]),
        Equation("1.5.3", "= (1/n) Σ_{i=1}^{n} 2(a_i(2) − y_i) ∂_{w(2)} a_i(2)",
                 mean_lines([f"2·{diff[i]}·{num(s2[i] * a1[i])}" for i in rng], gw2),
                 c.exact["w(2)"], finite_difference=c.fd["w(2)"]),
        Equation("1.5.4", FORMULAS["1.5.4"], mean_lines(chain_output_terms(a2, y, a1), gw2),
                 c.exact["w(2)"], finite_difference=c.fd["w(2)"]),
        Equation("1.5.5", FORMULAS["1.5.5"], mean_lines(chain_output_terms(a2, y), gb2),
                 c.exact["b(2)"], finite_difference=c.fd["b(2)"]),
        Equation("1.5.6", "∂_{a(1)} C(2) = (1/n) Σ_{i=1}^{n} 2(a_i(2) − y_i) a_i(2)(1 − a_i(2)) "
                          "w(2)",
                 mean_lines([f"2·{diff[i]}·{sl2[i]}·{factor(c.w2)}" for i in rng], ga1)
                 + "\n  (how C(2) changes when every a_i(1) moves by the same amount)",
                 c.G, finite_difference=fd_shift),
        Equation("1.5.7", "e_i = a_i(1) − (a_i(1) − ∂_{a(1)} C(2))", rows_text(
            [f"i={i + 1}: a_{i + 1}(1) − g_{i + 1} = {num(a1[i])} − "
             f"{factor(d[i])} = "
             f"{num(e[i])}   notes: {num(a1[i])} − ({num(a1[i])} − {factor(c.G)}) = "
             f"{num(c.G)}" for i in rng]), e,
                 notes_as_written=np.full(n, c.G),
                 wrong="the parentheses cancel a_i(1), so e_i becomes the gradient itself; "
                       "the target must be a_i(1) moved against its own gradient",
                 corrected="e_i = a_i(1) − g_i", finite_difference=e_fd),
        Equation("1.5.8", "C(1) = (1/n) Σ_{i=1}^{n} (a_i(1) − e_i)²",
                 mean_lines([f"({num(a1[i])} − {num(e[i])})²" for i in rng], (a1 - e) ** 2),
                 c1),
        Equation("1.5.9", "∂_{w(1)} C(1) = ∂_{w(1)} ((1/n) Σ_{i=1}^{n} (a_i(1) − e_i)²)",
                 f"= how fast C(1) = {num(c1, 6)} changes with w(1), the e_i held fixed\n"
                 f"= {num(gw1, 6)}  (equal to ∂_{{w(1)}} C(2): that is why e_i is built so)",
                 gw1, finite_difference=c.fd["w(1)"]),
        Equation("1.5.10", "= (1/n) Σ_{i=1}^{n} ∂_{w(1)} ((a_i(1) − e_i)²)",
                 mean_lines([f"∂_{{w(1)}}({num(a1[i])} − {num(e[i])})²" for i in rng],
                            gw1_terms), gw1, finite_difference=c.fd["w(1)"]),
        Equation("1.5.11", "= (1/n) Σ_{i=1}^{n} 2(a_i(1) − e_i) ∂_{w(1)} a_i(1)",
                 mean_lines([f"2·{factor(a1[i] - e[i])}·{num(s1[i] * x[i])}" for i in rng],
                            gw1_terms), gw1, finite_difference=c.fd["w(1)"]),
        Equation("1.5.12", "= (1/n) Σ_{i=1}^{n} 2(∂_{a_i(1)} C(2)) x_i",
                 mean_lines([f"2·{factor(d[i])}·{num(a1[i])}(1 − {num(a1[i])})·{num(x[i])}"
                             for i in rng], gw1_terms)
                 + f"\n  notes: {mean_line(n, [f'2·{factor(d[i])}·{num(x[i])}' for i in rng])}"
                   f" = {num(float(np.mean(2 * d * x)), 6)}",
                 gw1, notes_as_written=float(np.mean(2 * d * x)),
                 wrong="neuron 1's slope a_i(1)(1 − a_i(1)) is missing: 1.5.11's "
                       "∂_{w(1)} a_i(1) was taken as x_i",
                 corrected="(1/n) Σ 2 g_i a_i(1)(1 − a_i(1)) x_i",
                 finite_difference=c.fd["w(1)"]),
        Equation("1.5.13", "∂_{b(1)} C(1) = (1/n) Σ_{i=1}^{n} 2(∂_{a_i(1)} C(2))",
                 mean_lines([f"2·{factor(d[i])}·{num(a1[i])}(1 − {num(a1[i])})" for i in rng],
                            gb1_terms)
                 + f"\n  notes: {mean_line(n, [f'2·{factor(d[i])}' for i in rng])}"
                   f" = {num(float(np.mean(2 * d)), 6)}",
                 gb1, notes_as_written=float(np.mean(2 * d)),
                 wrong="as in 1.5.12, the factor a_i(1)(1 − a_i(1)) is missing",
                 corrected="(1/n) Σ 2 g_i a_i(1)(1 − a_i(1))",
                 finite_difference=c.fd["b(1)"]),
    ]
    return c.worksheet("1.5", TITLE_1_5, eqs, {"largest weight step": c.weight_steps()})
