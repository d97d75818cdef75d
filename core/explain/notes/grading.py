"""Grading a learner's prediction against the live network, with the working shown."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .lessons import Question
from .worksheet import LiveValue, num

SIGNS = {"+": "positive", "positive": "positive", "pos": "positive", ">0": "positive",
         "-": "negative", "−": "negative", "negative": "negative", "neg": "negative",
         "<0": "negative", "0": "zero", "zero": "zero"}


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: ``expected`` as text, the tolerance used (None for a
    choice) and the working that computes the expected answer from the live network.
    ``understood`` is False when the answer could not be read (then ``correct`` is False)."""

    correct: bool
    expected: str
    tolerance: float | None
    working_text: str
    understood: bool = True


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


def parse_number(text: str) -> float | None:
    """A typed number: ``0.25``, ``-3``, ``−3`` (Unicode minus), ``1e-3`` or ``1/12``."""
    cleaned = text.strip().replace("−", "-").replace(" ", "")
    try:
        value = float(Fraction(cleaned)) if "/" in cleaned else float(cleaned)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


def _sign(value: float, tolerance: float) -> str:
    return "zero" if abs(value) <= tolerance else ("positive" if value > 0 else "negative")


def grade(question: Question, answer_text: str, live_values: Mapping[str, Any]) -> Grade:
    """Grade ``answer_text`` for ``question`` against ``live_values``
    (``Worksheet.live_values()``); KeyError if the question's key is not among them."""
    live = lookup(question.answer, live_values)
    working = live.working + (f"\n{question.reveal}" if question.reveal else "")
    text = answer_text.strip()
    if question.kind == "number":
        expected = float(live.value)
        shown = num(expected, 6)
        answer = parse_number(text)
        if answer is None:
            return Grade(False, shown, question.tolerance,
                         f"could not read {text!r} as a number\n{working}", False)
        return Grade(abs(answer - expected) <= question.tolerance, shown, question.tolerance,
                     working)
    if question.kind == "sign":
        expected = _sign(float(live.value), question.tolerance)
        answer = SIGNS.get(text.lower().replace(" ", ""))
        if answer is None:
            return Grade(False, expected, question.tolerance,
                         f"could not read {text!r} as a sign (+, -, 0)\n{working}", False)
        return Grade(answer == expected, expected, question.tolerance,
                     f"{working}\nsign: {expected}")
    expected = str(live.value)
    norm = {c.lower().replace(" ", ""): c for c in question.choices}
    chosen = norm.get(text.lower().replace(" ", ""))
    if chosen is None and text.isdigit() and 1 <= int(text) <= len(question.choices):
        chosen = question.choices[int(text) - 1]
    if chosen is None:
        return Grade(False, expected, None, f"{text!r} is not one of "
                     f"{', '.join(question.choices)}\n{working}", False)
    return Grade(chosen.lower().replace(" ", "") == expected.lower().replace(" ", ""),
                 expected, None, working)
