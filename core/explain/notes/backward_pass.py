"""One full backward pass by hand: the answer keys of a ``steps`` question's steps.

A steps question (``kind = "steps"``, ``lessons/README.md``) walks one row i from the
output's error down to a first-layer weight: the output error, the output slope, the error
passed back through w(2), the hidden slope, the input and their product. Each step names a
pass key of its section (``backward_passes()``); the lesson parser qualifies it as
``"1.5 pass output error[2]"`` (section, key, row). A number step is that quantity on row i
of the live network (``pass_values``); a formula step is graded like a formula question on
the live network and random ones (``pass_formula_key``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..numbers import num
from .worksheet import NETWORK, LiveValue

if TYPE_CHECKING:       # the formula grader loads on first use: a lesson opens without it
    from ..formula import FormulaKey
    from ..formula.models import Model, Worked

PREFIX = "pass"
GIVE_UP = "?"
"""What a learner types to see a step's answer (recorded as given, not right)."""
QUALIFIED = re.compile(r"(\d\.\d) pass (.+?)(?:\[(\d+)\])?")
"""A qualified pass key: section, the key and (for a number step) the row."""


@dataclass(frozen=True)
class PassKey:
    """One step of the pass: what it asks, its true expression for row i and the referee
    that gives its value on every row of a worked network."""

    name: str
    quantity: str
    row: str
    referee: Callable[[Worked], np.ndarray]
    slopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackwardPass:
    """A section's backward pass: its network, the names it allows and its steps by key."""

    model: Model
    names: tuple[str, ...]
    keys: dict[str, PassKey]


def _pass(model: Model, names: tuple[str, ...], hidden: str, downstream: str, x: str,
          w_row: int) -> BackwardPass:
    """The six steps for hidden neuron 1 and the weight from input ``x`` into it."""
    from ..formula.keys import OUTPUT_SLOPE

    error = "2(a(2) - y)"
    slope = f"{hidden} (1 - {hidden})"
    steps = (
        PassKey("output error", "∂C_i/∂a_i(2), the output's error", error,
                lambda w: 2.0 * (w.a[2][:, 0] - w.state.Y[:, 0])),
        PassKey("output slope", "∂a_i(2)/∂z_i(2), the output neuron's slope", OUTPUT_SLOPE,
                lambda w: w.a[2][:, 0] * (1.0 - w.a[2][:, 0]), (OUTPUT_SLOPE,)),
        PassKey("passed back", f"∂C_i/∂{hidden.replace('(1)', '_i(1)')}, the error passed "
                f"back through {downstream}", f"{error} {OUTPUT_SLOPE} {downstream}",
                lambda w: w.bias_rows(2, 1) * w.state.weights[1][0, 0], (OUTPUT_SLOPE,)),
        PassKey("hidden slope", "the hidden neuron's slope σ'(z_i(1))", slope,
                lambda w: w.a[1][:, 0] * (1.0 - w.a[1][:, 0]), (slope,)),
        PassKey("input", f"∂z_i(1)/∂w(1), the input the weight multiplies, {x}", x,
                lambda w: w.state.X[:, w_row - 1]),
        PassKey("product", "∂C_i/∂w(1), their product: row i's gradient",
                f"{error} {OUTPUT_SLOPE} {downstream} {slope} {x}",
                lambda w: w.weight_rows(1, w_row, 1), (OUTPUT_SLOPE, slope)),
    )
    return BackwardPass(model, names, {step.name: step for step in steps})


@functools.cache
def backward_passes() -> dict[str, BackwardPass]:
    """The sections with a backward pass by hand, and its step keys."""
    from ..formula.keys import CHAIN_NAMES, XOR_NAMES
    from ..formula.models import CHAIN, XOR

    return {"1.5": _pass(CHAIN, CHAIN_NAMES, "a(1)", "w(2)", "x", 1),
            "1.7": _pass(XOR, XOR_NAMES, "a(1)[1]", "w(2)[1,1]", "x1", 1)}


def qualify(section: str, key: str, row: int | None) -> str:
    """The key a step's question carries: ``1.5 pass output error[2]`` (no row: a formula)."""
    return f"{section} {PREFIX} {key}" + ("" if row is None else f"[{row}]")


def is_pass_key(answer: str) -> bool:
    """Whether ``answer`` is a qualified pass key."""
    return QUALIFIED.fullmatch(answer.strip()) is not None


def _split(answer: str) -> tuple[BackwardPass, PassKey]:
    match = QUALIFIED.fullmatch(answer.strip())
    if match is None or match.group(1) not in backward_passes():
        raise KeyError(f"no pass key {answer!r}")
    found = backward_passes()[match.group(1)]
    if match.group(2) not in found.keys:
        raise KeyError(f"no pass key {match.group(2)!r} (known: {', '.join(found.keys)})")
    return found, found.keys[match.group(2)]


def pass_formula_key(answer: str) -> FormulaKey:
    """A formula step's key, graded like a formula question (per row, not summed);
    KeyError if ``answer`` is not a pass key."""
    from ..formula import FormulaKey

    found, step = _split(answer)
    return FormulaKey(answer.split("[")[0].strip(), step.quantity, found.model, step.row,
                      False, step.referee, found.names, slopes=step.slopes)


def question_formula_key(answer: str) -> FormulaKey:
    """The formula key a formula question or step names: a pass key or one of
    ``core.explain.formula.KEYS``; KeyError if neither."""
    from ..formula import formula_key

    return pass_formula_key(answer) if is_pass_key(answer) else formula_key(answer)


def pass_values(answer: str, live_values: Mapping[str, Any]) -> dict[str, LiveValue]:
    """The live value a number step asks for, by its key without the row: the quantity on
    every row of the live network, with its working; KeyError if there is none."""
    from ..formula import NetworkState

    found, step = _split(answer)
    state = NetworkState.from_plain(live_values[NETWORK].value)
    misfit = found.model.fits(state)
    if misfit:
        raise KeyError(misfit)
    values = np.asarray(step.referee(found.model.work(state)), dtype=np.float64)
    rows = ", ".join(f"row {i}: {num(v, 6)}" for i, v in enumerate(values, start=1))
    working = f"{step.quantity}, for row i: {step.row}\n{rows}"
    return {answer.split("[")[0].strip(): LiveValue(values.tolist(), working)}


def closed(answers: Mapping[str, Any]) -> set[str]:
    """The ids among a lesson's ``answers`` (id: an answer with ``text`` and ``grade``) that
    close what they answer: every question's, and a pass's step (``QUESTION/STEP``) only
    once right or given, not after a wrong try."""
    return {key for key, answer in answers.items()
            if "/" not in key or answer.grade.correct or answer.text.strip() == GIVE_UP}
