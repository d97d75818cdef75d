"""A preset for the user's own CSV file: pick the target column(s), get a sensible experiment.

The columns decide the task. A text column, or a numeric one with a few whole values, holds
classes (one output per class with softmax, or one sigmoid output for 0/1 values); other
numeric targets are regression (linear outputs, mean squared error). Every other column is
a standardised input. Problems with the file raise ``PresetError`` in one line naming the
file and, for a bad row, its line number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.csv_table import MAX_LABELS, CsvTable, shown_names, sorted_labels
from ..data.datasets import DataError
from ..files import write_text
from ..text import did_you_mean, quoted
from .schema import Preset
from .sources import CsvData
from .validation import PresetError

MAX_CLASSES_OF_NUMBERS = 10
FULL_BATCH_ROWS = 256


class _Table:
    """The columns of a CSV file (``core.data.csv_table``, within its limits), with errors
    that name the file and the line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.csv = CsvTable(path)
        except DataError as error:
            raise PresetError(str(error)) from None
        self.header = self.csv.header
        for index, name in enumerate(self.header):
            if not name:
                raise self.error(1, f"column {index + 1} has no name in the header")
        self.rows = self.csv.rows

    def error(self, row: int | None, message: str) -> PresetError:
        """A PresetError naming the file and, when given, the line of data row ``row``."""
        return PresetError(self.csv.error(None if row is None else self.csv.lines[row],
                                          message).args[0])

    def check_filled(self, name: str) -> None:
        """Refuse column ``name`` if it has an empty cell."""
        empty = self.csv.first_empty(name)
        if empty is not None:
            raise self.error(empty, f"column {quoted(name)} has an empty cell")

    def labels(self, name: str) -> list[str]:
        """The distinct values of column ``name`` (classes in order), refusing empty cells
        and more than ``MAX_LABELS`` values."""
        self.check_filled(name)
        coded = self.csv.labels(name)
        if coded is None:
            raise self.error(None, f"column {quoted(name)} has more than {MAX_LABELS} "
                                   f"distinct values: too many classes")
        return sorted_labels(coded[1])

    def numbers(self, name: str, hint: str | None = None) -> np.ndarray | None:
        """Column ``name`` as finite numbers. A cell that is not a number gives None, or
        with a ``hint`` (why numbers are needed) an error naming that cell."""
        self.check_filled(name)
        values = self.csv.numbers(name)
        if values is None:
            if hint is None:
                return None
            row, cell = self.csv.non_number(name)
            raise self.error(row, f"column {quoted(name)}: expected a number, "
                                  f"got {quoted(cell)} ({hint})")
        if not np.isfinite(values).all():
            raise self.error(int(np.argmin(np.isfinite(values))),
                             f"column {quoted(name)} holds a NaN or infinite value")
        return values


def columns(csv_path: Path | str) -> list[str]:
    """The column names of a CSV file, for choosing the targets (the file is checked whole)."""
    return list(_Table(Path(csv_path)).header)


def _is_classes(values: np.ndarray) -> bool:
    """Whether numbers look like class labels: a few whole values, each seen more than once."""
    distinct = np.unique(values)
    few = len(distinct) <= MAX_CLASSES_OF_NUMBERS and (len(distinct) <= 2
                                                      or 2 * len(distinct) <= len(values))
    return few and bool((distinct == np.round(distinct)).all())


def _describe(what: list[str]) -> str:
    return shown_names(what)


@dataclass(frozen=True)
class _Outputs:
    """What the targets make of the network's output layer."""

    targets: str | tuple[str, ...]   # a class column, or numeric columns
    task: str
    activation: str
    count: int
    summary: str                      # "a regression of price", for the description


def _class_column(table: _Table, name: str) -> _Outputs:
    classes = table.labels(name)
    return _Outputs(name, "classification", "softmax", len(classes),
                    f"a classification into the {len(classes)} classes of {quoted(name)} "
                    f"({_describe(classes)})")


def _outputs(table: _Table, targets: list[str]) -> _Outputs:
    numbers = {name: table.numbers(name) for name in targets}
    for name, values in numbers.items():
        distinct = len(table.labels(name)) if values is None else len(np.unique(values))
        if distinct < 2:
            raise table.error(None, f"target column {quoted(name)} has a single value; "
                                    f"there is nothing to learn")
    if len(targets) == 1:
        values = numbers[targets[0]]
        if values is None or (_is_classes(values) and not np.isin(values, (0.0, 1.0)).all()):
            return _class_column(table, targets[0])
    texts = [name for name, values in numbers.items() if values is None]
    if texts:
        raise table.error(None, f"column {quoted(texts[0])} holds text, so it is a class column: "
                                f"choose it as the only target")
    values = np.column_stack(list(numbers.values()))
    if not np.isin(values, (0.0, 1.0)).all():
        return _Outputs(tuple(targets), "regression", "linear", len(targets),
                        f"a regression of {_describe(targets)}")
    if len(targets) > 1 and (values.sum(axis=1) == 1).all():
        return _Outputs(tuple(targets), "classification", "softmax", len(targets),
                        f"one class out of {_describe(targets)}")
    return _Outputs(tuple(targets), "classification", "sigmoid", len(targets),
                    f"a 0/1 classification of {_describe(targets)}")


def _inputs(table: _Table, targets: list[str], inputs: Sequence[str] | None) -> list[str]:
    if not targets:
        raise table.error(None, "choose at least one target column")
    for name in [*targets, *(inputs or ())]:
        if name not in table.header:
            raise table.error(None, f"no column {quoted(name)}{did_you_mean(name, table.header)}; "
                                    f"the columns are {shown_names(table.header, 10)}")
    if inputs is None:
        inputs = [name for name in table.header if name not in targets]
    if not inputs or set(inputs) & set(targets):
        raise table.error(None, "expected at least one input column that is not a target")
    for name in inputs:
        table.numbers(name, hint="inputs must be numbers: choose it as the target or drop it")
    return list(inputs)


def _target_loss(table: _Table, outputs: _Outputs) -> float:
    """1% of the loss of always guessing the mean (regression); 0.05 for classes."""
    if outputs.task == "classification":
        return 0.05
    variance = sum(float(np.var(table.numbers(name))) for name in outputs.targets)
    return float(f"{0.01 * variance:.3g}")


def preset_from_csv(csv_path: Path | str, targets: Sequence[str] | str,
                    inputs: Sequence[str] | None = None) -> Preset:
    """A preset that learns ``targets`` from the other columns (or ``inputs``) of a CSV file.

    One hidden layer of 8 to 16 tanh units, Adam with learning rate 0.01, full batches up to
    256 rows, a fifth of the rows held out for testing (from 10 rows on), inputs standardised.
    """
    path = Path(csv_path).absolute()
    table = _Table(path)
    targets = [targets] if isinstance(targets, str) else list(targets)
    inputs = _inputs(table, targets, inputs)
    outputs = _outputs(table, targets)
    rows = table.rows
    full_batch = rows <= FULL_BATCH_ROWS
    test_fraction = 0.2 if rows >= 10 else 0.0
    held_out = ", a fifth of them held out for testing" if test_fraction else ""
    preset = Preset(
        name=path.stem, title=f"{path.name}: {_describe(targets)} from {len(inputs)} inputs",
        description=(f"Made from {path.name}: {outputs.summary}, from {len(inputs)} "
                     f"standardised inputs ({_describe(inputs)}); {rows} rows{held_out}.\n\n"
                     f"A first guess at a network: edit the [model] and [training] sections "
                     f"to try others."),
        path=None, data=CsvData(path, targets=outputs.targets, inputs=tuple(inputs),
                                task=outputs.task, standardize=True),
        layers=(len(inputs), min(16, max(8, 2 * len(inputs))), outputs.count),
        activation="tanh", output_activation=outputs.activation,
        loss="mse" if outputs.task == "regression" else "cross_entropy",
        bias=True, init="default", optimizer="adam", learning_rate=0.01,
        batch_size=0 if full_batch else 32, epochs=500 if full_batch else 100,
        target_loss=_target_loss(table, outputs), seed=0, test_fraction=test_fraction,
        penalty=None, penalty_rate=0.0)
    return preset.replace()  # checked like a preset file


def write_preset_for_csv(csv_path: Path | str, targets: Sequence[str] | str,
                         overwrite: bool = False) -> Path:
    """Write the preset of ``preset_from_csv`` as ``<csv stem>.toml`` beside the file.

    Returns its path. Raises ``core.files.WouldOverwrite`` if that file exists and
    ``overwrite`` is false.
    """
    preset = preset_from_csv(csv_path, targets)
    return write_text(Path(csv_path).with_suffix(".toml"), preset.to_toml(), overwrite)
