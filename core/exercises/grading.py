"""Grading a learner's file against the engine: ``grade_file`` (the exercises, on the
presets and random networks) and ``grade_network`` (the network exercise on one network,
the app's live one).

The learner's code runs in a child process only (``sandbox``); what comes back is compared
array by array with the engine (``expected``), to a relative ``TOLERANCE``. For each array
that differs: the first entry that differs, with the finite-difference estimate where it
is a gradient, and the known slips (``slips``) whose result it is on every case where it is
the first array of its function to differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine import Network
from ..text import shown_path
from . import slips
from .cases import preset_cases, random_cases
from .catalogue import EXERCISES
from .compare import estimate, relative_errors, same_shape
from .expected import Expectation, GradingCase, Quantity, fits, plan
from .live import LiveGradients
from .results import (
    TOLERANCE,
    Difference,
    ExerciseResult,
    FunctionResult,
    GradeReport,
    QuantityResult,
)
from .sandbox import MEMORY_LIMIT, TIME_LIMIT, Outcome, run_calls

MAX_FILE_BYTES = 1 << 20
"""The largest file graded."""
MAX_ENTRIES = 10_000
"""The most wrong entries of an array a result lists."""


class GradeError(ValueError):
    """The file or the exercise asked for cannot be graded (one line, exit code 2)."""


@dataclass(frozen=True)
class Limits:
    """The child's limits: seconds for the whole run, bytes of memory, and ``cancelled``,
    asked while it runs: True stops it (a view that closed no longer waits for it)."""

    seconds: float = TIME_LIMIT
    memory: int = MEMORY_LIMIT
    cancelled: Callable[[], bool] | None = None


def grade_file(path: str | Path, names: list[str] | None = None, random_count: int | None = None,
               limits: Limits = Limits()) -> GradeReport:
    """Grade the exercises ``names`` (all by default) of the learner's file at ``path`` on
    every preset each fits and on ``random_count`` random networks (all of
    ``cases.RANDOM_SHAPES`` by default)."""
    unknown = [name for name in names or () if name not in EXERCISES]
    if unknown:
        raise GradeError(f"no exercise {unknown[0]!r}: expected one of "
                         f"{', '.join(EXERCISES)}")
    chosen = names or list(EXERCISES)
    cases = {name: preset_cases(name) + random_cases(name, random_count) for name in chosen}
    return _grade(checked_file(path), cases, limits, named=bool(names))


def grade_network(path: str | Path, net: Network, X, Y, name: str = "live network",
                  limits: Limits = Limits()) -> GradeReport:
    """Grade the learner's ``network`` exercise on ``net`` with data (X, Y), the report's
    ``live`` holding the gradients compared; GradeError if the network is not one the
    exercise is written for."""
    why = fits("network", net)
    if why is not None:
        raise GradeError(f"the network exercise is written for {why}; this network has "
                         f"{'/'.join(sorted({s.name for s in net.sigmas}))} layers and "
                         f"{net.loss_name}")
    case = GradingCase(name, net.copy(), np.asarray(X, dtype=float), np.asarray(Y, dtype=float))
    return _grade(checked_file(path), {"network": [case]}, limits, named=True, live=True)


def grade_snapshot(path: str | Path, snapshot, preset, limits: Limits = Limits()) -> GradeReport:
    """Grade the learner's ``network`` exercise on a session's ``snapshot`` (its weights and
    training data; ``preset``, the session's, says what the snapshot does not: the loss,
    the bias)."""
    from ..explain.notes.sections import network_from_snapshot

    net = network_from_snapshot(snapshot, preset)
    return grade_network(path, net, snapshot.X_train, snapshot.Y_train,
                         f"{snapshot.preset_name} at epoch {snapshot.epoch}", limits)


def checked_file(path: str | Path) -> Path:
    """``path`` if it names a Python file that can be graded; GradeError saying why not."""
    path = Path(path)
    shown = shown_path(path)
    try:
        if not path.exists():
            raise GradeError(f"{shown}: no such file (python -m core exercise writes one)")
        if not path.is_file():
            raise GradeError(f"{shown}: not a file")
        if path.suffix != ".py":
            raise GradeError(f"{shown}: expected a Python file (.py)")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise GradeError(f"{shown}: larger than {MAX_FILE_BYTES >> 10} KiB")
        with open(path, "rb"):
            pass
    except OSError as error:
        raise GradeError(f"{shown}: cannot be read ({error.strerror or error})") from None
    return path.resolve()


def _grade(path: Path, cases: dict[str, list[GradingCase]], limits: Limits,
           named: bool, live: bool = False) -> GradeReport:
    """Run every call of every case in one child and grade what came back (``live``: one
    network exercise case, whose gradients the report keeps)."""
    plans = {name: [plan(name, case) for case in found] for name, found in cases.items()}
    calls = [e.call for by_case in plans.values() for expectations in by_case
             for e in expectations]
    run = run_calls(path, calls, limits.seconds, limits.memory, limits.cancelled)
    report = GradeReport(shown_path(path.name), [], printed=run.printed, named=named)
    if run.import_failure is not None:
        report.failure = f"{path.name}: {failure_line(run.import_failure)}"
        if len(run.import_failure.get("frames") or ()) > 1:    # more than the import line
            report.traceback = traceback_text(run.import_failure, path.name)
        return report
    outcomes = iter(run.outcomes)
    for name, by_case in plans.items():
        got = [[next(outcomes) for _ in expectations] for expectations in by_case]
        report.exercises.append(_exercise(name, cases[name], by_case, got, path.name))
        if live:
            report.live = _live(cases[name][0], by_case[0], got[0],
                                report.exercises[-1].functions[-1])
    return report


def _live(case: GradingCase, expectations: list[Expectation], outcomes: list[Outcome],
          backward: FunctionResult) -> LiveGradients:
    """The gradients of the live case: the learner's ``network_backward`` returned (none
    where it failed or returned something else) and the engine's."""
    expectation, outcome = expectations[-1], outcomes[-1]
    gradients = [q for q in expectation.quantities if q.parameter is not None]
    engine = {q.parameter[0]: q.expected for q in gradients}
    yours = {}
    if outcome.status == "ok":
        leaves, problem = _unpack(outcome.structure, expectation.layout)
        if problem is None:
            at = dict(zip((q.label for q in expectation.quantities), leaves))
            yours = {q.parameter[0]: outcome.arrays[at[q.label]] for q in gradients
                     if at[q.label] in outcome.arrays}
    why = "" if yours else f"{backward.name} {backward.failure or backward.status}"
    return LiveGradients(case, yours, engine, why)


def _exercise(name: str, cases: list[GradingCase], by_case: list[list[Expectation]],
              got: list[list[Outcome]], file_name: str) -> ExerciseResult:
    """The result of one exercise from its expectations and outcomes, case by case."""
    exercise = EXERCISES[name]
    functions, firsts = [], []
    for index, function in enumerate(exercise.functions):
        rows = [(case, expectations[index], outcomes[index])
                for case, expectations, outcomes in zip(cases, by_case, got)]
        result, first = _function(function.name, rows, file_name)
        functions.append(result)
        if first is not None:
            firsts.append((first[0], index, first[1], result, first[2]))
    statuses = {f.status for f in functions}
    status = ("absent" if statuses == {"missing"}
              else "not started" if statuses <= {"missing", "not started"}
              else "wrong" if "wrong" in statuses
              else "error" if "error" in statuses
              else "unfinished" if statuses != {"right"} else "right")
    result = ExerciseResult(name, exercise.heading, [c.name for c in cases], functions, status)
    if firsts:
        *_, function, quantity = min(firsts, key=lambda f: f[:3])
        result.first = (function.name, quantity)
        result.diagnosis = function.slips
    return result


def _function(name: str, rows: list, file_name: str):
    """One function's result over its cases, and the first array that differs as
    (case index, rank, QuantityResult), or None."""
    statuses = [outcome.status for _, _, outcome in rows]
    if all(s == "missing" for s in statuses):
        return FunctionResult(name, "missing"), None
    if "not_started" in statuses:
        return FunctionResult(name, "not started"), None
    result = FunctionResult(name)
    results: dict[str, QuantityResult] = {}        # by label, over cases of every depth
    local: dict[str, list[set]] = {}
    first_in_case: dict[int, tuple[int, str]] = {}   # case -> (rank, label)
    found: list[set] = []                             # each case's first difference's slips
    deepest = max(len(expectation.quantities) for _, expectation, _ in rows)
    for case_index, (case, expectation, outcome) in enumerate(rows):
        for quantity in expectation.quantities:
            held = results.setdefault(quantity.label, QuantityResult(
                quantity.label, quantity.layer, quantity.rank))
            if len(expectation.quantities) == deepest:    # listed in the deepest's order
                held.rank = quantity.rank
        arrays = _returned(outcome, expectation, result, case.name, file_name)
        if arrays is None:
            continue
        differing = [(quantity.rank, quantity.label, theirs)
                     for quantity, theirs in zip(expectation.quantities, arrays)
                     if _compare(results[quantity.label], quantity, theirs, case)]
        if differing:
            rank, label, theirs = min(differing, key=lambda d: d[0])
            first_in_case[case_index] = (rank, label)
            candidates = next(q.slips for q in expectation.quantities if q.label == label)
            local.setdefault(label, []).append(slips.diagnose(theirs, candidates))
            found.append(local[label][-1])
    for label, quantity in results.items():
        if label in local:
            quantity.slips = _ordered(set.intersection(*local[label]))
        elif not quantity.right and first_in_case:
            quantity.inherited = first_in_case[min(first_in_case)][1]
    if found:       # the slips that explain every case's first difference (else the first's)
        result.slips = _ordered(set.intersection(*found) or found[0])
    result.quantities = sorted(results.values(), key=lambda q: q.rank)
    if any(not q.right for q in result.quantities):     # wrong, whatever else failed
        result.status = "wrong"
    if not first_in_case:
        return result, None
    case_index = min(first_in_case)
    rank, label = first_in_case[case_index]
    return result, (case_index, rank, results[label])


def _ordered(keys: set[str]) -> tuple[str, ...]:
    """Slip keys in the order of ``slips.SLIPS``."""
    return tuple(key for key in slips.SLIPS if key in keys)


def _returned(outcome: Outcome, expectation: Expectation, result: FunctionResult,
              case: str, file_name: str) -> list[np.ndarray] | None:
    """The arrays a call returned, in return order; None (the function's result marked as
    an error, once) when it failed or returned something else."""
    if outcome.status == "ok":
        leaves, problem = _unpack(outcome.structure, expectation.layout)
        if problem is None and all(leaf in outcome.arrays for leaf in leaves):
            return [outcome.arrays[leaf] for leaf in leaves]
        failure = f"returned {problem or 'arrays that went missing'}"
    elif outcome.status == "bad_output":
        failure = f"returned {outcome.message}"
    elif outcome.failure is not None:
        failure = failure_line(outcome.failure)
        if not result.traceback:
            result.traceback = traceback_text(outcome.failure, file_name)
    else:
        failure = "not run: your code was stopped on an earlier call"
    if result.status != "error":
        result.status, result.failure = "error", f"on {case}: {failure}"
    return None


def _unpack(structure, layout) -> tuple[list[str], str | None]:
    """The leaf names of a returned ``structure`` in return order, or what is wrong with
    it, against ``layout``."""
    if layout == "one":
        if isinstance(structure, str):
            return [structure], None
        return [], f"a tuple or list of {len(structure)}, expected one value"
    kind, count, *layers = layout
    if isinstance(structure, str) or len(structure) != count:
        size = "one value" if isinstance(structure, str) else f"{len(structure)} values"
        return [], f"{size}, expected {count}"
    if kind == "tuple":
        if not all(isinstance(item, str) for item in structure):
            return [], "a list where a number was expected"
        return list(structure), None
    leaves = []
    for position, item in enumerate(structure):
        if isinstance(item, str) or len(item) != layers[0] or \
                not all(isinstance(leaf, str) for leaf in item):
            size = "one array" if isinstance(item, str) else f"a list of {len(item)}"
            return [], (f"{size} as item {position + 1}, expected a list of {layers[0]} "
                        f"arrays (one a layer)")
        leaves += item
    return leaves, None


def _compare(result: QuantityResult, quantity: Quantity, theirs: np.ndarray,
             case: GradingCase) -> bool:
    """Fold one case's comparison into ``result``; whether it differs there."""
    expected = quantity.expected
    result.cases += 1
    if not same_shape(theirs, expected):
        result.largest_error = float("inf")
        if not result.shape_problem and result.first is None:
            result.shape_problem = (f"shape {theirs.shape} on {case.name}, expected "
                                    f"{expected.shape}")
        return True
    theirs = theirs.reshape(expected.shape)
    errors = relative_errors(theirs, expected)
    largest = float(errors.max()) if errors.size else 0.0
    result.largest_error = max(result.largest_error, largest)
    if largest <= TOLERANCE:
        return False
    if result.first is None and not result.shape_problem:    # the first of the two only
        wrong = np.argwhere(errors > TOLERANCE)
        result.wrong_entries = tuple(tuple(int(i) for i in row) for row in wrong[:MAX_ENTRIES])
        entry = result.wrong_entries[0]
        result.first = Difference(case.name, entry, float(theirs[entry]),
                                  float(expected[entry]), _estimate(quantity, entry, case))
    return True


def _estimate(quantity: Quantity, entry: tuple[int, ...], case: GradingCase) -> float | None:
    """The finite-difference estimate of a gradient's ``entry`` (None for other arrays)."""
    if quantity.parameter is None:
        return None
    index, base = quantity.parameter
    flat = base + (int(np.ravel_multi_index(entry, quantity.expected.shape)) if entry else 0)
    return estimate(case.net, case.X, case.Y, index, flat)


def failure_line(failure: dict) -> str:
    """What stopped the learner's code, in one line."""
    kind, message = failure.get("kind"), str(failure.get("message", ""))
    line = failure.get("line")
    where = f" (line {line})" if isinstance(line, int) else ""
    if kind == "exit":
        return f"called sys.exit({message}){where}: nothing after it ran"
    if kind == "memory":
        return f"ran out of memory{where}: it asked for more than the memory limit"
    if kind in ("time", "ended"):
        return message
    name = str(failure.get("type", "Exception"))
    return f"{name}: {message}{where}" if message else f"{name}{where}"


def traceback_text(failure: dict, file_name: str) -> str:
    """The learner's own frames of a traceback, and the exception (empty when none)."""
    frames = failure.get("frames") or []
    if not frames or failure.get("kind") in ("time", "ended", "exit"):
        return ""
    lines = ["Traceback (your code only):"]
    for number, function, code in frames:
        lines.append(f'  File "{file_name}", line {number}, in {function}')
        if code:
            lines.append(f"    {code}")
    message = failure.get("message", "")
    lines.append(f"{failure.get('type', 'Exception')}: {message}" if message
                 else str(failure.get("type", "Exception")))
    return "\n".join(lines)
