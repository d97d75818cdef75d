"""Hunt the notes' errors: the notes' equations as written, with nothing saying which err.

In sections 1.4, 1.5 and 1.7 (``HUNT_SECTIONS``) a learner marks the equations they
believe the notes get wrong, with the finite-difference referee as evidence; ``grade_hunt``
compares the marks with ``Worksheet.errata``: found, missed and wrongly accused, then each
erring equation's correction with its evidence (the notes' value, the true value, the
referee's estimate). ``hunt_grade`` turns the result into a ``Grade`` the learner's progress
keeps under the lesson's question ``HUNT_ID``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .grading import Grade
from .worksheet import Equation, Worksheet, show_value

HUNT_SECTIONS = ("1.4", "1.5", "1.7")
"""The sections whose notes err, where a lesson has an error hunt."""
HUNT_ID = "error-hunt"
"""The question id the learner's marks are kept under in their progress."""


@dataclass(frozen=True)
class HuntItem:
    """One equation as the hunt shows it: its key, the formula as the notes write it and
    the value that formula gives on the live network (nothing says whether it errs), and
    the referee's estimate where the equation is a derivative (None elsewhere)."""

    key: str
    formula: str
    value: Any
    referee: Any

    @property
    def evidence(self) -> str:
        """What the finite-difference referee says about this equation, in one line."""
        if self.referee is None:
            return ("not a derivative the referee can estimate: check it against the "
                    "equations it is built from")
        return f"finite differences (central, 1.0.1) give {show_value(self.referee)}"


def _item(equation: Equation) -> HuntItem:
    value = equation.notes_as_written if equation.notes_err else equation.value
    return HuntItem(equation.key, equation.formula, value, equation.finite_difference)


def hunt_items(worksheet: Worksheet) -> tuple[HuntItem, ...]:
    """The worksheet's equations as the hunt shows them, in order."""
    return tuple(_item(e) for e in worksheet.equations)


@dataclass(frozen=True)
class HuntResult:
    """The marks graded: the erring equations ``found`` and ``missed``, the right ones
    ``accused``, and each erring equation's correction with its evidence."""

    found: tuple[str, ...]
    missed: tuple[str, ...]
    accused: tuple[str, ...]
    corrections: tuple[str, ...]

    @property
    def correct(self) -> bool:
        """Every erring equation marked and no other."""
        return not self.missed and not self.accused

    @property
    def summary(self) -> str:
        """The verdict in one line each: found, missed, wrongly accused."""
        def listed(keys: tuple[str, ...]) -> str:
            return ", ".join(keys) if keys else "none"

        return "\n".join((f"found: {listed(self.found)}", f"missed: {listed(self.missed)}",
                          f"wrongly accused: {listed(self.accused)}"))


def _correction(equation: Equation) -> str:
    lines = [f"({equation.key}) {equation.wrong}",
             f"  as the notes write it  {show_value(equation.notes_as_written)}",
             f"  true value             {show_value(equation.value)}"
             + (f"   ({equation.corrected})" if equation.corrected else "")]
    if equation.finite_difference is not None:
        lines.append(f"  finite differences     {show_value(equation.finite_difference)}"
                     f"   (the referee)")
    return "\n".join(lines)


def grade_hunt(worksheet: Worksheet, marked: Collection[str]) -> HuntResult:
    """Grade the equations ``marked`` (their keys) against the notes' errata."""
    wrong = [e.key for e in worksheet.errata]
    marks = set(marked)
    return HuntResult(tuple(k for k in wrong if k in marks),
                      tuple(k for k in wrong if k not in marks),
                      tuple(e.key for e in worksheet.equations
                            if e.key in marks and e.key not in wrong),
                      tuple(_correction(e) for e in worksheet.errata))


def marks_text(marked: Collection[str], worksheet: Worksheet) -> str:
    """The marks as kept in the learner's progress: keys in the worksheet's order,
    comma-separated ('' for none)."""
    return ", ".join(e.key for e in worksheet.equations if e.key in set(marked))


def read_marks(text: str) -> tuple[str, ...]:
    """The keys of marks kept by ``marks_text``."""
    return tuple(key.strip() for key in text.split(",") if key.strip())


def hunt_grade(result: HuntResult) -> Grade:
    """The result as a ``Grade``: right when every error is found and nothing else
    accused; the working is the verdict and the corrections."""
    return Grade(result.correct, f"{len(result.found) + len(result.missed)} erring equations",
                 None, "\n".join((result.summary, "", *result.corrections)))
