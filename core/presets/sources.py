"""Where a preset's data come from: rows written inline, a generator, or a CSV file.

Each source is an immutable description that loads its ``Dataset`` on demand; loading is
cached, so the same data cost nothing the second time.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..confinement import OutsideFolder, confine
from ..data import datasets
from ..data.datasets import GENERATORS, DataError, Dataset
from ..data.features import with_features


@dataclass(frozen=True)
class InlineData:
    """Data written into the preset: rows of inputs and rows of targets."""

    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    input_names: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None
    task: str | None = None
    standardize: bool = False

    def load(self) -> Dataset:
        """All rows as training rows."""
        return datasets.from_rows(self.inputs, self.targets, self.input_names,
                                  self.target_names, self.task)

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        def rows(table):
            return [r[0] for r in table] if len(table[0]) == 1 else [list(r) for r in table]
        return _drop_none({"inputs": rows(self.inputs), "targets": rows(self.targets),
                           "input_names": self.input_names, "target_names": self.target_names,
                           "task": self.task, "standardize": self.standardize})


@dataclass(frozen=True)
class GeneratorData:
    """Data drawn by a named generator of ``core.data.datasets``; ``params`` holds every argument.

    ``features`` (2-D generators only) replaces the inputs x1, x2 by functions of them
    (``core.data.features``), one input column each; None keeps x1, x2.
    """

    generator: str
    params: tuple[tuple[str, int | float], ...]
    standardize: bool = False
    features: tuple[str, ...] | None = None

    def load(self) -> Dataset:
        """All generated rows as training rows (``DataError`` on ``noise`` if so much noise
        makes them overflow)."""
        with np.errstate(over="ignore", invalid="ignore"):
            dataset = GENERATORS[self.generator](**dict(self.params))
            if self.features is not None:
                dataset = with_features(dataset, self.features)
        if not (np.isfinite(dataset.X_train).all() and np.isfinite(dataset.Y_train).all()):
            raise DataError("noise", "the generated data overflow float64; expected a "
                                     "smaller noise")
        return dataset

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        return _drop_none({"generator": self.generator, **dict(self.params),
                           "standardize": self.standardize,
                           "features": None if self.features is None else list(self.features)})


@dataclass(frozen=True)
class CsvData:
    """Data read from a CSV file (``csv`` is an absolute path)."""

    csv: Path
    targets: str | tuple[str, ...]
    inputs: tuple[str, ...] | None = None
    task: str | None = None
    standardize: bool = False

    def load(self) -> Dataset:
        """All rows of the file as training rows."""
        try:
            return datasets.load_csv(self.csv, self.inputs, self.targets, self.task)
        except DataError as error:
            raise DataError("csv" if error.field == "path" else error.field, str(error)) from None

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        return _drop_none({"csv": str(self.csv), "inputs": self.inputs, "targets": self.targets,
                           "task": self.task, "standardize": self.standardize})


DataSpec = InlineData | GeneratorData | CsvData


def confined(spec: DataSpec, folders: Sequence[Path]) -> DataSpec:
    """``spec`` with its CSV file's path resolved (``core.confinement``), when the file is
    inside the first of ``folders`` or one of the others; ``DataError`` on ``csv`` when it is
    outside them all. Data that name no file are returned as they are."""
    if not isinstance(spec, CsvData):
        return spec
    try:
        return dataclasses.replace(spec, csv=confine(spec.csv, folders[0], also=folders[1:]))
    except OutsideFolder as error:
        raise DataError("csv", str(error)) from None


def _drop_none(table: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in table.items() if value is not None}


@functools.lru_cache(maxsize=32)
def raw_data(spec: DataSpec) -> Dataset:
    """Every row of ``spec``'s data (cached)."""
    return spec.load()


@functools.lru_cache(maxsize=32)
def prepared_data(spec: DataSpec, test_fraction: float, seed: int) -> Dataset:
    """``spec``'s data split into training and test rows from ``seed`` and standardised if
    the source asks for it (cached)."""
    dataset = raw_data(spec)
    if test_fraction > 0:
        dataset = datasets.split(dataset, test_fraction, seed)
    return datasets.standardize(dataset) if spec.standardize else dataset
