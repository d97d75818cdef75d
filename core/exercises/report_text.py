"""A grade as text: what ``python -m core grade`` prints and the app's grading panel shows.

Per exercise its status and cases; per function its status, and its arrays' largest
relative errors (a table of layers where the arrays are per layer); then the first entry
that differs and the slip that explains it.
"""

from __future__ import annotations

import textwrap

from ..constants import in_e_notation
from ..explain.numbers import num
from .compare import TOLERANCE
from .results import ExerciseResult, FunctionResult, GradeReport, QuantityResult, slip_text

WIDTH = 88


def report_lines(report: GradeReport, width: int = WIDTH) -> list[str]:
    """The whole report, one line of at most ``width`` characters a line (the learner's
    traceback and printed output excepted, which keep their own lines)."""
    if report.failure:
        lines = wrapped(f"{report.failure}. Nothing was graded.", width)
        if report.traceback:
            lines += ["", *report.traceback.splitlines()]
        return lines + _printed(report)
    lines = [f"{report.path} against the engine (right: a relative error of at most "
             f"{in_e_notation(TOLERANCE)})"]
    for exercise in report.exercises:
        lines += ["", *exercise_lines(exercise, width)]
    return lines + _printed(report)


def exercise_lines(exercise: ExerciseResult, width: int = WIDTH,
                   first_on_top: bool = False) -> list[str]:
    """One exercise: its heading and status, the cases, its functions and its first
    difference (``first_on_top``: the first difference right under the heading, and no
    cases, for a view that shows one case and has little room)."""
    lines = [f"{exercise.heading}: {exercise.status.upper()}"]
    if exercise.status in ("absent", "not started"):
        return lines
    first = ([] if exercise.first is None
             else first_lines(*exercise.first, exercise.diagnosis, width=width))
    if first_on_top:
        lines += first
    else:
        lines += wrapped("on " + ", ".join(exercise.cases), width, "  ")
    for function in exercise.functions:
        lines += function_lines(function, width)
    return lines if first_on_top else lines + first


def function_lines(function: FunctionResult, width: int = WIDTH) -> list[str]:
    """A function's status, and its arrays (per layer where they have layers)."""
    lines = [f"  {function.name}: {function.status}"]
    if function.failure:
        lines += wrapped(function.failure, width, "    ")
    if function.traceback:
        lines += ["    " + line for line in function.traceback.splitlines()]
    quantities = function.quantities
    if not quantities or function.status in ("missing", "not started"):
        return lines
    if all(q.layer is not None for q in quantities):
        return lines + layer_table(quantities)
    label_width = max(len(q.label) for q in quantities)
    return lines + [f"    {q.label:<{label_width}}  {cell(q)}" for q in quantities]


def layer_table(quantities: list[QuantityResult]) -> list[str]:
    """The arrays' errors as a table: a row a layer (in the order they are computed), a
    column an array."""
    columns = list(dict.fromkeys(q.label.split("(")[0] for q in quantities))
    layers = list(dict.fromkeys(q.layer for q in quantities))
    by_place = {(q.label.split("(")[0], q.layer): q for q in quantities}
    header = "    layer" + "".join(f"{column:>12}" for column in columns)
    rows = [header]
    for layer in layers:
        cells = "".join(f"{cell(by_place[(c, layer)]) if (c, layer) in by_place else '':>12}"
                        for c in columns)
        rows.append(f"    {layer:>5}{cells}")
    return rows


def cell(quantity: QuantityResult) -> str:
    """An array's verdict in a few characters: ✓ or ✗ and its largest relative error (or
    a wrong shape)."""
    if not quantity.cases:
        return "—"
    if quantity.shape_problem:
        return "✗ shape"
    error = quantity.largest_error
    if error == float("inf"):
        return "✗ not finite"
    return f"{'✓' if quantity.right else '✗'} {error:.1e}" if error else "✓ 0"


def first_lines(function: str, quantity: QuantityResult, diagnosis: tuple[str, ...],
                width: int = WIDTH) -> list[str]:
    """The first array that differs: where, both values, the finite-difference estimate,
    and the slip that explains it."""
    lines = []
    if quantity.first is not None:
        first = quantity.first
        entry = f"[{', '.join(map(str, first.entry))}]" if first.entry else ""
        text = (f"first wrong: {quantity.label}{entry} on {first.case}: yours "
                f"{num(first.theirs, 6)}, engine {num(first.engine, 6)}")
        if first.finite_difference is not None:
            text += f", finite differences {num(first.finite_difference, 6)}"
        lines += wrapped(text + f" ({function})", width, "  ")
    elif quantity.shape_problem:
        lines += wrapped(f"first wrong: {quantity.label} ({function}) has "
                         f"{quantity.shape_problem}", width, "  ")
    if diagnosis:
        for key in diagnosis:
            lines += wrapped(f"diagnosis: {slip_text(key)}", width, "  ")
    else:
        lines += wrapped("diagnosis: no known slip explains it; compare your steps with "
                         "the equations, entry by entry", width, "  ")
    return lines


def wrapped(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns, every line indented by ``indent``."""
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


def _printed(report: GradeReport) -> list[str]:
    if not report.printed:
        return []
    return ["", "your code printed (the start of it):",
            *("  " + line for line in report.printed.splitlines())]
