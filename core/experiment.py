"""Editing an experiment: the edit form's checks, shared by every front end.

Fields fall in three groups, as in TensorFlow Playground. Network fields (the layers, the
activations, the loss, bias, initialisation, the input features) change what the weights
mean, so they need new weights. Training fields (optimizer, learning rate, batch size,
penalty) keep the weights. Data fields (samples, noise, test fraction, data seed) give
new data for the same network.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .data import DataError, Dataset
from .presets import GeneratorData, Preset, PresetError

MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 512

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

NETWORK_FIELDS = ("layers", "activation", "output_activation", "loss", "bias", "init", "seed")
DATA_FIELDS = {"samples": "samples", "noise": "noise", "data_seed": "seed"}


def _check_features(names: Sequence[str], width: int) -> None:
    if width != 2:
        raise DataError("features", f"input features need a 2-D problem (x1, x2), "
                                    f"got {width} input columns")
    if not names:
        raise DataError("features", "expected at least one feature")
    for name in names:
        if name not in FEATURES:
            raise DataError("features", f"unknown feature {name!r}; expected some of "
                                        f"{', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise DataError("features", f"expected each feature once, got {list(names)}")


def apply_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The feature columns ``names`` (keys of ``FEATURES``) of 2-D inputs X, one per column."""
    X = np.asarray(X, dtype=np.float64)
    _check_features(names, X.shape[1] if X.ndim == 2 else 0)
    return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in names])


def with_features(dataset: Dataset, names: Sequence[str]) -> Dataset:
    """``dataset`` with its two inputs replaced by the feature columns ``names``."""
    return Dataset(apply_features(dataset.X_train, names), dataset.Y_train,
                   apply_features(dataset.X_test, names), dataset.Y_test, tuple(names),
                   dataset.target_names, dataset.class_names, dataset.task)


def parse_hidden_layers(text: str) -> tuple[int, ...]:
    """The hidden layer sizes typed as ``"4-4"``, ``"16 16"`` or ``"8, 8"``; empty for none.

    Raises ``PresetError`` with the reason for anything else.
    """
    text = text.strip()
    if not text:
        return ()
    negative = re.search(r"(?:^|[,-])\s*(-\d+)", text)
    if negative:
        raise PresetError(f"hidden layers: {negative.group(1)} neurons: "
                          f"each layer needs at least 1")
    tokens = re.split(r"\s*[-,]\s*|\s+", text)
    if "" in tokens:
        raise PresetError(f"hidden layers: expected sizes separated by '-' or spaces, "
                          f"like 4-4, got {text!r}")
    for token in tokens:
        if not token.isdecimal():
            raise PresetError(f"hidden layers: {token!r} is not a whole number of neurons")
    sizes = tuple(int(token) for token in tokens)
    if 0 in sizes:
        raise PresetError(f"hidden layers: layer {sizes.index(0) + 1} has 0 neurons: "
                          f"each layer needs at least 1")
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise PresetError(f"hidden layers: at most {MAX_HIDDEN_LAYERS} layers, got {len(sizes)}")
    if max(sizes) > MAX_NEURONS:
        raise PresetError(f"hidden layers: at most {MAX_NEURONS} neurons a layer, "
                          f"got {max(sizes)}")
    return sizes


def format_hidden_layers(layers: Sequence[int]) -> str:
    """A preset's hidden layer sizes as the form shows them (``"4-4"``; empty for none)."""
    return "-".join(str(size) for size in layers[1:-1])


def _new_data(preset: Preset, fields: dict[str, Any]) -> GeneratorData:
    spec = preset.data
    wanted = [key for key in (*DATA_FIELDS, "features") if key in fields]
    if not isinstance(spec, GeneratorData):
        raise PresetError(f"{wanted[0]}: only generated data can be changed here")
    params = dict(spec.params)
    params.update({DATA_FIELDS[key]: fields[key] for key in DATA_FIELDS if key in fields})
    spec = dataclasses.replace(spec, params=tuple(params.items()))
    if "features" in fields:
        spec = dataclasses.replace(spec, features=tuple(fields["features"]))
    return spec


def edit_preset(preset: Preset, **fields: Any) -> tuple[Preset, bool]:
    """The preset with the form's changes, and whether they need new weights.

    ``fields`` are ``Preset`` fields, ``hidden`` (text for ``parse_hidden_layers``, or
    sizes), and for generated data ``samples``, ``noise``, ``data_seed`` and ``features``.
    Data changes show as a new ``data`` or ``test_fraction``; they keep the weights unless
    the features change the network's inputs. Raises ``PresetError`` with the reason; the
    given preset is never changed.
    """
    if "hidden" in fields and "layers" in fields:
        raise PresetError("layers: give the hidden layers or all layers, not both")
    changes = {key: value for key, value in fields.items()
               if key not in (*DATA_FIELDS, "features", "hidden")}
    if any(key in fields for key in (*DATA_FIELDS, "features")):
        changes["data"] = _new_data(preset, fields)
    layers = tuple(fields.get("layers", preset.layers))
    if "hidden" in fields:
        hidden = fields["hidden"]
        hidden = parse_hidden_layers(hidden) if isinstance(hidden, str) else tuple(hidden)
        layers = (layers[0], *hidden, layers[-1])
    if "features" in fields and "layers" not in fields:
        layers = (len(fields["features"]), *layers[1:])
    if layers != preset.layers:
        changes["layers"] = layers
    try:
        edited = preset.replace(**changes)
    except PresetError as error:
        raise PresetError(str(error).removeprefix(f"{preset.source}: ")) from None
    new_weights = any(getattr(edited, key) != getattr(preset, key) for key in NETWORK_FIELDS)
    if "features" in fields:
        new_weights |= edited.data.features != preset.data.features
    return edited, new_weights
