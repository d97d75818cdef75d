"""Section 1.0: the derivative as a limit (1.0.1), estimated with a finite epsilon.

The notes define C'(w) as the limit of the one-sided quotient (C(w + ε) − C(w)) / ε. With a
finite ε that quotient is off by about ε C''(w) / 2 (truncation), and below ε ≈ 1e-8 the
subtraction of two nearly equal costs loses the digits that matter (rounding). The central
quotient (C(w + ε) − C(w − ε)) / 2ε is off by about ε² C'''(w) / 6 only. Both are compared
with backprop's exact C'(w), for one ε and over ε = 1e-1 ... 1e-12.
"""

from __future__ import annotations

import math

from ...checks import is_number
from ...constants import FINITE_DIFFERENCE_STEP
from ..numbers import factor, num
from .live import Live
from .worksheet import (
    EpsilonPoint,
    EpsilonStudy,
    Equation,
    ExplainError,
    LiveValue,
    Named,
    Worksheet,
)

TITLE = "Finite differences: the derivative as a limit"
EPSILONS = tuple(10.0 ** -k for k in range(1, 13))
FORMULA = "C'(w) = lim_{ε→0} (C(w + ε) − C(w)) / ε"


def exact_text(cost: float) -> str:
    """A cost with every digit it has (the shortest text that reads back as the same
    float), so the quotients can be worked from the screen at any ε."""
    return repr(float(cost))


def parameter_name(live: Live) -> str:
    """The name the section gives the weight it differentiates by: ``w`` for a single
    weight, else the first weight ``w(1)[1,1]``."""
    return "w" if live.sizes == (1, 1) else "w(1)[1,1]"


def _cost_at(live: Live, w: float) -> float:
    net = live.net
    original = net.weights[0][0, 0]
    try:
        net.weights[0][0, 0] = w
        return float(net.loss(live.X, live.Y))
    finally:
        net.weights[0][0, 0] = original


def _point(live: Live, w: float, exact: float, epsilon: float, cost: float) -> EpsilonPoint:
    up, down = _cost_at(live, w + epsilon), _cost_at(live, w - epsilon)
    one_sided = (up - cost) / epsilon
    central = (up - down) / (2.0 * epsilon)
    return EpsilonPoint(epsilon, one_sided, central, abs(one_sided - exact),
                        abs(central - exact))


def section_1_0(live: Live, epsilon: float = FINITE_DIFFERENCE_STEP) -> Worksheet:
    """Equation 1.0.1 on the live network: C'(w) for its first weight by the one-sided
    quotient as 1.0.1 writes it and by the central one, both at ``epsilon``, against
    backprop; plus the series over ε = 1e-1 ... 1e-12 for a log-log plot of the errors."""
    if not (is_number(epsilon) and math.isfinite(epsilon) and 0 < epsilon <= 1):
        raise ExplainError(f"epsilon: expected a number in (0, 1], got {epsilon!r}")
    live.require("1.0", notes_cost=False)
    name = parameter_name(live)
    w = float(live.W[0][0, 0])
    exact = float(live.dW[0][0, 0])
    cost = _cost_at(live, w)
    at = _point(live, w, exact, float(epsilon), cost)
    series = tuple(_point(live, w, exact, e, cost) for e in EPSILONS)
    up, down = _cost_at(live, w + epsilon), _cost_at(live, w - epsilon)
    eps = num(epsilon, 3)
    substituted = "\n".join([
        f"{name} = {num(w, 6)}, ε = {eps}",
        f"one-sided, as 1.0.1 writes it: (C({name} + ε) − C({name})) / ε",
        f"  = (C({num(w + epsilon, 8)}) − C({num(w, 8)})) / {eps}",
        f"  = ({exact_text(up)} − {exact_text(cost)}) / {eps} = {num(at.one_sided, 8)}",
        f"central: (C({name} + ε) − C({name} − ε)) / 2ε",
        f"  = ({exact_text(up)} − {exact_text(down)}) / {num(2 * epsilon, 3)}"
        f" = {num(at.central, 8)}",
        f"backprop (the limit): C'({name}) = {num(exact, 8)}",
        f"errors: one-sided {at.one_sided_error:.2e}, central {at.central_error:.2e}",
    ])
    equation = Equation("1.0.1", FORMULA, substituted, exact, finite_difference=at.central)
    closer = "central" if at.central_error <= at.one_sided_error else "one-sided"
    extra = {
        "epsilon": LiveValue(float(epsilon), f"ε = {eps}"),
        "one-sided": LiveValue(at.one_sided, substituted.splitlines()[3]),
        "central": LiveValue(at.central, substituted.splitlines()[5]),
        "one-sided error": LiveValue(at.one_sided_error,
                                     f"|{num(at.one_sided, 8)} − {factor(exact, 8)}|"),
        "central error": LiveValue(at.central_error,
                                   f"|{num(at.central, 8)} − {factor(exact, 8)}|"),
        "closer estimate": LiveValue(closer, f"one-sided error {at.one_sided_error:.2e}, "
                                             f"central error {at.central_error:.2e}",
                                     (("one-sided", at.one_sided_error),
                                      ("central", at.central_error))),
    }
    notation = (
        f"w is {'the single weight' if name == 'w' else 'the first weight, w(1)[1,1]'} of "
        f"preset {live.preset}; C is its training cost over the {live.n} rows.",
        "1.0.1 is a limit: any finite ε gives an estimate, backprop gives the limit.",
    )
    return live.worksheet(
        "1.0", TITLE, notation=notation, equations=(equation,),
        named=(Named(name, w, exact, True),), extra=extra,
        epsilon=EpsilonStudy(name, w, exact, at, series))
