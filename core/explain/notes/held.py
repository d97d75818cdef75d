"""What a lesson holds back: every value its unanswered questions ask for, in one place.

``held_values(worksheet, questions, answered)`` derives it from the answer keys alone, so a
new question is held without new code. For each question not yet answered it holds

- the value its key names (every entry, for a list) and, for a choice, the deciding size of
  each option (both errors of "closer estimate", every |gradient| of "largest step");
- the values that settle it (``LiveValue.settles``: the gradient behind a step's sign);
- the referee's estimate of the equation it names (``fd``), which carries the same digits;
- every equation whose value holds one of those (``equations``), whose results a worksheet
  shows as ``?``.

Every panel asks the same ``Held``: ``covers(value)`` for a number it formats itself,
``mask(text)`` for a line of text, which turns every number printed from a held value, at
whatever precision, into ``?`` (``keep_length``: padded to the number's length, for text
drawn in fixed cells). A value of exactly 0 is never held: "0" is on every screen
and gives nothing away.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..numbers import DIGITS
from .backward_pass import is_pass_key, pass_values
from .grading import lookup
from .lessons import Question
from .worksheet import LiveValue, Worksheet

SAME = 1e-9
"""Two values are the same quantity when they agree to this relative difference."""
SHORT_DIGITS = 3
"""A printed number with fewer significant digits is read as the working prints numbers, to
``DIGITS`` significant digits with the trailing zeros dropped: ``0.24`` hides 0.24003, not
0.2433, and ``0.5`` hides σ(0) = 0.5, not 0.4016."""
HIDDEN = "?"

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.(\[])")
"""A printed number: not part of a name (``w1``, ``a_i``) or of an equation's number
(``1.5.12``); a minus sign directly before it belongs to it."""


def _flat(value: Any) -> list[float]:
    """The entries of a number or nested list of numbers (nothing for a name)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return []
    return [float(v) for v in array.ravel() if np.isfinite(v)]


def _printed(token: str) -> tuple[float, float, int]:
    """A printed number's value, half a unit of its last digit, and its significant
    digits."""
    mantissa, _, exponent = token.lower().lstrip("-").partition("e")
    whole, _, decimals = mantissa.partition(".")
    places = len(decimals) - (int(exponent) if exponent else 0)
    digits = len((whole + decimals).lstrip("0")) or 1
    return float(token), 0.5 * 10.0 ** -places, digits


@dataclass(frozen=True)
class Held:
    """The values a lesson holds back while questions are open (see the module's doc).

    ``magnitudes`` are the held values' sizes (a sign gives nothing away once the size is
    hidden, and a choice is settled by sizes); ``equations`` the keys of the equations whose
    results are held; ``questions`` the ids of the questions still open.
    """

    magnitudes: tuple[float, ...] = ()
    equations: frozenset[str] = frozenset()
    questions: tuple[str, ...] = ()
    _sorted: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sorted", np.sort(np.asarray(self.magnitudes, dtype=float)))

    def __bool__(self) -> bool:
        return bool(self.magnitudes or self.equations)

    def covers(self, value: float) -> bool:
        """Whether ``value`` is (to rounding) a held value or its negative."""
        size = abs(float(value))
        if not self.magnitudes or not np.isfinite(size) or size == 0:
            return False
        near = np.abs(self._sorted - size)
        return bool(np.any(near <= SAME * size))

    def hides(self, token: str) -> bool:
        """Whether the printed number ``token`` (``-0.0168515``, ``6.00e-03``) shows a held
        value to the digits it prints: long numbers when they round from one, short ones
        only when they are one."""
        try:
            value, half_unit, digits = _printed(token)
        except ValueError:
            return False
        size = abs(value)
        if not self.magnitudes or size == 0 or ("." not in token and "e" not in token):
            return False
        if digits < SHORT_DIGITS:
            half_unit = 0.5 * 10.0 ** (np.floor(np.log10(size)) - DIGITS + 1)
        slack = half_unit
        near = np.abs(self._sorted - size)
        return bool(np.any(near <= slack + SAME * np.maximum(self._sorted, size)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` prints a held value: (start, end) of each such number."""
        if not self.magnitudes:
            return []
        return [m.span() for m in NUMBER.finditer(text) if self.hides(m.group())]

    def mask(self, text: str, keep_length: bool = False) -> str:
        """``text`` with every number that shows a held value replaced by ``?``; with
        ``keep_length``, a ``?`` padded with spaces to the number's length, so that what
        follows stays where it was (a plot's axis, a canvas's cells)."""
        for start, end in reversed(self.spans(text)):
            hidden = HIDDEN.ljust(end - start) if keep_length else HIDDEN
            text = text[:start] + hidden + text[end:]
        return text

    def shown(self, value: float, text: str) -> str:
        """``text`` (``value`` as a panel prints it), or ``?`` where the value is held."""
        return HIDDEN if self.covers(value) else text


NOTHING = Held()
"""Nothing held: every question answered, or no lesson open."""


def question_values(question: Question, live_values: dict[str, Any]) -> list[float]:
    """The values that answer or settle ``question`` on these live values (none where its
    key names no value here): the value, a choice's deciding sizes, what settles it and the
    referee's estimate of the equation it names. A key whose index picks no single entry
    (a formula's row-wise ``2.1.2[i,1]``) holds every entry of the value it indexes."""
    if is_pass_key(question.answer):           # a step of a backward pass by hand
        live_values = {**live_values, **pass_values(question.answer, live_values)}
    try:
        live = lookup(question.answer, live_values)
    except (KeyError, TypeError):
        live = live_values.get(question.answer.split("[")[0].strip())
        if not isinstance(live, LiveValue):
            return []
    values = _flat(live.value) + [size for _, size in live.options] + list(live.settles)
    referee = live_values.get(f"fd {question.answer.split('[')[0].strip()}")
    if referee is not None and len(_flat(live.value)) == len(_flat(referee.value)) == 1:
        values += _flat(referee.value)
    return values


def held_values(worksheet: Worksheet | None, questions: Sequence[Question],
                answered: Collection[str]) -> Held:
    """What ``worksheet`` must hold back while the ``questions`` whose ids are not in
    ``answered`` are open (NOTHING without a worksheet or once all are answered); an open
    steps question also holds each of its steps whose id is not in ``answered``."""
    open_questions = [q for q in questions if q.id not in answered]
    open_questions += [step for q in open_questions if q.kind == "steps"
                       for step in q.steps if step.id not in answered]
    if worksheet is None or not open_questions:
        return NOTHING
    live_values = worksheet.live_values()
    sizes = sorted({abs(v) for q in open_questions for v in question_values(q, live_values)
                    if v != 0})
    keys: set[str] = set()
    for question in open_questions:
        keys.update(worksheet.giving_away(question.answer))
    probe = Held(tuple(sizes))
    keys.update(e.key for e in worksheet.equations
                if any(probe.covers(v) for v in _flat(e.value)))
    return Held(tuple(sizes), frozenset(keys), tuple(q.id for q in open_questions))
