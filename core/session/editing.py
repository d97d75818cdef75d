"""Editing and files (issue 6), mixed into ``core.session.Session``: the edit form, the
exports, and presets for the user's own CSV files.

``EditingMixin`` keeps no state of its own: like every command, its methods work on the
session's preset, data, network and optimizer while holding the session's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..engine.optimizers import make_optimizer
from ..files import WouldOverwrite
from ..presets import from_csv as csv_import
from ..presets.editing import edit_choices, edit_preset, form_values
from ..presets.schema import Preset, PresetError
from . import exports as export
from .saved import SessionFileError


class EditingMixin:
    """The session's edit-form and file commands (see ``core.session.Session``)."""

    @staticmethod
    def edit_choices() -> dict[str, tuple[str, ...]]:
        """The values the edit form offers for each choice field (activations, losses,
        initialisations, optimizers, penalties, input features)."""
        return edit_choices()

    def edit_values(self) -> dict[str, Any]:
        """The edit form's fields as they are now, with the learning rate and optimizer in
        use (see ``core.experiment.form_values``: data fields for generated data only)."""
        return form_values(self._edited_base())

    def preview_edit(self, **fields: Any) -> tuple[Preset, bool]:
        """The preset that ``edit(**fields)`` would train, and whether it needs new weights;
        changes nothing. Raises ``PresetError`` with the reason for a refused value."""
        return edit_preset(self._edited_base(), **fields)

    def edit(self, **fields: Any) -> bool:
        """Change the experiment: ``fields`` as for ``core.experiment.edit_preset`` (preset
        fields, ``hidden`` layers as text, ``samples``, ``noise``, ``data_seed`` and
        ``features`` of generated data). Returns True if the network got new weights.

        A network change (layers, activations, loss, bias, initialisation, input features,
        seed) starts again at epoch 0 with new weights, paused. Anything else keeps the
        weights, the epoch and the history: a new learning rate, penalty or batch size acts
        from the next batch, a new optimizer starts fresh (the same one keeps its state), and
        new data (samples, noise, data seed, test fraction) is trained on from the next
        epoch; a partly trained epoch starts over. A refused value raises ``PresetError``
        and leaves the session exactly as it was.
        """
        with self._command():
            edited, new_weights = edit_preset(self._edited_base_locked(), **fields)
            data = edited.load_data()
            if new_weights:
                seed = edited.seed if "seed" in fields else self._seed
                self._set_mode("idle")
                self._install(edited, data, edited.build_network(seed), seed,
                              edited.optimizer, edited.learning_rate)
                return True
            self._check_finite()
            restart_epoch = (data is not self._data
                             or edited.batch_size != self._preset.batch_size)
            self._preset = edited
            if data is not self._data:
                self._use_data(data)
            if restart_epoch:
                self._batch, self._epoch_cost, self._slices = 0, 0.0, (-1, [])
            self._net.penalty, self._net.penalty_rate = edited.penalty, edited.penalty_rate
            if "optimizer" in fields and edited.optimizer != self._optimizer.name:
                self._optimizer = make_optimizer(edited.optimizer)
            if "learning_rate" in fields:
                self._learning_rate = edited.learning_rate
            self._checkpoints.clear()      # replays from before would use other settings
            self._take_checkpoint()
            self._stepped = None           # a batch stepped through (issue 7) starts again
            return False

    def export_preset(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the experiment, with the learning rate and optimizer in use, as a preset
        ``.toml`` file. Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is
        false, ``SessionFileError`` if it cannot be written."""
        preset = self._edited_base()
        return self._written(path, lambda: export.export_preset(preset, path, overwrite))

    def export_loss_csv(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the loss history as CSV (epoch, loss, test_loss); errors as for
        ``export_preset``."""
        snapshot = self.snapshot()
        return self._written(path, lambda: export.export_loss_csv(snapshot, path, overwrite))

    def export_data_csv(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the data as CSV (inputs, targets, split); errors as for ``export_preset``."""
        with self._command(changes=False):
            data = self._data
        return self._written(path, lambda: export.export_data_csv(data, path, overwrite))

    def export_weights_json(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the network's sizes, activations, weights and biases as JSON; errors as for
        ``export_preset`` (NaN weights too)."""
        with self._command(changes=False):
            net = self._net.copy()
        return self._written(path, lambda: export.export_weights_json(net, path, overwrite))

    @staticmethod
    def csv_columns(csv_path: Path | str) -> list[str]:
        """The columns of a CSV file, to choose the targets from; the whole file is checked
        (``PresetError`` naming the file and line, e.g. for a ragged row)."""
        return csv_import.columns(csv_path)

    @staticmethod
    def preset_from_csv(csv_path: Path | str, targets: str | list[str]) -> Preset:
        """A preset that learns ``targets`` from the other columns of a CSV file, with a
        sensible default network (``core.csv_import``); ``PresetError`` for a bad file."""
        return csv_import.preset_from_csv(csv_path, targets)

    @staticmethod
    def write_preset_for_csv(csv_path: Path | str, targets: str | list[str],
                             overwrite: bool = False) -> Path:
        """Write ``preset_from_csv`` as ``<name>.toml`` beside the CSV file and return its
        path (``load()`` it next). Raises ``PresetError`` for a bad CSV file,
        ``WouldOverwrite`` if the .toml exists and ``overwrite`` is false, and
        ``SessionFileError`` if it cannot be written."""
        toml = Path(csv_path).with_suffix(".toml")
        return EditingMixin._written(toml, lambda: csv_import.write_preset_for_csv(
            csv_path, targets, overwrite))

    def _edited_base(self) -> Preset:
        """The preset being trained, with the learning rate and optimizer in use."""
        with self._command(changes=False):
            return self._edited_base_locked()

    def _edited_base_locked(self) -> Preset:
        """``_edited_base`` with the lock held."""
        preset, rate, optimizer = self._preset, self._learning_rate, self._optimizer.name
        if (rate, optimizer) == (preset.learning_rate, preset.optimizer):
            return preset
        return preset.replace(learning_rate=rate, optimizer=optimizer)

    @staticmethod
    def _written(path: Path | str, write: Callable[[], Path]) -> Path:
        """Run ``write``; a file that cannot be written raises ``SessionFileError`` (one line
        naming the file), an existing one ``WouldOverwrite``, a bad CSV ``PresetError``."""
        try:
            return write()
        except (WouldOverwrite, PresetError, SessionFileError):
            raise
        except OSError as error:
            if error.strerror is None:      # core.files says what and where itself
                raise SessionFileError(str(error)) from None
            raise SessionFileError(f"{path}: cannot write: {error.strerror}") from None
        except ValueError as error:         # NaN weights cannot be written as JSON
            raise SessionFileError(f"{path}: {error}") from None
