"""Grading a typed formula: right when it equals the truth on every row of the live
network and of ``state.RANDOM_STATES`` random networks like it, to 1e-9 relative.

So ``1/4`` for σ' is wrong even where it is close now, and any rearrangement of the truth
is right. An answer to a cost's gradient may be the whole ``(1/n) Σ(...)`` (one number) or
the row's term inside it (one value per row); an answer to a per-row quantity is compared
row by row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..numbers import vec
from .diagnosis import Diagnosis, close, diagnose, reduce
from .keys import FormulaKey
from .parser import parse
from .state import RANDOM_STATES, NetworkState, random_states
from .tree import evaluate


@dataclass(frozen=True)
class FormulaVerdict:
    """The verdict on one formula: right or not, the diagnosis where not, and the working
    (the truth and both values on the live network)."""

    correct: bool
    diagnosis: Diagnosis | None
    working: str


def check_formula(key: FormulaKey, text: str, state: NetworkState,
                  names: Iterable[str] | None = None) -> FormulaVerdict:
    """Grade ``text`` as an answer to ``key`` on ``state`` (the live network) and the random
    states; ``names`` are the names the question allows (default: the key's). FormulaError
    (one line) if the text is not a formula in those names; ValueError if ``state`` is not
    the key's network."""
    tree = parse(text, key.vocabulary(names))
    misfit = key.model.fits(state)
    if misfit:
        raise ValueError(misfit)
    cases = [key.case(s) for s in (state, *random_states(
        state, sigmoid=key.model.sigmoid_layers))]
    summed = key.summed and not tree.per_row(key.model.row_names)
    answers = [reduce(evaluate(tree, case.env), summed) for case in cases]
    truths = [reduce(case.truth, summed) for case in cases]
    correct = all(close(a, t) for a, t in zip(answers, truths))
    what = "the cost's gradient" if summed else "row by row"
    working = "\n".join((
        f"{key.quantity}, for one row i: {key.row}",
        *((f"the cost's gradient is (1/n) Σ of it: {key.truth}",) if key.summed else ()),
        f"on the live network ({state.n} rows), {what}: truth {vec(truths[0], 6)}, "
        f"yours {vec(answers[0], 6)}",
        f"checked on the live network and {RANDOM_STATES} random networks like it, "
        f"to 1e-9 relative"))
    if correct:
        return FormulaVerdict(True, None, working)
    return FormulaVerdict(False, diagnose(key, tree, cases, summed), working)

