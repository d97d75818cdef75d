"""Data sets for the network: seeded 2-D generators, inline tables, CSV files, splits.

Every loader returns a ``Dataset`` of float64 arrays, one row per sample (the notes' x_i and
y_i). Targets of a classification task are 0/1: one-hot columns (one per class), a single
column for two classes, or independent bits (the adder's sum). Bad arguments raise
``DataError`` naming the argument. Sizes are held to ``core.limits`` before anything of
that size is made: ``MAX_SAMPLES`` rows, ``MAX_NEURONS`` columns of inputs or targets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..checks import is_integer, is_number
from ..limits import MAX_ACTIVATIONS, MAX_NEURONS, MAX_SAMPLES
from ..text import clean, did_you_mean, excerpt, quoted
from .csv_table import MAX_LABELS, CsvTable, sorted_labels
from .errors import DataError

TASKS = ("classification", "regression")


def _frozen(array) -> np.ndarray:
    array = np.array(array, dtype=np.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test rows of one problem, with names for every column.

    ``class_names`` names the classes of a classification task: one per target column when
    the targets are one-hot (the predicted class is the largest output), or (class 0,
    class 1) for a single 0/1 column (class 1 when the output is above 0.5). It is None for
    regression and for independent 0/1 columns. The arrays are read-only copies, so a
    cached dataset can be shared safely.
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    class_names: tuple[str, ...] | None
    task: str

    def __post_init__(self) -> None:
        for name in ("X_train", "Y_train", "X_test", "Y_test"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        for name in ("input_names", "target_names", "class_names"):   # shown as they are
            names = getattr(self, name)
            if names is not None:
                object.__setattr__(self, name, tuple(clean(str(n)) for n in names))
        for X, Y, part in ((self.X_train, self.Y_train, "train"),
                           (self.X_test, self.Y_test, "test")):
            if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0]:
                raise ValueError(f"{part}: expected 2-D X and Y with equal row counts, "
                                 f"got shapes {X.shape} and {Y.shape}")
        if self.X_test.shape[1] != self.n_inputs or self.Y_test.shape[1] != self.n_outputs:
            raise ValueError("test: expected as many columns as the training rows")
        if len(self.input_names) != self.n_inputs or len(self.target_names) != self.n_outputs:
            raise ValueError("names: expected one name per input and per target column")
        if self.task not in TASKS:
            raise ValueError(f"task: expected one of {TASKS}, got {self.task!r}")

    @property
    def n_inputs(self) -> int:
        """The width of an input row x_i (the first layer's size)."""
        return self.X_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """The width of a target row y_i (the last layer's size)."""
        return self.Y_train.shape[1]


def _dataset(X, Y, input_names, target_names, class_names, task) -> Dataset:
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    return Dataset(X, Y, np.zeros((0, X.shape[1])), np.zeros((0, Y.shape[1])),
                   tuple(input_names), tuple(target_names),
                   None if class_names is None else tuple(class_names), task)


def _infer_task(Y: np.ndarray, task: str | None) -> str:
    if task is None:
        return "classification" if np.isin(Y, (0.0, 1.0)).all() else "regression"
    if task not in TASKS:
        raise DataError("task", f"expected one of {', '.join(TASKS)}, got {excerpt(repr(task))}")
    return task


# --- generators -------------------------------------------------------------------------

def _check_common(samples, noise, seed) -> np.random.Generator:
    if not is_integer(samples) or samples < 2:
        raise DataError("samples", f"expected an integer >= 2, got {excerpt(repr(samples))}")
    if samples > MAX_SAMPLES:
        raise DataError("samples", f"at most {MAX_SAMPLES:,} samples, got {samples:,}")
    if not (is_number(noise) and math.isfinite(noise) and noise >= 0):
        raise DataError("noise", f"expected a finite number >= 0, got {excerpt(repr(noise))}")
    if not is_integer(seed) or seed < 0:
        raise DataError("seed", f"expected an integer >= 0, got {excerpt(repr(seed))}")
    return np.random.default_rng(seed)


def _binary(X, labels, rng, noise, class_names) -> Dataset:
    X = X + rng.normal(0.0, noise, X.shape) if noise else X
    return _dataset(X, labels.astype(np.float64)[:, None], ("x1", "x2"),
                    (class_names[1],), class_names, "classification")


def _halves(samples: int) -> np.ndarray:
    return np.arange(samples) % 2


def circle(samples: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """A disc of radius 0.5 (class 1, "inside") in a ring from 0.7 to 1 (class 0)."""
    rng = _check_common(samples, noise, seed)
    labels = _halves(samples)
    radius = np.where(labels == 1, rng.uniform(0.0, 0.5, samples), rng.uniform(0.7, 1.0, samples))
    angle = rng.uniform(0.0, 2 * np.pi, samples)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return _binary(X, labels, rng, noise, ("outside", "inside"))


def quadrants(samples: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """2-D XOR: points in [-1, 1]^2 (kept 0.05 off the axes); class 1 where x1 x2 < 0."""
    rng = _check_common(samples, noise, seed)
    X = rng.uniform(0.05, 1.0, (samples, 2)) * rng.choice((-1.0, 1.0), (samples, 2))
    labels = (X[:, 0] * X[:, 1] < 0).astype(int)
    return _binary(X, labels, rng, noise, ("same sign", "opposite signs"))


def gaussians(samples: int = 200, noise: float = 0.25, seed: int = 0) -> Dataset:
    """Two round clusters centred at (-0.5, -0.5) (class 0) and (0.5, 0.5) (class 1);
    ``noise`` is each cluster's standard deviation."""
    rng = _check_common(samples, noise, seed)
    labels = _halves(samples)
    X = np.repeat(labels[:, None] - 0.5, 2, axis=1)
    return _binary(X, labels, rng, noise, ("lower left", "upper right"))


def spiral(samples: int = 200, noise: float = 0.05, seed: int = 0, turns: float = 1.0) -> Dataset:
    """Two interleaved spiral arms of radius 0.1 to 1 winding ``turns`` times (class = arm)."""
    rng = _check_common(samples, noise, seed)
    if not (is_number(turns) and 0 < turns <= 10):
        raise DataError("turns", f"expected a number in (0, 10], got {excerpt(repr(turns))}")
    labels = _halves(samples)
    t = rng.uniform(0.0, 1.0, samples)
    radius = 0.1 + 0.9 * t
    angle = 2 * np.pi * turns * t + np.pi * labels
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return _binary(X, labels, rng, noise, ("first arm", "second arm"))


def moons(samples: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Two interlocking half circles (class 0 above, class 1 below), scaled into [-1, 1]."""
    rng = _check_common(samples, noise, seed)
    labels = _halves(samples)
    t = rng.uniform(0.0, np.pi, samples)
    x = np.where(labels == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t))
    X = np.column_stack([(x - 0.5) / 1.5, (y - 0.25) / 1.5])
    return _binary(X, labels, rng, noise, ("upper moon", "lower moon"))


def sine(samples: int = 100, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Regression of y = sin(pi x) for x in [-1, 1], plus Gaussian noise on y."""
    rng = _check_common(samples, noise, seed)
    x = rng.uniform(-1.0, 1.0, samples)
    y = np.sin(np.pi * x) + (rng.normal(0.0, noise, samples) if noise else 0.0)
    return _dataset(x[:, None], y[:, None], ("x",), ("y",), None, "regression")


def plane(samples: int = 100, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Regression of the plane y = 0.6 x1 - 0.4 x2 + 0.2 over [-1, 1]^2, plus noise on y."""
    rng = _check_common(samples, noise, seed)
    X = rng.uniform(-1.0, 1.0, (samples, 2))
    y = X @ np.array([0.6, -0.4]) + 0.2 + (rng.normal(0.0, noise, samples) if noise else 0.0)
    return _dataset(X, y[:, None], ("x1", "x2"), ("y",), None, "regression")


GENERATORS: dict[str, Callable[..., Dataset]] = {
    f.__name__: f for f in (circle, quadrants, gaussians, spiral, moons, sine, plane)
}


# --- inline tables ----------------------------------------------------------------------

def _table(rows: Sequence[Sequence[float]], field: str) -> np.ndarray:
    if len(rows) == 0:
        raise DataError(field, "expected at least one row, got none")
    if len(rows) > MAX_SAMPLES:
        raise DataError(field, f"at most {MAX_SAMPLES:,} rows, got {len(rows):,}")
    width = len(rows[0])
    if width == 0:
        raise DataError(field, "row 1 is empty")
    if width > MAX_NEURONS:
        raise DataError(field, f"at most {MAX_NEURONS} values a row, got {width:,}")
    for i, row in enumerate(rows, 1):
        if len(row) != width:
            raise DataError(field, f"ragged rows: row 1 has {width} values, row {i} has {len(row)}")
    array = np.array(rows, dtype=np.float64)
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        raise DataError(field, f"row {bad[0][0] + 1} holds a NaN or infinite value")
    return array


def _names(names: Sequence[str] | None, width: int, prefix: str, field: str) -> tuple[str, ...]:
    if names is None:
        return (prefix,) if width == 1 else tuple(f"{prefix}{i}" for i in range(1, width + 1))
    if len(names) != width:
        raise DataError(field, f"expected {width} names (one per column), got {len(names)}")
    return tuple(names)


def from_rows(inputs: Sequence[Sequence[float]], targets: Sequence[Sequence[float]],
              input_names: Sequence[str] | None = None, target_names: Sequence[str] | None = None,
              task: str | None = None) -> Dataset:
    """A dataset from rows of numbers, all of them training rows.

    Without ``task``, targets that are all 0 or 1 make a classification task.
    """
    X, Y = _table(inputs, "inputs"), _table(targets, "targets")
    if len(X) != len(Y):
        raise DataError("targets", f"expected {len(X)} rows (one per input row), got {len(Y)}")
    return _dataset(X, Y, _names(input_names, X.shape[1], "x", "input_names"),
                    _names(target_names, Y.shape[1], "y", "target_names"), None,
                    _infer_task(Y, task))


# --- CSV files --------------------------------------------------------------------------

def _check_columns(names: Sequence[str], header: Sequence[str], field: str,
                    path: Path) -> None:
    for name in names:
        if name not in header:
            raise DataError(field, f"no column {quoted(name)} in {path.name}"
                                   f"{did_you_mean(name, header)}")


def load_csv(path: Path | str, inputs: Sequence[str] | None = None,
             targets: str | Sequence[str] = (), task: str | None = None) -> Dataset:
    """A dataset from a CSV file with a header line, all of them training rows.

    ``targets`` is either one class column (a string: its labels, strings or numbers,
    become one-hot targets, classes in sorted order) or a list of numeric columns.
    ``inputs`` lists the input columns; by default every column that is not a target. Only
    those columns are kept (``core.data.csv_table`` reads the file within its limits).
    """
    path = Path(path)
    class_column = isinstance(targets, str)
    target_names = [targets] if class_column else list(targets)
    if not target_names:
        raise DataError("targets", "expected a class column or a list of target columns")
    if class_column and task not in (None, "classification"):
        raise DataError("task", "a class column makes a classification task")
    input_names: list[str] = []

    def keep(header: Sequence[str]) -> list[str]:
        _check_columns(target_names, header, "targets", path)
        input_names.extend([n for n in header if n not in target_names] if inputs is None
                           else inputs)
        _check_columns(input_names, header, "inputs", path)
        overlap = set(input_names) & set(target_names)
        if overlap:
            raise DataError("inputs", f"column {quoted(sorted(overlap)[0])} is also a target")
        if not input_names:
            raise DataError("inputs", "expected at least one input column")
        if len(input_names) > MAX_NEURONS:
            raise DataError("inputs", f"at most {MAX_NEURONS} input columns, "
                                      f"got {len(input_names):,}")
        return [*input_names, *target_names]

    table = CsvTable(path, keep)
    if class_column:
        coded = table.labels(targets)
        if coded is None:
            raise DataError("targets", f"column {quoted(targets)} has more than {MAX_LABELS} "
                                       f"distinct values: too many classes")
        codes, labels = coded
        classes = sorted_labels(labels)
        outputs = len(classes)
    else:
        outputs = len(target_names)
    if table.rows * (len(input_names) + outputs) > MAX_ACTIVATIONS:
        raise DataError("path", f"{path.name}: {table.rows:,} rows of {len(input_names)} "
                                f"inputs and {outputs} outputs, more than "
                                f"{MAX_ACTIVATIONS:,} values in all")
    X = table.checked_numbers(input_names)
    if not class_column:
        Y = table.checked_numbers(target_names)
        return _dataset(X, Y, input_names, target_names, None, _infer_task(Y, task))
    order = {label: i for i, label in enumerate(classes)}
    rank = np.array([order[label] for label in labels], dtype=np.intp)
    Y = np.eye(len(classes))[rank[codes]]
    return _dataset(X, Y, input_names, classes, classes, "classification")


# --- splitting and scaling --------------------------------------------------------------

def split(dataset: Dataset, test_fraction: float, seed: int) -> Dataset:
    """All rows of ``dataset`` shuffled from ``seed`` and cut into training and test rows.

    round(n * test_fraction) rows are held out for testing (at least one row is kept for
    training); the same seed gives the same split.
    """
    if not (0.0 <= test_fraction < 1.0):
        raise DataError("test_fraction", f"expected a number in [0, 1), got {test_fraction!r}")
    X = np.vstack([dataset.X_train, dataset.X_test])
    Y = np.vstack([dataset.Y_train, dataset.Y_test])
    n_test = min(round(len(X) * test_fraction), len(X) - 1)
    order = np.random.default_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return Dataset(X[train], Y[train], X[test], Y[test], dataset.input_names,
                   dataset.target_names, dataset.class_names, dataset.task)


def standardize(dataset: Dataset) -> Dataset:
    """Inputs shifted and scaled to mean 0 and standard deviation 1 over the training rows
    (the test rows get the same transformation; constant columns are only shifted).

    Inputs too large to square (beyond about 1e154) are first divided by their column's
    largest magnitude; test rows that still end beyond float64's range raise ``DataError``
    on ``standardize``.
    """
    X, X_test = dataset.X_train, dataset.X_test
    with np.errstate(all="ignore"):
        scaled = _standardized(X, X_test)
        if scaled is None:       # the sums overflowed: the same with every column in [-1, 1]
            scale = np.max(np.abs(X), axis=0) if len(X) else np.ones(X.shape[1])
            scale[scale == 0.0] = 1.0
            scaled = _standardized(X / scale, X_test / scale)
    if scaled is None:
        raise DataError("standardize", "the test inputs lie too far from the training inputs "
                                       "to standardise (beyond float64's range)")
    return Dataset(scaled[0], dataset.Y_train, scaled[1], dataset.Y_test, dataset.input_names,
                   dataset.target_names, dataset.class_names, dataset.task)


def _standardized(X: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(X, X_test) shifted and scaled by X's mean and standard deviation, or None if that
    is not finite."""
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    if not (np.isfinite(mean).all() and np.isfinite(std).all()):
        return None
    std[std == 0.0] = 1.0
    train, test = (X - mean) / std, (X_test - mean) / std
    if np.isfinite(train).all() and np.isfinite(test).all():
        return train, test
    return None
