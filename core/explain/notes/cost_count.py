"""Section 2.3 (ours, beyond the notes): why backpropagation is cheap.

Counted: finite differences (1.0.1, per parameter) need 2P cost evaluations for P
parameters, each a forward pass over the rows; backprop needs one forward pass and one
backward pass, about three forward passes of work. Measured: the live network's gradient
over all its training rows (an epoch's worth of work) both ways, timed with
``time.perf_counter``, the median of several runs. Where the finite differences would take
longer than ``FD_BUDGET``, the median evaluation of those done by then is scaled to all 2P.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from ...constants import FINITE_DIFFERENCE_STEP
from ..numbers import num, terms
from .live import Live
from .worksheet import Equation, LiveValue, Worksheet

TITLE = "Why backpropagation is cheap"
BACKPROP_PASSES = 3
"""Backprop's work in forward passes: the forward pass, and a backward pass of about two
(Δ(l+1) W(l+1)ᵀ and A(l−1)ᵀ Δ(l) a layer, each a product as large as the forward one)."""
TIMING = 0.05
"""Seconds a measurement repeats for (the median of the runs is kept)."""
FD_BUDGET = 1.0
"""Seconds the finite differences may take before the rest is scaled from those done."""
REUSED = "the error from the layer above"
KEPT = 16
"""Measurements kept, one per network shape (the oldest goes first)."""
MEASURED: dict[tuple, tuple[float, float, str]] = {}
"""The measurements so far, by network shape, activations, cost and number of rows."""


def median_time(run: Callable[[], object], budget: float = TIMING) -> float:
    """The median of repeated runs of ``run`` (at least five, for ``budget`` seconds): a
    moment when the machine is busy elsewhere moves it little."""
    times: list[float] = []
    while len(times) < 5 or sum(times) < budget:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def finite_difference_epoch(live: Live, budget: float = FD_BUDGET) -> list[float]:
    """The seconds 1.0.1 takes for each parameter in turn (two cost evaluations each),
    stopping once ``budget`` is spent. The network is left as it was."""
    net, h = live.net, FINITE_DIFFERENCE_STEP
    times: list[float] = []
    for array in net.weights + (net.biases if net.bias else []):
        flat = array.reshape(-1)
        for i in range(flat.size):
            start = time.perf_counter()
            original = flat[i]
            flat[i] = original + h
            up = net.loss(live.X, live.Y)
            flat[i] = original - h
            down = net.loss(live.X, live.Y)
            flat[i] = original
            _ = (up - down) / (2.0 * h)         # 1.0.1's quotient, timed with the rest
            times.append(time.perf_counter() - start)
            if sum(times) > budget:
                return times
    return times


def measured(live: Live) -> tuple[float, float, str]:
    """(t backprop, t finite differences, how the latter was timed) for the live network's
    shape, activations, cost and rows: measured the first time, then kept (``MEASURED``),
    so a worksheet redrawn every epoch does not time again."""
    net = live.net
    shape = (live.sizes, tuple(live.activations), net.loss_name, live.bias, live.n)
    if shape not in MEASURED:
        P = sum(w.size + (b.size if live.bias else 0) for w, b in zip(live.W, live.B))
        t_bp = median_time(lambda: net.loss_and_gradients(live.X, live.Y))
        per_parameter = finite_difference_epoch(live)
        if len(per_parameter) == P:
            t_fd = median_time(lambda: finite_difference_epoch(live))
            how = f"all {2 * P:,} evaluations, median of repeated runs"
        else:
            t_fd = statistics.median(per_parameter) * P
            how = (f"{2 * len(per_parameter):,} of the {2 * P:,} evaluations timed, "
                   f"their median scaled to all {2 * P:,}")
        if len(MEASURED) >= KEPT:
            MEASURED.pop(next(iter(MEASURED)))
        MEASURED[shape] = (t_bp, t_fd, how)
    return MEASURED[shape]


def section_2_3(live: Live) -> Worksheet:
    """Equations 2.3.1-2.3.7: the counts, and both ways timed on the live network."""
    sizes, bias = live.sizes, live.bias
    per_layer = [(sizes[l - 1] + (1 if bias else 0)) * sizes[l] for l in range(1, live.L + 1)]
    P = sum(per_layer)
    evaluations = 2 * P
    predicted = evaluations / BACKPROP_PASSES
    t_bp, t_fd, how = measured(live)
    ratio = t_fd / t_bp
    plus = " + 1" if bias else ""
    eqs = (
        Equation("2.3.1", "P = Σ_l (m(l−1)" + (" + 1" if bias else "") + ") m(l)",
                 terms([f"({sizes[l - 1]}{plus})·{sizes[l]}" for l in range(1, live.L + 1)])
                 + f" = {P:,} parameters", P),
        Equation("2.3.2", "finite differences: 2P cost evaluations (1.0.1, per parameter)",
                 f"2·{P:,} = {evaluations:,}, each a forward pass over the {live.n:,} rows",
                 evaluations),
        Equation("2.3.3", "backprop: 1 forward + 1 backward pass ≈ 3 forward passes",
                 "forward: A(l−1) W(l) a layer; backward: Δ(l+1) W(l+1)ᵀ and A(l−1)ᵀ Δ(l) a "
                 "layer, each product as large as the forward one", BACKPROP_PASSES),
        Equation("2.3.4", "predicted ratio = 2P / 3",
                 f"{evaluations:,} / {BACKPROP_PASSES} = {num(predicted, 6)}", predicted),
        Equation("2.3.5", "t(backprop), one gradient over every row",
                 f"{num(t_bp)} s (median of repeated runs, time.perf_counter; measured once a "
                 f"network shape)", t_bp),
        Equation("2.3.6", "t(finite differences), one gradient over every row",
                 f"{num(t_fd)} s ({how})", t_fd),
        Equation("2.3.7", "measured ratio = t(finite differences) / t(backprop)",
                 f"{num(t_fd)} / {num(t_bp)} = {num(ratio, 4)}, against {num(predicted, 4)} "
                 f"predicted (2.3.4)", ratio),
    )
    extra = {"reused": LiveValue(
        REUSED, "Δ(l) = (Δ(l+1) W(l+1)ᵀ) ⊙ σ'(Z(l)): each layer's error is made from the "
        "error of the layer above, computed once and shared by every weight below it",
        ())}
    notation = (
        f"The network is {'-'.join(map(str, sizes))}: m(l) neurons in layer l, "
        f"{live.n:,} training rows.",
        "Times are measured on this machine: they change from run to run; the counts do not.",
    )
    return live.worksheet("2.3", TITLE, notation=notation, equations=eqs, extra=extra,
                          named=())

