"""Exports of an experiment to plain files: its preset, loss history, data and weights.

Every export is written atomically and refuses to replace an existing file unless
``overwrite`` is true (``core.files``). Numbers are written in full precision.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..data.datasets import Dataset
from ..engine.network import Network
from ..files import write_text
from ..presets.schema import Preset
from .snapshot import Snapshot

WEIGHTS_CONVENTION = ("a(0) = x; a(l+1) = activations[l](a(l) @ weights[l] + biases[l]), "
                      "weights[l] of shape (sizes[l], sizes[l+1]), one row per sample")


def _csv_text(header: list[str], rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def experiment_preset(preset: Preset, seed: int, loaded: Preset | None) -> Preset:
    """The experiment as it is: ``preset`` with the training seed in use; when that differs
    from ``loaded`` (the preset as it was loaded, None if unknown) it is named as a variant,
    its description saying so and which seed it uses."""
    preset = preset.replace(seed=seed)
    if loaded is not None and preset.to_toml() == loaded.to_toml():
        return preset
    return preset.replace(
        name=f"{preset.name}-variant", title=f"{preset.title or preset.name} (variant)",
        description=f"A variant of {preset.name} exported with the settings in use (training "
                    f"seed {seed}).\n\n{preset.description}")


def export_preset(preset: Preset, path: Path | str, overwrite: bool = False) -> Path:
    """Write the experiment as a preset ``.toml`` file that loads back to an equal preset."""
    return write_text(path, preset.to_toml(), overwrite)


def export_loss_csv(snapshot: Snapshot, path: Path | str, overwrite: bool = False) -> Path:
    """Write the loss history as CSV with columns epoch, loss, test_loss.

    One row per recorded epoch; a cell is empty where that loss was not recorded.
    """
    loss = dict(zip(snapshot.history_epochs.tolist(), snapshot.history_loss.tolist()))
    test = dict(zip(snapshot.history_test_epochs.tolist(), snapshot.history_test_loss.tolist()))
    rows = [[int(epoch) if epoch.is_integer() else epoch, loss.get(epoch, ""), test.get(epoch, "")]
            for epoch in sorted(loss.keys() | test.keys())]
    return write_text(path, _csv_text(["epoch", "loss", "test_loss"], rows), overwrite)


def export_data_csv(dataset: Dataset | Snapshot, path: Path | str,
                    overwrite: bool = False) -> Path:
    """Write the data as CSV: one column per input and target, by name, and a ``split``
    column saying ``train`` or ``test`` (training rows first)."""
    header = [*dataset.input_names, *dataset.target_names, "split"]
    rows = [[*x, *y, split]
            for X, Y, split in ((dataset.X_train, dataset.Y_train, "train"),
                                (dataset.X_test, dataset.Y_test, "test"))
            for x, y in zip(X.tolist(), Y.tolist())]
    return write_text(path, _csv_text(header, rows), overwrite)


def export_weights_json(source: Snapshot | Network, path: Path | str,
                        overwrite: bool = False) -> Path:
    """Write the network's sizes, activations, loss, weights and biases as JSON.

    ``weights`` and ``biases`` are nested lists, one per layer. Raises ``ValueError`` when
    a parameter is NaN or infinite (a diverged run), which JSON cannot hold.
    """
    n_layers = len(source.sizes) - 1
    document = {
        "sizes": list(source.sizes),
        "activations": [source.activation] * (n_layers - 1) + [source.output_activation],
        "loss": source.loss_name,
        "convention": WEIGHTS_CONVENTION,
        "weights": [np.asarray(w).tolist() for w in source.weights],
        "biases": [np.asarray(b).tolist() for b in source.biases],
    }
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        raise ValueError("cannot export the weights: some are NaN or infinite "
                         "(the run diverged)") from None
    return write_text(path, text + "\n", overwrite)
