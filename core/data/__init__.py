"""Data sets: seeded generators, inline rows, CSV files, splits, and 2-D input features."""

from .datasets import (
    GENERATORS,
    TASKS,
    DataError,
    Dataset,
    from_rows,
    load_csv,
    split,
    standardize,
)
from .features import FEATURES, RAW_FEATURES, apply_features, check_features, with_features

__all__ = [
    "FEATURES", "GENERATORS", "RAW_FEATURES", "TASKS", "DataError", "Dataset", "apply_features",
    "check_features", "from_rows", "load_csv", "split", "standardize", "with_features",
]
