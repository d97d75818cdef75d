"""A grade, as data: per exercise, per function, per returned array (per layer), what was
right and, where not, the first entry that differs and the slip that explains it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .compare import TOLERANCE
from .slips import SLIPS

if TYPE_CHECKING:
    from .live import LiveGradients


@dataclass(frozen=True)
class Difference:
    """The first entry of an array that differs: on which ``case``, at which ``entry``
    (an index tuple, () for a number), the learner's value, the engine's, and the
    finite-difference estimate (None where the array is no gradient)."""

    case: str
    entry: tuple[int, ...]
    theirs: float
    engine: float
    finite_difference: float | None

    def as_dict(self) -> dict:
        """The difference as JSON data."""
        return {"case": self.case, "entry": list(self.entry), "yours": finite(self.theirs),
                "engine": self.engine, "finite_difference": self.finite_difference}


@dataclass
class QuantityResult:
    """One returned array over every case: how many ``cases`` it was compared on, the
    largest relative error (inf where the shape is wrong), the first difference, a wrong
    shape's description, the slips that explain it, ``inherited``: the array computed
    before it that differs first, where no slip of its own explains it, and
    ``wrong_entries``: every entry that differs on the case of the first difference."""

    label: str
    layer: int | None
    rank: int
    cases: int = 0
    largest_error: float = 0.0
    first: Difference | None = None
    shape_problem: str = ""
    slips: tuple[str, ...] = ()
    inherited: str = ""
    wrong_entries: tuple[tuple[int, ...], ...] = ()

    @property
    def right(self) -> bool:
        """Whether it is within ``TOLERANCE`` on every case."""
        return self.largest_error <= TOLERANCE

    def as_dict(self) -> dict:
        """The result as JSON data (an infinite error is null)."""
        return {"label": self.label, "layer": self.layer, "right": self.right,
                "cases": self.cases,
                "largest_relative_error": finite(self.largest_error),
                "first_difference": self.first.as_dict() if self.first else None,
                "shape_problem": self.shape_problem or None, "diagnosis": list(self.slips),
                "follows_from": self.inherited or None}


@dataclass
class FunctionResult:
    """One function over every case: ``status`` "right", "wrong" (some array differs on
    some case), "error" (it failed, and nothing it returned differs), "not started" or
    "missing"; ``failure`` is one line saying what went wrong (an exception, the time
    or memory limit, what it returned), ``traceback`` the learner's own frames, ``slips``
    the known slips that explain where each case first differs."""

    name: str
    status: str = "right"
    quantities: list[QuantityResult] = field(default_factory=list)
    failure: str = ""
    traceback: str = ""
    slips: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """The result as JSON data."""
        return {"name": self.name, "status": self.status, "failure": self.failure or None,
                "diagnosis": list(self.slips),
                "traceback": self.traceback or None,
                "arrays": [q.as_dict() for q in self.quantities]}


@dataclass
class ExerciseResult:
    """One exercise: its ``status`` ("right", "wrong", "error", "unfinished", "not started"
    or "absent": none of its functions is in the file), the cases it ran on, its
    functions, the first array that differs (``first``: its function's name and result)
    and ``diagnosis``: the slips that explain the first difference on every case."""

    name: str
    heading: str
    cases: list[str]
    functions: list[FunctionResult]
    status: str = "right"
    first: tuple[str, QuantityResult] | None = None
    diagnosis: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every function of the exercise is right."""
        return self.status == "right"

    def as_dict(self) -> dict:
        """The result as JSON data."""
        first = None
        if self.first is not None:
            function, quantity = self.first
            first = {"function": function, "array": quantity.label,
                     **(quantity.first.as_dict() if quantity.first else {}),
                     "diagnosis": [slip_text(key) for key in self.diagnosis]}
        return {"name": self.name, "status": self.status, "cases": self.cases,
                "functions": [f.as_dict() for f in self.functions], "first_wrong": first}


@dataclass
class GradeReport:
    """The grade of a learner's file: one result per exercise graded, or ``failure`` (one
    line) when the file could not be imported; ``printed``: the start of what the learner's
    code printed; ``live``: the gradients compared, on a grade of one network (the app's
    live one)."""

    path: str
    exercises: list[ExerciseResult]
    failure: str = ""
    traceback: str = ""
    printed: str = ""
    named: bool = False
    live: LiveGradients | None = None

    @property
    def passed(self) -> list[str]:
        """The exercises that are all right."""
        return [e.name for e in self.exercises if e.passed]

    @property
    def exit_code(self) -> int:
        """0 when every exercise graded is right (every one started, when none was named),
        1 otherwise."""
        if self.failure:
            return 1
        counted = [e for e in self.exercises
                   if self.named or e.status not in ("not started", "absent")]
        return 0 if counted and all(e.passed for e in counted) else 1

    def as_dict(self) -> dict:
        """The report as JSON data."""
        return {"file": self.path, "all_right": self.exit_code == 0,
                "failure": self.failure or None, "traceback": self.traceback or None,
                "exercises": [e.as_dict() for e in self.exercises],
                "printed": self.printed or None}


def finite(value: float) -> float | None:
    """``value``, or None where it is NaN or infinite (JSON has neither)."""
    return value if math.isfinite(value) else None


def slip_text(key: str) -> str:
    """A slip's title and advice in one line."""
    slip = SLIPS[key]
    return f"{slip.title}: {slip.advice}"
