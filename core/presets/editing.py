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
from collections.abc import Sequence
from typing import Any

from ..data.features import FEATURES, RAW_FEATURES
from ..engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..engine.losses import LOSSES
from ..engine.network import INITS
from ..engine.optimizers import OPTIMIZERS
from ..limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
from .schema import Preset
from .sources import GeneratorData
from .validation import PENALTIES, PresetError

NETWORK_FIELDS = ("layers", "activation", "output_activation", "loss", "bias", "init", "seed")
DATA_FIELDS = {"samples": "samples", "noise": "noise", "data_seed": "seed"}
"""The edit fields of generated data, and the generator's argument each one sets."""
_FORM_FIELDS = {("data", "seed"): "data_seed", ("model", "layers"): "hidden"}
"""Preset keys that the edit form shows under another name."""


def parse_hidden_layers(text: str) -> tuple[int, ...]:
    """The hidden layer sizes typed as ``"4-4"``, ``"16 16"`` or ``"8, 8"``; empty for none.

    Raises ``PresetError`` with the reason for anything else.
    """
    text = text.strip()
    if not text:
        return ()
    negative = re.search(r"(?:^|[,-])\s*(-\d+)", text)
    if negative:
        raise PresetError(f"hidden layer sizes: {negative.group(1)} neurons: "
                          f"each layer needs at least 1", "hidden")
    tokens = re.split(r"\s*[-,]\s*|\s+", text)
    if "" in tokens:
        raise PresetError(f"hidden layer sizes: expected sizes separated by '-' or spaces, "
                          f"like 4-4, got {text!r}", "hidden")
    for token in tokens:
        if not token.isdecimal():
            raise PresetError(f"hidden layer sizes: {token!r} is not a whole number of neurons",
                              "hidden")
    sizes = tuple(int(token) for token in tokens)
    if 0 in sizes:
        raise PresetError(f"hidden layer sizes: layer {sizes.index(0) + 1} has 0 neurons: "
                          f"each layer needs at least 1", "hidden")
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise PresetError(f"hidden layer sizes: at most {MAX_HIDDEN_LAYERS} layers, "
                          f"got {len(sizes)}", "hidden")
    if max(sizes) > MAX_NEURONS:
        raise PresetError(f"hidden layer sizes: at most {MAX_NEURONS} neurons a layer, "
                          f"got {max(sizes)}", "hidden")
    return sizes


def format_hidden_layers(layers: Sequence[int]) -> str:
    """A preset's hidden layer sizes as the form shows them (``"4-4"``; empty for none)."""
    return "-".join(str(size) for size in layers[1:-1])


def _new_data(preset: Preset, fields: dict[str, Any]) -> GeneratorData:
    spec = preset.data
    wanted = [key for key in (*DATA_FIELDS, "features") if key in fields]
    if not isinstance(spec, GeneratorData):
        raise PresetError(f"{wanted[0]}: only generated data can be changed here", wanted[0])
    params = dict(spec.params)
    params.update({DATA_FIELDS[key]: fields[key] for key in DATA_FIELDS if key in fields})
    spec = dataclasses.replace(spec, params=tuple(params.items()))
    if "features" in fields:
        spec = dataclasses.replace(spec, features=fields["features"])
    return spec


def edit_preset(preset: Preset, **fields: Any) -> tuple[Preset, bool]:
    """The preset with the form's changes, and whether they need new weights.

    ``fields`` are ``Preset`` fields, ``hidden`` (text for ``parse_hidden_layers``, or
    sizes), and for generated data ``samples``, ``noise``, ``data_seed`` and ``features``.
    Data changes show as a new ``data`` or ``test_fraction``; they keep the weights unless
    the features change the network's inputs. Raises ``PresetError`` with the reason; the
    given preset is never changed. The error's ``field`` is the edit field at fault
    (``"hidden"``, ``"data_seed"``, ``"learning_rate"``, ...).
    """
    if "hidden" in fields and "layers" in fields:
        raise PresetError("layers: give the hidden layers or all layers, not both", "layers")
    if "features" in fields:     # x1, x2 are the inputs themselves: no features
        features = tuple(fields["features"])
        fields = {**fields, "features": None if features == RAW_FEATURES else features}
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
        layers = (len(fields["features"] or RAW_FEATURES), *layers[1:])
    if layers != preset.layers:
        changes["layers"] = layers
    try:
        edited = preset.replace(**changes)
    except PresetError as error:
        field = _FORM_FIELDS.get((error.section, error.field), error.field)
        if field == "hidden" and "layers" in fields:
            field = "layers"
        raise PresetError(str(error).removeprefix(f"{preset.source}: "), field,
                          error.section) from None
    new_weights = any(getattr(edited, key) != getattr(preset, key) for key in NETWORK_FIELDS)
    if "features" in fields:
        new_weights |= edited.data.features != preset.data.features
    return edited, new_weights


def edit_choices() -> dict[str, tuple[str, ...]]:
    """The values the form offers for each choice field."""
    return {"activation": HIDDEN_ACTIVATIONS, "output_activation": tuple(ACTIVATIONS),
            "loss": tuple(LOSSES), "init": INITS, "optimizer": tuple(OPTIMIZERS),
            "penalty": PENALTIES, "features": tuple(FEATURES)}


def form_values(preset: Preset) -> dict[str, Any]:
    """The edit form's fields for ``preset``, as ``edit_preset`` takes them.

    ``samples``, ``noise`` and ``data_seed`` are there for generated data only, and
    ``features`` (the inputs the network gets) for generated 2-D data only.
    """
    values: dict[str, Any] = {
        "hidden": format_hidden_layers(preset.layers), "activation": preset.activation,
        "output_activation": preset.output_activation, "loss": preset.loss,
        "bias": preset.bias, "init": preset.init, "optimizer": preset.optimizer,
        "learning_rate": preset.learning_rate, "batch_size": preset.batch_size,
        "penalty": preset.penalty or "none", "penalty_rate": preset.penalty_rate,
        "test_fraction": preset.test_fraction,
    }
    spec = preset.data
    if isinstance(spec, GeneratorData):
        params = dict(spec.params)
        values.update(samples=params["samples"], noise=params["noise"],
                      data_seed=params["seed"])
        if spec.features is not None or preset.layers[0] == len(RAW_FEATURES):
            values["features"] = spec.features or RAW_FEATURES
    return values
