"""Grading a learner's prediction against the live network, with the working shown.

The rule, in one place (``lessons/README.md`` states it for lesson writers):

- a number is right within ``tolerance(expected)``: ``RELATIVE`` (1%) of the value, and at
  least ``ZERO``; a value within ``ZERO`` of 0 is rounding noise and counts as 0, so 0 is
  never right for a value that is not 0. The worksheet prints every number a question is
  worked from to at least four significant digits (more where a difference of nearly equal
  numbers needs them), so a careful hand calculation lands well inside 1%;
- a sign is positive, negative or zero (|value| <= ``ZERO``), and may be typed as up/down;
- a choice between options whose deciding sizes are within ``TIE`` (5%) of each other is a
  near tie: the verdict says so and counts any of the tied options, rather than grading a
  coin toss;
- a reply that cannot be read is refused (``refusal``) in one line that repeats the
  question's format and shows no expected value; it is not an attempt;
- a formula is right when it equals the truth on every row of the live network and of
  random networks like it, to 1e-9 relative (``core.explain.formula``); a formula outside
  the grammar or the question's names is refused in one line;
- a steps question (a backward pass by hand) grades each step as its own number or formula
  question (``grade`` on the step); ``?`` gives a step's answer (``give``), recorded as
  given, not right; the whole pass is right when every step was (``grade_pass``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .backward_pass import GIVE_UP, is_pass_key, pass_values, question_formula_key
from .lessons import Question
from .worksheet import NETWORK, LiveValue, num

RELATIVE = 0.01
"""A number answer may be off by this fraction of the expected value."""
ZERO = 1e-9
"""Values this close to 0 are rounding noise: they count as 0, and no tolerance is smaller."""
TIE = 0.05
"""Choice options whose deciding sizes differ by less than this fraction are a near tie."""

SIGNS = {"+": "positive", "positive": "positive", "pos": "positive", ">0": "positive",
         "up": "positive", "-": "negative", "−": "negative", "negative": "negative",
         "neg": "negative", "<0": "negative", "down": "negative", "0": "zero",
         "zero": "zero"}


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: ``expected`` as text, the tolerance used (None for a sign
    or a choice) and the working that computes the expected answer from the live network.
    ``understood`` is False when the answer could not be read (then ``correct`` is False,
    ``expected`` is empty and ``working_text`` is the one-line refusal). ``note`` says, for
    a near tie, which options were too close to call."""

    correct: bool
    expected: str
    tolerance: float | None
    working_text: str
    understood: bool = True
    note: str = ""


def tolerance(expected: float) -> float:
    """How far a number answer may be from ``expected``: 1% of it, never less than ZERO."""
    return max(RELATIVE * abs(expected), ZERO)


def answer_format(question: Question) -> str:
    """What a reply to ``question`` looks like, in words."""
    if question.kind == "number":
        return "a number, e.g. -0.25, 1e-3 or 1/12"
    if question.kind == "sign":
        return "+ or up, - or down, or 0"
    if question.kind == "steps":
        return f"each step in turn, a number or a formula; {GIVE_UP} shows a step's answer"
    if question.kind == "formula":
        key = question_formula_key(question.answer)
        return (f"a formula in {', '.join(question.names or key.names)}, using + − * / ^ "
                f"( ) and {', '.join(f + '( )' for f in key.functions)}")
    return f"one of {', '.join(question.choices)}, or its number"


def parse_number(text: str) -> float | None:
    """A typed number: ``0.25``, ``-3``, ``−3`` (Unicode minus), ``1e-3`` or ``1/12``."""
    cleaned = text.strip().replace("−", "-").replace(" ", "")
    try:
        value = float(Fraction(cleaned)) if "/" in cleaned else float(cleaned)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


def _read_sign(text: str) -> str | None:
    return SIGNS.get(text.strip().lower().replace(" ", ""))


def _read_choice(question: Question, text: str) -> str | None:
    text = text.strip()
    norm = {c.lower().replace(" ", ""): c for c in question.choices}
    chosen = norm.get(text.lower().replace(" ", ""))
    if chosen is None and text.isdigit() and 1 <= int(text) <= len(question.choices):
        chosen = question.choices[int(text) - 1]
    return chosen


def refusal(question: Question, answer_text: str) -> str | None:
    """None if ``answer_text`` reads as a reply to ``question``; else the one line that
    refuses it: the question's format, no expected value (for a formula: what in it is
    outside the grammar or the question's names)."""
    if question.kind == "formula":
        from ..formula import FormulaError, parse

        key = question_formula_key(question.answer)
        try:
            parse(answer_text.strip(), key.vocabulary(question.names or None))
        except FormulaError as error:
            return f"Not counted: {error}. Try again."
        return None
    reader = {"number": parse_number, "sign": _read_sign}.get(question.kind)
    read = reader(answer_text) if reader else _read_choice(question, answer_text)
    if read is not None:
        return None
    return (f"Not counted: {answer_text.strip()!r} is not {answer_format(question)}. "
            f"Try again.")


def lookup(key: str, live_values: Mapping[str, Any]) -> LiveValue:
    """The live value named ``key``; a trailing ``[i]`` or ``[i,j]`` (1-based) picks an
    entry of a list value. KeyError if there is none."""
    def wrap(value: Any) -> LiveValue:
        return value if isinstance(value, LiveValue) else LiveValue(value, f"{key} = {value}")

    if key in live_values:
        return wrap(live_values[key])
    match = re.fullmatch(r"(.+?)\s*\[([\d,\s]+)\]", key)
    if not match or match.group(1) not in live_values:
        raise KeyError(key)
    base = wrap(live_values[match.group(1)])
    value = base.value
    indices = [int(i) for i in match.group(2).split(",")]
    for i in indices:
        if not isinstance(value, list) or not 1 <= i <= len(value):
            raise KeyError(key)
        value = value[i - 1]
    return LiveValue(value, f"{base.working}\n{key} = {num(value, 6)}")


def _sign(value: float) -> str:
    return "zero" if abs(value) <= ZERO else ("positive" if value > 0 else "negative")


def near_tie(live: LiveValue, chosen: str) -> str:
    """Where the expected option of a choice and another are within TIE of each other (by
    the sizes ``live.options`` gives) and ``chosen`` is one of them, the sentence that says
    so; else ''."""
    sizes = {name: abs(size) for name, size in live.options}
    expected = str(live.value)
    if expected not in sizes:
        return ""
    best = sizes[expected]

    def gap(name: str) -> float:
        top = max(sizes[name], best)
        return abs(sizes[name] - best) / top if top > 0 else 0.0

    tied = [name for name in sizes if name != expected and gap(name) < TIE]
    if not tied or (chosen != expected and chosen not in tied):
        return ""
    other = chosen if chosen in tied else tied[0]
    names = [expected, *tied]
    count = "both count" if len(names) == 2 else f"{', '.join(names)} all count"
    return (f"A near tie: {expected} and {other} differ by only {100 * gap(other):.2g}% "
            f"at this state, too close to call; {count}.")


def grade(question: Question, answer_text: str, live_values: Mapping[str, Any]) -> Grade:
    """Grade ``answer_text`` for ``question`` against ``live_values``
    (``Worksheet.live_values()``); KeyError if the question's key is not among them (for a
    formula: if the live values hold no network of the key's shape)."""
    if question.kind == "steps":
        raise ValueError("a steps question is graded step by step (grade each of its steps)")
    if question.kind == "formula":
        return _grade_formula(question, answer_text, live_values)
    if is_pass_key(question.answer):
        live_values = {**live_values, **pass_values(question.answer, live_values)}
    live = lookup(question.answer, live_values)
    refused = refusal(question, answer_text)
    if refused is not None:
        return Grade(False, "", None, refused, understood=False)
    working = live.working + (f"\n{question.reveal}" if question.reveal else "")
    text = answer_text.strip()
    if question.kind == "number":
        expected = float(live.value)
        allowed = tolerance(expected)
        answer = parse_number(text)
        return Grade(abs(answer - expected) <= allowed, num(expected, 6), allowed, working)
    if question.kind == "sign":
        expected = _sign(float(live.value))
        return Grade(_read_sign(text) == expected, expected, None,
                     f"{working}\nsign: {expected}")
    expected = str(live.value)
    chosen = _read_choice(question, text)
    tie = near_tie(live, chosen)
    same = chosen.lower().replace(" ", "") == expected.lower().replace(" ", "")
    return Grade(same or bool(tie), expected, None, working, note=tie)


def _grade_formula(question: Question, answer_text: str,
                   live_values: Mapping[str, Any]) -> Grade:
    """A formula answer graded on the live network (``live_values[NETWORK]``) and beyond:
    expected is the true expression; the working says which slip it shows, if any."""
    from ..formula import NetworkState, check_formula

    key = question_formula_key(question.answer)
    state = NetworkState.from_plain(lookup(NETWORK, live_values).value)
    refused = refusal(question, answer_text)
    if refused is not None:
        return Grade(False, "", None, refused, understood=False)
    try:
        verdict = check_formula(key, answer_text.strip(), state, question.names or None)
    except ValueError as error:           # not the key's network
        raise KeyError(str(error)) from None
    parts = [verdict.diagnosis.text] if verdict.diagnosis else []
    parts += [verdict.working] + ([question.reveal] if question.reveal else [])
    return Grade(verdict.correct, key.truth, None, "\n".join(parts))


def give(question: Question, live_values: Mapping[str, Any]) -> Grade:
    """``question``'s answer shown at the learner's asking (``GIVE_UP``): not right, the
    expected value or true expression and the working; KeyError as for ``grade``."""
    if question.kind == "formula":
        key = question_formula_key(question.answer)
        return Grade(False, key.truth, None, f"{key.quantity}, for one row i: {key.row}")
    if is_pass_key(question.answer):
        live_values = {**live_values, **pass_values(question.answer, live_values)}
    live = lookup(question.answer, live_values)
    value = float(live.value)
    return Grade(False, num(value, 6), tolerance(value), live.working)


def grade_pass(question: Question, replies: Mapping[str, tuple[str, Grade]]) -> Grade:
    """The whole backward pass from its steps' ``replies`` (step id: what was typed, its
    grade): right when every step was answered right, none given; the working lists each
    step."""
    lines, right = [], True
    for number, step in enumerate(question.steps, start=1):
        text, graded = replies[step.id]
        given = text.strip() == GIVE_UP
        right = right and graded.correct and not given
        mark = "given" if given else ("right" if graded.correct else "not quite")
        lines.append(f"{number}. {step.prompt}\n   {mark}: "
                     + (graded.expected if given else f"you said {text}, "
                        f"expected {graded.expected}"))
    if question.reveal:
        lines.append(question.reveal)
    return Grade(right, f"every step of row {question.row}'s pass", None, "\n".join(lines))
