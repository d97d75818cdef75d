"""Classes from outputs and targets, and their names, for the classification views."""

from __future__ import annotations

import numpy as np

from core.session import Snapshot


def classes_of(values: np.ndarray) -> np.ndarray:
    """The class of each row: 1 where a single column is >= 0.5, else the largest column."""
    if values.shape[1] == 1:
        return (np.nan_to_num(values[:, 0]) >= 0.5).astype(int)
    return np.nan_to_num(values).argmax(axis=1)


def class_count(snapshot: Snapshot) -> int:
    """How many classes the targets distinguish (2 for a single 0/1 column)."""
    return 2 if snapshot.sizes[-1] == 1 else snapshot.sizes[-1]


def class_names(snapshot: Snapshot) -> list[str]:
    """A name for every class: the data's class names, else the target names or numbers."""
    count = class_count(snapshot)
    if snapshot.class_names and len(snapshot.class_names) == count:
        return list(snapshot.class_names)
    if count == len(snapshot.target_names):
        return list(snapshot.target_names)
    return [str(k) for k in range(count)]


def evaluated_set(snapshot: Snapshot) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """("test" or "train", inputs, outputs, targets): the test split when there is one."""
    if snapshot.X_test.shape[0]:
        return "test", snapshot.X_test, snapshot.test_outputs, snapshot.Y_test
    return "train", snapshot.X_train, snapshot.outputs, snapshot.Y_train
