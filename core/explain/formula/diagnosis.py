"""What a tutor says about a wrong formula: the known slip it shows, or where it differs.

An answer is compared, on the live state and the random ones, with references built from
the key: the truth, the notes' own form, the truth without each σ' factor, with the names a
learner swaps swapped, with the downstream weight once too often or too few, times n or
1/n, summed where one row is asked; each up to a sign and a factor 2. The first reference
it equals on every state names its slips. Otherwise each factor of the true product is
tested: removed, replaced by a constant or by one of the question's names (what the answer
has in its place), or joined by an extra name; failing that, the answer's ratio to the
truth on the live network's first row is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..numbers import num
from .keys import Case, FormulaKey
from .parser import parse
from .slips import SLIPS, constant_slips
from .tree import Binary, Name, Node, evaluate, factors

RELATIVE = 1e-9
"""Two values are equal when they differ by at most this fraction of the reference (and of
a millionth of the reference's largest row, so a row where it is 0 is not held to 0)."""
MAX_GROUP = 3
"""Factor analysis tries runs of up to this many adjacent factors (a σ' is two)."""

Values = Callable[[Case], np.ndarray]


@dataclass(frozen=True)
class Diagnosis:
    """The slips an answer shows (keys of ``slips.SLIPS``) and what the tutor says."""

    slips: tuple[str, ...]
    text: str


def close(answer: np.ndarray, reference: np.ndarray) -> bool:
    """True when ``answer`` equals ``reference`` on every entry to RELATIVE."""
    if not np.all(np.isfinite(answer)):
        return False
    floor = 1e-6 * float(np.max(np.abs(reference), initial=0.0))
    return bool(np.all(np.abs(answer - reference)
                       <= RELATIVE * np.maximum(np.abs(reference), floor)))


def reduce(values: np.ndarray, summed: bool) -> np.ndarray:
    """Per-row values as compared: the rows themselves, or their mean for a summed
    answer (a summed answer is one number on every row, so its mean is that number)."""
    return np.array([values.mean()]) if summed else values


def constant_ratio(answers: Sequence[np.ndarray], references: Sequence[np.ndarray]
                   ) -> float | None:
    """c where ``answers`` equal c times ``references`` on every state, else None (0 and
    non-finite c are None: an answer of 0 is no slip)."""
    first = references[0]
    at = int(np.argmax(np.abs(first)))
    if first[at] == 0:
        return None
    c = float(answers[0][at] / first[at])
    if not np.isfinite(c) or c == 0:
        return None
    return c if all(close(a, c * r) for a, r in zip(answers, references)) else None


def _tree_values(tree: Node) -> Values:
    return lambda case: evaluate(tree, case.env)


def _without(tree: Node, part: Node) -> Node | None:
    """``tree``'s product without the run of factors ``part`` (None where it has none)."""
    whole, run = factors(tree), factors(part)
    for start in range(len(whole) - len(run) + 1):
        if whole[start:start + len(run)] == run:
            rest = whole[:start] + whole[start + len(run):]
            return _product(rest) if rest else None
    return None


def _product(parts: Sequence[Node]) -> Node:
    product = parts[0]
    for part in parts[1:]:
        product = Binary("*", product, part)
    return product


def _swapped(node: Node, old: str, new: str) -> Node:
    """``node`` with the name ``old`` replaced by ``new`` everywhere."""
    if isinstance(node, Name):
        return Name(new) if node.name == old else node
    if isinstance(node, Binary):
        return Binary(node.op, _swapped(node.left, old, new), _swapped(node.right, old, new))
    fields = {name: _swapped(value, old, new) for name, value in vars(node).items()
              if isinstance(value, Node)}
    return type(node)(**{**vars(node), **fields}) if fields else node


def references(key: FormulaKey, summed: bool) -> list[tuple[Values, tuple[str, ...], str]]:
    """The known wrong forms of ``key`` (and the truth itself), each with its slips and
    note, in the order the tutor tries them."""
    vocabulary = key.model.vocabulary()
    refs: list[tuple[Values, tuple[str, ...], str]] = [(lambda c: c.truth, (), "")]
    for form in (*([key.notes] if key.notes else []), *key.also):
        refs.append((_tree_values(parse(form.row, vocabulary)), form.slips, form.note))
    for slope in key.slopes:
        tree = _without(key.row_tree, parse(slope, vocabulary))
        if tree is not None:
            refs.append((_tree_values(tree), ("sigma_prime",),
                         f"the slope {parse(slope, vocabulary)} is not in your product"))
    for old, new in key.swaps:
        refs.append((_tree_values(_swapped(key.row_tree, old, new)), ("x_for_a",),
                     f"{new} stands where {old} belongs"))
    if key.downstream is not None:
        w = key.downstream
        refs.append((lambda c: c.truth * c.env.bindings[w], ("downstream_weight",),
                     f"an extra factor {w}"))
        refs.append((lambda c: c.truth / c.env.bindings[w], ("downstream_weight",),
                     f"the factor {w} is missing"))
    if not summed:
        refs.append((lambda c: np.full(c.env.rows, c.truth.mean()), ("per_row_vs_summed",),
                     "one value for every row: the mean over the rows"))
        refs.append((lambda c: np.full(c.env.rows, c.truth.sum()), ("per_row_vs_summed",),
                     "one value for every row: the sum over the rows"))
    scaled = []
    for values, slips, note in refs:
        scaled.append((values, slips, note))
        for times, says in ((True, "no 1/n where it belongs"), (False, "a 1/n too many")):
            scaled.append((_by_n(values, times), (*slips, "one_over_n"),
                           "; ".join(filter(None, (note, says)))))
    return scaled


def _by_n(values: Values, times: bool) -> Values:
    return lambda c: values(c) * c.env.rows if times else values(c) / c.env.rows


def _says(slips: Sequence[str], notes: Sequence[str]) -> str:
    lines = [f"- {SLIPS[s].title}: {SLIPS[s].advice}" for s in dict.fromkeys(slips)]
    lines += [f"  ({note})" for note in notes if note]
    return "\n".join(lines)


def diagnose(key: FormulaKey, answer: Node, cases: Sequence[Case], summed: bool) -> Diagnosis:
    """What is wrong with ``answer`` (already found unequal to the truth) for ``key``,
    judged on ``cases`` (the live state first); ``summed`` when the answer is one number
    for the cost's gradient rather than one value per row."""
    answers = [reduce(evaluate(answer, case.env), summed) for case in cases]
    live = answers[0]
    if not np.all(np.isfinite(live)):
        row = int(np.argmin(np.isfinite(live))) + 1
        where = "" if summed else f" on row {row}"
        return Diagnosis((), f"Yours is undefined{where} of the live network (a division "
                             f"by zero or an overflow).")
    generic: float | None = None
    for values, slips, note in references(key, summed):
        refs = [reduce(values(case), summed) for case in cases]
        c = constant_ratio(answers, refs)
        if c is None:
            continue
        more, says = constant_slips(c)
        if says and slips:
            continue
        if says:
            generic = generic if generic is not None else c
            continue
        found = (*slips, *more)
        if not found:
            continue
        return Diagnosis(tuple(dict.fromkeys(found)), "It matches a known slip on every "
                         "network it was checked on:\n" + _says(found, [note]))
    located = _factor_analysis(key, answers, cases, summed)
    if located:
        return Diagnosis((), located)
    if generic is not None:
        return Diagnosis((), f"Yours is {num(generic, 4)} times the truth on every row of "
                             f"every network it was checked on: a constant factor is off.")
    return Diagnosis((), _where_it_differs(answers, [reduce(c.truth, summed) for c in cases],
                                           summed))


def _where_it_differs(answers: Sequence[np.ndarray], truths: Sequence[np.ndarray],
                      summed: bool) -> str:
    """The first place an answer and the truth differ, with their ratio, and whether the
    answer is one constant everywhere."""
    values = np.concatenate(answers)
    constant = (f"Yours is the constant {num(values[0], 4)} on every row of every network, "
                f"while the truth changes with the network. ") if np.ptp(values) == 0 else ""
    state = next(s for s, (a, t) in enumerate(zip(answers, truths)) if not close(a, t))
    answer, truth = answers[state], truths[state]
    row = int(np.argmax(np.abs(answer - truth)))
    where = ("the live network" if state == 0 else
             f"random network {state} (it equals the truth on the live network)")
    if not summed:
        where = f"row {row + 1} of {where}"
    ratio = (f": {num(answer[row] / truth[row], 4)} times the truth" if truth[row] != 0
             else "")
    return (f"{constant}On {where} yours is {num(answer[row], 6)} and the truth "
            f"{num(truth[row], 6)}{ratio}. No single factor of the true product accounts "
            f"for the difference: work it again factor by factor.")


def _factor_analysis(key: FormulaKey, answers: Sequence[np.ndarray], cases: Sequence[Case],
                     summed: bool) -> str:
    """Which factor of the true product the answer does not match: the sentence, or ''."""
    parts = factors(key.row_tree)
    names = [name for name in key.names if name in cases[0].env.bindings]
    values = [[evaluate(part, case.env) for part in parts] for case in cases]

    def matches(per_case: Callable[[int], np.ndarray]) -> float | None:
        return constant_ratio(answers, [reduce(per_case(s), summed)
                                        for s in range(len(cases))])

    for size in range(1, min(MAX_GROUP, len(parts) - 1) + 1):
        for start in range(len(parts) - size + 1):
            group = _product(parts[start:start + size])
            others = [k for k in range(len(parts)) if not start <= k < start + size]
            if not any(parts[k].names() for k in others):
                continue                   # what is left is a constant: nothing to locate

            rests = [np.prod([np.broadcast_to(values[s][k], (case.env.rows,))
                              for k in others], axis=0) for s, case in enumerate(cases)]

            def rest(s: int, rests=rests) -> np.ndarray:
                return rests[s]

            c = matches(rest)
            if c is not None:
                return (f"The factor {group} of the true product is missing." if
                        abs(c - 1) <= 1e-9 else
                        f"Where the true product has {group}, yours has the constant "
                        f"{num(c, 4)}.")
            for name in names:
                c = matches(lambda s, name=name, rest=rest:
                            rest(s) * cases[s].env.bindings[name])
                if c is not None and abs(c - 1) <= 1e-9:
                    return f"Where the true product has {group}, yours has {name}."
    for name in names:
        c = matches(lambda s, name=name: cases[s].truth * cases[s].env.bindings[name])
        if c is not None and abs(c - 1) <= 1e-9:
            return f"Yours has an extra factor {name}."
    return ""
