"""Input features of a 2-D problem, as in TensorFlow Playground: x1, x2, x1^2, ..., sin x2.

A generated 2-D data set may feed the network functions of its two inputs instead of the
inputs themselves (``[data] features`` in a preset); the first layer then has one neuron
per feature. Bad names raise ``DataError`` naming the field ``features``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..text import quoted
from .datasets import DataError, Dataset

FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}
"""The input features of a 2-D problem, by name: each a function of the columns x1, x2."""

RAW_FEATURES = ("x1", "x2")
"""The features that are the inputs themselves (what a 2-D generator gives)."""


def check_features(names: Sequence[str], width: int = 2) -> None:
    """Raise ``DataError`` unless ``names`` are distinct known features of ``width`` = 2
    input columns."""
    if width != 2:
        raise DataError("features", f"input features need a 2-D problem (x1, x2), "
                                    f"got {width} input columns")
    if not names:
        raise DataError("features", "expected at least one feature")
    for name in names:
        if name not in FEATURES:
            raise DataError("features", f"unknown feature {quoted(name)}; expected some of "
                                        f"{', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise DataError("features", f"expected each feature once, got {list(names)}")


def apply_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The feature columns ``names`` (keys of ``FEATURES``) of 2-D inputs X, one per column."""
    X = np.asarray(X, dtype=np.float64)
    check_features(names, X.shape[1] if X.ndim == 2 else 0)
    return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in names])


def with_features(dataset: Dataset, names: Sequence[str]) -> Dataset:
    """``dataset`` with its two inputs replaced by the feature columns ``names``."""
    return Dataset(apply_features(dataset.X_train, names), dataset.Y_train,
                   apply_features(dataset.X_test, names), dataset.Y_test, tuple(names),
                   dataset.target_names, dataset.class_names, dataset.task)
